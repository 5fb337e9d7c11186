import fc from 'fast-check';

/**
 * Mutations of a seed input, as fast-check values so that failures shrink
 * to the fewest, smallest edits. Positions are fractions of the text's
 * length, so one mutation list applies to any seed.
 */
export type Mutation =
  | { readonly op: 'insert'; readonly at: number; readonly text: string }
  | { readonly op: 'delete'; readonly at: number; readonly length: number }
  | { readonly op: 'duplicate-line'; readonly at: number }
  | { readonly op: 'swap-lines'; readonly at: number; readonly other: number }
  | { readonly op: 'replace-char'; readonly at: number; readonly char: string }
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'indent'; readonly at: number; readonly by: number };

const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

export function mutation(dictionary: readonly string[]): fc.Arbitrary<Mutation> {
  const token = dictionary.length > 0 ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...dictionary) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) }) : fc.string({ maxLength: 6 });
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fraction, text: token }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fraction, length: fc.integer({ min: 1, max: 40 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate-line' as const), at: fraction }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('swap-lines' as const), at: fraction, other: fraction }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('replace-char' as const), at: fraction, char: fc.oneof(fc.constantFrom(':', '-', ' ', '\n', '"', "'", '\\', '=', '[', '{', '$', '%', '\t', '\u0000', '\u00e9', '\ud83d\ude00'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fraction }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('indent' as const), at: fraction, by: fc.integer({ min: -4, max: 4 }) }) },
  );
}

export function applyMutations(seed: string, mutations: readonly Mutation[]): string {
  let text = seed;
  for (const m of mutations) text = apply(text, m);
  return text;
}

function apply(text: string, m: Mutation): string {
  const pos = Math.floor(m.at * (text.length + 1));
  switch (m.op) {
    case 'insert':
      return text.slice(0, pos) + m.text + text.slice(pos);
    case 'delete':
      return text.slice(0, pos) + text.slice(pos + m.length);
    case 'replace-char':
      return text.slice(0, pos) + m.char + text.slice(pos + 1);
    case 'truncate':
      return text.slice(0, pos);
    case 'duplicate-line':
    case 'swap-lines':
    case 'indent': {
      const lines = text.split('\n');
      const i = Math.floor(m.at * lines.length);
      if (m.op === 'duplicate-line') lines.splice(i, 0, lines[i] ?? '');
      else if (m.op === 'swap-lines') {
        const j = Math.floor(m.other * lines.length);
        [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
      } else {
        const l = lines[i] ?? '';
        lines[i] = m.by >= 0 ? ' '.repeat(m.by) + l : l.replace(new RegExp(`^ {0,${-m.by}}`), '');
      }
      return lines.join('\n');
    }
  }
}
