import type { Analysis } from '../model/analysis.ts';
import type { Host } from '../model/host.ts';
import type { Ledger } from '../model/ledger.ts';
import { NixosTree } from '../nix/tree.ts';
import type { Plan } from '../plan/types.ts';
import { OWNER, type Asset, type BuildContext } from './context.ts';
import { buildDockerService, usesEngine } from './docker/index.ts';
import { buildOciServices } from './oci/index.ts';
import { containerKey } from '../model/container.ts';
import { planDataCopy } from './host/data.ts';
import { buildBootDevice, buildDiskLayout } from './host/disks.ts';
import { buildFiles } from './host/files.ts';
import { buildFilesystems } from './host/filesystems.ts';
import { buildFirewall } from './host/firewall.ts';
import { buildKernelArguments } from './host/kernel.ts';
import { buildLuks } from './host/luks.ts';
import { buildDirectories, buildLinks } from './host/nodes.ts';
import { buildStorage } from './host/storage.ts';
import { buildSystem, planInstall } from './host/system.ts';
import { buildUpdate } from './host/update.ts';
import { buildUsers } from './host/users.ts';
import { buildDeployAccess, type DeployAccess } from './host/access.ts';
import { buildDisko, type DiskoPlan } from './host/disko.ts';
import { buildHealthCheck, type HealthPlan } from './host/health.ts';
import { buildVm, type VmPlan } from './host/vm.ts';
import { SecretStore, type SecretsMode } from '../passes/secrets/index.ts';
import type { SecretFinding } from '../model/secret.ts';
import { buildSecrets, secretSteps } from './secrets/build.ts';
import { scrubTree } from './secrets/scrub.ts';
import { buildNativeServices, planKeyRewrites, type ServiceMigration } from './native/index.ts';

export type { Asset } from './context.ts';
export type { DeployAccess, DiskoPlan, HealthPlan, VmPlan };
export { OWNER } from './context.ts';

export interface Build {
  readonly tree: NixosTree;
  readonly assets: readonly Asset[];
  /** What `make vm` changes (vm.nix). */
  readonly vm: VmPlan;
  /** Who `make deploy` logs in as. */
  readonly access: DeployAccess;
  /** The system disk for `make install` (disko.nix). */
  readonly disko: DiskoPlan;
  /** The health check after automatic upgrades, when the host upgrades itself (health.nix). */
  readonly health?: HealthPlan;
  /** The secret files, with their plaintext for secrets.local/ (never for the flake itself). */
  readonly secrets: SecretStore;
  /** Secrets still in the configuration after the build, now placeholders (each an error in the report). */
  readonly leaked: readonly SecretFinding[];
  /** Stage 3: per service moved to a NixOS module, the ordered steps of its move (for the report). */
  readonly migrations: readonly ServiceMigration[];
}

export interface BuildSettings {
  readonly hostName: string;
  readonly release: string;
  /** Where secrets go: plain files (default), sops-nix or agenix. */
  readonly secrets?: SecretsMode;
}

/** Builds the NixOS configuration: host-wide parts, then each service by its strategy. */
export function buildTree(host: Host, analysis: Analysis, plan: Plan, ledger: Ledger, settings: BuildSettings): Build {
  const { secrets: mode = 'files', ...names } = settings;
  // Stage 3: forced commands that ran a container a key recipe knows (rrsync) run the program from the store.
  const keyCommands = planKeyRewrites(host, plan, ledger);
  const ctx: BuildContext = { host, analysis, plan, ledger, tree: new NixosTree(), assets: [], secrets: new SecretStore(mode, ledger), keyCommands, ...names };
  // Stage 1 needs the Docker daemon where a carried unit or a forced command runs docker, and podman where one runs
  // podman; stage 2 enables its backend itself.
  const carried = plan.services.filter((s) => s.strategy === 'docker');
  const podman = carried.some((s) => s.units.some((u) => usesEngine(u, 'podman')));
  const docker =
    carried.some((s) => s.units.some((u) => usesEngine(u, 'docker'))) ||
    host.authorizedKeys.some((k) => !keyCommands.has(k) && k.options.some((o) => o.name === 'command' && /\bdocker\b/.test(o.value ?? '')));
  const dockerGroup = docker || (plan.backend === 'docker' && plan.services.some((s) => s.strategy === 'oci'));

  buildSystem(ctx, { docker, podman });
  buildUpdate(ctx);
  buildUsers(ctx, dockerGroup);
  buildFiles(ctx);
  buildDirectories(ctx);
  buildLinks(ctx);
  buildStorage(ctx);
  // Ignition's storage: after the mount units, which may mount its file systems.
  buildFilesystems(ctx);
  buildLuks(ctx);
  buildDiskLayout(ctx);
  buildBootDevice(ctx);
  buildKernelArguments(ctx);

  const ownerOfUnit = new Map<string, string>();
  for (const service of plan.services) {
    for (const unit of service.units) ownerOfUnit.set(unit.name, OWNER.service(service.name));
    const standalone = service.container?.standalone;
    if (standalone) ownerOfUnit.set(containerKey(standalone), OWNER.service(service.name));
    if (service.strategy === 'docker') buildDockerService(service, ctx);
  }
  buildOciServices(plan.services, ctx);
  const native = buildNativeServices(plan.services, ctx);
  buildSecrets(ctx);
  secretSteps(ctx);
  buildFirewall(ctx, ownerOfUnit, native.handled);
  planDataCopy(ctx);
  planInstall(ctx);

  // The flake beyond the old host: deploying, checking upgrades, the VM, the first install.
  const access = buildDeployAccess(ctx);
  const health = buildHealthCheck(ctx);
  const vm = buildVm(ctx, docker || podman);
  const disko = buildDisko(ctx);
  // Invariant 3's last check: a secret still in the configuration becomes a placeholder and an error.
  const { tree, leaked } = scrubTree(ctx.tree, analysis.secrets.findings, ledger);
  return { tree, assets: ctx.assets, vm, access, disko, secrets: ctx.secrets, leaked, migrations: native.migrations, ...(health ? { health } : {}) };
}
