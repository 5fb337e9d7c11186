import type { SecretFinding } from '../../model/secret.ts';

/**
 * What shows that a secret leaked, for the last line of defence of
 * invariant 3 (strategies/secrets/scrub.ts) and for the report, whose
 * texts have every secret replaced by `…`.
 */

/** What a placeholder says where a secret was. */
export const REMOVED = 'NIXPORT-SECRET-REMOVED';

/**
 * Whether a value can be told from ordinary text on its own: long, or
 * mixing letters with digits or symbols. `postgres` is not (it may be the
 * image's name too); `hunter2!x` is.
 */
export function isDistinctive(value: string): boolean {
  if (value.length >= 16) return true;
  if (value.length < 8) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length;
  return classes >= 2;
}

/** A text to look for, and what replaces it. */
export interface Needle {
  readonly finding: SecretFinding;
  readonly text: string;
  readonly replacement: string;
}

/**
 * What shows that a secret leaked: a distinctive value anywhere; a plain
 * one, or one the input also uses publicly (SecretFinding.shared), only
 * with what surrounded it in the input (`DB_PASSWORD=postgres`), since
 * `postgres` alone is also an image name. Needles too short to tell
 * anything (a two-character password and nothing around it) are left out.
 */
export function needles(findings: readonly SecretFinding[]): Needle[] {
  const out: Needle[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    if (f.value === '') continue;
    const add = (text: string, replacement: string) => {
      if (text.length < 6 || seen.has(text)) return;
      seen.add(text);
      out.push({ finding: f, text, replacement });
    };
    if (isDistinctive(f.value) && !f.shared) add(f.value, REMOVED);
    else if (f.context.includes(f.value) && f.context !== f.value) add(f.context, f.context.replace(f.value, REMOVED));
  }
  // Longest first: a value inside another's context is replaced with the larger one.
  return out.sort((a, b) => b.text.length - a.text.length);
}

/** Replaces every needle in a text; returns the findings that were in it. */
export function scrubText(text: string, list: readonly Needle[], hit?: Set<SecretFinding>): string {
  let out = text;
  for (const n of list) {
    if (!out.includes(n.text)) continue;
    hit?.add(n.finding);
    out = out.split(n.text).join(n.replacement);
  }
  return out;
}

/** For texts meant for people (the report): values become `…`. */
export function redactor(findings: readonly SecretFinding[]): (text: string) => string {
  const list = needles(findings).map((n) => ({ ...n, replacement: n.replacement.replace(REMOVED, '…') }));
  if (list.length === 0) return (text) => text;
  return (text) => scrubText(text, list);
}

/** Whether any needle of the findings is in a text (the final check of every written file). */
export function leakedIn(text: string, findings: readonly SecretFinding[]): SecretFinding[] {
  const hit = new Set<SecretFinding>();
  scrubText(text, needles(findings), hit);
  return [...hit];
}

