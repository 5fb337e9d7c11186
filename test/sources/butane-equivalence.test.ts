import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Pipeline } from '../../src/pipeline.ts';
import { config, convert, modelOf } from './equivalence.ts';

/**
 * test/fixtures/ignition/fcos-host.ign is what `butane --files-dir
 * test/fixtures/butane/fcos-host` makes of test/fixtures/butane/fcos-host/config.bu
 * (written by hand as Butane writes it: data: URLs, the generated mount unit,
 * trees and local files inlined). Both must give the same NixOS configuration.
 */
describe('a Butane config and the Ignition JSON it transpiles to', () => {
  it('give the same NixOS configuration, model, manual steps and kinds of diagnostics', async () => {
    const butane = await convert(['test/fixtures/butane/fcos-host']);
    const ignition = await convert(['test/fixtures/ignition/fcos-host.ign']);
    expect(config(ignition)).toEqual(config(butane));
    // Butane-only: the JSON has the unit Butane generated instead (compared as a unit).
    expect(modelOf(ignition.host, ['withMountUnit'])).toEqual(modelOf(butane.host, ['withMountUnit']));
    const titles = (run: Pipeline) => run.ledger.manualSteps.map((s) => s.title).sort();
    expect(titles(ignition)).toEqual(titles(butane));
    const codes = (run: Pipeline) => run.ledger.diagnostics.map((d) => d.code.replace(/^(butane|ignition)\//, 'reader/')).sort();
    expect(codes(ignition)).toEqual(codes(butane));
    // Every key is one Butane knows; nothing was lost on either side.
    expect(butane.ledger.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(ignition.ledger.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('holds something of every kind, so the comparison means something', async () => {
    const run = await convert(['test/fixtures/ignition/fcos-host.ign']);
    const s = run.host.storage;
    expect([s.directories.length, s.links.length, s.filesystems.length, s.luks.length, s.disks.length]).toEqual([1, 3, 3, 2, 1]);
    expect(run.host.units.map((u) => u.name).sort()).toEqual(['app.service', 'docker.service', 'extra.service', 'var-srv-media.mount']);
    expect(run.host.files.length).toBeGreaterThanOrEqual(8);
    expect(run.host.authorizedKeys).toHaveLength(2);
    expect(JSON.parse(readFileSync('test/fixtures/ignition/fcos-host.ign', 'utf8')).ignition.version).toBe('3.4.0');
  });
});
