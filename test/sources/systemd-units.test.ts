import { describe, expect, it } from 'vitest';
import type { Ledger } from '../../src/model/ledger.ts';
import type { Directive } from '../../src/model/unit.ts';
import { readUnits } from '../../src/sources/systemd/index.ts';
import type { UnitText } from '../../src/sources/types.ts';
import { Ledger as LedgerClass, codes, lines, unitText, words } from '../fixtures/units/helpers.ts';

type Spec = readonly [unit: string, text: string, dropIn?: string];

function read(specs: readonly Spec[]) {
  const ledger = new LedgerClass();
  const texts: UnitText[] = specs.map(([unit, text, dropIn]) => unitText(ledger, unit, text, dropIn ? { dropIn } : {}));
  return { ledger, texts, units: readUnits(texts, ledger) };
}

/** The fate of the directive item labelled `[Section] Key=` at file:line. */
function fateAt(ledger: Ledger, file: string, line: number) {
  const item = ledger.items.find((i) => i.kind === 'directive' && i.origin.file === file && i.origin.line === line);
  if (!item) throw new Error(`no directive at ${file}:${line}`);
  return ledger.fate(item);
}

describe('readUnits: unit files and their drop-ins', () => {
  it('takes the unit type from the name and sorts units by name', () => {
    const { units } = read([
      ['srv-data.mount', '[Mount]\nWhat=/dev/sda1\nWhere=/srv/data\n'],
      ['b.timer', '[Timer]\nOnCalendar=daily\n'],
      ['a.service', '[Service]\nExecStart=/bin/true\n'],
    ]);
    expect(units.map((u) => [u.name, u.type, u.hasBody])).toEqual([
      ['a.service', 'service', true],
      ['b.timer', 'timer', true],
      ['srv-data.mount', 'mount', true],
    ]);
  });

  it('accepts template units and their instances', () => {
    const { units, ledger } = read([
      ['getty@.service', '[Service]\nExecStart=/sbin/agetty %I\n'],
      ['getty@tty1.service', '[Service]\nExecStart=/sbin/agetty tty1\n'],
    ]);
    expect(units.map((u) => u.name)).toEqual(['getty@.service', 'getty@tty1.service']);
    expect(ledger.diagnostics).toEqual([]);
  });

  it('refuses an unknown unit type: error, items unsupported, unit skipped', () => {
    const { units, ledger, texts } = read([
      ['foo.bar', '[Unit]\nDescription=x\n'],
      ['ok.service', '[Service]\nExecStart=/bin/true\n'],
    ]);
    expect(units.map((u) => u.name)).toEqual(['ok.service']);
    expect(ledger.diagnostics).toMatchObject([{ severity: 'error', code: 'systemd/unknown-unit-type', origin: { file: 'foo.bar' } }]);
    expect(ledger.fate(texts[0]!.item)).toEqual({ kind: 'unsupported', reason: '`.bar` is not a systemd unit type' });
  });

  it('applies drop-ins sorted by file name, whatever order they came in', () => {
    const { units } = read([
      ['web.service', '[Service]\nRestart=20-late\n', '20-late.conf'],
      ['web.service', '[Service]\nExecStart=/bin/web\nRestart=no\n'],
      ['web.service', '[Service]\nRestart=10-early\n', '10-early.conf'],
    ]);
    const web = units[0];
    expect(web?.dropIns.map((d) => d.name)).toEqual(['10-early.conf', '20-late.conf']);
    expect(lines(web?.directives ?? [])).toEqual(['[Service] ExecStart=/bin/web', '[Service] Restart=20-late']);
  });
});

describe('readUnits: merge rules', () => {
  it('lets a later single value override an earlier one, settling the loser dropped', () => {
    const { units, ledger } = read([
      ['samba.service', '[Service]\nExecStart=/bin/smbd\nRestart=no\n'],
      ['samba.service', '[Service]\nRestart=always\n', '10-restart.conf'],
    ]);
    expect(lines(units[0]?.directives ?? [])).toEqual(['[Service] ExecStart=/bin/smbd', '[Service] Restart=always']);
    expect(fateAt(ledger, 'samba.service', 3)).toEqual({
      kind: 'dropped',
      reason: 'overridden by samba.service.d/10-restart.conf:2',
    });
    // The winners are left for later stages to settle.
    expect(fateAt(ledger, 'samba.service.d/10-restart.conf', 2)).toBeUndefined();
  });

  it('resets a list at an empty assignment and settles both the removed entries and the reset', () => {
    const { units, ledger } = read([
      ['app.service', '[Service]\nType=oneshot\nExecStart=/bin/a\nExecStart=/bin/b\n'],
      ['app.service', '[Service]\nExecStart=\nExecStart=/bin/c\n', 'override.conf'],
    ]);
    expect(lines(units[0]?.directives ?? [])).toEqual(['[Service] Type=oneshot', '[Service] ExecStart=/bin/c']);
    const reason = 'reset by empty `ExecStart=` at app.service.d/override.conf:2';
    expect(fateAt(ledger, 'app.service', 3)).toEqual({ kind: 'dropped', reason });
    expect(fateAt(ledger, 'app.service', 4)).toEqual({ kind: 'dropped', reason });
    expect(fateAt(ledger, 'app.service.d/override.conf', 2)).toEqual({ kind: 'dropped', reason: 'list reset; applied' });
  });

  it('ignores an empty dependency assignment, which cannot reset dependencies', () => {
    const { units, ledger } = read([
      ['app.service', '[Unit]\nAfter=a.service\n[Service]\nExecStart=/bin/a\n'],
      ['app.service', '[Unit]\nAfter=\nAfter=b.service\n', 'deps.conf'],
    ]);
    expect(lines(units[0]?.directives ?? [])).toEqual([
      '[Unit] After=a.service',
      '[Service] ExecStart=/bin/a',
      '[Unit] After=b.service',
    ]);
    expect(codes(ledger)).toEqual(['systemd/empty-dependency']);
    expect(fateAt(ledger, 'app.service.d/deps.conf', 2)?.kind).toBe('dropped');
  });

  it('resets all conditions at an empty condition of any kind', () => {
    const { units } = read([
      ['app.service', '[Unit]\nConditionPathExists=/a\nConditionHost=h\nAssertPathExists=/b\n[Service]\nExecStart=/bin/a\n'],
      ['app.service', '[Unit]\nConditionFirstBoot=\nConditionPathExists=/c\n', 'cond.conf'],
    ]);
    expect(lines(units[0]?.directives ?? [])).toEqual([
      '[Unit] AssertPathExists=/b',
      '[Service] ExecStart=/bin/a',
      '[Unit] ConditionPathExists=/c',
    ]);
  });

  it('resets calendar and monotonic timers together', () => {
    const { units } = read([
      ['backup.timer', '[Timer]\nOnCalendar=daily\nOnBootSec=5min\nPersistent=true\n'],
      ['backup.timer', '[Timer]\nOnActiveSec=\nOnCalendar=weekly\n', 'weekly.conf'],
    ]);
    expect(lines(units[0]?.directives ?? [])).toEqual(['[Timer] Persistent=true', '[Timer] OnCalendar=weekly']);
  });

  it('treats the legacy [Service] StartLimitInterval= as the [Unit] setting it writes', () => {
    const { units } = read([['app.service', '[Unit]\nStartLimitIntervalSec=10\n[Service]\nExecStart=/bin/a\nStartLimitInterval=0\n']]);
    expect(lines(units[0]?.directives ?? [])).toEqual(['[Service] ExecStart=/bin/a', '[Service] StartLimitInterval=0']);
  });

  it('resets a single value to its default at an empty assignment', () => {
    const { units, ledger } = read([['app.service', '[Service]\nUser=nobody\nUser=\nExecStart=/bin/a\n']]);
    expect(lines(units[0]?.directives ?? [])).toEqual(['[Service] ExecStart=/bin/a']);
    expect(fateAt(ledger, 'app.service', 2)).toEqual({ kind: 'dropped', reason: 'reset by empty `User=` at app.service:3' });
    expect(fateAt(ledger, 'app.service', 3)).toEqual({ kind: 'dropped', reason: 'resets `User=` to its default; applied' });
  });

  it('keeps an empty CapabilityBoundingSet=, which means "no capabilities"', () => {
    const { units } = read([['app.service', '[Service]\nCapabilityBoundingSet=CAP_NET_ADMIN\nCapabilityBoundingSet=\nExecStart=/bin/a\n']]);
    expect(lines(units[0]?.directives ?? [])).toEqual(['[Service] CapabilityBoundingSet=', '[Service] ExecStart=/bin/a']);
  });

  it('keeps resets in a unit given only as drop-ins: they act on the unit the old OS shipped', () => {
    const { units, ledger } = read([
      ['docker.service', '[Service]\nExecStart=\nExecStart=/usr/bin/dockerd --debug\nEnvironment=A=1\n', '10-debug.conf'],
      ['docker.service', '[Service]\nEnvironment=\n', '20-env.conf'],
    ]);
    const docker = units[0];
    expect(docker?.hasBody).toBe(false);
    expect(docker?.item).toMatchObject({ kind: 'unit', label: 'docker.service' });
    expect(lines(docker?.directives ?? [])).toEqual([
      '[Service] ExecStart=',
      '[Service] ExecStart=/usr/bin/dockerd --debug',
      '[Service] Environment=',
    ]);
    expect(docker?.directives[0]?.exec).toEqual({ prefixes: '', words: [] });
    expect(fateAt(ledger, 'docker.service.d/10-debug.conf', 4)?.kind).toBe('dropped');
  });

  it('replaces an earlier drop-in of the same name by the later one, with a warning', () => {
    const { units, ledger, texts } = read([
      ['a.service', '[Service]\nExecStart=/bin/a\n'],
      ['a.service', '[Service]\nUser=one\n', 'x.conf'],
      ['a.service', '[Service]\nUser=two\n', 'x.conf'],
    ]);
    expect(lines(units[0]?.directives ?? [])).toEqual(['[Service] ExecStart=/bin/a', '[Service] User=two']);
    expect(codes(ledger)).toEqual(['systemd/duplicate-drop-in']);
    expect(ledger.fate(texts[1]!.item)?.kind).toBe('dropped');
  });
});

describe('readUnits: sections systemd does not read, and checks', () => {
  it('drops [X-Fleet] and sections foreign to the unit type, reporting each section once', () => {
    const { units, ledger } = read([
      ['app.service', '[Service]\nExecStart=/bin/a\n[X-Fleet]\nGlobal=true\nConflicts=app@*.service\n[Mount]\nWhat=/dev/sda\n'],
    ]);
    expect(lines(units[0]?.directives ?? [])).toEqual(['[Service] ExecStart=/bin/a']);
    expect(ledger.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ['info', 'systemd/ignored-section'],
      ['warning', 'systemd/ignored-section'],
    ]);
    expect(fateAt(ledger, 'app.service', 4)).toEqual({ kind: 'dropped', reason: 'section [X-Fleet] is for other tools; systemd ignores it' });
    expect(fateAt(ledger, 'app.service', 7)).toEqual({ kind: 'dropped', reason: 'systemd does not read section [Mount] in .service units' });
  });

  it('reports several ExecStart= in a service that is not Type=oneshot', () => {
    const { ledger } = read([['app.service', '[Service]\nExecStart=/bin/a\nExecStart=/bin/b\n']]);
    expect(ledger.diagnostics).toMatchObject([
      { severity: 'error', code: 'systemd/multiple-exec-start', origin: { file: 'app.service', line: 3, column: 1 } },
    ]);
  });

  it('keeps unknown keys as single values, with a note', () => {
    const { units, ledger } = read([['app.service', '[Service]\nExecStart=/bin/a\nFrobnicate=1\nFrobnicate=2\n']]);
    expect(lines(units[0]?.directives ?? [])).toEqual(['[Service] ExecStart=/bin/a', '[Service] Frobnicate=2']);
    expect(codes(ledger)).toEqual(['systemd/unknown-key', 'systemd/unknown-key']);
  });

  it('leaves an exec line with a syntax error out of the effective directives', () => {
    const { units, ledger } = read([['app.service', '[Service]\nExecStart=/bin/sh -c "oops\n']]);
    expect(units[0]?.directives).toEqual([]);
    expect(fateAt(ledger, 'app.service', 2)?.kind).toBe('unsupported');
  });

  it('settles every directive that is not in effect, and none that is', () => {
    const { units, ledger } = read([
      ['app.service', '[Unit]\nAfter=a\n[Service]\nUser=x\nUser=y\nExecStart=/bin/a\n[X-Fleet]\nGlobal=true\n'],
      ['app.service', '[Service]\nExecStart=\nExecStart=/bin/b\n[Unit]\nAfter=\n', 'o.conf'],
    ]);
    const effective = new Set((units[0]?.directives ?? []).map((d: Directive) => d.item.id));
    const directiveItems = ledger.items.filter((i) => i.kind === 'directive');
    expect(directiveItems.length).toBe(8);
    for (const item of directiveItems) {
      expect(ledger.fate(item) === undefined).toBe(effective.has(item.id));
    }
    expect(words(units[0]?.directives.find((d) => d.key === 'ExecStart'))).toEqual(['/bin/b']);
  });
});
