/**
 * docs/support-matrix.md, generated from the tables that drive nixport: the
 * cloud-config keys, the systemd directives and unit mapping, the `docker run`
 * flags, the authorized_keys options and the binary table. It says, per
 * input, what nixport does with it today (stage 1): translated to a NixOS
 * option, passed through verbatim inside one, or reported.
 *
 * `supportMatrix()` builds the rows as data (the test checks its claims
 * against real conversions); `renderSupportMatrix()` prints them. Where a
 * table does not say what becomes of an entry (a cloud-config key names the
 * model field it fills, not the NixOS option), the mapping is written here,
 * next to the code that decides it, and the test probes it.
 */
import { SECTIONS_BY_UNIT_TYPE, SYSTEMD_DIRECTIVES, type DirectiveSpec } from '../model/systemd-directives.ts';
import { UNIT_TYPES, type UnitType } from '../model/unit.ts';
import { START_PHASES } from '../passes/exec.ts';
import {
  BINARY_TABLE,
  describeTarget,
  NIXOS_PATH_PREFIXES,
  SYSTEM_BIN_DIRS,
  UNIT_PATH_PACKAGES,
  type BinaryEntry,
} from '../passes/binary-table.ts';
import { KEY_OPTIONS, KEY_TYPES } from '../sources/authorized-keys.ts';
import { CONTENT_ENCODINGS } from '../sources/cloud-config/files.ts';
import { CLOUD_CONFIG_KEYS, type CloudConfigKey, type KeyContext } from '../sources/cloud-config/keys.ts';
import { REBOOT_STRATEGIES } from '../sources/cloud-config/update.ts';
import { statusOf, type FlagSpec } from '../sources/docker/flag-spec.ts';
import { GLOBAL_FLAGS } from '../sources/docker/global-flags.ts';
import { ociFlag, type OciFlagMapping } from '../sources/docker/oci-flags.ts';
import { RUN_FLAGS, type RunFlagSpec } from '../sources/docker/run-flags.ts';
import { VERBS } from '../sources/docker/verbs.ts';
import { DOCKER_ONLY_FLAGS, PODMAN_GLOBAL_FLAGS, PODMAN_ONLY_FLAGS } from '../sources/docker/podman-flags.ts';
import { OPERATORS } from '../sources/compose/interpolate.ts';
import { SERVICE_KEYS } from '../sources/compose/service-keys.ts';
import { CONTAINER_KEYS, keyOutcome, NETWORK_KEYS, QUADLET_HINTS, VOLUME_KEYS, type KeyRule } from '../sources/quadlet/index.ts';
import { describeVersions, SPEC_KEYS, spelledKey, type SpecKey, type SpecType } from '../sources/ignition/spec.ts';
import { BUTANE_SPECS, IGNITION_VERSIONS } from '../sources/ignition/versions.ts';
import { CLC_KEYS } from '../sources/clc/spec.ts';
import {
  BOOT_TARGET,
  EXEC_KEYS,
  INSTALL_DROPPED,
  INSTALL_OPTIONS,
  SOCKET_LIST_OPTIONS,
  STARTING_COMMANDS,
  UNIT_KINDS,
  UNIT_LIST_OPTIONS,
} from '../strategies/unit-mapping.ts';

export const SUPPORT_MATRIX_FILE = 'docs/support-matrix.md';

/** The command that rewrites the file; printed in its header and in the test's failure. */
export const SUPPORT_MATRIX_UPDATE = 'NIXPORT_UPDATE_DOCS=1 npx vitest run test/docs/support-matrix.test.ts';

/**
 * What nixport does with one input. Option names are patterns: `<...>`
 * stands for one attribute name (`<name>`, `<path>`, `<units>`).
 */
export type Outcome =
  | { readonly kind: 'translated'; readonly options: readonly string[]; readonly note?: string }
  | { readonly kind: 'passed-through'; readonly into: string; readonly note?: string }
  | { readonly kind: 'reported'; readonly fate: 'dropped' | 'unsupported'; readonly reason: string; readonly hint?: string }
  /** Taken in by nixport; the note says what becomes of it (a mapping of keys listed separately, ...). */
  | { readonly kind: 'read'; readonly note: string };

const translated = (options: string | readonly string[], note?: string): Outcome =>
  note === undefined
    ? { kind: 'translated', options: typeof options === 'string' ? [options] : options }
    : { kind: 'translated', options: typeof options === 'string' ? [options] : options, note };
const passed = (into: string, note?: string): Outcome =>
  note === undefined ? { kind: 'passed-through', into } : { kind: 'passed-through', into, note };
const dropped = (reason: string, hint?: string): Outcome =>
  hint === undefined ? { kind: 'reported', fate: 'dropped', reason } : { kind: 'reported', fate: 'dropped', reason, hint };
const unsupported = (reason: string, hint?: string): Outcome =>
  hint === undefined ? { kind: 'reported', fate: 'unsupported', reason } : { kind: 'reported', fate: 'unsupported', reason, hint };
const read = (note: string): Outcome => ({ kind: 'read', note });

// ---------------------------------------------------------------------------
// cloud-config

export interface CloudConfigRow {
  /** `users[].gecos`, `coreos.units[].drop_ins[].name`. */
  readonly path: string;
  readonly entry: CloudConfigKey;
  readonly outcome: Outcome;
}

const USER = 'users.users.<name>';
const ETC_FILE = 'environment.etc.<path>';
const OTHER_FILE = 'systemd.tmpfiles.settings.nixport-write-files.<path>.<type>';
const UNIT = 'systemd.<units>.<name>';

/**
 * What the strategies make of each model field a cloud-config key fills
 * (`CloudConfigKey.support.into`). From src/strategies/host/*.ts and
 * carry-unit.ts.
 */
const READ_OUTCOMES: Readonly<Record<string, Outcome>> = {
  'Host.hostname': translated('networking.hostName', 'a domain part goes to networking.domain; `--host` overrides the name'),
  'Host.users': translated(USER, 'one user per entry; its keys are listed below'),
  'Host.authorizedKeys (user core)': translated('users.users.core.openssh.authorizedKeys.keys', 'see authorized_keys below'),
  'Host.files': translated(
    [ETC_FILE, OTHER_FILE],
    'files under /etc go to environment.etc; others are linked from the store by tmpfiles; a file NixOS generates itself (/etc/hosts, /etc/fstab, ...) is reported',
  ),
  'units and update policy': read('a mapping; its keys are listed below'),
  'Host.units': translated([UNIT, 'fileSystems.<path>'], 'see Unit files below'),
  'Host.update': read('a mapping; its keys are listed below (system.autoUpgrade)'),
  'Host.update (reboot window)': read('a mapping; its keys are listed below (system.autoUpgrade)'),
  'UnitText.unit': translated([UNIT, 'fileSystems.<path>'], 'the unit type decides the option: see Unit files'),
  'UnitText.text': read('the unit file; see Unit files'),
  'UnitActivation.command': translated(
    [`${UNIT}.wantedBy`, 'fileSystems.<path>'],
    `${[...STARTING_COMMANDS].map((c) => `\`${c}\``).join(', ')} start the unit at boot (wanted by ${bootTargets()}); other commands are reported (dropped); a .mount unit is mounted at boot anyway`,
  ),
  'UnitActivation.enable': translated(`${UNIT}.wantedBy`, 'applies the [Install] section; `enable: false` leaves it unlinked (reported)'),
  'UnitActivation.runtime': dropped('NixOS keeps units in the store; a runtime-only unit has no separate meaning'),
  'UnitActivation.mask': translated(`${UNIT}.enable`, '`mask: true` sets it to false'),
  'UnitText (drop-ins)': translated(UNIT, 'merged into the unit by systemd rules'),
  'UnitText.dropIn': translated(UNIT, 'merged into the unit by systemd rules'),
  'UpdatePolicy.rebootStrategy': translated(
    'system.autoUpgrade.allowReboot',
    `one of ${REBOOT_STRATEGIES.map((s) => `\`${s}\``).join(', ')}; \`off\` does not reboot; \`etcd-lock\` loses its cluster lock (reported)`,
  ),
  'UpdatePolicy.group': dropped("the update channel is the flake's nixpkgs input, not a CoreOS group"),
  'UpdatePolicy.server': dropped('NixOS fetches updates through the flake inputs, not from an update server'),
  'UpdatePolicy.windowStart': translated('system.autoUpgrade.dates', 'with window_length'),
  'UpdatePolicy.windowLength': translated('system.autoUpgrade.rebootWindow', 'with window_start'),
  'User.name': translated(USER),
  'User.gecos': translated(`${USER}.description`),
  'User.groups': translated(`${USER}.extraGroups`, '`sudo` becomes `wheel`; groups of CoreOS-only tools (rkt, fleet, etcd, portage) are reported (dropped)'),
  'User.primaryGroup': translated(`${USER}.group`, 'without it, a group named after the user, as useradd made on CoreOS'),
  'User.home': translated(`${USER}.home`),
  'User.shell': translated(`${USER}.shell`, 'bash, sh, zsh, fish and nologin are known; another shell is reported'),
  'User.system': translated([`${USER}.isSystemUser`, `${USER}.isNormalUser`]),
  'User.noCreateHome': translated(`${USER}.createHome`),
  'User.passwordHash': translated(`${USER}.hashedPasswordFile`, 'a secret: the hash goes to a file outside the Nix store (--secrets); a locked password (`!`, `*`) stays in hashedPassword'),
  'User.uid': translated(`${USER}.uid`, 'a normal user below uid 1000 is reported, with a step to re-own its files'),
  'Host.authorizedKeys': translated(`${USER}.openssh.authorizedKeys.keys`, 'see authorized_keys below'),
  'HostFile.path': translated([ETC_FILE, OTHER_FILE]),
  'HostFile.content': translated([`${ETC_FILE}.text`, `${ETC_FILE}.source`], 'binary content is kept beside the module (`source`)'),
  'HostFile.content (decoded)': read(`decodes \`content\`: ${Object.keys(CONTENT_ENCODINGS).map((e) => `\`${e}\``).join(', ')}`),
  'HostFile.mode': translated(`${ETC_FILE}.mode`, 'outside /etc the store link is read-only'),
  'HostFile.owner, HostFile.group': translated([`${ETC_FILE}.user`, `${ETC_FILE}.group`], 'outside /etc the file is owned by root (reported)'),
};

function bootTargets(): string {
  return [...new Set(Object.values(BOOT_TARGET))].map((t) => `\`${t}\``).join(' or ');
}

function keyPath(context: KeyContext, key: string): string {
  return context === '' ? key : `${context}.${key}`;
}

function cloudConfigOutcome(entry: CloudConfigKey): Outcome {
  const s = entry.support;
  if (s.kind === 'dropped') return dropped(s.reason);
  if (s.kind === 'unsupported') return unsupported(s.reason, s.hint);
  const outcome = READ_OUTCOMES[s.into];
  if (!outcome) {
    throw new Error(`support matrix: cloud-config \`${keyPath(entry.context, entry.key)}\` fills ${s.into}; say what becomes of it in READ_OUTCOMES (src/docs/support-matrix.ts)`);
  }
  return outcome;
}

// ---------------------------------------------------------------------------
// Unit files

export interface UnitTypeRow {
  /** `service`, or a systemd-networkd suffix (`network`). */
  readonly type: string;
  readonly outcome: Outcome;
}

export interface SectionRow {
  readonly section: string;
  readonly readIn: readonly UnitType[];
  readonly directives: readonly DirectiveSpec[];
  /** Directives of the section without special handling (below). */
  readonly rest: Outcome;
}

export interface DirectiveRow {
  readonly sections: readonly string[];
  readonly key: string;
  readonly outcome: Outcome;
}

/** Unit types that are file systems or swap on NixOS (src/plan/index.ts, src/strategies/host/storage.ts). */
const STORAGE_UNIT_OUTCOMES: Readonly<Partial<Record<UnitType, Outcome>>> = {
  mount: translated('fileSystems.<path>', 'What= → device, Type= → fsType, Options= → options; its other settings are not expressed in the entry'),
  automount: unsupported('automount units are not carried yet', 'declare the file system in fileSystems with the x-systemd.automount option'),
  swap: unsupported('swap units are not carried yet', 'declare it in swapDevices'),
};

/** [Mount] keys the mounts pass reads into a fileSystems entry (src/passes/mounts.ts); Where= names it. */
const MOUNT_FIELDS: readonly (readonly [key: string, field: string | undefined])[] = [
  ['What', 'device'],
  ['Where', undefined],
  ['Type', 'fsType'],
  ['Options', 'options'],
];

/** systemd-networkd files coreos-cloudinit took under `coreos.units` (src/sources/cloud-config/units.ts). */
const NETWORKD_SUFFIXES = ['network', 'netdev', 'link'];

/** Keys the restart pass moves to the unit level (src/passes/restart.ts). */
const START_LIMIT_OPTIONS: Readonly<Record<string, string>> = {
  StartLimitIntervalSec: 'startLimitIntervalSec',
  StartLimitInterval: 'startLimitIntervalSec',
  StartLimitBurst: 'startLimitBurst',
};

/** Units of CoreOS's own machinery, dropped by the planner (src/plan/index.ts). */
export const COREOS_OWN_UNITS: readonly string[] = [
  'update-engine.service',
  'zincati.service',
  'locksmithd.service',
  'etcd.service',
  'etcd2.service',
  'etcd-member.service',
  'fleet.service',
  'fleet.socket',
  'flanneld.service',
  'early-docker.service',
  'early-docker.socket',
  'early-docker.target',
];

function unitTypeRows(): UnitTypeRow[] {
  const rows: UnitTypeRow[] = UNIT_TYPES.map((type): UnitTypeRow => {
    const kind = UNIT_KINDS[type];
    if (kind) {
      const note = kind.config ? `[${kind.section}] settings go to \`${kind.config}\`` : undefined;
      return { type, outcome: translated(`systemd.${kind.collection}.<name>`, note) };
    }
    const storage = STORAGE_UNIT_OUTCOMES[type];
    if (storage) return { type, outcome: storage };
    return { type, outcome: unsupported(`${type} units are not carried as services`) };
  });
  for (const suffix of NETWORKD_SUFFIXES) {
    rows.push({
      type: suffix,
      outcome: unsupported(
        `systemd-networkd files (.${suffix}) are not migrated yet`,
        `port them to systemd.network.${suffix}s by hand`,
      ),
    });
  }
  return rows;
}

/** [Unit], [Install], then each unit type's own section, then any the table has beyond those. */
function sectionsInOrder(): string[] {
  const own = UNIT_TYPES.flatMap((t) => SECTIONS_BY_UNIT_TYPE[t]);
  const known = new Set(SYSTEMD_DIRECTIVES.map((d) => d.section));
  return [...new Set(['Unit', 'Install', ...own, ...known])].filter((s) => known.has(s));
}

function unitTypesReading(section: string): UnitType[] {
  return UNIT_TYPES.filter((t) => SECTIONS_BY_UNIT_TYPE[t].includes(section));
}

/** The unit type whose `<config>` holds a section, if nixport carries that type. */
function kindOfSection(section: string): NonNullable<(typeof UNIT_KINDS)[UnitType]> | undefined {
  return Object.values(UNIT_KINDS).find((k) => k.section === section);
}

function sectionRest(section: string): Outcome {
  if (section === 'Unit') {
    return passed(`${UNIT}.unitConfig.<key>`, 'in a .mount unit: not expressed in the fileSystems entry; in a unit nixport does not carry: reported');
  }
  if (section === 'Install') return unsupported('an [Install] key systemd does not know');
  const kind = kindOfSection(section);
  if (kind?.config) return passed(`systemd.${kind.collection}.<name>.${kind.config}.<key>`);
  if (section === 'Mount') return read('not expressed in the fileSystems entry');
  const types = unitTypesReading(section).filter((t) => t !== 'service');
  const outcome = types.map((t) => STORAGE_UNIT_OUTCOMES[t]).find((o) => o !== undefined);
  return outcome ?? unsupported(`${types.join(', ')} units are not carried`);
}

function sectionRows(): SectionRow[] {
  return sectionsInOrder().map((section) => ({
    section,
    readIn: unitTypesReading(section),
    directives: SYSTEMD_DIRECTIVES.filter((d) => d.section === section),
    rest: sectionRest(section),
  }));
}

/** Sections of carried unit types that hold a key, in table order. */
function carriedSectionsWith(key: string): string[] {
  return SYSTEMD_DIRECTIVES.filter((d) => d.key === key && kindOfSection(d.section)?.config !== undefined).map((d) => d.section);
}

function configOption(section: string, key: string): string {
  const kind = kindOfSection(section)!;
  return `systemd.${kind.collection}.<name>.${kind.config}.${key}`;
}

function directiveRows(): DirectiveRow[] {
  const rows: DirectiveRow[] = [];
  const add = (sections: readonly string[], key: string, outcome: Outcome) => rows.push({ sections, key, outcome });

  add(['Unit'], 'Description', translated(`${UNIT}.description`));
  for (const [key, option] of Object.entries(UNIT_LIST_OPTIONS)) add(['Unit'], key, translated(`${UNIT}.${option}`));
  for (const [key, option] of Object.entries(START_LIMIT_OPTIONS)) {
    const sections = ['Unit', 'Service'].filter((s) => SYSTEMD_DIRECTIVES.some((d) => d.section === s && d.key === key));
    const legacy = sections.includes('Service') ? '; [Service] is where systemd before 230 took it' : '';
    add(sections, key, translated(`${UNIT}.${option}`, `NixOS sets start limits at the unit level${legacy}`));
  }
  for (const [key, option] of Object.entries(INSTALL_OPTIONS)) {
    add(['Install'], key, translated(`${UNIT}.${option}`, 'only when the old host enabled the unit (`enable: true`, or a unit file given on its own)'));
  }
  for (const [key, reason] of Object.entries(INSTALL_DROPPED)) add(['Install'], key, dropped(reason));

  // Only services have NixOS's `environment` option; elsewhere Environment= is passed through.
  add(['Service'], 'Environment', translated(`${UNIT}.environment.<NAME>`, 'one attribute per assignment'));
  add(['Service'], 'Restart', passed(configOption('Service', 'Restart'), '`always` also sets startLimitIntervalSec = 0, so restarts never stop'));
  const execSections = [...new Set([...EXEC_KEYS].flatMap(carriedSectionsWith))];
  for (const section of execSections) {
    for (const key of [...EXEC_KEYS].filter((k) => carriedSectionsWith(k).includes(section))) {
      // Mount steps are looked for in the start phases of services only (src/passes/mounts.ts).
      const mountStep =
        section === 'Service' && START_PHASES.includes(key) ? '; a `mount DEV DIR` step becomes fileSystems."DIR" (nofail, x-systemd.requires=<unit>)' : '';
      const shape = key === 'ExecStart' ? 'a string, or a list when repeated' : 'a list';
      add([section], key, passed(configOption(section, key), `${shape}; programs become store paths (see Programs)${mountStep}`));
    }
  }
  for (const [key, option] of Object.entries(SOCKET_LIST_OPTIONS)) add(['Socket'], key, translated(`systemd.sockets.<name>.${option}`));
  for (const [key, field] of MOUNT_FIELDS) add(['Mount'], key, translated(field ? `fileSystems.<path>.${field}` : 'fileSystems.<path>'));

  const ignored = new Map<string, string[]>();
  for (const d of SYSTEMD_DIRECTIVES.filter((x) => x.ignored)) ignored.set(d.key, [...(ignored.get(d.key) ?? []), d.section]);
  for (const [key, sections] of ignored) add(sections, key, dropped('systemd accepts it but ignores it (a removed or compiled-out feature)'));
  return rows;
}

// ---------------------------------------------------------------------------
// docker

export interface DockerFlagRow {
  readonly spec: RunFlagSpec;
  readonly outcome: Outcome;
  /** Where the flag goes in stage 2 (virtualisation.oci-containers), from src/sources/docker/oci-flags.ts. */
  readonly oci: string;
  /** What the passes read from the flag, besides passing it through. */
  readonly readFor?: string;
  /** Reported on every use, with this severity. */
  readonly reported?: 'warning' | 'info';
}

/** Where a `docker run` stays in stage 1: in its unit's command line. */
export const DOCKER_COMMAND_LINE = 'systemd.services.<name>.serviceConfig.<ExecKey>';

/** Flags the readers and passes look into (src/sources/docker/derive.ts, src/passes/firewall.ts, unit-paths.ts). */
const READ_FOR: Readonly<Record<string, string>> = {
  '--publish': 'firewall: the host port is opened in networking.firewall.allowed{TCP,UDP}Ports (or …PortRanges); loopback, random-port and SCTP publishes are reported',
  '--publish-all': 'firewall: reported, random host ports cannot be opened',
  '--network': 'firewall: `host` networking becomes a manual step (its ports are unknown)',
  '--volume': 'mounts: a bind source on a file system systemd mounts adds unitConfig.RequiresMountsFor',
  '--mount': 'mounts: as --volume, for type=bind',
  '--tmpfs': 'value checked; no host path, so no mount dependency',
  '--name': 'value checked',
  '--restart': 'value checked',
};

function dockerFlagRows(): DockerFlagRow[] {
  return RUN_FLAGS.map((spec) => {
    const status = statusOf(spec);
    const reported = status === 'removed' ? 'warning' : status === 'deprecated' ? 'info' : undefined;
    const readFor = READ_FOR[spec.name];
    return {
      spec,
      outcome: passed(DOCKER_COMMAND_LINE),
      oci: ociCell(spec.name),
      ...(readFor !== undefined ? { readFor } : {}),
      ...(reported !== undefined ? { reported } : {}),
    };
  });
}

/** Stage 2 of one flag, as the table in src/sources/docker/oci-flags.ts says. */
function ociCell(name: string): string {
  const flag = ociFlag(name);
  if (!flag) return 'not in the stage-2 table';
  const text = (m: OciFlagMapping): string => {
    switch (m.kind) {
      case 'option':
        return `\`containers.<name>.${m.option}\`${m.note ? ` (${m.note})` : ''}`;
      case 'extra':
        return `\`extraOptions\`${m.spelled ? `, as \`${m.spelled}\`` : ''}${m.note ? ` (${m.note})` : ''}`;
      case 'name':
        return 'the attribute name `containers.<name>`';
      case 'unit':
        return `\`systemd.services.<backend>-<name>.${m.option}\` (${m.note})`;
      case 'dropped':
        return `dropped: ${m.reason}`;
      case 'stage1':
        return `stays at stage 1: ${m.reason}`;
    }
  };
  return flag.podman ? `${text(flag.mapping)}; podman: ${text(flag.podman)}` : text(flag.mapping);
}

// ---------------------------------------------------------------------------
// Ignition and Butane

export interface IgnitionKeyRow {
  /** `storage.files[].mode`: where the key is, in Ignition's spelling (Butane's for keys only Butane has). */
  readonly path: string;
  /** Butane's spelling of the same path, or undefined when Butane has no such key. */
  readonly butane?: string;
  readonly spec: SpecKey;
  readonly outcome: Outcome;
}

/**
 * Where each object type of the spec sits in a config: the first path the
 * keys lead to from the top (a Resource is `storage.files[].contents`, and
 * also an append fragment or a key file).
 */
export function specTypePaths(): ReadonlyMap<SpecType, readonly string[]> {
  const paths = new Map<SpecType, string[]>([['Config', []]]);
  // Ignition's own keys of the newest spec first, so a type gets its path in current configs.
  const current = (k: SpecKey) => k.dialect === undefined && k.versions.some(([, to]) => to === 36);
  for (const pass of [current, () => true]) {
    const queue: SpecType[] = [...paths.keys()];
    for (let type = queue.shift(); type !== undefined; type = queue.shift()) {
      const base = paths.get(type)!;
      for (const k of SPEC_KEYS) {
        if (k.type !== type || !pass(k) || (k.value.kind !== 'map' && k.value.kind !== 'list')) continue;
        const child = k.value.of;
        if (paths.has(child) || child === 'Opaque') continue;
        paths.set(child, [...base, k.value.kind === 'list' ? `${k.key}[]` : k.key]);
        queue.push(child);
      }
    }
  }
  return paths;
}

function ignitionKeyRows(): IgnitionKeyRow[] {
  const paths = specTypePaths();
  const butaneName = (segment: string) => spelledKey(segment.replace(/\[\]$/, ''), { name: 'butane' }) + (segment.endsWith('[]') ? '[]' : '');
  return SPEC_KEYS.map((spec) => {
    const segments = [...(paths.get(spec.type) ?? [`<${spec.type}>`]), spec.key];
    const path = segments.join('.');
    const inButane = spec.dialect !== 'ignition' && spec.versions.some(([, to]) => to >= 30);
    return { path, ...(inButane ? { butane: segments.map(butaneName).join('.') } : {}), spec, outcome: specOutcome(spec) };
  });
}

function specOutcome(spec: SpecKey): Outcome {
  return spec.support.kind === 'read'
    ? read(spec.support.into)
    : spec.support.kind === 'dropped'
      ? dropped(spec.support.reason, spec.support.hint)
      : unsupported(spec.support.reason, spec.support.hint);
}

/** The Container Linux Config's keys, by their path in ct's spelling, from its own table. */
export function clcKeyRows(): { readonly path: string; readonly spec: SpecKey; readonly outcome: Outcome }[] {
  const spelled = (k: SpecKey) => spelledKey(k.key, { name: 'clc' });
  const paths = new Map<SpecType, string[]>([['Config', []]]);
  const queue: SpecType[] = ['Config'];
  for (let type = queue.shift(); type !== undefined; type = queue.shift()) {
    for (const k of CLC_KEYS) {
      if (k.type !== type || (k.value.kind !== 'map' && k.value.kind !== 'list') || k.value.of === 'Opaque' || paths.has(k.value.of)) continue;
      paths.set(k.value.of, [...paths.get(type)!, k.value.kind === 'list' ? `${spelled(k)}[]` : spelled(k)]);
      queue.push(k.value.of);
    }
  }
  return CLC_KEYS.map((spec) => ({ path: [...(paths.get(spec.type) ?? [`<${spec.type}>`]), spelled(spec)].join('.'), spec, outcome: specOutcome(spec) })).sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
}

// ---------------------------------------------------------------------------
// The whole matrix

export interface SupportMatrix {
  readonly cloudConfig: readonly CloudConfigRow[];
  readonly ignitionKeys: readonly IgnitionKeyRow[];
  readonly unitTypes: readonly UnitTypeRow[];
  readonly sections: readonly SectionRow[];
  readonly directives: readonly DirectiveRow[];
  readonly dockerFlags: readonly DockerFlagRow[];
  readonly globalFlags: readonly FlagSpec[];
  readonly keyOptions: typeof KEY_OPTIONS;
  readonly binaries: readonly BinaryEntry[];
}

export function supportMatrix(): SupportMatrix {
  return {
    cloudConfig: CLOUD_CONFIG_KEYS.map((entry) => ({ path: keyPath(entry.context, entry.key), entry, outcome: cloudConfigOutcome(entry) })),
    ignitionKeys: ignitionKeyRows(),
    unitTypes: unitTypeRows(),
    sections: sectionRows(),
    directives: directiveRows(),
    dockerFlags: dockerFlagRows(),
    globalFlags: GLOBAL_FLAGS,
    keyOptions: KEY_OPTIONS,
    binaries: BINARY_TABLE,
  };
}

// ---------------------------------------------------------------------------
// Markdown

const code = (s: string) => `\`${s}\``;
const codes = (xs: readonly string[]) => xs.map(code).join(', ');

function and(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/** Fills text into lines of at most 80 columns (a longer word stands alone); `indent` starts the following lines. */
function wrap(text: string, first = '', indent = ''): string {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (!empty && line.length + 1 + word.length > 80) {
      lines.push(line);
      line = indent + word;
    } else {
      line += empty ? word : ` ${word}`;
    }
    empty = false;
  }
  lines.push(line);
  return lines.join('\n');
}

const paragraphs = (...ps: readonly string[]) => ps.map((p) => wrap(p)).join('\n\n');
const bullets = (items: readonly string[]) => items.map((item) => wrap(item, '- ', '  ')).join('\n');

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function outcomeCells(o: Outcome): [string, string, string] {
  switch (o.kind) {
    case 'translated':
      return ['translated', o.options.map(code).join(' or '), o.note ?? ''];
    case 'passed-through':
      return ['passed through', code(o.into), o.note ?? ''];
    case 'reported':
      return [`reported (${o.fate})`, o.reason, o.hint ?? ''];
    case 'read':
      return ['read', o.note, ''];
  }
}

function countOutcomes(outcomes: readonly Outcome[]): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    const label = outcomeCells(o)[0];
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return and([...counts].map(([label, n]) => `${n} ${label}`));
}

const HEADER = `<!--
  Generated by src/docs/support-matrix.ts from nixport's tables; do not edit.
  test/docs/support-matrix.test.ts fails when this file is stale. Regenerate with
    ${SUPPORT_MATRIX_UPDATE}
-->`;

function intro(): string {
  return [
    '# Support matrix',
    paragraphs(
      'What nixport does today (stage 1: every service is carried 1:1 and keeps running its containers with the Docker CLI) with each input it knows. Each entry has one of these outcomes:',
    ),
    bullets([
      '**translated**: it becomes the NixOS option named.',
      "**passed through**: it is carried verbatim inside another option: unit settings in `serviceConfig` or `unitConfig`, `docker run` flags in the unit's command line, authorized_keys options in the key line.",
      '**reported**: it is not carried, and the migration report lists it with its origin and reason: *dropped* when the old host did nothing NixOS lacks, *unsupported* when you must act.',
      '**read**: nixport takes it in; the note says what becomes of it.',
    ]),
    paragraphs(
      `Inputs no table knows are reported too: an unknown cloud-config key is not carried, an unknown \`docker run\` flag or unit directive is passed through with a warning or note. Option names are patterns: \`<name>\` stands for one attribute name, \`<units>\` for ${and(Object.values(UNIT_KINDS).map((k) => code(k.collection)))}.`,
    ),
    [
      '1. [cloud-config keys](#cloud-config-keys)',
      '2. [Ignition and Butane keys](#ignition-and-butane-keys)',
      '3. [Unit files](#unit-files)',
      '4. [docker run flags](#docker-run-flags)',
      '5. [authorized_keys](#authorized_keys)',
      '6. [Programs](#programs)',
      '7. [Compose files](#compose-files)',
      '8. [Quadlet files](#quadlet-files)',
    ].join('\n'),
  ].join('\n\n');
}

function renderCloudConfig(rows: readonly CloudConfigRow[]): string {
  return [
    '## cloud-config keys',
    paragraphs(
      `The coreos-cloudinit dialect (CoreOS, Flatcar), which reads \`-\` and \`_\` in key names alike. ${rows.length} keys: ${countOutcomes(rows.map((r) => r.outcome))}. \`[]\` stands for any entry of a list. Any other key is reported (unsupported), as coreos-cloudinit ignored it, with a "did you mean" hint.`,
    ),
    table(
      ['Key', 'Outcome', 'NixOS option, or why not', 'Notes'],
      rows.map((r) => [code(r.path), ...outcomeCells(r.outcome)]),
    ),
  ].join('\n\n');
}

function renderIgnition(rows: readonly IgnitionKeyRow[]): string {
  const butane = BUTANE_SPECS.map((b) => `${b.variant} ${b.version}`);
  return [
    '## Ignition and Butane keys',
    paragraphs(
      `Ignition JSON of spec ${IGNITION_VERSIONS[0]} to ${IGNITION_VERSIONS[IGNITION_VERSIONS.length - 1]}, and Butane YAML (${and(butane)}), which nixport reads into the same shape as Butane transpiles it to Ignition. ${rows.length} keys: ${countOutcomes(rows.map((r) => r.outcome))}. A key is known in the spec versions listed; in any other version, and for any other key, it is reported as an error (unsupported), since Ignition and Butane ignored it. Butane spells keys in snake_case; its own keys (\`inline\`, \`local\`, \`contents_local\`, \`with_mount_unit\`, \`trees\`, \`boot_device\`, ...) are expanded as Butane expands them.`,
      'What the model fields become: files go where cloud-config files go (environment.etc under /etc, tmpfiles elsewhere; `C` for `overwrite: false`, `f` for entries without contents; appended fragments and remote sources become manual steps), /etc/hostname becomes networking.hostName and Flatcar\'s update.conf system.autoUpgrade; directories and symbolic links become tmpfiles `d` and `L`/`L+`; file systems become fileSystems (through their mount unit, or at their path with `nofail`) or swapDevices; LUKS volumes become boot.initrd.luks.devices (the root) or /etc/crypttab lines, Clevis boot.initrd.clevis or manual steps; disks, partitions and RAID arrays a disko-style layout in a manual step; kernel arguments boot.kernelParams; users, groups, keys and units the same options as for cloud-config.',
    ),
    table(
      ['Key', 'Butane', 'Spec versions', 'Outcome', 'What becomes of it, or why not', 'Notes'],
      rows.map((r) => [
        code(r.spec.dialect === 'butane' ? (r.butane ?? r.path) : r.path),
        r.butane === undefined ? '' : r.spec.dialect === 'butane' ? 'Butane only' + (r.spec.fcosSince !== undefined ? ` (fcos 1.${r.spec.fcosSince}.0+)` : '') : code(r.butane),
        describeVersions(r.spec.versions),
        ...outcomeCells(r.outcome),
      ]),
    ),
    renderClc(clcKeyRows()),
  ].join('\n\n');
}

function renderClc(rows: ReturnType<typeof clcKeyRows>): string {
  return [
    '### Container Linux Config keys',
    paragraphs(
      `The YAML Flatcar's \`ct\` transpiles to Ignition spec 2.3.0, read without running ct: a file with no \`#cloud-config\` line and no \`variant:\` whose top-level keys are all ct's sections. It goes through the same builder as Ignition, with ct's key set: Ignition 2.3.0's keys in snake_case, file \`contents\` as \`inline\`/\`local\`/\`remote\`, hashes as \`{function, sum}\`, partition sizes with units, files without a mode 0644 and directories 0755 (as ct writes them), and ct's own sections: \`update\` and \`locksmith\` become the update policy (system.autoUpgrade, as cloud-config's \`coreos.update\`/\`coreos.locksmith\`), \`docker.flags\` the DOCKER_OPTS drop-in ct writes (virtualisation.docker.extraOptions). ${rows.length} keys: ${countOutcomes(rows.map((r) => r.outcome))}. Any other key is reported with a warning (unsupported), as ct warned about it and went on without it.`,
    ),
    table(
      ['Key', 'Outcome', 'What becomes of it, or why not', 'Notes'],
      rows.map((r) => [code(r.path), ...outcomeCells(r.outcome)]),
    ),
  ].join('\n\n');
}

/** Directives grouped the way the table builds them: by man page, each group shared by the same sections. */
function directiveGroups(): { man: string; sections: string[]; directives: DirectiveSpec[] }[] {
  const groups = new Map<string, { man: string; sections: string[]; directives: DirectiveSpec[] }>();
  const sectionsOf = new Map<string, string[]>();
  for (const d of SYSTEMD_DIRECTIVES) {
    const id = `${d.man}\0${d.key}`;
    sectionsOf.set(id, [...(sectionsOf.get(id) ?? []), d.section]);
  }
  for (const d of SYSTEMD_DIRECTIVES) {
    const sections = sectionsOf.get(`${d.man}\0${d.key}`)!;
    const id = `${d.man}\0${sections.join(' ')}`;
    const group = groups.get(id) ?? { man: d.man, sections, directives: [] };
    if (!group.directives.some((x) => x.key === d.key)) group.directives.push(d);
    groups.set(id, group);
  }
  return [...groups.values()];
}

function renderDirectiveGroup(g: { man: string; sections: string[]; directives: DirectiveSpec[] }): string {
  const keys = (acc: DirectiveSpec['accumulation']) => g.directives.filter((d) => d.accumulation === acc && !d.aliasOf).map((d) => d.key);
  const lines: string[] = [];
  for (const [label, acc] of [['Single', 'single'], ['List', 'list'], ['Dependencies', 'append']] as const) {
    if (keys(acc).length > 0) lines.push(`${label}: ${keys(acc).join(', ')}.`);
  }
  const aliases = g.directives.filter((d) => d.aliasOf).map((d) => `${d.key} (${d.aliasOf})`);
  if (aliases.length > 0) lines.push(`Legacy spellings: ${aliases.join(', ')}.`);
  const where = g.sections.map((s) => `[${s}]`).join(' ');
  return `<details><summary>${g.man}, in ${where}: ${g.directives.length} directives</summary>

${bullets(lines)}

</details>`;
}

function renderUnits(m: SupportMatrix): string {
  const sectionTable = table(
    ['Section', 'Read in', 'Directives', 'Without special handling'],
    m.sections.map((s) => {
      const [outcome, where] = outcomeCells(s.rest);
      const readIn = s.readIn.length === UNIT_TYPES.length ? 'every unit' : s.readIn.map((t) => `.${t}`).join(', ');
      return [`[${s.section}]`, readIn, String(s.directives.length), `${outcome}: ${where}`];
    }),
  );
  const directiveTable = table(
    ['Section', 'Directive', 'Outcome', 'NixOS option, or why not', 'Notes'],
    m.directives.map((d) => [d.sections.map((s) => `[${s}]`).join(' '), code(`${d.key}=`), ...outcomeCells(d.outcome)]),
  );
  return [
    '## Unit files',
    paragraphs(
      "Units come from `coreos.units` or from unit files and drop-ins given directly. Drop-ins are merged by systemd's rules first: a repeated single-value directive replaces the earlier one, a list accumulates and an empty assignment clears it, and dependencies only accumulate (an empty one is ignored and reported).",
      `The units of CoreOS itself are reported (dropped): ${codes(COREOS_OWN_UNITS)}.`,
    ),
    '### Unit types',
    table(
      ['Type', 'Outcome', 'NixOS option, or why not', 'Notes'],
      m.unitTypes.map((t) => [code(`.${t.type}`), ...outcomeCells(t.outcome)]),
    ),
    '### Sections',
    paragraphs(
      `nixport's directive table knows ${new Set(SYSTEMD_DIRECTIVES.map((d) => d.key)).size} directives in ${m.sections.length} sections. A section systemd does not read in a unit of that type is reported (dropped), as systemd ignores it; so are \`[X-…]\` sections, which other tools (fleet) read. A directive missing from the table is passed through as a single value, with a note in the report.`,
    ),
    sectionTable,
    '### Directives with special handling',
    directiveTable,
    '### All directives',
    paragraphs(
      'Single: a later assignment replaces an earlier one. List: assignments accumulate; an empty one clears the list. Dependencies: assignments accumulate; an empty one is ignored. Legacy spellings are read as the directive they name.',
    ),
    directiveGroups().map(renderDirectiveGroup).join('\n\n'),
  ].join('\n\n');
}

function flagNames(spec: FlagSpec): string {
  return [spec.name, ...(spec.short ? [spec.short] : []), ...(spec.aliases ?? [])].map(code).join(', ');
}

function flagStatus(r: DockerFlagRow): string {
  const status = statusOf(r.spec);
  if (status === 'current') return '';
  const reported = r.reported === undefined ? '' : `, reported (${r.reported})`;
  return `${status}${reported}${r.spec.note === undefined ? '' : `: ${r.spec.note}`}`;
}

function renderDocker(m: SupportMatrix): string {
  const verbs = VERBS.map((v) => v.verb).filter((v) => v !== 'run' && v !== 'create');
  return [
    '## docker run flags',
    paragraphs(
      `In stage 1 a unit that ran \`docker run\` still does: every flag is passed through verbatim in the unit's command line (\`${DOCKER_COMMAND_LINE}\`); only the program becomes \`\${pkgs.docker}/bin/docker\`. Values stay as written, except secrets (invariant 3): \`-e NAME=secret\` becomes \`-e NAME\`, which docker reads from the unit's secret \`EnvironmentFile=\`, and any other secret on the line becomes \`\${NIXPORT_SECRET_n}\`, which systemd expands from that file, so the command docker runs is the same. A few flags are also read, to open the firewall and to order the unit after its mounts.`,
      `A flag the table does not know is kept and reported (warning); so is a \`docker run\` flag given to \`docker create\`. Other verbs (${codes(verbs)}) are passed through the same way.`,
      'In stage 2 (`--stage oci`, `--strategy NAME=oci`, and every container from a `docker run` script, `--docker-run` or `docker inspect`) the container is declared in `virtualisation.oci-containers.containers.<name>` instead; the column *Stage 2 (oci)* says where each flag goes. A unit with a flag marked *stays at stage 1* keeps running `docker run`; a flag nixport does not know goes to `extraOptions` only when its value is certain (`--flag=value`).',
    ),
    table(
      ['Flag', 'Group', 'Outcome', 'Stage 2 (oci)', 'Also read for', 'Status', 'Description'],
      m.dockerFlags.map((r) => [
        flagNames(r.spec),
        r.spec.group,
        outcomeCells(r.outcome)[0],
        r.oci,
        r.readFor ?? '',
        flagStatus(r),
        r.spec.description + (r.spec.runOnly ? ' (`docker run` only)' : ''),
      ]),
    ),
    '### Flags of `docker` itself',
    paragraphs('Written before the verb (`docker -H tcp://nas:2375 run …`) and passed through verbatim like the others.'),
    table(
      ['Flag', 'Outcome', 'Description'],
      m.globalFlags.map((f) => [flagNames(f), 'passed through', f.description]),
    ),
    '### podman run',
    paragraphs(
      `Units that run \`podman\` (Fedora CoreOS) are read the same way: every flag above with the same meaning, and podman's own below. In stage 1 they keep running \`\${pkgs.podman}/bin/podman\` with \`virtualisation.podman.enable = true\` and no daemon to order after; the firewall and mount passes read them as they read \`docker run\`. In stage 2 the backend is podman when every container of the host ran with podman (\`--backend\` overrides); with the docker backend, a podman-only flag or value (\`--userns=keep-id\`, \`--network=pasta\`, \`-v …:U\`) keeps the unit at stage 1. \`podman run\` lines of scripts and \`--docker-run\` commands are read the same way, as containers with no unit. A unit \`podman generate systemd --new\` wrote (Type=notify, \`--cidfile=%t/%n.ctr-id --cgroups=no-conmon\`, the ID file removed before the start, \`podman stop\`/\`podman rm\` by it) moves to stage 2 as well: those lines and flags are dropped with the reason (the podman backend's unit does the same), the rest is mapped as for any unit.`,
      `Docker flags podman refuses are kept (so the image is still found) and reported (warning): ${codes(Object.keys(DOCKER_ONLY_FLAGS))}. Flags of \`podman\` itself, before the verb, are passed through: ${codes(PODMAN_GLOBAL_FLAGS.map((f) => f.name))}.`,
    ),
    table(
      ['Flag', 'Group', 'Outcome', 'Stage 2 (oci)', 'Description'],
      PODMAN_ONLY_FLAGS.map((spec) => [flagNames(spec), spec.group, 'passed through', ociCell(spec.name), spec.description + (spec.runOnly ? ' (`podman run` only)' : '')]),
    ),
  ].join('\n\n');
}

/** Key types sshd on NixOS no longer accepts; readKeyLine reports them (src/sources/authorized-keys.ts). */
export const DSA_KEY_TYPES: readonly string[] = KEY_TYPES.filter((t) => t.startsWith('ssh-dss'));

function renderKeys(m: SupportMatrix): string {
  return [
    '## authorized_keys',
    paragraphs(
      'Keys from `ssh_authorized_keys` (at the top level, for user `core`; under a user, for that user) and from authorized_keys files go to `users.users.<name>.openssh.authorizedKeys.keys`, one line per key, byte for byte. The one change: the programs of a forced `command="…"` become store paths (see Programs), so the restriction keeps working. A line sshd would refuse (an unknown option or key type, a bad value) is reported (unsupported) at its position.',
      `Key types: ${codes(KEY_TYPES)}. ${and(DSA_KEY_TYPES.map(code))} keys are carried and reported (warning): OpenSSH 10 removed DSA.`,
    ),
    table(
      ['Option', 'Value', 'Restricts the key', 'Outcome', 'Notes'],
      m.keyOptions.map((o) => [
        code(o.name),
        o.takesValue ? code(`${o.name}="…"`) : '',
        o.restricts ? 'yes' : '',
        'passed through',
        o.name === 'command' ? 'its programs become store paths' : '',
      ]),
    ),
  ].join('\n\n');
}

const VERIFIED: Readonly<Record<string, string>> = {
  source: 'nixpkgs source read',
  usage: 'common in NixOS configurations',
  none: 'unverified',
};

function becomes(entry: BinaryEntry): [string, string] {
  const name = entry.names.length === 1 ? entry.names[0]! : '<name>';
  const t = entry.target;
  const from = t.kind === 'package' ? code(`pkgs.${t.attr.join('.')}`) : t.kind === 'wrapper' ? 'setuid wrapper' : 'kept';
  return [code(describeTarget(entry, name)), from];
}

function binaryNotes(entry: BinaryEntry): string {
  const notes: string[] = [];
  if (entry.target.kind === 'wrapper' && entry.target.needs) notes.push(`needs ${entry.target.needs}`);
  if (entry.runs) notes.push('the program it runs is rewritten too');
  if (entry.note) notes.push(entry.note);
  return notes.join('; ');
}

function renderBinaries(m: SupportMatrix): string {
  const counts = new Map<string, number>();
  for (const e of m.binaries) counts.set(e.verified ?? 'none', (counts.get(e.verified ?? 'none') ?? 0) + 1);
  const status = and(
    Object.keys(VERIFIED)
      .filter((k) => counts.has(k))
      .map((k) => `${counts.get(k)} ${VERIFIED[k]}`),
  );
  const names = m.binaries.reduce((n, e) => n + e.names.length, 0);
  return [
    '## Programs',
    paragraphs(
      'Programs on command lines (`Exec*=` lines, `sh -c` payloads, forced commands) are rewritten to what the new host has: a program from a nixpkgs package, a setuid wrapper in `/run/wrappers/bin`, or a path every NixOS host has (kept).',
      `A program under ${codes(SYSTEM_BIN_DIRS)} that the table lacks is reported (warning) and kept, and so is a bare name it lacks. Paths under ${codes(NIXOS_PATH_PREFIXES)} and files the old host wrote itself (write_files) are kept. In shell payloads, bare names from ${codes(UNIT_PATH_PACKAGES)} stay, as NixOS puts these packages on every unit's PATH.`,
      `${m.binaries.length} entries, ${names} program names. Verified: ${status}.`,
    ),
    table(
      ['Programs', 'Becomes', 'From', 'Verified', 'Notes'],
      m.binaries.map((e) => [codes(e.names), ...becomes(e), VERIFIED[e.verified ?? 'none']!, binaryNotes(e)]),
    ),
  ].join('\n\n');
}

/** Compose files: every service key of the Compose Specification, from the reader's table (src/sources/compose/service-keys.ts). */
function renderCompose(): string {
  const status: Readonly<Record<string, string>> = { translated: 'translated', partly: 'translated in part', dropped: 'reported (dropped)', unsupported: 'reported (unsupported)' };
  return [
    '## Compose files',
    paragraphs(
      'A Compose project is loaded as Docker Compose loads it (`.env` or `--env-file`, interpolation, override files and `-f`, `extends`, `include`, `profiles`, the project name) and validated against the Compose Specification\'s schema. Each service becomes the `docker run` Compose would run, so its flags map as in [docker run flags](#docker-run-flags), onto `virtualisation.oci-containers.containers.<project>-<service>` (stage 2; Compose services have no stage 1). Networks and named volumes are created by oneshot units ordered before the containers; one target per project, `<backend>-compose-<project>-root.target`, starts and stops the stack.',
      `Interpolation: ${codes(['$VAR', '${VAR}', ...OPERATORS.map((o) => `\${VAR${o.op}x}`), '$$'])}.`,
    ),
    table(
      ['Service key', 'Outcome', 'What becomes of it'],
      Object.entries(SERVICE_KEYS).map(([key, k]) => [code(key), status[k.status] ?? k.status, k.doc]),
    ),
  ].join('\n\n');
}

/** podman Quadlet files: each key, and the `podman run` (or `podman network/volume create`) flag it becomes. */
function renderQuadlet(): string {
  const rows = (keys: Readonly<Record<string, KeyRule>>) =>
    Object.entries(keys).map(([key, rule]) => [code(`${key}=`), rule.kind === 'reported' ? `reported (${rule.fate})` : 'read', keyOutcome(rule)]);
  return [
    '## Quadlet files',
    paragraphs(
      'podman\'s systemd generator makes a unit of each Quadlet file at boot (podman-systemd.unit(5)). nixport reads rootful ones: files given as inputs (`web.container` with a `[Container]` section, `app.network`, `data.volume`) and those a config writes under `/etc/containers/systemd/` or `/usr/share/containers/systemd/` (Butane/Ignition `storage.files`, cloud-config `write_files`). Each `.container` becomes the `podman run` the generator would write, each flag with the file:line:col of its key, and converts like any container without a unit: at stage 2 (podman backend unless `--backend docker`; there is no stage 1, since no unit file of the host ran it) or at stage 3 through the recipes. The container is `systemd-<file name>` unless `ContainerName=` names it; its unit keeps the name the generator gave it (`web.service`) as an alias. A converted file is no longer written to `environment.etc`.',
      '[Unit], [Service] and [Install] are carried onto the container\'s unit as the generator passed them on: `After=`/`Requires=` on another Quadlet container become its new unit name or `dependsOn`, on a `.network`/`.volume` file the oneshot that creates it; `Restart=` as the file had it (none is `no`, as Quadlet\'s unit had none); `WantedBy=` a boot target is `autoStart` (without [Install] the container is not started at boot); Quadlet\'s implicit order after `network-online.target` is kept unless `[Quadlet] DefaultDependencies=false`. `Type=` other than notify and `Exec*=` lines in [Service] are reported. Unknown keys and sections are reported (warning) with their origin.',
      `Not converted, carried as plain files and reported (warning): a user\'s rootless Quadlets (\`~/.config/containers/systemd/\`, \`/etc/containers/systemd/users/\`; running them as root would loosen them), drop-ins (\`web.container.d/*.conf\`), templates (\`name@.container\`), and the kinds ${and(Object.keys(QUADLET_HINTS).map((k) => code(`.${k}`)))}, each with a hint.`,
    ),
    '### [Container]',
    table(['Key', 'Outcome', 'Becomes (see the flag under docker run flags and podman run)'], rows(CONTAINER_KEYS)),
    '### [Network]',
    paragraphs('A `.network` file is the network `systemd-<file name>` (or `NetworkName=`), created by a oneshot before the containers that join it, with these `podman network create` flags.'),
    table(['Key', 'Outcome', 'Becomes'], rows(NETWORK_KEYS)),
    '### [Volume]',
    paragraphs('A `.volume` file is the named volume `systemd-<file name>` (or `VolumeName=`), created by a oneshot before the containers that mount it, with these `podman volume create` flags.'),
    table(['Key', 'Outcome', 'Becomes'], rows(VOLUME_KEYS)),
  ].join('\n\n');
}

export function renderSupportMatrix(m: SupportMatrix = supportMatrix()): string {
  const parts = [HEADER, intro(), renderCloudConfig(m.cloudConfig), renderIgnition(m.ignitionKeys), renderUnits(m), renderDocker(m), renderKeys(m), renderBinaries(m), renderCompose(), renderQuadlet()];
  return `${parts.join('\n\n')}\n`;
}
