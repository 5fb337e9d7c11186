/**
 * The output files of invariant 3, beside a host's modules:
 *
 * - secrets.local/: the plaintext of every secret file, mode 0600, in a
 *   directory the writer makes 0700, git-ignored (.gitignore), to be
 *   encrypted or copied to the host and then deleted (MIGRATION.md);
 * - --secrets sops: .sops.yaml (who may decrypt, keys to fill in) and
 *   secrets/secrets.yaml.template (the keys, without values);
 * - --secrets agenix: secrets/secrets.nix, the agenix CLI's rules.
 *
 * Nothing else of the flake holds a secret's value.
 */
import { Document, isMap, isScalar } from 'yaml';
import { attrs, bind, letIn, list, str, v } from '../nix/ast.ts';
import { printFile } from '../nix/print.ts';
import { leakedIn, type SecretFile, type SecretStore } from '../passes/secrets/index.ts';
import type { SecretFinding } from '../model/secret.ts';
import { isBinarySecret, SOPS_FILE } from '../strategies/secrets/build.ts';
import type { OutputFile } from './index.ts';
import { KEEP_HINT } from './keep.ts';

/** The directory of plaintext secrets in the output; never committed, never in the store. */
export const SECRETS_LOCAL = 'secrets.local';

/** Mode of every file in secrets.local/ (the directory itself is 0700, see cli/write.ts). */
export const SECRET_FILE_MODE = 0o600;

/** Whether an output path is inside a secrets.local/ directory (a host's, in a fleet). */
export function isSecretPath(path: string): boolean {
  return path === SECRETS_LOCAL || path.startsWith(`${SECRETS_LOCAL}/`) || path.includes(`/${SECRETS_LOCAL}/`);
}

/** The files for one host's secrets, under `dir` ('' or `hosts/<name>/`). */
export function secretOutputFiles(store: SecretStore, dir: string, hostName: string): OutputFile[] {
  const files = store.files;
  if (files.length === 0) return [];
  const local = (name: string, content: string | Uint8Array): OutputFile => ({ path: `${dir}${SECRETS_LOCAL}/${name}`, content, mode: SECRET_FILE_MODE });
  switch (store.mode) {
    case 'files':
    case 'agenix': {
      const out = files.filter((f) => f.content !== undefined).map((f) => local(f.name, f.content!));
      if (store.mode === 'agenix') out.push({ path: `${dir}secrets/secrets.nix`, content: agenixRules(files, hostName) });
      return out;
    }
    case 'sops': {
      const text = files.filter((f) => !isBinarySecret(f));
      const out: OutputFile[] = [];
      if (text.length > 0) out.push(local('secrets.yaml', sopsYaml(text, true)));
      for (const f of files) if (f.content instanceof Uint8Array) out.push(local(`${f.name}.bin`, f.content));
      out.push({ path: `${dir}.sops.yaml`, content: sopsRules(hostName) });
      if (text.length > 0) out.push({ path: `${dir}${SOPS_FILE}.template`, content: sopsYaml(text, false) });
      return out;
    }
  }
}

/**
 * secrets.yaml for sops: one key per secret file, its plaintext the value
 * (`withValues`), or empty in the template. A secret the input did not hold
 * is an empty value to fill in.
 */
export function sopsYaml(files: readonly SecretFile[], withValues: boolean): string {
  const doc = new Document(Object.fromEntries(files.map((f) => [f.name, withValues && typeof f.content === 'string' ? f.content : ''])));
  if (isMap(doc.contents)) {
    for (const [i, pair] of doc.contents.items.entries()) {
      const f = files[i]!;
      if (isScalar(pair.key)) pair.key.commentBefore = ` ${f.purpose}${f.content === undefined ? ': fill in from the old host' : ''}`;
    }
  }
  const head = withValues
    ? `# PLAINTEXT secrets of this host. Encrypt into ${SOPS_FILE} with sops, then delete this folder (MIGRATION.md).\n`
    : `# The keys of ${SOPS_FILE}, without values: \`sops ${SOPS_FILE}\` edits the encrypted file.\n# ${KEEP_HINT}\n`;
  return head + doc.toString({ lineWidth: 0 });
}

/** .sops.yaml: the rule for this host's secrets, with placeholder keys to replace. */
function sopsRules(hostName: string): string {
  const host = hostName.replace(/[^A-Za-z0-9_]/g, '_');
  return [
    '# Who can decrypt the secrets under secrets/ (sops finds this file from the directory it runs in).',
    `# Once your keys are in, make "# nixport: keep" the first line: \`nixport convert --update\` then leaves it alone.`,
    `# ${KEEP_HINT}`,
    '# Replace both keys before encrypting: your own age key (age-keygen -y ~/.config/sops/age/keys.txt),',
    `# and the host's, from its SSH host key (ssh-keyscan -t ed25519 ${hostName} | ssh-to-age).`,
    'keys:',
    '  - &admin age1-REPLACE-with-your-age-public-key',
    `  - &host_${host} age1-REPLACE-with-the-age-key-of-${hostName}`,
    'creation_rules:',
    '  - path_regex: secrets/[^/]+\\.(yaml|json|env|ini|bin)$',
    '    key_groups:',
    '      - age:',
    '          - *admin',
    `          - *host_${host}`,
    '',
  ].join('\n');
}

/** secrets/secrets.nix: the agenix CLI's rules, one entry per .age file, with placeholder keys to replace. */
function agenixRules(files: readonly SecretFile[], hostName: string): string {
  const expr = letIn(
    [
      bind(['admin'], str('ssh-ed25519 REPLACE-with-your-SSH-public-key'), ['Your SSH public key: you encrypt and edit the secrets.']),
      bind(['host'], str(`ssh-ed25519 REPLACE-with-the-host-key-of-${hostName}`), [`The host's SSH host key: \`ssh-keyscan -t ed25519 ${hostName}\`.`]),
      bind(['keys'], list([v('admin'), v('host')])),
    ],
    attrs(files.map((f) => bind([`${f.name}.age`, 'publicKeys'], v('keys'), [f.purpose]))),
  );
  return printFile(expr, [
    "agenix's rules (RULES for the agenix CLI, not a NixOS module): who can decrypt each secret.",
    'Replace both keys, then encrypt each file of ../secrets.local/ as MIGRATION.md says.',
    'Once your keys are in, make "# nixport: keep" the first line: `nixport convert --update` then leaves it alone.',
    KEEP_HINT,
  ]);
}

/**
 * Invariant 3, checked on the very bytes: no file but those of
 * secrets.local/ holds a secret found in the input. The build replaced
 * every one it could not move, so a hit here is a nixport bug; nothing is
 * written rather than a secret.
 */
export function assertNoSecrets(files: readonly OutputFile[], findings: readonly SecretFinding[]): void {
  if (findings.length === 0) return;
  for (const f of files) {
    if (isSecretPath(f.path)) continue;
    const text = typeof f.content === 'string' ? f.content : new TextDecoder().decode(f.content);
    const hit = leakedIn(text, findings)[0];
    if (hit) throw new Error(`nixport bug: a secret (${hit.what}, ${hit.origin.file}:${hit.origin.line}) reached ${f.path}; nothing was written`);
  }
}
