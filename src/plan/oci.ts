import type { StandaloneContainer } from '../model/container.ts';
import type { DockerFlag, DockerInvocation } from '../model/docker.ts';
import type { Ledger } from '../model/ledger.ts';
import { directivesOf, lastValue, unitStem, type Directive, type Unit } from '../model/unit.ts';
import { ociFlag, ociMapping } from '../sources/docker/oci-flags.ts';
import { flagsNamed, globalFlags } from '../sources/docker/query.ts';
import { podmanOnlyValue } from '../sources/docker/podman-flags.ts';
import { expandWord } from './expand.ts';
import { classifyStep } from './housekeeping.ts';
import { generatedHousekeeping } from './podman-generated.ts';
import type { Backend, ContainerPlan, PlannedStep } from './types.ts';

/**
 * Whether a service can move to virtualisation.oci-containers (stage 2),
 * and how: its unit must do nothing but run one container, with the usual
 * housekeeping around it. Anything more (a second container that prepares
 * an image, `docker commit`, shell pipelines, a flag whose meaning would
 * change) keeps it at stage 1, and the reason goes to the report: never a
 * half translation.
 */
export type OciVerdict = { readonly ok: true; readonly plan: ContainerPlan } | { readonly ok: false; readonly reason: string; readonly container: boolean };

/** The values of podman.sdnotify (docs/nixos-facts.md §16). */
const SDNOTIFY = new Set(['conmon', 'healthy', 'container']);

/** [Service] settings the podman backend's unit sets itself (User= runs rootless podman). */
const PODMAN_OWNED = ['User', 'Group', 'RuntimeDirectory', 'NotifyAccess', 'Delegate'];
const TYPES = new Set(['simple', 'exec', 'oneshot', 'forking']);
/** Networks that are modes of Docker, not networks someone created. */
export const BUILTIN_NETWORKS = new Set(['host', 'none', 'bridge', 'default']);

export function planUnitContainer(units: readonly Unit[], backend: Backend, ledger: Ledger): OciVerdict {
  const no = (reason: string, container = true): OciVerdict => ({ ok: false, reason, container });
  const services = units.filter((u) => u.type === 'service');
  const owner = services[0];
  if (!owner || !owner.directives.some((d) => d.exec?.docker)) {
    const wrapped = owner?.directives.find((d) => d.exec && /\b(docker|podman)\b/.test(d.value));
    if (wrapped) return no(`its \`${wrapped.key}=\` runs ${/\bpodman\b/.test(wrapped.value) ? 'podman' : 'docker'} inside another command (a shell, a wrapper), which oci-containers cannot declare`);
    return no('it runs no container (a plain systemd unit)', false);
  }
  if (services.length > 1) return no('it groups several services');
  if (owner.name.includes('@')) return no('a template unit runs one container per instance; oci-containers declares each container by name');
  if (owner.activation.mask?.value) return no('the unit is masked');
  if (!owner.hasBody) return no('only drop-ins were given: they amend a unit the old OS shipped');
  const socket = units.find((u) => u.type === 'socket');
  if (socket) return no(`${socket.name} hands a socket to the unit, which a container started by oci-containers cannot take over`);

  const starts = directivesOf(owner, 'Service', 'ExecStart').filter((d) => (d.exec?.words.length ?? 0) > 0);
  if (starts.length !== 1) return no(`it has ${starts.length} ExecStart= lines; a container's unit has one`);
  const run = starts[0]!;
  const docker = run.exec?.docker;
  if (!docker) return no('its ExecStart= runs docker inside another command (a shell, a wrapper)');
  const cli = docker.engine;
  if (docker.verb !== 'run') return no(`its ExecStart= runs \`${cli} ${docker.verb}\`, not \`${cli} run\``);
  const global = globalFlags(docker)[0];
  if (global) {
    return no(cli === 'docker' ? `its \`docker run\` talks to another Docker daemon (${global.spelled})` : `its \`podman run\` sets up podman itself (${global.spelled}), which the module's command line cannot`);
  }
  if (docker.image === undefined) return no(`its \`${cli} run\` names no image`);

  // `podman generate systemd --new` wraps the run in housekeeping of its own (Type=notify, --cidfile, ...): the module does the same.
  const generated = generatedHousekeeping(owner, docker);
  const type = lastValue(owner, 'Service', 'Type')?.value ?? 'simple';
  if (!TYPES.has(type) && !generated) return no(`Type=${type} has no meaning for a container's unit`);
  if (backend === 'podman') {
    const owned = owner.directives.find((d) => d.section === 'Service' && PODMAN_OWNED.includes(d.key) && !generated?.directives.has(d));
    if (owned) return no(`${owned.key}= conflicts with the podman backend, whose unit sets it (podman.user runs rootless containers)`);
  }

  const skipped = new Set(generated?.flags.keys());
  const flagProblem = flagBlocker(docker, backend, ledger, skipped);
  if (flagProblem) return no(flagProblem);

  const environment = environmentOf(owner);
  const expanded = expandAll(docker, environment, owner.name, skipped);
  if ('reason' in expanded) return no(expanded.reason);

  const written = writtenName(docker, expanded.values);
  const networks = flagsNamed(docker, '--network')
    .map((f) => expanded.values.get(f) ?? f.value ?? '')
    .filter((n) => !BUILTIN_NETWORKS.has(n) && !n.startsWith('container:'));
  const steps: PlannedStep[] = [];
  const blocked: { readonly reason: string; readonly rank: number }[] = [];
  for (const d of owner.directives) {
    if (!d.exec || d === run || d.exec.words.length === 0) continue;
    const c = classifyStep(d, { invocation: docker, ...(written !== undefined ? { name: written } : {}), image: expanded.image, networks, backend, ...(generated ? { cidfile: generated.cidfile } : {}) });
    if ('blocked' in c) blocked.push({ reason: c.blocked, rank: c.rank });
    else steps.push({ directive: d, role: c.role, reason: c.reason });
  }
  if (blocked.length > 0) {
    // The line that says most about why comes first (a second container or `docker commit` over a pull it explains).
    const [first] = [...blocked].sort((a, b) => a.rank - b.rank);
    return no(blocked.length === 1 ? first!.reason : `${first!.reason} (and ${blocked.length - 1} more line(s) besides running the container)`);
  }

  const plan = unitContainerPlan({ units, owner, run, docker, expanded, environment, steps, written });
  return { ok: true, plan: generated ? { ...plan, generated } : plan };
}

/** A container from a script, `--docker-run` or `docker inspect`: no unit, so only its flags can stand in the way. */
export function planStandaloneContainer(container: StandaloneContainer, backend: Backend, ledger: Ledger): OciVerdict {
  const docker = container.invocation;
  const problem = flagBlocker(docker, backend, ledger, container.leftOut);
  if (problem) return { ok: false, reason: problem, container: true };
  return {
    ok: true,
    plan: {
      name: container.name,
      invocation: docker,
      image: docker.image ?? '',
      args: docker.args,
      values: new Map(),
      steps: [],
      activators: [],
      environment: new Map(),
      standalone: container,
    },
  };
}

/** A flag that keeps the container at stage 1, as the reason; undefined when every flag can move. */
function flagBlocker(docker: DockerInvocation, backend: Backend, ledger: Ledger, leftOut: ReadonlySet<DockerFlag> = new Set()): string | undefined {
  for (const flag of docker.flags) {
    if (flag.word < docker.verbWord || leftOut.has(flag)) continue;
    const fate = ledger.fate(flag.item);
    if (fate?.kind === 'unsupported') return `\`${flag.item.label}\` could not be read (${fate.reason})`;
    const spec = ociFlag(flag.name);
    if (!spec) {
      // An unknown flag goes to extraOptions only when its value (or lack of one) is certain.
      if (flag.value === undefined) return `\`${flag.spelled}\` is no ${docker.engine} run flag nixport knows, so it cannot tell whether the next word is its value; write \`${flag.spelled}=VALUE\` (or \`=true\`)`;
      continue;
    }
    const mapping = ociMapping(spec, backend);
    if (mapping.kind === 'stage1') return `\`${flag.item.label}\`: ${mapping.reason}`;
    const podmanValue = backend === 'docker' && docker.engine === 'podman' && flag.value !== undefined ? podmanOnlyValue(flag.name, flag.value) : undefined;
    if (podmanValue !== undefined) return `\`${flag.item.label}\`: ${podmanValue}, and the docker backend runs Docker; use --backend podman`;
    if (backend === 'podman' && flag.name === '--sdnotify' && !SDNOTIFY.has(flag.value ?? '')) {
      return `\`${flag.item.label}\`: the podman backend's unit is Type=notify and podman.sdnotify takes conmon, healthy or container`;
    }
  }
  return undefined;
}

/** The unit's Environment= variables; a later assignment wins, as in systemd. */
export function environmentOf(unit: Unit): Map<string, string> {
  const env = new Map<string, string>();
  for (const d of unit.directives) {
    if (d.section !== 'Service' || d.key !== 'Environment') continue;
    for (const a of d.assignments ?? []) env.set(a.name, a.value);
  }
  return env;
}

/** The container's `--name` after expansion, without the `/` Docker accepts before it. */
export function writtenName(docker: DockerInvocation, values: ReadonlyMap<DockerFlag, string>): string | undefined {
  return docker.containerName === undefined ? undefined : (values.get(nameFlag(docker)!) ?? docker.containerName).replace(/^\//, '');
}

/** The plan of a container a unit runs, once its other lines are classified (stage 2 and stage 3 alike). */
export function unitContainerPlan(parts: {
  readonly units: readonly Unit[];
  readonly owner: Unit;
  readonly run: Directive;
  readonly docker: DockerInvocation;
  readonly expanded: Expanded;
  readonly environment: ReadonlyMap<string, string>;
  readonly steps: readonly PlannedStep[];
  readonly written: string | undefined;
}): ContainerPlan {
  const { units, owner, run, docker, expanded, environment, steps, written } = parts;
  return {
    name: written ?? unitStem(owner.name),
    invocation: docker,
    image: expanded.image,
    args: expanded.args,
    values: expanded.values,
    unit: owner,
    run,
    steps,
    activators: units.filter((u) => u.type === 'timer' || u.type === 'path'),
    environment,
  };
}

export function nameFlag(docker: DockerInvocation): DockerFlag | undefined {
  return flagsNamed(docker, '--name').at(-1);
}

/** A container's image, command and flag values after systemd's expansion. */
export interface Expanded {
  readonly image: string;
  readonly args: string[];
  readonly values: Map<DockerFlag, string>;
}

export function expandAll(
  docker: DockerInvocation,
  env: ReadonlyMap<string, string>,
  unit: string,
  skipped: ReadonlySet<DockerFlag> = new Set(),
): Expanded | { readonly reason: string } {
  const values = new Map<DockerFlag, string>();
  for (const flag of docker.flags) {
    // Flags that are dropped (the generator's `--cidfile=%t/%n.ctr-id`) need no value on the new host.
    if (flag.value === undefined || skipped.has(flag)) continue;
    const e = expandWord(flag.value, env, unit);
    if (!e.ok) return { reason: `\`${flag.spelled}\`: ${e.reason}` };
    if (e.changed) values.set(flag, e.value);
  }
  const image = expandWord(docker.image ?? '', env, unit);
  if (!image.ok) return { reason: `the image: ${image.reason}` };
  const args: string[] = [];
  for (const a of docker.args) {
    const e = expandWord(a, env, unit);
    if (!e.ok) return { reason: `the container's command: ${e.reason}` };
    args.push(e.value);
  }
  return { image: image.value, args, values };
}
