/**
 * disko.nix: the layout of the new system disk, for the first install with
 * nixos-anywhere (`make install`), which partitions and formats the disks
 * disko.nix names. So it names the system disk only, never a data disk: the
 * data disks keep their file systems (storage.nix mounts them), and the
 * post's advice stands, to unplug them while installing.
 *
 * The layout is the usual NixOS one for systemd-boot (configuration.nix):
 * a 1 GiB ESP at /boot and the rest for /. What nixport knows of the old
 * host fills in the rest: the disk that held the old root (Ignition's
 * disks and partitions) and the root's file system type. Without that, the
 * device is `CHANGE-ME` and `make install` refuses to run until it is set.
 */
import type { Disk, HostFilesystem } from '../../model/storage.ts';
import { fromJS } from '../../nix/ast.ts';
import { OWNER, type BuildContext } from '../context.ts';
import { deviceAliases, normalizeDevice } from './filesystems.ts';

export const DISKO_PLACEHOLDER = '/dev/disk/by-id/CHANGE-ME';

export interface DiskoPlan {
  /** The system disk, or DISKO_PLACEHOLDER. */
  readonly device: string;
  readonly rootFormat: string;
  /** Where the device came from, or why it is a placeholder. */
  readonly source: string;
  /** Devices of the old host's data file systems, which disko.nix must not name. */
  readonly dataDevices: readonly string[];
  readonly placeholder: boolean;
}

const ROOT_FORMATS = new Set(['ext4', 'xfs', 'btrfs']);

export function buildDisko(ctx: BuildContext): DiskoPlan {
  const { storage } = ctx.host;
  const root = storage.filesystems.find((fs) => fs.path === '/' || (fs.path === undefined && fs.label === 'root'));
  const disk = root ? diskHolding(rootDevices(root, ctx), storage.disks) : undefined;
  const rootFormat = root?.format && ROOT_FORMATS.has(root.format) ? root.format : 'ext4';
  const dataDevices = [
    ...new Set([
      ...ctx.analysis.mounts.fileSystems.map((fs) => fs.device),
      ...storage.filesystems.filter((fs) => fs !== root && fs.path !== '/boot' && fs.label !== 'boot').map((fs) => fs.device),
      ...storage.disks.filter((d) => d !== disk).map((d) => d.device),
    ]),
  ];
  const plan: DiskoPlan = disk
    ? { device: disk.device, rootFormat, source: `the old root file system was on ${disk.device} (${disk.item.label})`, dataDevices, placeholder: false }
    : { device: DISKO_PLACEHOLDER, rootFormat, source: 'the input does not say which disk held the old system', dataDevices, placeholder: true };

  const layout = {
    type: 'disk',
    device: plan.device,
    content: {
      type: 'gpt',
      partitions: {
        ESP: { size: '1G', type: 'EF00', content: { type: 'filesystem', format: 'vfat', mountpoint: '/boot', mountOptions: ['umask=0077'] } },
        root: { size: '100%', content: { type: 'filesystem', format: rootFormat, mountpoint: '/' } },
      },
    },
  };
  const comments = [
    plan.placeholder
      ? `CHANGE-ME: the system disk, e.g. /dev/disk/by-id/nvme-... (\`ls -l /dev/disk/by-id\` on the machine); ${plan.source}.`
      : `The system disk: ${plan.source}. Check it before \`make install\`.`,
    'nixos-anywhere ERASES every disk named here. Only the system disk belongs here, never a data disk.',
    ...(plan.dataDevices.length > 0 ? [`The old host's data lives on ${plan.dataDevices.join(', ')}: keep them out (and unplugged while installing).`] : []),
    ...(root && storage.luks.length > 0 ? ['The old root may have been encrypted; to encrypt the new one, wrap root.content in disko\'s `type = "luks"` (see its examples).'] : []),
  ];
  ctx.tree.define(OWNER.disko, ['disko', 'devices', 'disk', 'main'], fromJS(layout), comments);
  if (plan.placeholder) {
    ctx.ledger.manual({
      order: 15,
      title: 'Name the system disk in disko.nix',
      detail: `\`make install\` (nixos-anywhere) partitions and formats the disk disko.nix names, and ${plan.source}. Set disko.devices.disk.main.device to the new system disk (\`ls -l /dev/disk/by-id\` on the machine); never a data disk.`,
    });
  }
  return plan;
}

/** The names of the root file system's device, and of the device below it when it is a LUKS volume. */
function rootDevices(root: HostFilesystem, ctx: BuildContext): string[] {
  const aliases = deviceAliases(root);
  for (const volume of ctx.host.storage.luks) {
    const mapped = [`/dev/mapper/${volume.name}`, `/dev/disk/by-id/dm-name-${volume.name}`];
    if (!aliases.some((a) => mapped.includes(a))) continue;
    aliases.push(normalizeDevice(volume.device));
    if (volume.label) aliases.push(`/dev/disk/by-label/${volume.label}`);
  }
  return aliases;
}

/** The Ignition disk whose partition is one of `aliases`, by partition label or number. */
function diskHolding(aliases: readonly string[], disks: readonly Disk[]): Disk | undefined {
  return disks.find((disk) =>
    disk.partitions.some((p) => {
      const names: string[] = [];
      if (p.label) names.push(`/dev/disk/by-partlabel/${p.label}`);
      if (p.number !== undefined && p.number > 0) {
        names.push(/\d$/.test(disk.device) ? `${disk.device}p${p.number}` : `${disk.device}${p.number}`, `${disk.device}-part${p.number}`);
      }
      return names.some((n) => aliases.includes(normalizeDevice(n)));
    }),
  );
}
