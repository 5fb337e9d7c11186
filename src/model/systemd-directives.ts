import type { UnitType } from './unit.ts';

/**
 * What systemd does with each unit-file directive: where it may appear, how
 * repeated assignments combine, and what its value looks like. The systemd
 * reader merges drop-ins by this table, later stages look values up by it,
 * and docs/support-matrix.md is generated from it.
 *
 * Facts come from systemd's own parser table (src/core/load-fragment-gperf.gperf.in,
 * systemd 254-256) and the man pages named in `man`; the parser function of a key
 * decides whether an empty assignment resets it.
 */

export type ManPage =
  | 'systemd.unit(5)'
  | 'systemd.service(5)'
  | 'systemd.exec(5)'
  | 'systemd.kill(5)'
  | 'systemd.resource-control(5)'
  | 'systemd.socket(5)'
  | 'systemd.mount(5)'
  | 'systemd.automount(5)'
  | 'systemd.swap(5)'
  | 'systemd.timer(5)'
  | 'systemd.path(5)'
  | 'systemd.scope(5)';

/**
 * single: one value; a later assignment replaces an earlier one, and an empty
 *   assignment resets the setting to its default.
 * list: assignments accumulate; an empty assignment clears everything assigned
 *   before it (in the same `slot`).
 * append: assignments accumulate and an empty assignment is ignored. This is
 *   how dependencies behave: systemd.unit(5) says they "cannot be reset to an
 *   empty list, so dependencies can only be added in drop-ins".
 */
export type Accumulation = 'single' | 'list' | 'append';

export type ValueKind =
  | 'string' // free text
  | 'bool'
  | 'integer'
  | 'time-span' // systemd.time(7): `5min 20s`, `infinity`
  | 'calendar' // systemd.time(7) calendar event: `Mon *-*-* 04:00`
  | 'size' // bytes with K/M/G suffixes, a percentage, or `infinity`
  | 'mode' // octal file mode
  | 'enum' // one word out of a fixed set
  | 'signal' // `SIGTERM`, `15`
  | 'path'
  | 'paths' // space-separated paths
  | 'unit'
  | 'units' // space-separated unit names
  | 'words' // space-separated words (groups, capabilities, namespaces, ...)
  | 'exec' // a command line, systemd.service(5) "Command lines"
  | 'environment' // `VAR=value` assignments, quoted as systemd.exec(5) describes
  | 'environment-file' // a path, `-` prefixed when optional
  | 'condition' // `|` and `!` prefixes, then the checked value
  | 'exit-status' // exit codes and signal names
  | 'listen' // socket address, path or netlink family
  | 'special'; // a syntax of its own (CPU sets, device rules, credentials, ...)

export interface DirectiveSpec {
  /** Section without brackets: `Service`. */
  readonly section: string;
  readonly key: string;
  readonly accumulation: Accumulation;
  readonly kind: ValueKind;
  /**
   * The setting the directive writes. Directives with the same slot override
   * (single) or reset (list) each other: the legacy `[Service] StartLimitInterval=`
   * writes `Unit.StartLimitIntervalSec`, every `Condition*=` writes `Unit.Conditions`.
   */
  readonly slot: string;
  /** The current name, for legacy spellings such as `BindTo=` or `ReadWriteDirectories=`. */
  readonly aliasOf?: string;
  /** For a list, an empty assignment sets a value instead of restoring a default (`CapabilityBoundingSet=` drops all capabilities). */
  readonly emptyIsValue?: true;
  /** systemd accepts the key but ignores it (removed or compile-time disabled features). */
  readonly ignored?: true;
  readonly man: ManPage;
}

/** The sections systemd reads for each unit type; it ignores the others (and, silently, any `X-` section). */
export const SECTIONS_BY_UNIT_TYPE: Readonly<Record<UnitType, readonly string[]>> = {
  service: ['Unit', 'Service', 'Install'],
  socket: ['Unit', 'Socket', 'Install'],
  target: ['Unit', 'Install'],
  mount: ['Unit', 'Mount', 'Install'],
  automount: ['Unit', 'Automount', 'Install'],
  timer: ['Unit', 'Timer', 'Install'],
  path: ['Unit', 'Path', 'Install'],
  swap: ['Unit', 'Swap', 'Install'],
  slice: ['Unit', 'Slice', 'Install'],
  device: ['Unit', 'Install'],
  scope: ['Unit', 'Scope', 'Install'],
};

// ---------------------------------------------------------------------------
// The table. Rows are [key, kind, accumulation?, options?]; `group` gives a
// run of rows their sections and man page.

interface RowOptions {
  readonly slot?: string;
  readonly aliasOf?: string;
  readonly emptyIsValue?: true;
  readonly ignored?: true;
}
type Row = readonly [key: string, kind: ValueKind, accumulation?: Accumulation, options?: RowOptions];

function group(sections: readonly string[], man: ManPage, rows: readonly Row[]): DirectiveSpec[] {
  return sections.flatMap((section) =>
    rows.map(([key, kind, accumulation = 'single', options = {}]): DirectiveSpec => {
      const slotKey = options.slot ?? options.aliasOf ?? key;
      return {
        section,
        key,
        accumulation,
        kind,
        // A slot naming another section (`Unit.StartLimitIntervalSec`) is taken as is.
        slot: slotKey.includes('.') ? slotKey : `${section}.${slotKey}`,
        ...(options.aliasOf ? { aliasOf: options.aliasOf } : {}),
        ...(options.emptyIsValue ? { emptyIsValue: true as const } : {}),
        ...(options.ignored ? { ignored: true as const } : {}),
        man,
      };
    }),
  );
}

/** Units that run processes carry the exec, kill and resource-control settings. */
const PROCESS_SECTIONS = ['Service', 'Socket', 'Mount', 'Swap'] as const;
const RESOURCE_SECTIONS = ['Service', 'Socket', 'Mount', 'Swap', 'Slice', 'Scope'] as const;
const KILL_SECTIONS = ['Service', 'Socket', 'Mount', 'Swap', 'Scope'] as const;

const CONDITION_CHECKS = [
  'PathExists',
  'PathExistsGlob',
  'PathIsDirectory',
  'PathIsSymbolicLink',
  'PathIsMountPoint',
  'PathIsReadWrite',
  'PathIsEncrypted',
  'DirectoryNotEmpty',
  'FileNotEmpty',
  'FileIsExecutable',
  'NeedsUpdate',
  'FirstBoot',
  'Architecture',
  'Firmware',
  'Virtualization',
  'Host',
  'KernelCommandLine',
  'KernelVersion',
  'Credential',
  'Security',
  'Capability',
  'ACPower',
  'Memory',
  'CPUFeature',
  'CPUs',
  'Environment',
  'User',
  'Group',
  'ControlGroupController',
  'OSRelease',
  'MemoryPressure',
  'CPUPressure',
  'IOPressure',
] as const;

const UNIT_ROWS: readonly Row[] = [
  ['Description', 'string'],
  ['Documentation', 'words', 'list'],
  ['SourcePath', 'path'],
  ['Requires', 'units', 'append'],
  ['Requisite', 'units', 'append'],
  ['Wants', 'units', 'append'],
  ['BindsTo', 'units', 'append'],
  ['BindTo', 'units', 'append', { aliasOf: 'BindsTo' }],
  ['Upholds', 'units', 'append'],
  ['Conflicts', 'units', 'append'],
  ['Before', 'units', 'append'],
  ['After', 'units', 'append'],
  ['OnSuccess', 'units', 'append'],
  ['OnFailure', 'units', 'append'],
  ['PropagatesReloadTo', 'units', 'append'],
  ['PropagateReloadTo', 'units', 'append', { aliasOf: 'PropagatesReloadTo' }],
  ['ReloadPropagatedFrom', 'units', 'append'],
  ['PropagateReloadFrom', 'units', 'append', { aliasOf: 'ReloadPropagatedFrom' }],
  ['PropagatesStopTo', 'units', 'append'],
  ['StopPropagatedFrom', 'units', 'append'],
  ['PartOf', 'units', 'append'],
  ['JoinsNamespaceOf', 'units', 'append'],
  // Removed in systemd 230; still read as plain Requires=/Requisite=.
  ['RequiresOverridable', 'units', 'append', { aliasOf: 'Requires' }],
  ['RequisiteOverridable', 'units', 'append', { aliasOf: 'Requisite' }],
  ['RequiresMountsFor', 'paths', 'append'],
  ['WantsMountsFor', 'paths', 'append'],
  ['StopWhenUnneeded', 'bool'],
  ['RefuseManualStart', 'bool'],
  ['RefuseManualStop', 'bool'],
  ['AllowIsolate', 'bool'],
  ['DefaultDependencies', 'bool'],
  ['SurviveFinalKillSignal', 'bool'],
  ['OnSuccessJobMode', 'enum'],
  ['OnFailureJobMode', 'enum'],
  ['OnFailureIsolate', 'bool', 'single', { slot: 'OnFailureJobMode' }],
  ['IgnoreOnIsolate', 'bool'],
  ['IgnoreOnSnapshot', 'bool', 'single', { ignored: true }],
  ['JobTimeoutSec', 'time-span'],
  ['JobRunningTimeoutSec', 'time-span'],
  ['JobTimeoutAction', 'enum'],
  ['JobTimeoutRebootArgument', 'string'],
  ['StartLimitIntervalSec', 'time-span'],
  ['StartLimitInterval', 'time-span', 'single', { aliasOf: 'StartLimitIntervalSec' }],
  ['StartLimitBurst', 'integer'],
  ['StartLimitAction', 'enum'],
  ['FailureAction', 'enum'],
  ['SuccessAction', 'enum'],
  ['FailureActionExitStatus', 'integer'],
  ['SuccessActionExitStatus', 'integer'],
  ['RebootArgument', 'string'],
  // An empty assignment to any condition clears all conditions (systemd.unit(5)); asserts likewise.
  ...CONDITION_CHECKS.map((c): Row => [`Condition${c}`, 'condition', 'list', { slot: 'Conditions' }]),
  ...CONDITION_CHECKS.filter((c) => c !== 'Firmware').map(
    (c): Row => [`Assert${c}`, 'condition', 'list', { slot: 'Asserts' }],
  ),
  ['CollectMode', 'enum'],
];

const INSTALL_ROWS: readonly Row[] = [
  ['Alias', 'units', 'list'],
  ['WantedBy', 'units', 'list'],
  ['RequiredBy', 'units', 'list'],
  ['UpheldBy', 'units', 'list'],
  ['Also', 'units', 'append'],
  ['DefaultInstance', 'string'],
];

const SERVICE_ROWS: readonly Row[] = [
  ['Type', 'enum'],
  ['ExitType', 'enum'],
  ['RemainAfterExit', 'bool'],
  ['GuessMainPID', 'bool'],
  ['PIDFile', 'path'],
  ['BusName', 'string'],
  // ExecStart= may hold several commands only for Type=oneshot; the reader checks that after merging.
  ['ExecCondition', 'exec', 'list'],
  ['ExecStartPre', 'exec', 'list'],
  ['ExecStart', 'exec', 'list'],
  ['ExecStartPost', 'exec', 'list'],
  ['ExecReload', 'exec', 'list'],
  ['ExecStop', 'exec', 'list'],
  ['ExecStopPost', 'exec', 'list'],
  ['RestartSec', 'time-span'],
  ['RestartSteps', 'integer'],
  ['RestartMaxDelaySec', 'time-span'],
  ['TimeoutSec', 'time-span'],
  ['TimeoutStartSec', 'time-span'],
  ['TimeoutStopSec', 'time-span'],
  ['TimeoutAbortSec', 'time-span'],
  ['TimeoutStartFailureMode', 'enum'],
  ['TimeoutStopFailureMode', 'enum'],
  ['RuntimeMaxSec', 'time-span'],
  ['RuntimeRandomizedExtraSec', 'time-span'],
  ['WatchdogSec', 'time-span'],
  ['Restart', 'enum'],
  ['RestartMode', 'enum'],
  ['RestartPreventExitStatus', 'exit-status', 'list'],
  ['RestartForceExitStatus', 'exit-status', 'list'],
  ['SuccessExitStatus', 'exit-status', 'list'],
  ['RootDirectoryStartOnly', 'bool'],
  ['PermissionsStartOnly', 'bool'],
  ['NonBlocking', 'bool'],
  ['NotifyAccess', 'enum'],
  ['Sockets', 'units', 'append'],
  ['FileDescriptorStoreMax', 'integer'],
  ['FileDescriptorStorePreserve', 'enum'],
  ['USBFunctionDescriptors', 'path'],
  ['USBFunctionStrings', 'path'],
  ['OOMPolicy', 'enum'],
  ['OpenFile', 'special', 'list'],
  ['ReloadSignal', 'signal'],
  // Older spellings in [Service] of settings that moved to [Unit].
  ['StartLimitInterval', 'time-span', 'single', { slot: 'Unit.StartLimitIntervalSec' }],
  ['StartLimitBurst', 'integer', 'single', { slot: 'Unit.StartLimitBurst' }],
  ['StartLimitAction', 'enum', 'single', { slot: 'Unit.StartLimitAction' }],
  ['FailureAction', 'enum', 'single', { slot: 'Unit.FailureAction' }],
  ['RebootArgument', 'string', 'single', { slot: 'Unit.RebootArgument' }],
  ['SysVStartPriority', 'integer', 'single', { ignored: true }],
  ['BusPolicy', 'special', 'single', { ignored: true }],
];

const EXEC_ROWS: readonly Row[] = [
  ['WorkingDirectory', 'path'],
  ['RootDirectory', 'path'],
  ['RootImage', 'path'],
  ['RootImageOptions', 'special', 'list'],
  ['RootImagePolicy', 'special'],
  ['RootHash', 'string'],
  ['RootHashSignature', 'string'],
  ['RootVerity', 'path'],
  ['RootEphemeral', 'bool'],
  ['ExtensionDirectories', 'paths', 'list'],
  ['ExtensionImages', 'special', 'list'],
  ['ExtensionImagePolicy', 'special'],
  ['MountImages', 'special', 'list'],
  ['MountImagePolicy', 'special'],
  ['User', 'string'],
  ['Group', 'string'],
  ['SupplementaryGroups', 'words', 'list'],
  ['DynamicUser', 'bool'],
  ['SetLoginEnvironment', 'bool'],
  ['Nice', 'integer'],
  ['OOMScoreAdjust', 'integer'],
  ['CoredumpFilter', 'words'],
  ['IOSchedulingClass', 'enum'],
  ['IOSchedulingPriority', 'integer'],
  ['CPUSchedulingPolicy', 'enum'],
  ['CPUSchedulingPriority', 'integer'],
  ['CPUSchedulingResetOnFork', 'bool'],
  ['CPUAffinity', 'special', 'list'],
  ['NUMAPolicy', 'enum'],
  ['NUMAMask', 'special'],
  ['UMask', 'mode'],
  ['Environment', 'environment', 'list'],
  ['EnvironmentFile', 'environment-file', 'list'],
  ['PassEnvironment', 'words', 'list'],
  ['UnsetEnvironment', 'words', 'list'],
  ['RemoveIPC', 'bool'],
  ['StandardInput', 'string'],
  ['StandardOutput', 'string'],
  ['StandardError', 'string'],
  ['StandardInputText', 'string', 'list'],
  ['StandardInputData', 'string', 'list'],
  ['TTYPath', 'path'],
  ['TTYReset', 'bool'],
  ['TTYVHangup', 'bool'],
  ['TTYVTDisallocate', 'bool'],
  ['TTYRows', 'integer'],
  ['TTYColumns', 'integer'],
  ['SyslogIdentifier', 'string'],
  ['SyslogFacility', 'enum'],
  ['SyslogLevel', 'enum'],
  ['SyslogLevelPrefix', 'bool'],
  ['LogLevelMax', 'enum'],
  ['LogRateLimitIntervalSec', 'time-span'],
  ['LogRateLimitBurst', 'integer'],
  ['LogExtraFields', 'environment', 'list'],
  ['LogFilterPatterns', 'words', 'list'],
  ['LogNamespace', 'string'],
  ['Capabilities', 'words', 'single', { ignored: true }],
  ['SecureBits', 'words', 'list'],
  ['CapabilityBoundingSet', 'words', 'list', { emptyIsValue: true }],
  ['AmbientCapabilities', 'words', 'list', { emptyIsValue: true }],
  ['TimerSlackNSec', 'time-span'],
  ['NoNewPrivileges', 'bool'],
  ['KeyringMode', 'enum'],
  ['ProtectProc', 'enum'],
  ['ProcSubset', 'enum'],
  ['SystemCallFilter', 'words', 'list'],
  ['SystemCallArchitectures', 'words', 'list'],
  ['SystemCallErrorNumber', 'string'],
  ['SystemCallLog', 'words', 'list'],
  ['MemoryDenyWriteExecute', 'bool'],
  ['RestrictNamespaces', 'words', 'list'],
  ['RestrictRealtime', 'bool'],
  ['RestrictSUIDSGID', 'bool'],
  ['RestrictAddressFamilies', 'words', 'list'],
  ['RestrictFileSystems', 'words', 'list'],
  ['LockPersonality', 'bool'],
  ...(['CPU', 'FSIZE', 'DATA', 'STACK', 'CORE', 'RSS', 'NOFILE', 'AS', 'NPROC', 'MEMLOCK', 'LOCKS', 'SIGPENDING', 'MSGQUEUE', 'NICE', 'RTPRIO', 'RTTIME'] as const).map(
    (r): Row => [`Limit${r}`, 'special'],
  ),
  ['ReadWritePaths', 'paths', 'list'],
  ['ReadOnlyPaths', 'paths', 'list'],
  ['InaccessiblePaths', 'paths', 'list'],
  ['ReadWriteDirectories', 'paths', 'list', { aliasOf: 'ReadWritePaths' }],
  ['ReadOnlyDirectories', 'paths', 'list', { aliasOf: 'ReadOnlyPaths' }],
  ['InaccessibleDirectories', 'paths', 'list', { aliasOf: 'InaccessiblePaths' }],
  ['ExecPaths', 'paths', 'list'],
  ['NoExecPaths', 'paths', 'list'],
  ['ExecSearchPath', 'paths', 'list'],
  ['BindPaths', 'special', 'list'],
  ['BindReadOnlyPaths', 'special', 'list'],
  ['TemporaryFileSystem', 'special', 'list'],
  ['PrivateTmp', 'bool'],
  ['PrivateDevices', 'bool'],
  ['PrivateNetwork', 'bool'],
  ['PrivateUsers', 'bool'],
  ['PrivateMounts', 'bool'],
  ['PrivateIPC', 'bool'],
  ['ProtectKernelTunables', 'bool'],
  ['ProtectKernelModules', 'bool'],
  ['ProtectKernelLogs', 'bool'],
  ['ProtectClock', 'bool'],
  ['ProtectControlGroups', 'bool'],
  ['ProtectHostname', 'bool'],
  ['ProtectSystem', 'enum'],
  ['ProtectHome', 'enum'],
  ['NetworkNamespacePath', 'path'],
  ['IPCNamespacePath', 'path'],
  ['MountFlags', 'enum'],
  ['MountAPIVFS', 'bool'],
  ['Personality', 'enum'],
  ['RuntimeDirectory', 'paths', 'list'],
  ['StateDirectory', 'paths', 'list'],
  ['CacheDirectory', 'paths', 'list'],
  ['LogsDirectory', 'paths', 'list'],
  ['ConfigurationDirectory', 'paths', 'list'],
  ['RuntimeDirectoryMode', 'mode'],
  ['StateDirectoryMode', 'mode'],
  ['CacheDirectoryMode', 'mode'],
  ['LogsDirectoryMode', 'mode'],
  ['ConfigurationDirectoryMode', 'mode'],
  ['RuntimeDirectoryPreserve', 'enum'],
  ['TimeoutCleanSec', 'time-span'],
  ['SetCredential', 'special', 'list'],
  ['SetCredentialEncrypted', 'special', 'list'],
  ['LoadCredential', 'special', 'list'],
  ['LoadCredentialEncrypted', 'special', 'list'],
  ['ImportCredential', 'words', 'list'],
  ['PAMName', 'string'],
  ['IgnoreSIGPIPE', 'bool'],
  ['UtmpIdentifier', 'string'],
  ['UtmpMode', 'enum'],
  ['SELinuxContext', 'string'],
  ['AppArmorProfile', 'string'],
  ['SmackProcessLabel', 'string'],
  ['MemoryKSM', 'bool'],
];

const KILL_ROWS: readonly Row[] = [
  ['KillMode', 'enum'],
  ['KillSignal', 'signal'],
  ['RestartKillSignal', 'signal'],
  ['FinalKillSignal', 'signal'],
  ['WatchdogSignal', 'signal'],
  ['SendSIGKILL', 'bool'],
  ['SendSIGHUP', 'bool'],
];

const RESOURCE_ROWS: readonly Row[] = [
  ['Slice', 'unit'],
  ['CPUAccounting', 'bool'],
  ['CPUWeight', 'integer'],
  ['StartupCPUWeight', 'integer'],
  ['CPUShares', 'integer'],
  ['StartupCPUShares', 'integer'],
  ['CPUQuota', 'string'],
  ['CPUQuotaPeriodSec', 'time-span'],
  ['AllowedCPUs', 'special'],
  ['StartupAllowedCPUs', 'special'],
  ['AllowedMemoryNodes', 'special'],
  ['StartupAllowedMemoryNodes', 'special'],
  ['MemoryAccounting', 'bool'],
  ['MemoryMin', 'size'],
  ['MemoryLow', 'size'],
  ['MemoryHigh', 'size'],
  ['MemoryMax', 'size'],
  ['MemorySwapMax', 'size'],
  ['MemoryZSwapMax', 'size'],
  ['StartupMemoryLow', 'size'],
  ['StartupMemoryHigh', 'size'],
  ['StartupMemoryMax', 'size'],
  ['StartupMemorySwapMax', 'size'],
  ['StartupMemoryZSwapMax', 'size'],
  ['DefaultMemoryMin', 'size'],
  ['DefaultMemoryLow', 'size'],
  ['DefaultStartupMemoryLow', 'size'],
  ['MemoryLimit', 'size'],
  ['MemoryPressureWatch', 'enum'],
  ['MemoryPressureThresholdSec', 'time-span'],
  ['TasksAccounting', 'bool'],
  ['TasksMax', 'size'],
  ['IOAccounting', 'bool'],
  ['IOWeight', 'integer'],
  ['StartupIOWeight', 'integer'],
  ['IODeviceWeight', 'special', 'list'],
  ['IOReadBandwidthMax', 'special', 'list'],
  ['IOWriteBandwidthMax', 'special', 'list'],
  ['IOReadIOPSMax', 'special', 'list'],
  ['IOWriteIOPSMax', 'special', 'list'],
  ['IODeviceLatencyTargetSec', 'special', 'list'],
  ['BlockIOAccounting', 'bool'],
  ['BlockIOWeight', 'integer'],
  ['StartupBlockIOWeight', 'integer'],
  ['BlockIODeviceWeight', 'special', 'list'],
  ['BlockIOReadBandwidth', 'special', 'list'],
  ['BlockIOWriteBandwidth', 'special', 'list'],
  ['DeviceAllow', 'special', 'list'],
  ['DevicePolicy', 'enum'],
  ['IPAccounting', 'bool'],
  ['IPAddressAllow', 'words', 'list'],
  ['IPAddressDeny', 'words', 'list'],
  ['IPIngressFilterPath', 'paths', 'list'],
  ['IPEgressFilterPath', 'paths', 'list'],
  ['SocketBindAllow', 'special', 'list'],
  ['SocketBindDeny', 'special', 'list'],
  ['RestrictNetworkInterfaces', 'words', 'list'],
  ['NFTSet', 'special', 'list'],
  ['BPFProgram', 'special', 'list'],
  ['Delegate', 'words', 'list'],
  ['DelegateSubgroup', 'string'],
  ['DisableControllers', 'words', 'list'],
  ['ManagedOOMSwap', 'enum'],
  ['ManagedOOMMemoryPressure', 'enum'],
  ['ManagedOOMMemoryPressureLimit', 'string'],
  ['ManagedOOMPreference', 'enum'],
  ['CoredumpReceive', 'bool'],
  ['NetClass', 'string', 'single', { ignored: true }],
];

// Every Listen*= adds a port; an empty one removes all of them (systemd's socket parser).
const listen = (key: string): Row => [key, 'listen', 'list', { slot: 'Listen' }];

const SOCKET_ROWS: readonly Row[] = [
  listen('ListenStream'),
  listen('ListenDatagram'),
  listen('ListenSequentialPacket'),
  listen('ListenFIFO'),
  listen('ListenNetlink'),
  listen('ListenSpecial'),
  listen('ListenMessageQueue'),
  listen('ListenUSBFunction'),
  ['SocketProtocol', 'enum'],
  ['BindIPv6Only', 'enum'],
  ['Backlog', 'integer'],
  ['BindToDevice', 'string'],
  ['ExecStartPre', 'exec', 'list'],
  ['ExecStartPost', 'exec', 'list'],
  ['ExecStopPre', 'exec', 'list'],
  ['ExecStopPost', 'exec', 'list'],
  ['TimeoutSec', 'time-span'],
  ['SocketUser', 'string'],
  ['SocketGroup', 'string'],
  ['SocketMode', 'mode'],
  ['DirectoryMode', 'mode'],
  ['Accept', 'bool'],
  ['FlushPending', 'bool'],
  ['Writable', 'bool'],
  ['MaxConnections', 'integer'],
  ['MaxConnectionsPerSource', 'integer'],
  ['KeepAlive', 'bool'],
  ['KeepAliveTimeSec', 'time-span'],
  ['KeepAliveIntervalSec', 'time-span'],
  ['KeepAliveProbes', 'integer'],
  ['DeferAcceptSec', 'time-span'],
  ['NoDelay', 'bool'],
  ['Priority', 'integer'],
  ['ReceiveBuffer', 'size'],
  ['SendBuffer', 'size'],
  ['IPTOS', 'enum'],
  ['IPTTL', 'integer'],
  ['Mark', 'integer'],
  ['PipeSize', 'size'],
  ['FreeBind', 'bool'],
  ['Transparent', 'bool'],
  ['Broadcast', 'bool'],
  ['PassCredentials', 'bool'],
  ['PassSecurity', 'bool'],
  ['PassPacketInfo', 'bool'],
  ['Timestamping', 'enum'],
  ['TCPCongestion', 'string'],
  ['ReusePort', 'bool'],
  ['MessageQueueMaxMessages', 'integer'],
  ['MessageQueueMessageSize', 'integer'],
  ['RemoveOnStop', 'bool'],
  ['Symlinks', 'paths', 'list'],
  ['FileDescriptorName', 'string'],
  ['Service', 'unit'],
  ['TriggerLimitIntervalSec', 'time-span'],
  ['TriggerLimitBurst', 'integer'],
  ['PollLimitIntervalSec', 'time-span'],
  ['PollLimitBurst', 'integer'],
  ['SmackLabel', 'string'],
  ['SmackLabelIPIn', 'string'],
  ['SmackLabelIPOut', 'string'],
  ['SELinuxContextFromNet', 'bool'],
];

const MOUNT_ROWS: readonly Row[] = [
  ['What', 'string'],
  ['Where', 'path'],
  ['Type', 'string'],
  ['Options', 'string'],
  ['SloppyOptions', 'bool'],
  ['LazyUnmount', 'bool'],
  ['ReadWriteOnly', 'bool'],
  ['ForceUnmount', 'bool'],
  ['DirectoryMode', 'mode'],
  ['TimeoutSec', 'time-span'],
];

const AUTOMOUNT_ROWS: readonly Row[] = [
  ['Where', 'path'],
  ['ExtraOptions', 'string'],
  ['DirectoryMode', 'mode'],
  ['TimeoutIdleSec', 'time-span'],
];

const SWAP_ROWS: readonly Row[] = [
  ['What', 'string'],
  ['Priority', 'integer'],
  ['Options', 'string'],
  ['TimeoutSec', 'time-span'],
];

// An empty assignment to any of these resets every timer, calendar and monotonic (systemd.timer(5)).
const timer = (key: string, kind: ValueKind): Row => [key, kind, 'list', { slot: 'Timers' }];

const TIMER_ROWS: readonly Row[] = [
  timer('OnActiveSec', 'time-span'),
  timer('OnBootSec', 'time-span'),
  timer('OnStartupSec', 'time-span'),
  timer('OnUnitActiveSec', 'time-span'),
  timer('OnUnitInactiveSec', 'time-span'),
  timer('OnCalendar', 'calendar'),
  ['OnClockChange', 'bool'],
  ['OnTimezoneChange', 'bool'],
  ['AccuracySec', 'time-span'],
  ['RandomizedDelaySec', 'time-span'],
  ['FixedRandomDelay', 'bool'],
  ['Persistent', 'bool'],
  ['WakeSystem', 'bool'],
  ['RemainAfterElapse', 'bool'],
  ['Unit', 'unit'],
];

// An empty assignment to any of these clears the list of watched paths (systemd's path parser).
const watch = (key: string): Row => [key, 'path', 'list', { slot: 'Paths' }];

const PATH_ROWS: readonly Row[] = [
  watch('PathExists'),
  watch('PathExistsGlob'),
  watch('PathChanged'),
  watch('PathModified'),
  watch('DirectoryNotEmpty'),
  ['Unit', 'unit'],
  ['MakeDirectory', 'bool'],
  ['DirectoryMode', 'mode'],
  ['TriggerLimitIntervalSec', 'time-span'],
  ['TriggerLimitBurst', 'integer'],
];

const SCOPE_ROWS: readonly Row[] = [
  ['RuntimeMaxSec', 'time-span'],
  ['RuntimeRandomizedExtraSec', 'time-span'],
  ['TimeoutStopSec', 'time-span'],
  ['OOMPolicy', 'enum'],
];

export const SYSTEMD_DIRECTIVES: readonly DirectiveSpec[] = [
  ...group(['Unit'], 'systemd.unit(5)', UNIT_ROWS),
  ...group(['Install'], 'systemd.unit(5)', INSTALL_ROWS),
  ...group(['Service'], 'systemd.service(5)', SERVICE_ROWS),
  ...group(PROCESS_SECTIONS, 'systemd.exec(5)', EXEC_ROWS),
  ...group(KILL_SECTIONS, 'systemd.kill(5)', KILL_ROWS),
  ...group(RESOURCE_SECTIONS, 'systemd.resource-control(5)', RESOURCE_ROWS),
  ...group(['Socket'], 'systemd.socket(5)', SOCKET_ROWS),
  ...group(['Mount'], 'systemd.mount(5)', MOUNT_ROWS),
  ...group(['Automount'], 'systemd.automount(5)', AUTOMOUNT_ROWS),
  ...group(['Swap'], 'systemd.swap(5)', SWAP_ROWS),
  ...group(['Timer'], 'systemd.timer(5)', TIMER_ROWS),
  ...group(['Path'], 'systemd.path(5)', PATH_ROWS),
  ...group(['Scope'], 'systemd.scope(5)', SCOPE_ROWS),
];

/** Section -> key -> entry. Two levels, so a lookup (several per directive) builds no `section.key` string. */
const BY_SECTION_AND_KEY = new Map<string, Map<string, DirectiveSpec>>();
for (const d of SYSTEMD_DIRECTIVES) {
  let keys = BY_SECTION_AND_KEY.get(d.section);
  if (keys === undefined) BY_SECTION_AND_KEY.set(d.section, (keys = new Map()));
  keys.set(d.key, d);
}

/** The table entry for `[section] key=`, or undefined for keys systemd does not know (or nixport's table lacks). */
export function directiveSpec(section: string, key: string): DirectiveSpec | undefined {
  return BY_SECTION_AND_KEY.get(section)?.get(key);
}

/**
 * How an assignment of `[section] key=` combines with others. Unknown keys are
 * single-valued, in a slot of their own: the safest reading of a key nobody
 * documented.
 */
export function accumulationOf(section: string, key: string): { accumulation: Accumulation; slot: string } {
  const spec = directiveSpec(section, key);
  return spec ? { accumulation: spec.accumulation, slot: spec.slot } : { accumulation: 'single', slot: `${section}.${key}` };
}

/** True for keys whose value is a command line (`ExecStart=` and friends, in the sections that have them). */
export function isExecDirective(section: string, key: string): boolean {
  return directiveSpec(section, key)?.kind === 'exec';
}
