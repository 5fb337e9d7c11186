import type { Analysis } from '../model/analysis.ts';
import type { Host } from '../model/host.ts';
import type { Ledger } from '../model/ledger.ts';
import { NixosTree } from '../nix/tree.ts';
import type { Plan } from '../plan/types.ts';
import { OWNER, type Asset, type BuildContext } from './context.ts';
import { buildDockerService, usesDocker } from './docker/index.ts';
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

export type { Asset } from './context.ts';
export { OWNER } from './context.ts';

export interface Build {
  readonly tree: NixosTree;
  readonly assets: readonly Asset[];
}

export interface BuildSettings {
  readonly hostName: string;
  readonly release: string;
}

/** Builds the NixOS configuration: host-wide parts, then each service by its strategy. */
export function buildTree(host: Host, analysis: Analysis, plan: Plan, ledger: Ledger, settings: BuildSettings): Build {
  const ctx: BuildContext = { host, analysis, plan, ledger, tree: new NixosTree(), assets: [], ...settings };
  const docker =
    host.units.some(usesDocker) || host.authorizedKeys.some((k) => k.options.some((o) => o.name === 'command' && /\bdocker\b/.test(o.value ?? '')));

  buildSystem(ctx, docker);
  buildUpdate(ctx);
  buildUsers(ctx, docker);
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
    buildDockerService(service, ctx);
  }
  buildFirewall(ctx, ownerOfUnit);
  planDataCopy(ctx);
  planInstall(ctx);
  return { tree: ctx.tree, assets: ctx.assets };
}
