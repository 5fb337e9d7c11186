import type { FileSystemPlan } from '../../model/analysis.ts';
import { list, str } from '../../nix/ast.ts';
import { OWNER, optionName, type BuildContext } from '../context.ts';
import { originComment } from '../values.ts';
import { carrySwap, ignitionFilesystemFor } from './filesystems.ts';

/** Post, N2: systemd mounts the data disks (fileSystems), instead of a `mount` in a oneshot. */
export function buildStorage(ctx: BuildContext): void {
  const { tree, ledger } = ctx;
  const planned = new Set<unknown>(carrySwap(ctx));
  for (const fs of ctx.analysis.mounts.fileSystems) {
    const base = ['fileSystems', fs.mountPoint];
    tree.define(OWNER.storage, [...base, 'device'], str(fs.device), [describe(fs)]);
    // The format Ignition created the file system with, when the unit does not say (Type=).
    const format = ignitionFilesystemFor(ctx, fs)?.format;
    const fsType = fs.fsType ?? (format === undefined || format === 'none' || format === 'swap' ? undefined : format);
    // fsType has no default since NixOS 26.05; "auto" lets mount(8) detect it, as the old `mount` did.
    tree.define(OWNER.storage, [...base, 'fsType'], str(fsType ?? 'auto'));
    // options must be non-empty in NixOS; without any, its default ["defaults"] applies.
    if (fs.options.length > 0) tree.define(OWNER.storage, [...base, 'options'], list(fs.options.map((o) => str(o))));
    planned.add(fs.from);
    if ('directives' in fs.from) {
      // A .mount unit: all of it is now this fileSystems entry, mounted at boot like every fstab entry.
      const unit = fs.from;
      ledger.carried(unit.item, optionName(base));
      for (const d of unit.directives) ledger.carriedTree(d.item, optionName(base));
      for (const dropIn of unit.dropIns) ledger.carried(dropIn.item, optionName(base), 'merged by systemd rules');
      for (const a of [unit.activation.command, unit.activation.enable, unit.activation.runtime, unit.activation.mask]) {
        if (a) ledger.carried(a.item, optionName(base), 'NixOS mounts every fileSystems entry at boot');
      }
    }
    if (!fsType) {
      ledger.manual({
        order: 30,
        title: `Check the file system type of ${fs.mountPoint}`,
        detail: `The old host mounted ${fs.device} on ${fs.mountPoint} without naming its type; nixport wrote fsType = "auto" so mount detects it. Set fileSystems."${fs.mountPoint}".fsType (e.g. "ext4") to be explicit.`,
        origin: fs.origin,
      });
    }
  }
  for (const unit of ctx.plan.storage) {
    if (planned.has(unit)) continue;
    ledger.unsupported(unit.item, `${unit.type} units are not carried yet`);
    for (const d of unit.directives) ledger.settleTree(d.item, { kind: 'unsupported', reason: `part of ${unit.name}, which is not carried` });
    for (const dropIn of unit.dropIns) ledger.unsupported(dropIn.item, `part of ${unit.name}, which is not carried`);
    for (const a of Object.values(unit.activation)) ledger.unsupported(a.item, `part of ${unit.name}, which is not carried`);
    ledger.report(
      'error',
      'storage/unit-not-carried',
      `${unit.name} is not carried`,
      unit.item.origin,
      unit.type === 'swap' ? 'declare it in swapDevices' : 'declare it in fileSystems (x-systemd.automount for automounts)',
    );
  }
}

function describe(fs: FileSystemPlan): string {
  const where = originComment(fs.origin);
  return 'directives' in fs.from
    ? `${fs.from.name}, from ${where}`
    : `Mounted by a \`mount\` step at ${where}; systemd mounts it now, after the unit that prepares the device.`;
}
