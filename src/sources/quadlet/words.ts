import type { Directive } from '../../model/unit.ts';
import { splitExec } from '../systemd/exec-split.ts';

/** A word of a Quadlet value, with its offset in the directive's `raw`. */
export interface QuadletWord {
  readonly value: string;
  readonly offset: number;
}

/**
 * A value Quadlet reads as a blank-separated list with systemd's quoting
 * and escapes (Exec=, PodmanArgs=, AddCapability=, Environment=, ...).
 * The value is split as the arguments of a command line: a dummy program
 * word in front keeps a leading `-` or `@` from being read as a prefix.
 */
export function splitWords(d: Directive): QuadletWord[] | { readonly error: string; readonly offset: number } {
  const split = splitExec(`x ${d.raw}`);
  if ('error' in split) return { error: split.error, offset: Math.max(0, split.offset - 2) };
  return split.words.slice(1).map((w) => ({ value: w.value, offset: Math.max(0, w.start - 2) }));
}

/** systemd's booleans (parse_boolean). */
export function parseBoolean(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (['1', 'yes', 'y', 'true', 't', 'on'].includes(v)) return true;
  if (['0', 'no', 'n', 'false', 'f', 'off'].includes(v)) return false;
  return undefined;
}
