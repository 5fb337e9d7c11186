/**
 * The [Container] keys of a Quadlet `.container` file and the `podman run`
 * flags podman's generator turns them into (podman-systemd.unit(5),
 * "Container units [Container]"; pkg/systemd/quadlet/quadlet.go). The
 * reader emits those flags, so the container converts exactly like a
 * `podman run` line; the same table generates the support matrix.
 */

/** How a key's value becomes flags. */
export type KeyRule =
  /** One flag per line, the value as written: `PublishPort=8080:80` -> `--publish=8080:80`. */
  | { readonly kind: 'flag'; readonly flag: string }
  /** A blank-separated list, one flag per word: `AddCapability=NET_ADMIN SYS_TIME`. */
  | { readonly kind: 'words'; readonly flag: string }
  /** `NAME=VALUE ...` as systemd's Environment= reads them, one flag per assignment. */
  | { readonly kind: 'assignments'; readonly flag: string }
  /** A boolean: true adds the flag (or `--flag=false` where podman's default is on). */
  | { readonly kind: 'bool'; readonly flag: string; readonly defaultOn?: boolean }
  /** A flag with a value made from the key's: `AppArmor=x` -> `--security-opt=apparmor=x`; `template` has `%s` for the value, or none for a boolean key. */
  | { readonly kind: 'template'; readonly flag: string; readonly template: string }
  /** Read by the reader itself (the image, the command, names of other Quadlet files, ...). */
  | { readonly kind: 'special'; readonly becomes: string }
  /** Not carried: why, and whether the owner must act (unsupported) or nothing is lost (dropped). */
  | { readonly kind: 'reported'; readonly fate: 'dropped' | 'unsupported'; readonly reason: string };

const flag = (f: string): KeyRule => ({ kind: 'flag', flag: f });
const words = (f: string): KeyRule => ({ kind: 'words', flag: f });
const bool = (f: string, defaultOn = false): KeyRule => (defaultOn ? { kind: 'bool', flag: f, defaultOn } : { kind: 'bool', flag: f });
const sec = (template: string): KeyRule => ({ kind: 'template', flag: '--security-opt', template });
const special = (becomes: string): KeyRule => ({ kind: 'special', becomes });

export const CONTAINER_KEYS: Readonly<Record<string, KeyRule>> = {
  AddCapability: words('--cap-add'),
  AddDevice: special('`--device`; a leading `-` (only if the device exists) is reported'),
  AddHost: flag('--add-host'),
  Annotation: { kind: 'assignments', flag: '--annotation' },
  AppArmor: sec('apparmor=%s'),
  AutoUpdate: special('`--label=io.containers.autoupdate=VALUE`, which `podman auto-update` reads'),
  CgroupsMode: flag('--cgroups'),
  ContainerName: special('`--name`; without it the container is `systemd-<file name>`, as Quadlet names it'),
  ContainersConfModule: { kind: 'reported', fate: 'unsupported', reason: '`--module` is a flag of `podman` itself; set it in preRunExtraOptions of the container by hand' },
  DNS: flag('--dns'),
  DNSOption: flag('--dns-option'),
  DNSSearch: flag('--dns-search'),
  DropCapability: words('--cap-drop'),
  Entrypoint: flag('--entrypoint'),
  Environment: { kind: 'assignments', flag: '--env' },
  EnvironmentFile: special('`--env-file`; a relative path is relative to the Quadlet file\'s directory'),
  EnvironmentHost: bool('--env-host'),
  Exec: special('the container\'s command (words after the image)'),
  ExposeHostPort: flag('--expose'),
  GIDMap: flag('--gidmap'),
  GlobalArgs: { kind: 'reported', fate: 'unsupported', reason: 'flags of `podman` itself; set them in preRunExtraOptions of the container by hand' },
  Group: special('`--user UID:GID` with User='),
  GroupAdd: flag('--group-add'),
  HealthCmd: flag('--health-cmd'),
  HealthInterval: flag('--health-interval'),
  HealthLogDestination: flag('--health-log-destination'),
  HealthMaxLogCount: flag('--health-max-log-count'),
  HealthMaxLogSize: flag('--health-max-log-size'),
  HealthOnFailure: flag('--health-on-failure'),
  HealthRetries: flag('--health-retries'),
  HealthStartPeriod: flag('--health-start-period'),
  HealthStartupCmd: flag('--health-startup-cmd'),
  HealthStartupInterval: flag('--health-startup-interval'),
  HealthStartupRetries: flag('--health-startup-retries'),
  HealthStartupSuccess: flag('--health-startup-success'),
  HealthStartupTimeout: flag('--health-startup-timeout'),
  HealthTimeout: flag('--health-timeout'),
  HostName: flag('--hostname'),
  HttpProxy: special('`--http-proxy=VALUE`'),
  Image: special('the image; a `.image` or `.build` file\'s image is reported'),
  IP: flag('--ip'),
  IP6: flag('--ip6'),
  Label: { kind: 'assignments', flag: '--label' },
  LogDriver: flag('--log-driver'),
  LogOpt: flag('--log-opt'),
  Mask: sec('mask=%s'),
  Memory: flag('--memory'),
  Mount: special('`--mount`; `source=x.volume` is the volume the `.volume` file names'),
  Network: special('`--network`; `x.network` is the network the `.network` file names, `x.container` the other container\'s network'),
  NetworkAlias: flag('--network-alias'),
  NoNewPrivileges: sec('no-new-privileges'),
  Notify: special('`--sdnotify=container` (true) or `--sdnotify=healthy`'),
  PidsLimit: flag('--pids-limit'),
  Pod: { kind: 'reported', fate: 'unsupported', reason: 'a Quadlet pod (`.pod` file) has no oci-containers equivalent; declare the pod\'s containers on one network instead' },
  PodmanArgs: special('more `podman run` flags, read from the value'),
  PublishPort: flag('--publish'),
  Pull: flag('--pull'),
  ReadOnly: bool('--read-only'),
  ReadOnlyTmpfs: special('`--read-only-tmpfs=false` where ReadOnly=true and it is false (Quadlet\'s default is true)'),
  ReloadCmd: { kind: 'reported', fate: 'unsupported', reason: 'Quadlet made an ExecReload= running `podman exec` with it; set serviceConfig.ExecReload on the container\'s unit by hand' },
  ReloadSignal: { kind: 'reported', fate: 'unsupported', reason: 'Quadlet made an ExecReload= running `podman kill --signal` with it; set serviceConfig.ExecReload on the container\'s unit by hand' },
  Retry: flag('--retry'),
  RetryDelay: flag('--retry-delay'),
  Rootfs: { kind: 'reported', fate: 'unsupported', reason: 'oci-containers runs an image; a root file system directory has no option there' },
  RunInit: bool('--init'),
  SeccompProfile: sec('seccomp=%s'),
  Secret: flag('--secret'),
  SecurityLabelDisable: sec('label=disable'),
  SecurityLabelFileType: sec('label=filetype:%s'),
  SecurityLabelLevel: sec('label=level:%s'),
  SecurityLabelNested: sec('label=nested'),
  SecurityLabelType: sec('label=type:%s'),
  ServiceName: special('the name of the unit Quadlet made (`NAME.service`), kept as an alias'),
  ShmSize: flag('--shm-size'),
  StartWithPod: { kind: 'reported', fate: 'dropped', reason: 'only meaningful with Pod=, which is not converted' },
  StopSignal: flag('--stop-signal'),
  StopTimeout: flag('--stop-timeout'),
  SubGIDMap: flag('--subgidname'),
  SubUIDMap: flag('--subuidname'),
  Sysctl: words('--sysctl'),
  Timezone: flag('--tz'),
  Tmpfs: flag('--tmpfs'),
  UIDMap: flag('--uidmap'),
  Ulimit: flag('--ulimit'),
  Unmask: sec('unmask=%s'),
  User: special('`--user`, with Group= as `UID:GID`'),
  UserNS: flag('--userns'),
  Volume: special('`--volume`; `x.volume:/dir` is the volume the `.volume` file names, a relative host path is relative to the file\'s directory'),
  WorkingDir: flag('--workdir'),
};

/** What a key becomes, for the support matrix. */
export function keyOutcome(rule: KeyRule): string {
  switch (rule.kind) {
    case 'flag':
      return `\`${rule.flag}\``;
    case 'words':
      return `\`${rule.flag}\`, one per word`;
    case 'assignments':
      return `\`${rule.flag}\`, one per assignment`;
    case 'bool':
      return `\`${rule.flag}\` when true`;
    case 'template':
      return `\`${rule.flag}=${rule.template.replace('%s', 'VALUE')}\`${rule.template.includes('%s') ? '' : ' when true'}`;
    case 'special':
      return rule.becomes;
    case 'reported':
      return `${rule.fate}: ${rule.reason}`;
  }
}
