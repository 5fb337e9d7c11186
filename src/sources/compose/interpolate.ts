/**
 * Compose's variable interpolation (compose-spec 12-interpolation.md):
 *
 *   $$              a literal `$`
 *   $VAR  ${VAR}    the value, or empty (with a warning) when unset
 *   ${VAR:-word}    word when VAR is unset or empty      ${VAR-word}  only when unset
 *   ${VAR:?msg}     an error when VAR is unset or empty  ${VAR?msg}   only when unset
 *   ${VAR:+word}    word when VAR is set and not empty   ${VAR+word}  when set
 *
 * `word` and `msg` are interpolated themselves (`${A:-${B:-x}}`). Any other
 * `$` is an error, as in Docker Compose ("Invalid template").
 */

/** The variables a project sees: the process environment and the .env files, first one wins. */
export type Lookup = (name: string) => string | undefined;

export type Interpolated =
  | { readonly ok: true; readonly value: string; readonly unset: readonly string[] }
  | { readonly ok: false; readonly message: string; readonly hint: string; readonly offset: number };

/** One row per operator, so the support matrix and the tests read the same table. */
export const OPERATORS: readonly { readonly op: string; readonly meaning: string }[] = [
  { op: ':-', meaning: 'default when unset or empty' },
  { op: '-', meaning: 'default when unset' },
  { op: ':?', meaning: 'error when unset or empty' },
  { op: '?', meaning: 'error when unset' },
  { op: ':+', meaning: 'replacement when set and not empty' },
  { op: '+', meaning: 'replacement when set' },
];

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

class Failure {
  constructor(
    readonly message: string,
    readonly hint: string,
    readonly offset: number,
  ) {}
}

export function interpolate(text: string, lookup: Lookup): Interpolated {
  if (!text.includes('$')) return { ok: true, value: text, unset: [] };
  const unset: string[] = [];
  try {
    return { ok: true, value: expand(text, 0, lookup, unset), unset };
  } catch (e) {
    if (e instanceof Failure) return { ok: false, message: e.message, hint: e.hint, offset: e.offset };
    throw e;
  }
}

/** `base` is where `text` starts in the scalar, for error offsets. */
function expand(text: string, base: number, lookup: Lookup, unset: string[]): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
      continue;
    }
    if (next === '{') {
      const close = closingBrace(text, dollar + 2);
      if (close < 0) {
        throw new Failure('`${` is not closed', 'close the variable with `}`, or write `$$` for a literal `$`', base + dollar);
      }
      out += braced(text.slice(dollar + 2, close), base + dollar + 2, lookup, unset);
      i = close + 1;
      continue;
    }
    const name = NAME.exec(text.slice(dollar + 1))?.[0];
    if (name === undefined) {
      throw new Failure(
        `\`$\` must be followed by a variable name, \`{\` or another \`$\` (found ${next === undefined ? 'the end of the value' : `\`${next}\``})`,
        'write `$$` for a literal `$` (Compose passes `$` on to the container)',
        base + dollar,
      );
    }
    out += value(name, lookup, unset);
    i = dollar + 1 + name.length;
  }
  return out;
}

/** The index of the `}` that closes a `${` opened before `from`, counting nested `${`. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') i++;
    else if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function braced(inner: string, base: number, lookup: Lookup, unset: string[]): string {
  const name = NAME.exec(inner)?.[0];
  if (name === undefined) {
    throw new Failure(`\`\${${inner}}\` does not start with a variable name`, 'variable names are letters, digits and `_`, not starting with a digit', base);
  }
  const rest = inner.slice(name.length);
  if (rest === '') return value(name, lookup, unset);
  const op = OPERATORS.find((o) => rest.startsWith(o.op))?.op;
  if (op === undefined) {
    throw new Failure(
      `\`\${${inner}}\` uses an operator Compose does not have`,
      'Compose knows ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt} and ${VAR+alt}; shell features such as ${VAR/a/b} are not supported',
      base + name.length,
    );
  }
  const argText = rest.slice(op.length);
  const argBase = base + name.length + op.length;
  const current = lookup(name);
  const set = current !== undefined;
  const nonEmpty = set && current !== '';
  const arg = () => expand(argText, argBase, lookup, unset);
  switch (op) {
    case ':-':
      return nonEmpty ? current : arg();
    case '-':
      return set ? current : arg();
    case ':+':
      return nonEmpty ? arg() : '';
    case '+':
      return set ? arg() : '';
    default: {
      const ok = op === ':?' ? nonEmpty : set;
      if (ok) return current!;
      const message = arg();
      throw new Failure(
        `required variable ${name} is ${set ? 'empty' : 'not set'}${message === '' ? '' : `: ${message}`}`,
        `set ${name} in the environment, in the project's .env file or in a file given with --env-file`,
        base - 2,
      );
    }
  }
}

function value(name: string, lookup: Lookup, unset: string[]): string {
  const v = lookup(name);
  if (v === undefined) {
    if (!unset.includes(name)) unset.push(name);
    return '';
  }
  return v;
}
