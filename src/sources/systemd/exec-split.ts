import type { ExecWord } from '../../model/unit.ts';
import { isBlank, logicalText } from './logical.ts';

/**
 * Splits an `Exec*=` value the way systemd does (systemd.service(5), "Command
 * lines"; src/core/load-fragment.c config_parse_exec with extract_first_word
 * and EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE):
 *
 * - words are separated by blanks; `"..."` and `'...'` quote anywhere in a
 *   word (`a"b c"d` is one word `ab cd`);
 * - backslash escapes work inside and outside both kinds of quotes: C escapes
 *   (`\n`, `\t`, `\"`, `\\`, `\s` for a space, `\xHH`, `\NNN`, `\uHHHH`,
 *   `\UHHHHHHHH`); an unknown escape is kept as written, as systemd does after
 *   warning about it;
 * - the first word may start with the prefixes `-@:+!` (`!!`), and `|` (systemd 258);
 * - a lone `\;` word is a literal `;`; a lone unquoted `;` would start a second
 *   command, which nixport does not split (see below);
 * - `$VAR`, `${VAR}` and `%` specifiers stay in the words as written: systemd
 *   expands them later, at run time.
 *
 * It reads `raw` with its line structure: a backslash-newline continuation is
 * a blank between words (and a space inside quotes, like systemd's joined line),
 * and comment lines inside a continuation are skipped.
 */

export interface ExecSplitNote {
  readonly message: string;
  /** Offset in `raw`. */
  readonly offset: number;
}

export interface ExecSplit {
  /** Prefixes as written, e.g. `-` or `+@`. */
  readonly prefixes: string;
  /** words[0] is the program, without the prefixes. Empty for an empty value. */
  readonly words: ExecWord[];
  /** Things systemd warns about but accepts (unknown escapes). */
  readonly warnings: readonly ExecSplitNote[];
}

export interface ExecSplitError {
  readonly error: string;
  /** Offset in `raw` of the character at fault. */
  readonly offset: number;
  readonly hint: string;
}

export function splitExec(raw: string): ExecSplit | ExecSplitError {
  // A value on one line (the usual case) is its own logical text, each character at its own offset.
  const logical = raw.includes('\n') ? logicalText(raw) : undefined;
  const text = logical?.text ?? raw;
  const at = (i: number): number =>
    logical ? (logical.offsets[i] ?? raw.length) : i >= 0 && i < raw.length ? i : raw.length;
  const warnings: ExecSplitNote[] = [];
  const words: ExecWord[] = [];

  let pos = skipBlanks(text, 0);
  while (pos < text.length) {
    if (words.length > 0 && isLoneChar(text, pos, ';')) {
      const next = skipBlanks(text, pos + 1);
      if (onlySemicolonsLeft(text, next)) break; // a trailing `;` ends the one command there is
      return {
        error: 'a lone `;` starts a second command on the same line, which nixport does not split',
        offset: at(pos),
        hint: 'write each command on its own `Exec...=` line (they run in the same order), or write `\\;` for a literal `;` argument',
      };
    }
    if (words.length > 0 && text[pos] === '\\' && isLoneChar(text, pos + 1, ';')) {
      words.push({ value: ';', start: at(pos), end: at(pos + 1) + 1, offsets: [at(pos + 1)] });
      pos = skipBlanks(text, pos + 2);
      continue;
    }

    const word = readWord(text, pos, at, warnings);
    if ('error' in word) return word;
    words.push(word.word);
    pos = skipBlanks(text, word.next);
  }

  if (words.length === 0) return { prefixes: '', words, warnings };
  return splitPrefixes(words, warnings);
}

function skipBlanks(text: string, pos: number): number {
  while (pos < text.length && isBlank(text[pos])) pos++;
  return pos;
}

/** `c` at `pos`, standing alone: followed by a blank or the end. */
function isLoneChar(text: string, pos: number, c: string): boolean {
  return text[pos] === c && (pos + 1 === text.length || isBlank(text[pos + 1]));
}

function onlySemicolonsLeft(text: string, pos: number): boolean {
  for (let p = pos; p < text.length; p = skipBlanks(text, p + 1)) {
    if (!isLoneChar(text, p, ';')) return false;
  }
  return true;
}

type WordResult = { readonly word: ExecWord; readonly next: number } | ExecSplitError;

function readWord(text: string, begin: number, at: (i: number) => number, warnings: ExecSplitNote[]): WordResult {
  let value = '';
  const offsets: number[] = [];
  let quote: '"' | "'" | undefined;
  let quoteAt = begin;
  let pos = begin;
  /** Copies the characters from `from` up to the next one that `stops`, at once rather than one by one; returns where it stopped. */
  const copyPlain = (from: number, stops: (c: string) => boolean): number => {
    let end = from + 1;
    while (end < text.length && !stops(text[end] as string)) end++;
    value += text.slice(from, end);
    for (let k = from; k < end; k++) offsets.push(at(k));
    return end;
  };

  while (pos < text.length) {
    const c = text[pos] as string;
    if (c === '\\') {
      if (pos + 1 === text.length) {
        if (quote) break; // reported as an unclosed quote below
        // A trailing backslash outside quotes is kept (systemd warns and relaxes).
        warnings.push({ message: 'a trailing `\\` is kept as written', offset: at(pos) });
        value += c;
        offsets.push(at(pos));
        pos++;
        continue;
      }
      const escape = unescapeOne(text, pos + 1);
      if (escape) {
        value += escape.value;
        for (let i = 0; i < escape.value.length; i++) offsets.push(at(pos));
        pos += 1 + escape.length;
      } else {
        const next = text[pos + 1] as string;
        warnings.push({ message: `unknown escape \`\\${next}\` is kept as written`, offset: at(pos) });
        value += c + next;
        offsets.push(at(pos), at(pos + 1));
        pos += 2;
      }
      continue;
    }
    if (quote) {
      if (c === quote) {
        quote = undefined;
        pos++;
      } else {
        pos = copyPlain(pos, (d) => d === quote || d === '\\');
      }
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      quoteAt = pos;
      pos++;
      continue;
    }
    if (isBlank(c)) break;
    pos = copyPlain(pos, (d) => d === '\\' || d === '"' || d === "'" || isBlank(d));
  }

  if (quote) {
    // A quote as the very last character usually means an earlier, unescaped
    // quote already closed the string its author meant to end here.
    const last = quoteAt === text.length - 1;
    return {
      error: last
        ? `the quote \`${quote}\` at the end opens a new quoted string that is never closed`
        : `the quote \`${quote}\` is never closed`,
      offset: at(quoteAt),
      hint: last
        ? `an earlier unescaped \`${quote}\` already ended the quoted argument; write quotes inside it as \`\\${quote}\``
        : `close it with a matching \`${quote}\` on the same logical line, or escape it as \`\\${quote}\``,
    };
  }
  return { word: { value, start: at(begin), end: at(pos - 1) + 1, offsets }, next: pos };
}

/**
 * One C escape after a backslash, as systemd's cunescape_one reads it, or
 * undefined when systemd does not know it. Bytes given as `\xHH` or `\NNN`
 * become the code point of the same number (U+0080..U+00FF for high bytes).
 */
export function unescapeOne(text: string, pos: number): { value: string; length: number } | undefined {
  const c = text[pos];
  const simple = c === undefined ? undefined : SIMPLE_ESCAPES[c];
  if (simple !== undefined) return { value: simple, length: 1 };
  switch (c) {
    case 'x': {
      const n = readDigits(text, pos + 1, 2, 16);
      return n === undefined || n === 0 ? undefined : { value: String.fromCharCode(n), length: 3 };
    }
    case 'u': {
      const n = readDigits(text, pos + 1, 4, 16);
      return n === undefined || n === 0 ? undefined : { value: String.fromCharCode(n), length: 5 };
    }
    case 'U': {
      const n = readDigits(text, pos + 1, 8, 16);
      return n === undefined || n === 0 || !isValidCodePoint(n) ? undefined : { value: String.fromCodePoint(n), length: 9 };
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      const n = readDigits(text, pos, 3, 8);
      return n === undefined || n === 0 || n > 255 ? undefined : { value: String.fromCharCode(n), length: 3 };
    }
    default:
      return undefined;
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
  s: ' ',
};

function readDigits(text: string, pos: number, count: number, radix: 8 | 16): number | undefined {
  let n = 0;
  for (let i = 0; i < count; i++) {
    const d = digitValue(text[pos + i], radix);
    if (d === undefined) return undefined;
    n = n * radix + d;
  }
  return n;
}

function digitValue(c: string | undefined, radix: 8 | 16): number | undefined {
  if (c === undefined) return undefined;
  const pattern = radix === 8 ? /^[0-7]$/ : /^[0-9a-fA-F]$/;
  return pattern.test(c) ? parseInt(c, radix) : undefined;
}

/** systemd's unichar_is_valid: no surrogates, no non-characters, nothing past U+10FFFF. */
function isValidCodePoint(n: number): boolean {
  if (n >= 0x110000) return false;
  if ((n & 0xfffff800) === 0xd800) return false;
  if (n >= 0xfdd0 && n <= 0xfdef) return false;
  return (n & 0xfffe) !== 0xfffe;
}

/**
 * Takes the prefixes off the first word, by systemd's rules: each of `-`, `@`,
 * `:` and `|` at most once; one of `+`, `!` or `!!`, which exclude each other.
 * They may come in any order (`@-` and `-@` alike).
 */
function splitPrefixes(words: ExecWord[], warnings: readonly ExecSplitNote[]): ExecSplit | ExecSplitError {
  const first = words[0] as ExecWord;
  const seen = new Set<string>();
  let privilege: '' | '+' | '!' | '!!' = '';
  let k = 0;
  for (; k < first.value.length; k++) {
    const c = first.value[k] as string;
    if ((c === '-' || c === '@' || c === ':' || c === '|') && !seen.has(c)) seen.add(c);
    else if (c === '+' && privilege === '') privilege = '+';
    else if (c === '!' && (privilege === '' || privilege === '!')) privilege = privilege === '' ? '!' : '!!';
    else break;
  }
  const prefixes = first.value.slice(0, k);
  const program = first.value.slice(k);
  if (program === '') {
    return {
      error: prefixes === '' ? 'the program is empty' : `no program after the prefixes \`${prefixes}\``,
      offset: first.start,
      hint: 'write the program right after the prefixes, without a blank: `ExecStart=-/usr/bin/foo`',
    };
  }
  if (seen.has('@') && words.length < 2) {
    return {
      error: 'the `@` prefix takes the next word as argv[0], but there is none',
      offset: first.end,
      hint: 'give argv[0] after the program (`@/usr/bin/foo foo --flag`), or drop the `@`',
    };
  }
  const stripped: ExecWord =
    k === 0
      ? first
      : {
          value: program,
          // Just after the prefixes as written, so that replacing [start, end) keeps them.
          start: (first.offsets[k - 1] as number) + 1,
          end: first.end,
          offsets: first.offsets.slice(k),
        };
  return { prefixes, words: [stripped, ...words.slice(1)], warnings };
}

/**
 * Writes one argument so that splitExec reads it back unchanged: in double
 * quotes, with `\`, `"` and control characters escaped. `$` and `%` are left
 * alone: expanding them is systemd's business after splitting. The value must
 * not contain NUL, which no command line can carry.
 */
export function quoteExecWord(value: string): string {
  let out = '"';
  for (const c of value) {
    const code = c.codePointAt(0) as number;
    if (code === 0) throw new Error('quoteExecWord: a command-line argument cannot contain NUL');
    if (c === '\\' || c === '"') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return `${out}"`;
}
