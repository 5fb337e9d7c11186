/**
 * Ignition's `storage.luks` on NixOS. Which option depends on when the
 * volume must be open:
 *
 * - the volume that holds the root file system is opened by the initrd:
 *   boot.initrd.luks.devices.<name> (device, allowDiscards), and a Clevis
 *   binding becomes boot.initrd.clevis (which asserts that the device is one
 *   of boot.initrd.luks.devices, so it applies to this case only);
 * - every other volume was opened after the root by systemd-cryptsetup from
 *   /etc/crypttab, which Ignition wrote (`<name> UUID=... /etc/luks/<name>
 *   luks`); NixOS has no option for it, so nixport writes the same file with
 *   environment.etc.crypttab, which systemd reads at boot the same way.
 *
 * Key material is a secret: an inline key file never goes into the flake
 * (the Nix store is world-readable). Ignition copied the key to
 * /etc/luks/<name> on the old host; a manual step has it copied over.
 */
import type { LuksVolume } from '../../model/storage.ts';
import { attrs, bool, str } from '../../nix/ast.ts';
import { OWNER, optionName, type BuildContext } from '../context.ts';
import { originComment } from '../values.ts';
import { deviceAliases } from './filesystems.ts';

/** Where Ignition put key files on the old host (internal/distro: luksRealRootKeyFilePath). */
const KEY_DIR = '/etc/luks';

export function buildLuks(ctx: BuildContext): void {
  const lines: { line: string; volume: LuksVolume }[] = [];
  for (const volume of ctx.host.storage.luks) {
    if (holdsRoot(volume, ctx)) initrdVolume(volume, ctx);
    else lines.push({ line: crypttabLine(volume, ctx), volume });
  }
  if (lines.length === 0) return;
  const path = ['environment', 'etc', 'crypttab'];
  if (ctx.host.files.some((f) => f.path === '/etc/crypttab')) {
    for (const { volume } of lines) {
      ctx.ledger.unsupported(volume.item, 'the input also writes /etc/crypttab as a file; merge this volume into it by hand');
      ctx.ledger.report('error', 'storage/crypttab-twice', `${volume.item.label}: /etc/crypttab is also declared as a file`, volume.item.origin, `add the line \`${lines.find((l) => l.volume === volume)!.line}\` to that file`);
    }
    return;
  }
  ctx.tree.define(OWNER.storage, path, attrs([]), [
    'Volumes opened after the root file system, as Ignition listed them in /etc/crypttab;',
    'systemd-cryptsetup reads this file at boot.',
  ]);
  ctx.tree.define(OWNER.storage, [...path, 'mode'], str('0600'));
  ctx.tree.define(OWNER.storage, [...path, 'text'], str(`${lines.map((l) => l.line).join('\n')}\n`));
  for (const { volume } of lines) ctx.ledger.carried(volume.item, optionName(path), 'opened after the root file system, as on the old host');
}

/** Whether the root file system lives on this volume (Fedora CoreOS names it `root`, its volume `luks-root`). */
function holdsRoot(volume: LuksVolume, ctx: BuildContext): boolean {
  if (volume.label === 'luks-root') return true;
  const mapped = [`/dev/mapper/${volume.name}`, `/dev/disk/by-id/dm-name-${volume.name}`];
  return ctx.host.storage.filesystems.some(
    (fs) => deviceAliases(fs).some((d) => mapped.includes(d)) && (fs.path === '/' || (fs.path === undefined && fs.label === 'root')),
  );
}

function deviceOf(volume: LuksVolume): string {
  return volume.uuid ? `/dev/disk/by-uuid/${volume.uuid}` : volume.device;
}

function initrdVolume(volume: LuksVolume, ctx: BuildContext): void {
  const { tree, ledger } = ctx;
  const base = ['boot', 'initrd', 'luks', 'devices', volume.name];
  tree.define(OWNER.storage, [...base, 'device'], str(deviceOf(volume)), [
    `${volume.item.label}, from ${originComment(volume.item.origin)}: it holds the root file system, so the initrd opens it.`,
  ]);
  if (volume.discard) tree.define(OWNER.storage, [...base, 'allowDiscards'], bool(true));
  ledger.carried(volume.item, optionName(base), volume.clevis ? 'with boot.initrd.clevis' : undefined);
  ledger.manual({
    order: 12,
    title: `Check that the root volume ${volume.name} is opened once`,
    detail: `nixos-generate-config writes boot.initrd.luks.devices for the root volume into hardware-configuration.nix too, under a name of its own. Keep one of the two declarations of ${deviceOf(volume)} (nixport's is in storage.nix).`,
    origin: volume.item.origin,
  });
  const clevis = volume.clevis;
  if (clevis) {
    const secret = `/etc/clevis/${volume.name}.jwe`;
    tree.define(OWNER.storage, ['boot', 'initrd', 'clevis', 'enable'], bool(true), ['The old host unlocked the root volume with Clevis.']);
    if (clevis.tang.length > 0) tree.define(OWNER.storage, ['boot', 'initrd', 'clevis', 'useTang'], bool(true));
    tree.define(OWNER.storage, ['boot', 'initrd', 'clevis', 'devices', volume.name, 'secretFile'], str(secret), [
      'Made by hand before installing (see MIGRATION.md); it is copied into the initrd.',
    ]);
    ledger.manual({
      order: 10,
      title: `Make the Clevis secret for ${volume.name}`,
      detail:
        `NixOS's initrd unlocks ${volume.name} with a Clevis-encrypted copy of a LUKS passphrase (boot.initrd.clevis), not with the LUKS token Ignition bound. ` +
        `Before installing, add a passphrase to the volume (\`cryptsetup luksAddKey ${volume.device}\`) and encrypt it: ` +
        `\`echo -n '<passphrase>' | clevis encrypt ${clevisPin(clevis)} > ${secret}\` (on the machine, so a TPM2 pin binds its TPM).` +
        (clevis.tang.length > 0 ? ' Tang needs network in the initrd: set boot.initrd.network.enable (or boot.initrd.systemd.network) and the network driver in boot.initrd.availableKernelModules.' : ''),
      origin: volume.item.origin,
    });
  }
  if (volume.keyFile) keyFileStep(volume, ctx, 'The initrd cannot read a key file that lives on the root file system it unlocks; use a passphrase or Clevis for the root volume.');
}

function crypttabLine(volume: LuksVolume, ctx: BuildContext): string {
  const clevis = volume.clevis;
  const tpm2Only = clevis !== undefined && clevis.tpm2 && clevis.tang.length === 0 && clevis.custom === undefined;
  const network = clevis !== undefined && (clevis.tang.length > 0 || /"needsNetwork":true/.test(clevis.custom ?? ''));
  const options = ['luks', ...(volume.discard ? ['discard'] : []), ...(network ? ['_netdev'] : []), ...(tpm2Only ? ['tpm2-device=auto'] : [])];
  const device = volume.uuid ? `UUID=${volume.uuid}` : volume.device;
  const key = clevis ? 'none' : `${KEY_DIR}/${volume.name}`;
  if (clevis) clevisStep(volume, ctx, tpm2Only);
  else keyFileStep(volume, ctx);
  return `${volume.name} ${device} ${key} ${options.join(',')}`;
}

function keyFileStep(volume: LuksVolume, ctx: BuildContext, note?: string): void {
  const key = `${KEY_DIR}/${volume.name}`;
  const inline = volume.keyFile?.inline !== undefined;
  const remote = volume.keyFile?.remote;
  if (inline) {
    ctx.ledger.report(
      'warning',
      'storage/luks-key-in-config',
      `${volume.item.label}: the config holds the key of LUKS volume ${volume.name}; nixport keeps it out of the flake (the Nix store is world-readable)`,
      volume.item.origin,
      'Remove the key from the config once it is migrated, and rotate it if the config was shared.',
    );
  }
  ctx.ledger.manual({
    order: 10,
    title: `Copy the key of LUKS volume ${volume.name}`,
    detail:
      `Ignition kept the key of ${volume.name} in ${key} on the old host${remote ? ` (it fetched it from ${remote.url})` : inline ? ' (it came from the config)' : ' (Ignition generated it, as the config gave none)'}. ` +
      `Copy that file to ${key} on the new host with mode 0600, owned by root, before the first boot: \`install -D -m 0600 key ${key}\`. ` +
      'Never put it into the flake.' +
      (note ? ` ${note}` : ''),
    origin: volume.item.origin,
  });
}

function clevisStep(volume: LuksVolume, ctx: BuildContext, tpm2Only: boolean): void {
  ctx.ledger.report(
    'warning',
    'storage/clevis',
    `${volume.item.label}: ${volume.name} was unlocked by Clevis; ${tpm2Only ? 'the new host needs its own TPM2 enrollment' : 'NixOS unlocks volumes after the root only with systemd-cryptsetup, which has no Tang support'}`,
    volume.item.origin,
    'see the manual step',
  );
  ctx.ledger.manual({
    order: 50,
    title: `Set up automatic unlocking of ${volume.name}`,
    detail: tpm2Only
      ? `The Clevis TPM2 binding belongs to the old machine's TPM and to Clevis. crypttab now asks systemd for a TPM2 token (tpm2-device=auto): enroll one with \`systemd-cryptenroll --tpm2-device=auto ${volume.device}\` on the new host; until then it asks for a passphrase at boot.`
      : `The old host unlocked ${volume.name} with Clevis (${describeClevis(volume)}). NixOS opens it from crypttab without a key, so it asks for a passphrase at boot. To unlock it unattended, open it in the initrd instead (boot.initrd.luks.devices.${volume.name} with boot.initrd.clevis), or enroll a TPM2 token with systemd-cryptenroll.`,
    origin: volume.item.origin,
  });
}

function describeClevis(volume: LuksVolume): string {
  const c = volume.clevis!;
  const parts = [...c.tang.map((t) => `tang ${t.url}`), ...(c.tpm2 ? ['tpm2'] : []), ...(c.custom ? ['a custom pin'] : [])];
  return `${parts.join(', ')}${c.threshold !== undefined && c.threshold > 1 ? `, ${c.threshold} of them needed` : ''}`;
}

/** The `clevis encrypt` pin and config for a binding: `tpm2 '{}'`, `tang '{"url":...}'`, or `sss` for several. */
function clevisPin(c: NonNullable<LuksVolume['clevis']>): string {
  const pins: string[] = [...c.tang.map((t) => JSON.stringify({ url: t.url, ...(t.thumbprint ? { thp: t.thumbprint } : {}) })).map((j) => `tang:${j}`), ...(c.tpm2 ? ['tpm2:{}'] : [])];
  if (c.custom) return `<pin and config from ${c.custom}>`;
  if (pins.length === 1) {
    const [pin, ...config] = pins[0]!.split(':');
    return `${pin} '${config.join(':')}'`;
  }
  const tang = c.tang.map((t) => ({ url: t.url, ...(t.thumbprint ? { thp: t.thumbprint } : {}) }));
  return `sss '${JSON.stringify({ t: c.threshold ?? 1, pins: { ...(tang.length > 0 ? { tang } : {}), ...(c.tpm2 ? { tpm2: [{}] } : {}) } })}'`;
}
