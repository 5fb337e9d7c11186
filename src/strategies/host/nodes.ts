/**
 * Ignition's `storage.directories` and `storage.links` on NixOS: tmpfiles
 * rules, applied at every boot and switch (tmpfiles.d(5)).
 *
 * - a directory is `d`: created when missing, mode and owner set each time,
 *   as Ignition set them on an existing directory too;
 * - a symbolic link is `L+` when Ignition replaced what was at the path
 *   (overwrite: true) and `L` otherwise: `L` creates the link only where
 *   nothing is, which is what `overwrite: false` meant. Ownership of a link
 *   means nothing to tmpfiles ("permissions and ownership on symlinks are
 *   ignored") and little to Linux;
 * - tmpfiles makes no hard links: a manual step.
 */
import type { HostLink } from '../../model/storage.ts';
import { str } from '../../nix/ast.ts';
import { OWNER, optionName, type BuildContext } from '../context.ts';
import { originComment } from '../values.ts';
import { octal } from './paths.ts';

export const DIRECTORIES_TMPFILES = 'nixport-directories';
export const LINKS_TMPFILES = 'nixport-links';

export function buildDirectories(ctx: BuildContext): void {
  for (const dir of ctx.host.storage.directories) {
    const base = ['systemd', 'tmpfiles', 'settings', DIRECTORIES_TMPFILES, dir.path, 'd'];
    const define = (key: string, value: string, comments?: readonly string[]) => ctx.tree.define(OWNER.files, [...base, key], str(value), comments);
    // Ignition's default directory mode is 0755, as tmpfiles' is.
    define('mode', dir.mode === undefined ? '0755' : octal(dir.mode), [`${dir.item.label}, from ${originComment(dir.item.origin)}`]);
    if (dir.owner !== undefined) define('user', dir.owner);
    if (dir.group !== undefined) define('group', dir.group);
    ctx.ledger.carriedTree(dir.item, optionName(base));
  }
}

export function buildLinks(ctx: BuildContext): void {
  for (const link of ctx.host.storage.links) {
    if (link.hard) hardLink(link, ctx);
    else symlink(link, ctx);
  }
}

function symlink(link: HostLink, ctx: BuildContext): void {
  const type = link.overwrite === true ? 'L+' : 'L';
  const base = ['systemd', 'tmpfiles', 'settings', LINKS_TMPFILES, link.path, type];
  const why = link.overwrite === true ? 'replaces what is at the path (overwrite: true)' : 'made only where nothing is yet (overwrite: false)';
  ctx.tree.define(OWNER.files, [...base, 'argument'], str(link.target), [`${link.item.label}, from ${originComment(link.item.origin)}: ${why}.`]);
  const owned = link.owner !== undefined || link.group !== undefined;
  ctx.ledger.carriedTree(link.item, optionName(base), owned ? 'the link is owned by root: tmpfiles ignores ownership of symlinks' : undefined);
}

function hardLink(link: HostLink, ctx: BuildContext): void {
  const title = `Create the hard link ${link.path}`;
  ctx.ledger.settle(link.item, { kind: 'manual', step: title });
  ctx.ledger.report(
    'warning',
    'files/hard-link',
    `${link.item.label}: ${link.path} is a hard link to ${link.target}; NixOS (tmpfiles) cannot declare hard links`,
    link.item.origin,
    'A symbolic link usually does; otherwise create it once by hand.',
  );
  ctx.ledger.manual({
    order: 45,
    title,
    detail: `Ignition made ${link.path} a hard link to ${link.target}. Run \`ln ${link.target} ${link.path}\` on the new host once ${link.target} exists, or declare a symbolic link instead (systemd.tmpfiles.settings.${LINKS_TMPFILES}."${link.path}".L.argument = "${link.target}").`,
    origin: link.item.origin,
  });
}
