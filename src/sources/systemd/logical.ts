/**
 * How systemd joins the physical lines of a unit file into logical lines
 * (src/shared/conf-parser.c): a line whose last character is an unescaped
 * backslash continues on the next line, the backslash turning into a space;
 * lines whose first non-blank character is `#` or `;` are comments and are
 * skipped, even in the middle of a continuation.
 */

/** systemd's WHITESPACE set. */
export function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

export function isCommentLine(line: string): boolean {
  let i = 0;
  while (isBlank(line[i])) i++;
  return line[i] === '#' || line[i] === ';';
}

/** True when the line ends in an odd run of backslashes: the last one escapes the line end. */
export function continues(line: string): boolean {
  let run = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) run++;
  return run % 2 === 1;
}

export interface LogicalText {
  readonly text: string;
  /** offsets[i] is where text[i] was written in the source. */
  readonly offsets: readonly number[];
}

/**
 * The logical text of a value as written over several lines (a directive's
 * `raw`): continuation backslashes become spaces, their newlines disappear,
 * and comment lines inside the continuation are skipped. A newline that is
 * not escaped (only in hand-made input) stays, as whitespace.
 */
export function logicalText(raw: string): LogicalText {
  const lines = raw.split('\n');
  let text = '';
  const offsets: number[] = [];
  let lineStart = 0;
  let continuing = false;
  lines.forEach((line, index) => {
    const last = index === lines.length - 1;
    const skip = continuing && index > 0 && isCommentLine(line);
    if (!skip) {
      const joins = !last && continues(line);
      const keep = joins ? line.length - 1 : line.length;
      text += line.slice(0, keep);
      for (let i = 0; i < keep; i++) offsets.push(lineStart + i);
      if (joins) {
        text += ' ';
        offsets.push(lineStart + line.length - 1);
      } else if (!last) {
        text += '\n';
        offsets.push(lineStart + line.length);
      }
      continuing = joins;
    }
    lineStart += line.length + 1;
  });
  return { text, offsets };
}
