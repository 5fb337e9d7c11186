import type { Ledger } from '../../model/ledger.ts';
import type { Origin } from '../../model/origin.ts';
import type { SecretFinding } from '../../model/secret.ts';

/**
 * Where secrets go (`--secrets`):
 * - files (default): plain files under /var/lib/secrets, copied to the host by hand;
 * - sops: sops-nix decrypts secrets/secrets.yaml to /run/secrets;
 * - agenix: agenix decrypts secrets/<name>.age to /run/agenix.
 */
export const SECRETS_MODES = ['files', 'sops', 'agenix'] as const;
export type SecretsMode = (typeof SECRETS_MODES)[number];

/** Where the files of the `files` mode live on the new host. */
export const FILES_DIR = '/var/lib/secrets';

/**
 * How the file's text is laid out:
 * - systemd-env: `NAME='value'` lines, as systemd's EnvironmentFile= reads them;
 * - docker-env: `NAME=value` lines, as `docker --env-file` reads them (no quoting);
 * - raw: the secret itself (a key file, a password hash).
 */
export type SecretFormat = 'systemd-env' | 'docker-env' | 'raw';

export interface SecretFileSpec {
  /** The name wanted; the store makes it unique and file-name safe. */
  readonly name: string;
  /** The plaintext; absent when the input did not hold it (a Compose secret's file): the user fills it in. */
  readonly content?: string | Uint8Array;
  readonly format: SecretFormat;
  /** Owner and group on the host (names, or numeric ids); root when absent. */
  readonly owner?: string;
  readonly group?: string;
  /** Permission bits; 0o400 when absent. */
  readonly mode?: number;
  /** Read while users are created (users.users.<name>.hashedPasswordFile). */
  readonly neededForUsers?: boolean;
  /** A path a program reads the secret at (a write_files path): the secret is linked there. */
  readonly installAt?: string;
  /** Units to restart when the secret changes (sops-nix restartUnits). */
  readonly restartUnits?: readonly string[];
  /** What reads it, for people: `the environment of samba.service`. */
  readonly purpose: string;
  readonly findings: readonly SecretFinding[];
  readonly origin: Origin;
}

export interface SecretFile extends SecretFileSpec {
  readonly name: string;
  /** Where the host has the file (its own path, not installAt). */
  readonly path: string;
  readonly mode: number;
}

/** A finding's fate: the option that refers to it now, and the file that holds it. */
export interface SecretMove {
  readonly finding: SecretFinding;
  readonly option: string;
  readonly file: string;
  readonly path: string;
}

/**
 * The secret files of one conversion. Strategies add a file per consumer
 * (a unit's environment, a container's environment file, a key file, a
 * password hash) and record which option refers to it; the secrets module
 * (strategies/host/secrets.ts) declares them, the layout writes their
 * plaintext to secrets.local/.
 */
export class SecretStore {
  readonly files: SecretFile[] = [];
  readonly moves: SecretMove[] = [];
  private readonly names = new Set<string>();
  private readonly reported = new Set<string>();

  constructor(
    readonly mode: SecretsMode,
    private readonly ledger: Ledger,
  ) {}

  /** Adds a secret file; the same content for the same purpose is stored once. */
  add(spec: SecretFileSpec): SecretFile {
    const same = this.files.find((f) => f.purpose === spec.purpose && sameContent(f.content, spec.content) && f.installAt === spec.installAt);
    if (same) return same;
    const name = this.uniqueName(spec.name);
    const file: SecretFile = { ...spec, name, mode: spec.mode ?? 0o400, path: pathOf(this.mode, name, spec.neededForUsers === true) };
    this.files.push(file);
    return file;
  }

  /** Records that `option` reads the finding from `file` now; each finding is reported once (not at all when `quiet`: the caller reports). */
  moved(finding: SecretFinding, option: string, file: SecretFile, options: { readonly quiet?: boolean } = {}): void {
    this.moves.push({ finding, option, file: file.name, path: file.installAt ?? file.path });
    if (options.quiet) this.reported.add(finding.id);
    if (this.reported.has(finding.id)) return;
    this.reported.add(finding.id);
    this.ledger.report(
      'warning',
      'secrets/moved',
      `${finding.what}: a secret (${KIND_WORDS[finding.kind]}); ${option} reads it from ${file.installAt ?? file.path} now, and its value is only in ${plaintextAt(this.mode, file)}`,
      finding.origin,
      MOVE_HINTS[this.mode],
    );
  }

  private uniqueName(wanted: string): string {
    const base = safeName(wanted);
    let name = base;
    for (let n = 2; this.names.has(name); n++) name = `${base}-${n}`;
    this.names.add(name);
    return name;
  }
}

/** A name that is a file name, a YAML key and a Nix attribute name alike: letters, digits, `.`, `_`, `-`. */
export function safeName(wanted: string): string {
  const cleaned = wanted.replace(/^\/+/, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '').replace(/\.\.+/g, '.').slice(0, 120);
  return cleaned === '' ? 'secret' : cleaned;
}

/** Where the plaintext of a secret file is in the output: sops gathers text secrets into one YAML file. */
export function plaintextAt(mode: SecretsMode, file: SecretFile): string {
  if (mode !== 'sops') return `secrets.local/${file.name}`;
  return file.content instanceof Uint8Array ? `secrets.local/${file.name}.bin` : `secrets.local/secrets.yaml (key ${file.name})`;
}

export function pathOf(mode: SecretsMode, name: string, neededForUsers: boolean): string {
  switch (mode) {
    case 'files':
      return `${FILES_DIR}/${name}`;
    case 'sops':
      // sops-nix's defaults (docs/nixos-facts.md, sops-nix).
      return neededForUsers ? `/run/secrets-for-users/${name}` : `/run/secrets/${name}`;
    case 'agenix':
      return `/run/agenix/${name}`;
  }
}

function sameContent(a: string | Uint8Array | undefined, b: string | Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined || typeof a === 'string' || typeof b === 'string') return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export const KIND_WORDS: Readonly<Record<SecretFinding['kind'], string>> = {
  variable: 'a variable whose name says secret',
  password: 'a password',
  'password-hash': 'a password hash',
  'private-key': 'a private key',
  token: 'an access token',
  credentials: 'credentials in a URL or header',
  file: 'a private file',
  declared: 'a declared secret',
};

const MOVE_HINTS: Readonly<Record<SecretsMode, string>> = {
  files: 'copy secrets.local/ to /var/lib/secrets on the new host (MIGRATION.md, manual steps), then delete secrets.local/',
  sops: 'encrypt secrets.local/secrets.yaml into secrets/secrets.yaml with sops (MIGRATION.md, manual steps), then delete secrets.local/',
  agenix: 'encrypt each file of secrets.local/ into secrets/<name>.age with agenix (MIGRATION.md, manual steps), then delete secrets.local/',
};

/**
 * The text of an environment file. systemd reads `NAME='value'` (single
 * quotes keep everything, line breaks too); a value with a `'` or a `\`
 * (which older systemd unescaped even in single quotes) is double quoted
 * with `\` before `"`, `\`, `` ` `` and `$`, read alike by old and new
 * versions (env-file.c). Docker's --env-file
 * takes `NAME=value` to the end of the line, nothing quoted, so a value
 * with a line break cannot be written there (undefined).
 */
export function environmentFile(format: 'systemd-env' | 'docker-env', variables: readonly { readonly name: string; readonly value: string }[]): string | undefined {
  const lines: string[] = [];
  for (const v of variables) {
    if (format === 'docker-env') {
      if (/[\n\r]/.test(v.value)) return undefined;
      lines.push(`${v.name}=${v.value}`);
    } else if (!v.value.includes("'") && !v.value.includes('\\')) {
      lines.push(`${v.name}='${v.value}'`);
    } else {
      lines.push(`${v.name}="${v.value.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`);
    }
  }
  return `${lines.join('\n')}\n`;
}
