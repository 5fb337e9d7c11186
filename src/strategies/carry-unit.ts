import type { Ledger } from '../model/ledger.ts';
import { unitStem, type Directive, type Unit } from '../model/unit.ts';
import { attrs, bool, int, list, str, type NixExpr } from '../nix/ast.ts';
import { escapeSystemdPath } from '../passes/systemd-escape.ts';
import type { BuildContext } from './context.ts';
import {
  BOOT_TARGET,
  EXEC_KEYS,
  INSTALL_DROPPED,
  INSTALL_OPTIONS,
  SOCKET_LIST_OPTIONS,
  STARTING_COMMANDS,
  UNIT_KINDS,
  UNIT_LIST_OPTIONS,
} from './unit-mapping.ts';
import { carriedNames, unitNames } from './dependencies.ts';
import { UnitWriter } from './unit-writer.ts';
import { originComment, templateToNix } from './values.ts';
import { SECRET_ENVIRONMENT_COMMENT, UnitSecrets } from './secrets/unit.ts';

/**
 * Carries one unit 1:1 into `systemd.<kind>.<name>`, applying the lessons of
 * the post on the way: mounts are systemd's job (RequiresMountsFor + wantedBy
 * the mount), restarts go on forever where they did, binaries come from the
 * store. Every directive's item is settled with the option it went to.
 */
export function carryUnit(unit: Unit, owner: string, ctx: BuildContext): void {
  const kind = UNIT_KINDS[unit.type];
  const { ledger } = ctx;
  if (!kind) {
    const reason = NOT_CARRIED[unit.type] ?? `${unit.type} units are not carried`;
    ledger.settleTree(unit.item, { kind: 'unsupported', reason });
    for (const d of unit.directives) ledger.settleTree(d.item, { kind: 'unsupported', reason });
    for (const dropIn of unit.dropIns) ledger.unsupported(dropIn.item, reason);
    for (const a of Object.values(unit.activation)) ledger.unsupported(a.item, reason);
    ledger.report('warning', 'unit/type-not-carried', `${unit.name} is not carried: ${reason}`, unit.item.origin);
    return;
  }
  const w = new UnitWriter(ctx.tree, owner, ['systemd', kind.collection, unitStem(unit.name)]);
  // The unit's binding says where it came from; defining it first also keeps an empty unit in existence.
  const header = [`${unit.name}, from ${originComment(unit.item.origin)}`];
  if (!unit.hasBody) header.push('Amends a unit the old OS shipped (only drop-ins were given).');
  w.define([], attrs([]), header);
  if (!unit.hasBody) {
    ledger.report(
      'warning',
      'unit/amends-os-unit',
      `${unit.name} has only drop-ins; they now amend NixOS's own ${unit.name}, which may differ from CoreOS's`,
      unit.item.origin,
      'compare the result with the unit NixOS generates (`systemctl cat` on the new host)',
    );
  }
  ledger.carried(unit.item, w.option());
  for (const dropIn of unit.dropIns) ledger.carried(dropIn.item, w.option(), 'merged by systemd rules');

  const masked = unit.activation.mask?.value === true;
  if (masked) {
    w.define(['enable'], bool(false), ['Masked on the old host.']);
    ledger.carried(unit.activation.mask!.item, w.option('enable'));
  }

  const restart = ctx.analysis.restart.plans.get(unit.name);
  const replaced = new Set(restart?.replaces ?? []);
  const removed = ctx.analysis.mounts.removedExecs;
  const config = new Map<string, ConfigEntry>();
  const secrets = new UnitSecrets(ctx, unit.name, unit.name);

  for (const d of unit.directives) {
    // Settled already (a lost drop-in merge, a bad line), moved by a pass, or handled with the restart plan.
    if (ledger.fate(d.item) || removed.has(d) || replaced.has(d)) continue;
    if (d.section === 'Unit') {
      if (d.key === 'Description') {
        w.define(['description'], str(d.value));
        ledger.carried(d.item, w.option('description'));
      } else if (UNIT_LIST_OPTIONS[d.key]) {
        const option = UNIT_LIST_OPTIONS[d.key]!;
        const { kept, note } = carriedNames(ctx, unit.name, d);
        if (kept.length > 0) {
          w.addNames([option], kept);
          ledger.carried(d.item, w.option(option), note);
        } else ledger.dropped(d.item, note ?? 'nothing left to carry');
      } else if (d.key === 'RequiresMountsFor') {
        // A list the mounts pass may add to as well.
        w.addNames(['unitConfig', 'RequiresMountsFor'], unitNames(d.value));
        ledger.carried(d.item, w.option('unitConfig', 'RequiresMountsFor'));
      } else {
        addConfig(config, 'unitConfig', d, str(d.value));
      }
    } else if (d.section === 'Install') {
      carryInstall(unit, d, w, ledger, masked);
    } else if (d.section === kind.section && kind.config) {
      if (d.section === 'Service' && d.key === 'Environment' && d.assignments) {
        // Secret assignments go to the unit's secret environment file instead (invariant 3).
        const kept = secrets.assignments(d);
        for (const a of kept) w.define(['environment', a.name], str(a.value));
        secrets.use(d, w.option(kind.config, 'EnvironmentFile'));
        ledger.carried(d.item, kept.length > 0 ? w.option('environment') : w.option(kind.config, 'EnvironmentFile'));
      } else if (d.key === 'SetCredential' && ctx.analysis.secrets.credentials.has(d)) {
        // The credential's value goes to a file; LoadCredential= reads it from there.
        const value = secrets.credential(d, w.option(kind.config, 'LoadCredential'));
        addConfig(config, kind.config, d, str(value!), 'LoadCredential');
      } else if (d.section === 'Socket' && SOCKET_LIST_OPTIONS[d.key]) {
        const option = SOCKET_LIST_OPTIONS[d.key]!;
        w.define([option], list([str(d.value)]));
        ledger.carried(d.item, w.option(option));
      } else if (EXEC_KEYS.has(d.key)) {
        addConfig(config, kind.config, d, templateToNix(ctx.analysis.binaries.commands.get(d) ?? [d.raw]));
        secrets.use(d, w.option(kind.config, d.key));
      } else {
        addConfig(config, kind.config, d, str(d.value));
      }
    } else {
      // The reader settles sections systemd ignores; anything else here is a gap in nixport's tables.
      ledger.unsupported(d.item, `a [${d.section}] section is not carried for ${unit.type} units`);
      ledger.report('error', 'unit/section-not-carried', `[${d.section}] ${d.key}= in ${unit.name} is not carried`, d.item.origin);
    }
  }

  const secretFile = kind.config ? secrets.environmentFile() : undefined;
  if (secretFile !== undefined) {
    // After the unit's own EnvironmentFile= lines, so its secrets win as the old values did.
    const own = config.get(`${kind.config}\0EnvironmentFile`);
    if (own) own.values.push(str(secretFile));
    else w.define([kind.config!, 'EnvironmentFile'], list([str(secretFile)]), [SECRET_ENVIRONMENT_COMMENT]);
  }

  for (const entry of config.values()) {
    // One command per ExecStartPre= line reads best as a list even when there is one.
    const asList = entry.values.length > 1 || (EXEC_KEYS.has(entry.key) && entry.key !== 'ExecStart');
    w.define([entry.attr, entry.key], asList ? list(entry.values) : entry.values[0]!);
    for (const d of entry.directives) ledger.carriedTree(d.item, w.option(entry.attr, entry.key));
  }

  if (restart) {
    if (restart.startLimitIntervalSec !== undefined) {
      w.define(['startLimitIntervalSec'], int(restart.startLimitIntervalSec), [restart.reason]);
    }
    if (restart.startLimitBurst !== undefined) w.define(['startLimitBurst'], int(restart.startLimitBurst));
    const option = w.option(restart.startLimitIntervalSec !== undefined ? 'startLimitIntervalSec' : 'startLimitBurst');
    for (const d of restart.replaces) ledger.carried(d.item, option, 'moved to the unit level');
  }

  if (masked) {
    for (const a of [unit.activation.command, unit.activation.enable, unit.activation.runtime]) {
      if (a) ledger.dropped(a.item, 'the unit is masked, so it never starts');
    }
  } else {
    carryActivation(unit, w, ledger);
  }
  carryMountNeeds(unit, w, ctx);
}

/** Why unit types NixOS cannot declare are not carried. */
const NOT_CARRIED: Readonly<Partial<Record<string, string>>> = {
  scope: 'scope units are created at run time by the programs that start them; nothing declares them',
  device: 'device units come from udev; declare udev rules (services.udev.extraRules) instead',
};

/** Values of one `<section>Config` key, gathered so repeated keys print as one list. */
interface ConfigEntry {
  readonly attr: string;
  readonly key: string;
  readonly values: NixExpr[];
  readonly directives: Directive[];
}

function addConfig(config: Map<string, ConfigEntry>, attr: string, d: Directive, value: NixExpr, key = d.key): void {
  const id = `${attr}\0${key}`;
  const entry = config.get(id) ?? { attr, key, values: [], directives: [] };
  entry.values.push(value);
  entry.directives.push(d);
  config.set(id, entry);
}

function carryInstall(unit: Unit, d: Directive, w: UnitWriter, ledger: Ledger, masked: boolean): void {
  if (INSTALL_DROPPED[d.key]) {
    ledger.dropped(d.item, INSTALL_DROPPED[d.key]!);
    return;
  }
  const option = INSTALL_OPTIONS[d.key];
  if (!option) {
    ledger.unsupported(d.item, `[Install] ${d.key}= is not an [Install] setting systemd knows`);
    return;
  }
  if (masked) {
    ledger.dropped(d.item, 'the unit is masked');
    return;
  }
  const { enable, command } = unit.activation;
  if (enable && !enable.value) {
    ledger.dropped(d.item, 'the unit was not enabled on the old host (`enable: false`); it is defined but not linked');
    return;
  }
  if (!enable && command) {
    // A cloud-config unit without `enable: true` was never linked through its [Install] section.
    ledger.dropped(d.item, 'the old host never ran `systemctl enable` on this unit (no `enable: true`)');
    return;
  }
  w.addNames([option], unitNames(d.value));
  ledger.carried(d.item, w.option(option), enable ? undefined : 'unit files carry no enable state; assumed enabled');
}

/** cloud-config `command:`, `enable:`, `runtime:` onto NixOS's stateless activation. */
function carryActivation(unit: Unit, w: UnitWriter, ledger: Ledger): void {
  const { command, enable, runtime } = unit.activation;
  if (command) {
    const target = BOOT_TARGET[unit.type];
    if (STARTING_COMMANDS.has(command.value) && target) {
      w.addNames(['wantedBy'], [target], [`\`command: ${command.value}\` started it at every boot`]);
      ledger.carried(command.item, w.option('wantedBy'));
    } else {
      ledger.dropped(
        command.item,
        `\`command: ${command.value}\` at boot has no NixOS equivalent; the unit is defined but not started at boot`,
      );
    }
  }
  if (enable) {
    ledger.carried(enable.item, w.option('wantedBy'), enable.value ? '[Install] section applied' : 'not linked');
  }
  if (runtime) {
    ledger.dropped(runtime.item, 'NixOS keeps units in the store; a runtime-only unit has no separate meaning');
  }
}

/**
 * Post, N2: a unit whose files live on a mount requires it; a unit that
 * started at boot also starts when the mount appears (it is `nofail` and may
 * come late). A unit started by a timer or socket only waits for the mount.
 */
function carryMountNeeds(unit: Unit, w: UnitWriter, ctx: BuildContext): void {
  const needs = ctx.analysis.mounts.needs.get(unit.name);
  if (!needs || needs.length === 0) return;
  w.addNames(['unitConfig', 'RequiresMountsFor'], needs, ['Its files live on a file system systemd mounts now (storage.nix).']);
  if (w.has(['wantedBy'])) {
    w.addNames(
      ['wantedBy'],
      needs.map((n) => `${escapeSystemdPath(n)}.mount`),
      ['Also start it when the mount appears: it is `nofail` and may come after boot.'],
    );
  }
}

