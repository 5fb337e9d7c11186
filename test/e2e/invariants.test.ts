import { describe, expect, it } from 'vitest';
import { gatherInputs } from '../../src/cli/inputs.ts';
import { convert } from '../../src/index.ts';
import { HOSTS } from './fixtures.ts';

describe('invariant 1: nothing is lost silently', () => {
  for (const host of HOSTS) {
    it(`${host.name}: every input item has a fate`, async () => {
      const { report } = convert(await gatherInputs(host.paths), host.options);
      const unaccounted = report.items.filter((i) => i.fate.kind === 'unaccounted').map((i) => `${i.kind} ${i.label}`);
      expect(unaccounted).toEqual([]);
      expect(report.coverage.items).toBeGreaterThan(0);
    });
  }
});

describe('invariant 5: deterministic', () => {
  for (const host of HOSTS) {
    it(`${host.name}: same input, any order, byte-identical output`, async () => {
      const inputs = await gatherInputs(host.paths);
      const first = convert(inputs, host.options).files;
      const again = convert([...inputs].reverse(), host.options).files;
      expect(again.map((f) => f.path)).toEqual(first.map((f) => f.path));
      for (const [i, f] of first.entries()) expect(String(again[i]!.content), f.path).toBe(String(f.content));
    });
  }
});
