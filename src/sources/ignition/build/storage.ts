/**
 * Below the file level: `storage.filesystems`, `storage.luks`,
 * `storage.disks`, `storage.raid`, `kernelArguments` and Butane's
 * `boot_device`. Each entry is one `key` item; what the new host does with
 * it (fileSystems, LUKS, a disk layout suggestion) the strategies decide.
 */
import { posix } from 'node:path';
import type { InputItem } from '../../../model/ledger.ts';
import type {
  BootDevice,
  ClevisBinding,
  Disk,
  HostFilesystem,
  KernelArguments,
  LuksVolume,
  Partition,
  RaidArray,
} from '../../../model/storage.ts';
import type { Located } from '../../../model/unit.ts';
import { escapeSystemdPath } from '../../../passes/systemd-escape.ts';
import type { UnitText } from '../../types.ts';
import type { ConfigNode } from '../node.ts';
import { Rejected, unlessRejected, type Fields } from '../walker.ts';
import type { ReaderContext } from './context.ts';
import { readResource } from './resource.ts';
import { generatedUnit } from './units.ts';

/** File system formats Ignition creates (`none`: from spec 3.3 on, only mounts). */
export const FILESYSTEM_FORMATS: readonly string[] = ['ext4', 'btrfs', 'xfs', 'vfat', 'swap', 'none'];

export interface FilesystemsRead {
  readonly filesystems: HostFilesystem[];
  /** Units Butane generates for `with_mount_unit`. */
  readonly units: UnitText[];
}

export function readFilesystems(ctx: ReaderContext, nodes: readonly ConfigNode[], luks: readonly LuksVolume[]): FilesystemsRead {
  const out: FilesystemsRead = { filesystems: [], units: [] };
  for (const node of nodes) {
    unlessRejected(() => (ctx.w.dialect.version < 30 ? readFilesystem2(ctx, node, out) : readFilesystem3(ctx, node, luks, out)));
  }
  return out;
}

function readFilesystem3(ctx: ReaderContext, node: ConfigNode, luks: readonly LuksVolume[], out: FilesystemsRead): void {
  const { w } = ctx;
  const item = w.entryItem('key', node, w.peek(node, 'path') ?? w.peek(node, 'device'));
  const f = w.fields(node, 'Filesystem', item);
  const device = required(ctx, f, item, 'device', 'Add `device` with the block device, e.g. /dev/disk/by-label/data.');
  const format = readFormat(ctx, f, item, 'format');
  const path = optionalPath(ctx, f, item);
  const label = nonEmpty(f.string('label'));
  const uuid = nonEmpty(f.string('uuid'));
  const mountOptions = f.strings('mountOptions').map((o) => o.value);
  const wipe = f.bool('wipeFilesystem');
  const withMountUnit = f.bool('withMountUnit');
  out.filesystems.push({
    device,
    ...(format === undefined ? {} : { format }),
    ...(path === undefined ? {} : { path }),
    ...(label === undefined ? {} : { label }),
    ...(uuid === undefined ? {} : { uuid }),
    ...(wipe === undefined ? {} : { wipe }),
    mountOptions,
    ...(withMountUnit === undefined ? {} : { withMountUnit }),
    item,
  });
  if (withMountUnit) {
    const unit = mountUnit(ctx, f, { device, format, path, mountOptions }, luks);
    if (unit) out.units.push(unit);
  }
}

/** 2.x: `mount` describes the file system; Ignition never mounted it on the running host. */
function readFilesystem2(ctx: ReaderContext, node: ConfigNode, out: FilesystemsRead): void {
  const { w, ledger } = ctx;
  const mountNode = node.shape === 'map' ? node.entries().find((e) => e.spelled === 'mount')?.value : undefined;
  const item = w.entryItem('key', node, w.peek(node, 'name') ?? (mountNode ? w.peek(mountNode, 'device') : undefined));
  const f = w.fields(node, 'Filesystem', item);
  f.string('name');
  const mount = f.map('mount');
  if (!mount) {
    const path = f.string('path');
    ledger.dropped(
      item,
      `a file system Ignition found already mounted${path ? ` at ${path}` : ''} to write files into; the root file system of the new host comes from hardware-configuration.nix`,
    );
    return;
  }
  f.string('path');
  const m = w.fields(mount, 'Mount', item);
  const device = required(ctx, m, item, 'device', 'Add `device` with the block device.');
  const format = readFormat(ctx, m, item, 'format');
  const label = nonEmpty(m.string('label'));
  const uuid = nonEmpty(m.string('uuid'));
  const wipe = m.bool('wipeFilesystem');
  out.filesystems.push({
    device,
    ...(format === undefined ? {} : { format }),
    ...(label === undefined ? {} : { label }),
    ...(uuid === undefined ? {} : { uuid }),
    ...(wipe === undefined ? {} : { wipe }),
    mountOptions: [],
    item,
  });
}

/**
 * Butane's `with_mount_unit`: the .mount (or, for swap, .swap) unit Butane
 * generates, text for text (coreos/butane base/v0_*\/translate.go,
 * mountUnitTemplate), so the config and the Ignition JSON it becomes read
 * alike. `_netdev` and remote-fs.target when the device is a LUKS volume
 * unlocked by a Tang server.
 */
function mountUnit(
  ctx: ReaderContext,
  f: Fields,
  fs: { device: string; format: string | undefined; path: string | undefined; mountOptions: readonly string[] },
  luks: readonly LuksVolume[],
): UnitText | undefined {
  const { w } = ctx;
  const at = f.value('withMountUnit')!;
  const fail = (message: string, hint: string) => {
    w.ledger.report('error', w.code('invalid-value'), `${at.where}: ${message}`, at.origin, hint);
    return undefined;
  };
  if (fs.format === undefined) return fail('a mount unit needs `format`', 'Add the file system format.');
  const swap = fs.format === 'swap';
  if (!swap && fs.path === undefined) return fail('a mount unit needs `path`', 'Add the mount point as `path`.');
  const mapped = /^\/dev\/(?:mapper\/|disk\/by-id\/dm-name-)(.+)$/.exec(fs.device)?.[1];
  const remote = mapped !== undefined && luks.some((l) => l.name === mapped && (l.clevis?.tang.length ?? 0) > 0);
  const options = fs.mountOptions.length > 0 || remote ? `\nOptions=${[...fs.mountOptions, ...(remote ? ['_netdev'] : [])].join(',')}` : '';
  const escapedDevice = escapeSystemdPath(fs.device);
  const text = swap
    ? `# Generated by Butane\n[Swap]\nWhat=${fs.device}${options}\n\n[Install]\nRequiredBy=swap.target`
    : `# Generated by Butane\n[Unit]\nRequires=systemd-fsck@${escapedDevice}.service\nAfter=systemd-fsck@${escapedDevice}.service\n\n` +
      `[Mount]\nWhere=${fs.path}\nWhat=${fs.device}\nType=${fs.format}${options}\n\n[Install]\nRequiredBy=${remote ? 'remote' : 'local'}-fs.target`;
  const name = swap ? `${escapedDevice}.swap` : `${escapeSystemdPath(fs.path!)}.mount`;
  return generatedUnit(ctx, name, text, at, f.label('withMountUnit'), true);
}

export function readLuks(ctx: ReaderContext, nodes: readonly ConfigNode[]): LuksVolume[] {
  return nodes.flatMap((node) => unlessRejected(() => [readLuksVolume(ctx, node)]) ?? []);
}

function readLuksVolume(ctx: ReaderContext, node: ConfigNode): LuksVolume {
  const { w } = ctx;
  const item = w.entryItem('key', node, w.peek(node, 'name'));
  const f = w.fields(node, 'Luks', item);
  const name = required(ctx, f, item, 'name', 'Add `name`: the volume opens as /dev/mapper/<name>.');
  const device = required(ctx, f, item, 'device', 'Add `device` with the encrypted block device.');
  const keyNode = f.map('keyFile');
  const key = keyNode ? readResource(ctx, keyNode, item) : { kind: 'none' as const };
  if (key.kind === 'missing-local') {
    ctx.ledger.report(
      'warning',
      w.code('local-missing'),
      `${keyNode!.where}: \`${key.relative}\` is not among the inputs (${key.reason})`,
      keyNode!.origin,
      'The key is a secret: nixport never puts it into the flake; the LUKS steps say where it goes.',
    );
  }
  const label = nonEmpty(f.string('label'));
  const uuid = nonEmpty(f.string('uuid'));
  const discard = f.bool('discard');
  const wipe = f.bool('wipeVolume');
  const openOptions = f.strings('openOptions').map((o) => o.value);
  const clevisNode = f.map('clevis');
  const clevis = clevisNode ? readClevis(ctx, w.fields(clevisNode, 'Clevis', item)) : undefined;
  return {
    name,
    device,
    ...(key.kind === 'content' ? { keyFile: { inline: key.bytes } } : key.kind === 'remote' ? { keyFile: { remote: key.remote } } : {}),
    ...(label === undefined ? {} : { label }),
    ...(uuid === undefined ? {} : { uuid }),
    ...(discard === undefined ? {} : { discard }),
    openOptions,
    ...(clevis ? { clevis } : {}),
    ...(wipe === undefined ? {} : { wipe }),
    item,
  };
}

/** A clevis binding, or undefined when it binds nothing (Ignition's `IsPresent`). */
function readClevis(ctx: ReaderContext, f: Fields): ClevisBinding | undefined {
  const tang = f.list('tang').map((t) => {
    const server = ctx.w.fields(t, 'Tang', f.item);
    const url = server.string('url');
    if (url === undefined || url === '') {
      ctx.w.wrongType(f.item as InputItem, t, 'a tang server with `url`');
    }
    server.string('advertisement');
    const thumbprint = nonEmpty(server.string('thumbprint'));
    return thumbprint === undefined ? { url } : { url, thumbprint };
  });
  const tpm2 = f.bool('tpm2') === true;
  const threshold = f.int('threshold');
  const customNode = f.map('custom');
  let custom: string | undefined;
  if (customNode) {
    const c = ctx.w.fields(customNode, 'ClevisCustom', f.item);
    const pin = nonEmpty(c.string('pin'));
    const config = nonEmpty(c.string('config'));
    const needsNetwork = c.bool('needsNetwork');
    if (pin !== undefined) custom = JSON.stringify({ pin, config: config ?? '', ...(needsNetwork === undefined ? {} : { needsNetwork }) });
  }
  if (tang.length === 0 && !tpm2 && custom === undefined) return undefined;
  return { tang, tpm2, ...(threshold === undefined ? {} : { threshold }), ...(custom === undefined ? {} : { custom }) };
}

export function readDisks(ctx: ReaderContext, nodes: readonly ConfigNode[]): Disk[] {
  return nodes.flatMap(
    (node) =>
      unlessRejected((): Disk[] => {
        const { w } = ctx;
        const item = w.entryItem('key', node, w.peek(node, 'device'));
        const f = w.fields(node, 'Disk', item);
        const device = required(ctx, f, item, 'device', 'Add `device` with the disk, e.g. /dev/disk/by-id/...');
        const wipeTable = f.bool('wipeTable');
        const partitions = f.list('partitions').flatMap((p) => unlessRejected(() => [readPartition(ctx, p, item)]) ?? []);
        return [{ device, ...(wipeTable === undefined ? {} : { wipeTable }), partitions, item }];
      }) ?? [],
  );
}

/** 2.x sizes are in sectors; nixport assumes 512-byte sectors to show MiB. */
const SECTORS_PER_MIB = 2048;

function readPartition(ctx: ReaderContext, node: ConfigNode, parent: InputItem): Partition {
  const { w } = ctx;
  const item = w.entryItem('key', node, w.peek(node, 'label'), parent);
  const f = w.fields(node, 'Partition', item);
  const label = nonEmpty(f.string('label'));
  const number = f.int('number');
  const clc = w.dialect.name === 'clc';
  const sizeMiB = clc ? clcDimension(ctx, f, 'size', item) : (f.int('sizeMiB') ?? sectors(f.int('size')));
  const startMiB = clc ? clcDimension(ctx, f, 'start', item) : (f.int('startMiB') ?? sectors(f.int('start')));
  const written = nonEmpty(f.string('typeGuid'));
  const typeGuid = clc && written !== undefined ? (CLC_TYPE_GUIDS[written] ?? written) : written;
  const guid = nonEmpty(f.string('guid'));
  const wipe = f.bool('wipePartitionEntry');
  const shouldExist = f.bool('shouldExist');
  const resize = f.bool('resize');
  return {
    ...(label === undefined ? {} : { label }),
    ...(number === undefined ? {} : { number }),
    ...(sizeMiB === undefined ? {} : { sizeMiB }),
    ...(startMiB === undefined ? {} : { startMiB }),
    ...(typeGuid === undefined ? {} : { typeGuid }),
    ...(guid === undefined ? {} : { guid }),
    ...(wipe === undefined ? {} : { wipe }),
    ...(shouldExist === undefined ? {} : { shouldExist }),
    ...(resize === undefined ? {} : { resize }),
    item,
  };
}

/** The names ct accepts for a partition's `type_guid`. */
const CLC_TYPE_GUIDS: Readonly<Record<string, string>> = {
  raid_containing_root: 'be9067b9-ea49-4f15-b4f6-f36f8c9e1818',
  linux_filesystem_data: '0fc63daf-8483-4772-8e79-3d69d8477de4',
  swap_partition: '0657fd6d-a4ab-43c4-84e5-0933c84b4f4f',
  raid_partition: 'a19d880f-05fc-4d3b-a006-743f0f84911e',
};

/** ct parses with alecthomas/units ParseBase2Bytes, which reads `KB` as `KiB` too. */
const UNIT_BYTES: Readonly<Record<string, number>> = { B: 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40, P: 2 ** 50, E: 2 ** 60 };

/**
 * A Container Linux Config's partition `size`/`start`: a size with a
 * base-2 unit (`512MiB`, `2GiB`, `1GiB512MiB`), which ct turns into whole MiB
 * and refuses otherwise (the partition is left out, as here).
 */
function clcDimension(ctx: ReaderContext, f: Fields, key: 'size' | 'start', item: InputItem): number | undefined {
  const text = f.string(key);
  if (text === undefined || text === '') return undefined;
  if (text === '0') return 0;
  const parts = [...text.matchAll(/([0-9]+(?:\.[0-9]+)?)(?:([KMGTPE])i?B|B)/g)];
  const bytes = parts.reduce((n, m) => n + Number(m[1]) * UNIT_BYTES[m[2] ?? 'B']!, 0);
  const whole = parts.map((m) => m[0]).join('') === text && parts.length > 0;
  if (!whole || bytes % 2 ** 20 !== 0) {
    const at = f.value(key)!;
    ctx.w.reject(
      item,
      'invalid-value',
      `${at.where} must be a size in whole MiB with a unit (e.g. \`512MiB\`, \`2GiB\`), found \`${text}\``,
      at.origin,
      'ct refuses any other size and leaves the partition out; write it with KiB, MiB or GiB.',
    );
    throw new Rejected();
  }
  return bytes / 2 ** 20;
}

function sectors(n: number | undefined): number | undefined {
  return n === undefined ? undefined : Math.round(n / SECTORS_PER_MIB);
}

export function readRaid(ctx: ReaderContext, nodes: readonly ConfigNode[]): RaidArray[] {
  return nodes.flatMap(
    (node) =>
      unlessRejected((): RaidArray[] => {
        const { w } = ctx;
        const item = w.entryItem('key', node, w.peek(node, 'name'));
        const f = w.fields(node, 'Raid', item);
        const name = required(ctx, f, item, 'name', 'Add `name`: the array is /dev/md/<name>.');
        const level = f.string('level') ?? '';
        const devices = f.strings('devices').map((d) => d.value);
        const spares = f.int('spares');
        const options = f.strings('options').map((o) => o.value);
        return [{ name, level, devices, ...(spares === undefined ? {} : { spares }), options, item }];
      }) ?? [],
  );
}

export function readKernelArguments(ctx: ReaderContext, node: ConfigNode): KernelArguments {
  const f = ctx.w.fields(node, 'KernelArguments', undefined);
  const read = (key: string): Located<string>[] =>
    ctx.w.listOf(f.field(key), undefined).flatMap((n) => {
      const item = ctx.ledger.item('key', n.label, n.origin);
      const value = n.asString();
      if (value === undefined || value === '') {
        ctx.w.reject(item, 'wrong-type', `${n.where} must be a kernel argument (a non-empty string), found ${n.describe()}`, n.origin, 'Write each argument as a string, e.g. "quiet".');
        return [];
      }
      return [{ value, item }];
    });
  return { shouldExist: read('shouldExist'), shouldNotExist: read('shouldNotExist') };
}

/** Butane `boot_device`: root on LUKS bound to TPM2/Tang, and/or mirrored boot disks. Kept as written. */
export function readBootDevice(ctx: ReaderContext, node: ConfigNode): BootDevice | undefined {
  return unlessRejected(() => {
    const { w } = ctx;
    const item = w.entryItem('key', node, undefined);
    const f = w.fields(node, 'BootDevice', item);
    const layout = nonEmpty(f.string('layout'));
    const luksNode = f.map('luks');
    let luks: BootDevice['luks'];
    if (luksNode) {
      const l = w.fields(luksNode, 'BootDeviceLuks', item);
      const clevis = readClevis(ctx, l);
      const discard = l.bool('discard');
      l.string('device');
      if (clevis) luks = { ...clevis, ...(discard === undefined ? {} : { discard }) };
    }
    const mirrorNode = f.map('mirror');
    const mirrorDevices = mirrorNode ? w.fields(mirrorNode, 'BootDeviceMirror', item).strings('devices').map((d) => d.value) : [];
    return { ...(layout === undefined ? {} : { layout }), ...(luks ? { luks } : {}), mirrorDevices, item };
  });
}

function required(ctx: ReaderContext, f: Fields, item: InputItem, key: string, hint: string): string {
  const value = f.string(key);
  if (value === undefined || value === '') {
    ctx.w.reject(item, 'missing-key', `${f.node.where} has no \`${ctx.w.spelled(key)}\``, f.node.origin, hint);
    throw new Rejected();
  }
  return value;
}

function readFormat(ctx: ReaderContext, f: Fields, item: InputItem, key: string): string | undefined {
  const format = nonEmpty(f.string(key));
  if (format === undefined || FILESYSTEM_FORMATS.includes(format)) return format;
  const at = f.value(key)!;
  ctx.w.reject(item, 'invalid-value', `${at.where} must be one of ${FILESYSTEM_FORMATS.join(', ')}, found \`${format}\``, at.origin, 'Ignition creates only these file systems.');
  throw new Rejected();
}

function optionalPath(ctx: ReaderContext, f: Fields, item: InputItem): string | undefined {
  const path = nonEmpty(f.string('path'));
  if (path === undefined) return undefined;
  if (!path.startsWith('/')) {
    const at = f.value('path')!;
    ctx.w.reject(item, 'invalid-value', `${at.where} must be an absolute path, found \`${path}\``, at.origin, 'Start the mount point with `/`.');
    throw new Rejected();
  }
  return posix.normalize(path);
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}
