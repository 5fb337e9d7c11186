import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  COREOS_OWN_UNITS,
  DOCKER_COMMAND_LINE,
  DSA_KEY_TYPES,
  renderSupportMatrix,
  SUPPORT_MATRIX_UPDATE,
  supportMatrix,
  type Outcome,
} from '../../src/docs/support-matrix.ts';
import { convert, type InputFile } from '../../src/index.ts';
import type { DirectiveSpec, ValueKind } from '../../src/model/systemd-directives.ts';
import { SYSTEMD_DIRECTIVES } from '../../src/model/systemd-directives.ts';
import { UNIT_TYPES } from '../../src/model/unit.ts';
import { BINARY_TABLE, describeTarget } from '../../src/passes/binary-table.ts';
import type { ReportFate, ReportItem } from '../../src/report/types.ts';
import { KEY_OPTIONS } from '../../src/sources/authorized-keys.ts';
import { CLOUD_CONFIG_KEYS, normalizeKey } from '../../src/sources/cloud-config/keys.ts';
import { statusOf, takesValue } from '../../src/sources/docker/flag-spec.ts';
import { GLOBAL_FLAGS } from '../../src/sources/docker/global-flags.ts';
import { RUN_FLAGS, type RunFlagSpec } from '../../src/sources/docker/run-flags.ts';
import { DOCKER_ONLY_FLAGS, PODMAN_ONLY_FLAGS } from '../../src/sources/docker/podman-flags.ts';
import { CONTAINER_KEYS, NETWORK_KEYS, VOLUME_KEYS } from '../../src/sources/quadlet/index.ts';

const flagCell = (f: RunFlagSpec) => [f.name, ...(f.short ? [f.short] : []), ...(f.aliases ?? [])].map((n) => `\`${n}\``).join(', ');
import { SPEC_KEYS, spelledKey, type SpecType } from '../../src/sources/ignition/spec.ts';
import { UNIT_KINDS } from '../../src/strategies/unit-mapping.ts';

const file = fileURLToPath(new URL('../../docs/support-matrix.md', import.meta.url));
const matrix = supportMatrix();
const rendered = renderSupportMatrix(matrix);

describe('docs/support-matrix.md', () => {
  it('matches what the tables generate (NIXPORT_UPDATE_DOCS=1 rewrites it)', () => {
    if (process.env.NIXPORT_UPDATE_DOCS === '1') writeFileSync(file, rendered);
    const actual = existsSync(file) ? readFileSync(file, 'utf8') : '';
    expect(actual, `docs/support-matrix.md is stale; regenerate it with\n  ${SUPPORT_MATRIX_UPDATE}`).toBe(rendered);
  });

  it('is the same text on every run', () => {
    expect(renderSupportMatrix(supportMatrix())).toBe(rendered);
  });

  it('has a row for every entry of every table', () => {
    const missing: string[] = [];
    const need = (what: string, text: string) => {
      if (!rendered.includes(text)) missing.push(what);
    };
    for (const k of CLOUD_CONFIG_KEYS) need(`cloud-config ${k.key}`, `| \`${k.context === '' ? k.key : `${k.context}.${k.key}`}\` |`);
    for (const f of RUN_FLAGS) need(`docker run ${f.name}`, `| ${[f.name, ...(f.short ? [f.short] : []), ...(f.aliases ?? [])].map((n) => `\`${n}\``).join(', ')} |`);
    for (const f of GLOBAL_FLAGS) need(`docker ${f.name}`, `\`${f.name}\``);
    for (const f of PODMAN_ONLY_FLAGS) need(`podman run ${f.name}`, `| ${flagCell(f)} |`);
    for (const name of Object.keys(DOCKER_ONLY_FLAGS)) need(`podman refuses ${name}`, `\`${name}\``);
    for (const o of KEY_OPTIONS) need(`key option ${o.name}`, `| \`${o.name}\` |`);
    for (const k of [...Object.keys(CONTAINER_KEYS), ...Object.keys(NETWORK_KEYS), ...Object.keys(VOLUME_KEYS)]) need(`Quadlet ${k}`, `| \`${k}=\` |`);
    for (const e of BINARY_TABLE) for (const n of e.names) need(`program ${n}`, `\`${n}\``);
    for (const d of SYSTEMD_DIRECTIVES) need(`[${d.section}] ${d.key}`, d.key);
    for (const t of UNIT_TYPES) need(`.${t} units`, `| \`.${t}\` |`);
    for (const r of matrix.ignitionKeys) need(`Ignition ${r.spec.type}.${r.spec.key}`, `| \`${r.spec.dialect === 'butane' ? (r.butane ?? r.path) : r.path}\` |`);
    expect(matrix.ignitionKeys).toHaveLength(SPEC_KEYS.length);
    expect(missing).toEqual([]);
  });

  it('renders tables whose rows have as many cells as their header', () => {
    const tables = rendered.split('\n\n').filter((block) => block.startsWith('| '));
    expect(tables.length).toBeGreaterThanOrEqual(8);
    for (const t of tables) {
      const widths = t.trimEnd().split('\n').map((row) => row.split(/(?<!\\)\|/).length);
      expect(new Set(widths).size, t.split('\n')[0]).toBe(1);
    }
  });
});

// ---------------------------------------------------------------------------
// The matrix states what conversions do; these probes run conversions and
// hold each claim against the report's fate of the items it is about.

/** `users.users.<name>.home` matches `users.users.alice.home`; `<...>` is one attribute. */
function matches(pattern: string, option: string): boolean {
  const source = pattern
    .split(/(<[^>]+>)/)
    .map((part) => (/^<[^>]+>$/.test(part) ? '(?:[^."]+|"[^"]*")' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(option);
}

/** The attribute set that holds `pattern` (the ledger may name the unit or entry, not the attribute). */
function parentOf(pattern: string): string {
  return pattern.replace(/\.(?:<[^>]+>|[^.<>]+)$/, '');
}

/** Why a fate contradicts an outcome, or undefined when it agrees. */
function disagreement(outcome: Outcome, fate: ReportFate): string | undefined {
  const shown = JSON.stringify(fate);
  const carriedTo = (patterns: readonly string[]) =>
    fate.kind === 'carried' && patterns.some((p) => matches(p, fate.option) || matches(parentOf(p), fate.option));
  switch (outcome.kind) {
    case 'translated':
      return carriedTo(outcome.options) ? undefined : `expected carried to ${outcome.options.join(' or ')}, got ${shown}`;
    case 'passed-through':
      return carriedTo([outcome.into]) ? undefined : `expected carried into ${outcome.into}, got ${shown}`;
    case 'reported':
      return fate.kind === outcome.fate ? undefined : `expected ${outcome.fate}, got ${shown}`;
    case 'read':
      return undefined;
  }
}

/**
 * Disagreements that are nixport bugs, not errors of the matrix. Each must
 * still occur, so that fixing the bug also removes its entry here.
 */
interface KnownGap {
  readonly bug: string;
  readonly matches: (problem: string) => boolean;
}

/** The problems no known gap explains; fails when a known gap no longer shows, so its entry goes. */
function unexplained(problems: readonly string[], gaps: readonly KnownGap[]): string[] {
  for (const gap of gaps) expect(problems.some(gap.matches), `fixed? remove this known gap from the test: ${gap.bug}`).toBe(true);
  return problems.filter((p) => !gaps.some((gap) => gap.matches(p)));
}

function run(inputs: readonly InputFile[]) {
  const result = convert(inputs);
  expect(result.exitCode).not.toBe(2);
  return result;
}

const output = (result: ReturnType<typeof convert>) => result.files.map((f) => f.content).join('\n');

const KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIH7nP3wJ2dqg0tQf4W1qJk9o0d3x7m2b8Yv6cN5rT1Ls';

describe('cloud-config claims', () => {
  /** Every key of the table, with a value that converts cleanly. */
  const probe = `#cloud-config
hostname: probe.example.org
manage_etc_hosts: localhost
ssh_authorized_keys:
  - ssh-ed25519 ${KEY} top@level
users:
  - name: alice
    gecos: Alice
    groups: [sudo]
    primary_group: staff
    homedir: /home/alice
    shell: /bin/bash
    system: false
    no_create_home: false
    passwd: $6$salt$hash
    uid: 1500
    ssh_authorized_keys:
      - ssh-ed25519 ${KEY} alice@laptop
    no_user_group: true
    no_log_init: true
    coreos_ssh_import_github: alice
    coreos_ssh_import_github_users: [alice]
    coreos_ssh_import_url: https://example.org/keys
    lock_passwd: true
    sudo: ALL=(ALL) NOPASSWD:ALL
    inactive: 30
    expiredate: '2030-01-01'
    plain_text_passwd: secret
    hashed_passwd: $6$x$y
write_files:
  - path: /etc/app.conf
    content: aGVsbG8K
    encoding: b64
    permissions: '0600'
    owner: root:root
    append: true
    defer: true
coreos:
  etcd: {discovery: x}
  etcd2: {name: x}
  fleet: {metadata: x}
  flannel: {interface: x}
  oem: {id: x}
  update:
    reboot_strategy: reboot
    group: stable
    server: https://update.example.org/
  locksmith:
    window_start: Sun 03:00
    window_length: 2h
    endpoint: http://x:2379
    etcd_cafile: /x
    etcd_certfile: /x
    etcd_keyfile: /x
    group: x
  units:
    - name: app.service
      command: start
      enable: true
      runtime: true
      content: |
        [Service]
        ExecStart=/bin/true
        [Install]
        WantedBy=multi-user.target
      drop_ins:
        - name: 10-x.conf
          content: |
            [Service]
            Nice=5
    - name: masked.service
      mask: true
`;

  /** `users[0].groups[1]` -> context `users[]`, key `groups`. */
  function tableKey(label: string): string {
    const path = label.replace(/ \(.*\)$/, '').split('.');
    const key = normalizeKey(path.pop()!.replace(/\[\d+\]$/, ''));
    const context = path.map((segment) => normalizeKey(segment.replace(/\[\d+\]$/, '[]'))).join('.');
    return context === '' ? key : `${context}.${key}`;
  }

  /** Rows whose key never becomes an item of its own: mappings of other keys, and fields that belong to their entry's item. */
  const NO_ITEM = new Set([
    'coreos',
    'coreos.update',
    'coreos.locksmith',
    'coreos.units[].name',
    'coreos.units[].content',
    'coreos.units[].drop_ins[].name',
    'coreos.units[].drop_ins[].content',
    'users[].name',
    'write_files[].path',
    'write_files[].content',
    'write_files[].encoding',
    'write_files[].permissions',
    'write_files[].owner',
  ]);

  it('holds for every key: each item ends as its row says', () => {
    const result = run([{ path: 'cloud-config.yml', content: probe }]);
    const rows = new Map(matrix.cloudConfig.map((r) => [r.path, r]));
    const problems: string[] = [];
    const checked = new Set<string>();
    // Units, drop-ins and keys of the cloud-config; not the directives and flags inside units.
    const items = result.report.items.filter((i) => i.origin.file === 'cloud-config.yml' && i.kind !== 'directive' && i.kind !== 'flag');
    for (const item of items) {
      const key = tableKey(item.label);
      const row = rows.get(key);
      if (!row) {
        problems.push(`${item.label}: no row ${key}`);
        continue;
      }
      checked.add(key);
      const problem = disagreement(row.outcome, item.fate);
      if (problem) problems.push(`${item.label} (${key}): ${problem}`);
    }
    expect(problems).toEqual([]);
    const unprobed = matrix.cloudConfig.map((r) => r.path).filter((p) => !checked.has(p) && !NO_ITEM.has(p));
    expect(unprobed, 'add these keys to the probe cloud-config in this test').toEqual([]);
  });

  it('holds for the fields of an entry, through the entry they belong to', () => {
    const result = run([{ path: 'cloud-config.yml', content: probe }]);
    const text = output(result);
    expect(text).toMatch(/environment\.etc\."app\.conf"/);
    expect(text).toMatch(/mode = "0600"/);
    expect(text).toMatch(/user = "root"/);
    expect(text).toMatch(/text = ''\s+hello\s+'';/);
  });
});

describe('Ignition and Butane claims', () => {
  const SAMPLE: Readonly<Record<string, unknown>> = { string: 'x', int: 1, bool: true, strings: ['x'], map: {}, list: [{}] };

  /** The fields an entry of a type needs before the reader looks at its other fields. */
  const SEED: Readonly<Partial<Record<SpecType, Record<string, unknown>>>> = {
    File: { path: '/probe' },
    Directory: { path: '/probe' },
    Link: { path: '/probe', target: '/x' },
    Luks: { name: 'probe', device: '/dev/probe' },
    Disk: { device: '/dev/probe' },
    Raid: { name: 'probe' },
    PasswdUser: { name: 'probe' },
    PasswdGroup: { name: 'probe' },
    Unit: { name: 'probe.service' },
  };

  /** `storage.files[].mode` -> `{ storage: { files: [{ path: '/probe', mode: value }] } }`. */
  function nest(type: SpecType, keys: readonly string[], value: unknown, butane: boolean, v2: boolean): Record<string, unknown> {
    const [segment, ...rest] = keys;
    const name = segment!.replace(/\[\]$/, '');
    const spec = SPEC_KEYS.find((k) => k.type === type && spelledKey(k.key, { name: butane ? 'butane' : 'ignition' }) === name && (k.value.kind === 'map' || k.value.kind === 'list' || rest.length === 0));
    const child = spec && (spec.value.kind === 'map' || spec.value.kind === 'list') ? spec.value.of : undefined;
    let inner = rest.length === 0 || !child ? value : nest(child, rest, value, butane, v2);
    if (segment!.endsWith('[]')) {
      const seed = child ? { ...(SEED[child] ?? {}), ...(v2 && ['File', 'Directory', 'Link'].includes(child) ? { filesystem: 'root' } : {}) } : {};
      inner = [{ ...seed, ...(inner as object) }];
    }
    return { [name]: inner };
  }

  /** A config with one key of the table set, in the newest spec that has it, as Ignition JSON or (for Butane's keys) Butane. */
  function probe(row: (typeof matrix.ignitionKeys)[number]): InputFile {
    const butane = row.spec.dialect === 'butane' || row.spec.fcosSince !== undefined;
    const newest = Math.max(...row.spec.versions.map(([, to]) => to));
    // Unit text must parse as a unit file; any other string will do.
    const sample = row.spec.key === 'contents' && row.spec.value.kind === 'string' ? '[Unit]\nDescription=probe\n' : SAMPLE[row.spec.value.kind];
    const body = nest('Config', (butane ? row.butane! : row.path).split('.'), sample, butane, newest < 30);
    if (butane) {
      const lines = Object.entries(body).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
      return { path: 'probe.bu', content: ['variant: fcos', 'version: 1.7.0', ...lines, ''].join('\n') };
    }
    const version = `${Math.floor(newest / 10)}.${newest % 10}.0`;
    const ignition = { ...((body.ignition as object | undefined) ?? {}), version };
    return { path: 'probe.ign', content: JSON.stringify({ ...body, ignition }) };
  }

  const HEADER_KEYS = new Set(['Config.variant', 'Config.version']);

  it('holds for every key: the readers know it in its versions, and its item ends as its row says', () => {
    const problems: string[] = [];
    for (const row of matrix.ignitionKeys) {
      if (HEADER_KEYS.has(`${row.spec.type}.${row.spec.key}`)) continue;
      const input = probe(row);
      const attempt = convert([input]);
      if (attempt.exitCode === 2) {
        problems.push(`${row.path}: refused: ${input.content}`);
        continue;
      }
      const result = attempt;
      const label = (input.path.endsWith('.bu') ? row.butane! : row.path).replace(/\[\]/g, '[0]');
      // An entry's item is labelled with its name: `passwd.users[0] (probe)`; a key below it is not.
      const labelled = (l: string) => l.replace(/ \([^)]*\)$/, '');
      const unknown = result.report.diagnostics.filter((d) => d.code.endsWith('/unknown-key'));
      if (unknown.length > 0) problems.push(`${row.path}: ${unknown.map((d) => d.message).join('; ')}`);
      const open = result.report.items.filter((i) => i.fate.kind === 'unaccounted');
      if (open.length > 0) problems.push(`${row.path}: unaccounted ${open.map((i) => i.label).join(', ')}`);
      if (row.outcome.kind === 'reported') {
        const item = result.report.items.find((i) => labelled(i.label) === label);
        const problem = item ? disagreement(row.outcome, item.fate) : `no item ${label}`;
        if (problem) problems.push(`${row.path}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('reports a key of the table in a version that does not have it', () => {
    const luks = matrix.ignitionKeys.find((r) => r.path === 'storage.luks')!;
    expect(luks.spec.versions).toEqual([[32, 36]]);
    const result = run([{ path: 'old.ign', content: JSON.stringify({ ignition: { version: '3.1.0' }, storage: { luks: [] } }) }]);
    expect(result.report.items.find((i) => i.label === 'storage.luks')?.fate).toMatchObject({ kind: 'unsupported' });
  });
});

describe('unit file claims', () => {
  const units = (files: readonly (readonly [name: string, text: string])[]) => run(files.map(([path, content]) => ({ path, content })));
  const itemsOf = (items: readonly ReportItem[], file: string) => items.filter((i) => i.origin.file === file && i.kind === 'directive');

  it('holds for every unit type', () => {
    const bodies: Record<string, string> = {
      mount: '[Mount]\nWhat=/dev/sdz1\nWhere=/srv/probe\n',
      automount: '[Automount]\nWhere=/srv/auto\n',
      swap: '[Swap]\nWhat=/dev/sdz2\n',
    };
    const names = [...UNIT_TYPES.map((t) => (t === 'mount' ? 'srv-probe.mount' : `probe.${t}`)), 'eth0.network', 'br0.netdev', 'eth0.link'];
    const entries = names.map((name) => {
      const type = name.slice(name.lastIndexOf('.') + 1);
      const body = bodies[type] ?? '[Unit]\nDescription=probe\n';
      return `    - name: ${name}\n      command: start\n      content: |\n${body.replace(/^/gm, '        ').trimEnd()}\n`;
    });
    const result = run([{ path: 'units.yml', content: `#cloud-config\ncoreos:\n  units:\n${entries.join('')}` }]);
    const items = result.report.items;
    const command = matrix.cloudConfig.find((r) => r.path === 'coreos.units[].command')!;
    const problems: string[] = [];
    for (const row of matrix.unitTypes) {
      const index = items.findIndex((i) => i.kind === 'unit' && i.label.endsWith(`.${row.type})`));
      const item = items[index];
      if (!item) {
        problems.push(`.${row.type}: no unit item`);
        continue;
      }
      const problem = disagreement(row.outcome, item.fate);
      if (problem) problems.push(`.${row.type}: ${problem}`);
      // A unit that is carried is started at boot as `command: start` did; one that is not says so itself.
      const started = items.find((i) => i.label === `${item.label.replace(/ \(.*\)$/, '')}.command`);
      if (started && row.outcome.kind !== 'reported') {
        const commandProblem = disagreement(command.outcome, started.fate);
        if (commandProblem) problems.push(`.${row.type} command: ${commandProblem}`);
      } else if (started && started.fate.kind === 'unaccounted') {
        problems.push(`.${row.type} command: ${JSON.stringify(started.fate)}`);
      }
    }
    expect(unexplained(problems, [])).toEqual([]);
  });

  it('holds for the units of CoreOS itself', () => {
    const entries = COREOS_OWN_UNITS.map((name) => `    - name: ${name}\n      command: start\n`).join('');
    const result = run([{ path: 'units.yml', content: `#cloud-config\ncoreos:\n  units:\n${entries}` }]);
    const fates = result.report.items.filter((i) => i.kind === 'unit').map((i) => i.fate.kind);
    expect(fates).toEqual(COREOS_OWN_UNITS.map(() => 'dropped'));
  });

  /** A unit type nixport carries whose own section is `section`, for writing a probe unit. */
  function typeFor(section: string): string {
    if (section === 'Unit' || section === 'Install') return 'service';
    return Object.entries(UNIT_KINDS).find(([, k]) => k.section === section)?.[0] ?? section.toLowerCase();
  }

  const SAMPLES: Readonly<Record<ValueKind, string>> = {
    string: 'probe',
    bool: 'yes',
    integer: '3',
    'time-span': '5s',
    calendar: 'daily',
    size: '1M',
    mode: '0755',
    enum: 'probe',
    signal: 'SIGTERM',
    path: '/srv/probe',
    paths: '/srv/probe',
    unit: 'other.service',
    units: 'other.service',
    words: 'probe',
    exec: '/bin/true',
    environment: 'A=1',
    'environment-file': '/etc/probe.env',
    condition: '/srv/probe',
    'exit-status': '1',
    listen: '8080',
    special: 'probe',
  };
  const sample = (section: string, key: string) =>
    ({ Restart: 'always', StartLimitIntervalSec: '0', StartLimitInterval: '0', What: '/dev/sdz1', Where: '/srv/probe', Type: 'ext4' })[key] ??
    SAMPLES[SYSTEMD_DIRECTIVES.find((d) => d.section === section && d.key === key)!.kind];

  it('holds for every directive with special handling', () => {
    const files: [string, string][] = [];
    const expected: { file: string; label: string; outcome: Outcome }[] = [];
    matrix.directives.forEach((row, i) => {
      for (const section of row.sections) {
        const type = typeFor(section);
        const file = `p${i}-${section.toLowerCase()}.${type}`;
        // A mount unit is a fileSystems entry only with What= and Where=, and only one per mount point.
        const value = (key: string) => (key === 'Where' ? `/srv/p${i}` : sample(section, key));
        const context = section === 'Mount' ? ['What', 'Where'].filter((k) => k !== row.key).map((k) => `${k}=${value(k)}\n`).join('') : '';
        files.push([file, `[${section}]\n${context}${row.key}=${value(row.key)}\n`]);
        expected.push({ file, label: `[${section}] ${row.key}=`, outcome: row.outcome });
      }
    });
    const result = units(files);
    const problems = expected.flatMap(({ file, label, outcome }) => {
      const item = itemsOf(result.report.items, file).find((i) => i.label === label);
      const problem = item ? disagreement(outcome, item.fate) : 'no item';
      return problem ? [`${file} ${label}: ${problem}`] : [];
    });
    expect(expected.length).toBeGreaterThan(40);
    expect(problems).toEqual([]);
  });

  it('holds for every other directive of the sections nixport carries', () => {
    const special = new Set(matrix.directives.flatMap((r) => r.sections.map((s) => `${s}.${r.key}`)));
    const files: [string, string][] = [];
    const expected: { file: string; label: string; outcome: Outcome }[] = [];
    for (const s of matrix.sections) {
      const directives = s.directives.filter((d) => !special.has(`${d.section}.${d.key}`));
      // Directives that write the same setting override each other; each unit holds one of a slot.
      const groups: DirectiveSpec[][] = [];
      for (const d of directives) {
        const group = groups.find((g) => !g.some((x) => x.slot === d.slot));
        if (group) group.push(d);
        else groups.push([d]);
      }
      groups.forEach((group, n) => {
        const file = `rest-${s.section.toLowerCase()}-${n}.${typeFor(s.section)}`;
        const context = s.section === 'Mount' ? 'What=/dev/sdz1\nWhere=/srv/probe\n' : '';
        files.push([file, `[${s.section}]\n${context}${group.map((d) => `${d.key}=${sample(d.section, d.key)}\n`).join('')}`]);
        for (const d of group) expected.push({ file, label: `[${s.section}] ${d.key}=`, outcome: s.rest });
      });
    }
    // One conversion per section: a mount point of the [Mount] probes must not meet the paths of the others.
    const problems = matrix.sections.flatMap((s) => {
      const prefix = `rest-${s.section.toLowerCase()}-`;
      const mine = files.filter(([f]) => f.startsWith(prefix));
      if (mine.length === 0) return [];
      const result = units(mine);
      return expected
        .filter(({ file }) => file.startsWith(prefix))
        .flatMap(({ file, label, outcome }) => {
          const item = itemsOf(result.report.items, file).find((i) => i.label === label);
          const problem = item ? disagreement(outcome, item.fate) : 'no item';
          return problem ? [`${file} ${label}: ${problem}`] : [];
        });
    });
    expect(expected.length).toBeGreaterThan(1000);
    expect(unexplained(problems, [])).toEqual([]);
  });

  it('holds for sections systemd does not read and for keys missing from the table', () => {
    const result = units([['probe.service', '[Unit]\nNotADirective=1\n[X-Fleet]\nConflicts=x*\n[Timer]\nOnCalendar=daily\n']]);
    const fates = Object.fromEntries(itemsOf(result.report.items, 'probe.service').map((i) => [i.label, i.fate]));
    expect(fates['[Unit] NotADirective=']).toEqual({ kind: 'carried', option: 'systemd.services.probe.unitConfig.NotADirective' });
    expect(fates['[X-Fleet] Conflicts=']?.kind).toBe('dropped');
    expect(fates['[Timer] OnCalendar=']?.kind).toBe('dropped');
    expect(rendered.replace(/\s+/g, ' ')).toContain('A directive missing from the table is passed through as a single value');
  });
});

describe('docker claims', () => {
  const VALUES: Readonly<Record<string, string>> = {
    '--publish': '8080:80',
    '--name': 'probe',
    '--restart': 'always',
    '--volume': '/srv/data/a:/a',
    '--mount': 'type=bind,source=/srv/data/b,target=/b',
    '--tmpfs': '/run',
    '--network': 'bridge',
    '--env': 'PASSWORD=hunter2',
    '--add-host': 'db:10.0.0.2',
    '--ip': '10.0.0.3',
    '--ip6': 'fd00::3',
    '--ulimit': 'nofile=1024',
    '--memory': '1g',
    '--pull': 'always',
  };
  const word = (f: RunFlagSpec) => (takesValue(f) ? `${f.name}=${VALUES[f.name] ?? (f.type === 'map' ? 'a=b' : '1')}` : f.name);
  const service = (execStart: string) => `[Service]\nExecStart=${execStart}\n`;
  const mountUnit = '[Mount]\nWhat=/dev/sdz1\nWhere=/srv/data\n';

  it('passes every run flag through in the command line', () => {
    const result = run([{ path: 'probe.service', content: service(`/usr/bin/docker run ${RUN_FLAGS.map(word).join(' ')} nginx`) }]);
    const flags = result.report.items.filter((i) => i.kind === 'flag');
    expect(flags.length).toBe(RUN_FLAGS.length);
    const row = matrix.dockerFlags[0]!;
    expect(row.outcome).toEqual({ kind: 'passed-through', into: DOCKER_COMMAND_LINE });
    expect(flags.flatMap((f) => (disagreement(row.outcome, f.fate) ? [`${f.label}: ${JSON.stringify(f.fate)}`] : []))).toEqual([]);
    // Invariant 3: the secret's value leaves the command line; docker reads PASSWORD from the unit's secret environment file.
    expect(output(result)).toContain('--env=PASSWORD ');
    expect(result.files.filter((f) => String(f.content).includes('hunter2')).map((f) => f.path)).toEqual(['secrets.local/probe.service.env']);
    expect(output(result)).toContain('${pkgs.docker}/bin/docker run');
  });

  it('reports the flags the matrix says are reported', () => {
    const result = run([{ path: 'probe.service', content: service(`/usr/bin/docker run ${RUN_FLAGS.map(word).join(' ')} nginx`) }]);
    const codes = result.report.diagnostics.map((d) => d.code);
    const reported = matrix.dockerFlags.filter((r) => r.reported);
    expect(reported.length).toBeGreaterThan(0);
    expect(codes.filter((c) => c === 'docker/removed-flag').length).toBe(reported.filter((r) => r.reported === 'warning').length);
    expect(codes.filter((c) => c === 'docker/deprecated-flag').length).toBe(reported.filter((r) => r.reported === 'info').length);
    for (const r of reported) expect(['removed', 'deprecated']).toContain(statusOf(r.spec));
  });

  it('passes the flags of docker itself through', () => {
    const globals = GLOBAL_FLAGS.filter((f) => f.name !== '--help' && f.name !== '--version');
    const line = `/usr/bin/docker ${globals.map((f) => (takesValue(f) ? `${f.name}=x` : f.name)).join(' ')} run nginx`;
    const result = run([{ path: 'probe.service', content: service(line) }]);
    const flags = result.report.items.filter((i) => i.kind === 'flag');
    expect(flags.length).toBe(globals.length);
    for (const f of flags) expect(f.fate, f.label).toEqual({ kind: 'carried', option: 'systemd.services.probe.serviceConfig.ExecStart' });
  });

  it('reads what the matrix says it reads', () => {
    const readFor = Object.fromEntries(matrix.dockerFlags.filter((r) => r.readFor).map((r) => [r.spec.name, r.readFor!]));
    expect(Object.keys(readFor).sort()).toEqual(['--mount', '--name', '--network', '--publish', '--publish-all', '--restart', '--tmpfs', '--volume']);

    const published = run([{ path: 'web.service', content: service('/usr/bin/docker run -p 8080:80 -p 127.0.0.1:9000:9000 nginx') }]);
    expect(output(published)).toMatch(/allowedTCPPorts = \[\s*8080\s*\]/);
    expect(published.report.diagnostics.map((d) => d.code)).toContain('firewall/loopback');

    const all = run([{ path: 'web.service', content: service('/usr/bin/docker run -P nginx') }]);
    expect(all.report.diagnostics.map((d) => d.code)).toContain('firewall/publish-all');

    const host = run([{ path: 'web.service', content: service('/usr/bin/docker run --network host nginx') }]);
    expect(host.report.manualSteps.map((s) => s.title)).toContain('Open the ports of web.service');

    for (const flag of ['-v /srv/data/a:/a', '--mount type=bind,source=/srv/data/b,target=/b']) {
      const mounted = run([
        { path: 'srv-data.mount', content: mountUnit },
        { path: 'web.service', content: service(`/usr/bin/docker run ${flag} nginx`) },
      ]);
      expect(output(mounted), flag).toMatch(/RequiresMountsFor = \[\s*"\/srv\/data"\s*\]/);
    }
    const tmpfs = run([
      { path: 'srv-data.mount', content: mountUnit },
      { path: 'web.service', content: service('/usr/bin/docker run --tmpfs /srv/data/c nginx') },
    ]);
    expect(output(tmpfs)).not.toMatch(/RequiresMountsFor/);

    const bad = run([{ path: 'web.service', content: service('/usr/bin/docker run --name=-x --restart=sometimes --tmpfs=relative nginx') }]);
    expect(bad.report.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['docker/bad-name', 'docker/bad-restart', 'docker/bad-tmpfs']));
  });
});

describe('authorized_keys claims', () => {
  const options = KEY_OPTIONS.map((o) => {
    if (!o.takesValue) return o.name;
    const value = { command: '/usr/bin/docker exec -i backup sh', environment: 'A=1', 'expiry-time': '20301231', tunnel: '1' }[o.name] ?? 'x';
    return `${o.name}="${value}"`;
  });

  it('keeps every option byte for byte and rewrites only the forced command', () => {
    const line = `${options.join(',')} ssh-ed25519 ${KEY} backup@nas`;
    const result = run([{ path: 'home/backup/.ssh/authorized_keys', content: `${line}\n` }]);
    const keys = result.report.items.filter((i) => i.kind === 'authorized-key');
    expect(keys.map((k) => k.fate)).toEqual([
      { kind: 'carried', option: 'users.users.backup.openssh.authorizedKeys.keys', note: 'forced command now runs the program from the Nix store' },
    ]);
    // The printer picks the string form; either way the line is the same text.
    const rewritten = line.replace('/usr/bin/docker', '${pkgs.docker}/bin/docker');
    const text = output(result);
    expect(text.includes(`''${rewritten}''`) || text.includes(`"${rewritten.replace(/"/g, '\\"')}"`), text).toBe(true);
  });

  it('reports DSA keys and carries them', () => {
    expect(DSA_KEY_TYPES.length).toBeGreaterThan(0);
    const lines = DSA_KEY_TYPES.map((t) => `${t} ${KEY} old@box`).join('\n');
    const result = run([{ path: 'home/old/.ssh/authorized_keys', content: `${lines}\n` }]);
    expect(result.report.items.filter((i) => i.kind === 'authorized-key').map((i) => i.fate.kind)).toEqual(DSA_KEY_TYPES.map(() => 'carried'));
    expect(result.report.diagnostics.filter((d) => d.code === 'authorized-keys/dsa').length).toBe(DSA_KEY_TYPES.length);
  });
});

describe('program claims', () => {
  it('rewrites the first program of every entry to what the matrix says it becomes', () => {
    const lines = BINARY_TABLE.map((e) => `ExecStartPre=/usr/bin/${e.names[0]!}`).join('\n');
    const text = output(run([{ path: 'probe.service', content: `[Service]\nType=oneshot\n${lines}\nExecStart=/bin/true\n` }]));
    const missing = BINARY_TABLE.map((e) => describeTarget(e, e.names[0]!)).filter((target) => !text.includes(`"${target}"`));
    expect(missing).toEqual([]);
  });
});
