import type { DockerFlag } from './docker.ts';
import type { AuthorizedKey, HostFile, User } from './host.ts';
import type { InputItem } from './ledger.ts';
import type { Origin } from './origin.ts';
import type { Directive, EnvAssignment } from './unit.ts';

/**
 * Invariant 3: secrets never reach the Nix store. These are the model's
 * words for them; src/passes/secrets finds them, the strategies move each
 * one to a file outside the store and refer to it by path.
 */

/** Variable names that say their value is a secret (`DB_PASSWORD`, `GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`). */
export const SECRET_NAME = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|AUTH_?KEY|CREDENTIALS?|_PASS$|^PASS$|_PW$|^PW$|_PWD$)/i;

/**
 * Names that mention a secret but hold something else: where it is
 * (`POSTGRES_PASSWORD_FILE`, Docker's convention for secrets), how it is
 * made or checked (`PASSWORD_MIN_LENGTH`, `TOKEN_TTL`), or whether it is on.
 */
export const NOT_SECRET_SUFFIX =
  /_(FILE|FILES|PATH|DIR|DIRECTORY|LOCATION|URL_FILE|LENGTH|LEN|MIN|MAX|MIN_LENGTH|MAX_LENGTH|TTL|LIFETIME|EXPIRY|EXPIRES|EXPIRE|EXPIRATION|TIMEOUT|ENABLED|ENABLE|DISABLED|DISABLE|REQUIRED|REQUIRE|ALGORITHM|ALGO|HASH_ALGORITHM|ROUNDS|COST|TYPE|FORMAT|METHOD|MODE|HEADER|NAME|ID|USER|USERNAME|POLICY|STRENGTH|RESET|CMD|COMMAND|ENV)$/i;

/**
 * Whether a variable's name says it holds a secret: the one rule for every
 * stage (readers redact labels with it, the secrets pass and the recipes
 * decide with it).
 */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET_SUFFIX.test(name);
}

/** What kind of secret a finding is; the report groups by it. */
export type SecretKind =
  /** The value of a variable whose name says it is secret (`DB_PASSWORD=...`). */
  | 'variable'
  /** A password given on a command line or piped into passwd/chpasswd/smbpasswd. */
  | 'password'
  /** A crypt(3) password hash (`$6$...`), an htpasswd line. */
  | 'password-hash'
  /** Key material: a PEM private key block. */
  | 'private-key'
  /** An API token or cloud access key in a known format. */
  | 'token'
  /** User and password in a URL (`https://user:pass@host`) or an Authorization header. */
  | 'credentials'
  /** A file the old host kept unreadable for other users, or whose content holds a secret. */
  | 'file'
  /** A secret an input declared as such (Compose `secrets:`). */
  | 'declared';

/**
 * One secret found in the input. `value` is the plaintext: it goes to
 * `secrets.local/` and nowhere else, and is never printed.
 */
export interface SecretFinding {
  /** Stable within one conversion: `s1`, `s2`, ... in input order. */
  readonly id: string;
  readonly kind: SecretKind;
  /** What was found, for people, without the value: `Environment=DB_PASSWORD`, `PEM private key`. */
  readonly what: string;
  readonly value: string;
  /**
   * The value with what surrounds it in the input (`DB_PASSWORD=hunter2`):
   * what a leak check looks for when the value alone is too short or too
   * common to tell from ordinary text.
   */
  readonly context: string;
  readonly origin: Origin;
  /** The input item that held it (a directive, a flag, a file, a user). */
  readonly item: InputItem;
  /**
   * The value also appears in the input where it is no secret (a user name,
   * a host name): its appearing in the output proves nothing, only its
   * context does.
   */
  readonly shared?: boolean;
}

/**
 * A secret an input declares by name (Compose `secrets:`): the Compose
 * reader registers it here, and containers name it in `secrets` (see
 * StandaloneContainer). Its content is known when the input gave the file.
 */
export interface HostSecret {
  /** The name the input gives it (`db_password`). */
  readonly name: string;
  /** The plaintext, when the input holds it; absent when only the old host had the file. */
  readonly content?: string | Uint8Array;
  /** Where the old host kept it, when the input says (`./secrets/db.txt`, resolved). */
  readonly sourcePath?: string;
  readonly item: InputItem;
}

/** A container's use of a declared secret: the file appears read-only at `target` inside it. */
export interface SecretMount {
  /** HostSecret.name */
  readonly secret: string;
  /** Path inside the container; Compose's default is `/run/secrets/<name>`. */
  readonly target: string;
  /** Owner and mode of the file as Compose long syntax gives them. */
  readonly uid?: string;
  readonly gid?: string;
  readonly mode?: number;
  readonly item: InputItem;
}

/** A replacement of [start, end) of a directive's raw text. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** A variable a unit's secret environment file sets (systemd's EnvironmentFile= format). */
export interface SecretVariable {
  readonly name: string;
  readonly value: string;
  readonly finding: SecretFinding;
}

/**
 * What the secrets pass found, and how each consumer reads the secret
 * instead of holding it. Nothing here is a path: where a secret file lives
 * depends on --secrets, which the strategies apply (SecretStore).
 */
export interface SecretAnalysis {
  /** Every secret, in input order. */
  readonly findings: readonly SecretFinding[];
  /**
   * Exec*= directive -> edits of its raw text: a secret `-e NAME=value`
   * becomes `-e NAME` (docker takes NAME from its environment), any other
   * secret becomes `${NIXPORT_SECRET_n}`, which systemd expands from the
   * unit's environment when it runs the command: the argv is unchanged.
   * binaries.ts applies them with its own edits.
   */
  readonly execEdits: ReadonlyMap<Directive, readonly TextEdit[]>;
  /** Exec*= or Environment= directive -> the variables its unit's secret environment file must set when it is carried. */
  readonly variables: ReadonlyMap<Directive, readonly SecretVariable[]>;
  /** Environment= directive holding a secret -> the assignments that stay in the configuration. */
  readonly keptAssignments: ReadonlyMap<Directive, readonly EnvAssignment[]>;
  /** SetCredential=ID:VALUE -> the credential id and its secret (carried as LoadCredential=ID:<file>). */
  readonly credentials: ReadonlyMap<Directive, { readonly id: string; readonly finding: SecretFinding }>;
  /** write_files / storage.files whose content is secret. */
  readonly files: ReadonlyMap<HostFile, SecretFinding>;
  /** Users whose password hash is a secret (hashedPasswordFile). */
  readonly users: ReadonlyMap<User, SecretFinding>;
  /** Authorized keys with a secret in an option. */
  readonly keys: ReadonlyMap<AuthorizedKey, readonly SecretFinding[]>;
  /** `-e NAME=value` flags (units and standalone containers) whose value is secret. */
  readonly flags: ReadonlyMap<DockerFlag, SecretFinding>;
  /** Declared secrets (Compose) by name, with the finding for those whose content the input holds. */
  readonly declared: ReadonlyMap<string, { readonly secret: HostSecret; readonly finding?: SecretFinding }>;
}

