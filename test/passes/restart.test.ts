import { describe, expect, it } from 'vitest';
import { analyseRestart } from '../../src/passes/restart.ts';
import { Builder, codes } from './build.ts';
import { seedHost } from './seed.ts';

function plan(text: string) {
  const b = new Builder();
  const unit = b.unit('x.service', text);
  const result = analyseRestart(b.host([unit]), b.ledger);
  return { plan: result.plans.get('x.service'), unit, ledger: b.ledger };
}

describe('restart pass', () => {
  it('gives Restart=always indefinite restarts (post, N1: node exporter)', () => {
    const { host, ledger, units } = seedHost();
    const p = analyseRestart(host, ledger).plans.get('node-exporter.service');
    expect(p).toEqual({ startLimitIntervalSec: 0, replaces: [], reason: expect.stringContaining('Restart=always') });
    expect(units.nodeExporter.directives.some((d) => d.key === 'StartLimitIntervalSec')).toBe(false);
  });

  it('moves StartLimitInterval= out of [Service] (samba: the pre-230 placement)', () => {
    const { host, ledger, units } = seedHost();
    const p = analyseRestart(host, ledger).plans.get('samba.service')!;
    expect(p.startLimitIntervalSec).toBe(0);
    expect(p.replaces.map((d) => `[${d.section}] ${d.key}=${d.value}`)).toEqual(['[Service] StartLimitInterval=0']);
    expect(p.replaces[0]).toBe(units.samba.directives.find((d) => d.key === 'StartLimitInterval'));
    expect(p.reason).toMatch(/before version 230/);
  });

  it('moves StartLimitInterval= from [Unit] to the unit-level option (healthz)', () => {
    const { host, ledger } = seedHost();
    const p = analyseRestart(host, ledger).plans.get('healthz.service')!;
    expect(p.startLimitIntervalSec).toBe(0);
    expect(p.replaces.map((d) => `[${d.section}] ${d.key}`)).toEqual(['[Unit] StartLimitInterval']);
  });

  it('keeps a limit the unit sets itself, with Restart=always', () => {
    const { plan: p } = plan('[Unit]\nStartLimitIntervalSec=5min\nStartLimitBurst=3\n[Service]\nRestart=always\n');
    expect(p).toMatchObject({ startLimitIntervalSec: 300, startLimitBurst: 3 });
    expect(p!.replaces.map((d) => d.key)).toEqual(['StartLimitIntervalSec', 'StartLimitBurst']);
  });

  it('does not add an interval when only the burst is set', () => {
    const { plan: p } = plan('[Unit]\nStartLimitBurst=10\n[Service]\nRestart=always\n');
    expect(p).toEqual({ startLimitBurst: 10, replaces: [expect.objectContaining({ key: 'StartLimitBurst' })], reason: expect.any(String) });
  });

  it('takes the last assignment, whatever its section or spelling, and moves them all', () => {
    const { plan: p } = plan('[Unit]\nStartLimitIntervalSec=10s\n[Service]\nStartLimitInterval=1h 30min\n');
    expect(p!.startLimitIntervalSec).toBe(5400);
    expect(p!.replaces).toHaveLength(2);
  });

  it('rounds sub-second intervals up with a warning', () => {
    const { plan: p, ledger } = plan('[Unit]\nStartLimitIntervalSec=500ms\n');
    expect(p!.startLimitIntervalSec).toBe(1);
    expect(codes(ledger)).toEqual(['warning restart/rounded-interval']);
  });

  it('leaves infinity where it is: the NixOS option is an int', () => {
    const { plan: p, ledger } = plan('[Unit]\nStartLimitIntervalSec=infinity\n[Service]\nRestart=always\n');
    expect(p).toBeUndefined();
    expect(codes(ledger)).toEqual(['warning restart/infinite-interval']);
  });

  it('reports unreadable values and carries them as written', () => {
    const { plan: p, ledger } = plan('[Unit]\nStartLimitIntervalSec=soon\nStartLimitBurst=many\n');
    expect(p).toBeUndefined();
    expect(codes(ledger)).toEqual(['warning restart/bad-interval', 'warning restart/bad-burst']);
  });

  it('keeps the default limit for Restart=on-failure, with a note', () => {
    const { plan: p, ledger } = plan('[Service]\nRestart=on-failure\n');
    expect(p).toBeUndefined();
    expect(codes(ledger)).toEqual(['info restart/start-limit']);
  });

  it('has no plan for a unit without restart settings', () => {
    const { plan: p, ledger } = plan('[Service]\nExecStart=/bin/true\n');
    expect(p).toBeUndefined();
    expect(ledger.diagnostics).toEqual([]);
  });
});
