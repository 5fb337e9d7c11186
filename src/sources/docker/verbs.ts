import type { FlagIndex, FlagSpec } from './flag-spec.ts';
import { indexFlags } from './flag-spec.ts';
import { PODMAN_RUN_FLAGS } from './podman-flags.ts';
import { RUN_FLAGS } from './run-flags.ts';

/**
 * The Docker CLI verbs nixport knows the flags of: `run`/`create` with the
 * full table, and the housekeeping verbs units wrap around them
 * (`ExecStartPre=-docker rm smb`). From docker/cli `cli/command/container/*.go`
 * and `cli/command/image/{pull,push,remove}.go`. Other verbs are parsed
 * leniently: flags are assumed to take no value unless written `--flag=value`.
 */
export interface VerbSpec {
  readonly verb: string;
  /**
   * Whether flags may follow positional words (`docker rm smb -f`). `run`,
   * `create`, `exec` and `commit` stop at the first one, because what follows
   * is a command line for the container (or the image name).
   */
  readonly interspersed: boolean;
  readonly flags: readonly FlagSpec[];
  readonly description: string;
}

const signal: FlagSpec = { name: '--signal', short: '-s', type: 'string', repeatable: false, description: 'Signal to send to the container' };
const stopTimeout: FlagSpec = {
  name: '--timeout',
  short: '-t',
  aliases: ['--time'],
  type: 'int',
  repeatable: false,
  description: 'Seconds to wait before killing the container (`--time` is the deprecated spelling)',
};
const detachKeys: FlagSpec = { name: '--detach-keys', type: 'string', repeatable: false, description: 'Key sequence that detaches from the container' };
const contentTrust: FlagSpec = {
  name: '--disable-content-trust',
  type: 'bool',
  repeatable: false,
  status: 'deprecated',
  note: 'Docker removed client-side content trust; the flag does nothing',
  description: 'Skip image signature verification',
};

export const VERBS: readonly VerbSpec[] = [
  { verb: 'run', interspersed: false, flags: RUN_FLAGS, description: 'Create and start a container from an image' },
  // create reads run's whole table, so a run-only flag (`-d`) keeps its arity; the recognizer reports it.
  { verb: 'create', interspersed: false, flags: RUN_FLAGS, description: 'Create a container from an image without starting it' },
  {
    verb: 'start',
    interspersed: true,
    description: 'Start stopped containers (in the foreground with --attach)',
    flags: [
      { name: '--attach', short: '-a', type: 'bool', repeatable: false, description: 'Attach stdout/stderr and forward signals' },
      { name: '--interactive', short: '-i', type: 'bool', repeatable: false, description: 'Attach stdin' },
      detachKeys,
      { name: '--checkpoint', type: 'string', repeatable: false, status: 'experimental', description: 'Restore from this checkpoint' },
      { name: '--checkpoint-dir', type: 'string', repeatable: false, status: 'experimental', description: 'Directory checkpoints are stored in' },
    ],
  },
  { verb: 'stop', interspersed: true, flags: [signal, stopTimeout], description: 'Stop running containers' },
  { verb: 'restart', interspersed: true, flags: [signal, stopTimeout], description: 'Restart containers' },
  { verb: 'kill', interspersed: true, flags: [signal], description: 'Kill running containers' },
  {
    verb: 'rm',
    interspersed: true,
    description: 'Remove containers',
    flags: [
      { name: '--force', short: '-f', type: 'bool', repeatable: false, description: 'Remove a running container too (with SIGKILL)' },
      { name: '--link', short: '-l', type: 'bool', repeatable: false, description: 'Remove the named link' },
      { name: '--volumes', short: '-v', type: 'bool', repeatable: false, description: 'Remove the container\'s anonymous volumes' },
    ],
  },
  {
    verb: 'exec',
    interspersed: false,
    description: 'Run a command in a running container',
    flags: [
      { name: '--detach', short: '-d', type: 'bool', repeatable: false, description: 'Run the command in the background' },
      detachKeys,
      { name: '--env', short: '-e', type: 'list', repeatable: true, description: 'Set an environment variable' },
      { name: '--env-file', type: 'list', repeatable: true, description: 'Read environment variables from a file' },
      { name: '--interactive', short: '-i', type: 'bool', repeatable: false, description: 'Keep stdin open' },
      { name: '--privileged', type: 'bool', repeatable: false, description: 'Give the command extended privileges' },
      { name: '--tty', short: '-t', type: 'bool', repeatable: false, description: 'Allocate a pseudo-terminal' },
      { name: '--user', short: '-u', type: 'string', repeatable: false, description: 'User the command runs as' },
      { name: '--workdir', short: '-w', type: 'string', repeatable: false, description: 'Working directory of the command' },
    ],
  },
  {
    verb: 'logs',
    interspersed: true,
    description: 'Print a container\'s logs',
    flags: [
      { name: '--details', type: 'bool', repeatable: false, description: 'Show extra details' },
      { name: '--follow', short: '-f', type: 'bool', repeatable: false, description: 'Keep following the log' },
      { name: '--since', type: 'string', repeatable: false, description: 'Show logs since a time' },
      { name: '--tail', short: '-n', type: 'string', repeatable: false, description: 'Number of lines from the end' },
      { name: '--timestamps', short: '-t', type: 'bool', repeatable: false, description: 'Show timestamps' },
      { name: '--until', type: 'string', repeatable: false, description: 'Show logs before a time' },
    ],
  },
  { verb: 'wait', interspersed: true, flags: [], description: 'Block until containers stop, then print their exit codes' },
  { verb: 'pause', interspersed: true, flags: [], description: 'Pause the processes of containers' },
  { verb: 'unpause', interspersed: true, flags: [], description: 'Resume paused containers' },
  {
    verb: 'commit',
    interspersed: false,
    description: 'Create an image from a container\'s changes',
    flags: [
      { name: '--author', short: '-a', type: 'string', repeatable: false, description: 'Author of the image' },
      { name: '--change', short: '-c', type: 'list', repeatable: true, description: 'Dockerfile instruction to apply' },
      { name: '--message', short: '-m', type: 'string', repeatable: false, description: 'Commit message' },
      { name: '--no-pause', type: 'bool', repeatable: false, description: 'Do not pause the container while committing' },
      { name: '--pause', short: '-p', type: 'bool', repeatable: false, status: 'deprecated', note: 'Use --no-pause', description: 'Pause the container while committing' },
    ],
  },
  {
    verb: 'attach',
    interspersed: true,
    description: 'Attach to a running container',
    flags: [
      detachKeys,
      { name: '--no-stdin', type: 'bool', repeatable: false, description: 'Do not attach stdin' },
      { name: '--sig-proxy', type: 'bool', repeatable: false, description: 'Forward received signals to the container' },
    ],
  },
  {
    verb: 'inspect',
    interspersed: true,
    description: 'Print low-level information on objects',
    flags: [
      { name: '--format', short: '-f', type: 'string', repeatable: false, description: 'Go template for the output' },
      { name: '--size', short: '-s', type: 'bool', repeatable: false, description: 'Show file sizes' },
      { name: '--type', type: 'string', repeatable: false, description: 'Object type to inspect' },
    ],
  },
  {
    verb: 'pull',
    interspersed: true,
    description: 'Download an image',
    flags: [
      { name: '--all-tags', short: '-a', type: 'bool', repeatable: false, description: 'Download every tag of the repository' },
      contentTrust,
      { name: '--platform', type: 'string', repeatable: false, description: 'Platform to pull' },
      { name: '--quiet', short: '-q', type: 'bool', repeatable: false, description: 'Do not print progress' },
    ],
  },
  {
    verb: 'push',
    interspersed: true,
    description: 'Upload an image',
    flags: [
      { name: '--all-tags', short: '-a', type: 'bool', repeatable: false, description: 'Push every tag of the repository' },
      contentTrust,
      { name: '--platform', type: 'string', repeatable: false, description: 'Platform variant to push' },
      { name: '--quiet', short: '-q', type: 'bool', repeatable: false, description: 'Do not print progress' },
    ],
  },
  {
    verb: 'rmi',
    interspersed: true,
    description: 'Remove images',
    flags: [
      { name: '--force', short: '-f', type: 'bool', repeatable: false, description: 'Remove the image even if in use' },
      { name: '--no-prune', type: 'bool', repeatable: false, description: 'Keep untagged parents' },
      { name: '--platform', type: 'stringSlice', repeatable: true, description: 'Remove only these platform variants' },
    ],
  },
];

const verbs = new Map(VERBS.map((spec) => [spec.verb, { spec, index: indexFlags(spec.flags) }] as const));

export function verbSpec(verb: string): { readonly spec: VerbSpec; readonly index: FlagIndex } | undefined {
  return verbs.get(verb);
}

/** Flags podman's housekeeping verbs add to Docker's (`podman rm --ignore`, `podman stop --cidfile`). */
const ignore: FlagSpec = { name: '--ignore', short: '-i', type: 'bool', repeatable: false, description: 'Ignore a container that does not exist' };
const all: FlagSpec = { name: '--all', short: '-a', type: 'bool', repeatable: false, description: 'Act on every container' };
const cidfile: FlagSpec = { name: '--cidfile', type: 'list', repeatable: true, description: 'Read the container ID from this file' };
const time: FlagSpec = { name: '--time', short: '-t', type: 'int', repeatable: false, description: 'Seconds to wait before killing the container' };
const PODMAN_EXTRA: Readonly<Record<string, readonly FlagSpec[]>> = {
  rm: [ignore, all, cidfile, time, { name: '--depend', type: 'bool', repeatable: false, description: 'Also remove the containers that depend on it' }],
  stop: [ignore, all, cidfile],
  kill: [all, cidfile],
  restart: [all, cidfile],
  pull: ['--arch', '--os', '--variant', '--authfile', '--cert-dir', '--creds', '--retry', '--retry-delay', '--decryption-key'].map(
    (name): FlagSpec => ({ name, type: 'string', repeatable: false, description: `As \`podman run ${name}\`` }),
  ).concat([{ name: '--tls-verify', type: 'bool', repeatable: false, description: 'Verify the registry\'s TLS certificate' }]),
};

/**
 * podman's verbs: Docker's, with `podman run`'s own table and the extra flags
 * of its housekeeping verbs (`cmd/podman/containers/{rm,stop,kill}.go`,
 * `images/pull.go`). podman's `rm` has no `-l`: it has no links.
 */
const podmanVerbs = new Map(
  VERBS.map((spec) => {
    const flags =
      spec.verb === 'run' || spec.verb === 'create'
        ? PODMAN_RUN_FLAGS
        : [...spec.flags.filter((f) => !(spec.verb === 'rm' && f.name === '--link')), ...(PODMAN_EXTRA[spec.verb] ?? [])];
    const podman: VerbSpec = { ...spec, flags };
    return [spec.verb, { spec: podman, index: indexFlags(flags) }] as const;
  }),
);

export function podmanVerbSpec(verb: string): { readonly spec: VerbSpec; readonly index: FlagIndex } | undefined {
  return podmanVerbs.get(verb);
}

/**
 * Management commands whose subcommand is the real verb. `container X` and a
 * few `image X` are the long spellings of top-level verbs and normalise to
 * them; the others keep both words (`network create`).
 */
const MANAGEMENT_GROUPS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  container: { ls: 'ps', list: 'ps', remove: 'rm', prune: 'container prune' },
  image: { pull: 'pull', push: 'push', rm: 'rmi', remove: 'rmi', ls: 'images', list: 'images', tag: 'tag', build: 'build', inspect: 'inspect' },
  builder: {},
  buildx: {},
  checkpoint: {},
  compose: {},
  config: {},
  context: {},
  manifest: {},
  network: {},
  node: {},
  plugin: {},
  secret: {},
  service: {},
  stack: {},
  swarm: {},
  system: {},
  trust: {},
  volume: {},
};

/** podman's groups that Docker lacks (`podman pod create`, `podman generate systemd`). */
const PODMAN_GROUPS = new Set(['pod', 'kube', 'generate', 'play', 'machine', 'healthcheck', 'artifact', 'farm', 'quadlet']);

export function isManagementGroup(word: string, engine: 'docker' | 'podman' = 'docker'): boolean {
  return Object.hasOwn(MANAGEMENT_GROUPS, word) || (engine === 'podman' && PODMAN_GROUPS.has(word));
}

/** `container run` -> `run`; `image rm` -> `rmi`; `network create` stays. */
export function normaliseVerb(group: string, sub: string): string {
  const aliases = MANAGEMENT_GROUPS[group];
  // podman's own groups (`pod create`) keep both words.
  if (aliases === undefined) return `${group} ${sub}`;
  const alias = aliases[sub];
  if (alias !== undefined) return alias;
  return group === 'container' ? sub : `${group} ${sub}`;
}
