import type { Host } from '../model/host.ts';
import type { Ledger } from '../model/ledger.ts';
import { lastValue, unitStem, type Unit } from '../model/unit.ts';
import type { Plan, ServicePlan } from './types.ts';

export type { Plan, ServicePlan, StrategyName } from './types.ts';

/** Unit types that become file systems or swap on the host, not services. */
const STORAGE_TYPES = new Set(['mount', 'automount', 'swap']);
/** Unit types that only activate another unit, named by a key of their own section. */
const ACTIVATORS: Readonly<Record<string, string>> = { timer: 'Timer', path: 'Path', socket: 'Socket' };

/**
 * Units of CoreOS's own machinery. Configuring them (masking update-engine,
 * tuning etcd) meant something only on CoreOS; NixOS has its own way, named
 * in the reason.
 */
const COREOS_UNITS: Readonly<Record<string, string>> = {
  'update-engine.service': 'CoreOS updates; NixOS updates through system.autoUpgrade (see the update policy)',
  'zincati.service': 'Fedora CoreOS updates (Zincati); NixOS updates through system.autoUpgrade',
  'locksmithd.service': 'CoreOS reboot coordination; NixOS reboots through system.autoUpgrade.allowReboot',
  'etcd.service': 'etcd clusters are not migrated; NixOS has services.etcd',
  'etcd2.service': 'etcd clusters are not migrated; NixOS has services.etcd',
  'etcd-member.service': 'etcd clusters are not migrated; NixOS has services.etcd',
  'fleet.service': 'fleet is not on NixOS',
  'fleet.socket': 'fleet is not on NixOS',
  'flanneld.service': 'flannel networking is not migrated; NixOS has services.flannel',
  'early-docker.service': 'CoreOS ran a second Docker daemon for flannel; NixOS has one',
  'early-docker.socket': 'CoreOS ran a second Docker daemon for flannel; NixOS has one',
  'early-docker.target': 'CoreOS ran a second Docker daemon for flannel; NixOS has one',
};

/**
 * Groups units into services (a unit with its timer, socket or path
 * activators, in one module) and picks each service's strategy. This
 * version knows stage 1 only: every service is carried 1:1 and keeps
 * running Docker where it did.
 */
export function planHost(host: Host, ledger: Ledger): Plan {
  const groups = new Map<string, Unit[]>();
  const storage: Unit[] = [];
  const add = (key: string, unit: Unit) => groups.set(key, [...(groups.get(key) ?? []), unit]);

  const owners = new Set(host.units.filter((u) => !ACTIVATORS[u.type] && !STORAGE_TYPES.has(u.type)).map((u) => u.name));
  for (const unit of host.units) {
    const coreos = COREOS_UNITS[unit.name];
    if (coreos) {
      dropCoreosUnit(unit, coreos, ledger);
      continue;
    }
    if (STORAGE_TYPES.has(unit.type)) storage.push(unit);
    else if (ACTIVATORS[unit.type]) add(activatedUnit(unit, owners), unit);
    else add(unit.name, unit);
  }

  const services: ServicePlan[] = [...groups.entries()].map(([key, units]) => ({
    name: moduleName(key),
    units,
    strategy: 'docker',
    reason: reasonFor(units),
  }));
  assertUniqueNames(services, ledger);
  return { services, storage };
}

/** The unit an activator starts: its `Unit=` if that unit is here, else the unit of the same name. */
function activatedUnit(unit: Unit, owners: ReadonlySet<string>): string {
  const explicit = lastValue(unit, ACTIVATORS[unit.type]!, 'Unit')?.value;
  if (explicit && owners.has(explicit)) return explicit;
  const sameName = `${unitStem(unit.name)}.service`;
  if (owners.has(sameName)) return sameName;
  // Accept=yes sockets start `name@.service` instances.
  const template = `${unitStem(unit.name)}@.service`;
  if (unit.type === 'socket' && owners.has(template)) return template;
  return unit.name;
}

function dropCoreosUnit(unit: Unit, reason: string, ledger: Ledger): void {
  ledger.settleTree(unit.item, { kind: 'dropped', reason });
  for (const dropIn of unit.dropIns) ledger.settleTree(dropIn.item, { kind: 'dropped', reason });
  for (const d of unit.directives) ledger.settleTree(d.item, { kind: 'dropped', reason });
  for (const a of [unit.activation.command, unit.activation.enable, unit.activation.mask, unit.activation.runtime]) {
    if (a) ledger.dropped(a.item, reason);
  }
  ledger.report('info', 'plan/coreos-unit', `${unit.name} is part of CoreOS itself and is not carried: ${reason}`, unit.item.origin);
}

function reasonFor(units: readonly Unit[]): string {
  const runsDocker = units.some((u) => u.directives.some((d) => d.exec?.docker));
  return runsDocker
    ? 'stage 1: carried 1:1; it still runs its container with the Docker CLI, as on the old host'
    : 'stage 1: a plain systemd unit, carried 1:1';
}

/** A name usable as a Nix path literal segment (`./services/<name>.nix`). */
function moduleName(unitName: string): string {
  const stem = unitStem(unitName);
  return stem.replace(/@$/, '-template').replace(/[^A-Za-z0-9._-]/g, '_');
}

function assertUniqueNames(services: ServicePlan[], ledger: Ledger): void {
  const seen = new Map<string, number>();
  for (let i = 0; i < services.length; i++) {
    const s = services[i]!;
    const n = seen.get(s.name) ?? 0;
    seen.set(s.name, n + 1);
    if (n > 0) {
      const renamed = `${s.name}-${n + 1}`;
      ledger.report('info', 'plan/module-renamed', `two services map to services/${s.name}.nix; the second is ${renamed}.nix`);
      services[i] = { ...s, name: renamed };
    }
  }
}

