/**
 * Where an unclosed quote or flow collection opened. The YAML parser
 * reports these at the end of the input, where it gave up, which points a
 * person at the wrong line; the opener is where the mistake is.
 */
export interface Unclosed {
  /** Offset of the opening `"`, `'`, `[` or `{`. */
  readonly offset: number;
  readonly opener: '"' | "'" | '[' | '{';
}

const CLOSER = { '[': ']', '{': '}' } as const;

/**
 * Scans `text` up to `end` the way YAML opens and closes quoted scalars and
 * flow collections, and returns the innermost opener still open. A quote
 * opens a scalar only where a value may start (after `: `, `- `, `[`, `{`,
 * `,` or at the start of a line), so an apostrophe in plain text (`it's`)
 * does not count; comments and block scalars (`|`, `>`) are skipped.
 */
export function findUnclosed(text: string, end: number): Unclosed | undefined {
  const stack: Unclosed[] = [];
  let quote: Unclosed | undefined;
  let blockIndent = -1; // inside a block scalar: lines indented more than this belong to it
  let lineStart = 0;
  for (let i = 0; i < end && i < text.length; i++) {
    const c = text[i]!;
    if (i === lineStart && blockIndent >= 0) {
      const indent = leadingSpaces(text, i);
      const blank = text[i + indent] === '\n' || i + indent >= text.length;
      if (blank || indent > blockIndent) {
        // Straight to the next line (an empty line's end is where it starts: going back one would loop).
        i = lineEnd(text, i);
        lineStart = i + 1;
        continue;
      }
      blockIndent = -1;
    }
    if (c === '\n') {
      lineStart = i + 1;
      continue;
    }
    if (quote) {
      if (quote.opener === '"' && c === '\\') i++;
      else if (c === quote.opener) {
        if (quote.opener === "'" && text[i + 1] === "'") i++;
        else quote = undefined;
      }
      continue;
    }
    const before = valueStart(text, i, lineStart);
    if (c === '#' && (i === lineStart || /\s/.test(text[i - 1]!))) {
      i = lineEnd(text, i) - 1;
    } else if ((c === '"' || c === "'") && (before === undefined || ':-?'.includes(before) || (stack.length > 0 && '[{,'.includes(before)))) {
      quote = { offset: i, opener: c };
    } else if ((c === '[' || c === '{') && (stack.length > 0 || before === undefined || ':-?'.includes(before))) {
      stack.push({ offset: i, opener: c });
    } else if (stack.length > 0 && c === CLOSER[stack[stack.length - 1]!.opener as '[' | '{']) {
      stack.pop();
    } else if (stack.length === 0 && (c === '|' || c === '>') && (before === ':' || before === '-') && /^[|>][0-9+-]*\s*(#.*)?$/.test(text.slice(i, lineEnd(text, i)))) {
      blockIndent = leadingSpaces(text, lineStart);
      i = lineEnd(text, i) - 1;
    }
  }
  return quote ?? stack[stack.length - 1];
}

function leadingSpaces(text: string, from: number): number {
  let n = 0;
  while (text[from + n] === ' ') n++;
  return n;
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/**
 * The indicator a value at `i` follows: the last non-blank character on
 * its line (undefined at the start of a line). `:`, `-` and `?` indicate
 * only when a blank follows them (`- ?[` is the plain scalar `?[`); the
 * flow indicators need none. Anything else is returned as `x`: no value
 * starts there.
 */
function valueStart(text: string, i: number, lineStart: number): string | undefined {
  for (let j = i - 1; j >= lineStart; j--) {
    const c = text[j]!;
    if (c === ' ' || c === '\t') continue;
    if (':-?'.includes(c)) {
      if (j === i - 1) return 'x';
      // `-` and `?` start a node only where one may start (`- - x`, `- ? x`); inside plain text (`a - 'b`) they are text.
      if (c === ':') return c;
      const outer = valueStart(text, j, lineStart);
      return outer === undefined || ':-?'.includes(outer) ? c : 'x';
    }
    return '[{,'.includes(c) ? c : 'x';
  }
  return undefined;
}
