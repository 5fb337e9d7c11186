import { describe, expect, it } from 'vitest';
import {
  SECTIONS_BY_UNIT_TYPE,
  SYSTEMD_DIRECTIVES,
  accumulationOf,
  directiveSpec,
  isExecDirective,
} from '../../src/model/systemd-directives.ts';
import { UNIT_TYPES } from '../../src/model/unit.ts';
import { checkUnitName } from '../../src/sources/systemd/index.ts';

describe('the systemd directive table', () => {
  it('describes dependencies as accumulating lists that an empty assignment cannot reset', () => {
    for (const key of ['After', 'Before', 'Wants', 'Requires', 'BindsTo', 'PartOf', 'Conflicts', 'RequiresMountsFor']) {
      expect(directiveSpec('Unit', key)).toMatchObject({ accumulation: 'append', man: 'systemd.unit(5)' });
    }
  });

  it('describes exec lines as resettable lists, in the sections that have them', () => {
    for (const key of ['ExecCondition', 'ExecStartPre', 'ExecStart', 'ExecStartPost', 'ExecReload', 'ExecStop', 'ExecStopPost']) {
      expect(directiveSpec('Service', key)).toMatchObject({ kind: 'exec', accumulation: 'list' });
    }
    expect(isExecDirective('Socket', 'ExecStopPre')).toBe(true);
    expect(isExecDirective('Socket', 'ExecStart')).toBe(false);
    expect(isExecDirective('Mount', 'ExecStart')).toBe(false);
  });

  it('gives the exec, kill and resource-control settings to every unit type that runs processes', () => {
    for (const section of ['Service', 'Socket', 'Mount', 'Swap']) {
      expect(directiveSpec(section, 'Environment')).toMatchObject({ kind: 'environment', accumulation: 'list', man: 'systemd.exec(5)' });
      expect(directiveSpec(section, 'User')).toMatchObject({ accumulation: 'single' });
      expect(directiveSpec(section, 'KillMode')?.man).toBe('systemd.kill(5)');
      expect(directiveSpec(section, 'MemoryMax')?.man).toBe('systemd.resource-control(5)');
    }
    expect(directiveSpec('Timer', 'Environment')).toBeUndefined();
    expect(directiveSpec('Slice', 'MemoryMax')).toBeDefined();
  });

  it('groups settings that an empty assignment resets together', () => {
    expect(directiveSpec('Unit', 'ConditionPathExists')?.slot).toBe('Unit.Conditions');
    expect(directiveSpec('Unit', 'ConditionHost')?.slot).toBe('Unit.Conditions');
    expect(directiveSpec('Unit', 'AssertPathExists')?.slot).toBe('Unit.Asserts');
    expect(directiveSpec('Timer', 'OnCalendar')?.slot).toBe(directiveSpec('Timer', 'OnBootSec')?.slot);
    expect(directiveSpec('Socket', 'ListenStream')?.slot).toBe(directiveSpec('Socket', 'ListenDatagram')?.slot);
    expect(directiveSpec('Path', 'PathChanged')?.slot).toBe(directiveSpec('Path', 'PathExists')?.slot);
  });

  it('maps legacy spellings onto the setting they write', () => {
    expect(directiveSpec('Service', 'StartLimitInterval')?.slot).toBe('Unit.StartLimitIntervalSec');
    expect(directiveSpec('Unit', 'StartLimitInterval')).toMatchObject({ slot: 'Unit.StartLimitIntervalSec', aliasOf: 'StartLimitIntervalSec' });
    expect(directiveSpec('Unit', 'BindTo')?.aliasOf).toBe('BindsTo');
    expect(directiveSpec('Service', 'ReadWriteDirectories')?.slot).toBe('Service.ReadWritePaths');
  });

  it('reads [Install] lists as resettable, except Also=', () => {
    expect(directiveSpec('Install', 'WantedBy')).toMatchObject({ accumulation: 'list', kind: 'units' });
    expect(directiveSpec('Install', 'Also')?.accumulation).toBe('append');
  });

  it('treats unknown keys as single values in a slot of their own', () => {
    expect(accumulationOf('Service', 'Frobnicate')).toEqual({ accumulation: 'single', slot: 'Service.Frobnicate' });
    expect(accumulationOf('X-Fleet', 'Global')).toEqual({ accumulation: 'single', slot: 'X-Fleet.Global' });
  });

  it('has one entry per section and key, consistent slots, and sections some unit type reads', () => {
    const seen = new Set<string>();
    for (const d of SYSTEMD_DIRECTIVES) {
      const id = `${d.section}.${d.key}`;
      expect(seen.has(id), id).toBe(false);
      seen.add(id);
    }
    const bySlot = new Map<string, Set<string>>();
    for (const d of SYSTEMD_DIRECTIVES) bySlot.set(d.slot, (bySlot.get(d.slot) ?? new Set()).add(d.accumulation));
    for (const [slot, kinds] of bySlot) expect(kinds.size, slot).toBe(1);
    const read = new Set(Object.values(SECTIONS_BY_UNIT_TYPE).flat());
    for (const d of SYSTEMD_DIRECTIVES) expect(read.has(d.section), d.section).toBe(true);
    expect(Object.keys(SECTIONS_BY_UNIT_TYPE).sort()).toEqual([...UNIT_TYPES].sort());
    expect(SYSTEMD_DIRECTIVES.length).toBeGreaterThan(400);
  });
});

describe('checkUnitName', () => {
  it('reads type, template and instance from the name', () => {
    expect(checkUnitName('samba.service')).toEqual({ type: 'service', template: false });
    expect(checkUnitName('getty@.service')).toEqual({ type: 'service', template: true });
    expect(checkUnitName('getty@tty1.service')).toEqual({ type: 'service', template: false, instance: 'tty1' });
    expect(checkUnitName('srv-data\\x2dold.mount')).toEqual({ type: 'mount', template: false });
  });

  it('refuses unknown types and malformed names', () => {
    expect(checkUnitName('foo.conf')).toMatchObject({ code: 'systemd/unknown-unit-type' });
    expect(checkUnitName('README')).toMatchObject({ code: 'systemd/unknown-unit-type' });
    expect(checkUnitName('.service')).toMatchObject({ code: 'systemd/invalid-unit-name' });
    expect(checkUnitName('a b.service')).toMatchObject({ code: 'systemd/invalid-unit-name' });
  });
});
