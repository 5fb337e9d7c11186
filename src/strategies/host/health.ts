/**
 * Updates with rollback. CoreOS updated itself with an A/B scheme: a new
 * image that did not boot fell back to the old one. NixOS keeps every
 * generation, but system.autoUpgrade switches to a new one without asking
 * whether the services still work. health.nix adds that question:
 *
 * - before each upgrade, nixos-upgrade.service records the running system
 *   and which probes pass (ExecStartPre);
 * - after a successful upgrade (OnSuccess=, a list the auto-upgrade module
 *   also uses) and at every boot (an upgrade that needs a reboot is
 *   checked once the new kernel runs), nixport-health-check.service probes
 *   again, with retries; when a probe that passed before keeps failing, it
 *   makes the recorded system the current generation again
 *   (`nix-env --set`, then `switch-to-configuration switch`, or `boot` and a
 *   reboot when the new kernel is running) and holds further upgrades until
 *   a person removes /var/lib/nixport-health/hold (ExecCondition=);
 * - a failed upgrade forgets its record (ExecStopPost=, $SERVICE_RESULT).
 *
 * The probes are data: /etc/nixport/health-probes, one line per probe
 * (`SERVICE KIND ARGUMENT...`), made from what nixport knows for sure: each
 * long-running unit must be active, each published TCP port must accept a
 * connection (at the address it was bound to), SSH must answer. No guessed
 * health URLs: a wrong probe would roll back a good upgrade. The user can
 * add `http URL` probes in health.nix.
 */
import { attrs, bind, bool, list, pkg, str, type NixExpr } from '../../nix/ast.ts';
import { lastValue, unitStem, type Unit } from '../../model/unit.ts';
import { OWNER, type BuildContext } from '../context.ts';
import { HEALTH_SCRIPT } from './health-script.ts';
import { definesAt } from './tree-query.ts';

export const HEALTH_UNIT = 'nixport-health-check';
export const HEALTH_STATE_DIR = '/var/lib/nixport-health';
export const HEALTH_PROBES_FILE = 'nixport/health-probes';
export const HEALTH_SCRIPT_FILE = 'nixport/health-check.sh';
/** Tries and the seconds between them: services get five minutes to come back after an upgrade. */
export const HEALTH_TRIES = 10;
export const HEALTH_INTERVAL = 30;

export interface HealthProbe {
  readonly service: string;
  readonly kind: 'unit' | 'tcp' | 'http';
  readonly args: readonly string[];
}

export interface HealthPlan {
  readonly probes: readonly HealthProbe[];
  readonly tries: number;
  readonly intervalSec: number;
  readonly holdFile: string;
}

/** Probe lines as the script reads them. */
export function probeLine(p: HealthProbe): string {
  return [p.service, p.kind, ...p.args].join(' ');
}

/** Adds the health check when the host upgrades itself; returns what it probes. */
export function buildHealthCheck(ctx: BuildContext): HealthPlan | undefined {
  const upgrades = definesAt(ctx.tree, 'system', 'autoUpgrade', 'enable');
  if (!upgrades) return undefined;
  const probes = healthProbes(ctx);
  const o = OWNER.health;
  const { tree } = ctx;
  const script = `/etc/${HEALTH_SCRIPT_FILE}`;

  tree.define(o, ['environment', 'etc', HEALTH_PROBES_FILE, 'text'], str(probes.map(probeLine).map((l) => `${l}\n`).join('')), [
    'What "healthy" means after an upgrade: one probe per line, SERVICE KIND ARGUMENT...',
    'Kinds: `unit NAME` (active), `tcp ADDRESS PORT` (accepts a connection), `http URL` (answers 2xx/3xx).',
    'Only probes that passed before an upgrade can cause a rollback. Add your own, e.g. `jellyfin http http://127.0.0.1:8096/health`.',
  ]);
  tree.define(o, ['environment', 'etc', HEALTH_SCRIPT_FILE, 'source'], {
    kind: 'apply',
    fn: pkg('writeShellScript'),
    args: [str(HEALTH_UNIT), str(HEALTH_SCRIPT)],
  });

  const unit = ['systemd', 'services', HEALTH_UNIT];
  tree.define(o, unit, attrs([
    bind(['description'], str('Roll back an automatic upgrade that broke a service')),
    bind(['after'], list([str('multi-user.target')])),
    bind(['wantedBy'], list([str('multi-user.target')]), ['At boot too: an upgrade that needed a reboot is checked once the new system runs.']),
    bind(['path'], probePath()),
    bind(['environment'], attrs([
      bind(['NIXPORT_HEALTH_TRIES'], str(String(HEALTH_TRIES))),
      bind(['NIXPORT_HEALTH_INTERVAL'], str(String(HEALTH_INTERVAL))),
    ])),
    bind(['serviceConfig', 'Type'], str('oneshot')),
    bind(['serviceConfig', 'ExecStart'], str(`${script} check`)),
    bind(['restartIfChanged'], bool(false), ['It may switch the system itself; a switch must not stop or restart it.']),
    bind(['unitConfig', 'X-StopOnRemoval'], bool(false)),
  ]), ['The check after each upgrade; see README.md, "Updates and rollback".']);

  const upgrade = ['systemd', 'services', 'nixos-upgrade'];
  tree.define(o, upgrade, attrs([
    bind(['path'], probePath()),
    bind(['serviceConfig', 'ExecCondition'], str(`${script} may-upgrade`), [`Skipped while a rollback holds upgrades (${HEALTH_STATE_DIR}/hold).`]),
    bind(['serviceConfig', 'ExecStartPre'], list([str(`${script} record`)])),
    bind(['serviceConfig', 'ExecStopPost'], list([str(`${script} settle`)])),
    bind(['unitConfig', 'OnSuccess'], list([str(`${HEALTH_UNIT}.service`)]), [
      'A list, as the auto-upgrade module defines it (the onSuccess option would clash with it).',
    ]),
  ]), ['system.autoUpgrade runs nixos-upgrade.service; these steps wrap it with the health check.']);

  return { probes, tries: HEALTH_TRIES, intervalSec: HEALTH_INTERVAL, holdFile: `${HEALTH_STATE_DIR}/hold` };
}

/** Programs the script calls besides coreutils and systemd (which every NixOS unit has on its PATH). */
function probePath(): NixExpr {
  return list([pkg('bash'), pkg('curl'), pkg('nix')]);
}

function healthProbes(ctx: BuildContext): HealthProbe[] {
  const probes: HealthProbe[] = [];
  const ssh = definesAt(ctx.tree, 'services', 'openssh', 'enable');
  if (ssh) {
    probes.push({ service: 'sshd', kind: 'unit', args: ['sshd.service'] });
    probes.push({ service: 'sshd', kind: 'tcp', args: ['127.0.0.1', '22'] });
  }
  const serviceOfUnit = new Map<string, string>();
  for (const service of ctx.plan.services) {
    for (const unit of service.units) serviceOfUnit.set(unit.name, service.name);
    const native = service.strategy === 'native' ? service.native : undefined;
    if (native) {
      // Stage 3: the module's unit runs the app (a companion has none of its own); a timer-started script is not always active.
      if (native.companionOf || (service.container?.activators.length ?? 0) > 0) continue;
      const unit = native.recipe.kind === 'module' ? `${native.recipe.unit.name}.service` : service.units.find((u) => u.type === 'service')?.name;
      if (unit && (native.recipe.kind === 'module' || service.units.some((u) => isLongRunning(u, service.units)))) probes.push({ service: service.name, kind: 'unit', args: [unit] });
      continue;
    }
    const container = service.strategy === 'oci' ? service.container : undefined;
    if (container) {
      // virtualisation.oci-containers runs it as <backend>-<name>.service; a timer-started one is not always active.
      if (container.activators.length === 0) probes.push({ service: service.name, kind: 'unit', args: [`${ctx.plan.backend}-${container.name}.service`] });
      continue;
    }
    for (const unit of service.units) if (isLongRunning(unit, service.units)) probes.push({ service: service.name, kind: 'unit', args: [unit.name] });
  }
  for (const port of ctx.analysis.firewall.ports) {
    if (port.protocol !== 'tcp' || port.to - port.from >= 16) continue;
    const service = serviceOfUnit.get(port.unit) ?? port.unit.replace(/\.service$/, '');
    const bound = port.boundTo?.replace(/^\[|\]$/g, '');
    const address = bound === undefined || bound === '0.0.0.0' ? '127.0.0.1' : bound === '::' ? '::1' : bound;
    for (let p = port.from; p <= port.to; p++) probes.push({ service, kind: 'tcp', args: [address, String(p)] });
  }
  return probes;
}

/**
 * A service that should be active whenever the system is up: started at
 * boot, not by a timer, socket or path unit, and not a oneshot that exits.
 */
function isLongRunning(unit: Unit, companions: readonly Unit[]): boolean {
  if (unit.type !== 'service' || unit.activation.mask?.value) return false;
  const stem = unitStem(unit.name);
  const activated = companions.some((u) => u !== unit && u.type !== 'service' && unitStem(u.name) === stem);
  if (activated) return false;
  const startedAtBoot = unit.activation.command?.value === 'start' || unit.activation.enable?.value === true ||
    unit.directives.some((d) => d.section === 'Install' && d.key === 'WantedBy');
  if (!startedAtBoot) return false;
  const type = lastValue(unit, 'Service', 'Type')?.value;
  const remain = lastValue(unit, 'Service', 'RemainAfterExit')?.value;
  if (type === 'oneshot' && !/^(yes|true|on|1)$/i.test(remain ?? '')) return false;
  return true;
}
