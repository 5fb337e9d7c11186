import type { DockerInvocation } from '../model/docker.ts';
import type { Directive } from '../model/unit.ts';
import { parseImageReference } from '../sources/docker/image-ref.ts';
import { networkCreate } from '../sources/docker/network.ts';
import { globalFlags } from '../sources/docker/query.ts';
import { readShell } from '../passes/shell-words.ts';
import { byIdFile, removesIdFile } from './podman-generated.ts';
import type { StepRole } from './types.ts';

/**
 * The Exec*= lines CoreOS units wrapped around their `docker run`, and what
 * virtualisation.oci-containers does instead (nixos/modules/virtualisation/
 * oci-containers.nix: pre-start `docker rm -f NAME`, preStop `docker stop
 * NAME`, postStop `docker rm -f NAME`, ordering after docker.service and
 * docker.socket, `--pull <policy>` on the run). A line that is none of these
 * does more than run the container, and keeps its unit at stage 1.
 */

/**
 * A blocked line's rank orders the reasons: 0 builds or prepares (a second
 * container, `docker commit`), 1 other docker commands, 2 other programs,
 * 3 what only follows from those (a pull of another image).
 */
export type Classified = { readonly role: StepRole; readonly reason: string; readonly network?: string } | { readonly blocked: string; readonly rank: number };

export interface RunFacts {
  readonly invocation: DockerInvocation;
  /** The container's name on the old host, if it had one. */
  readonly name?: string;
  readonly image: string;
  /** User-defined networks the run joins. */
  readonly networks: readonly string[];
  readonly backend: 'docker' | 'podman';
  /** `podman generate systemd --new`: the ID file its stop and rm lines name the container by. */
  readonly cidfile?: string;
}

const REASONS = {
  rm: 'the module removes the old container before it starts one (`docker rm -f` in its pre-start) and after it stops',
  kill: 'the module stops and removes the old container itself before it starts one',
  stop: 'the module stops the container when its unit stops (`docker stop` in preStop)',
  ready: 'it waited for Docker; the module orders the container after docker.service and docker.socket',
  volume: 'Docker creates a named volume the first time a container uses it',
  idFile: 'removed the ID file of the generated unit before the start; the module\'s unit keeps its own',
  stopById: 'the module stops the container when its unit stops (podman: `podman stop --ignore --cidfile=…` of its own ID file in preStop)',
  rmById: 'the module removes the container after it stops (podman: `podman rm -f --ignore --cidfile=…` of its own ID file in postStop)',
} as const;

/** Verbs that mean more than running the container, with the reason the report gives. */
const MORE: Readonly<Record<string, string>> = {
  run: 'runs a second container (to prepare an image or data) before the service\'s own',
  create: 'creates a second container',
  commit: 'builds an image from a container (`docker commit`), which must happen before the service starts',
  build: 'builds an image',
  exec: 'runs a command inside the container',
  cp: 'copies files into or out of a container',
  tag: 'tags an image',
  load: 'loads an image from a file',
  import: 'imports an image',
  login: 'logs in to a registry',
  start: 'starts a container made elsewhere',
};

export function classifyStep(d: Directive, run: RunFacts): Classified {
  const docker = d.exec?.docker;
  if (!docker) {
    if (readinessCheck(d)) return { role: 'housekeeping', reason: REASONS.ready };
    if (run.cidfile !== undefined && d.key === 'ExecStartPre' && removesIdFile(d.exec?.words.map((w) => w.value) ?? [], run.cidfile)) return { role: 'housekeeping', reason: REASONS.idFile };
    return other(d);
  }
  if (globalFlags(docker).length > 0) return { blocked: `${line(d)} talks to another Docker daemon (${globalFlags(docker)[0]!.spelled})`, rank: 1 };
  // `docker pull` around `podman run` (or the reverse) acts on the other engine's images and containers.
  if (docker.engine !== run.invocation.engine) return { blocked: `${line(d)} runs ${docker.engine}, but the container runs with ${run.invocation.engine}`, rank: 1 };
  const verb = docker.verb;
  const targets = docker.args;
  const byId = run.cidfile !== undefined && byIdFile(docker, run.cidfile);
  const sameContainer = (run.name !== undefined && targets.length > 0 && targets.every((t) => t.replace(/^\//, '') === run.name)) || byId;

  if (verb === 'pull') {
    if (d.key !== 'ExecStartPre') return { blocked: `${line(d)} pulls outside the start of the unit`, rank: 1 };
    if (targets.length === 1 && sameImage(targets[0]!, run.image)) return { role: 'pull', reason: 'pulled the image at every start; the container\'s pull policy does it now' };
    return { blocked: `${line(d)} pulls \`${targets.join(' ')}\`, but the unit runs \`${run.image}\``, rank: 3 };
  }
  if (verb === 'rm' || verb === 'kill' || verb === 'stop') {
    if (!sameContainer) return { blocked: `${line(d)} acts on \`${targets.join(' ')}\`, not on the container the unit runs${run.name === undefined ? ' (which has no --name)' : ` (\`${run.name}\`)`}`, rank: 1 };
    if (d.key === 'ExecReload') return { role: 'carried', reason: 'kept as the reload command' };
    if (byId && verb !== 'kill') return { role: 'housekeeping', reason: verb === 'stop' ? REASONS.stopById : REASONS.rmById };
    return { role: 'housekeeping', reason: REASONS[verb] };
  }
  if (verb === 'network create') {
    const net = networkCreate(docker)?.name;
    if (d.key !== 'ExecStartPre' || net === undefined || !run.networks.includes(net)) {
      return { blocked: `${line(d)} creates a network the container does not join`, rank: 1 };
    }
    return { role: 'network', reason: `a oneshot unit creates the network ${net} before the containers that use it`, network: net };
  }
  if (verb === 'volume create') {
    if (docker.flags.some((f) => f.word > docker.verbWord)) return { blocked: `${line(d)} creates a volume with options`, rank: 1 };
    return { role: 'housekeeping', reason: REASONS.volume };
  }
  if (d.key === 'ExecReload' && (verb === 'exec' || verb === 'kill') && docker.args[0] === run.name) {
    if (run.backend !== docker.engine) return { blocked: `${line(d)} reloads with the ${docker.engine} CLI, but the ${run.backend} backend runs the container`, rank: 1 };
    return { role: 'carried', reason: 'kept as the reload command' };
  }
  return { blocked: `${line(d)} ${MORE[verb] ?? `runs \`${docker.engine} ${verb}\``}`, rank: MORE[verb] !== undefined ? 0 : 1 };
}

/** `systemctl is-active docker[.service]`, bare or as the whole `sh -c` payload. */
function readinessCheck(d: Directive): boolean {
  const exec = d.exec;
  if (!exec || exec.words.length === 0) return false;
  let words = exec.words.map((w) => w.value);
  if (exec.shellPayload !== undefined) {
    const script = readShell(words[exec.shellPayload] ?? '');
    const command = script.commands[0];
    if (!script.simple || !command) return false;
    words = command.words.map((w) => w.literal ?? '');
  }
  const program = words[0]?.slice(words[0].lastIndexOf('/') + 1);
  return program === 'systemctl' && words.length === 3 && words[1] === 'is-active' && /^docker(\.service|\.socket)?$/.test(words[2] ?? '');
}

function other(d: Directive): Classified {
  if (d.key === 'ExecReload' || d.key === 'ExecCondition') return { role: 'carried', reason: `kept on the container's unit as ${d.key}=` };
  return { blocked: `${line(d)} does more than run the container`, rank: 2 };
}

/** `nginx` and `docker.io/library/nginx:latest` are one image. */
function sameImage(a: string, b: string): boolean {
  const ra = parseImageReference(a);
  const rb = parseImageReference(b);
  if (!ra || !rb) return a === b;
  return ra.name === rb.name && (ra.tag ?? 'latest') === (rb.tag ?? 'latest') && ra.digest === rb.digest;
}

function line(d: Directive): string {
  const text = d.value.replace(/\s+/g, ' ');
  return `\`${d.key}=${text.length > 70 ? `${text.slice(0, 69)}…` : text}\``;
}
