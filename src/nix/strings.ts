import type { NixExpr, StringPart } from './ast.ts';

/**
 * Nix string literals: the choice between `"..."` and `''...''`, and all
 * escaping. Every rule here was checked against `nix-instantiate --eval`
 * (Nix 2.8) and is property-tested in test/nix/roundtrip.test.ts:
 *
 * - In `"..."`, `\` escapes the next character (`\n`, `\r`, `\t` are control
 *   characters) and a raw CR would be read as LF, so it is always escaped.
 * - In `''...''`, `'''` is `''`, `''$` is `$`, and `''\x` is the character x
 *   (`''\r` a CR). Everything else is literal, tabs and CRs included.
 * - `$` is literal unless followed by `{`; a `$` in front of `{` or of an
 *   interpolation is escaped so it cannot start one.
 * - An indented string loses the smallest indentation (in spaces) of its
 *   lines that hold more than spaces; an escape or interpolation ends a
 *   line's indentation. Lines of only spaces are shortened, not measured, and
 *   a last line of only spaces is dropped. The first line is dropped when
 *   `''` is followed by nothing but spaces.
 */

export type StringForm = 'double' | 'indented';

/** Prints an interpolated expression; `indent` is the indentation of the line it starts on. */
export type RenderInterpolation = (expr: NixExpr, indent: number) => string;

export interface RenderedString {
  readonly text: string;
  /** Escape sequences (and literal tabs) in the text: the form with fewer reads better. */
  readonly escapes: number;
}

/** Joins adjacent text and drops empty text, so escaping can look ahead across parts. */
export function normalizeParts(parts: readonly StringPart[]): StringPart[] {
  const out: StringPart[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      if (part === '') continue;
      const last = out[out.length - 1];
      if (typeof last === 'string') out[out.length - 1] = last + part;
      else out.push(part);
    } else {
      out.push(part);
    }
  }
  return out;
}

export function isMultiline(parts: readonly StringPart[]): boolean {
  return parts.some((p) => typeof p === 'string' && p.includes('\n'));
}

/** Picks the form nixport prints: `''` for text with line breaks, else whichever needs fewer escapes. */
export function chooseStringForm(parts: readonly StringPart[]): StringForm {
  // Most strings need no escape in either form, and ties go to `"`: no need to render both to count.
  if (parts.every((p) => typeof p !== 'string' || !MAY_NEED_ESCAPES.test(p))) return 'double';
  const normal = normalizeParts(parts);
  const dummy: RenderInterpolation = () => '';
  if (isMultiline(normal)) {
    const visible = normal.some((p) => typeof p !== 'string' || /[^ \t\r\n]/.test(p));
    return visible ? 'indented' : 'double';
  }
  if (!singleLineIndentedFits(normal)) return 'double';
  const double = printDoubleQuoted(normal, dummy).escapes;
  const indented = renderLine(normal, dummy, 0, 'close', false).escapes;
  return indented < double ? 'indented' : 'double';
}

/** Prints a string literal in the chosen (or given) form. */
export function printNixString(
  parts: readonly StringPart[],
  render: RenderInterpolation,
  options: { readonly form?: StringForm; readonly indent?: number } = {},
): string {
  // Most strings are one plain text that needs no escape: quoted as they are, without rendering machinery.
  if (parts.length === 1 && options.form !== 'indented') {
    const only = parts[0];
    if (typeof only === 'string' && !MAY_NEED_ESCAPES.test(only)) return '"' + only + '"';
  }
  const form = options.form ?? chooseStringForm(parts);
  return form === 'double'
    ? printDoubleQuoted(parts, render, options.indent).text
    : printIndented(parts, render, options.indent ?? 0).text;
}

/**
 * Characters escaped in `"..."`, plus the line break (multi-line text) and
 * NUL (an error): text without any of them needs no escape in either form.
 */
const MAY_NEED_ESCAPES = /["\\\n\r\t$\0]/;

/** `"..."`: always possible. */
export function printDoubleQuoted(parts: readonly StringPart[], render: RenderInterpolation, indent = 0): RenderedString {
  const normal = normalizeParts(parts);
  let text = '"';
  let escapes = 0;
  normal.forEach((part, index) => {
    if (typeof part !== 'string') {
      text += '${' + render(part, indent) + '}';
      return;
    }
    const interpolationFollows = index + 1 < normal.length;
    // Text between the characters that are escaped is copied in one piece.
    let copied = 0;
    for (let i = 0; i < part.length; i++) {
      const c = part[i]!;
      const escaped = DOUBLE_QUOTED_ESCAPES[c];
      if (c === '\0') throw new Error(NUL_MESSAGE);
      if (escaped !== undefined) {
        text += part.slice(copied, i) + escaped;
        copied = i + 1;
        escapes++;
      } else if (c === '$' && startsInterpolation(part, i, interpolationFollows)) {
        text += part.slice(copied, i) + '\\$';
        copied = i + 1;
        escapes++;
      }
    }
    text += part.slice(copied);
  });
  return { text: text + '"', escapes };
}

const DOUBLE_QUOTED_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

const NUL_MESSAGE = 'Nix strings cannot contain NUL characters';

/** True when the `$` at `i` is followed by `{` or by an interpolation. */
function startsInterpolation(text: string, i: number, interpolationFollows: boolean): boolean {
  return i + 1 < text.length ? text[i + 1] === '{' : interpolationFollows;
}

/**
 * `''...''`: on one line when the text has no line break and does not start
 * with a space, else as a block whose lines sit two spaces deeper than
 * `indent` and whose closing `''` ends the last line (or stands on its own
 * line at `indent` when the text ends with a line break).
 */
export function printIndented(parts: readonly StringPart[], render: RenderInterpolation, indent: number): RenderedString {
  const normal = normalizeParts(parts);
  if (!isMultiline(normal) && singleLineIndentedFits(normal)) {
    const line = renderLine(normal, render, indent, 'close', false);
    return { text: "''" + line.text + "''", escapes: line.escapes };
  }
  const lines = splitLines(normal);
  const pad = ' '.repeat(indent + 2);
  const last = lines.length - 1;
  const endsWithNewline = lines[last]!.length === 0;
  const anchors = anchorLines(lines, endsWithNewline);
  let text = "''\n";
  let escapes = 0;
  lines.forEach((line, index) => {
    if (index === last && endsWithNewline) {
      text += ' '.repeat(indent) + "''";
      return;
    }
    const rendered = renderLine(line, render, indent + 2, index === last ? 'close' : 'newline', anchors.has(index));
    escapes += rendered.escapes;
    text += (line.length === 0 ? '' : pad) + rendered.text + (index === last ? "''" : '\n');
  });
  return { text, escapes };
}

type Line = readonly StringPart[];

function splitLines(parts: readonly StringPart[]): Line[] {
  const lines: StringPart[][] = [[]];
  for (const part of parts) {
    if (typeof part !== 'string') {
      lines[lines.length - 1]!.push(part);
      continue;
    }
    part.split('\n').forEach((piece, i) => {
      if (i > 0) lines.push([]);
      if (piece !== '') lines[lines.length - 1]!.push(piece);
    });
  }
  return lines;
}

function leadingSpaces(line: Line): number {
  const first = line[0];
  return typeof first === 'string' ? /^ */.exec(first)![0].length : 0;
}

function onlySpaces(line: Line): boolean {
  return line.every((p) => typeof p === 'string' && /^ *$/.test(p));
}

/**
 * Lines whose first space is written as the escape `''\ `, which Nix does
 * not count as indentation: one line when every line is indented (else Nix
 * would strip the common indentation), and a last line of only spaces
 * (else Nix would drop it).
 */
function anchorLines(lines: readonly Line[], endsWithNewline: boolean): Set<number> {
  const anchors = new Set<number>();
  const content = endsWithNewline ? lines.slice(0, -1) : lines;
  const flush = content.some((line) => line.length > 0 && !onlySpaces(line) && leadingSpaces(line) === 0);
  if (!flush) {
    const first = content.findIndex((line) => line.length > 0);
    if (first >= 0) anchors.add(first);
  }
  const last = lines.length - 1;
  if (!endsWithNewline && lines[last]!.length > 0 && onlySpaces(lines[last]!)) anchors.add(last);
  return anchors;
}

/** A one-line `''...''` keeps its text only if it does not start with a space. */
function singleLineIndentedFits(line: Line): boolean {
  const first = line[0];
  if (first === undefined) return false;
  return typeof first !== 'string' || !first.startsWith(' ');
}

const SINGLE_QUOTE = Symbol('single quote');

/**
 * Escapes one line of an indented string. `follows` says what comes right
 * after it in the output: a line break, or the closing `''`. A lone `'` is
 * escaped as `''\'` when the next output starts with `'`, since `'''` would
 * be read as an escaped `''`.
 */
function renderLine(
  line: Line,
  render: RenderInterpolation,
  indent: number,
  follows: 'newline' | 'close',
  anchor: boolean,
): RenderedString {
  // Plain text becomes one token per run, not per character: below, only
  // whether the token after a lone `'` starts with `'` matters.
  const tokens: (string | typeof SINGLE_QUOTE)[] = [];
  let escapes = 0;
  line.forEach((part, index) => {
    if (typeof part !== 'string') {
      tokens.push('${' + render(part, indent) + '}');
      return;
    }
    const interpolationFollows = index + 1 < line.length;
    let copied = 0;
    const copyUpTo = (i: number) => {
      if (i > copied) tokens.push(part.slice(copied, i));
    };
    for (let i = 0; i < part.length; i++) {
      const c = part[i]!;
      if (c === '\0') throw new Error(NUL_MESSAGE);
      if (anchor && index === 0 && i === 0 && c === ' ') {
        tokens.push("''\\ ");
        copied = i + 1;
        escapes++;
      } else if (c === "'") {
        copyUpTo(i);
        let run = 1;
        while (part[i + run] === "'") run++;
        for (let pair = 0; pair < Math.floor(run / 2); pair++) tokens.push("'''");
        escapes += Math.floor(run / 2);
        if (run % 2 === 1) tokens.push(SINGLE_QUOTE);
        i += run - 1;
        copied = i + 1;
      } else if (c === '$' && startsInterpolation(part, i, interpolationFollows)) {
        copyUpTo(i);
        tokens.push("''$");
        copied = i + 1;
        escapes++;
      } else if (c === '\r') {
        copyUpTo(i);
        tokens.push("''\\r");
        copied = i + 1;
        escapes++;
      } else if (c === '\t') {
        // Literal (it stays in the run), but as hard to read as an escape: weigh it like one.
        escapes++;
      }
    }
    copyUpTo(part.length);
  });
  let text = '';
  tokens.forEach((token, i) => {
    if (token !== SINGLE_QUOTE) {
      text += token;
      return;
    }
    const next = tokens[i + 1];
    const quoteFollows = next === undefined ? follows === 'close' : next === SINGLE_QUOTE || next.startsWith("'");
    if (quoteFollows) escapes++;
    text += quoteFollows ? "''\\'" : "'";
  });
  return { text, escapes };
}
