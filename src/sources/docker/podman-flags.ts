import type { FlagSpec } from './flag-spec.ts';
import { RUN_FLAGS, type RunFlagSpec } from './run-flags.ts';
import { podmanOnlyMountType } from './volumes.ts';

/**
 * `podman run` and `podman create` (containers/podman `cmd/podman/common/
 * create.go`, `netflags.go`, `containers/run.go`; docs/source/markdown/
 * podman-run.1.md.in and options/*.md). Podman reads Docker's flags with the
 * same spellings and arity, less the few below, plus its own: pods, user
 * namespaces mapped by hand, systemd mode, secrets, and more. Fedora CoreOS
 * units run containers this way.
 */

/** Docker flags `podman run` does not define (it refuses them), with why. */
export const DOCKER_ONLY_FLAGS: Readonly<Record<string, string>> = {
  '--cpu-count': 'a Windows-container flag',
  '--cpu-percent': 'a Windows-container flag',
  '--io-maxbandwidth': 'a Windows-container flag',
  '--io-maxiops': 'a Windows-container flag',
  '--isolation': 'a Windows-container flag',
  '--domainname': 'podman has no NIS domain name flag',
  '--link': 'podman has no container links; containers on one network find each other by name',
  '--link-local-ip': 'podman documents it as not implemented',
  '--volume-driver': 'podman has no volume-driver flag on run',
  '--runtime': 'with podman it is a flag of `podman` itself (`podman --runtime=crun run ...`)',
  '--storage-opt': 'with podman it is a flag of `podman` itself',
  '--use-api-socket': 'a Docker feature',
  '--health-start-interval': 'podman\'s startup checks are --health-startup-*',
  '--cpuset': 'removed from Docker long ago; podman never had it',
  '--lxc-conf': 'removed from Docker long ago; podman never had it',
  '--networking': 'removed from Docker long ago; podman never had it',
};

const f = (
  name: string,
  type: RunFlagSpec['type'],
  group: RunFlagSpec['group'],
  description: string,
  extra: Partial<Pick<RunFlagSpec, 'runOnly' | 'repeatable' | 'aliases'>> = {},
): RunFlagSpec => ({ name, type, repeatable: type === 'list' || type === 'map', group, description, ...extra });

/** Flags of `podman run`/`create` Docker does not have. */
export const PODMAN_ONLY_FLAGS: readonly RunFlagSpec[] = [
  f('--arch', 'string', 'cli', 'Architecture of the image to pull (instead of the host\'s)', { aliases: ['--override-arch'] }),
  f('--authfile', 'string', 'cli', 'Registry credentials file for the pull'),
  f('--cert-dir', 'string', 'cli', 'Directory of registry certificates for the pull'),
  f('--cgroup-conf', 'list', 'resources', 'cgroup v2 setting (KEY=VALUE)'),
  f('--cgroups', 'string', 'runtime', 'Whether and how the container gets a cgroup (enabled, disabled, no-conmon, split)'),
  f('--chrootdirs', 'list', 'storage', 'Path inside the container treated as a chroot directory'),
  f('--conmon-pidfile', 'string', 'cli', 'File the conmon process ID is written to'),
  f('--creds', 'string', 'cli', 'Registry credentials for the pull (user[:password])'),
  f('--decryption-key', 'list', 'cli', 'Key to decrypt an encrypted image'),
  f('--env-host', 'bool', 'process', 'Pass the whole environment of the podman command to the container'),
  f('--env-merge', 'list', 'process', 'Combine an environment variable with the image\'s (NAME=${NAME}...)'),
  f('--gidmap', 'list', 'security', 'Map group IDs of the container onto the host\'s'),
  f('--group-entry', 'string', 'security', 'Entry to add to the container\'s /etc/group'),
  f('--health-log-destination', 'string', 'health', 'Where health check logs go'),
  f('--health-max-log-count', 'int', 'health', 'Health check results kept'),
  f('--health-max-log-size', 'int', 'health', 'Characters of health check output kept'),
  f('--health-on-failure', 'string', 'health', 'What to do when the container turns unhealthy (none, kill, restart, stop)'),
  f('--health-startup-cmd', 'string', 'health', 'Command that checks whether the container has started'),
  f('--health-startup-interval', 'duration', 'health', 'Time between startup checks'),
  f('--health-startup-retries', 'int', 'health', 'Failed startup checks before the container is restarted'),
  f('--health-startup-success', 'int', 'health', 'Passed startup checks before the regular checks begin'),
  f('--health-startup-timeout', 'duration', 'health', 'Longest time one startup check may take'),
  f('--hosts-file', 'string', 'network', 'Base file for the container\'s /etc/hosts (a path, none or image)'),
  f('--hostuser', 'list', 'security', 'Host user to add to the container\'s /etc/passwd'),
  f('--http-proxy', 'bool', 'process', 'Pass the host\'s proxy variables into the container (on by default)'),
  f('--image-volume', 'string', 'storage', 'What becomes of the image\'s VOLUMEs (bind, tmpfs, ignore)'),
  f('--init-path', 'string', 'runtime', 'Path of the init binary --init runs'),
  f('--no-hostname', 'bool', 'network', 'Do not write /etc/hostname in the container'),
  f('--no-hosts', 'bool', 'network', 'Do not write /etc/hosts in the container'),
  f('--os', 'string', 'cli', 'Operating system of the image to pull (instead of the host\'s)', { aliases: ['--override-os'] }),
  f('--passwd', 'bool', 'security', 'Add entries for --user to /etc/passwd and /etc/group (on by default)', { runOnly: true }),
  f('--passwd-entry', 'string', 'security', 'Entry to add to the container\'s /etc/passwd'),
  f('--personality', 'string', 'runtime', 'Execution domain (LINUX, LINUX32)'),
  f('--pidfile', 'string', 'cli', 'File the container\'s process ID is written to'),
  f('--pod', 'string', 'runtime', 'Pod to run the container in (new:<name> makes one)'),
  f('--pod-id-file', 'string', 'runtime', 'File holding the ID of the pod to run the container in'),
  f('--preserve-fd', 'list', 'process', 'Pass these open file descriptors to the container', { runOnly: true }),
  f('--preserve-fds', 'int', 'process', 'Pass this many open file descriptors (after 2) to the container', { runOnly: true }),
  f('--rdt-class', 'string', 'resources', 'Intel RDT class of service'),
  f('--read-only-tmpfs', 'bool', 'security', 'With --read-only, mount tmpfs on /dev, /dev/shm, /run, /tmp, /var/tmp (on by default)'),
  f('--replace', 'bool', 'runtime', 'Remove an existing container of the same name first'),
  f('--requires', 'list', 'runtime', 'Containers that must run before this one (comma-separated)'),
  f('--retry', 'int', 'cli', 'Pull attempts before giving up'),
  f('--retry-delay', 'duration', 'cli', 'Wait between pull attempts'),
  f('--rmi', 'bool', 'runtime', 'Remove the image when the container exits (implies --rm)', { runOnly: true }),
  f('--rootfs', 'bool', 'storage', 'The image argument is an exploded root file system on the host'),
  f('--sdnotify', 'string', 'runtime', 'Who tells systemd the container is ready (container, conmon, healthy, ignore)'),
  f('--seccomp-policy', 'string', 'security', 'Where the seccomp profile comes from (default, image)'),
  f('--secret', 'list', 'security', 'Podman secret to expose as a file or (type=env) an environment variable'),
  f('--shm-size-systemd', 'bytes', 'resources', 'Size of the tmpfs on /run, /run/lock, /var/log/journal, /tmp in systemd mode'),
  f('--subgidname', 'string', 'security', 'Map group IDs with this name\'s range from /etc/subgid'),
  f('--subuidname', 'string', 'security', 'Map user IDs with this name\'s range from /etc/subuid'),
  f('--systemd', 'string', 'runtime', 'Run the container in systemd mode (true, false, always)'),
  f('--timeout', 'int', 'runtime', 'Seconds the container may run before podman stops it'),
  f('--tls-verify', 'bool', 'cli', 'Verify the registry\'s TLS certificate on pull (on by default)'),
  f('--tz', 'string', 'process', 'Time zone of the container (local, or a zoneinfo name)'),
  f('--uidmap', 'list', 'security', 'Map user IDs of the container onto the host\'s'),
  f('--umask', 'string', 'process', 'umask of the container\'s process'),
  f('--unsetenv', 'list', 'process', 'Drop a default environment variable (of the image or podman)'),
  f('--unsetenv-all', 'bool', 'process', 'Drop every default environment variable'),
  f('--variant', 'string', 'cli', 'Variant of the image to pull (arm/v7)', { aliases: ['--override-variant'] }),
];

const PODMAN_ONLY = new Set(PODMAN_ONLY_FLAGS.map((spec) => spec.name));

export function isPodmanOnlyFlag(name: string): boolean {
  return PODMAN_ONLY.has(name);
}

/** podman's utils.AliasFlags: the healthcheck flags' old names. */
const HEALTH_ALIASES: Readonly<Record<string, string>> = {
  '--health-cmd': '--healthcheck-command',
  '--health-interval': '--healthcheck-interval',
  '--health-retries': '--healthcheck-retries',
  '--health-start-period': '--healthcheck-start-period',
  '--health-timeout': '--healthcheck-timeout',
};

/**
 * The table `podman run`/`create` is read with: Docker's entries podman
 * refuses are kept (so their arity still places the image) but marked
 * removed with the reason; `--dns-opt` and `--healthcheck-*` are podman's
 * old spellings.
 */
export const PODMAN_RUN_FLAGS: readonly RunFlagSpec[] = [
  ...RUN_FLAGS.map((spec): RunFlagSpec => {
    const why = DOCKER_ONLY_FLAGS[spec.name];
    if (why !== undefined) return { ...spec, status: 'removed', note: `podman has no such flag: ${why}` };
    const old = HEALTH_ALIASES[spec.name];
    return old === undefined ? spec : { ...spec, aliases: [...(spec.aliases ?? []), old] };
  }),
  ...PODMAN_ONLY_FLAGS,
];

/** Flags of `podman` itself, before the verb (`cmd/podman/root.go`). */
export const PODMAN_GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: '--cdi-spec-dir', type: 'list', repeatable: true, description: 'Directory of CDI device specifications' },
  { name: '--cgroup-manager', type: 'string', repeatable: false, description: 'cgroup manager (cgroupfs or systemd)' },
  { name: '--config', type: 'string', repeatable: false, description: 'Directory of the registry authentication file' },
  { name: '--conmon', type: 'string', repeatable: false, description: 'Path of the conmon binary' },
  { name: '--connection', short: '-c', type: 'string', repeatable: false, description: 'Remote podman connection to use' },
  { name: '--context', type: 'string', repeatable: false, description: 'Accepted for Docker compatibility; does nothing' },
  { name: '--debug', short: '-D', type: 'bool', repeatable: false, description: 'Docker compatibility: log level debug' },
  { name: '--events-backend', type: 'string', repeatable: false, description: 'Where events go (file, journald, none)' },
  { name: '--help', type: 'bool', repeatable: false, description: 'Print usage instead of running anything' },
  { name: '--hooks-dir', type: 'list', repeatable: true, description: 'Directory of OCI hooks' },
  { name: '--host', short: '-H', type: 'string', repeatable: false, description: 'Docker compatibility: the remote service URL' },
  { name: '--identity', type: 'string', repeatable: false, description: 'SSH identity for a remote service' },
  { name: '--imagestore', type: 'string', repeatable: false, description: 'Separate image store directory' },
  { name: '--log-level', type: 'string', repeatable: false, description: 'Log level of podman' },
  { name: '--module', type: 'list', repeatable: true, description: 'containers.conf module to load' },
  { name: '--network-config-dir', type: 'string', repeatable: false, description: 'Directory of network configurations' },
  { name: '--out', type: 'string', repeatable: false, description: 'File podman\'s standard output goes to' },
  { name: '--remote', short: '-r', type: 'bool', repeatable: false, description: 'Talk to a remote podman service' },
  { name: '--root', type: 'string', repeatable: false, description: 'Storage root directory of images and containers' },
  { name: '--runroot', type: 'string', repeatable: false, description: 'Directory of run-time state' },
  { name: '--runtime', type: 'string', repeatable: false, description: 'OCI runtime binary' },
  { name: '--runtime-flag', type: 'list', repeatable: true, description: 'Global flag for the OCI runtime' },
  { name: '--ssh', type: 'string', repeatable: false, description: 'SSH mode for remote connections' },
  { name: '--storage-driver', type: 'string', repeatable: false, description: 'Storage driver' },
  { name: '--storage-opt', type: 'list', repeatable: true, description: 'Storage driver option' },
  { name: '--tmpdir', type: 'string', repeatable: false, description: 'Directory of libpod\'s temporary state' },
  { name: '--transient-store', type: 'bool', repeatable: false, description: 'Keep container state in tmpfs' },
  { name: '--url', type: 'string', repeatable: false, description: 'URL of a remote podman service' },
  { name: '--version', short: '-v', type: 'bool', repeatable: false, description: 'Print the version instead of running anything' },
  { name: '--volumepath', type: 'string', repeatable: false, description: 'Directory of named volumes' },
];

/**
 * Why a value of a flag both CLIs share means something only podman does
 * (`--userns=keep-id`, `--network=pasta`, `-v src:dst:U`), or undefined.
 * Docker would refuse it, so such a container cannot move to the docker backend.
 */
export function podmanOnlyValue(name: string, value: string): string | undefined {
  switch (name) {
    case '--userns':
      return value === 'host' || value === '' ? undefined : `user namespace mode \`${value}\` is podman's (Docker knows only \`host\`)`;
    case '--network': {
      const mode = value.split(':')[0] ?? '';
      return ['pasta', 'slirp4netns', 'private', 'ns'].includes(mode) ? `network mode \`${mode}\` is podman's` : undefined;
    }
    case '--group-add':
      return value === 'keep-groups' ? '`keep-groups` is podman\'s' : undefined;
    case '--mount': {
      const type = podmanOnlyMountType(value);
      return type === undefined ? undefined : `mount type \`${type}\` is podman's`;
    }
    case '--volume': {
      const options = value.split(':')[2]?.split(',') ?? [];
      const own = options.find((o) => !DOCKER_VOLUME_OPTIONS.has(o));
      return own === undefined ? undefined : `volume option \`${own}\` is podman's`;
    }
    default:
      return undefined;
  }
}

const DOCKER_VOLUME_OPTIONS = new Set(['ro', 'rw', 'z', 'Z', 'shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate', 'nocopy']);
