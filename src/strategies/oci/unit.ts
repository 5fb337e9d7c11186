import type { QuadletUnit } from '../../model/container.ts';
import type { Directive, Unit } from '../../model/unit.ts';
import { apply, bool, int, list, select, str, v, type NixExpr } from '../../nix/ast.ts';
import { escapeSystemdPath } from '../../passes/systemd-escape.ts';
import type { ContainerPlan } from '../../plan/types.ts';
import { optionName, type BuildContext } from '../context.ts';
import { BOOT_TARGET, EXEC_KEYS, INSTALL_DROPPED, INSTALL_OPTIONS, STARTING_COMMANDS, UNIT_LIST_OPTIONS } from '../unit-mapping.ts';
import { carriedNames, unitNames } from '../dependencies.ts';
import type { UnitWriter } from '../unit-writer.ts';
import { templateToNix } from '../values.ts';
import type { MappedContainer } from './flags.ts';
import { carryQuadletUnit } from './quadlet.ts';
import { SECRET_ENVIRONMENT_COMMENT, UnitSecrets } from '../secrets/unit.ts';

/**
 * The old unit around a container, onto the unit oci-containers generates
 * (`systemd.services.<backend>-<name>`): ordering, conditions and settings
 * carried (they applied to the docker client then, and do now), Docker's
 * own units left out (the module orders after them), other converted
 * containers as `dependsOn`, restarts and start limits as the old unit had
 * them (post, N1), mounts as systemd's job (post, N2).
 */
export interface ContainerUnit {
  readonly ctx: BuildContext;
  readonly plan: ContainerPlan;
  readonly mapped: MappedContainer;
  /** virtualisation.oci-containers.containers.<name> */
  readonly base: readonly string[];
  readonly owner: string;
  /** Writes under systemd.services.<backend>-<name>. */
  readonly w: UnitWriter;
  /** Old unit name -> container name, for every unit that moved to stage 2. */
  readonly converted: ReadonlyMap<string, string>;
  /** The names of all containers declared in oci-containers. */
  readonly containers: ReadonlySet<string>;
  /** The unit key the passes used (the unit's name, or containerKey). */
  readonly key: string;
  /** The old unit's secrets, for the lines carried onto the container's unit. */
  readonly secrets?: UnitSecrets;
}

/** Units of the container engine: the module orders every container after them. */
const ENGINE_UNITS = new Set(['docker.service', 'docker.socket']);
const DEPENDENCY_KEYS = new Set(['Requires', 'BindsTo']);
/** Settings the module's unit sets itself; the old unit's value wins over it. */
const FORCED = new Set(['TimeoutStartSec', 'TimeoutStopSec']);
const DROPPED: Readonly<Record<string, string>> = {
  Type: 'the module runs the container in the foreground of its unit (podman: Type=notify)',
  RemainAfterExit: 'the container\'s unit is active as long as the container runs',
  PIDFile: 'the module runs the container in the foreground; there is no PID file to follow',
  GuessMainPID: 'the module runs the container in the foreground',
};

export function carryContainerUnit(u: ContainerUnit): void {
  const { ctx, plan, w } = u;
  const unit = plan.unit;
  if (!unit) {
    standaloneUnit(u);
    return;
  }
  const secrets = u.secrets ?? new UnitSecrets(ctx, `${w.base[2]}.service`, unit.name);
  const { ledger } = ctx;
  const containerOption = optionName(u.base);
  ledger.carried(unit.item, containerOption, `its container, run by ${w.base[2]}.service`);
  for (const dropIn of unit.dropIns) ledger.carried(dropIn.item, w.option(), 'merged by systemd rules');

  const restartPlan = ctx.analysis.restart.plans.get(unit.name);
  const replaced = new Set(restartPlan?.replaces ?? []);
  const steps = new Map(plan.steps.map((s) => [s.directive, s] as const));
  const dependencies = dependencyNames(unit);
  const config = new Map<string, { key: string; values: NixExpr[]; directives: Directive[] }>();
  const addConfig = (key: string, value: NixExpr, d: Directive) => {
    const entry = config.get(key) ?? { key, values: [], directives: [] };
    entry.values.push(value);
    entry.directives.push(d);
    config.set(key, entry);
  };
  const dependsOn: string[] = [];

  for (const d of unit.directives) {
    if (ledger.fate(d.item) || replaced.has(d)) continue;
    if (d === plan.run) continue; // settled with the container, after its flags
    const generated = plan.generated?.directives.get(d);
    if (generated !== undefined) {
      ledger.settleTree(d.item, { kind: 'dropped', reason: generated });
      continue;
    }
    const step = steps.get(d);
    if (step) {
      carryStep(u, d, step.role, step.reason, secrets);
      continue;
    }
    if (d.section === 'Unit') {
      if (d.key === 'Description') {
        w.define(['description'], str(d.value));
        ledger.carried(d.item, w.option('description'));
      } else if (UNIT_LIST_OPTIONS[d.key]) {
        carryNames(u, d, UNIT_LIST_OPTIONS[d.key]!, dependencies, dependsOn);
      } else if (d.key === 'RequiresMountsFor') {
        w.addNames(['unitConfig', 'RequiresMountsFor'], unitNames(d.value));
        ledger.carried(d.item, w.option('unitConfig', 'RequiresMountsFor'));
      } else {
        w.define(['unitConfig', d.key], str(d.value));
        ledger.carried(d.item, w.option('unitConfig', d.key));
      }
    } else if (d.section === 'Service') {
      if (d.key === 'Environment' && d.assignments) {
        // The docker client's environment, as before (`-e NAME` still reads it); secrets go to the unit's secret file.
        const kept = secrets.assignments(d);
        for (const a of kept) w.define(['environment', a.name], str(a.value));
        secrets.use(d, w.option('serviceConfig', 'EnvironmentFile'));
        ledger.carried(d.item, kept.length > 0 ? w.option('environment') : w.option('serviceConfig', 'EnvironmentFile'), 'the environment of the docker client, as before');
      } else if (d.key === 'Restart') {
        // Read with the restart policy below.
      } else if (DROPPED[d.key]) {
        ledger.dropped(d.item, DROPPED[d.key]!);
      } else if (FORCED.has(d.key) || d.key === 'TimeoutSec') {
        const keys = d.key === 'TimeoutSec' ? ['TimeoutStartSec', 'TimeoutStopSec'] : [d.key];
        for (const k of keys) w.define(['serviceConfig', k], force(str(d.value)), [`The old unit's value; the module sets ${k} itself.`]);
        ledger.carried(d.item, w.option('serviceConfig', keys[0]!), 'over the module\'s own value (lib.mkForce)');
      } else if (EXEC_KEYS.has(d.key)) {
        addConfig(d.key, templateToNix(ctx.analysis.binaries.commands.get(d) ?? [d.raw]), d);
        secrets.use(d, w.option('serviceConfig', d.key));
      } else if (d.key === 'SetCredential' && ctx.analysis.secrets.credentials.has(d)) {
        addConfig('LoadCredential', str(secrets.credential(d, w.option('serviceConfig', 'LoadCredential'))!), d);
      } else {
        addConfig(d.key, str(d.value), d);
      }
    } else if (d.section === 'Install') {
      carryInstall(u, d);
    } else {
      ledger.unsupported(d.item, `a [${d.section}] section has no place in a container's unit`);
      ledger.report('error', 'oci/section-not-carried', `[${d.section}] ${d.key}= in ${unit.name} is not carried`, d.item.origin);
    }
  }
  const secretFile = secrets.environmentFile();
  if (secretFile !== undefined) {
    const own = config.get('EnvironmentFile');
    if (own) own.values.push(str(secretFile));
    else w.define(['serviceConfig', 'EnvironmentFile'], list([str(secretFile)]), [SECRET_ENVIRONMENT_COMMENT]);
  }
  for (const entry of config.values()) {
    const asList = entry.values.length > 1 || EXEC_KEYS.has(entry.key);
    w.define(['serviceConfig', entry.key], asList ? list(entry.values) : entry.values[0]!);
    for (const d of entry.directives) ledger.carriedTree(d.item, w.option('serviceConfig', entry.key));
  }

  for (const need of u.mapped.needs) {
    const other = u.containers.has(need.name) ? need.name : undefined;
    if (other !== undefined && !dependsOn.includes(other) && other !== plan.name) dependsOn.push(other);
  }
  if (dependsOn.length > 0) {
    ctx.tree.define(u.owner, [...u.base, 'dependsOn'], list(dependsOn.map((x) => str(x))), ['Started after these containers, and only with them (After= and Requires=).']);
  }
  const autoStart = startsAtBoot(unit);
  if (!autoStart) {
    ctx.tree.define(u.owner, [...u.base, 'autoStart'], bool(false), [startReason(unit, plan)]);
  }
  carryActivation(u, unit, autoStart);
  carryRestart(u, unit, restartPlan);
  carryMountNeeds(u, autoStart);
  retarget(u, unit);
  keepOldName(u, unit);
  ledger.carriedTree(plan.run!.item, containerOption, 'its docker run, declared');
}

/** A container without a unit: the module's unit as it is, with restarts and mounts from its flags (and a Quadlet file's unit sections). */
function standaloneUnit(u: ContainerUnit): void {
  const { ctx, plan } = u;
  const c = plan.standalone!;
  const dependsOn = [...new Set(u.mapped.needs.map((n) => n.name))].filter((n) => u.containers.has(n) && n !== plan.name);
  if (dependsOn.length > 0) ctx.tree.define(u.owner, [...u.base, 'dependsOn'], list(dependsOn.map((n) => str(n))), ['Started after these containers, and only with them.']);
  const quadlet = c.quadlet;
  const autoStart = quadlet ? carryQuadletUnit(u, quadlet) : true;
  carryRestart(u, quadlet ? { name: quadlet.service, item: c.item, directives: quadlet.directives } : undefined, undefined);
  carryMountNeeds(u, autoStart);
  if (quadlet) settleQuadletKeys(ctx.ledger, quadlet);
  // Last: what the steps above did not settle went into the container.
  ctx.ledger.carriedTree(c.item, optionName(u.base), 'declared as a container');
}

/** Names in Requires=/BindsTo= and in After=, for telling a dependency from mere ordering. */
function dependencyNames(unit: Unit): { readonly required: Set<string>; readonly after: Set<string> } {
  const required = new Set<string>();
  const after = new Set<string>();
  for (const d of unit.directives) {
    if (d.section !== 'Unit') continue;
    if (DEPENDENCY_KEYS.has(d.key)) for (const n of unitNames(d.value)) required.add(n);
    if (d.key === 'After') for (const n of unitNames(d.value)) after.add(n);
  }
  return { required, after };
}

/** After=, Requires=, ...: Docker's units leave, other containers' units get their new names or become dependsOn. */
function carryNames(u: ContainerUnit, d: Directive, option: string, deps: ReturnType<typeof dependencyNames>, dependsOn: string[]): void {
  const { ledger } = u.ctx;
  const kept: string[] = [];
  const notes: string[] = [];
  const { kept: names, note: notCarried } = carriedNames(u.ctx, u.key, d);
  if (notCarried !== undefined) notes.push(notCarried);
  for (const name of names) {
    if (ENGINE_UNITS.has(name)) {
      notes.push(`${name} left out: the module orders the container after docker.service and docker.socket${u.ctx.plan.backend === 'podman' ? ' (podman has no daemon)' : ''}`);
      continue;
    }
    const container = u.converted.get(name);
    if (container === undefined) {
      kept.push(name);
      continue;
    }
    if (deps.required.has(name) && deps.after.has(name) && (option === 'after' || option === 'requires' || option === 'bindsTo')) {
      if (!dependsOn.includes(container)) dependsOn.push(container);
      notes.push(`${name} is the container ${container} now: dependsOn`);
      continue;
    }
    const renamed = `${u.ctx.plan.backend}-${container}.service`;
    kept.push(renamed);
    notes.push(`${name} is ${renamed} now`);
  }
  if (kept.length > 0) u.w.addNames([option], kept);
  const note = notes.length > 0 ? notes.join('; ') : undefined;
  if (kept.length > 0) ledger.carried(d.item, u.w.option(option), note);
  else if (notes.some((n) => n.includes('dependsOn'))) ledger.carried(d.item, optionName([...u.base, 'dependsOn']), note);
  else ledger.dropped(d.item, note ?? 'nothing left to carry');
}

function carryStep(u: ContainerUnit, d: Directive, role: string, reason: string, secrets: UnitSecrets): void {
  const { ledger } = u.ctx;
  switch (role) {
    case 'pull':
      ledger.carriedTree(d.item, optionName([...u.base, 'pull']), reason);
      return;
    case 'network':
      // Settled by the network's oneshot (networks.ts).
      return;
    case 'carried': {
      const value = templateToNix(u.ctx.analysis.binaries.commands.get(d) ?? [d.raw]);
      u.w.define(['serviceConfig', d.key], list([value]));
      secrets.use(d, u.w.option('serviceConfig', d.key));
      ledger.carriedTree(d.item, u.w.option('serviceConfig', d.key), reason);
      return;
    }
    default:
      ledger.settleTree(d.item, { kind: 'dropped', reason });
  }
}

function carryInstall(u: ContainerUnit, d: Directive): void {
  const { ledger } = u.ctx;
  if (INSTALL_DROPPED[d.key]) {
    ledger.dropped(d.item, INSTALL_DROPPED[d.key]!);
    return;
  }
  const option = INSTALL_OPTIONS[d.key];
  if (!option) {
    ledger.unsupported(d.item, `[Install] ${d.key}= is not an [Install] setting systemd knows`);
    return;
  }
  const unit = u.plan.unit!;
  if (!installApplies(unit)) {
    ledger.dropped(d.item, 'the old host never linked the unit through its [Install] section');
    return;
  }
  const names = unitNames(d.value);
  const others = option === 'wantedBy' ? names.filter((n) => !BOOT_TARGETS.has(n)) : names;
  if (others.length > 0) u.w.addNames([option], others);
  if (others.length < names.length) {
    ledger.carried(d.item, optionName([...u.base, 'autoStart']), 'the module makes the container wanted by multi-user.target (autoStart)');
  } else {
    ledger.carried(d.item, u.w.option(option));
  }
}

/** Targets a container's autoStart stands for. */
const BOOT_TARGETS = new Set(['multi-user.target', 'default.target']);

function installApplies(unit: Unit): boolean {
  const { enable, command } = unit.activation;
  if (enable) return enable.value;
  return !command;
}

/** Whether the old host started the unit at boot: `command: start`, or linked into the boot targets. */
function startsAtBoot(unit: Unit): boolean {
  const { command } = unit.activation;
  if (command && STARTING_COMMANDS.has(command.value) && BOOT_TARGET[unit.type]) return true;
  if (!installApplies(unit)) return false;
  return unit.directives.some((d) => d.section === 'Install' && d.key === 'WantedBy' && unitNames(d.value).some((n) => BOOT_TARGETS.has(n)));
}

function startReason(unit: Unit, plan: ContainerPlan): string {
  const by = plan.activators.map((a) => a.name);
  return by.length > 0 ? `Started by ${by.join(', ')}, not at boot.` : `${unit.name} was not started at boot on the old host.`;
}

function carryActivation(u: ContainerUnit, unit: Unit, autoStart: boolean): void {
  const { ledger } = u.ctx;
  const { command, enable, runtime } = unit.activation;
  const at = optionName([...u.base, 'autoStart']);
  if (command) {
    if (STARTING_COMMANDS.has(command.value)) ledger.carried(command.item, at, autoStart ? '`command: start` started it at every boot' : undefined);
    else ledger.dropped(command.item, `\`command: ${command.value}\` at boot has no NixOS equivalent; the container is not started at boot`);
  }
  if (enable) ledger.carried(enable.item, at, enable.value ? '[Install] section applied' : 'not linked');
  if (runtime) ledger.dropped(runtime.item, 'NixOS keeps units in the store; a runtime-only unit has no separate meaning');
}

/**
 * Restart semantics: the old unit's Restart= (systemd's default is `no`),
 * or the `--restart` policy where the unit had none, over the module's
 * Restart=on-failure. `always` restarts forever (startLimitIntervalSec = 0,
 * post N1) unless the old unit set its own limits.
 */
/** What carryRestart reads of a unit: a Quadlet file's [Service] lines stand in for one. */
type RestartSource = Pick<Unit, 'name' | 'item' | 'directives'>;

function carryRestart(u: ContainerUnit, unit: RestartSource | undefined, plan: ReturnType<BuildContext['analysis']['restart']['plans']['get']>): void {
  const { ctx, w, mapped } = u;
  const { ledger } = ctx;
  const directives = unit ? unit.directives.filter((d) => d.section === 'Service' && d.key === 'Restart' && !ledger.fate(d.item)) : [];
  const written = directives[directives.length - 1];
  const policy = mapped.restart ? systemdRestart(mapped.restart.value) : undefined;
  let value: string | undefined;
  let why: string;
  if (written) {
    value = written.value;
    why = `Restart=${value}, as the old unit had it.`;
    for (const d of directives) ledger.carried(d.item, w.option('serviceConfig', 'Restart'), value === 'on-failure' ? 'the module\'s own value' : 'over the module\'s on-failure (lib.mkForce)');
    if (mapped.restart) ledger.dropped(mapped.restart.flag.item, 'the unit\'s Restart= supervises the container; a Docker restart policy would also conflict with the --rm the module adds');
  } else if (mapped.restart && policy !== undefined) {
    value = policy;
    why = `From \`--restart ${mapped.restart.value}\`: systemd restarts the container now.`;
    ledger.carried(mapped.restart.flag.item, w.option('serviceConfig', 'Restart'), 'a Docker restart policy would conflict with the --rm the module adds; systemd restarts the container');
    // A Compose service's retries become start limits (strategies/compose); others are only reported.
    if (mapped.restart.value.startsWith('on-failure:') && u.plan.standalone?.compose?.restartLimits?.maxAttempts === undefined) {
      ledger.report('info', 'oci/restart-retries', `\`--restart ${mapped.restart.value}\`: systemd restarts on failure within its start limit (5 starts in 10 s) instead of a fixed number of retries`, mapped.restart.flag.item.origin, 'set startLimitBurst and startLimitIntervalSec on the unit to bound the retries');
    }
    if (mapped.restart.value === 'no') {
      ledger.report('info', 'oci/autostart', `\`--restart no\`: the container did not come back after a reboot on the old host; oci-containers starts it at boot`, mapped.restart.flag.item.origin, 'set autoStart = false to start it by hand');
    }
  } else if (unit) {
    value = 'no';
    why = 'The old unit had no Restart= (systemd\'s default, no): the container is not restarted when it stops.';
    ledger.report('info', 'oci/no-restart', `${unit.name} did not restart its container; the container's unit keeps Restart=no instead of the module's on-failure`, unit.item.origin, 'set Restart = "on-failure" (or "always") if it should come back');
  } else if (u.plan.standalone?.compose) {
    // Compose's default is `no`: strategies/compose writes it.
    why = '';
  } else {
    why = '';
    ledger.report('info', 'oci/default-restart', `the container \`${u.plan.name}\` had no restart policy; oci-containers restarts it when it fails (Restart=on-failure) and starts it at boot`, u.plan.standalone?.item.origin);
  }
  if (value !== undefined && value !== 'on-failure') w.define(['serviceConfig', 'Restart'], force(str(value)), [why]);

  if (plan) {
    if (plan.startLimitIntervalSec !== undefined) w.define(['startLimitIntervalSec'], int(plan.startLimitIntervalSec), [plan.reason]);
    if (plan.startLimitBurst !== undefined) w.define(['startLimitBurst'], int(plan.startLimitBurst));
    const option = w.option(plan.startLimitIntervalSec !== undefined ? 'startLimitIntervalSec' : 'startLimitBurst');
    for (const d of plan.replaces) ledger.carried(d.item, option, 'moved to the unit level');
  } else if (value === 'always' && !hasOwnLimit(unit)) {
    w.define(['startLimitIntervalSec'], int(0), ['Restart=always: keep restarting however often it fails (no start limit).']);
  }
  const stop = mapped.stopTimeout;
  const ownStop = unit?.directives.some((d) => d.section === 'Service' && (d.key === 'TimeoutStopSec' || d.key === 'TimeoutSec'));
  if (stop !== undefined && stop + 10 > 120 && !ownStop) {
    w.define(['serviceConfig', 'TimeoutStopSec'], force(int(stop + 30)), [`--stop-timeout ${stop}: the unit waits longer than \`docker stop\` does.`]);
  }
}

function hasOwnLimit(unit: RestartSource | undefined): boolean {
  return unit?.directives.some((d) => d.key.startsWith('StartLimit')) ?? false;
}

/** Docker's restart policies as systemd's Restart=. */
function systemdRestart(policy: string): string | undefined {
  if (policy === 'always' || policy === 'unless-stopped') return 'always';
  if (policy === 'on-failure' || policy.startsWith('on-failure:')) return 'on-failure';
  if (policy === 'no') return 'no';
  return undefined;
}

/** Post, N2: the container's files live on a mount systemd makes; start it when the mount appears too. */
function carryMountNeeds(u: ContainerUnit, startedAtBoot: boolean): void {
  const needs = u.ctx.analysis.mounts.needs.get(u.key);
  if (!needs || needs.length === 0) return;
  u.w.addNames(['unitConfig', 'RequiresMountsFor'], needs, ['Its files live on a file system systemd mounts now (storage.nix).']);
  if (startedAtBoot) {
    u.w.addNames(['wantedBy'], needs.map((n) => `${escapeSystemdPath(n)}.mount`), ['Also start it when the mount appears: it is `nofail` and may come after boot.']);
  }
}

/** Timers and path units started the old unit by its name; they start the container's unit now. */
function retarget(u: ContainerUnit, unit: Unit): void {
  const target = `${u.w.base[2]}.service`;
  for (const activator of u.plan.activators) {
    const section = activator.type === 'timer' ? 'Timer' : 'Path';
    const collection = activator.type === 'timer' ? 'timers' : 'paths';
    const path = ['systemd', collection, activator.name.slice(0, activator.name.lastIndexOf('.')), `${activator.type}Config`, 'Unit'];
    for (const d of activator.directives) {
      if (d.section === section && d.key === 'Unit') u.ctx.ledger.carried(d.item, optionName(path), `it starts ${target} now`);
    }
    u.ctx.tree.define(u.owner, path, str(target), [`${unit.name} runs as ${target} now.`]);
  }
}

/**
 * The container's unit keeps the old unit's name as an alias: `systemctl
 * status healthz`, scripts, health checks and units that still say
 * `After=healthz.service` find it under either name.
 */
function keepOldName(u: ContainerUnit, unit: Unit): void {
  const own = new Set([unit, ...u.plan.activators]);
  // Converted units name the container's unit by its new name already.
  const referenced = u.ctx.host.units.some(
    (other) =>
      !own.has(other) &&
      !u.converted.has(other.name) &&
      other.directives.some((d) => d.section === 'Unit' && UNIT_LIST_OPTIONS[d.key] !== undefined && unitNames(d.value).includes(unit.name)),
  );
  const why = referenced ? `Its old name: other units still name ${unit.name}, and \`systemctl\` finds it by either name.` : `Its old name, so \`systemctl status ${unit.name}\` still finds it.`;
  u.w.addNames(['aliases'], [unit.name], [why]);
}

/** A Quadlet [Container] line's fate follows the flags it became (carried where they went, or dropped and why). */
function settleQuadletKeys(ledger: BuildContext['ledger'], q: QuadletUnit): void {
  for (const [d, flags] of q.keys) {
    const fates = flags.map((f) => ledger.fate(f.item)).filter((f) => f !== undefined);
    const first = fates[0];
    if (!first || ledger.fate(d.item)) continue;
    const carried = fates.find((f) => f.kind === 'carried');
    if (fates.every((f) => f.kind === first.kind)) ledger.settle(d.item, first.kind === 'carried' ? { ...first, note: `as \`${flags.map((f) => f.item.label).join(' ')}\`` } : first);
    else if (carried?.kind === 'carried') ledger.settle(d.item, { ...carried, note: 'in part; see its flags' });
    else ledger.settle(d.item, first);
  }
}

function force(value: NixExpr): NixExpr {
  return apply(select(v('lib'), 'mkForce'), value);
}

