import type { SecretKind } from '../../model/secret.ts';

/**
 * The tables secret detection runs on. Data only, so the docs can list what
 * nixport recognises, and adding a format is one entry.
 */

export { NOT_SECRET_SUFFIX, SECRET_NAME } from '../../model/secret.ts';

/** Values that are settings, not secrets, whatever the name: `PASSWORD_AUTH=false`. */
export const NOT_SECRET_VALUE = /^(true|false|yes|no|on|off|none|null|nil|0|1|-|\*|disabled|enabled|required|optional)$/i;

/**
 * Long command-line flags whose value is a password or token
 * (`--password=x`, `--requirepass x`, `--api-key x`). Flags naming a file
 * or reading stdin (`--password-file`, `--password-stdin`) do not match.
 */
export const SECRET_FLAG = /^--?(?!no-)([a-z0-9]+[-_])*(password|passwd|pass|secret|token|api[-_]?key|apikey|access[-_]?key|secret[-_]?key|private[-_]?key|requirepass|masterauth|auth[-_]?token|auth[-_]?key|credentials?)$/i;

/** Flags that match SECRET_FLAG but take a reference: Docker's and podman's `--secret id=x,src=path`. */
export const REFERENCE_FLAGS = new Set(['--secret', '--secrets', '--credentials']);

/** Programs whose `-pSECRET` (written together) is a password: the MySQL clients. */
export const ATTACHED_P_PASSWORD = new Set(['mysql', 'mysqladmin', 'mysqldump', 'mariadb', 'mariadb-dump', 'mariadb-admin']);

/** Programs whose `-u user:password` / `--user user:password` carries a password after the colon. */
export const USER_COLON_PASSWORD = new Set(['curl', 'wget']);

/**
 * Programs that read a password from standard input, and how: `lines` of
 * one password (repeated, as passwd and smbpasswd ask twice) or
 * `user:password` lines (chpasswd).
 */
export const PASSWORD_READERS: Readonly<Record<string, 'lines' | 'user-colon'>> = {
  passwd: 'lines',
  smbpasswd: 'lines',
  pdbedit: 'lines',
  chpasswd: 'user-colon',
  htpasswd: 'lines',
  'docker-login': 'lines',
};

/** Programs that print their arguments: what they print into a password reader is the password. */
export const PRINTERS = new Set(['echo', 'printf']);

export interface CredentialFormat {
  readonly name: string;
  readonly kind: SecretKind;
  /** Global regex; `value` names the group holding the secret (0: the whole match). */
  readonly pattern: RegExp;
  readonly group: number;
}

const B64 = 'A-Za-z0-9+/';
const CRYPT = './0-9A-Za-z';

/**
 * Known credential formats, looked for in every text: file contents,
 * command lines, environment values, labels. Each is specific enough that a
 * match is a secret, not a guess (tokens by their documented prefixes).
 */
export const CREDENTIAL_FORMATS: readonly CredentialFormat[] = [
  {
    name: 'PEM private key',
    kind: 'private-key',
    // \n may be written as an escape (a JSON service-account key, an environment value).
    pattern: /-----BEGIN ((?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?-----END \1-----/g,
    group: 0,
  },
  { name: 'AWS access key id', kind: 'token', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, group: 0 },
  { name: 'AWS secret access key', kind: 'token', pattern: /aws_secret_access_key\s*[=:]\s*["']?([A-Za-z0-9/+=]{40})\b/gi, group: 1 },
  { name: 'GitHub token', kind: 'token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g, group: 0 },
  { name: 'GitLab token', kind: 'token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/g, group: 0 },
  { name: 'Slack token', kind: 'token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, group: 0 },
  { name: 'Slack webhook', kind: 'token', pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]{20,}/g, group: 0 },
  { name: 'Google API key', kind: 'token', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g, group: 0 },
  { name: 'Azure storage account key', kind: 'token', pattern: new RegExp(`AccountKey=([${B64}]{60,}={0,2})`, 'g'), group: 1 },
  { name: 'Azure shared access signature', kind: 'token', pattern: /[?&]sig=([A-Za-z0-9%+/=]{20,})/g, group: 1 },
  { name: 'Stripe key', kind: 'token', pattern: /\b[rs]k_live_[0-9a-zA-Z]{24,}\b/g, group: 0 },
  { name: 'OpenAI key', kind: 'token', pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}\b/g, group: 0 },
  { name: 'SendGrid key', kind: 'token', pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g, group: 0 },
  { name: 'npm token', kind: 'token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g, group: 0 },
  { name: 'Docker Hub token', kind: 'token', pattern: /\bdckr_pat_[A-Za-z0-9_-]{20,}\b/g, group: 0 },
  { name: 'JSON Web Token', kind: 'token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, group: 0 },
  {
    name: 'password in a URL',
    kind: 'credentials',
    // scheme://user:password@host — the password stops at the last @ before the host.
    pattern: /\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s/:@'"]+:([^\s/@'"]+)@[^\s/@'"]/g,
    group: 1,
  },
  { name: 'Authorization header', kind: 'credentials', pattern: /\bAuthorization:\s*(?:Bearer|Basic|Token|Digest)\s+([A-Za-z0-9._~+/=-]{8,})/gi, group: 1 },
  { name: 'crypt(3) password hash', kind: 'password-hash', pattern: new RegExp(`\\$(?:1|5|6)\\$(?:rounds=\\d+\\$)?[${CRYPT}]{1,16}\\$[${CRYPT}]{22,86}`, 'g'), group: 0 },
  { name: 'yescrypt password hash', kind: 'password-hash', pattern: new RegExp(`\\$(?:y|gy|7)\\$[${CRYPT}]+\\$[${CRYPT}]+\\$[${CRYPT}]{43}`, 'g'), group: 0 },
  { name: 'bcrypt password hash', kind: 'password-hash', pattern: new RegExp(`\\$2[abxy]?\\$\\d{2}\\$[${CRYPT}]{53}`, 'g'), group: 0 },
  { name: 'htpasswd hash', kind: 'password-hash', pattern: new RegExp(`\\$\\$?apr1\\$\\$?[${CRYPT}]{1,8}\\$\\$?[${CRYPT}]{22}|\\{SHA\\}[${B64}]{27}=`, 'g'), group: 0 },
];

/**
 * A random-looking value: long, from a token alphabet, with high entropy.
 * Such values get a warning (it may be a secret nixport has no rule for),
 * never a guess.
 */
export const RANDOM_LOOKING = { minLength: 20, alphabet: /^[A-Za-z0-9+/=_.~-]+$/, bitsPerChar: 3.5 } as const;

/** Paths the old host's files could be secrets by: what lives there is key material. */
export const SECRET_PATHS = /(^|\/)(id_(rsa|dsa|ecdsa|ed25519)|ssh_host_[a-z0-9]+_key|[^/]*\.(key|p12|pfx|jks|keystore)|\.netrc|\.pgpass|\.htpasswd|htpasswd|shadow|gshadow|credentials|\.git-credentials)$/;

/** Public material that looks like key material: never a secret. */
export const PUBLIC_PATHS = /\.(pub|crt|cert)$|(^|\/)(authorized_keys|known_hosts)$/;
