import type { ContainerSource, NetworkDefinition, StandaloneContainer } from '../../model/container.ts';
import { InputError } from '../../model/diagnostic.ts';
import type { DockerFlag, DockerInvocation } from '../../model/docker.ts';
import type { InputItem, Ledger } from '../../model/ledger.ts';
import type { Origin } from '../../model/origin.ts';
import type { ExecWord } from '../../model/unit.ts';
import { networkCreate } from '../docker/network.ts';
import { isEnabled, lastValue } from '../docker/query.ts';
import { redactSecrets } from '../docker/secrets.ts';
import { engineOf, recognizeDocker } from '../docker/recognize.ts';
import type { Contribution } from '../types.ts';
import { containerNameFromImage, uniqueName } from './names.ts';
import { offsetMapper } from './positions.ts';
import { ShellSyntaxError, splitShell, type ShellCommand } from './split.ts';

/**
 * A shell script or text file with `docker run` lines (or one command given
 * as `--docker-run`): every `docker run`/`docker create` becomes a container
 * without a unit; `docker network create` records a network. `podman` lines
 * are read the same way, with podman's flag table (the invocation's engine
 * says which CLI ran). Every command is a ledger item, so the other commands
 * of a script are reported, not lost.
 */
export function readDockerScript(path: string, text: string, ledger: Ledger, format: 'docker-script' | 'docker-run'): Contribution {
  const at = offsetMapper(path, text);
  let commands: ShellCommand[];
  try {
    commands = splitShell(text, { prompts: format === 'docker-run' || !/^#!/.test(text) });
  } catch (error) {
    if (!(error instanceof ShellSyntaxError)) throw error;
    throw new InputError({ code: 'docker-script/syntax', message: `cannot read the command line: ${error.message}`, origin: at(error.offset), hint: error.hint });
  }

  const containers: StandaloneContainer[] = [];
  const networks: NetworkDefinition[] = [];
  const taken = new Set<string>();
  for (const command of commands) {
    const item = ledger.item('command', label(text, command), at(command.start));
    const program = programIndex(command.words);
    const words = command.words.slice(program);
    if (words.length === 0 || engineOf(words[0]!.value) === undefined) {
      otherCommand(command, words[0]?.value ?? '', item, ledger, format);
      continue;
    }
    reportExpansions(command, at, ledger);
    const invocation = recognizeDocker(words, at, item, ledger);
    if (invocation === undefined) {
      ledger.unsupported(item, 'a docker command without a verb');
      continue;
    }
    if (command.nested) {
      ledger.report(
        'warning',
        'docker-script/conditional',
        `\`${invocation.engine} ${invocation.verb}\` runs inside a conditional, a loop or a function of the script; nixport reads it as if it ran once, unconditionally`,
        item.origin,
        'check that the container should always run',
      );
    }
    if (invocation.verb === 'run' || invocation.verb === 'create') {
      const container = containerOf(invocation, command, program, item, ledger, format, taken, at);
      if (container) containers.push(container);
    } else if (invocation.verb === 'network create') {
      const network = networkOf(invocation, item, ledger);
      if (network) networks.push(network);
    } else {
      housekeeping(invocation, item, ledger);
    }
  }
  return { format, containers, networks };
}

/** What makes the program word: `sudo`, `exec`, `env A=1` and friends run the next word. */
const WRAPPERS = new Set(['sudo', 'exec', 'nohup', 'command', 'time', 'env', 'doas']);

function programIndex(words: readonly ExecWord[]): number {
  let i = 0;
  while (i < words.length && WRAPPERS.has(words[i]!.value)) {
    i++;
    // Options of the wrapper (`sudo -E`) and assignments of `env`.
    while (i < words.length && (/^-/.test(words[i]!.value) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!.value))) i++;
  }
  return i;
}

/** Shell commands that only steer the script itself. */
const SCRIPT_HOUSEKEEPING = new Set(['set', 'echo', 'printf', 'true', ':', 'cd', 'exit', 'source', '.', 'shopt', 'trap', 'wait', 'sleep', 'unset', 'local', 'return', 'shift', 'test', '[', '[[']);

function otherCommand(command: ShellCommand, program: string, item: InputItem, ledger: Ledger, format: string): void {
  const name = program.slice(program.lastIndexOf('/') + 1);
  if (SCRIPT_HOUSEKEEPING.has(name)) {
    ledger.dropped(item, `\`${name}\` only steers the script; nothing of it is part of the host's configuration`);
    return;
  }
  const reason = `\`${name || command.words[0]?.value || ''}\` is not a docker or podman command; nixport carries only the containers of a ${format === 'docker-run' ? 'command line' : 'script'}`;
  ledger.unsupported(item, reason);
  ledger.report('warning', 'docker-script/not-docker', reason, item.origin, 'do what it does the NixOS way by hand (systemd.tmpfiles for directories, a oneshot service for a job)');
}

function reportExpansions(command: ShellCommand, at: (offset: number) => Origin, ledger: Ledger): void {
  for (const r of command.resolved) {
    ledger.report('info', 'docker-script/variable', `\`${r.text}\` is the value the script set earlier`, at(r.offset));
  }
}

function containerOf(
  invocation: DockerInvocation,
  command: ShellCommand,
  program: number,
  item: InputItem,
  ledger: Ledger,
  format: ContainerSource,
  taken: Set<string>,
  at: (offset: number) => Origin,
): StandaloneContainer | undefined {
  const refuse = (reason: string, origin: Origin, hint: string) => {
    ledger.report('error', 'docker-script/not-converted', `${reason}; the container is not converted`, origin, hint);
    ledger.settleTree(item, { kind: 'unsupported', reason });
    return undefined;
  };
  if (invocation.image === undefined) return refuse(`\`${invocation.engine} ${invocation.verb}\` names no image`, item.origin, 'the first word after the flags is the image');
  const imageWord = invocation.imageWord ?? 0;
  const leftOut = new Set<DockerFlag>();
  // Expansions nixport cannot know: the flag that holds one is left out; in the image, name or command the container would be wrong.
  for (const u of command.unresolved) {
    const index = command.words.findIndex((w) => w.offsets.includes(u.offset)) - program;
    if (index < 1) continue;
    const what = u.name !== undefined ? `the variable \`${u.text}\`, which the script does not set` : `\`${u.text}\`, which only running the script can tell`;
    if (index === imageWord) return refuse(`the image is ${what}`, at(u.offset), 'write the image literally');
    if (index > imageWord) return refuse(`the container's command uses ${what}`, at(u.offset), 'write the arguments literally');
    const flag = invocation.flags.find((f) => f.word === index) ?? invocation.flags.find((f) => f.word === index - 1 && f.value !== undefined);
    if (flag?.name === '--name') return refuse(`the container's name is ${what}`, at(u.offset), 'write the name literally');
    const reason = `its value uses ${what}`;
    ledger.report('error', 'docker-script/unresolved', `\`${flag?.spelled ?? u.text}\` is not converted: ${reason}`, at(u.offset), 'write the value literally, or set the variable earlier in the script');
    if (flag) {
      ledger.unsupported(flag.item, reason);
      leftOut.add(flag);
    }
  }
  const detached = isEnabled(invocation, '--detach');
  if (format === 'docker-script' && invocation.verb === 'run' && !detached && isEnabled(invocation, '--rm') && lastValue(invocation, '--restart') === undefined) {
    const reason = 'a one-off command (`--rm` in the foreground, no -d): it runs to completion and is not a long-running container';
    ledger.settleTree(item, { kind: 'unsupported', reason });
    ledger.report('warning', 'docker-script/one-off', `${reason}; not converted`, item.origin, 'if it must run at boot, make it a oneshot service by hand');
    return undefined;
  }
  const given = invocation.containerName?.replace(/^\//, '');
  const name = given ?? uniqueName(containerNameFromImage(invocation.image), taken);
  if (taken.has(name) && given !== undefined) {
    const reason = `another command of this input already runs a container named \`${name}\`; ${invocation.engine === 'podman' ? 'podman' : 'Docker'} would refuse this one`;
    ledger.settleTree(item, { kind: 'dropped', reason });
    ledger.report('warning', 'docker-script/same-name', reason, item.origin);
    return undefined;
  }
  taken.add(name);
  return { name, source: format, invocation, item, nameGuessed: given === undefined, ...(leftOut.size > 0 ? { leftOut } : {}) };
}

function networkOf(invocation: DockerInvocation, item: InputItem, ledger: Ledger): NetworkDefinition | undefined {
  const network = networkCreate(invocation);
  if (network === undefined) {
    const what = `\`${invocation.engine} network create\` names no network`;
    ledger.settleTree(item, { kind: 'unsupported', reason: what });
    ledger.report('warning', 'docker-script/network', `${what}; not read`, item.origin);
    return undefined;
  }
  // Settled by the oci strategy, which creates the network where a container joins it.
  return { name: network.name, options: network.options, item };
}

/** Verbs a script runs around its containers: the oci-containers units do the same, or nothing needs them. */
const HOUSEKEEPING: Readonly<Record<string, string>> = {
  pull: 'the container\'s unit pulls its image when it is missing (or always, with pull = "always")',
  rm: 'the container\'s unit removes the old container before it starts one',
  kill: 'the container\'s unit stops and removes the old container itself',
  stop: 'the container\'s unit stops the container when it is stopped',
  start: 'the container\'s unit starts the container',
  restart: 'restart the container\'s unit instead',
  'volume create': 'Docker creates a named volume the first time a container uses it',
  wait: 'nothing waits for the container in a NixOS configuration',
};

function housekeeping(invocation: DockerInvocation, item: InputItem, ledger: Ledger): void {
  const reason = HOUSEKEEPING[invocation.verb];
  const options = invocation.flags.some((f) => f.word > invocation.verbWord);
  if (reason !== undefined && !(invocation.verb === 'volume create' && options)) {
    ledger.settleTree(item, { kind: 'dropped', reason });
    return;
  }
  const why = `\`${invocation.engine} ${invocation.verb}\` is not part of running a container; nixport does not carry it`;
  ledger.settleTree(item, { kind: 'unsupported', reason: why });
  ledger.report('warning', 'docker-script/other-verb', why, item.origin, 'do it by hand, once, or as a oneshot service');
}

function label(text: string, command: ShellCommand): string {
  // Only the start is shown; long commands are cut before the blanks are squeezed.
  const head = text.slice(command.start, Math.min(command.end, command.start + 160));
  const written = redactSecrets(head.replace(/\\\n/g, ' ').replace(/\s+/g, ' ').trim());
  return written.length > 60 ? `${written.slice(0, 59)}…` : written;
}
