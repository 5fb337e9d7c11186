/**
 * The file cases only Ignition (and Butane) have:
 *
 * - contents fetched from a URL at provisioning: never fetched here, a manual
 *   step names the URL and its hash;
 * - fragments appended to a file the OS already had: environment.etc can only
 *   declare whole files, and tmpfiles `w+` appends at every boot and every
 *   switch (tmpfiles.d(5): "the line will be appended"; the rules are re-run
 *   by systemd-tmpfiles-resetup), so the file would grow each time: a manual
 *   step, with the fragment;
 * - an entry without contents, which only set the mode and owner of an
 *   existing file or created an empty one: tmpfiles `f`, which creates the
 *   file when it is missing and otherwise leaves its content alone.
 */
import type { HostFile } from '../../model/host.ts';
import { str } from '../../nix/ast.ts';
import { OWNER, optionName, type BuildContext } from '../context.ts';
import { originComment } from '../values.ts';
import { FILES_TMPFILES, nixosManaged, octal } from './paths.ts';

/** Fragments longer than this are not quoted in a manual step. */
const MAX_QUOTED = 2000;

/** NixOS options for files Ignition configs often append to. */
const APPEND_HINTS: Readonly<Record<string, string>> = {
  '/etc/hosts': 'networking.extraHosts',
  '/etc/profile': 'environment.shellInit',
  '/etc/bashrc': 'programs.bash.interactiveShellInit',
  '/etc/sysctl.conf': 'boot.kernel.sysctl',
  '/etc/fstab': 'fileSystems',
  '/etc/ssh/sshd_config': 'services.openssh.settings or services.openssh.extraConfig',
  '/etc/resolv.conf': 'networking.nameservers',
};

export function carryRemoteFile(file: HostFile, ctx: BuildContext): void {
  const remote = file.remote!;
  const title = `Fetch ${file.path} from ${remote.url}`;
  ctx.ledger.settle(file.item, { kind: 'manual', step: title });
  const check = remote.verification ? ` and check it against ${remote.verification}` : ' (the config gave no hash to check it against)';
  ctx.ledger.report(
    'warning',
    'files/remote',
    `${file.path} was fetched from ${remote.url} at provisioning; nixport does not fetch it`,
    file.item.origin,
    'Download it once and declare it in the flake (see the manual step).',
  );
  ctx.ledger.manual({
    order: 35,
    title,
    detail:
      `Ignition downloaded ${file.path} from ${remote.url} when it provisioned the old host. Download it now${check}, or copy it from the old host, ` +
      `and declare it: ${file.path.startsWith('/etc/') ? `environment.etc."${file.path.slice('/etc/'.length)}".source` : `a systemd.tmpfiles rule for ${file.path}`}` +
      `${file.mode === undefined ? '' : ` (mode ${octal(file.mode)})`}. Keep it out of the flake if it holds secrets.`,
    origin: file.item.origin,
  });
}

export function carryAppendedFile(file: HostFile, ctx: BuildContext): void {
  const title = `Append to ${file.path} by hand`;
  ctx.ledger.settle(file.item, { kind: 'manual', step: title });
  const option = APPEND_HINTS[file.path] ?? nixosManaged(file.path)?.[1];
  ctx.ledger.report(
    'warning',
    'files/append',
    `${file.item.label} appended to the ${file.path} the OS had; NixOS declares whole files, so it is not carried`,
    file.item.origin,
    option ? `Express the appended lines with ${option}.` : 'Declare the whole file (the OS part and the fragment), or add the lines where the program reads them.',
  );
  const fragment =
    file.text === undefined
      ? `${file.content.length} bytes of binary data`
      : file.text.length > MAX_QUOTED
        ? `${file.text.length} characters (see ${originComment(file.item.origin)})`
        : `these lines:\n\n\`\`\`\n${file.text.replace(/\n$/, '')}\n\`\`\``;
  ctx.ledger.manual({
    order: 35,
    title,
    detail:
      `Ignition appended to ${file.path}, keeping what the OS had there. NixOS cannot append to a file at every boot without duplicating the lines ` +
      `(tmpfiles \`w+\` appends again on each boot and switch), so nixport leaves it out. ` +
      `${option ? `Use ${option} for it. ` : 'Declare the whole file with the OS part and the addition. '}The fragment was ${fragment}`,
    origin: file.item.origin,
  });
}

/** tmpfiles `f`: create the file if it is missing, set mode and owner, keep existing content. */
export function ensureFile(file: HostFile, ctx: BuildContext): void {
  const base = ['systemd', 'tmpfiles', 'settings', FILES_TMPFILES, file.path, 'f'];
  const define = (key: string, value: string, comments?: readonly string[]) => ctx.tree.define(OWNER.files, [...base, key], str(value), comments);
  const comment = [`${file.item.label}, from ${originComment(file.item.origin)}: no contents; created empty if missing, its content kept.`];
  define('mode', file.mode === undefined ? '-' : octal(file.mode), comment);
  if (file.owner !== undefined) define('user', file.owner);
  if (file.group !== undefined) define('group', file.group);
  ctx.ledger.carriedTree(file.item, optionName(base), 'created empty when missing; an existing file keeps its content, as with Ignition');
}
