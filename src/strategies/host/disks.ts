/**
 * Disks, partitions and RAID arrays Ignition set up while provisioning, and
 * Butane's `boot_device`. nixport never partitions, formats or wipes: on
 * the new host these disks already hold their data. What it does is write
 * down the layout Ignition created as a disko-style declaration in a manual
 * step, for the day the same layout is needed on new disks (disko's
 * `disko.devices`: disks with a `gpt` table, partitions holding a
 * `filesystem`, `luks`, `mdraid` or `swap`, and `mdadm` arrays).
 */
import type { Disk, HostFilesystem, LuksVolume, Partition, RaidArray } from '../../model/storage.ts';
import { fromJS } from '../../nix/ast.ts';
import { printExpr } from '../../nix/print.ts';
import type { BuildContext } from '../context.ts';
import { deviceAliases, normalizeDevice } from './filesystems.ts';

const LAYOUT_STEP = 'Recreate the disk layout only on new disks';

export function buildDiskLayout(ctx: BuildContext): void {
  const { disks, raid, filesystems, luks } = ctx.host.storage;
  if (disks.length === 0 && raid.length === 0) {
    if (filesystems.some((f) => f.wipe) || luks.some((l) => l.wipe)) layoutStep(ctx);
    return;
  }
  for (const disk of disks) {
    ctx.ledger.settle(disk.item, { kind: 'manual', step: LAYOUT_STEP });
    for (const p of disk.partitions) ctx.ledger.settle(p.item, { kind: 'manual', step: LAYOUT_STEP });
    const parts = disk.partitions.map((p) => p.label ?? `#${p.number ?? '?'}`).join(', ');
    ctx.ledger.report(
      'info',
      'storage/disk-layout',
      `${disk.item.label}: Ignition ${disk.wipeTable ? 'wiped and ' : ''}partitioned ${disk.device}${parts ? ` (${parts})` : ''}; nixport leaves disks as they are`,
      disk.item.origin,
      'the manual step holds the layout as a disko declaration, for new disks',
    );
  }
  for (const array of raid) {
    ctx.ledger.settle(array.item, { kind: 'manual', step: LAYOUT_STEP });
    ctx.ledger.report(
      'info',
      'storage/raid',
      `${array.item.label}: Ignition built the ${array.level} array /dev/md/${array.name} from ${array.devices.join(', ')}`,
      array.item.origin,
      'NixOS assembles existing arrays at boot with boot.swraid.enable = true (nixos-generate-config sets it when it finds one); keep boot.swraid.mdadmConf in sync',
    );
  }
  layoutStep(ctx);
}

function layoutStep(ctx: BuildContext): void {
  const { disks, raid, filesystems, luks } = ctx.host.storage;
  const layout = { disko: { devices: diskoDevices(disks, raid, filesystems, luks) } };
  const first = disks[0]?.item ?? raid[0]?.item ?? filesystems.find((f) => f.wipe)?.item ?? luks[0]?.item;
  ctx.ledger.manual({
    order: 85,
    title: LAYOUT_STEP,
    detail:
      'Ignition created this storage layout when it provisioned the old host (and wiped what was there where the config said so). ' +
      'nixport does not touch disks: the data disks keep their partitions, arrays and file systems, and the fileSystems entries mount them. ' +
      'Only to build the same layout on new, empty disks, use this with disko (check every device path and size first; disko erases the disks it formats):\n\n' +
      `\`\`\`nix\n${printExpr(fromJS(layout))}\n\`\`\``,
    ...(first ? { origin: first.origin } : {}),
  });
}

type Content = Record<string, unknown>;

function diskoDevices(disks: readonly Disk[], raid: readonly RaidArray[], filesystems: readonly HostFilesystem[], luks: readonly LuksVolume[]): Record<string, unknown> {
  const contentOf = (device: string): Content | undefined => {
    const d = normalizeDevice(device);
    const array = raid.find((r) => r.devices.map(normalizeDevice).includes(d));
    if (array) return { type: 'mdraid', name: array.name };
    const volume = luks.find((l) => normalizeDevice(l.device) === d || (l.label !== undefined && d === `/dev/disk/by-label/${l.label}`));
    if (volume) {
      const inner = contentOf(`/dev/mapper/${volume.name}`) ?? contentOf(`/dev/disk/by-id/dm-name-${volume.name}`);
      return {
        type: 'luks',
        name: volume.name,
        ...(volume.discard ? { settings: { allowDiscards: true } } : {}),
        ...(inner ? { content: inner } : {}),
      };
    }
    const fs = filesystems.find((f) => deviceAliases(f).includes(d));
    if (!fs) return undefined;
    if (fs.format === 'swap') return { type: 'swap' };
    return {
      type: 'filesystem',
      ...(fs.format && fs.format !== 'none' ? { format: fs.format } : {}),
      ...(fs.path ? { mountpoint: fs.path } : {}),
      ...(fs.mountOptions.length > 0 ? { mountOptions: fs.mountOptions } : {}),
      ...(fs.label ? { extraArgs: [fs.format === 'vfat' ? '-n' : '-L', fs.label] } : {}),
    };
  };

  const disk: Record<string, unknown> = {};
  disks.forEach((d, i) => {
    const partitions: Record<string, unknown> = {};
    d.partitions
      .filter((p) => p.shouldExist !== false)
      .forEach((p, j) => {
        const content = partitionDevices(d, p).map(contentOf).find((c) => c !== undefined);
        partitions[p.label ?? `part${p.number ?? j + 1}`] = {
          size: p.sizeMiB ? `${p.sizeMiB}M` : '100%',
          ...(p.typeGuid ? { type: p.typeGuid } : {}),
          ...(content ? { content } : {}),
        };
      });
    const whole = contentOf(d.device);
    disk[diskName(d.device, i)] = {
      type: 'disk',
      device: d.device,
      ...(d.partitions.length > 0 ? { content: { type: 'gpt', partitions } } : whole ? { content: whole } : {}),
    };
  });
  const mdadm: Record<string, unknown> = {};
  for (const r of raid) {
    const level = /^raid(\d+)$/.exec(r.level)?.[1];
    const content = contentOf(`/dev/md/${r.name}`);
    mdadm[r.name] = { type: 'mdadm', level: level === undefined ? r.level : Number(level), ...(content ? { content } : {}) };
  }
  return { ...(disks.length > 0 ? { disk } : {}), ...(raid.length > 0 ? { mdadm } : {}) };
}

/** The device paths a partition is known by: its PARTLABEL, and `<disk>N`, `<disk>pN` or `<disk>-partN`. */
function partitionDevices(disk: Disk, p: Partition): string[] {
  const out: string[] = [];
  if (p.label) out.push(`/dev/disk/by-partlabel/${p.label}`);
  if (p.number !== undefined && p.number > 0) {
    const n = p.number;
    out.push(/\d$/.test(disk.device) ? `${disk.device}p${n}` : `${disk.device}${n}`, `${disk.device}-part${n}`);
  }
  return out;
}

function diskName(device: string, index: number): string {
  const base = device.split('/').pop() ?? '';
  return /^[A-Za-z][A-Za-z0-9_-]{0,30}$/.test(base) ? base : `disk${index}`;
}

/** Butane `boot_device`: the root on LUKS bound to TPM2/Tang, and/or the boot disk mirrored. */
export function buildBootDevice(ctx: BuildContext): void {
  const boot = ctx.host.storage.bootDevice;
  if (!boot) return;
  if (!boot.luks && boot.mirrorDevices.length === 0) {
    ctx.ledger.dropped(boot.item, 'only the layout of the OS image was given; it asks for no encryption or mirroring');
    return;
  }
  const title = 'Set up the boot disk as the old host had it';
  ctx.ledger.settle(boot.item, { kind: 'manual', step: title });
  const parts: string[] = [];
  if (boot.luks) {
    const pins = [...boot.luks.tang.map((t) => `Tang server ${t.url}`), ...(boot.luks.tpm2 ? ['the TPM2'] : [])];
    parts.push(
      `The root file system was encrypted with LUKS and unlocked by ${pins.join(' and ')}${boot.luks.threshold && boot.luks.threshold > 1 ? ` (${boot.luks.threshold} of them needed)` : ''}. ` +
        'On NixOS, encrypt the root when installing (boot.initrd.luks.devices in hardware-configuration.nix' +
        `${boot.luks.discard ? ', with allowDiscards = true' : ''}) and unlock it with boot.initrd.clevis (a JWE secret made with \`clevis encrypt\`) or a TPM2 token (\`systemd-cryptenroll --tpm2-device=auto\` with boot.initrd.systemd.enable).`,
    );
  }
  if (boot.mirrorDevices.length > 0) {
    parts.push(
      `The boot disk was mirrored (RAID1) across ${boot.mirrorDevices.join(', ')}. On NixOS, put the root on an mdadm RAID1 (boot.swraid.enable) and install the boot loader on every disk: boot.loader.grub.mirroredBoots, or one ESP per disk with systemd-boot kept in sync by hand.`,
    );
  }
  ctx.ledger.report(
    'warning',
    'storage/boot-device',
    `${boot.item.label}: the old root disk was ${[boot.luks ? 'encrypted' : '', boot.mirrorDevices.length > 0 ? 'mirrored' : ''].filter(Boolean).join(' and ')} by Butane's boot_device; nixport does not set up the new root disk`,
    boot.item.origin,
    'see the manual step',
  );
  ctx.ledger.manual({ order: 5, title, detail: `${parts.join(' ')} Do this while installing, before nixos-generate-config.`, origin: boot.item.origin });
}
