import type { QuadletUnit } from '../../model/container.ts';
import type { Directive } from '../../model/unit.ts';
import { apply, bool, list, select, str, v, type NixExpr } from '../../nix/ast.ts';
import { optionName } from '../context.ts';
import { unitNames } from '../dependencies.ts';
import { EXEC_KEYS, INSTALL_DROPPED, INSTALL_OPTIONS, UNIT_LIST_OPTIONS } from '../unit-mapping.ts';
import type { ContainerUnit } from './unit.ts';

/**
 * A Quadlet `.container` file's other sections, onto the unit oci-containers
 * generates: podman's generator passed [Unit], [Service] and [Install] to
 * the unit it made (podman-systemd.unit(5)), so they apply to the new unit
 * as they did to that one. Names of other Quadlet files (`db.container`,
 * `app.network`) become what they are now; Quadlet's implicit ordering
 * after network-online.target is kept unless [Quadlet] turned it off.
 * Restart= is left to carryRestart. Returns whether the container starts
 * at boot: only where [Install] linked it into a boot target.
 */
export function carryQuadletUnit(u: ContainerUnit, q: QuadletUnit): boolean {
  const { ctx, w } = u;
  const { ledger } = ctx;
  const backend = ctx.plan.backend;
  const dependsOn: string[] = [];
  const config = new Map<string, { values: NixExpr[]; directives: Directive[] }>();
  let defaultDependencies = true;
  let autoStart = false;
  const wantedBy: Directive[] = [];
  const environment = new Map<string, string>();

  /** A name another Quadlet file gave its unit, as the new host names it; undefined where it needs no unit now. */
  const rename = (name: string): { readonly name?: string; readonly container?: string; readonly note?: string } => {
    const container = q.containers.get(name) ?? q.containers.get([...q.units].find(([, unit]) => unit === name)?.[0] ?? '');
    if (container !== undefined) {
      return u.containers.has(container) ? { name: `${backend}-${container}.service`, container, note: `${name} is ${backend}-${container}.service now` } : { name };
    }
    if (/\.(network|volume)$/.test(name) || [...q.units].some(([file, unit]) => unit === name && /\.(network|volume)$/.test(file))) {
      return { note: `${name} is created by a oneshot ordered before the container now` };
    }
    return { name };
  };

  for (const d of q.directives) {
    if (ledger.fate(d.item)) continue;
    if (d.section === 'Quadlet') {
      if (d.key === 'DefaultDependencies') {
        defaultDependencies = !/^(0|no|false|off)$/i.test(d.value.trim());
        ledger.dropped(d.item, defaultDependencies ? 'Quadlet\'s default: the container\'s unit is ordered after network-online.target' : 'the container\'s unit is not ordered after network-online.target, as Quadlet\'s was not');
      } else {
        ledger.unsupported(d.item, 'a [Quadlet] key nixport does not know');
        ledger.report('warning', 'quadlet/unknown-key', `[Quadlet] ${d.key}= is no key nixport knows; not converted`, d.item.origin);
      }
    } else if (d.section === 'Container' && d.key === 'ServiceName') {
      ledger.carried(d.item, w.option('aliases'), 'the name of the unit Quadlet made');
    } else if (d.section === 'Unit') {
      const option = UNIT_LIST_OPTIONS[d.key];
      if (d.key === 'Description') {
        w.define(['description'], str(d.value));
        ledger.carried(d.item, w.option('description'));
      } else if (option !== undefined) {
        const kept: string[] = [];
        const notes: string[] = [];
        for (const name of unitNames(d.value)) {
          const r = rename(name);
          if (r.note !== undefined) notes.push(r.note);
          if (r.container !== undefined && (d.key === 'Requires' || d.key === 'BindsTo')) {
            if (!dependsOn.includes(r.container)) dependsOn.push(r.container);
          } else if (r.name !== undefined) kept.push(r.name);
        }
        if (kept.length > 0) w.addNames([option], kept);
        const note = notes.length > 0 ? notes.join('; ') : undefined;
        if (kept.length > 0) ledger.carried(d.item, w.option(option), note);
        else if (dependsOn.length > 0 && (d.key === 'Requires' || d.key === 'BindsTo')) ledger.carried(d.item, optionName([...u.base, 'dependsOn']), note);
        else ledger.dropped(d.item, note ?? 'nothing left to carry');
      } else if (d.key === 'RequiresMountsFor') {
        w.addNames(['unitConfig', 'RequiresMountsFor'], unitNames(d.value));
        ledger.carried(d.item, w.option('unitConfig', 'RequiresMountsFor'));
      } else {
        w.define(['unitConfig', d.key], str(d.value));
        ledger.carried(d.item, w.option('unitConfig', d.key));
      }
    } else if (d.section === 'Service') {
      if (d.key === 'Restart') continue; // carryRestart
      if (d.key === 'Type' && d.value === 'notify') {
        ledger.dropped(d.item, 'Quadlet\'s own Type=; the podman backend\'s unit is Type=notify itself');
      } else if (backend === 'podman' && MODULE_SETS.has(d.key)) {
        ledger.dropped(d.item, `the podman backend's unit sets ${d.key}= itself`);
      } else if (d.key === 'User' || d.key === 'Group') {
        ledger.unsupported(d.item, `Quadlet does not run containers as another user through ${d.key}=; podman.user does, for a rootless container`);
        ledger.report('warning', 'quadlet/service-not-carried', `[Service] ${d.key}=${d.value} of ${q.service} is not carried: Quadlet does not support it, and the module's unit runs podman itself`, d.item.origin, 'set podman.user on the container if it should run rootless as that user');
      } else if (d.key === 'Type' || EXEC_KEYS.has(d.key)) {
        ledger.unsupported(d.item, `${d.key}= changes how the container's unit runs, which the module decides`);
        ledger.report('warning', 'quadlet/service-not-carried', `[Service] ${d.key}=${d.value} of ${q.service} is not carried onto the container's unit`, d.item.origin, `set systemd.services.${w.base[2]}.serviceConfig.${d.key} by hand if it is still needed`);
      } else if (d.key === 'Environment' && d.assignments) {
        // A later assignment of a name wins, as in systemd: defined once below.
        for (const a of d.assignments) environment.set(a.name, a.value);
        ledger.carried(d.item, w.option('environment'), 'the environment of podman, as before');
      } else if (d.key === 'TimeoutStartSec' || d.key === 'TimeoutStopSec') {
        w.define(['serviceConfig', d.key], force(str(d.value)), [`The old unit's value; the module sets ${d.key} itself.`]);
        ledger.carried(d.item, w.option('serviceConfig', d.key), 'over the module\'s own value (lib.mkForce)');
      } else {
        const entry = config.get(d.key) ?? { values: [], directives: [] };
        entry.values.push(str(d.value));
        entry.directives.push(d);
        config.set(d.key, entry);
      }
    } else if (d.section === 'Install') {
      const option = INSTALL_OPTIONS[d.key];
      if (INSTALL_DROPPED[d.key]) ledger.dropped(d.item, INSTALL_DROPPED[d.key]!);
      else if (!option) {
        ledger.unsupported(d.item, `[Install] ${d.key}= is not an [Install] setting Quadlet applies`);
        ledger.report('warning', 'quadlet/unknown-key', `[Install] ${d.key}= is not an [Install] setting Quadlet applies; not converted`, d.item.origin);
      } else {
        const names = unitNames(d.value);
        const boot = option === 'wantedBy' ? names.filter((n) => BOOT_TARGETS.has(n)) : [];
        const others = names.filter((n) => !boot.includes(n));
        if (boot.length > 0) autoStart = true;
        if (others.length > 0) w.addNames([option], others);
        if (boot.length > 0) wantedBy.push(d);
        else ledger.carried(d.item, w.option(option));
      }
    }
  }
  for (const [name, value] of environment) w.define(['environment', name], str(value));
  for (const [key, entry] of config) {
    w.define(['serviceConfig', key], entry.values.length > 1 ? list(entry.values) : entry.values[0]!);
    for (const d of entry.directives) ledger.carried(d.item, w.option('serviceConfig', key));
  }
  if (defaultDependencies) {
    w.addNames(['after'], ['network-online.target'], ['Quadlet ordered the container after network-online.target (and wanted it).']);
    w.addNames(['wants'], ['network-online.target']);
  }
  if (dependsOn.length > 0) ctx.tree.define(u.owner, [...u.base, 'dependsOn'], list(dependsOn.map((x) => str(x))), ['Started after these containers, and only with them (Requires= on their Quadlet files).']);
  for (const d of wantedBy) ledger.carried(d.item, optionName([...u.base, 'autoStart']), 'the module makes the container wanted by multi-user.target (autoStart)');
  if (!autoStart) ctx.tree.define(u.owner, [...u.base, 'autoStart'], bool(false), [`${q.service} was not started at boot: its Quadlet file linked it into no boot target ([Install] WantedBy=).`]);
  w.addNames(['aliases'], [q.service], [`The name Quadlet gave its unit, so \`systemctl status ${q.service}\` still finds it.`]);
  return autoStart;
}

/** [Service] settings the podman backend's unit sets itself (docs/nixos-facts.md); a second definition would conflict. */
const MODULE_SETS = new Set(['NotifyAccess', 'Delegate', 'RuntimeDirectory']);

/** Targets a container's autoStart stands for. */
const BOOT_TARGETS = new Set(['multi-user.target', 'default.target']);

function force(value: NixExpr): NixExpr {
  return apply(select(v('lib'), 'mkForce'), value);
}
