import type { Analysis } from '../model/analysis.ts';
import type { StandaloneContainer } from '../model/container.ts';
import type { Host } from '../model/host.ts';
import type { Ledger } from '../model/ledger.ts';
import { lastValue, unitStem, type Unit } from '../model/unit.ts';
import { planStandaloneContainer, planUnitContainer, type OciVerdict } from './oci.ts';
import { planNativeServices, type NativeRequest } from './native-services.ts';
import { RECIPES } from '../recipes/index.ts';
import type { Backend, Plan, ServicePlan, StrategyName } from './types.ts';

export type { Backend, ContainerPlan, Plan, PlannedStep, ServicePlan, StepRole, StrategyName } from './types.ts';
export type { NativePlan } from './native.ts';

/** What the user asked for: a stage for all services, and per service. */
export interface PlanOptions {
  /** The stage of every service not named in `strategies` (default: docker, stage 1). */
  readonly stage?: StrategyName;
  /** Service (module) name -> its stage: `--strategy samba=docker`. */
  readonly strategies?: Readonly<Record<string, StrategyName>>;
  /** The oci-containers backend (default: the engine the old host ran its containers with; docker for a mix). */
  readonly backend?: Backend;
}

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
 * activators, in one module) and picks each service's strategy: stage 1
 * (docker, carried 1:1) unless stage 2 (oci) was asked for and the unit does
 * nothing but run one container. Containers without a unit (scripts,
 * `--docker-run`, `docker inspect`) have no stage 1 and are planned at
 * stage 2. Each service's reason says why, for the report.
 */
export function planHost(host: Host, ledger: Ledger, options: PlanOptions = {}, analysis?: Analysis): Plan {
  const groups = new Map<string, Unit[]>();
  const storage: Unit[] = [];
  const add = (key: string, unit: Unit) => groups.set(key, [...(groups.get(key) ?? []), unit]);
  const chosen = options.backend === undefined ? defaultBackend(host) : undefined;
  const backend = options.backend ?? chosen!.backend;
  const notCarried = new Map<string, string>();

  const owners = new Set(host.units.filter((u) => !ACTIVATORS[u.type] && !STORAGE_TYPES.has(u.type)).map((u) => u.name));
  for (const unit of host.units) {
    const coreos = COREOS_UNITS[unit.name];
    if (coreos) {
      dropCoreosUnit(unit, coreos, ledger);
      notCarried.set(unit.name, coreos);
      continue;
    }
    if (STORAGE_TYPES.has(unit.type)) storage.push(unit);
    else if (ACTIVATORS[unit.type]) add(activatedUnit(unit, owners), unit);
    else add(unit.name, unit);
  }

  const containerNames = new Set<string>();
  const asked = new Set<string>();
  // Stage 3 is decided after every service is known (companions, modules one service takes); stage 2 is its fallback.
  const entries: (ServicePlan | NativeRequest)[] = [...groups.entries()].map(([key, units]): ServicePlan | NativeRequest => {
    const name = moduleName(key);
    const wanted = options.strategies?.[name] ?? options.stage ?? 'docker';
    if (options.strategies?.[name] !== undefined) asked.add(name);
    if (wanted === 'docker') return { name, units, strategy: 'docker', reason: reasonFor(units) };
    const oci = () => ociService(name, units, planUnitContainer(units, backend, ledger), containerNames, ledger);
    if (wanted === 'native') return { name, units, explicit: options.strategies?.[name] === 'native', fallback: oci };
    return oci();
  });
  for (const container of host.containers ?? []) {
    if (analysis?.containers.compared.has(container)) continue;
    const name = moduleName(container.name);
    if (options.strategies?.[name] !== undefined) asked.add(name);
    const oci = () => standaloneService(name, container, planStandaloneContainer(container, backend, ledger), containerNames, ledger, options.strategies?.[name] === 'docker');
    if ((options.strategies?.[name] ?? options.stage) === 'native') {
      entries.push({ name, units: [], standalone: container, explicit: options.strategies?.[name] === 'native', fallback: oci });
      continue;
    }
    const service = oci();
    if (service) entries.push(service);
  }
  const services = planNativeServices(entries, host, ledger);
  // Key recipes (rrsync) are asked for by their name, or with the whole host at stage 3.
  const keyApps = RECIPES.filter((r) => r.kind === 'key').map((r) => r.app);
  for (const app of keyApps) if (options.strategies?.[app] !== undefined) asked.add(app);
  const nativeKeys = keyApps.some((app) => (options.strategies?.[app] ?? options.stage) === 'native');
  for (const name of Object.keys(options.strategies ?? {})) {
    if (asked.has(name)) continue;
    ledger.report(
      'warning',
      'plan/unknown-service',
      `--strategy names \`${name}\`, which is no service of this host`,
      undefined,
      `the services are: ${services.map((s) => s.name).join(', ') || 'none'}`,
    );
  }
  assertUniqueNames(services, ledger);
  const why = chosen?.why;
  if (chosen?.mixed && services.some((s) => s.strategy === 'oci')) {
    ledger.report('info', 'plan/backend-mixed', `the old host ran containers with both docker and podman; stage 2 runs them all with docker`, undefined, 'pass --backend podman to run them with podman instead');
  }
  const plan: Plan = nativeKeys ? { services, storage, backend, nativeKeys, notCarried } : { services, storage, backend, notCarried };
  return why === undefined ? plan : { ...plan, backendWhy: why };
}

/**
 * The backend when --backend is not given: the engine the old host ran its
 * containers with, so images, volumes and habits stay where they were.
 * podman only when every container ran with podman (Fedora CoreOS); docker
 * otherwise, the CoreOS and Flatcar default, also for a mix.
 */
export function defaultBackend(host: Host): { readonly backend: Backend; readonly mixed: boolean; readonly why: string } {
  const engines = new Set<string>();
  for (const unit of host.units) {
    for (const d of unit.directives) {
      const docker = d.exec?.docker;
      if (docker && (docker.verb === 'run' || docker.verb === 'create')) engines.add(docker.engine);
    }
  }
  for (const c of host.containers ?? []) engines.add(c.invocation.engine);
  if (engines.size === 1 && engines.has('podman')) return { backend: 'podman', mixed: false, why: 'the old host ran its containers with podman' };
  const mixed = engines.size > 1;
  return { backend: 'docker', mixed, why: mixed ? 'the old host ran containers with docker and with podman; docker is the default for a mix' : 'the old host ran its containers with Docker' };
}

/** A service asked to move to stage 2: there, or at stage 1 with the reason it stays. */
function ociService(name: string, units: readonly Unit[], verdict: OciVerdict, taken: Set<string>, ledger: Ledger): ServicePlan {
  const origin = units[0]?.item.origin;
  if (verdict.ok && taken.has(verdict.plan.name)) {
    verdict = { ok: false, reason: `another service already runs a container named \`${verdict.plan.name}\``, container: true };
  }
  if (!verdict.ok) {
    if (verdict.container) {
      ledger.report('warning', 'plan/stays-stage-1', `${name} stays at stage 1 (docker): ${verdict.reason}`, origin, 'port what the unit does besides running its container by hand, then convert it again');
      return { name, units, strategy: 'docker', reason: `stage 1: stays 1:1 because ${verdict.reason}` };
    }
    return { name, units, strategy: 'docker', reason: `stage 1: ${verdict.reason}, carried 1:1` };
  }
  taken.add(verdict.plan.name);
  const dropped = verdict.plan.steps.filter((s) => s.role === 'housekeeping' || s.role === 'pull').length;
  const reason =
    `stage 2: its \`docker run\` became virtualisation.oci-containers.containers.${optionSegmentOf(verdict.plan.name)}` +
    (dropped > 0 ? `; ${dropped} housekeeping line(s) the module does itself were dropped` : '');
  return { name, units, strategy: 'oci', reason, container: verdict.plan };
}

function standaloneService(
  name: string,
  c: StandaloneContainer,
  verdict: OciVerdict,
  taken: Set<string>,
  ledger: Ledger,
  askedForDocker: boolean,
): ServicePlan | undefined {
  if (!verdict.ok) {
    // No unit to fall back to: the container is not converted.
    ledger.report('error', 'plan/container-not-converted', `the container \`${c.name}\` is not converted: ${verdict.reason}`, c.item.origin, 'fix the command line, or declare the container by hand');
    ledger.settleTree(c.item, { kind: 'unsupported', reason: verdict.reason });
    return undefined;
  }
  if (taken.has(verdict.plan.name)) {
    const reason = `a unit already runs a container named \`${verdict.plan.name}\``;
    ledger.settleTree(c.item, { kind: 'dropped', reason });
    ledger.report('warning', 'plan/container-twice', `${reason}; the container from ${c.item.origin.file} is not converted again`, c.item.origin);
    return undefined;
  }
  taken.add(verdict.plan.name);
  if (askedForDocker) {
    const why = c.compose
      ? 'a Compose service has no stage 1: Docker Compose, not a unit, ran it, and a unit running `docker compose up` would hide every container, port and mount from NixOS'
      : c.quadlet
        ? 'a Quadlet container has no stage 1: podman\'s systemd generator made its unit from the file at boot, and NixOS does not run that generator for a file it does not know'
        : 'it has no unit to carry 1:1';
    ledger.report('info', 'plan/no-stage-1', `${name}: ${why}, so it goes to stage 2 (oci) whatever --strategy says`, c.item.origin);
  }
  const from =
    c.compose ? `the service ${c.compose.service} of the Compose project ${c.compose.project.name}`
    : c.quadlet ? `the Quadlet file of ${c.quadlet.service}`
    : c.source === 'docker-inspect' ? 'a `docker inspect` record' : c.source === 'docker-run' ? 'a `--docker-run` command line' : 'a `docker run` line of a script';
  return {
    name,
    units: [],
    strategy: 'oci',
    reason: `stage 2: a container from ${from} (${c.item.origin.file}:${c.item.origin.line}), declared in virtualisation.oci-containers; it has no unit to carry 1:1`,
    container: verdict.plan,
  };
}

/** The container's name as an option path segment, quoted where it is no identifier. */
function optionSegmentOf(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) ? name : JSON.stringify(name);
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

