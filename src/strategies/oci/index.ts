import { containerKey } from '../../model/container.ts';
import { str } from '../../nix/ast.ts';
import { BUILTIN_NETWORKS } from '../../plan/oci.ts';
import type { ContainerPlan, ServicePlan } from '../../plan/types.ts';
import { networkCreate } from '../../sources/docker/network.ts';
import { carryUnit } from '../carry-unit.ts';
import { OWNER, type BuildContext } from '../context.ts';
import { UnitWriter } from '../unit-writer.ts';
import { anonymousVolumes, noteNamedVolumes, writeContainer } from './container.ts';
import { mapFlags, type MappedContainer } from './flags.ts';
import { buildNetworks, type NetworkSource, type NetworkUse } from './networks.ts';
import { carryContainerUnit } from './unit.ts';
import { buildVolumes } from './volumes.ts';
import { originComment } from '../values.ts';
import { buildComposeProjects, composeContainerUnit, noteBoundVolumes } from '../compose/index.ts';
import { networkName } from '../../sources/docker/derive.ts';

/**
 * Stage 2: each planned container becomes
 * `virtualisation.oci-containers.containers.<name>`, its old unit's settings
 * move onto the unit the module generates (`<backend>-<name>.service`), the
 * user-defined networks get a oneshot each, and the backend is written out
 * (the module's default depends on system.stateVersion).
 */
export function buildOciServices(services: readonly ServicePlan[], ctx: BuildContext): void {
  const oci = services.filter((s) => s.strategy === 'oci' && s.container);
  if (oci.length === 0) {
    // Networks a script created for containers that did not make it: settled, not lost.
    buildNetworks(ctx, new Map(), scriptNetworks(ctx));
    buildVolumes(ctx, new Map());
    buildComposeProjects([], ctx, new Map());
    return;
  }
  const backend = ctx.plan.backend;
  // What the old host ran the converted containers with: podman's storage is the same on both sides.
  const before = new Set(oci.map((s) => s.container!.invocation.engine));
  const same = before.size === 1 && before.has(backend);
  ctx.tree.define(OWNER.configuration, ['virtualisation', 'oci-containers', 'backend'], str(backend), [
    backend === 'docker'
      ? same
        ? 'Containers run with Docker, as on the old host (the module would pick podman for this stateVersion).'
        : 'Containers run with Docker (the module would pick podman for this stateVersion).'
      : same
        ? 'Containers run with podman (rootful), as on the old host.'
        : 'Containers run with podman (rootful), not Docker as on the old host.',
  ]);
  if (backend === 'podman') podmanNotes(ctx, same);
  if (ctx.plan.backendWhy !== undefined) ctx.ledger.report('info', 'oci/backend', `stage 2 runs containers with ${backend}: ${ctx.plan.backendWhy} (--backend chooses)`);

  const converted = new Map<string, string>();
  for (const s of oci) if (s.container!.unit) converted.set(s.container!.unit.name, s.container!.name);
  const containers = new Set(oci.map((s) => s.container!.name));

  const uses = new Map<string, NetworkUse[]>();
  const volumeUses = new Map<string, NetworkUse[]>();
  const sources = scriptNetworks(ctx);
  const volumes = new Set<string>();
  noteBoundVolumes(oci, volumes, ctx);
  for (const service of oci) {
    const plan = service.container!;
    const owner = OWNER.service(service.name);
    const base = ['virtualisation', 'oci-containers', 'containers', plan.name];
    const unitName = `${backend}-${plan.name}`;
    const w = new UnitWriter(ctx.tree, owner, ['systemd', 'services', unitName]);
    const unitEnvironment = plan.unit?.directives.some((d) => d.section === 'Service' && d.key === 'EnvironmentFile') ?? false;
    const mapped = mapFlags({ plan, backend, ledger: ctx.ledger, base, unitEnvironment, secretFlags: ctx.analysis.secrets.flags });
    pullEveryStart(plan, mapped, ctx);
    const from = plan.unit ? `${plan.unit.name}, from ${originComment(plan.unit.item.origin)}` : `from ${originComment(plan.standalone!.item.origin)}`;
    writeContainer(mapped, plan.name, owner, base, [`${from}; the module runs it as ${unitName}.service.`], ctx, plan.standalone);
    anonymousVolumes(plan.standalone?.inspect, plan.name, base, owner, ctx);
    noteNamedVolumes(mapped, plan.name, ctx, volumes, plan.invocation.engine);
    // Before the container's unit: that settles what is still open below the container's item.
    const compose = plan.standalone?.compose;
    if (compose) composeContainerUnit({ ctx, plan, compose, base, owner, w, needs: new Set(mapped.needs.map((n) => n.name)), converted: containers });
    carryContainerUnit({ ctx, plan, mapped, base, owner, w, converted, containers, key: plan.unit?.name ?? containerKey(plan.standalone!) });
    for (const activator of plan.activators) carryUnit(activator, owner, ctx);
    for (const need of mapped.needs) {
      if (!containers.has(need.name)) {
        ctx.ledger.report(
          'warning',
          'oci/needs-container',
          `${plan.name}: \`${need.flag.item.label}\` needs the container \`${need.name}\`, which is not declared in oci-containers`,
          need.flag.item.origin,
          `convert ${need.name} too, or make sure it exists before ${unitName}.service starts`,
        );
      }
    }
    for (const written of mapped.networks) {
      // Docker's long form (`name=back,alias=db`) names the network in `name=`; podman's (`back:alias=db`) before the colon.
      const named = networkName(written);
      const network = named.startsWith('container:') ? named : named.replace(/:.*$/, '');
      if (BUILTIN_NETWORKS.has(network) || network.startsWith('container:')) continue;
      const list = uses.get(network) ?? [];
      list.push({ unit: `${unitName}.service`, owner, origin: plan.run?.item.origin ?? plan.standalone!.item.origin });
      uses.set(network, list);
    }
    for (const v of mapped.namedVolumes) {
      if (v.source === undefined) continue;
      volumeUses.set(v.source, [...(volumeUses.get(v.source) ?? []), { unit: `${unitName}.service`, owner, origin: v.flag.item.origin }]);
    }
    for (const step of plan.steps) {
      if (step.role !== 'network') continue;
      const created = networkCreate(step.directive.exec!.docker!);
      if (!created) continue;
      const list = sources.get(created.name) ?? [];
      // The unit's own creation comes first: it is how this container's network was made.
      sources.set(created.name, [{ options: created.options, item: step.directive.item }, ...list]);
    }
    ctx.ledger.report('info', 'oci/converted', `${service.name}: ${service.reason}`, plan.run?.item.origin ?? plan.standalone?.item.origin);
  }
  buildNetworks(ctx, uses, sources);
  buildVolumes(ctx, volumeUses);
  buildComposeProjects(oci, ctx, new Map([...uses].map(([network, list]) => [`${network}`, list.map((u) => u.unit)])));
}

/**
 * `docker pull IMAGE` before every start: the owner relied on it to update
 * `:latest` images, and oci-containers pulls only a missing image unless
 * told (`pull`). A pull whose failure the unit ignored (`-`) maps exactly
 * onto podman's `newer` (pull errors are suppressed when a local image
 * exists); Docker has no such policy, so `always` fails the start instead.
 */
function pullEveryStart(plan: ContainerPlan, mapped: MappedContainer, ctx: BuildContext): void {
  const step = plan.steps.find((s) => s.role === 'pull');
  if (!step) return;
  const ignored = step.directive.exec?.prefixes.includes('-') === true;
  const newer = ignored && ctx.plan.backend === 'podman';
  mapped.pull = newer ? 'newer' : 'always';
  mapped.pullComment = newer
    ? 'The old unit pulled at every start and ignored a failed pull; podman\'s `newer` does both.'
    : `The old unit pulled the image at every start (\`${plan.invocation.engine} pull\` in ExecStartPre).`;
  if (ignored && !newer) {
    ctx.ledger.report(
      'info',
      'oci/pull-failure',
      `${plan.unit?.name ?? plan.name} ignored a failed \`docker pull\` (\`-\`) and ran the image it had; with pull = "always" a failed pull fails the start, and the unit's restarts retry it`,
      step.directive.item.origin,
      'set pull = "missing" and update the image by hand if the registry is often unreachable at boot',
    );
  }
}

function scriptNetworks(ctx: BuildContext): Map<string, NetworkSource[]> {
  const sources = new Map<string, NetworkSource[]>();
  for (const n of ctx.host.networks ?? []) sources.set(n.name, [...(sources.get(n.name) ?? []), { options: n.options, item: n.item, ...(n.external ? { external: true } : {}) }]);
  return sources;
}

function podmanNotes(ctx: BuildContext, ranPodman: boolean): void {
  if (ranPodman) {
    ctx.ledger.manual({
      order: 70,
      title: 'Check the podman backend',
      detail:
        'The containers run with podman, as on the old host, now rootful as podman-<name>.service (Type=notify). Named volumes keep their data in /var/lib/containers/storage/volumes on both sides: copy it over with the containers stopped. Images are pulled again on the first start.',
    });
    return;
  }
  ctx.ledger.report(
    'info',
    'oci/podman',
    'podman backend: containers run rootful (podman.user = "root"), each as podman-<name>.service with Type=notify; there is no Docker daemon, so containers find each other by name only on user-defined networks, and `docker` commands of users and scripts must become `podman` commands',
    undefined,
    'users in the docker group need sudo for podman; virtualisation.podman.dockerCompat and dockerSocket.enable help scripts, but conflict with virtualisation.docker.enable while stage-1 services still run Docker',
  );
  ctx.ledger.manual({
    order: 70,
    title: 'Check the podman backend',
    detail:
      'The containers run with podman now. Images and named volumes of the old host are not in podman\'s storage: they are pulled again on the first start, and volume data must be copied to /var/lib/containers/storage/volumes. Scripts and users that ran `docker` need `podman` (or virtualisation.podman.dockerCompat = true when no stage-1 service needs Docker).',
  });
}
