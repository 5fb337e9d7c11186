import type { VolumeSpec } from '../../model/docker.ts';
import type { Origin } from '../../model/origin.ts';
import type { BuildContext } from '../context.ts';

/** Host paths that belong to the running system, not to a service's data. */
const SYSTEM_PATHS = ['/proc', '/sys', '/dev', '/run', '/var/run', '/tmp', '/nix', '/lib/modules', '/etc/localtime', '/etc/timezone', '/etc/os-release'];

interface DataUse {
  readonly users: Set<string>;
  readonly origin: Origin;
}

/**
 * The data a service keeps on the old root disk does not come along with a
 * new system: list every bind-mounted host path that lies outside the data
 * file systems (those keep their disks) and every named Docker volume, as the
 * first manual steps after installing.
 */
export function planDataCopy(ctx: BuildContext): void {
  const mountPoints = ctx.analysis.mounts.fileSystems.map((f) => f.mountPoint);
  const written = new Set(ctx.host.files.map((f) => f.path));
  const binds = new Map<string, DataUse>();
  const volumes = new Map<string, DataUse>();
  const note = (map: Map<string, DataUse>, key: string, user: string, origin: Origin) => {
    const seen = map.get(key);
    if (seen) seen.users.add(user);
    else map.set(key, { users: new Set([user]), origin });
  };

  const consider = (v: VolumeSpec, user: string) => {
    if (v.kind === 'volume' && v.source) note(volumes, v.source, user, v.flag.item.origin);
    if (v.kind !== 'bind' || !v.source?.startsWith('/')) return;
    const path = v.source.replace(/\/+$/, '') || '/';
    if (path === '/' || written.has(path) || under(path, SYSTEM_PATHS) || under(path, mountPoints)) return;
    note(binds, path, user, v.flag.item.origin);
  };
  for (const unit of ctx.host.units) {
    for (const d of unit.directives) for (const v of d.exec?.docker?.volumes ?? []) consider(v, unit.name);
  }
  // What a carried unit reads from the old root disk by path: its environment files and working directory.
  const native = new Set(ctx.plan.services.filter((s) => s.strategy === 'native').flatMap((s) => s.units));
  for (const unit of ctx.host.units) {
    if (native.has(unit)) continue;
    for (const d of unit.directives) {
      if (d.section !== 'Service' || (d.key !== 'EnvironmentFile' && d.key !== 'WorkingDirectory')) continue;
      const path = d.value.replace(/^-/, '').replace(/\/+$/, '');
      if (!path.startsWith('/') || path.includes('%') || written.has(path) || under(path, SYSTEM_PATHS) || under(path, mountPoints)) continue;
      note(binds, path, `${unit.name}, ${d.key}=`, d.item.origin);
    }
  }

  if (binds.size > 0) {
    const lines = [...binds].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, use]) => `\`${path}\` (${[...use.users].join(', ')})`);
    ctx.ledger.manual({
      order: 40,
      title: 'Copy service data from the old root disk',
      detail: `These host paths are mounted into containers or read by units but lie outside the data file systems, so a fresh install does not have them: ${lines.join('; ')}. Copy them from the old host (e.g. \`rsync -aHAX old:/path/ /path/\`) before starting the services; an environment file may hold secrets, so keep it out of the flake.`,
      origin: [...binds.values()][0]!.origin,
    });
  }
  if (volumes.size > 0) {
    const names = [...volumes].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, use]) => `\`${name}\` (${[...use.users].join(', ')})`);
    ctx.ledger.manual({
      order: 41,
      title: 'Copy named Docker volumes',
      detail: `Docker keeps named volumes under /var/lib/docker/volumes/<name>/_data on the old root disk: ${names.join('; ')}. Copy each to the same place on the new host while Docker is stopped.`,
      origin: [...volumes.values()][0]!.origin,
    });
  }
}

function under(path: string, roots: readonly string[]): boolean {
  return roots.some((r) => r === '/' || path === r || path.startsWith(`${r}/`));
}
