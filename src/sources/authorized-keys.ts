/**
 * authorized_keys lines, read the way sshd(8) reads them (AUTHORIZED_KEYS
 * FILE FORMAT): optional comma-separated options, a key type, the base64 key,
 * an optional comment. Options matter for invariant 4 (a forced `command=`
 * or `from=` must survive), so each keeps its span in the line; the line
 * itself is kept byte for byte.
 */
import type { AuthorizedKey, KeyOption } from '../model/host.ts';
import type { InputItem, Ledger } from '../model/ledger.ts';
import type { Origin } from '../model/origin.ts';
import type { Contribution } from './types.ts';

export const KEY_TYPES: readonly string[] = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'ssh-dss',
  'ssh-ed25519-cert-v01@openssh.com',
  'ssh-rsa-cert-v01@openssh.com',
  'ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521-cert-v01@openssh.com',
  'sk-ssh-ed25519-cert-v01@openssh.com',
  'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'ssh-dss-cert-v01@openssh.com',
];

export interface KeyOptionSpec {
  /** Lower case; sshd compares option names case-insensitively. */
  readonly name: string;
  readonly takesValue: boolean;
  /** Narrows what the key may do; such options must never be lost (invariant 4). */
  readonly restricts: boolean;
}

export const KEY_OPTIONS: readonly KeyOptionSpec[] = [
  { name: 'agent-forwarding', takesValue: false, restricts: false },
  { name: 'cert-authority', takesValue: false, restricts: false },
  { name: 'command', takesValue: true, restricts: true },
  { name: 'environment', takesValue: true, restricts: false },
  { name: 'expiry-time', takesValue: true, restricts: true },
  { name: 'from', takesValue: true, restricts: true },
  { name: 'no-agent-forwarding', takesValue: false, restricts: true },
  { name: 'no-port-forwarding', takesValue: false, restricts: true },
  { name: 'no-pty', takesValue: false, restricts: true },
  { name: 'no-touch-required', takesValue: false, restricts: false },
  { name: 'no-user-rc', takesValue: false, restricts: true },
  { name: 'no-x11-forwarding', takesValue: false, restricts: true },
  { name: 'permitlisten', takesValue: true, restricts: true },
  { name: 'permitopen', takesValue: true, restricts: true },
  { name: 'port-forwarding', takesValue: false, restricts: false },
  { name: 'principals', takesValue: true, restricts: true },
  { name: 'pty', takesValue: false, restricts: false },
  { name: 'restrict', takesValue: false, restricts: true },
  { name: 'tunnel', takesValue: true, restricts: true },
  { name: 'user-rc', takesValue: false, restricts: false },
  { name: 'verify-required', takesValue: false, restricts: true },
  { name: 'x11-forwarding', takesValue: false, restricts: false },
];

/** Options sshd refuses to see twice on one line. */
const SINGLE_USE_OPTIONS = ['command', 'principals'];

/** Checks sshd makes on option values; a line that fails one is ignored by sshd. */
const VALUE_CHECKS: Readonly<Record<string, { readonly pattern: RegExp; readonly expected: string }>> = {
  environment: { pattern: /^[A-Za-z0-9_]+=/, expected: 'NAME=value' },
  'expiry-time': { pattern: /^\d{8}(\d{4}(\d{2})?)?Z?$/, expected: 'a time like 20301231 or 203012312359' },
  tunnel: { pattern: /^(\d+|any)$/, expected: 'a tun device number' },
};

export interface ParsedKeyLine {
  readonly ok: true;
  /** Names in lower case, values unquoted (`\"` becomes `"`, other backslashes stay). */
  readonly options: readonly KeyOption[];
  readonly keyType: string;
  readonly key: string;
  readonly comment?: string;
  /** 0-based offset of the key type in the line. */
  readonly keyTypeStart: number;
}

export interface KeyLineError {
  readonly ok: false;
  readonly message: string;
  /** 0-based offset in the line where the problem starts. */
  readonly offset: number;
  readonly hint?: string;
}

const SSH1_HINT = 'SSH protocol 1 keys are not accepted by OpenSSH since 7.4; generate a new key.';

const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r';

function skipBlanks(line: string, at: number): number {
  while (isBlank(line[at])) at++;
  return at;
}

function wordEnd(line: string, at: number): number {
  while (at < line.length && !isBlank(line[at])) at++;
  return at;
}

const fail = (message: string, offset: number, hint?: string): KeyLineError =>
  hint === undefined ? { ok: false, message, offset } : { ok: false, message, offset, hint };

/**
 * Parses one authorized_keys line. Like sshd, a line whose first word is a
 * key type has no options; otherwise the first word is the option list.
 */
export function parseAuthorizedKeyLine(line: string): ParsedKeyLine | KeyLineError {
  const start = skipBlanks(line, 0);
  if (start === line.length) return fail('expected a key, found an empty line', start);
  const newline = line.indexOf('\n');
  if (newline >= 0) return fail('a key line cannot span lines', newline, 'Put each key on a line of its own.');
  let at = start;
  let options: KeyOption[] = [];
  const first = line.slice(start, wordEnd(line, start));
  if (/^\d+$/.test(first)) return fail('this is an SSH protocol 1 key (bits exponent modulus)', start, SSH1_HINT);
  if (!KEY_TYPES.includes(first)) {
    const parsed = parseOptions(line, start);
    if (!parsed.ok) return parsed;
    options = parsed.options;
    at = skipBlanks(line, parsed.end);
    if (at === line.length) return fail('expected a key type after the options', at, 'e.g. `ssh-ed25519 AAAA...`');
  }
  const typeEnd = wordEnd(line, at);
  const keyType = line.slice(at, typeEnd);
  if (!KEY_TYPES.includes(keyType)) {
    const hint = /^\d+$/.test(keyType)
      ? SSH1_HINT
      : `Known key types: ${KEY_TYPES.slice(0, 8).join(', ')} and their -cert-v01@openssh.com forms.`;
    return fail(`unknown key type \`${keyType}\``, at, hint);
  }
  const keyStart = skipBlanks(line, typeEnd);
  const keyEnd = wordEnd(line, keyStart);
  const key = line.slice(keyStart, keyEnd);
  if (key === '') return fail(`expected the base64 key after \`${keyType}\``, keyStart);
  const bad = key.search(/[^A-Za-z0-9+/=]|=[^=]/);
  if (bad >= 0) {
    return fail('the key is not valid base64', keyStart + bad, 'Copy the key again from its .pub file; it may be cut or wrapped.');
  }
  const comment = line.slice(skipBlanks(line, keyEnd)).replace(/[ \t\r]+$/, '');
  return {
    ok: true,
    options,
    keyType,
    key,
    ...(comment === '' ? {} : { comment }),
    keyTypeStart: at,
  };
}

type OptionsResult = { readonly ok: true; readonly options: KeyOption[]; readonly end: number } | KeyLineError;

function parseOptions(line: string, start: number): OptionsResult {
  const options: KeyOption[] = [];
  let at = start;
  for (;;) {
    const nameStart = at;
    while (at < line.length && /[A-Za-z0-9-]/.test(line[at] ?? '')) at++;
    const spelled = line.slice(nameStart, at);
    const name = spelled.toLowerCase();
    const spec = KEY_OPTIONS.find((o) => o.name === name);
    if (!spec) {
      const word = line.slice(nameStart, wordEnd(line, nameStart));
      if (spelled === '') return fail('expected an option name', nameStart);
      const typo = word.includes('-') && !word.includes('=');
      return fail(`unknown key option \`${spelled}\``, nameStart, typo ? `If \`${word}\` is meant as a key type, sshd does not know it.` : undefined);
    }
    let value: string | undefined;
    if (spec.takesValue) {
      if (line[at] !== '=') return fail(`\`${spelled}\` needs a value: ${name}="..."`, at);
      if (line[at + 1] !== '"') return fail(`the value of \`${spelled}\` must be in double quotes`, at + 1);
      const quoted = readQuoted(line, at + 1);
      if (quoted === undefined) return fail(`the value of \`${spelled}\` has no closing quote`, at + 1);
      value = quoted.value;
      at = quoted.end;
      const check = VALUE_CHECKS[name];
      if (check && !check.pattern.test(value)) {
        return fail(`\`${spelled}\` expects ${check.expected}`, nameStart);
      }
      if (SINGLE_USE_OPTIONS.includes(name) && options.some((o) => o.name === name)) {
        return fail(`\`${spelled}\` is given twice; sshd refuses the key`, nameStart);
      }
    } else if (line[at] === '=') {
      return fail(`\`${spelled}\` takes no value`, at);
    }
    options.push(value === undefined ? { name, start: nameStart, end: at } : { name, value, start: nameStart, end: at });
    if (at >= line.length || isBlank(line[at])) return { ok: true, options, end: at };
    if (line[at] !== ',') return fail('expected `,` between options or a space before the key type', at);
    at++;
    // sshd tolerates a trailing comma before the key type.
    if (at >= line.length || isBlank(line[at])) return { ok: true, options, end: at };
  }
}

/** Reads `"..."` at `open`; sshd unescapes `\"` only. Returns the offset after the closing quote. */
function readQuoted(line: string, open: number): { value: string; end: number } | undefined {
  let value = '';
  for (let at = open + 1; at < line.length; at++) {
    const c = line[at];
    if (c === '\\' && line[at + 1] === '"') {
      value += '"';
      at++;
    } else if (c === '"') {
      return { value, end: at + 1 };
    } else {
      value += c;
    }
  }
  return undefined;
}

/** A short label for a key line's ledger item: its type and comment (or the key's tail). */
export function keyLabel(parsed: ParsedKeyLine): string {
  return `${parsed.keyType} ${parsed.comment ?? `…${parsed.key.slice(-8)}`}`;
}

/**
 * Turns a key line into an AuthorizedKey, or reports why it cannot: the
 * item is registered either way, and a bad line is settled unsupported with
 * an error diagnostic at its position (`at` maps a 0-based offset to the input).
 */
export function readKeyLine(
  ledger: Ledger,
  line: string,
  user: string,
  at: (offset: number) => Origin,
  fallbackLabel: string,
  parent?: InputItem,
): AuthorizedKey | undefined {
  const parsed = parseAuthorizedKeyLine(line);
  const origin = at(skipBlanks(line, 0));
  if (!parsed.ok) {
    const item = ledger.item('authorized-key', fallbackLabel, origin, parent);
    const message = `malformed authorized key for ${user}: ${parsed.message}`;
    const hint = parsed.hint ?? 'sshd ignores this line too; fix it or remove it.';
    ledger.report('error', 'authorized-keys/malformed', message, at(parsed.offset), hint);
    ledger.unsupported(item, message);
    return undefined;
  }
  const item = ledger.item('authorized-key', `${fallbackLabel} (${keyLabel(parsed)})`, origin, parent);
  if (parsed.keyType.startsWith('ssh-dss')) {
    ledger.report(
      'warning',
      'authorized-keys/dsa',
      `${user} has a DSA (ssh-dss) key: OpenSSH 9.8 disabled DSA and 10.0 removed it`,
      at(parsed.keyTypeStart),
      'Ask its owner for an ed25519 key before switching; NixOS ships an OpenSSH without DSA.',
    );
  }
  return {
    user,
    line,
    options: parsed.options,
    keyType: parsed.keyType,
    key: parsed.key,
    ...(parsed.comment === undefined ? {} : { comment: parsed.comment }),
    item,
  };
}

/**
 * Reads an authorized_keys file for `user`. Blank lines and `#` comments are
 * skipped; every other line is an item. Lines end at `\n`; a `\r` before it
 * belongs to the line ending, not to `line`.
 */
export function readAuthorizedKeys(path: string, text: string, user: string, ledger: Ledger): Contribution {
  const keys: AuthorizedKey[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const first = line.trimStart();
    if (first === '' || first.startsWith('#')) return;
    const at = (offset: number): Origin => ({ file: path, line: index + 1, column: offset + 1 });
    const key = readKeyLine(ledger, line, user, at, `line ${index + 1}`);
    if (key) keys.push(key);
  });
  return { format: 'authorized-keys', authorizedKeys: keys };
}
