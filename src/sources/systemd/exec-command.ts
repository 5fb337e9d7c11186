import type { ExecCommand, ExecWord } from '../../model/unit.ts';
import type { ExecSplit } from './exec-split.ts';

/** Shells whose `-c` takes the command string from the first operand. */
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'ksh', 'zsh']);

/** Short options of these shells that take the next word as their argument (`-o pipefail`). */
const OPTIONS_WITH_ARGUMENT = new Set(['o', 'O']);

/** The command a split `Exec*=` value describes. */
export function execCommandOf(split: ExecSplit): ExecCommand {
  const payload = shellPayloadIndex(split.words, split.prefixes.includes('@'));
  return {
    prefixes: split.prefixes,
    words: split.words,
    ...(payload === undefined ? {} : { shellPayload: payload }),
  };
}

/**
 * For `sh -c PAYLOAD ...` (also `bash -ec`, `sh -o pipefail -c`): the index
 * of the word holding the shell code. With the `@` prefix words[1] is argv[0],
 * so the shell's options start one word later.
 */
export function shellPayloadIndex(words: readonly ExecWord[], separateArgv0: boolean): number | undefined {
  const program = words[0]?.value;
  if (program === undefined || !SHELLS.has(program.slice(program.lastIndexOf('/') + 1))) return undefined;

  let sawC = false;
  let i = separateArgv0 ? 2 : 1;
  while (i < words.length) {
    const w = (words[i] as ExecWord).value;
    if (w === '--' || w === '-') {
      i++;
      break;
    }
    if (w.startsWith('--')) {
      i++; // bash long options (--norc, --login) take no argument
      continue;
    }
    if (w.length < 2 || (w[0] !== '-' && w[0] !== '+')) break;
    const letters = w.slice(1);
    if (w[0] === '-' && letters.includes('c')) sawC = true;
    i += [...letters].some((l) => OPTIONS_WITH_ARGUMENT.has(l)) ? 2 : 1;
  }
  return sawC && i < words.length ? i : undefined;
}
