/**
 * Every key of every Ignition spec version nixport reads (2.0.0–2.4.0,
 * 3.0.0–3.6.0), with the Butane additions, and what the readers do with
 * each. One table for both dialects: Butane's keys are Ignition's keys of
 * the spec it transpiles to, spelled in snake_case, plus a few of its own.
 *
 * Key sets were checked against the JSON tags of the Go types per version
 * (coreos/ignition `spec2x` branch config/v2_*\/types, main branch
 * config/v3_*\/types/schema.go) and Butane's YAML tags (coreos/butane
 * base/v0_*\/schema.go, config/fcos/v1_*\/schema.go).
 */
import type { SpecVersion } from './versions.ts';
import { editDistance } from '../../model/edit-distance.ts';

/** The object types of the spec (Go struct names, roughly). */
export type SpecType =
  | 'Config'
  | 'Ignition'
  | 'IgnitionConfig'
  | 'ConfigReference'
  | 'Resource'
  | 'Verification'
  | 'HTTPHeader'
  | 'Storage'
  | 'Disk'
  | 'Partition'
  | 'Raid'
  | 'Filesystem'
  | 'Mount'
  | 'File'
  | 'Directory'
  | 'Link'
  | 'NodeUser'
  | 'NodeGroup'
  | 'Luks'
  | 'Clevis'
  | 'Tang'
  | 'ClevisCustom'
  | 'Tree'
  | 'Systemd'
  | 'Unit'
  | 'Dropin'
  | 'Networkd'
  | 'NetworkdUnit'
  | 'Passwd'
  | 'PasswdUser'
  | 'UserCreate'
  | 'PasswdGroup'
  | 'KernelArguments'
  | 'BootDevice'
  | 'BootDeviceLuks'
  | 'BootDeviceMirror'
  /** Container Linux Config (ct) only: file contents, remote contents, hash object, and its own sections. */
  | 'ClcContents'
  | 'ClcRemote'
  | 'ClcHash'
  | 'ClcUpdate'
  | 'ClcLocksmith'
  | 'ClcDocker'
  /** A mapping nixport does not look into (its key is dropped or unsupported as a whole). */
  | 'Opaque';

export type ValueType =
  | { readonly kind: 'string' | 'int' | 'bool' | 'strings' }
  | { readonly kind: 'map' | 'list'; readonly of: SpecType };

/**
 * read: the reader puts the value into the model (`into` names where); the
 *   stage that carries the model settles it.
 * dropped: settled by the reader: it only mattered while Ignition provisioned
 *   the machine, or NixOS does it anyway (`reason`).
 * unsupported: settled by the reader with a warning; the user must act.
 */
export type KeySupport =
  | { readonly kind: 'read'; readonly into: string }
  | { readonly kind: 'dropped'; readonly reason: string; readonly hint?: string }
  | { readonly kind: 'unsupported'; readonly reason: string; readonly hint: string };

/** Inclusive ranges of spec versions. */
export type Versions = readonly (readonly [SpecVersion, SpecVersion])[];

export interface SpecKey {
  readonly type: SpecType;
  /** The Ignition spelling (camelCase). */
  readonly key: string;
  readonly value: ValueType;
  readonly versions: Versions;
  /**
   * Keys of one dialect only: Butane's sugar, or Ignition's `ignition.version`
   * (Butane has a top-level `version`); `clc` marks the keys of the Container
   * Linux Config table (src/sources/clc/spec.ts), which SPEC_KEYS never holds.
   */
  readonly dialect?: 'ignition' | 'butane' | 'clc';
  /** Butane: only the fcos variant has it, from spec 1.<minor>.0 on. */
  readonly fcosSince?: number;
  /** Butane: variants that forbid it (flatcar has no clevis). */
  readonly forbiddenIn?: readonly { readonly variant: 'flatcar' | 'fcos'; readonly reason: string }[];
  readonly support: KeySupport;
}

const ALL: Versions = [
  [20, 24],
  [30, 36],
];
const V2: Versions = [[20, 24]];
const V3: Versions = [[30, 36]];
/** Added in 2.x (`since`) and kept in 3.x. */
const since2 = (since: SpecVersion): Versions => [
  [since, 24],
  [30, 36],
];
const only2 = (from: SpecVersion, to: SpecVersion = 24): Versions => [[from, to]];
const since3 = (since: SpecVersion): Versions => [[since, 36]];
/** httpHeaders and proxy: added in 2.4, left out of 3.0, back in 3.1. */
const HTTP_EXTRAS: Versions = [
  [24, 24],
  [31, 36],
];

const str = { kind: 'string' } as const;
const int = { kind: 'int' } as const;
const bool = { kind: 'bool' } as const;
const strings = { kind: 'strings' } as const;
const map = (of: SpecType): ValueType => ({ kind: 'map', of });
const list = (of: SpecType): ValueType => ({ kind: 'list', of });

const read = (into: string): KeySupport => ({ kind: 'read', into });
const dropped = (reason: string, hint?: string): KeySupport =>
  hint === undefined ? { kind: 'dropped', reason } : { kind: 'dropped', reason, hint };
const unsupported = (reason: string, hint: string): KeySupport => ({ kind: 'unsupported', reason, hint });

const NO_USER_GROUP =
  'NixOS never creates a group named after each user, which is what noUserGroup asked for; ' +
  "nixport declares each user's primary group explicitly";

const NEVER_WIPES = 'nixport never wipes or formats disks: the data on them is what the migration keeps';

function keys(
  type: SpecType,
  entries: readonly (readonly [string, ValueType, Versions, KeySupport, Partial<Omit<SpecKey, 'type' | 'key' | 'value' | 'versions' | 'support'>>?])[],
): SpecKey[] {
  return entries.map(([key, value, versions, support, extra]) => ({ type, key, value, versions, support, ...(extra ?? {}) }));
}

const butane = { dialect: 'butane' } as const;

export const SPEC_KEYS: readonly SpecKey[] = [
  ...keys('Config', [
    ['ignition', map('Ignition'), ALL, read('the config section (its keys are listed below)')],
    ['storage', map('Storage'), ALL, read('files, directories, links, file systems, LUKS, disks, RAID')],
    ['systemd', map('Systemd'), ALL, read('Host.units')],
    ['networkd', map('Networkd'), V2, read('networkd files (reported: not migrated yet)')],
    ['passwd', map('Passwd'), ALL, read('Host.users, Host.groups')],
    ['kernelArguments', map('KernelArguments'), since3(33), read('HostStorage.kernelArguments')],
    ['variant', str, V3, read('the Butane variant (fcos or flatcar)'), butane],
    ['version', str, V3, read('the Butane spec version'), butane],
    ['bootDevice', map('BootDevice'), V3, read('HostStorage.bootDevice'), { ...butane, fcosSince: 3 }],
    [
      'grub',
      map('Opaque'),
      V3,
      unsupported(
        'GRUB menu users and passwords are not migrated',
        'NixOS boots with systemd-boot here; with GRUB use boot.loader.grub.users, with systemd-boot set boot.loader.systemd-boot.editor = false.',
      ),
      { ...butane, fcosSince: 5 },
    ],
  ]),
  ...keys('Ignition', [
    ['version', str, ALL, read('the spec version the config is read with'), { dialect: 'ignition' }],
    ['config', map('IgnitionConfig'), ALL, read('configs merged or replaced at provisioning (manual steps)')],
    [
      'timeouts',
      map('Opaque'),
      since2(21),
      dropped('HTTP timeouts for the downloads Ignition made while provisioning; nothing fetches them on NixOS'),
    ],
    [
      'security',
      map('Opaque'),
      since2(22),
      dropped(
        'certificate authorities Ignition trusted for its own downloads while provisioning; they were not added to the system trust store',
        'If services on the host need them, add the certificates to security.pki.certificates.',
      ),
    ],
    [
      'proxy',
      map('Opaque'),
      HTTP_EXTRAS,
      dropped('the proxy Ignition used for its own downloads while provisioning', 'For the host itself, set networking.proxy.default and networking.proxy.noProxy.'),
    ],
  ]),
  ...keys('IgnitionConfig', [
    ['append', list('ConfigReference'), V2, read('a manual step: appended configs are not fetched')],
    ['merge', list('ConfigReference'), V3, read('a manual step: merged configs are not fetched')],
    ['replace', map('ConfigReference'), ALL, read('a manual step: the replacing config is not fetched')],
  ]),
  ...keys('ConfigReference', [
    ['source', str, ALL, read('the manual step (URL)')],
    ['verification', map('Verification'), ALL, read('the manual step (hash)')],
    ['compression', str, since3(31), read('the manual step')],
    ['httpHeaders', list('HTTPHeader'), HTTP_EXTRAS, read('the manual step')],
    ['inline', str, since3(31), read('the manual step'), butane],
    ['local', str, since3(31), read('the manual step'), butane],
  ]),
  ...keys('Resource', [
    ['source', str, ALL, read('HostFile.content (data: URLs decoded) or HostFile.remote')],
    ['compression', str, ALL, read('HostFile.content (gzip decoded)')],
    ['verification', map('Verification'), ALL, read('checked for data: URLs; HostFile.remote.verification')],
    ['httpHeaders', list('HTTPHeader'), HTTP_EXTRAS, read('HostFile.remote (the manual step mentions them)')],
    ['inline', str, V3, read('HostFile.content'), butane],
    ['local', str, since3(31), read('HostFile.content (a file beside the Butane config)'), butane],
  ]),
  ...keys('Verification', [['hash', str, ALL, read('RemoteSource.verification')]]),
  ...keys('HTTPHeader', [
    ['name', str, HTTP_EXTRAS, read('part of the resource')],
    ['value', str, HTTP_EXTRAS, read('part of the resource')],
  ]),
  ...keys('Storage', [
    ['disks', list('Disk'), ALL, read('HostStorage.disks')],
    ['raid', list('Raid'), ALL, read('HostStorage.raid')],
    ['filesystems', list('Filesystem'), ALL, read('HostStorage.filesystems')],
    ['files', list('File'), ALL, read('Host.files')],
    ['directories', list('Directory'), since2(21), read('HostStorage.directories')],
    ['links', list('Link'), since2(21), read('HostStorage.links')],
    ['luks', list('Luks'), since3(32), read('HostStorage.luks')],
    ['trees', list('Tree'), since3(31), read('Host.files, HostStorage.links (files beside the Butane config)'), butane],
  ]),
  ...keys('Disk', [
    ['device', str, ALL, read('Disk.device')],
    ['wipeTable', bool, ALL, dropped(`Ignition erased the partition table while provisioning; ${NEVER_WIPES}`)],
    ['partitions', list('Partition'), ALL, read('Disk.partitions')],
  ]),
  ...keys('Partition', [
    ['label', str, ALL, read('Partition.label')],
    ['number', int, ALL, read('Partition.number')],
    ['size', int, only2(20), read('Partition.sizeMiB (from sectors, assuming 512-byte sectors)')],
    ['start', int, only2(20), read('Partition.startMiB (from sectors, assuming 512-byte sectors)')],
    ['sizeMiB', int, since2(23), read('Partition.sizeMiB')],
    ['startMiB', int, since2(23), read('Partition.startMiB')],
    ['typeGuid', str, ALL, read('Partition.typeGuid')],
    ['guid', str, since2(21), read('Partition.guid')],
    ['wipePartitionEntry', bool, since2(23), read('Partition.wipe')],
    ['shouldExist', bool, since2(23), read('Partition.shouldExist')],
    ['resize', bool, since3(32), read('Partition.resize')],
  ]),
  ...keys('Raid', [
    ['name', str, ALL, read('RaidArray.name')],
    ['level', str, ALL, read('RaidArray.level')],
    ['devices', strings, ALL, read('RaidArray.devices')],
    ['spares', int, ALL, read('RaidArray.spares')],
    ['options', strings, since2(22), read('RaidArray.options')],
  ]),
  ...keys('Filesystem', [
    ['name', str, V2, read('the file system files are written into')],
    ['mount', map('Mount'), V2, read('HostFilesystem (device, format, label, uuid)')],
    ['path', str, ALL, read('HostFilesystem.path')],
    ['device', str, V3, read('HostFilesystem.device')],
    ['format', str, V3, read('HostFilesystem.format')],
    ['wipeFilesystem', bool, V3, dropped(`Ignition wiped the device before making the file system; ${NEVER_WIPES}`)],
    ['label', str, V3, read('HostFilesystem.label')],
    ['uuid', str, V3, read('HostFilesystem.uuid')],
    ['options', strings, V3, dropped('mkfs options Ignition used when it created the file system, which exists already')],
    ['mountOptions', strings, since3(31), read('HostFilesystem.mountOptions')],
    ['withMountUnit', bool, since3(31), read('a generated .mount (or .swap) unit, as Butane makes it'), butane],
  ]),
  ...keys('Mount', [
    ['device', str, V2, read('HostFilesystem.device')],
    ['format', str, V2, read('HostFilesystem.format')],
    ['create', map('Opaque'), V2, dropped('mkfs settings Ignition used when it created the file system, which exists already')],
    ['wipeFilesystem', bool, only2(21), dropped(`Ignition wiped the device before making the file system; ${NEVER_WIPES}`)],
    ['label', str, only2(21), read('HostFilesystem.label')],
    ['uuid', str, only2(21), read('HostFilesystem.uuid')],
    ['options', strings, only2(21), dropped('mkfs options Ignition used when it created the file system, which exists already')],
  ]),
  ...keys('File', [
    ['filesystem', str, V2, read('HostFile.path (only `root` is the root file system)')],
    ['path', str, ALL, read('HostFile.path')],
    ['contents', map('Resource'), ALL, read('HostFile.content')],
    ['mode', int, ALL, read('HostFile.mode')],
    ['user', map('NodeUser'), ALL, read('HostFile.owner')],
    ['group', map('NodeGroup'), ALL, read('HostFile.group')],
    ['overwrite', bool, since2(22), read('HostFile.overwrite')],
    ['append', bool, only2(22), read('HostFile.append')],
    ['append', list('Resource'), V3, read('HostFile.content (fragments appended)')],
  ]),
  ...keys('Directory', [
    ['filesystem', str, only2(21), read('HostDirectory.path (only `root` is the root file system)')],
    ['path', str, since2(21), read('HostDirectory.path')],
    ['mode', int, since2(21), read('HostDirectory.mode')],
    ['user', map('NodeUser'), since2(21), read('HostDirectory.owner')],
    ['group', map('NodeGroup'), since2(21), read('HostDirectory.group')],
    ['overwrite', bool, since2(22), read('part of the directory (tmpfiles creates it or fixes its mode)')],
  ]),
  ...keys('Link', [
    ['filesystem', str, only2(21), read('HostLink.path (only `root` is the root file system)')],
    ['path', str, since2(21), read('HostLink.path')],
    ['target', str, since2(21), read('HostLink.target')],
    ['hard', bool, since2(21), read('HostLink.hard')],
    ['user', map('NodeUser'), since2(21), read('HostLink.owner')],
    ['group', map('NodeGroup'), since2(21), read('HostLink.group')],
    ['overwrite', bool, since2(22), read('HostLink.overwrite')],
  ]),
  ...keys('NodeUser', [
    ['id', int, ALL, read('the owner (a uid)')],
    ['name', str, since2(21), read('the owner (a user name)')],
  ]),
  ...keys('NodeGroup', [
    ['id', int, ALL, read('the group (a gid)')],
    ['name', str, since2(21), read('the group (a group name)')],
  ]),
  ...keys('Luks', [
    ['name', str, since3(32), read('LuksVolume.name')],
    ['device', str, since3(32), read('LuksVolume.device')],
    ['keyFile', map('Resource'), since3(32), read('LuksVolume.keyFile (a secret: a manual step, never the Nix store)')],
    ['label', str, since3(32), read('LuksVolume.label')],
    ['uuid', str, since3(32), read('LuksVolume.uuid')],
    ['options', strings, since3(32), dropped('cryptsetup luksFormat options Ignition used when it created the volume, which exists already')],
    ['wipeVolume', bool, since3(32), dropped(`Ignition wiped the device before creating the volume; ${NEVER_WIPES}`)],
    [
      'clevis',
      map('Clevis'),
      since3(32),
      read('LuksVolume.clevis'),
      { forbiddenIn: [{ variant: 'flatcar', reason: 'Butane rejects clevis in the flatcar variant (clevis is not supported in this spec version)' }] },
    ],
    ['discard', bool, since3(34), read('LuksVolume.discard')],
    [
      'openOptions',
      strings,
      since3(34),
      dropped('Ignition wrote these cryptsetup options into the LUKS2 header (--persistent), so they apply on the new host too'),
    ],
    [
      'cex',
      map('Opaque'),
      since3(35),
      unsupported('IBM Crypto Express (CEX) keys (s390x) are not migrated', 'Set up the volume key on the new host by hand; NixOS has no CEX support in its LUKS options.'),
    ],
  ]),
  ...keys('Clevis', [
    ['tang', list('Tang'), since3(32), read('ClevisBinding.tang')],
    ['tpm2', bool, since3(32), read('ClevisBinding.tpm2')],
    ['threshold', int, since3(32), read('ClevisBinding.threshold')],
    ['custom', map('ClevisCustom'), since3(32), read('ClevisBinding.custom')],
  ]),
  ...keys('Tang', [
    ['url', str, since3(32), read('ClevisBinding.tang[].url')],
    ['thumbprint', str, since3(32), read('ClevisBinding.tang[].thumbprint')],
    ['advertisement', str, since3(34), read('part of the tang server (used only to bind the volume)')],
  ]),
  ...keys('ClevisCustom', [
    ['pin', str, since3(32), read('ClevisBinding.custom')],
    ['config', str, since3(32), read('ClevisBinding.custom')],
    ['needsNetwork', bool, since3(32), read('ClevisBinding.custom')],
  ]),
  ...keys('Tree', [
    ['local', str, since3(31), read('the directory beside the Butane config'), butane],
    ['path', str, since3(31), read('where the tree goes on the host'), butane],
    ['user', map('NodeUser'), since3(36), read('HostFile.owner'), butane],
    ['group', map('NodeGroup'), since3(36), read('HostFile.group'), butane],
    ['fileMode', int, since3(36), read('HostFile.mode'), butane],
    ['dirMode', int, since3(36), read('part of the tree (directories are created by the files in them)'), butane],
  ]),
  ...keys('Systemd', [['units', list('Unit'), ALL, read('Host.units')]]),
  ...keys('Unit', [
    ['name', str, ALL, read('UnitText.unit')],
    ['contents', str, ALL, read('UnitText.text')],
    ['enable', bool, V2, read('UnitActivation.enable')],
    ['enabled', bool, since2(21), read('UnitActivation.enable')],
    ['mask', bool, ALL, read('UnitActivation.mask')],
    ['dropins', list('Dropin'), ALL, read('UnitText (drop-ins)')],
    ['contentsLocal', str, since3(34), read('UnitText.text (a file beside the Butane config)'), butane],
  ]),
  ...keys('Dropin', [
    ['name', str, ALL, read('UnitText.dropIn')],
    ['contents', str, ALL, read('UnitText.text')],
    ['contentsLocal', str, since3(34), read('UnitText.text (a file beside the Butane config)'), butane],
  ]),
  ...keys('Networkd', [['units', list('NetworkdUnit'), V2, read('networkd files (reported: not migrated yet)')]]),
  ...keys('NetworkdUnit', [
    ['name', str, V2, read('part of the networkd file')],
    ['contents', str, V2, read('part of the networkd file')],
    ['dropins', list('Dropin'), only2(22), read('part of the networkd file')],
  ]),
  ...keys('Passwd', [
    ['users', list('PasswdUser'), ALL, read('Host.users')],
    ['groups', list('PasswdGroup'), ALL, read('Host.groups')],
  ]),
  ...keys('PasswdUser', [
    ['name', str, ALL, read('User.name')],
    ['passwordHash', str, ALL, read('User.passwordHash')],
    ['sshAuthorizedKeys', strings, ALL, read('Host.authorizedKeys')],
    ['create', map('UserCreate'), V2, read('the user settings (the 2.0 spelling)')],
    ['uid', int, since2(21), read('User.uid')],
    ['gecos', str, since2(21), read('User.gecos')],
    ['homeDir', str, since2(21), read('User.home')],
    ['noCreateHome', bool, since2(21), read('User.noCreateHome')],
    ['primaryGroup', str, since2(21), read('User.primaryGroup')],
    ['groups', strings, since2(21), read('User.groups')],
    ['noUserGroup', bool, since2(21), dropped(NO_USER_GROUP)],
    ['noLogInit', bool, since2(21), dropped('it only kept useradd from adding the user to the lastlog and faillog databases')],
    ['shell', str, since2(21), read('User.shell')],
    ['system', bool, since2(21), read('User.system')],
    ['shouldExist', bool, since3(32), read('whether the user is declared (false: Ignition deleted it)')],
    ['sshAuthorizedKeysLocal', strings, since3(34), read('Host.authorizedKeys (files beside the Butane config)'), butane],
  ]),
  ...keys('UserCreate', [
    ['uid', int, V2, read('User.uid')],
    ['gecos', str, V2, read('User.gecos')],
    ['homeDir', str, V2, read('User.home')],
    ['noCreateHome', bool, V2, read('User.noCreateHome')],
    ['primaryGroup', str, V2, read('User.primaryGroup')],
    ['groups', strings, V2, read('User.groups')],
    ['noUserGroup', bool, V2, dropped(NO_USER_GROUP)],
    ['noLogInit', bool, V2, dropped('it only kept useradd from adding the user to the lastlog and faillog databases')],
    ['shell', str, V2, read('User.shell')],
    ['system', bool, V2, read('User.system')],
  ]),
  ...keys('PasswdGroup', [
    ['name', str, ALL, read('Group.name')],
    ['gid', int, ALL, read('Group.gid')],
    [
      'passwordHash',
      str,
      ALL,
      unsupported('group passwords (gshadow) are not carried: NixOS groups have none', 'Use group membership or sudo rules instead of newgrp passwords.'),
    ],
    ['system', bool, ALL, dropped('NixOS groups have no system flag; NixOS picks a gid when none is given')],
    ['shouldExist', bool, since3(32), read('whether the group is declared (false: Ignition deleted it)')],
  ]),
  ...keys('KernelArguments', [
    ['shouldExist', strings, since3(33), read('HostStorage.kernelArguments.shouldExist')],
    ['shouldNotExist', strings, since3(33), read('HostStorage.kernelArguments.shouldNotExist')],
  ]),
  ...keys('BootDevice', [
    ['layout', str, V3, read('BootDevice.layout'), { ...butane, fcosSince: 3 }],
    ['luks', map('BootDeviceLuks'), V3, read('BootDevice.luks'), { ...butane, fcosSince: 3 }],
    ['mirror', map('BootDeviceMirror'), V3, read('BootDevice.mirrorDevices'), { ...butane, fcosSince: 3 }],
  ]),
  ...keys('BootDeviceLuks', [
    ['tang', list('Tang'), V3, read('BootDevice.luks.tang'), { ...butane, fcosSince: 3 }],
    ['tpm2', bool, V3, read('BootDevice.luks.tpm2'), { ...butane, fcosSince: 3 }],
    ['threshold', int, V3, read('BootDevice.luks.threshold'), { ...butane, fcosSince: 3 }],
    ['discard', bool, V3, read('BootDevice.luks.discard'), { ...butane, fcosSince: 5 }],
    [
      'cex',
      map('Opaque'),
      V3,
      unsupported('IBM Crypto Express (CEX) keys (s390x) are not migrated', 'Set up the root volume key on the new host by hand.'),
      { ...butane, fcosSince: 6 },
    ],
    ['device', str, V3, read('part of the boot device (s390x layouts)'), { ...butane, fcosSince: 6 }],
  ]),
  ...keys('BootDeviceMirror', [['devices', strings, V3, read('BootDevice.mirrorDevices'), { ...butane, fcosSince: 3 }]]),
];

export interface Dialect {
  readonly name: 'ignition' | 'butane' | 'clc';
  /** The Ignition spec version whose keys apply. */
  readonly version: SpecVersion;
  /** Butane only. */
  readonly variant?: 'fcos' | 'flatcar';
  readonly minor?: number;
  /** The key table, when not SPEC_KEYS (the Container Linux Config has its own, derived from spec 2.3). */
  readonly keys?: readonly SpecKey[];
}

function inVersions(versions: Versions, v: SpecVersion): boolean {
  return versions.some(([from, to]) => v >= from && v <= to);
}

/** Whether a key exists in this dialect and version (ignoring variant prohibitions). */
export function keyApplies(k: SpecKey, d: Dialect): boolean {
  if (k.dialect && k.dialect !== d.name) return false;
  if (!inVersions(k.versions, d.version)) return false;
  if (k.fcosSince !== undefined && (d.variant !== 'fcos' || (d.minor ?? 0) < k.fcosSince)) return false;
  return true;
}

/** How a dialect spells a key: Ignition's camelCase, or Butane's and ct's snake_case (`sizeMiB` is `size_mib`). */
export function spelledKey(key: string, d: Pick<Dialect, 'name'>): string {
  if (d.name === 'ignition') return key;
  return key.replace(/MiB$/, 'Mib').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The key a map entry names in this dialect and version, or undefined for an unknown key. */
export function lookupKey(type: SpecType, spelled: string, d: Dialect): SpecKey | undefined {
  return (d.keys ?? SPEC_KEYS).find((k) => k.type === type && spelledKey(k.key, d) === spelled && keyApplies(k, d));
}

/** The same key in other versions or variants, to say when it appeared or went away. */
export function keyElsewhere(type: SpecType, spelled: string, d: Dialect): SpecKey[] {
  return (d.keys ?? SPEC_KEYS).filter((k) => k.type === type && spelledKey(k.key, d) === spelled && (!k.dialect || k.dialect === d.name));
}

/** The known key closest to an unknown one, for "did you mean" hints. */
export function closestKey(type: SpecType, spelled: string, d: Dialect): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of d.keys ?? SPEC_KEYS) {
    if (k.type !== type || !keyApplies(k, d)) continue;
    const name = spelledKey(k.key, d);
    const distance = editDistance(spelled.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}


/** `[[20, 24], [30, 36]]` as `2.0.0–2.4.0, 3.0.0–3.6.0`. */
export function describeVersions(versions: Versions): string {
  const name = (v: SpecVersion) => `${Math.floor(v / 10)}.${v % 10}.0`;
  return versions.map(([from, to]) => (from === to ? name(from) : `${name(from)}–${name(to)}`)).join(', ');
}
