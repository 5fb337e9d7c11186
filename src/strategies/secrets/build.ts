import { attrs, bool, int, list, path, str, type NixExpr } from '../../nix/ast.ts';
import { FILES_DIR, type SecretFile, type SecretsMode } from '../../passes/secrets/index.ts';
import { OWNER, optionName, optionSegment, type BuildContext } from '../context.ts';
import { octal } from '../host/paths.ts';

/**
 * Declares the secret files the consumers read (secrets.nix), by --secrets:
 *
 * - files: nothing decrypts them; tmpfiles makes /var/lib/secrets (0711),
 *   fixes each file's owner and mode at boot (`z`), and links a file read
 *   at another path there (`L+`);
 * - sops: `sops.secrets.<name>` from secrets/secrets.yaml, with owner,
 *   group, mode, `path` for a file read elsewhere, `neededForUsers` for a
 *   password hash, and the units to restart when it changes;
 * - agenix: `age.secrets.<name>` from secrets/<name>.age, likewise.
 *
 * Option names and defaults are sops-nix's modules/sops/default.nix and
 * agenix's modules/age.nix (docs/nixos-facts.md, "Secrets").
 */
export function buildSecrets(ctx: BuildContext): void {
  const files = ctx.secrets.files;
  if (files.length === 0) return;
  switch (ctx.secrets.mode) {
    case 'files':
      return plainFiles(ctx, files);
    case 'sops':
      return sops(ctx, files);
    case 'agenix':
      return agenix(ctx, files);
  }
}

/** The tmpfiles.d file (systemd.tmpfiles.settings.<name>) of the secret files. */
export const SECRETS_TMPFILES = 'nixport-secrets';

/** Where the sops file of a host lives in the flake, relative to its modules. */
export const SOPS_FILE = 'secrets/secrets.yaml';

/** The option that declares a secret file, for the report and the ledger. */
export function secretOption(mode: SecretsMode, file: SecretFile): string {
  switch (mode) {
    case 'files':
      return optionName(['systemd', 'tmpfiles', 'settings', SECRETS_TMPFILES, file.installAt ?? file.path]);
    case 'sops':
      return `sops.secrets.${optionSegment(file.name)}`;
    case 'agenix':
      return `age.secrets.${optionSegment(file.name)}`;
  }
}

/** Binary content: sops keeps it in a file of its own (format binary); everything else is a key of secrets.yaml. */
export function isBinarySecret(file: SecretFile): boolean {
  // A secret the input did not hold (content undefined) is a key to fill in in secrets.yaml, not a binary file.
  return file.content instanceof Uint8Array;
}

function plainFiles(ctx: BuildContext, files: readonly SecretFile[]): void {
  const base = ['systemd', 'tmpfiles', 'settings', SECRETS_TMPFILES];
  const o = OWNER.secrets;
  ctx.tree.define(o, [...base, FILES_DIR, 'd'], attrs([]), [
    '--secrets files: plain files outside the Nix store, copied here by hand (MIGRATION.md, "Secrets").',
    'Others may pass through the directory (0711) to files they own, not list it.',
  ]);
  ctx.tree.define(o, [...base, FILES_DIR, 'd', 'mode'], str('0711'));
  ctx.tree.define(o, [...base, FILES_DIR, 'd', 'user'], str('root'));
  ctx.tree.define(o, [...base, FILES_DIR, 'd', 'group'], str('root'));
  for (const file of files) {
    const at = [...base, file.path, 'z'];
    ctx.tree.define(o, at, attrs([]), [`${file.purpose}: owner and mode set at every boot.`]);
    ctx.tree.define(o, [...at, 'mode'], str(octal(file.mode)));
    ctx.tree.define(o, [...at, 'user'], str(file.owner ?? 'root'));
    ctx.tree.define(o, [...at, 'group'], str(file.group ?? 'root'));
    if (file.installAt !== undefined) {
      ctx.tree.define(o, [...base, file.installAt, 'L+', 'argument'], str(file.path), [`${file.installAt} reads the secret file.`]);
    }
  }
}

function sops(ctx: BuildContext, files: readonly SecretFile[]): void {
  const o = OWNER.secrets;
  ctx.tree.define(o, ['sops', 'defaultSopsFile'], path(`./${SOPS_FILE}`), [
    '--secrets sops: sops-nix decrypts these with the host\'s SSH key (sops.age.sshKeyPaths) at activation.',
    `${SOPS_FILE} is made from secrets.local/ (MIGRATION.md, "Secrets"); the flake does not build before it exists.`,
  ]);
  for (const file of files) {
    const at = ['sops', 'secrets', file.name];
    const options: [string, NixExpr][] = [];
    if (isBinarySecret(file)) {
      options.push(['format', str('binary')], ['sopsFile', path(`./secrets/${file.name}.bin`)]);
    }
    if (file.installAt !== undefined) options.push(['path', str(file.installAt)]);
    if (file.neededForUsers) options.push(['neededForUsers', bool(true)]);
    else options.push(...ownership(file, 'sops'));
    if (file.mode !== 0o400) options.push(['mode', str(octal(file.mode))]);
    if (file.restartUnits && file.restartUnits.length > 0) options.push(['restartUnits', list(file.restartUnits.map((u) => str(u)))]);
    ctx.tree.define(o, at, attrs([]), [`${file.purpose}.`]);
    for (const [k, v] of options) ctx.tree.define(o, [...at, k], v);
  }
}

function agenix(ctx: BuildContext, files: readonly SecretFile[]): void {
  const o = OWNER.secrets;
  for (const [i, file] of files.entries()) {
    const at = ['age', 'secrets', file.name];
    ctx.tree.define(o, at, attrs([]), [
      ...(i === 0 ? ['--secrets agenix: agenix decrypts these with the host\'s SSH key (age.identityPaths) at activation.', 'Each secrets/<name>.age is made from secrets.local/ (MIGRATION.md, "Secrets").'] : []),
      `${file.purpose}.`,
    ]);
    ctx.tree.define(o, [...at, 'file'], path(`./secrets/${file.name}.age`));
    if (file.installAt !== undefined) ctx.tree.define(o, [...at, 'path'], str(file.installAt));
    for (const [k, v] of ownership(file, 'agenix')) ctx.tree.define(o, [...at, k], v);
    if (file.mode !== 0o400) ctx.tree.define(o, [...at, 'mode'], str(octal(file.mode)));
  }
}

/**
 * Owner and group: sops-nix takes names (owner, group) or ids (uid, gid),
 * agenix strings of either; root is both tools' default and left out.
 */
function ownership(file: SecretFile, tool: 'sops' | 'agenix'): [string, NixExpr][] {
  const out: [string, NixExpr][] = [];
  const isId = (x: string) => /^\d+$/.test(x);
  const root = (x: string | undefined) => x === undefined || x === 'root' || x === '0';
  if (!root(file.owner)) out.push(tool === 'sops' && isId(file.owner!) ? ['uid', int(Number(file.owner))] : ['owner', str(file.owner!)]);
  if (!root(file.group)) out.push(tool === 'sops' && isId(file.group!) ? ['gid', int(Number(file.group))] : ['group', str(file.group!)]);
  return out;
}

/**
 * The manual steps that put the plaintext of secrets.local/ where the host
 * reads it, by mode, and delete the folder afterwards. Before switching:
 * a unit whose EnvironmentFile= is missing does not start.
 */
export function secretSteps(ctx: BuildContext): void {
  const files = ctx.secrets.files;
  if (files.length === 0) return;
  const host = ctx.hostName;
  const missing = files.filter((f) => f.content === undefined);
  const listed = files.map((f) => `\`${f.name}\` (${f.purpose})`).join(', ');
  const fill = missing.length > 0 ? ` First fill in what the input did not hold: ${missing.map((f) => `secrets.local/${f.name} (${f.purpose})`).join(', ')}, from the old host.` : '';
  const order = 30;
  switch (ctx.secrets.mode) {
    case 'files':
      ctx.ledger.manual({
        order,
        title: `Copy the secrets to ${FILES_DIR} on the new host`,
        detail:
          `secrets.local/ holds the plaintext of ${files.length} secret file(s): ${listed}. Nothing in the flake holds them.${fill} ` +
          `Copy them as root, readable by root only: \`ssh root@${host} 'install -d -m 0711 ${FILES_DIR}'\`, then for each file ` +
          `\`ssh root@${host} 'umask 077; cat > ${FILES_DIR}/NAME' < secrets.local/NAME\` (tmpfiles sets each one's owner and mode at boot). ` +
          'Then delete the folder: `rm -rf secrets.local` (it is git-ignored, but a copy of the flake directory made without git would take it along).',
      });
      break;
    case 'sops':
      ctx.ledger.manual({
        order,
        title: `Encrypt the secrets with sops into ${SOPS_FILE}`,
        detail:
          `secrets.local/secrets.yaml holds the plaintext of ${files.length} secret(s): ${listed}.${fill} ` +
          'Put your own age key and the host\'s into .sops.yaml (`age-keygen -y ~/.config/sops/age/keys.txt`; `ssh-keyscan -t ed25519 ' + host + ' | ssh-to-age`, once the host has its SSH key), ' +
          `then \`cp secrets.local/secrets.yaml ${SOPS_FILE} && sops --encrypt --in-place ${SOPS_FILE}\`` +
          (files.some(isBinarySecret) ? ' (binary secrets: `cp secrets.local/NAME.bin secrets/NAME.bin && sops --encrypt --in-place secrets/NAME.bin`)' : '') +
          `, \`git add ${SOPS_FILE}\` (a flake sees tracked files only), and delete the plaintext: \`rm -rf secrets.local\`. ` +
          `${SOPS_FILE}.template lists the keys without values. On a first install the host has no SSH key yet: make one beforehand and give it to nixos-anywhere with --extra-files, or deploy again once its key is in .sops.yaml (\`sops updatekeys ${SOPS_FILE}\`).`,
      });
      break;
    case 'agenix':
      ctx.ledger.manual({
        order,
        title: 'Encrypt the secrets with agenix into secrets/<name>.age',
        detail:
          `secrets.local/ holds the plaintext of ${files.length} secret file(s): ${listed}.${fill} ` +
          `Put your SSH public key and the host's (\`ssh-keyscan -t ed25519 ${host}\`) into secrets/secrets.nix, then ` +
          '`cd secrets && for f in ../secrets.local/*; do agenix -e "$(basename "$f").age" < "$f"; done` (agenix copies standard input when it is not a terminal), ' +
          '`git add secrets/*.age` (a flake sees tracked files only), and delete the plaintext: `rm -rf secrets.local`. ' +
          'On a first install the host has no SSH key yet: make one beforehand and give it to nixos-anywhere with --extra-files, or deploy again once its key is in secrets/secrets.nix (`agenix -r`).',
      });
      break;
  }
}
