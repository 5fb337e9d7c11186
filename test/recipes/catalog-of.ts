import { checkDefinitions } from '../../src/recipes/catalog-check.ts';
import { OWNER } from '../../src/strategies/context.ts';
import type { Converted } from '../strategies/convert-helpers.ts';

/**
 * The option catalog's verdict on what a stage-3 conversion wrote for its
 * native services: [] when every path is in the catalog with a value of
 * its type. `catalogChecked` counts the definitions checked, so a test can
 * show the check did not run on nothing.
 */
export function catalogProblems(c: Converted): string[] {
  return checkDefinitions(nativeDefinitions(c));
}

export function catalogChecked(c: Converted): number {
  return nativeDefinitions(c).length;
}

function nativeDefinitions(c: Converted) {
  const owners = new Set(c.run.plan.services.filter((s) => s.strategy === 'native').map((s) => OWNER.service(s.name)));
  return c.run.build.tree.definitions.filter((d) => owners.has(d.owner));
}
