import type { FlagSpec } from './flag-spec.ts';

/**
 * Every flag of `docker run` and `docker container create`, as the current
 * Docker CLI defines them (docker/cli `cli/command/container/opts.go`,
 * `run.go`, `create.go`; docs.docker.com/reference/cli/docker/container/run/),
 * plus hidden spellings and flags removed since the CoreOS era, so that old
 * units parse. One entry per flag; later issues map each entry onto
 * virtualisation.oci-containers and generate docs/support-matrix.md from it.
 */

/** What a flag is about; sections of the support matrix. */
export type RunFlagGroup =
  | 'cli' // how the docker client behaves: detach, pull, quiet, help
  | 'process' // the container's command, user, env, tty
  | 'network'
  | 'storage'
  | 'security'
  | 'resources'
  | 'health'
  | 'logging'
  | 'runtime'; // namespaces, init, runtime, lifecycle

export interface RunFlagSpec extends FlagSpec {
  readonly group: RunFlagGroup;
  /** Accepted by `docker run` only, not by `docker create`. */
  readonly runOnly?: boolean;
}

export const RUN_FLAGS: readonly RunFlagSpec[] = [
  { name: '--add-host', type: 'list', repeatable: true, group: 'network', description: 'Add a host-to-IP entry to the container\'s /etc/hosts (host:ip)' },
  { name: '--annotation', type: 'map', repeatable: true, group: 'runtime', description: 'Annotation handed through to the OCI runtime' },
  { name: '--attach', short: '-a', type: 'list', repeatable: true, group: 'cli', description: 'Attach to the container\'s stdin, stdout or stderr' },
  { name: '--blkio-weight', type: 'uint16', repeatable: false, group: 'resources', description: 'Relative block IO weight (10 to 1000, 0 disables)' },
  { name: '--blkio-weight-device', type: 'list', repeatable: true, group: 'resources', description: 'Relative block IO weight for one device' },
  { name: '--cap-add', type: 'list', repeatable: true, group: 'security', description: 'Grant a Linux capability' },
  { name: '--cap-drop', type: 'list', repeatable: true, group: 'security', description: 'Remove a Linux capability' },
  { name: '--cgroup-parent', type: 'string', repeatable: false, group: 'runtime', description: 'Parent cgroup for the container' },
  { name: '--cgroupns', type: 'string', repeatable: false, group: 'runtime', description: 'Cgroup namespace mode (host or private)' },
  { name: '--cidfile', type: 'string', repeatable: false, group: 'cli', description: 'File the container ID is written to' },
  { name: '--cpu-count', type: 'int64', repeatable: false, group: 'resources', status: 'windows-only', description: 'Number of CPUs (Windows containers)' },
  { name: '--cpu-percent', type: 'int64', repeatable: false, group: 'resources', status: 'windows-only', description: 'Usable percentage of CPU (Windows containers)' },
  { name: '--cpu-period', type: 'int64', repeatable: false, group: 'resources', description: 'CFS scheduler period' },
  { name: '--cpu-quota', type: 'int64', repeatable: false, group: 'resources', description: 'CFS scheduler quota' },
  { name: '--cpu-rt-period', type: 'int64', repeatable: false, group: 'resources', description: 'Real-time scheduler period in microseconds' },
  { name: '--cpu-rt-runtime', type: 'int64', repeatable: false, group: 'resources', description: 'Real-time scheduler runtime in microseconds' },
  { name: '--cpu-shares', short: '-c', type: 'int64', repeatable: false, group: 'resources', description: 'Relative CPU weight' },
  { name: '--cpus', type: 'decimal', repeatable: false, group: 'resources', description: 'CPU limit as a number of CPUs' },
  { name: '--cpuset-cpus', type: 'string', repeatable: false, group: 'resources', description: 'CPUs the container may run on (0-3, 0,1)' },
  { name: '--cpuset-mems', type: 'string', repeatable: false, group: 'resources', description: 'Memory nodes the container may use (0-3, 0,1)' },
  { name: '--detach', short: '-d', type: 'bool', repeatable: false, group: 'cli', runOnly: true, description: 'Start in the background and print the container ID' },
  { name: '--detach-keys', type: 'string', repeatable: false, group: 'cli', runOnly: true, description: 'Key sequence that detaches from the container' },
  { name: '--device', type: 'list', repeatable: true, group: 'security', description: 'Expose a host device inside the container' },
  { name: '--device-cgroup-rule', type: 'list', repeatable: true, group: 'security', description: 'Rule for the cgroup device allow list' },
  { name: '--device-read-bps', type: 'list', repeatable: true, group: 'resources', description: 'Read rate limit in bytes per second for a device' },
  { name: '--device-read-iops', type: 'list', repeatable: true, group: 'resources', description: 'Read rate limit in IO operations per second for a device' },
  { name: '--device-write-bps', type: 'list', repeatable: true, group: 'resources', description: 'Write rate limit in bytes per second for a device' },
  { name: '--device-write-iops', type: 'list', repeatable: true, group: 'resources', description: 'Write rate limit in IO operations per second for a device' },
  { name: '--disable-content-trust', type: 'bool', repeatable: false, group: 'cli', status: 'deprecated', note: 'Docker removed client-side content trust; the flag does nothing', description: 'Skip image signature verification' },
  { name: '--dns', type: 'list', repeatable: true, group: 'network', description: 'DNS server for the container' },
  { name: '--dns-option', aliases: ['--dns-opt'], type: 'list', repeatable: true, group: 'network', description: 'Resolver option for the container\'s resolv.conf' },
  { name: '--dns-search', type: 'list', repeatable: true, group: 'network', description: 'DNS search domain for the container' },
  { name: '--domainname', type: 'string', repeatable: false, group: 'network', description: 'NIS domain name of the container' },
  { name: '--entrypoint', type: 'string', repeatable: false, group: 'process', description: 'Replace the image\'s ENTRYPOINT' },
  { name: '--env', short: '-e', type: 'list', repeatable: true, group: 'process', description: 'Set an environment variable (NAME=value, or NAME to pass the caller\'s)' },
  { name: '--env-file', type: 'list', repeatable: true, group: 'process', description: 'Read environment variables from a file' },
  { name: '--expose', type: 'list', repeatable: true, group: 'network', description: 'Declare a port or port range as exposed without publishing it' },
  { name: '--gpus', type: 'gpu-request', repeatable: true, group: 'resources', description: 'GPUs to hand to the container (`all` for every GPU)' },
  { name: '--group-add', type: 'list', repeatable: true, group: 'security', description: 'Supplementary group for the container\'s process' },
  { name: '--health-cmd', type: 'string', repeatable: false, group: 'health', description: 'Command that checks the container\'s health' },
  { name: '--health-interval', type: 'duration', repeatable: false, group: 'health', description: 'Time between health checks' },
  { name: '--health-retries', type: 'int', repeatable: false, group: 'health', description: 'Failed checks in a row before the container is unhealthy' },
  { name: '--health-start-interval', type: 'duration', repeatable: false, group: 'health', description: 'Time between health checks during the start period' },
  { name: '--health-start-period', type: 'duration', repeatable: false, group: 'health', description: 'Grace period before failed checks count' },
  { name: '--health-timeout', type: 'duration', repeatable: false, group: 'health', description: 'Longest time one health check may take' },
  { name: '--help', type: 'bool', repeatable: false, group: 'cli', description: 'Print usage instead of running anything' },
  { name: '--hostname', short: '-h', type: 'string', repeatable: false, group: 'network', description: 'Host name inside the container' },
  { name: '--init', type: 'bool', repeatable: false, group: 'runtime', description: 'Run an init process that forwards signals and reaps zombies' },
  { name: '--interactive', short: '-i', type: 'bool', repeatable: false, group: 'process', description: 'Keep stdin open even when not attached' },
  { name: '--io-maxbandwidth', type: 'bytes', repeatable: false, group: 'resources', status: 'windows-only', description: 'IO bandwidth limit for the system drive (Windows containers)' },
  { name: '--io-maxiops', type: 'uint64', repeatable: false, group: 'resources', status: 'windows-only', description: 'IO operations limit for the system drive (Windows containers)' },
  { name: '--ip', type: 'ip', repeatable: false, group: 'network', description: 'Fixed IPv4 address on the network' },
  { name: '--ip6', type: 'ip', repeatable: false, group: 'network', description: 'Fixed IPv6 address on the network' },
  { name: '--ipc', type: 'string', repeatable: false, group: 'runtime', description: 'IPC namespace mode' },
  { name: '--isolation', type: 'string', repeatable: false, group: 'runtime', description: 'Isolation technology (meaningful on Windows)' },
  { name: '--kernel-memory', type: 'bytes', repeatable: false, group: 'resources', status: 'deprecated', note: 'The kernel no longer supports kernel memory limits; Docker ignores the flag', description: 'Kernel memory limit' },
  { name: '--label', short: '-l', type: 'list', repeatable: true, group: 'runtime', description: 'Set metadata on the container' },
  { name: '--label-file', type: 'list', repeatable: true, group: 'runtime', description: 'Read container labels from a file' },
  { name: '--link', type: 'list', repeatable: true, group: 'network', note: 'A legacy feature; on the default bridge network it is deprecated since Docker 1.10', description: 'Link to another container (name:alias)' },
  { name: '--link-local-ip', type: 'list', repeatable: true, group: 'network', description: 'Link-local IPv4 or IPv6 address of the container' },
  { name: '--log-driver', type: 'string', repeatable: false, group: 'logging', description: 'Logging driver for the container' },
  { name: '--log-opt', type: 'list', repeatable: true, group: 'logging', description: 'Option for the logging driver' },
  { name: '--mac-address', type: 'string', repeatable: false, group: 'network', description: 'MAC address of the container' },
  { name: '--memory', short: '-m', type: 'bytes', repeatable: false, group: 'resources', description: 'Memory limit' },
  { name: '--memory-reservation', type: 'bytes', repeatable: false, group: 'resources', description: 'Soft memory limit' },
  { name: '--memory-swap', type: 'bytes', repeatable: false, group: 'resources', description: 'Memory plus swap limit (-1 for unlimited swap)' },
  { name: '--memory-swappiness', type: 'int64', repeatable: false, group: 'resources', description: 'Swappiness of the container (0 to 100)' },
  { name: '--mount', type: 'mount', repeatable: true, group: 'storage', description: 'Attach a bind, volume or tmpfs mount (key=value list)' },
  { name: '--name', type: 'string', repeatable: false, group: 'runtime', description: 'Name of the container' },
  { name: '--network', aliases: ['--net'], type: 'network', repeatable: true, group: 'network', description: 'Network to connect the container to (host, none, bridge, container:<name>, or a user network)' },
  { name: '--network-alias', aliases: ['--net-alias'], type: 'list', repeatable: true, group: 'network', description: 'Network-scoped alias of the container' },
  { name: '--no-healthcheck', type: 'bool', repeatable: false, group: 'health', description: 'Disable the image\'s HEALTHCHECK' },
  { name: '--oom-kill-disable', type: 'bool', repeatable: false, group: 'resources', description: 'Disable the OOM killer for the container' },
  { name: '--oom-score-adj', type: 'int', repeatable: false, group: 'resources', description: 'OOM score adjustment (-1000 to 1000)' },
  { name: '--pid', type: 'string', repeatable: false, group: 'runtime', description: 'PID namespace mode' },
  { name: '--pids-limit', type: 'int64', repeatable: false, group: 'resources', description: 'Process count limit (-1 for unlimited)' },
  { name: '--platform', type: 'string', repeatable: false, group: 'cli', description: 'Platform of the image to use on a multi-platform server' },
  { name: '--privileged', type: 'bool', repeatable: false, group: 'security', description: 'Give the container extended privileges' },
  { name: '--publish', short: '-p', type: 'list', repeatable: true, group: 'network', description: 'Publish a container port on the host ([ip:][hostPort:]containerPort[/proto])' },
  { name: '--publish-all', short: '-P', type: 'bool', repeatable: false, group: 'network', description: 'Publish every exposed port on a random host port' },
  { name: '--pull', type: 'string', repeatable: false, group: 'cli', description: 'When to pull the image: always, missing or never' },
  { name: '--quiet', short: '-q', type: 'bool', repeatable: false, group: 'cli', description: 'Do not print pull progress' },
  { name: '--read-only', type: 'bool', repeatable: false, group: 'security', description: 'Mount the root filesystem read-only' },
  { name: '--restart', type: 'string', repeatable: false, group: 'runtime', description: 'Restart policy: no, always, unless-stopped, on-failure[:max-retries]' },
  { name: '--rm', type: 'bool', repeatable: false, group: 'runtime', description: 'Remove the container and its anonymous volumes when it exits' },
  { name: '--runtime', type: 'string', repeatable: false, group: 'runtime', description: 'OCI runtime for the container' },
  { name: '--security-opt', type: 'list', repeatable: true, group: 'security', description: 'Security option (seccomp, apparmor, label, no-new-privileges)' },
  { name: '--shm-size', type: 'bytes', repeatable: false, group: 'resources', description: 'Size of /dev/shm' },
  { name: '--sig-proxy', type: 'bool', repeatable: false, group: 'cli', runOnly: true, description: 'Forward signals the client receives to the container (on by default; `--sig-proxy=false` turns it off)' },
  { name: '--stop-signal', type: 'string', repeatable: false, group: 'runtime', description: 'Signal that stops the container' },
  { name: '--stop-timeout', type: 'int', repeatable: false, group: 'runtime', description: 'Seconds to wait for a stop before killing' },
  { name: '--storage-opt', type: 'list', repeatable: true, group: 'storage', description: 'Storage driver option for the container' },
  { name: '--sysctl', type: 'map', repeatable: true, group: 'runtime', description: 'Namespaced kernel parameter' },
  { name: '--tmpfs', type: 'list', repeatable: true, group: 'storage', description: 'Mount a tmpfs at a path (path[:options])' },
  { name: '--tty', short: '-t', type: 'bool', repeatable: false, group: 'process', description: 'Allocate a pseudo-terminal' },
  { name: '--ulimit', type: 'ulimit', repeatable: true, group: 'resources', description: 'Resource limit (name=soft[:hard])' },
  { name: '--use-api-socket', type: 'bool', repeatable: false, group: 'security', status: 'experimental', description: 'Mount the Docker API socket and credentials into the container' },
  { name: '--user', short: '-u', type: 'string', repeatable: false, group: 'process', description: 'User the process runs as (name|uid[:group|gid])' },
  { name: '--userns', type: 'string', repeatable: false, group: 'security', description: 'User namespace mode' },
  { name: '--uts', type: 'string', repeatable: false, group: 'runtime', description: 'UTS namespace mode' },
  { name: '--volume', short: '-v', type: 'list', repeatable: true, group: 'storage', description: 'Bind mount a host path or mount a volume ([source:]target[:options])' },
  { name: '--volume-driver', type: 'string', repeatable: false, group: 'storage', description: 'Volume driver for the container\'s volumes' },
  { name: '--volumes-from', type: 'list', repeatable: true, group: 'storage', description: 'Mount the volumes of another container' },
  { name: '--workdir', short: '-w', type: 'string', repeatable: false, group: 'process', description: 'Working directory inside the container' },
  // Removed from the Docker CLI; old units may still carry them.
  { name: '--cpuset', type: 'string', repeatable: false, group: 'resources', status: 'removed', note: 'Deprecated in Docker 1.8 and removed in 1.10; see --cpuset-cpus', description: 'CPUs the container may run on' },
  { name: '--lxc-conf', type: 'list', repeatable: true, group: 'runtime', status: 'removed', note: 'Removed with the LXC exec driver in Docker 1.10', description: 'Raw LXC configuration' },
  { name: '--networking', short: '-n', type: 'bool', repeatable: false, group: 'network', status: 'removed', note: 'Deprecated in Docker 1.8 and removed in 1.10; use --network', description: 'Enable networking for the container' },
];

/** The flags `docker container create` accepts. */
export const CREATE_FLAGS: readonly RunFlagSpec[] = RUN_FLAGS.filter((spec) => spec.runOnly !== true);

const byName = new Map(RUN_FLAGS.map((spec) => [spec.name, spec] as const));

/** The table entry for a canonical name (`--publish`), as found in `DockerFlag.name`. */
export function runFlag(name: string): RunFlagSpec | undefined {
  return byName.get(name);
}
