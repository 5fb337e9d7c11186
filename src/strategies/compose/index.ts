/**
 * Stage 2 for Compose projects, on top of what every container gets
 * (oci/): what Docker Compose did around the `docker run`s.
 *
 * - One target per project, `<backend>-compose-<project>-root.target`,
 *   wanted at boot: `systemctl stop` on it stops the stack, `start` starts
 *   it (the containers and the oneshots are PartOf= it).
 * - The named volumes the project creates, each by a oneshot ordered before
 *   the containers that mount it (networks get theirs in oci/networks.ts).
 * - depends_on: `dependsOn` (After= and Requires=), or Wants= where the
 *   dependency is optional; `service_healthy` and
 *   `service_completed_successfully` are real readiness gates.
 * - Compose's restart semantics: `no` when unset, Docker's backoff, and
 *   `on-failure:N` / deploy.restart_policy limits as systemd start limits.
 */
import type { ComposeDependency, ComposeProject, ComposeService } from '../../model/compose.ts';
import { apply, bool, int, list, pkg, select, str, v, type NixExpr } from '../../nix/ast.ts';
import type { ContainerPlan, ServicePlan } from '../../plan/types.ts';
import { OWNER, optionName, type BuildContext } from '../context.ts';
import { shellWord } from '../oci/shell.ts';
import type { UnitWriter } from '../unit-writer.ts';

/** The project's module: its target and volume oneshots. */
function projectOwner(project: ComposeProject): string {
  return OWNER.service(`compose-${project.name}`);
}

function rootTarget(backend: string, project: ComposeProject): string {
  return `${backend}-compose-${project.name}-root`;
}

function volumeUnit(backend: string, volume: string): string {
  return `${backend}-volume-${volume}`;
}

/** Compose's containers by their name, for the dependencies between them. */
const byServices = new WeakMap<readonly ServicePlan[], Map<string, ComposeContainer>>();

interface ComposeContainer {
  readonly plan: ContainerPlan;
  readonly compose: ComposeService;
  readonly service: ServicePlan;
}

function composeContainers(services: readonly ServicePlan[]): ReadonlyMap<string, ComposeContainer> {
  const cached = byServices.get(services);
  if (cached) return cached;
  const out = new Map<string, ComposeContainer>();
  byServices.set(services, out);
  for (const s of services) {
    const compose = s.container?.standalone?.compose;
    if (s.strategy === 'oci' && s.container && compose) out.set(s.container.name, { plan: s.container, compose, service: s });
  }
  return out;
}

/**
 * Volumes bound to a host directory (`driver_opts: {o: bind, device: ...}`)
 * keep their data there, not in the engine's volume directory: their names
 * go into `noted` so no "copy the volume's data" step is written for them.
 */
export function noteBoundVolumes(services: readonly ServicePlan[], noted: Set<string>, ctx: BuildContext): void {
  const seen = new Set<ComposeProject>();
  for (const { compose } of composeContainers(services).values()) {
    if (seen.has(compose.project)) continue;
    seen.add(compose.project);
    for (const volume of compose.project.volumes) {
      if (volume.device === undefined) continue;
      noted.add(volume.name);
      ctx.ledger.report('info', 'compose/bound-volume', `the volume ${volume.name} is bound to ${volume.device}: its data lives there, not in the engine's volume directory`, volume.item.origin, `make sure ${volume.device} exists (and is mounted) on the new host`);
    }
  }
}

const volumeNames = new WeakMap<ComposeProject, ReadonlySet<string>>();

/** The names of the volumes the project creates (not external ones). */
function createdVolumes(project: ComposeProject): ReadonlySet<string> {
  let names = volumeNames.get(project);
  if (!names) {
    names = new Set(project.volumes.map((v) => v.name));
    volumeNames.set(project, names);
  }
  return names;
}

export interface ComposeUnit {
  readonly ctx: BuildContext;
  readonly plan: ContainerPlan;
  readonly compose: ComposeService;
  /** virtualisation.oci-containers.containers.<name> */
  readonly base: readonly string[];
  readonly owner: string;
  readonly w: UnitWriter;
  /** Containers already in dependsOn (from --link, --volumes-from, --network container:). */
  readonly needs: ReadonlySet<string>;
  /** Every converted Compose container, by name. */
  readonly converted: ReadonlySet<string>;
}

/** One container of a project: its place in the stack, its dependencies, its restarts. */
export function composeContainerUnit(u: ComposeUnit): void {
  const { ctx, compose, w } = u;
  const backend = ctx.plan.backend;
  const target = `${rootTarget(backend, compose.project)}.target`;
  ctx.tree.define(u.owner, [...u.base, 'autoStart'], bool(false), [`Started with the stack: ${target} (wanted at boot) wants it.`]);
  w.addNames(['partOf'], [target]);
  w.addNames(['wantedBy'], [target]);
  const created = createdVolumes(compose.project);
  const volumes = compose.volumes.filter((name) => created.has(name)).map((name) => `${volumeUnit(backend, name)}.service`);
  if (volumes.length > 0) {
    w.addNames(['after'], volumes, ['The project\'s named volumes are created first.']);
    w.addNames(['requires'], volumes);
  }
  dependencies(u);
  restart(u);
}

function dependencies(u: ComposeUnit): void {
  const { ctx, compose } = u;
  const dependsOn: string[] = [];
  for (const d of compose.dependsOn) {
    if (!u.converted.has(d.container)) {
      ctx.ledger.dropped(d.item, `${d.service} is not converted at stage 2`);
      ctx.ledger.report('warning', 'compose/depends-on-not-converted', `${compose.service} depends on ${d.service}, which is not converted; it starts without waiting`, d.item.origin);
      continue;
    }
    const unit = `${ctx.plan.backend}-${d.container}.service`;
    if (!d.required) {
      u.w.addNames(['after'], [unit]);
      u.w.addNames(['wants'], [unit], [`depends_on ${d.service} with required: false: started after it, and without it when it fails.`]);
      ctx.ledger.carried(d.item, u.w.option('wants'), 'optional dependency (`required: false`): Wants= and After=');
    } else {
      if (!u.needs.has(d.container) && !dependsOn.includes(d.container)) dependsOn.push(d.container);
      ctx.ledger.carried(d.item, optionName([...u.base, 'dependsOn']), d.restart ? 'restart: true — Requires= restarts it with the dependency' : undefined);
    }
    gate(u, d, unit);
  }
  if (dependsOn.length > 0) {
    ctx.tree.define(u.owner, [...u.base, 'dependsOn'], list(dependsOn.map((n) => str(n))), ['depends_on: started after these containers, and only with them (After= and Requires=).']);
  }
}

/** Readiness gates: the container starts only once its dependency is healthy, or has completed. */
function gate(u: ComposeUnit, d: ComposeDependency, unit: string): void {
  const { ctx } = u;
  const backend = ctx.plan.backend;
  if (d.condition === 'service_healthy') {
    healthyGate(ctx, d.container);
    const dep = composeOf(ctx, d.container);
    if (dep && !dep.healthcheck) {
      ctx.ledger.report('warning', 'compose/no-healthcheck', `${u.compose.service} waits for ${d.service} to be healthy, but ${d.service} defines no health check; unless its image has a HEALTHCHECK, ${d.service} never becomes healthy`, d.item.origin, `add a healthcheck to ${d.service}, or use condition: service_started`);
    }
    return;
  }
  if (d.condition !== 'service_completed_successfully') return;
  const script = [
    `# depends_on ${d.service}: condition: service_completed_successfully. Wait until ${unit} has run to completion.`,
    'while :; do',
    `  state=$(systemctl show --property=ActiveState --value ${shellWord(unit)})`,
    '  case "$state" in',
    '    inactive|failed)',
    `      result=$(systemctl show --property=Result --value ${shellWord(unit)})`,
    '      [ "$result" = success ] && exit 0',
    `      echo "${unit} did not complete successfully ($result)" >&2`,
    '      exit 1 ;;',
    '  esac',
    '  sleep 1',
    'done',
    '',
  ].join('\n');
  u.w.define(['preStart'], str(script), [`Readiness gate: ${d.service} must have completed successfully (Compose's service_completed_successfully).`]);
  ctx.ledger.report('info', 'compose/gate-completed', `${u.compose.service} starts once ${d.service} has exited successfully (a preStart gate on ${backend}-${u.plan.name}.service)`, d.item.origin);
}

const gated = new WeakMap<BuildContext, Set<string>>();

/**
 * The dependency is ready only when its health check passes. With podman
 * that is `podman.sdnotify = "healthy"` (the unit is Type=notify); with
 * Docker a postStart step waits for `docker inspect` to say healthy, so
 * the unit's start (which After= waits for) ends only then.
 */
function healthyGate(ctx: BuildContext, container: string): void {
  const done = gated.get(ctx) ?? new Set<string>();
  gated.set(ctx, done);
  if (done.has(container)) return;
  done.add(container);
  const dep = composeContainers(ctx.plan.services).get(container);
  if (!dep) return;
  const owner = OWNER.service(dep.service.name);
  const backend = ctx.plan.backend;
  if (backend === 'podman') {
    ctx.tree.define(owner, ['virtualisation', 'oci-containers', 'containers', container, 'podman', 'sdnotify'], str('healthy'), [
      'Ready only once its health check passes: containers that wait for it (depends_on: service_healthy) start then.',
    ]);
    return;
  }
  const name = shellWord(container);
  const script = [
    `# Ready only once the health check passes; units ordered after this one (depends_on: service_healthy) wait for it.`,
    'while :; do',
    `  status=$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' ${name} 2>/dev/null || true)`,
    '  case "$status" in',
    '    healthy) exit 0 ;;',
    `    unhealthy) echo "${container} is unhealthy" >&2; exit 1 ;;`,
    `    none) echo "${container} has no health check" >&2; exit 1 ;;`,
    '  esac',
    '  sleep 1',
    'done',
    '',
  ].join('\n');
  ctx.tree.define(owner, ['systemd', 'services', `${backend}-${container}`, 'postStart'], str(script), ['Readiness gate for depends_on: service_healthy.']);
}

function composeOf(ctx: BuildContext, container: string): ComposeService | undefined {
  return composeContainers(ctx.plan.services).get(container)?.compose;
}

/** Compose's restart semantics on the container's unit. */
function restart(u: ComposeUnit): void {
  const { compose, w } = u;
  if (compose.restartUnset) {
    w.define(['serviceConfig', 'Restart'], force(str('no')), ['No restart policy: Compose\'s default is `no`, so the container is not restarted when it stops.']);
    return;
  }
  const policy = u.plan.invocation.restart ?? '';
  if (policy === 'no' || policy === '') return;
  const limits = compose.restartLimits;
  if (limits?.delay !== undefined) {
    w.define(['serviceConfig', 'RestartSec'], str(limits.delay), ['deploy.restart_policy.delay']);
  } else {
    // Docker doubles the wait between restarts from 100 ms up to a minute; systemd's RestartSteps does the same.
    w.define(['serviceConfig', 'RestartSteps'], int(9), ['Back off like Docker: the wait doubles from 100 ms (RestartSec) up to a minute.']);
    w.define(['serviceConfig', 'RestartMaxDelaySec'], str('1min'));
  }
  if (limits?.maxAttempts !== undefined && policy.startsWith('on-failure')) {
    w.define(['startLimitBurst'], int(limits.maxAttempts + 1), [`At most ${limits.maxAttempts} restarts after the first start (on-failure:${limits.maxAttempts}).`]);
    if (limits.windowSeconds !== undefined) w.define(['startLimitIntervalSec'], int(Math.ceil(limits.windowSeconds)), ['deploy.restart_policy.window']);
    else w.define(['unitConfig', 'StartLimitIntervalSec'], str('infinity'), ['The retries are counted since boot, as Docker counts them.']);
  }
}

/** The project's target and its volumes' oneshots, once per project with converted containers. */
export function buildComposeProjects(services: readonly ServicePlan[], ctx: BuildContext, networkUnits: ReadonlyMap<string, readonly string[]>): void {
  const backend = ctx.plan.backend;
  const projects = new Map<ComposeProject, ComposeService[]>();
  const unitsOf = new Map<ComposeProject, Set<string>>();
  for (const [name, { compose }] of composeContainers(services)) {
    // Appended in place: copying the project's list for each member was quadratic in its size.
    const members = projects.get(compose.project);
    if (members) members.push(compose);
    else projects.set(compose.project, [compose]);
    unitsOf.set(compose.project, (unitsOf.get(compose.project) ?? new Set()).add(`${backend}-${name}.service`));
  }
  for (const [project, members] of projects) {
    const owner = projectOwner(project);
    const target = rootTarget(backend, project);
    ctx.tree.define(owner, ['systemd', 'targets', target, 'unitConfig', 'Description'], str(`Compose project ${project.name}`), [
      `The Compose project ${project.name} (${project.item.origin.file}): \`systemctl stop ${target}.target\` stops the stack, \`start\` starts it again.`,
    ]);
    ctx.tree.define(owner, ['systemd', 'targets', target, 'wantedBy'], list([str('multi-user.target')]));
    const used = new Set(members.flatMap((m) => m.volumes));
    for (const volume of project.volumes) {
      if (!used.has(volume.name)) continue;
      const base = ['systemd', 'services', volumeUnit(backend, volume.name)];
      const create = [backend, 'volume', 'create', ...volume.options, volume.name].map(shellWord).join(' ');
      ctx.tree.define(owner, [...base, 'description'], str(`Create the ${backend} volume ${volume.name}`), [`Creates the volume ${volume.name} as Compose did; oci-containers does not create volumes with options.`]);
      if (backend === 'docker') {
        ctx.tree.define(owner, [...base, 'after'], list([str('docker.service'), str('docker.socket')]));
        ctx.tree.define(owner, [...base, 'requires'], list([str('docker.service')]));
      }
      ctx.tree.define(owner, [...base, 'path'], list([pkg(backend)]));
      ctx.tree.define(owner, [...base, 'serviceConfig', 'Type'], str('oneshot'));
      ctx.tree.define(owner, [...base, 'serviceConfig', 'RemainAfterExit'], bool(true));
      ctx.tree.define(owner, [...base, 'script'], str(`${backend} volume inspect ${shellWord(volume.name)} >/dev/null 2>&1 || ${create}`));
      ctx.tree.define(owner, [...base, 'partOf'], list([str(`${target}.target`)]));
      ctx.tree.define(owner, [...base, 'wantedBy'], list([str(`${target}.target`)]));
      if (volume.device !== undefined) ctx.tree.define(owner, [...base, 'unitConfig', 'RequiresMountsFor'], list([str(volume.device)]), ['The volume is bound to this directory.']);
      ctx.ledger.carriedTree(volume.item, optionName([...base, 'script']));
    }
    const external = new Set((ctx.host.networks ?? []).filter((n) => n.external).map((n) => n.name));
    for (const [network, units] of networkUnits) {
      if (external.has(network) || !units.some((unit) => unitsOf.get(project)!.has(unit))) continue;
      ctx.tree.define(owner, ['systemd', 'services', `${backend}-network-${network}`, 'partOf'], list([str(`${target}.target`)]));
      ctx.tree.define(owner, ['systemd', 'services', `${backend}-network-${network}`, 'wantedBy'], list([str(`${target}.target`)]));
    }
    ctx.ledger.report(
      'info',
      'compose/project',
      `Compose project ${project.name}: ${members.length} container(s) in ${target}.target; containers are named <project>-<service> (Compose named them <project>-<service>-1) unless container_name says otherwise`,
      project.item.origin,
      `systemctl stop ${target}.target stops the stack; systemctl start starts it`,
    );
  }
  settleLater(ctx);
}

/** Volumes of projects none of whose containers were converted: settled, not lost. */
function settleLater(ctx: BuildContext): void {
  const projects = new Set<ComposeProject>();
  for (const c of ctx.host.containers ?? []) if (c.compose) projects.add(c.compose.project);
  for (const project of projects) {
    for (const volume of project.volumes) ctx.ledger.settleTree(volume.item, { kind: 'dropped', reason: 'no converted container mounts it' });
  }
}

function force(value: NixExpr): NixExpr {
  return apply(select(v('lib'), 'mkForce'), value);
}
