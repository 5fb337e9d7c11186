import type { Directive } from '../model/unit.ts';
import type { BuildContext } from './context.ts';

/** The unit names of a dependency line (`After=a.service b.target`). */
export function unitNames(value: string): string[] {
  return value.split(/\s+/).filter((x) => x !== '');
}

/** Dependencies whose missing unit fails the dependent's start (systemd.unit(5)). */
const HARD = new Set(['Requires', 'BindsTo', 'Requisite']);

/**
 * The names of a dependency line that still mean a unit on NixOS: CoreOS's
 * own units that were not carried (flanneld, etcd2, fleet) are left out.
 * Ordering on a missing unit is harmless, but `Requires=` on one keeps the
 * service from ever starting, so that case is a warning. `note` says what
 * was left out, for the ledger.
 */
export function carriedNames(ctx: BuildContext, unitName: string, d: Directive, names: readonly string[] = unitNames(d.value)): { kept: string[]; note?: string } {
  const gone = names.filter((n) => ctx.plan.notCarried.has(n));
  if (gone.length === 0) return { kept: [...names] };
  const listed = gone.map((n) => `\`${n}\``).join(', ');
  if (HARD.has(d.key)) {
    ctx.ledger.report(
      'warning',
      'unit/dependency-not-carried',
      `${unitName}: \`${d.key}=\` names ${listed}, which ${gone.length === 1 ? 'is' : 'are'} not carried (${ctx.plan.notCarried.get(gone[0]!)}); NixOS has no such unit, so the dependency is left out rather than keep ${unitName} from starting`,
      d.item.origin,
      'if the service needs what that unit provided (an overlay network, an etcd cluster), set it up on NixOS and add the dependency back',
    );
  }
  return { kept: names.filter((n) => !ctx.plan.notCarried.has(n)), note: `${listed} left out: not carried, NixOS has no such unit` };
}
