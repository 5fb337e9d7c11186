import { isSecretName, type SecretKind } from '../../model/secret.ts';
import { readShell, type ShellWord, type SimpleCommand } from '../shell-words.ts';
import {
  ATTACHED_P_PASSWORD,
  CREDENTIAL_FORMATS,
  NOT_SECRET_VALUE,
  PASSWORD_READERS,
  PRINTERS,
  RANDOM_LOOKING,
  REFERENCE_FLAGS,
  SECRET_FLAG,
  USER_COLON_PASSWORD,
} from './patterns.ts';

/**
 * Secret detection on text, without knowing where the text came from: each
 * function returns spans of the text it was given. The pass (analyse.ts)
 * maps them back to input items and raw command lines.
 */

/** A secret at [start, end) of the text that was scanned. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly kind: SecretKind;
  /** What it is, for people, without the value: `DB_PASSWORD`, `GitHub token`, `password piped to smbpasswd`. */
  readonly what: string;
  /** Set when the secret is the value of `NAME=value`: the name, and where `=` is. */
  readonly name?: string;
  readonly equals?: number;
}

/** Whether `NAME=value` holds a secret: the name says so, and the value is a literal worth keeping out. */
export function isSecretAssignment(name: string, value: string): boolean {
  return isSecretName(name) && isLiteralSecretValue(value);
}

export { isSecretName } from '../../model/secret.ts';

/**
 * A value that is the secret itself: not empty, not a reference to another
 * variable (`$DB_PASS` is resolved elsewhere), not a path (the secret is in
 * that file), not a setting such as `false`.
 */
export function isLiteralSecretValue(value: string): boolean {
  if (value === '' || NOT_SECRET_VALUE.test(value)) return false;
  if (/^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$/.test(value)) return false;
  if (/^\/[^\s]*$/.test(value) && !value.includes(':')) return false;
  return true;
}

/**
 * A literal that each of CREDENTIAL_FORMATS needs in its match (`_` for the
 * `gh?_`, `npm_`, `[rs]k_live_`, `dckr_pat_` and `aws_secret_access_key`
 * prefixes, `$` for the password hashes). The coarser test in scanFormats
 * lets through every flag (`-`) and `host:port`, which then ran all the
 * regexes for nothing, for each word of every `Exec*=`.
 */
const FORMAT_LITERALS = /-----BEGIN|AKIA|ASIA|_|glpat-|xox[abposr]-|:\/\/|AIza|AccountKey=|sig=|sk-|SG\.|eyJ|authorization|\$|\{SHA\}/i;

/** Every credential of a known format in `text` (CREDENTIAL_FORMATS), leftmost first, not overlapping. */
export function scanFormats(text: string): Span[] {
  // Most texts hold none of the formats' anchors: a cheap test saves the regexes.
  if (!/[-$:{_]|AIza|AKIA|ASIA|eyJ|AccountKey|sig=|uthorization/.test(text) || !FORMAT_LITERALS.test(text)) return [];
  const out: Span[] = [];
  for (const format of CREDENTIAL_FORMATS) {
    format.pattern.lastIndex = 0;
    for (let m = format.pattern.exec(text); m !== null; m = format.pattern.exec(text)) {
      const value = m[format.group];
      if (value === undefined || value === '') continue;
      if (format.kind === 'credentials' && !isLiteralSecretValue(value)) continue;
      const start = m.index + (format.group === 0 ? 0 : m[0].indexOf(value));
      out.push({ start, end: start + value.length, kind: format.kind, what: format.name });
      if (m[0].length === 0) format.pattern.lastIndex++;
    }
  }
  return withoutOverlaps(out);
}

/**
 * `NAME=value` pairs in a word: the word itself (`DB_PASSWORD=x`, as
 * `env` and `docker -e` take it), after a flag (`--env=NAME=x`, `-eNAME=x`),
 * or in a comma-separated option list (`-o username=u,password=x`).
 */
export function assignmentSpans(word: string): Span[] {
  if (!word.includes('=')) return [];
  const out: Span[] = [];
  const prefix = /^(?:--[A-Za-z][\w-]*=|-[A-Za-z](?=[A-Za-z_]))/.exec(word);
  const body = prefix ? word.slice(prefix[0].length) : word;
  const offset = prefix ? prefix[0].length : 0;
  const whole = /^([A-Za-z_][A-Za-z0-9_.-]*)=([\s\S]*)$/.exec(body);
  if (whole && isSecretName(whole[1]!)) {
    if (isSecretAssignment(whole[1]!, whole[2]!)) {
      const equals = offset + whole[1]!.length;
      out.push({ start: equals + 1, end: word.length, kind: 'variable', what: whole[1]!, name: whole[1]!, equals });
    }
    return out;
  }
  // Option lists: each `key=value` between commas.
  let at = 0;
  for (const part of word.split(',')) {
    const m = /^([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/.exec(part);
    if (m && isSecretAssignment(m[1]!, m[2]!)) {
      const equals = at + m[1]!.length;
      out.push({ start: equals + 1, end: at + part.length, kind: 'password', what: m[1]!, name: m[1]!, equals });
    }
    at += part.length + 1;
  }
  return out;
}

/** A secret in one word of a command, with the index of the word. */
export interface WordSpan extends Span {
  readonly word: number;
}

/**
 * Secrets in the words of one command: `NAME=value` words, secret flags
 * (`--password=x`, `--requirepass x`), a few programs' own password
 * options (`mysql -pX`, `curl -u user:X`, `sshpass -p X`), and credentials
 * of a known format anywhere.
 */
export function commandSpans(words: readonly string[]): WordSpan[] {
  const out: WordSpan[] = [];
  const program = baseName(words[0] ?? '');
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const spans: Span[] = [...assignmentSpans(w)];
    const flag = /^(--?[A-Za-z][\w-]*)(=([\s\S]*))?$/.exec(w);
    if (flag && SECRET_FLAG.test(flag[1]!) && !REFERENCE_FLAGS.has(flag[1]!)) {
      if (flag[3] !== undefined) {
        if (isLiteralSecretValue(flag[3])) spans.push({ start: flag[1]!.length + 1, end: w.length, kind: 'password', what: `${flag[1]}=` });
      } else if (i + 1 < words.length && flag[1]!.startsWith('--') && isLiteralSecretValue(words[i + 1]!) && !words[i + 1]!.startsWith('-')) {
        out.push({ word: i + 1, start: 0, end: words[i + 1]!.length, kind: 'password', what: `${flag[1]} <value>` });
      }
    }
    if (program === 'docker' && w === '-p' && words.includes('login') && i + 1 < words.length) {
      out.push({ word: i + 1, start: 0, end: words[i + 1]!.length, kind: 'password', what: 'docker login -p <password>' });
    }
    if (ATTACHED_P_PASSWORD.has(program) && /^-p.+/.test(w) && isLiteralSecretValue(w.slice(2))) {
      spans.push({ start: 2, end: w.length, kind: 'password', what: `${program} -p<password>` });
    }
    if (USER_COLON_PASSWORD.has(program)) {
      const user = /^(?:-u|--user=?)$/.test(w) ? words[i + 1] : /^-u(.+)$/.exec(w)?.[1] ?? /^--user=(.+)$/.exec(w)?.[1];
      if (user !== undefined) {
        const word = /^(?:-u|--user)$/.test(w) ? i + 1 : i;
        const text = words[word]!;
        const colon = text.indexOf(':', text.length - user.length);
        if (colon >= 0 && isLiteralSecretValue(text.slice(colon + 1))) out.push({ word, start: colon + 1, end: text.length, kind: 'password', what: `${program} --user user:<password>` });
      }
    }
    if (program === 'sshpass' && w === '-p' && i + 1 < words.length) {
      out.push({ word: i + 1, start: 0, end: words[i + 1]!.length, kind: 'password', what: 'sshpass -p <password>' });
    } else if (program === 'sshpass' && /^-p.+/.test(w)) {
      spans.push({ start: 2, end: w.length, kind: 'password', what: 'sshpass -p<password>' });
    }
    if (program === 'htpasswd' && /^-[a-zA-Z]*b/.test(words[1] ?? '') && i === words.length - 1 && i >= 3) {
      spans.push({ start: 0, end: w.length, kind: 'password', what: 'htpasswd -b password' });
    }
    spans.push(...scanFormats(w));
    for (const s of withoutOverlaps(spans)) out.push({ ...s, word: i });
  }
  return dedupeWordSpans(out);
}

/** A secret found in a shell script: [start, end) of the script text. */
export type ScriptSpan = Span;

/**
 * Secrets in a shell script (a `sh -c` payload, a forced command): those
 * of each command's words and assignments, and the passwords that `echo`
 * or `printf` pipe into passwd, chpasswd or smbpasswd (the post's
 * `echo "secret\nsecret" | smbpasswd -a -s user`).
 */
export function scriptSpans(script: string): ScriptSpan[] {
  const shell = readShell(script);
  const commands = [...shell.commands].sort((a, b) => startOf(a) - startOf(b));
  const out: ScriptSpan[] = [];
  const assigned = new Map<string, ShellWord>();
  for (const command of commands) {
    for (const a of command.assignments) {
      const eq = a.text.indexOf('=');
      const name = a.text.slice(0, eq);
      assigned.set(name, a);
      out.push(...located(script, a, assignmentSpans(`${name}=${a.literal?.slice(eq + 1) ?? unquote(a.text.slice(eq + 1))}`)));
    }
    const words = command.words.map((w) => w.literal ?? w.text);
    for (const s of commandSpans(words)) {
      const word = command.words[s.word]!;
      out.push(...located(script, word, [{ ...s }], words[s.word]!));
    }
  }
  out.push(...pipedPasswords(script, commands, assigned));
  return withoutOverlaps(out);
}

/** The passwords printed into a password reader's standard input. */
function pipedPasswords(script: string, commands: readonly SimpleCommand[], assigned: ReadonlyMap<string, ShellWord>): ScriptSpan[] {
  const out: ScriptSpan[] = [];
  for (const [ci, reader] of commands.entries()) {
    const program = readerOf(reader);
    if (!program) continue;
    const how = PASSWORD_READERS[program]!;
    for (let pi = ci - 1; pi >= 0; pi--) {
      const printer = commands[pi]!;
      if (!pipesInto(script, commands, pi, ci)) continue;
      const name = baseName(printer.words[0]?.literal ?? '');
      if (!PRINTERS.has(name)) continue;
      for (const word of printer.words.slice(1)) {
        const text = word.literal ?? unquote(word.text);
        if (/^-[neE]+$/.test(text)) continue;
        // `$NAME` in the printed text: the password is the variable's literal value.
        for (const ref of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)) {
          const a = assigned.get(ref[1]!);
          if (!a) continue;
          const eq = a.text.indexOf('=');
          const value = a.literal?.slice(eq + 1) ?? unquote(a.text.slice(eq + 1));
          if (isLiteralSecretValue(value)) out.push(...located(script, a, [{ start: eq + 1, end: eq + 1 + value.length, kind: 'password', what: `password piped to ${program}` }], `${a.text.slice(0, eq)}=${value}`));
        }
        if (text.includes('$')) continue;
        for (const password of printedPasswords(text, how)) {
          let from = 0;
          for (let at = text.indexOf(password, from); at >= 0 && password !== ''; at = text.indexOf(password, from)) {
            out.push(...located(script, word, [{ start: at, end: at + password.length, kind: 'password', what: `password piped to ${program}` }], text));
            from = at + password.length;
          }
        }
      }
    }
  }
  return out;
}

/** The program a command runs when it reads passwords from stdin: `smbpasswd`, or `docker-login` for `docker login --password-stdin`. */
function readerOf(command: SimpleCommand): string | undefined {
  const words = command.words.map((w) => w.literal ?? '');
  const program = baseName(words[0] ?? '');
  if (program === 'docker' && words.includes('login') && words.includes('--password-stdin')) return 'docker-login';
  if (program === 'passwd' && !words.includes('--stdin')) return undefined;
  if (program === 'htpasswd' && !words.some((w) => /^-[a-zA-Z]*i/.test(w))) return undefined;
  return PASSWORD_READERS[program] !== undefined ? program : undefined;
}

/**
 * Whether the printer at `from` feeds the reader at `to` through pipes:
 * between them (other commands of the pipeline left out) there is a `|`
 * and no `&&`, `||` or line break; a `;` only inside a group that closes
 * before the pipe (`(echo a; echo a) | smbpasswd`).
 */
function pipesInto(script: string, commands: readonly SimpleCommand[], from: number, to: number): boolean {
  let ops = '';
  let at = endOf(commands[from]!);
  for (let k = from + 1; k <= to; k++) {
    // A command inside the one before (`$(...)` in an argument) is part of it.
    if (startOf(commands[k]!) < at) continue;
    // Between two commands: the operators that join them (`|`, `;`, `&&`, parentheses).
    const between = script.slice(at, startOf(commands[k]!)).replace(/[^|;&()\n]/g, '');
    if (/&|\|\|/.test(between)) return false;
    ops += between === '' ? ' ' : between;
    at = endOf(commands[k]!);
  }
  // The reader is piped into, and every `;` (or line break) lies in a group closed before it.
  if (!/\|\(*$/.test(ops)) return false;
  let depth = 0;
  const open: number[] = [];
  for (const c of ops) {
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      while (open.length > 0 && open[open.length - 1]! > depth) open.pop();
    } else if (c === ';' || c === '\n') open.push(depth);
    else if (c === ' ') return false;
  }
  return open.length === 0;
}

/**
 * What a printed text gives a password reader: `lines` readers read one
 * password per line (the same one twice, to confirm); `user-colon` readers
 * `user:password` per line. `\n` is a line break whether the shell or echo
 * turns it into one.
 */
export function printedPasswords(text: string, how: 'lines' | 'user-colon'): string[] {
  const lines = text.split(/\\n|\n/).map((l) => l.replace(/\\c$/, '')).filter((l) => l !== '');
  const passwords = how === 'lines' ? lines : lines.map((l) => l.slice(l.indexOf(':') + 1)).filter((_, i) => lines[i]!.includes(':'));
  return [...new Set(passwords.filter(isLiteralSecretValue))];
}

/** Whether a value looks random enough to be a secret nixport has no rule for (a warning, not a finding). */
/** Words joined by separators (`/srv/data/photos`, `Europe/Berlin`, `media.example.org`): paths and names, which random strings never are. */
function madeOfWords(value: string): boolean {
  return value.split(/[/._~-]+/).every((part) => part === '' || /^([a-z]+|[A-Z][a-z]+|[0-9]{1,4})$/.test(part));
}

export function looksRandom(value: string): boolean {
  if (value.length < RANDOM_LOOKING.minLength || !RANDOM_LOOKING.alphabet.test(value)) return false;
  if (/^[0-9.]+$/.test(value) || madeOfWords(value)) return false;
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits >= RANDOM_LOOKING.bitsPerChar;
}

/**
 * Spans of a word's value, placed in the script: the value is found in the
 * word's text as written (quotes and all); spans whose text is written
 * differently there (escapes inside the secret) are left out.
 */
function located(script: string, word: ShellWord, spans: readonly Span[], value?: string): ScriptSpan[] {
  const text = value ?? word.literal ?? word.text;
  const out: ScriptSpan[] = [];
  for (const s of spans) {
    const secret = text.slice(s.start, s.end);
    if (secret === '') continue;
    // The k-th occurrence in the value is the k-th in the script (`echo "pw\npw"` holds it twice).
    let k = 0;
    for (let i = text.indexOf(secret); i >= 0 && i < s.start; i = text.indexOf(secret, i + secret.length)) k++;
    let at = script.indexOf(secret, word.start);
    for (; k > 0 && at >= 0; k--) at = script.indexOf(secret, at + secret.length);
    if (at < 0 || at + secret.length > word.end) continue;
    out.push({ ...s, start: at, end: at + secret.length, ...(s.equals !== undefined ? { equals: at - (s.start - s.equals) } : {}) });
  }
  return out;
}

function startOf(command: SimpleCommand): number {
  return Math.min(command.words[0]?.start ?? Infinity, command.assignments[0]?.start ?? Infinity);
}

function endOf(command: SimpleCommand): number {
  const last = command.words[command.words.length - 1] ?? command.assignments[command.assignments.length - 1];
  return last?.end ?? 0;
}

/** Removes one level of shell quotes from an assignment value written `"x"` or `'x'`. */
function unquote(text: string): string {
  const m = /^(["'])([\s\S]*)\1$/.exec(text);
  return m ? m[2]! : text;
}

export function baseName(program: string): string {
  return program.slice(program.lastIndexOf('/') + 1);
}

/** Leftmost-longest spans, none overlapping another. */
export function withoutOverlaps<T extends { readonly start: number; readonly end: number }>(spans: readonly T[]): T[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: T[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) continue;
    out.push(s);
  }
  return out;
}

function dedupeWordSpans(spans: readonly WordSpan[]): WordSpan[] {
  const byWord = new Map<number, WordSpan[]>();
  for (const s of spans) byWord.set(s.word, [...(byWord.get(s.word) ?? []), s]);
  return [...byWord.keys()].sort((a, b) => a - b).flatMap((w) => withoutOverlaps(byWord.get(w)!));
}
