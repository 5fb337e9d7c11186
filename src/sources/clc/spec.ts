/**
 * The keys of a Container Linux Config, the YAML Flatcar's `ct` transpiles to
 * Ignition spec 2.3.0. ct's types mirror Ignition 2.3's with snake_case
 * names, so most keys are taken from the Ignition table as they apply to
 * 2.3.0; the rest are ct's own (file `contents` with `inline`/`remote`, the
 * hash as `{function, sum}`, partition sizes with units) and its sections
 * for Container Linux services (update, locksmith, docker, etcd, flannel).
 *
 * Checked against flatcar/container-linux-config-transpiler
 * config/types/*.go (YAML tags) and doc/configuration.md.
 */
import { SPEC_KEYS, type Dialect, type KeySupport, type SpecKey, type SpecType, type ValueType } from '../ignition/spec.ts';

/** ct writes Ignition 2.3.0 (flatcar/ignition config/v2_3/types). */
export const CLC_SPEC_VERSION = 23;

const read = (into: string): KeySupport => ({ kind: 'read', into });
const dropped = (reason: string, hint?: string): KeySupport => (hint === undefined ? { kind: 'dropped', reason } : { kind: 'dropped', reason, hint });
const unsupported = (reason: string, hint: string): KeySupport => ({ kind: 'unsupported', reason, hint });
const str = { kind: 'string' } as const;
const strings = { kind: 'strings' } as const;
const int = { kind: 'int' } as const;
const map = (of: SpecType): ValueType => ({ kind: 'map', of });

/** Ignition 2.3 keys ct has no key for, or spells with another shape (replaced below). */
const NOT_IN_CLC: ReadonlySet<string> = new Set([
  'File.contents',
  'Verification.hash',
  'Partition.sizeMiB',
  'Partition.startMiB',
  'Partition.wipePartitionEntry',
  'Partition.shouldExist',
]);

/** Types ct never reaches (its file contents are not an Ignition resource). */
const UNREACHED: ReadonlySet<SpecType> = new Set(['Resource', 'HTTPHeader']);

const LOCKSMITH_ETCD = unsupported(
  'locksmith coordinated reboots through etcd; NixOS has no reboot lock',
  'system.autoUpgrade.rebootWindow limits when a host reboots; stagger the windows to keep a cluster available.',
);

function own(type: SpecType, key: string, value: ValueType, support: KeySupport): SpecKey {
  return { type, key, value, versions: [[CLC_SPEC_VERSION, CLC_SPEC_VERSION]], dialect: 'clc', support };
}

const inherited: SpecKey[] = SPEC_KEYS.filter(
  (k) =>
    k.dialect === undefined &&
    !UNREACHED.has(k.type) &&
    !NOT_IN_CLC.has(`${k.type}.${k.key}`) &&
    k.versions.some(([from, to]) => CLC_SPEC_VERSION >= from && CLC_SPEC_VERSION <= to),
).map((k) => ({ ...k, versions: [[CLC_SPEC_VERSION, CLC_SPEC_VERSION]], dialect: 'clc' }));

export const CLC_KEYS: readonly SpecKey[] = [
  ...inherited,
  own('Config', 'version', int, dropped("the Container Linux Config's own format version (ct knows only 0); it is not the Ignition spec version")),
  own('Config', 'update', map('ClcUpdate'), read('Host.update (update_engine settings)')),
  own('Config', 'locksmith', map('ClcLocksmith'), read('Host.update (reboot strategy and window)')),
  own('Config', 'docker', map('ClcDocker'), read('docker.service (DOCKER_OPTS)')),
  own(
    'Config',
    'etcd',
    map('Opaque'),
    unsupported('etcd clusters are not migrated', 'NixOS has services.etcd; port its settings (name, advertise and listen URLs, initial cluster) by hand.'),
  ),
  own('Config', 'flannel', map('Opaque'), unsupported('flannel overlay networks are not migrated', 'NixOS has services.flannel; port its settings (etcd prefix, interface, network config) by hand.')),
  own('File', 'contents', map('ClcContents'), read('HostFile.content')),
  own('ClcContents', 'inline', str, read('HostFile.content')),
  own('ClcContents', 'local', str, read('HostFile.content (a file beside the config, as `ct --files-dir` reads it)')),
  own('ClcContents', 'remote', map('ClcRemote'), read('HostFile.remote (a manual step: nixport fetches nothing)')),
  own('ClcRemote', 'url', str, read('HostFile.remote (data: URLs decoded)')),
  own('ClcRemote', 'compression', str, read('HostFile.content (gzip decoded)')),
  own('ClcRemote', 'verification', map('Verification'), read('checked for data: URLs; HostFile.remote.verification')),
  own('Verification', 'hash', map('ClcHash'), read('RemoteSource.verification')),
  own('ClcHash', 'function', str, read('RemoteSource.verification (`<function>-<sum>`)')),
  own('ClcHash', 'sum', str, read('RemoteSource.verification (`<function>-<sum>`)')),
  own('Partition', 'size', str, read('Partition.sizeMiB (a size with a unit: 512MiB, 2GiB)')),
  own('Partition', 'start', str, read('Partition.startMiB (a size with a unit)')),
  own('ClcUpdate', 'group', str, read('UpdatePolicy.group')),
  own('ClcUpdate', 'server', str, read('UpdatePolicy.server')),
  own(
    'ClcUpdate',
    'pcrPolicyServer',
    str,
    unsupported('the server update_engine posted TPM PCR policies to; NixOS upgrades have no such step', 'Nothing to port unless you relied on that server.'),
  ),
  own(
    'ClcUpdate',
    'downloadUser',
    str,
    unsupported('credentials for a private Flatcar update server; NixOS fetches its flake inputs instead', 'Give the flake inputs access (e.g. nix.settings.netrc-file) if they are private.'),
  ),
  own(
    'ClcUpdate',
    'downloadPassword',
    str,
    unsupported('credentials for a private Flatcar update server; NixOS fetches its flake inputs instead', 'Give the flake inputs access (e.g. nix.settings.netrc-file) if they are private.'),
  ),
  own('ClcUpdate', 'machineAlias', str, dropped('a name shown in the Flatcar update server\'s UI (Nebraska); no NixOS counterpart')),
  own('ClcLocksmith', 'rebootStrategy', str, read('UpdatePolicy.rebootStrategy')),
  own('ClcLocksmith', 'windowStart', str, read('UpdatePolicy.windowStart')),
  own('ClcLocksmith', 'windowLength', str, read('UpdatePolicy.windowLength')),
  own('ClcLocksmith', 'group', str, LOCKSMITH_ETCD),
  own('ClcLocksmith', 'etcdEndpoints', str, LOCKSMITH_ETCD),
  own('ClcLocksmith', 'etcdCafile', str, LOCKSMITH_ETCD),
  own('ClcLocksmith', 'etcdCertfile', str, LOCKSMITH_ETCD),
  own('ClcLocksmith', 'etcdKeyfile', str, LOCKSMITH_ETCD),
  own('ClcDocker', 'flags', strings, read('virtualisation.docker.extraOptions (via DOCKER_OPTS)')),
];

export const CLC_DIALECT: Dialect = { name: 'clc', version: CLC_SPEC_VERSION, keys: CLC_KEYS };
