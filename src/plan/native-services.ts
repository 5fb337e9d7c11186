import type { StandaloneContainer } from '../model/container.ts';
import type { Host } from '../model/host.ts';
import type { Ledger } from '../model/ledger.ts';
import type { Unit } from '../model/unit.ts';
import type { ModuleRecipe, RecipeInput } from '../recipes/types.ts';
import { companionRole, planStandaloneNative, planUnitNative, type NativePlan, type NativeVerdict } from './native.ts';
import type { ServicePlan } from './types.ts';

/** A service asked for stage 3 (`--stage native`, `--strategy NAME=native`). */
export interface NativeRequest {
  readonly name: string;
  readonly units: readonly Unit[];
  readonly standalone?: StandaloneContainer;
  /** Named by `--strategy NAME=native`: no recipe is then an error, not a note. */
  readonly explicit: boolean;
  /** Stage 2 (or 1) where no recipe takes the container; undefined when the container cannot be converted at all. */
  readonly fallback: () => ServicePlan | undefined;
}

/**
 * Decides stage 3 for every service that asked for it, once all are known:
 * a companion container (Immich's database) goes with the service whose
 * module runs it; a module most apps allow once (services.jellyfin) takes
 * the first container; a container no recipe takes falls back to stage 2,
 * with the reason, and with an error naming the closest recipes when the
 * user asked for it by name.
 */
export function planNativeServices(entries: readonly (ServicePlan | NativeRequest)[], host: Host, ledger: Ledger): ServicePlan[] {
  const verdicts = new Map<NativeRequest, NativeVerdict>();
  for (const e of entries) {
    if (isRequest(e)) verdicts.set(e, e.standalone ? planStandaloneNative(e.standalone, host) : planUnitNative(e.units, host, ledger));
  }

  // Companions: the container of a request that the module of another native service runs itself.
  const companions = new Map<NativeRequest, { readonly main: NativeRequest; readonly role: string; readonly note: string; readonly input: RecipeInput }>();
  const absorbed = new Map<NativeRequest, Map<string, { service: string; unit?: string; input: RecipeInput }>>();
  const mains = [...verdicts].filter(([, v]) => v.ok && v.native.recipe.kind === 'module' && (v.native.recipe.companions?.length ?? 0) > 0);
  for (const [request, verdict] of verdicts) {
    const input = verdict.ok ? verdict.native.input : verdict.input;
    if (!input || (verdict.ok && verdict.native.recipe.kind === 'module' && verdict.native.recipe.companions)) continue;
    for (const [main, mv] of mains) {
      if (main === request || !mv.ok) continue;
      const role = companionRole(mv.native, input);
      if (!role) continue;
      const roles = absorbed.get(main) ?? new Map<string, { service: string; unit?: string; input: RecipeInput }>();
      if (roles.has(role.role)) continue;
      const unit = request.units.find((u) => u.type === 'service')?.name;
      roles.set(role.role, { service: request.name, ...(unit !== undefined ? { unit } : {}), input });
      absorbed.set(main, roles);
      companions.set(request, { main, role: role.role, note: role.note, input });
      break;
    }
  }

  const modules = new Map<string, string>();
  const out: ServicePlan[] = [];
  for (const e of entries) {
    if (!isRequest(e)) {
      out.push(e);
      continue;
    }
    const verdict = verdicts.get(e)!;
    const companion = companions.get(e);
    if (companion) {
      const main = verdicts.get(companion.main)!;
      if (!main.ok) continue;
      const recipe = main.native.recipe as ModuleRecipe;
      const container = verdict.ok ? verdict.container : verdict.plan!;
      out.push({
        name: e.name,
        units: e.units,
        strategy: 'native',
        reason: `stage 3: part of ${companion.main.name} (${recipe.module}): ${companion.note}`,
        container,
        native: { recipe, by: `companion (${companion.role}) of ${companion.main.name}`, input: companion.input, companionOf: { service: companion.main.name, role: companion.role } },
      });
      continue;
    }
    if (verdict.ok) {
      const recipe = verdict.native.recipe;
      const taken = recipe.kind === 'module' && !recipe.shared ? modules.get(recipe.module) : undefined;
      if (taken === undefined) {
        if (recipe.kind === 'module' && !recipe.shared) modules.set(recipe.module, e.name);
        const roles = absorbed.get(e);
        const native: NativePlan = roles ? { ...verdict.native, companions: roles } : verdict.native;
        out.push({ name: e.name, units: e.units, strategy: 'native', reason: nativeReason(native), container: verdict.container, native });
        continue;
      }
      const module = recipe.kind === 'module' ? recipe.module : recipe.app;
      const fallback = fallBack(e, `${module} is already used by ${taken}; one container per module`, ledger, false);
      if (fallback) out.push(fallback);
      continue;
    }
    if (!verdict.container && !e.explicit) {
      // A plain unit under --stage native: stage 1 is all there is; nothing to say.
      const plain = e.fallback();
      if (plain) out.push(plain);
      continue;
    }
    const closest = verdict.closest && verdict.closest.length > 0 ? `; the closest recipes are ${verdict.closest.join(', ')}` : '';
    const fallback = fallBack(e, `${verdict.reason}${closest}`, ledger, e.explicit);
    if (fallback) out.push(fallback);
  }
  return out;
}

function isRequest(e: ServicePlan | NativeRequest): e is NativeRequest {
  return 'fallback' in e;
}

function nativeReason(native: NativePlan): string {
  const recipe = native.recipe;
  if (recipe.kind === 'script') {
    return `stage 3: runs ${native.script!.file.path} natively, built into the store with pkgs.writers.writePerlBin (recipe ${recipe.app})`;
  }
  const roles = native.companions ? `, with ${[...native.companions.keys()].join(', ')} of ${[...native.companions.values()].map((c) => c.service).join(', ')}` : '';
  return `stage 3: ${recipe.module} (recipe ${recipe.app}, ${native.by})${roles}`;
}

/** Stage 2 (or 1) instead, saying why stage 3 is not possible; an error when the user named the service. */
function fallBack(request: NativeRequest, why: string, ledger: Ledger, error: boolean): ServicePlan | undefined {
  const fallback = request.fallback();
  const origin = request.standalone?.item.origin ?? request.units[0]?.item.origin;
  const stage = fallback === undefined ? 'is not converted' : fallback.strategy === 'oci' ? 'falls back to stage 2 (oci)' : 'stays at stage 1 (docker)';
  if (error) {
    ledger.report('error', 'plan/no-recipe', `--strategy ${request.name}=native: ${why}`, origin, `${request.name} ${stage}; \`nixport recipes\` lists the apps and images recipes convert`);
  } else {
    ledger.report('info', 'plan/no-native', `${request.name} ${stage}: stage 3 is not possible because ${why}`, origin);
  }
  if (!fallback) return undefined;
  return { ...fallback, reason: `${fallback.reason} (stage 3 not possible: ${why})` };
}
