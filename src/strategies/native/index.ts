import { containerKey } from '../../model/container.ts';
import type { ServicePlan } from '../../plan/index.ts';
import type { ModuleRecipe } from '../../recipes/types.ts';
import type { BuildContext } from '../context.ts';
import { buildModuleService } from './module.ts';
import { buildScriptService } from './script.ts';
import type { FirewallHandled, ServiceMigration } from './types.ts';

export type { FirewallHandled, MigrationStep, ServiceMigration } from './types.ts';
export { planKeyRewrites, type KeyRewrite } from './keys.ts';

export interface NativeBuild {
  /** Firewall entries of the passes that the modules open themselves, or that no longer apply. */
  readonly handled: FirewallHandled;
  /** Per service, the steps of its move, for the report. */
  readonly migrations: readonly ServiceMigration[];
}

/**
 * Stage 3: each service a recipe takes becomes its NixOS module (or, for a
 * script, its native unit); companion containers are settled with the
 * module that replaces them. Each move gets its ordered steps, in the
 * report and as one manual step.
 */
export function buildNativeServices(services: readonly ServicePlan[], ctx: BuildContext): NativeBuild {
  const handled: FirewallHandled = { ports: new Set(), hostNetwork: new Set() };
  const natives = services.filter((s) => s.strategy === 'native' && s.native && s.container);
  const renames = new Map<string, string | undefined>();
  for (const s of natives) {
    const recipe = s.native!.recipe;
    for (const unit of s.units) {
      if (unit.type !== 'service') continue;
      if (s.native!.companionOf) renames.set(unit.name, undefined);
      else if (recipe.kind === 'module') renames.set(unit.name, `${recipe.unit.name}.service`);
    }
  }
  const migrations: ServiceMigration[] = [];
  for (const s of natives) {
    const native = s.native!;
    if (native.companionOf) settleCompanion(s, ctx, handled);
    else if (native.recipe.kind === 'module') migrations.push(buildModuleService(s, ctx, handled, renames));
    else migrations.push(buildScriptService(s, ctx));
  }
  for (const m of migrations) {
    ctx.ledger.manual({
      order: 56,
      title: `Move ${m.service} to ${m.target}`,
      detail: `${m.steps.map((step, i) => `(${i + 1}) ${step.title}`).join('; ')}. The section "Native services" of this report has each step's commands.`,
    });
  }
  return { handled, migrations };
}

/**
 * A companion container (Immich's database, cache, machine learning): the
 * main service's module runs it, so its unit, flags and ports are settled
 * here with that reason; its data moves by the main service's steps.
 */
function settleCompanion(s: ServicePlan, ctx: BuildContext, handled: FirewallHandled): void {
  const native = s.native!;
  const of = native.companionOf!;
  const recipe = native.recipe as ModuleRecipe;
  const companion = recipe.companions?.find((c) => c.role === of.role);
  const reason = `${of.service}'s module (${recipe.module}) runs the ${of.role} itself: ${companion?.note ?? ''}`.trim();
  const plan = s.container!;
  for (const unit of s.units) {
    ctx.ledger.settleTree(unit.item, { kind: 'dropped', reason });
    for (const d of unit.directives) ctx.ledger.settleTree(d.item, { kind: 'dropped', reason });
    for (const dropIn of unit.dropIns) ctx.ledger.settleTree(dropIn.item, { kind: 'dropped', reason });
    for (const a of Object.values(unit.activation)) if (a) ctx.ledger.dropped(a.item, reason);
  }
  if (plan.standalone) ctx.ledger.settleTree(plan.standalone.item, { kind: 'dropped', reason });
  const key = plan.unit?.name ?? containerKey(plan.standalone!);
  for (const port of ctx.analysis.firewall.ports) if (port.unit === key) handled.ports.add(port);
  handled.hostNetwork.add(key);
  ctx.ledger.report('info', 'native/companion', `${s.name}: ${reason}`, plan.run?.item.origin ?? plan.standalone?.item.origin);
}
