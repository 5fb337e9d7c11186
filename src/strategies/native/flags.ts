/**
 * What becomes of a `docker run` flag when the container becomes a NixOS
 * module, for the flags no recipe maps (ports, volumes and the environment
 * are mapped by the recipe's tables). A table, so docs can be made from it:
 * `dropped` means the module does it itself or it meant nothing outside a
 * container; `unsupported` means the setting mattered and the module's unit
 * does not have it unless the user adds it (reported with the hint).
 */
export interface NativeFlagFate {
  readonly fate: 'dropped' | 'unsupported';
  readonly reason: string;
  readonly hint?: string;
}

const LIFECYCLE = 'container lifecycle: the module\'s unit runs the app in the foreground, as its own service';
const LOGGING = 'the app logs to the journal through its unit';
const SANDBOX_HINT = 'add what the app needs to systemd.services.<unit>.serviceConfig (DeviceAllow, AmbientCapabilities, SupplementaryGroups, ...)';
const LIMITS_HINT = 'set the limit on the module\'s unit: systemd.services.<unit>.serviceConfig (MemoryMax, CPUQuota, LimitNOFILE, ...)';

export const NATIVE_FLAGS: Readonly<Record<string, NativeFlagFate>> = {
  '--name': { fate: 'dropped', reason: 'the module names its own unit' },
  '--rm': { fate: 'dropped', reason: LIFECYCLE },
  '--detach': { fate: 'dropped', reason: LIFECYCLE },
  '--tty': { fate: 'dropped', reason: LIFECYCLE },
  '--interactive': { fate: 'dropped', reason: LIFECYCLE },
  '--init': { fate: 'dropped', reason: 'systemd is the app\'s init now' },
  '--sig-proxy': { fate: 'dropped', reason: LIFECYCLE },
  '--pull': { fate: 'dropped', reason: 'no image: the app comes from nixpkgs and updates with the system' },
  '--platform': { fate: 'dropped', reason: 'no image: the app is built for the host\'s platform' },
  '--log-driver': { fate: 'dropped', reason: LOGGING },
  '--log-opt': { fate: 'dropped', reason: LOGGING },
  '--label': { fate: 'dropped', reason: 'labels were for Docker tooling' },
  '--label-file': { fate: 'dropped', reason: 'labels were for Docker tooling' },
  '--hostname': { fate: 'dropped', reason: 'the app sees the host\'s name' },
  '--pid': { fate: 'dropped', reason: 'the app runs in the host\'s process namespace' },
  '--ipc': { fate: 'dropped', reason: 'the app runs in the host\'s IPC namespace' },
  '--uts': { fate: 'dropped', reason: 'the app runs in the host\'s UTS namespace' },
  '--userns': { fate: 'dropped', reason: 'the app runs as the module\'s user, without a user namespace of Docker\'s' },
  '--entrypoint': { fate: 'dropped', reason: 'the module runs the app\'s program itself' },
  '--workdir': { fate: 'dropped', reason: 'the module sets the working directory of its unit' },
  '--stop-timeout': { fate: 'dropped', reason: 'the module\'s unit decides how long the app may take to stop' },
  '--stop-signal': { fate: 'dropped', reason: 'the module\'s unit decides how the app is stopped' },
  '--health-cmd': { fate: 'dropped', reason: 'the report names the app\'s health endpoint instead' },
  '--health-interval': { fate: 'dropped', reason: 'the report names the app\'s health endpoint instead' },
  '--health-retries': { fate: 'dropped', reason: 'the report names the app\'s health endpoint instead' },
  '--health-timeout': { fate: 'dropped', reason: 'the report names the app\'s health endpoint instead' },
  '--health-start-period': { fate: 'dropped', reason: 'the report names the app\'s health endpoint instead' },
  '--no-healthcheck': { fate: 'dropped', reason: 'the report names the app\'s health endpoint instead' },
  '--link': { fate: 'dropped', reason: 'other containers are reached by the host\'s addresses now' },
  '--volumes-from': { fate: 'dropped', reason: 'the app reads its state from the directories the module gives it' },
  '--network-alias': { fate: 'dropped', reason: 'no container network any more' },
  '--mac-address': { fate: 'dropped', reason: 'no container network any more: the app uses the host\'s interfaces' },
  '--ip': { fate: 'unsupported', reason: 'the container had an address of its own; the app listens on the host\'s addresses now', hint: 'point clients at the host' },
  '--ip6': { fate: 'unsupported', reason: 'the container had an address of its own; the app listens on the host\'s addresses now', hint: 'point clients at the host' },
  '--expose': { fate: 'dropped', reason: 'only published ports were reachable; those are mapped' },
  '--publish-all': { fate: 'unsupported', reason: 'every exposed port went to a random host port, which no module option can say', hint: 'open the app\'s ports in networking.firewall' },
  '--env-file': { fate: 'unsupported', reason: 'the file was not read, so its variables cannot be mapped onto the module\'s options', hint: 'move each variable into the module\'s options, or into systemd.services.<unit>.serviceConfig.EnvironmentFile if the app reads it' },
  '--user': { fate: 'dropped', reason: 'the module runs the app as its own system user (see the report)' },
  '--group-add': { fate: 'unsupported', reason: 'extra groups of the container\'s user', hint: SANDBOX_HINT },
  '--privileged': { fate: 'unsupported', reason: 'the container had every capability and device; the module\'s unit has its own sandbox', hint: SANDBOX_HINT },
  '--cap-add': { fate: 'unsupported', reason: 'an extra capability of the container', hint: SANDBOX_HINT },
  '--cap-drop': { fate: 'dropped', reason: 'the module\'s unit runs the app without root\'s capabilities already' },
  '--device': { fate: 'unsupported', reason: 'a device passed into the container', hint: SANDBOX_HINT },
  '--device-cgroup-rule': { fate: 'unsupported', reason: 'a device rule of the container', hint: SANDBOX_HINT },
  '--gpus': { fate: 'unsupported', reason: 'GPUs passed into the container', hint: SANDBOX_HINT },
  '--security-opt': { fate: 'unsupported', reason: 'a security option of the container', hint: SANDBOX_HINT },
  '--sysctl': { fate: 'unsupported', reason: 'a kernel setting of the container\'s namespace', hint: 'set it host-wide in boot.kernel.sysctl if it still matters' },
  '--ulimit': { fate: 'unsupported', reason: 'a resource limit of the container', hint: LIMITS_HINT },
  '--memory': { fate: 'unsupported', reason: 'a memory limit of the container', hint: LIMITS_HINT },
  '--memory-swap': { fate: 'unsupported', reason: 'a memory limit of the container', hint: LIMITS_HINT },
  '--memory-reservation': { fate: 'unsupported', reason: 'a memory limit of the container', hint: LIMITS_HINT },
  '--cpus': { fate: 'unsupported', reason: 'a CPU limit of the container', hint: LIMITS_HINT },
  '--cpu-shares': { fate: 'unsupported', reason: 'a CPU weight of the container', hint: LIMITS_HINT },
  '--cpuset-cpus': { fate: 'unsupported', reason: 'CPUs the container was pinned to', hint: LIMITS_HINT },
  '--pids-limit': { fate: 'unsupported', reason: 'a process limit of the container', hint: LIMITS_HINT },
  '--shm-size': { fate: 'dropped', reason: 'the app uses the host\'s /dev/shm' },
  '--read-only': { fate: 'unsupported', reason: 'the container\'s root file system was read-only', hint: 'systemd.services.<unit>.serviceConfig.ProtectSystem = "strict" comes close' },
  '--add-host': { fate: 'unsupported', reason: 'a host name only the container resolved', hint: 'add it to networking.hosts' },
  '--dns': { fate: 'unsupported', reason: 'a name server only the container used', hint: 'the host\'s resolver applies; see networking.nameservers' },
  '--dns-search': { fate: 'unsupported', reason: 'a search domain only the container used', hint: 'see networking.search' },
  '--dns-option': { fate: 'unsupported', reason: 'a resolver option only the container used', hint: 'the host\'s resolver applies' },
};

export function nativeFlag(name: string): NativeFlagFate | undefined {
  return NATIVE_FLAGS[name];
}
