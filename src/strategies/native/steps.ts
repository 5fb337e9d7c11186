import type { VolumeSpec } from '../../model/docker.ts';
import type { ServicePlan } from '../../plan/index.ts';
import type { ModuleRecipe, RecipeInput, StepText, VolumeRule } from '../../recipes/types.ts';
import type { RecipeSession } from './session.ts';
import type { MigrationStep } from './types.ts';

/** A state volume of the old container and where its data goes. */
export interface StateMove {
  readonly rule: VolumeRule;
  readonly source: string;
  readonly target: string;
  readonly volume: VolumeSpec;
}

export interface StepsInput {
  readonly service: ServicePlan;
  readonly recipe: ModuleRecipe;
  readonly input: RecipeInput;
  readonly state: readonly StateMove[];
  readonly session: RecipeSession;
  /** `jellyfin.service` */
  readonly unit: string;
  readonly health?: string;
  readonly companions: ReadonlyMap<string, { readonly service: string; readonly unit?: string; readonly input: RecipeInput }> | undefined;
}

/**
 * The ordered steps of one service's move, as a person runs them: what to
 * do while the old containers still run (dumps), stop them, move the state
 * to where the module keeps it and give it to the module's user, what the
 * recipe adds (passwords, ...), switch, what follows the switch (restores),
 * then check the unit and the app's health endpoint.
 */
export function migrationSteps(x: StepsInput): MigrationStep[] {
  const { recipe, input, session } = x;
  const texts = [...(recipe.steps ?? []), ...[...(x.companions?.keys() ?? [])].flatMap((role) => recipe.companions?.find((c) => c.role === role)?.steps ?? [])];
  const fill = (t: StepText): MigrationStep => ({ title: placeholders(t.title, x), detail: placeholders(t.detail, x) });
  const steps: MigrationStep[] = [];

  steps.push(...texts.filter((t) => t.phase === 'running').map(fill));
  steps.push(...session.steps.filter((t) => t.phase === 'running').map(plain));
  const companions = [...(x.companions?.values() ?? [])];
  const main = x.service.units.find((u) => u.type === 'service')?.name;
  const units = [main, ...companions.map((c) => c.unit)].filter((n): n is string => n !== undefined);
  const loose = [...(main === undefined ? [input.name] : []), ...companions.filter((c) => c.unit === undefined).map((c) => c.input.name)];
  const how = [...(units.length > 0 ? [`\`systemctl stop ${units.join(' ')}\``] : []), ...(loose.length > 0 ? [`\`docker stop ${loose.join(' ')}\``] : [])].join(' and ');
  steps.push({
    title: `Stop ${[input.name, ...companions.map((c) => c.input.name)].join(', ')} on the old host`,
    detail: `${how}: ${x.state.length > 0 ? 'nothing may write to the state while it moves' : 'the old and the new service would answer on the same ports'}.`,
  });

  for (const m of x.state) {
    if (m.source === m.target) {
      steps.push({ title: `Keep ${m.source}`, detail: `It holds ${m.rule.holds}; the module uses it where it is.` });
    } else {
      const rootDisk = m.source.startsWith('/var/lib/docker/');
      steps.push({
        title: `Copy ${m.volume.target} of the old container to ${m.target}`,
        detail: `It holds ${m.rule.holds}. \`rsync -aHAX ${m.source.replace(/\/+$/, '')}/ ${m.target.replace(/\/+$/, '')}/\`${rootDisk ? ' (Docker\'s volume directory is on the old root disk: copy it before that disk is reinstalled)' : ''}.`,
      });
    }
    for (const move of m.rule.moves ?? []) {
      // After the copy the data is in the target (the same place when it stays where it was).
      const to = resolve(m.target, move.to);
      const below = to.startsWith(`${m.target.replace(/\/+$/, '')}/`);
      const mv = `mv ${m.target}/${move.from} ${to}/`;
      steps.push({ title: `Move ${m.target}/${move.from.replace(/\/\*$/, '')} into ${to}`, detail: `The image kept it there; the module expects it in ${to}: \`${below ? `mkdir -p ${to} && ${mv}` : mv}\`.` });
    }
  }
  steps.push(...texts.filter((t) => t.phase === undefined).map(fill));
  steps.push(...session.steps.filter((t) => t.phase === undefined).map(plain));
  steps.push({ title: 'Switch to the new configuration', detail: `\`make deploy\` (nixos-rebuild switch) ${recipe.user ? `creates the user ${recipe.user.user} and ` : ''}starts ${x.unit}.` });
  const owned = topmost(x.state.map((m) => ownedDir(m, session)));
  if (recipe.user && owned.length > 0) {
    steps.push({
      title: `Give the state to ${recipe.user.user}`,
      detail: `\`chown -R ${recipe.user.user}:${recipe.user.group} ${owned.join(' ')}\`, then \`systemctl restart ${x.unit}\`: the module runs the app as the system user ${recipe.user.user} (made by the switch), not as the container's user.`,
    });
  }
  steps.push(...texts.filter((t) => t.phase === 'switched').map(fill));
  steps.push(...session.steps.filter((t) => t.phase === 'switched').map(plain));
  steps.push({
    title: `Check ${x.unit}`,
    detail: `\`systemctl status ${x.unit}\` and \`journalctl -u ${x.unit}\`${x.health ? `; the app answers: \`${x.health}\`` : ''}.`,
  });
  return steps;
}

/** The directory the module's user must own for a state move: the option's directory (dataDir), or where it was copied. */
function ownedDir(m: StateMove, session: RecipeSession): string {
  const values = Object.keys(m.rule.set ?? {}).map((o) => session.valueOf(o)).filter((v): v is string => typeof v === 'string');
  return [...values, m.target].sort((a, b) => a.length - b.length)[0]!;
}

/** Directories without the ones below another in the list. */
function topmost(dirs: readonly string[]): string[] {
  const unique = [...new Set(dirs)].sort();
  return unique.filter((d) => !unique.some((o) => o !== d && d.startsWith(`${o.replace(/\/+$/, '')}/`)));
}

function resolve(base: string, relative: string): string {
  const parts = base.split('/').filter((p) => p !== '');
  for (const p of relative.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.' && p !== '') parts.push(p);
  }
  return `/${parts.join('/')}`;
}

/** A step the recipe's code added, without its phase. */
function plain(t: MigrationStep): MigrationStep {
  return { title: t.title, detail: t.detail };
}

/** `{database.name}`, `{database.user}`: from the companion containers. */
function placeholders(text: string, x: StepsInput): string {
  return text.replace(/\{([a-z-]+)\.(name|user)\}/g, (whole, role: string, field: string) => {
    const companion = x.companions?.get(role);
    if (!companion) return whole;
    if (field === 'name') return companion.input.name;
    return companion.input.environment.get('POSTGRES_USER') ?? x.input.environment.get('DB_USERNAME') ?? 'postgres';
  });
}
