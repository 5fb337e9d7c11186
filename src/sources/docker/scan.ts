import type { ExecWord } from '../../model/unit.ts';
import type { FlagIndex, FlagSpec } from './flag-spec.ts';
import { takesValue } from './flag-spec.ts';

/**
 * Walks Docker CLI words the way Docker's flag library (spf13/pflag) does:
 * `--flag=value`, `--flag value`, `-p 80:80`, `-p80:80`, `-p=80:80`, short
 * clusters `-dit` where the last letter may take a value (`-itp80` or
 * `-itp 80`), `--` ending the flags, and a lone `-` being a plain word.
 * A flag that takes a value takes the next word whatever it looks like
 * (`-e FOO=--bar`, `--entrypoint -x`).
 *
 * Pure: finds what the words say and what is wrong with them; the caller
 * registers ledger items and reports.
 */

export interface ScanProblem {
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  /** Offset into the directive's raw text to point at. */
  readonly offset: number;
}

export interface ScannedFlag {
  /** The table entry; undefined for a flag the table does not know. */
  readonly spec?: FlagSpec;
  /** As written: `-p`, `--publish`, `--net`; `-t` for the `t` of `-it`. */
  readonly spelled: string;
  /** The table's long name, or `spelled` for an unknown flag. */
  readonly name: string;
  readonly value?: string;
  readonly word: number;
  /** Offset of the flag in the directive's raw text. */
  readonly offset: number;
  /** Offset where the value starts (same word or the next one). */
  readonly valueOffset?: number;
  /** The ledger label: the flag and its value as written (`--publish 8080:80`, `-p80`). */
  readonly label: string;
  /** Set for an unknown flag written without `=`: we guessed it takes no value. */
  readonly guessedNoValue?: boolean;
  /** For a guessed short flag inside a cluster: the letters after it, read as more flags. */
  readonly restOfCluster?: string;
  /** The words could not be read as this flag (a value is missing or malformed). */
  readonly problem?: ScanProblem;
}

export interface ScanResult {
  readonly flags: readonly ScannedFlag[];
  /** Indices of the non-flag words, in order (only when `interspersed`). */
  readonly positionals: readonly number[];
  /** Index of the first word left unread: the first non-flag word when not interspersed, else `words.length`. */
  readonly rest: number;
}

export interface ScanOptions {
  readonly index: FlagIndex;
  /** Flags may follow non-flag words; otherwise the first non-flag word ends the scan. */
  readonly interspersed: boolean;
}

/** The raw offset of character `k` of a word's value (the word's end past the last one). */
export function offsetIn(word: ExecWord, k: number): number {
  if (k === 0) return word.start;
  return word.offsets[k] ?? word.end;
}

// Go's strconv.ParseBool, which pflag uses for `--flag=value` on bools.
const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

export function parseBool(text: string): boolean | undefined {
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  return undefined;
}

export function scanFlags(words: readonly ExecWord[], from: number, options: ScanOptions): ScanResult {
  const flags: ScannedFlag[] = [];
  const positionals: number[] = [];
  let i = from;
  while (i < words.length) {
    const word = words[i] as ExecWord;
    const text = word.value;
    if (text === '--') {
      // Everything after `--` is a plain word.
      if (!options.interspersed) return { flags, positionals, rest: i + 1 };
      for (let k = i + 1; k < words.length; k++) positionals.push(k);
      return { flags, positionals, rest: words.length };
    }
    if (text.length < 2 || !text.startsWith('-')) {
      if (!options.interspersed) return { flags, positionals, rest: i };
      positionals.push(i);
      i++;
      continue;
    }
    const consumed = text.startsWith('--')
      ? scanLong(words, i, options.index, flags)
      : scanShortCluster(words, i, options.index, flags);
    i += consumed;
  }
  return { flags, positionals, rest: words.length };
}

// The flags below are written out field by field: an object literal that
// spreads another and then adds fields (`{ ...base, name }`) is many times
// slower to build in V8, and this runs for every flag of every command line.

/** Reads `--name`, `--name=value` or `--name value`; returns how many words it used. */
function scanLong(words: readonly ExecWord[], i: number, index: FlagIndex, out: ScannedFlag[]): number {
  const word = words[i] as ExecWord;
  const text = word.value;
  const eq = text.indexOf('=');
  const spelled = eq < 0 ? text : text.slice(0, eq);
  const inline = eq < 0 ? undefined : text.slice(eq + 1);
  const spec = index.long.get(spelled);
  const offset = word.start;

  if (spec === undefined) {
    if (inline !== undefined) {
      out.push({ spelled, word: i, offset, name: spelled, value: inline, valueOffset: offsetIn(word, eq + 1), label: text });
    } else {
      out.push({ spelled, word: i, offset, name: spelled, label: text, guessedNoValue: true });
    }
    return 1;
  }
  const name = spec.name;
  if (!takesValue(spec)) {
    if (inline === undefined) {
      out.push({ spelled, word: i, offset, spec, name, label: text });
      return 1;
    }
    const valueOffset = offsetIn(word, eq + 1);
    out.push(
      parseBool(inline) === undefined
        ? { spelled, word: i, offset, spec, name, value: inline, valueOffset, label: text, problem: badBool(spelled, inline, valueOffset) }
        : { spelled, word: i, offset, spec, name, value: inline, valueOffset, label: text },
    );
    return 1;
  }
  if (inline !== undefined) {
    out.push({ spelled, word: i, offset, spec, name, value: inline, valueOffset: offsetIn(word, eq + 1), label: text });
    return 1;
  }
  const next = words[i + 1];
  if (next === undefined) {
    out.push({ spelled, word: i, offset, spec, name, label: text, problem: missingValue(spelled, word.end) });
    return 1;
  }
  out.push({ spelled, word: i, offset, spec, name, value: next.value, valueOffset: next.start, label: `${text} ${next.value}` });
  return 2;
}

/** Reads `-x`, `-xyz`, `-p80`, `-p=80`, `-itp 80`; returns how many words it used. */
function scanShortCluster(words: readonly ExecWord[], i: number, index: FlagIndex, out: ScannedFlag[]): number {
  const word = words[i] as ExecWord;
  const text = word.value;
  for (let k = 1; k < text.length; k++) {
    const letter = text[k] as string;
    const spelled = `-${letter}`;
    const spec = index.short.get(letter);
    const offset = k === 1 ? word.start : offsetIn(word, k);
    const afterLetter = text.slice(k + 1);
    // `-x=value`: pflag strips the `=` for any short flag, bool or not.
    const inline = afterLetter.length > 1 && afterLetter.startsWith('=') ? afterLetter.slice(1) : undefined;
    const inlineLabel = `-${letter}${afterLetter}`;

    if (spec === undefined) {
      if (inline !== undefined) {
        out.push({ spelled, word: i, offset, name: spelled, value: inline, valueOffset: offsetIn(word, k + 2), label: inlineLabel });
        return 1;
      }
      out.push(
        afterLetter === ''
          ? { spelled, word: i, offset, name: spelled, label: spelled, guessedNoValue: true }
          : { spelled, word: i, offset, name: spelled, label: spelled, guessedNoValue: true, restOfCluster: afterLetter },
      );
      continue;
    }
    const name = spec.name;
    if (inline !== undefined) {
      const valueOffset = offsetIn(word, k + 2);
      const bad = !takesValue(spec) && parseBool(inline) === undefined;
      out.push(
        bad
          ? { spelled, word: i, offset, spec, name, value: inline, valueOffset, label: inlineLabel, problem: badBool(spelled, inline, valueOffset) }
          : { spelled, word: i, offset, spec, name, value: inline, valueOffset, label: inlineLabel },
      );
      return 1;
    }
    if (!takesValue(spec)) {
      out.push({ spelled, word: i, offset, spec, name, label: spelled });
      continue;
    }
    if (afterLetter.length > 0) {
      // `-p80:80`, `-itp80`: the rest of the word is the value.
      out.push({ spelled, word: i, offset, spec, name, value: afterLetter, valueOffset: offsetIn(word, k + 1), label: inlineLabel });
      return 1;
    }
    const next = words[i + 1];
    if (next === undefined) {
      out.push({ spelled, word: i, offset, spec, name, label: spelled, problem: missingValue(spelled, word.end) });
      return 1;
    }
    out.push({ spelled, word: i, offset, spec, name, value: next.value, valueOffset: next.start, label: `${spelled} ${next.value}` });
    return 2;
  }
  return 1;
}

function missingValue(spelled: string, offset: number): ScanProblem {
  return {
    code: 'docker/missing-value',
    message: `flag \`${spelled}\` needs a value, but the command line ends after it`,
    hint: `Give \`${spelled}\` its value, or remove it.`,
    offset,
  };
}

function badBool(spelled: string, value: string, offset: number): ScanProblem {
  return {
    code: 'docker/bad-bool',
    message: `flag \`${spelled}\` takes true or false, not \`${value}\``,
    hint: `Write \`${spelled}=true\` or \`${spelled}=false\` (Docker also accepts 1/0 and t/f).`,
    offset,
  };
}
