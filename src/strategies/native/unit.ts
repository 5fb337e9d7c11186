import type { RestartPlan } from '../../model/analysis.ts';
import type { Directive, Unit } from '../../model/unit.ts';
import { apply, int, list, select, str, v, type NixExpr } from '../../nix/ast.ts';
import { escapeSystemdPath } from '../../passes/systemd-escape.ts';
import type { ContainerPlan } from '../../plan/index.ts';
import type { ModuleRecipe } from '../../recipes/types.ts';
import type { BuildContext } from '../context.ts';
import { carriedNames, unitNames } from '../dependencies.ts';
import { EXEC_KEYS, INSTALL_OPTIONS, STARTING_COMMANDS, UNIT_LIST_OPTIONS } from '../unit-mapping.ts';
import { UnitWriter } from '../unit-writer.ts';
import { templateToNix } from '../values.ts';
import type { RecipeSession } from './session.ts';

/**
 * The old unit's lessons on the unit a module runs (`jellyfin.service`,
 * `samba-smbd.service`): mounts are systemd's job (RequiresMountsFor +
 * wantedBy the mount, post N2), restarts go on as they did (Restart=,
 * RestartSec=, startLimitIntervalSec = 0 for Restart=always, post N1; with
 * lib.mkForce where the module sets the value itself), ordering on other
 * units stays, minus Docker's units and the mounts RequiresMountsFor covers.
 * What configured only the docker client (its environment, Type=,
 * timeouts) is dropped with the reason.
 */
export interface ModuleUnitContext {
  readonly ctx: BuildContext;
  readonly s: RecipeSession;
  readonly plan: ContainerPlan;
  readonly recipe: ModuleRecipe;
  readonly owner: string;
  /** Old unit names of services that moved: their new unit, or undefined when a module absorbed them. */
  readonly renames: ReadonlyMap<string, string | undefined>;
  /** The key the passes used: the unit's name, or containerKey. */
  readonly key: string;
}

const ENGINE_UNITS = new Set(['docker.service', 'docker.socket', 'containerd.service']);
const BOOT_TARGETS = new Set(['multi-user.target', 'default.target']);
const CLIENT_ONLY = 'it configured the docker client process, which no longer runs; the module configures its unit itself';

export function carryModuleUnit(u: ModuleUnitContext): void {
  const { ctx, plan, recipe } = u;
  const w = new UnitWriter(ctx.tree, u.owner, ['systemd', 'services', recipe.unit.name]);
  const unit = plan.unit;
  const needs = ctx.analysis.mounts.needs.get(u.key) ?? [];
  const mountUnits = new Set(needs.map((n) => `${escapeSystemdPath(n)}.mount`));
  const restartPlan = unit ? ctx.analysis.restart.plans.get(unit.name) : undefined;

  if (unit) {
    const { ledger } = ctx;
    const enable = u.s.optionName('enable');
    ledger.carried(unit.item, enable, `the module runs it as ${recipe.unit.name}.service`);
    for (const dropIn of unit.dropIns) ledger.carried(dropIn.item, enable, 'merged by systemd rules, then mapped');
    const replaced = new Set(restartPlan?.replaces ?? []);
    const steps = new Map(plan.steps.map((s) => [s.directive, s] as const));
    for (const d of unit.directives) {
      if (ledger.fate(d.item) || replaced.has(d) || d === plan.run) continue;
      const step = steps.get(d);
      if (step) carryStep(u, w, d, step.role, step.reason);
      else if (d.section === 'Unit') carryUnitSection(u, w, d, mountUnits);
      else if (d.section === 'Service') carryServiceSection(u, w, d);
      else if (d.section === 'Install') carryInstall(u, w, d);
      else ledger.dropped(d.item, `a [${d.section}] section has no place on the module's unit`);
    }
    carryActivation(u, unit);
  }
  carryRestart(u, w, unit, restartPlan);
  if (needs.length > 0) {
    w.addNames(['unitConfig', 'RequiresMountsFor'], needs, ['Its files live on a file system systemd mounts now (storage.nix).']);
    w.addNames(['wantedBy'], [...mountUnits], ['Also start it when the mount appears: it is `nofail` and may come after boot.']);
  }
  if (unit && unit.name !== `${recipe.unit.name}.service`) {
    w.addNames(['aliases'], [unit.name], [`Its old name, so \`systemctl status ${unit.name}\` and units that name it still find it.`]);
  }
  for (const activator of plan.activators) {
    ctx.ledger.settleTree(activator.item, { kind: 'dropped', reason: `it started ${unit?.name ?? 'the container'}; ${recipe.module} starts its unit at boot` });
    ctx.ledger.report('warning', 'native/activator', `${activator.name} started ${unit?.name ?? 'the container'} on a schedule or event; ${recipe.module} runs ${recipe.unit.name}.service all the time instead`, activator.item.origin);
  }
}

/** An Exec*= line besides the run: housekeeping goes, a prepare line the recipe did not read is reported, a host program stays. */
function carryStep(u: ModuleUnitContext, w: UnitWriter, d: Directive, role: string, reason: string): void {
  const { ledger } = u.ctx;
  if (u.s.consumed.has(d)) return;
  const docker = d.exec?.docker;
  if (role === 'housekeeping' || role === 'pull') {
    const what = docker ? `\`docker ${docker.verb}\`` : 'a check for Docker';
    ledger.settleTree(d.item, { kind: 'dropped', reason: `${what} around the container; no container any more: ${u.recipe.module} runs the app from nixpkgs` });
    return;
  }
  if (docker) {
    if (docker.verb === 'run' || docker.verb === 'exec' || docker.verb === 'cp') {
      ledger.settleTree(d.item, { kind: 'unsupported', reason: `what \`docker ${docker.verb}\` did in or for the image is not carried` });
      u.ctx.ledger.report('warning', 'native/prepare-not-read', `${u.s.service}: \`${d.key}=\` ran \`docker ${docker.verb}\` to prepare the container; ${u.recipe.app}'s recipe does not read it, so what it did is not carried`, d.item.origin, 'do by hand on NixOS what it did, if it still matters');
    } else {
      ledger.settleTree(d.item, { kind: 'dropped', reason: `\`docker ${docker.verb}\` of the helper container or image; ${u.recipe.module} needs no image` });
    }
    return;
  }
  // A program of the host (a readiness check of something else, a script): it runs before the app as before.
  if (!EXEC_KEYS.has(d.key)) {
    ledger.dropped(d.item, reason);
    return;
  }
  w.define(['serviceConfig', d.key], list([templateToNix(u.ctx.analysis.binaries.commands.get(d) ?? [d.raw])]), [`From ${u.plan.unit!.name}: it ran on the host before the container, and does before the app.`]);
  ledger.carriedTree(d.item, w.option('serviceConfig', d.key));
}

function carryUnitSection(u: ModuleUnitContext, w: UnitWriter, d: Directive, mountUnits: ReadonlySet<string>): void {
  const { ledger } = u.ctx;
  if (d.key === 'Description') {
    ledger.dropped(d.item, `the module describes ${u.recipe.unit.name}.service itself`);
    return;
  }
  if (d.key === 'RequiresMountsFor') {
    w.addNames(['unitConfig', 'RequiresMountsFor'], unitNames(d.value));
    ledger.carried(d.item, w.option('unitConfig', 'RequiresMountsFor'));
    return;
  }
  const option = UNIT_LIST_OPTIONS[d.key];
  if (!option) {
    w.define(['unitConfig', d.key], str(d.value));
    ledger.carried(d.item, w.option('unitConfig', d.key));
    return;
  }
  const kept: string[] = [];
  const notes: string[] = [];
  const carried = carriedNames(u.ctx, `${u.recipe.unit.name}.service`, d);
  if (carried.note !== undefined) notes.push(carried.note);
  for (const name of carried.kept) {
    if (ENGINE_UNITS.has(name)) notes.push(`${name}: no container engine any more`);
    else if (mountUnits.has(name)) notes.push(`${name}: unitConfig.RequiresMountsFor covers it`);
    else if (u.renames.has(name)) {
      const renamed = u.renames.get(name);
      if (renamed === undefined) notes.push(`${name}: the module runs it itself now`);
      else if (renamed === `${u.recipe.unit.name}.service`) notes.push(`${name}: that is this unit now`);
      else {
        kept.push(renamed);
        notes.push(`${name} is ${renamed} now`);
      }
    } else kept.push(name);
  }
  const note = notes.length > 0 ? notes.join('; ') : undefined;
  if (kept.length > 0) {
    w.addNames([option], kept);
    ledger.carried(d.item, w.option(option), note);
  } else {
    ledger.dropped(d.item, note ?? 'nothing left to carry');
  }
}

function carryServiceSection(u: ModuleUnitContext, w: UnitWriter, d: Directive): void {
  const { ledger } = u.ctx;
  if (d.key === 'Restart') return; // read with the restart policy
  if (d.key === 'RestartSec') {
    const set = u.recipe.unit.sets?.['RestartSec'];
    const differs = set !== undefined && String(set.value) !== d.value;
    w.define(['serviceConfig', 'RestartSec'], override(str(d.value), differs ? set.priority : undefined), [`RestartSec=${d.value}, as the old unit had it.`]);
    ledger.carried(d.item, w.option('serviceConfig', 'RestartSec'));
    return;
  }
  if (d.key === 'Environment' || d.key === 'EnvironmentFile') {
    ledger.dropped(d.item, 'the environment of the docker client; the app\'s variables came from `-e` and are mapped above');
    return;
  }
  ledger.dropped(d.item, CLIENT_ONLY);
}

function carryInstall(u: ModuleUnitContext, w: UnitWriter, d: Directive): void {
  const { ledger } = u.ctx;
  const option = INSTALL_OPTIONS[d.key];
  if (!option) {
    ledger.dropped(d.item, `[Install] ${d.key}= has no meaning for the module's unit`);
    return;
  }
  const names = unitNames(d.value);
  const others = option === 'wantedBy' ? names.filter((n) => !BOOT_TARGETS.has(n)) : names;
  if (others.length > 0) {
    w.addNames([option], others);
    ledger.carried(d.item, w.option(option));
  } else {
    ledger.carried(d.item, u.s.optionName('enable'), `the module starts ${u.recipe.unit.name}.service at boot`);
  }
}

function carryActivation(u: ModuleUnitContext, unit: Unit): void {
  const { ledger } = u.ctx;
  const { command, enable, runtime, mask } = unit.activation;
  const at = u.s.optionName('enable');
  // As systemd would: `command: start`, or an [Install] section linking it into the boot targets (applied unless cloud-config said otherwise).
  const installed = (enable ? enable.value : !command) && unit.directives.some((d) => d.section === 'Install' && d.key === 'WantedBy' && unitNames(d.value).some((n) => BOOT_TARGETS.has(n)));
  const startedAtBoot = (command !== undefined && STARTING_COMMANDS.has(command.value)) || installed;
  if (command) ledger.carried(command.item, at, STARTING_COMMANDS.has(command.value) ? 'the module starts its unit at boot' : `\`command: ${command.value}\`: the module starts its unit at boot regardless`);
  if (enable) ledger.carried(enable.item, at, 'the module starts its unit at boot');
  if (runtime) ledger.dropped(runtime.item, 'NixOS keeps units in the store; a runtime-only unit has no separate meaning');
  if (mask) ledger.dropped(mask.item, 'the module\'s unit replaces it');
  if (!startedAtBoot) {
    ledger.report('info', 'native/starts-at-boot', `${unit.name} was not started at boot on the old host; ${u.recipe.module} starts ${u.recipe.unit.name}.service at boot`, unit.item.origin);
  }
}

/**
 * Restart semantics as the old unit had them (or the container's --restart
 * policy where no unit supervised it), over the module's own values.
 */
function carryRestart(u: ModuleUnitContext, w: UnitWriter, unit: Unit | undefined, plan: RestartPlan | undefined): void {
  const { ctx, recipe } = u;
  const { ledger } = ctx;
  const sets = recipe.unit.sets ?? {};
  const directives = unit ? unit.directives.filter((d) => d.section === 'Service' && d.key === 'Restart' && !ledger.fate(d.item)) : [];
  const written = directives[directives.length - 1];
  const flag = u.plan.invocation.flags.find((f) => f.name === '--restart' && !ledger.fate(f.item));
  const policy = flag?.value !== undefined ? dockerRestart(flag.value) : undefined;
  const value = written?.value ?? (unit ? undefined : policy);
  const module = sets['Restart'];
  const option = w.option('serviceConfig', 'Restart');
  if (value !== undefined) {
    const differs = module !== undefined && value !== String(module.value);
    w.define(['serviceConfig', 'Restart'], override(str(value), differs ? module.priority : undefined), [written ? `Restart=${value}, as the old unit had it.` : `From \`--restart ${flag!.value}\`: systemd restarts the app.`]);
  }
  for (const d of directives) ledger.carried(d.item, option, value === String(module?.value) ? 'the module\'s own value' : undefined);
  if (flag) {
    if (written || unit) ledger.dropped(flag.item, 'the unit\'s Restart= supervised the container; the module\'s unit restarts the app');
    else ledger.carried(flag.item, option);
  }
  if (value === undefined && unit && module) {
    ledger.report('info', 'native/restart', `${unit.name} did not restart its container; ${recipe.unit.name}.service keeps the module's Restart=${module.value}`, unit.item.origin);
  }

  const effective = value ?? String(module?.value ?? 'no');
  const interval = limitOption(sets, 'StartLimitIntervalSec');
  const burst = limitOption(sets, 'StartLimitBurst');
  if (plan) {
    if (plan.startLimitIntervalSec !== undefined) w.define(interval.path, override(int(plan.startLimitIntervalSec), differ(interval.set, plan.startLimitIntervalSec)), [plan.reason]);
    if (plan.startLimitBurst !== undefined) w.define(burst.path, override(int(plan.startLimitBurst), differ(burst.set, plan.startLimitBurst)));
    const at = w.option(...(plan.startLimitIntervalSec !== undefined ? interval.path : burst.path));
    for (const d of plan.replaces) ledger.carried(d.item, at, 'moved to the unit level');
  } else if (effective === 'always' && value !== undefined) {
    w.define(interval.path, override(int(0), differ(interval.set, 0)), ['Restart=always: keep restarting however often it fails (no start limit).']);
  }
}

/**
 * Where the start limit goes: `startLimitIntervalSec`, or `unitConfig.StartLimitIntervalSec`
 * when the module writes it there itself (postgresql, adguardhome): NixOS turns the
 * former into the latter, and two plain definitions of it would conflict.
 */
function limitOption(sets: NonNullable<ModuleRecipe['unit']['sets']>, key: 'StartLimitIntervalSec' | 'StartLimitBurst'): { readonly path: string[]; readonly set: (typeof sets)[string] | undefined } {
  const inUnitConfig = sets[`unitConfig.${key}`];
  if (inUnitConfig) return { path: ['unitConfig', key], set: inUnitConfig };
  const name = key === 'StartLimitIntervalSec' ? 'startLimitIntervalSec' : 'startLimitBurst';
  return { path: [name], set: sets[name] };
}

/** The module's priority for a setting when the old value differs from the module's. */
function differ(set: { readonly value: string | number; readonly priority: 'plain' | 'default' } | undefined, value: string | number): 'plain' | 'default' | undefined {
  return set !== undefined && String(set.value) !== String(value) ? set.priority : undefined;
}

/** A definition over the module's own: lib.mkForce when the module sets another value plainly. */
function override(value: NixExpr, priority: 'plain' | 'default' | undefined): NixExpr {
  return priority === 'plain' ? apply(select(v('lib'), 'mkForce'), value) : value;
}

function dockerRestart(policy: string): string | undefined {
  if (policy === 'always' || policy === 'unless-stopped') return 'always';
  if (policy === 'on-failure' || policy.startsWith('on-failure:')) return 'on-failure';
  if (policy === 'no') return 'no';
  return undefined;
}

