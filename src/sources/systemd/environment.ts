import type { Directive, EnvAssignment } from '../../model/unit.ts';
import type { Ledger } from '../../model/ledger.ts';
import { originAt } from '../../model/unit.ts';
import { splitExec } from './exec-split.ts';

/** A variable name systemd accepts in an assignment (env_name_is_valid, narrowed to the portable form). */
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/;

/**
 * `Environment=` takes blank-separated `NAME=value` words, quoted and
 * C-escaped like command-line words; a word that is no assignment is
 * ignored by systemd with a warning, and so it is here.
 */
export function environmentOf(d: Directive, ledger: Ledger): EnvAssignment[] | undefined {
  const split = splitExec(d.raw);
  if ('error' in split) {
    ledger.report('error', 'systemd/environment-syntax', `Environment=: ${split.error}`, originAt(d, split.offset), split.hint);
    ledger.unsupported(d.item, split.error);
    return undefined;
  }
  const out: EnvAssignment[] = [];
  split.words.forEach((word, i) => {
    // splitExec reads leading `-@:+!` as command prefixes; in an assignment they are part of the word.
    const text = i === 0 ? split.prefixes + word.value : word.value;
    const m = text.match(ASSIGNMENT);
    if (m) out.push({ name: m[1]!, value: m[2]! });
    else {
      ledger.report(
        'warning',
        'systemd/bad-assignment',
        `Environment=: \`${text}\` is not NAME=value; systemd ignores it`,
        originAt(d, word.start),
        'quote assignments that contain blanks: "NAME=a b"',
      );
    }
  });
  return out;
}
