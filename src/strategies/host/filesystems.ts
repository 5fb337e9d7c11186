/**
 * Ignition's `storage.filesystems` on NixOS. Ignition created a file system
 * (unless it existed) and mounted it at `path` while provisioning, to write
 * files into it; it wrote no mount unit. The old host mounted it at boot only
 * if a unit did: Butane's `with_mount_unit` or one of the config's own. So:
 *
 * - mounted by a .mount unit of the input: that unit is the fileSystems entry
 *   (storage.ts), and the format fills its fsType when the unit has no Type=;
 * - a `path` and no unit: fileSystems."<path>" with `nofail`, and a warning:
 *   nixport mounts it at boot, which the old host may not have done;
 * - no path and no unit: created at provisioning only; reported;
 * - swap: swapDevices, when a .swap unit activated it;
 * - the root (and boot) file system: hardware-configuration.nix's business.
 *
 * nixport never formats or wipes: the disk layout step says what Ignition
 * created, for new disks only.
 */
import type { FileSystemPlan } from '../../model/analysis.ts';
import type { HostFilesystem } from '../../model/storage.ts';
import { lastValue, type Unit } from '../../model/unit.ts';
import { attrs, list, str } from '../../nix/ast.ts';
import { OWNER, optionName, type BuildContext } from '../context.ts';
import { originComment } from '../values.ts';

/** What a device is called, in every spelling that names the same thing: `LABEL=x`, `/dev/disk/by-label/x`. */
export function deviceAliases(fs: Pick<HostFilesystem, 'device' | 'label' | 'uuid'>): string[] {
  return [
    normalizeDevice(fs.device),
    ...(fs.label ? [`/dev/disk/by-label/${fs.label}`] : []),
    ...(fs.uuid ? [`/dev/disk/by-uuid/${fs.uuid.toLowerCase()}`] : []),
  ];
}

export function normalizeDevice(device: string): string {
  const m = /^(LABEL|UUID|PARTLABEL|PARTUUID)=(.+)$/.exec(device);
  if (!m) return device;
  const kind = m[1]!.toLowerCase();
  return `/dev/disk/by-${kind}/${kind.endsWith('uuid') ? m[2]!.toLowerCase() : m[2]}`;
}

/** The file system Ignition made that a mount plan (from a unit or a `mount` step) mounts. */
export function ignitionFilesystemFor(ctx: BuildContext, plan: FileSystemPlan): HostFilesystem | undefined {
  const device = normalizeDevice(plan.device);
  return ctx.host.storage.filesystems.find((fs) => fs.path === plan.mountPoint || deviceAliases(fs).includes(device));
}

/** File systems the new host's hardware-configuration.nix declares. */
function isSystemFilesystem(fs: HostFilesystem): string | undefined {
  if (fs.path === '/' || (fs.path === undefined && fs.label === 'root')) return 'the root file system';
  if (fs.path === '/boot' || (fs.path === undefined && fs.label === 'boot')) return 'the boot file system';
  return undefined;
}

/**
 * `.swap` units (Butane's `with_mount_unit` makes them) of swap areas
 * Ignition created: swapDevices. Returns the units carried, so storage.ts
 * does not report them.
 */
export function carrySwap(ctx: BuildContext): Set<Unit> {
  const carried = new Set<Unit>();
  for (const fs of ctx.host.storage.filesystems) {
    if (fs.format !== 'swap') continue;
    const aliases = deviceAliases(fs);
    const unit = ctx.plan.storage.find((u) => u.type === 'swap' && aliases.includes(normalizeDevice(lastValue(u, 'Swap', 'What')?.value ?? '')));
    if (!unit) continue;
    carried.add(unit);
    const options = (lastValue(unit, 'Swap', 'Options')?.value ?? '').split(',').filter((o) => o !== '');
    const entry = attrs([
      { path: ['device'], value: str(fs.device) },
      ...(options.length > 0 ? [{ path: ['options'], value: list(options.map((o) => str(o))) }] : []),
    ]);
    ctx.tree.define(OWNER.storage, ['swapDevices'], list([entry]), [`${unit.name} (${fs.item.label}), from ${originComment(unit.item.origin)}`]);
    const option = 'swapDevices';
    ctx.ledger.carried(fs.item, option);
    ctx.ledger.carried(unit.item, option);
    for (const d of unit.directives) ctx.ledger.carriedTree(d.item, option);
    for (const dropIn of unit.dropIns) ctx.ledger.carried(dropIn.item, option, 'merged by systemd rules');
    for (const a of Object.values(unit.activation)) ctx.ledger.carried(a.item, option, 'NixOS activates every swap device at boot');
  }
  return carried;
}

export function buildFilesystems(ctx: BuildContext): void {
  const { ledger } = ctx;
  const plans = ctx.analysis.mounts.fileSystems;
  for (const fs of ctx.host.storage.filesystems) {
    if (ledger.fate(fs.item)) continue; // swap carried above
    const aliases = deviceAliases(fs);
    const plan = plans.find((p) => (fs.path !== undefined && p.mountPoint === fs.path) || aliases.includes(normalizeDevice(p.device)));
    const system = isSystemFilesystem(fs);
    if (plan) {
      const by = 'directives' in plan.from ? plan.from.name : `a \`mount\` step in ${plan.from.source}`;
      ledger.carried(fs.item, optionName(['fileSystems', plan.mountPoint]), `mounted by ${by}`);
    } else if (fs.format === 'swap') {
      ledger.dropped(fs.item, 'a swap area Ignition created; no .swap unit activated it on the old host');
      ledger.report('info', 'storage/swap-unused', `${fs.item.label}: swap on ${fs.device} was created, but nothing activated it`, fs.item.origin, 'add it to swapDevices to use it');
    } else if (system) {
      ledger.dropped(fs.item, `${system}: hardware-configuration.nix declares it on the new host`);
      ledger.report('info', 'storage/system-filesystem', `${fs.item.label} is ${system}; nixport leaves it to hardware-configuration.nix`, fs.item.origin);
    } else if (fs.path !== undefined) {
      mountAtPath(fs, fs.path, ctx);
    } else {
      const reason = 'Ignition created this file system while provisioning; nothing on the old host mounted it (no path, no mount unit)';
      ledger.dropped(fs.item, reason);
      const what = fs.item.label.includes(fs.device) ? fs.item.label : `${fs.item.label} (${fs.device})`;
      ledger.report('info', 'storage/created-only', `${what}: ${reason}`, fs.item.origin, 'declare it in fileSystems if a service needs it');
    }
  }
}

function mountAtPath(fs: HostFilesystem, path: string, ctx: BuildContext): void {
  const base = ['fileSystems', path];
  const define = (key: string, value: Parameters<typeof ctx.tree.define>[2], comments?: readonly string[]) =>
    ctx.tree.define(OWNER.storage, [...base, key], value, comments);
  define('device', str(fs.device), [
    `${fs.item.label}, from ${originComment(fs.item.origin)}: Ignition mounted it here while provisioning;`,
    'no unit mounted it at boot on the old host. nofail: booting does not wait for it.',
  ]);
  const fsType = fs.format === undefined || fs.format === 'none' ? undefined : fs.format;
  // fsType has no default since NixOS 26.05 (docs/nixos-facts.md); "auto" lets mount(8) detect it.
  define('fsType', str(fsType ?? 'auto'));
  define('options', list([...fs.mountOptions, ...(fs.mountOptions.includes('nofail') ? [] : ['nofail'])].map((o) => str(o))));
  ctx.ledger.carried(fs.item, optionName(base), 'mounted at boot with nofail');
  ctx.ledger.report(
    'warning',
    'storage/mounted-now',
    `${fs.item.label}: ${fs.device} is mounted at ${path} at boot now; on the old host only Ignition mounted it there, while provisioning`,
    fs.item.origin,
    'Keep it if services used the path (a unit or script mounted it); remove fileSystems."' + path + '" otherwise.',
  );
  if (!fsType) {
    ctx.ledger.manual({
      order: 30,
      title: `Check the file system type of ${path}`,
      detail: `${fs.item.label} gives no format for ${fs.device}; nixport wrote fsType = "auto". Set fileSystems."${path}".fsType (e.g. "ext4") to be explicit.`,
      origin: fs.item.origin,
    });
  }
}
