import { InputError } from '../../model/diagnostic.ts';
import type { Ledger } from '../../model/ledger.ts';
import type { Origin, PositionMapper } from '../../model/origin.ts';
import { isExecDirective } from '../../model/systemd-directives.ts';
import { originAt, type Directive, type ExecCommand } from '../../model/unit.ts';
import type { UnitText } from '../types.ts';
import { execCommandOf } from './exec-command.ts';
import { environmentOf } from './environment.ts';
import { splitExec } from './exec-split.ts';
import { continues, isBlank, isCommentLine } from './logical.ts';

/** A unit file or drop-in, split into directives. */
export interface ParsedUnitText {
  readonly text: UnitText;
  /** `unit.service` or the drop-in's file name. */
  readonly source: string;
  /** Every `Key=value` under a section header, in file order, whether systemd reads that section or not. */
  readonly directives: readonly Directive[];
}

/**
 * Reads a unit file or drop-in the way systemd's config parser does
 * (src/shared/conf-parser.c; syntax in systemd.syntax(7)). Each assignment
 * becomes a `directive` item in the ledger. Exec lines are split into words
 * here, so their syntax errors point at the character at fault.
 *
 * Lines systemd would skip with a warning (no `=`, a key before any section,
 * a broken section header) are reported as errors and their items settled
 * unsupported. A text that has no section header at all is not a unit file:
 * that throws an InputError.
 */
export function parseUnitText(t: UnitText, ledger: Ledger): ParsedUnitText {
  const source = t.dropIn ?? t.unit;
  // systemd skips a UTF-8 byte order mark; CRLF line ends are one line end.
  const text = (t.text.startsWith('\uFEFF') ? t.text.slice(1) : t.text).replace(/\r\n/g, '\n');
  const lines = text.split('\n');
  const lineStarts: number[] = [];
  let lineStart = 0;
  for (const line of lines) {
    lineStarts.push(lineStart);
    lineStart += line.length + 1;
  }
  const locate = locator(lineStarts);
  const originOf = (offset: number): Origin => {
    const { line, column } = locate(offset);
    return t.position(line, column);
  };

  rejectNonUnitText(text, lines, source, originOf);

  const directives: Directive[] = [];
  let section: { readonly name: string } | { readonly broken: Origin } | undefined;
  let meaningful = 0;

  for (let i = 0; i < lines.length; ) {
    const first = lines[i] as string;
    if (isAllBlank(first) || isCommentLine(first)) {
      i++;
      continue;
    }
    const { logical, at, next } = joinLogicalLine(lines, lineStarts, i);
    i = next;

    let a = 0;
    let b = logical.length;
    while (a < b && isBlank(logical[a])) a++;
    while (b > a && isBlank(logical[b - 1])) b--;
    if (a === b) continue;
    meaningful++;

    if (logical[a] === '[') {
      const name = logical.slice(a + 1, b - 1);
      if (logical[b - 1] !== ']' || !isSafeSectionName(name)) {
        const origin = originOf(at(a));
        ledger.report(
          'error',
          'systemd/bad-section-header',
          `invalid section header \`${logical.slice(a, b)}\` in ${source}; systemd refuses to load the unit`,
          origin,
          'a section header is a name in brackets on a line of its own, such as `[Service]`',
        );
        section = { broken: origin };
      } else {
        section = { name };
      }
      continue;
    }

    const eq = logical.indexOf('=', a);
    const keyOrigin = originOf(at(a));
    if (eq < 0 || eq >= b || eq === a) {
      const shown = logical.slice(a, Math.min(b, a + 40));
      const item = ledger.item('directive', `${sectionLabel(section)}${shown}`, keyOrigin, t.item);
      const missingKey = eq === a;
      ledger.report(
        'error',
        missingKey ? 'systemd/missing-key' : 'systemd/missing-equals',
        missingKey
          ? `\`${shown}\` has no key before \`=\`; systemd ignores the line`
          : `expected \`Key=value\`, found \`${shown}\`; systemd ignores the line`,
        keyOrigin,
        missingKey
          ? 'write the setting name before `=`, e.g. `After=network.target`'
          : 'a setting is `Key=value`; a comment starts with `#` or `;`; a value continues on the next line only after a trailing `\\`',
      );
      ledger.unsupported(item, missingKey ? 'no key before `=`' : 'not a `Key=value` line');
      continue;
    }

    let keyEnd = eq;
    while (keyEnd > a && isBlank(logical[keyEnd - 1])) keyEnd--;
    const key = logical.slice(a, keyEnd);
    let va = eq + 1;
    while (va < b && isBlank(logical[va])) va++;
    const rawStart = va < b ? at(va) : at(eq) + 1;
    const raw = va < b ? text.slice(rawStart, at(b - 1) + 1) : '';
    const value = logical.slice(va, b);

    if (section === undefined || 'broken' in section) {
      const item = ledger.item('directive', `${key}=`, keyOrigin, t.item);
      if (section === undefined) {
        ledger.report(
          'error',
          'systemd/key-outside-section',
          `\`${key}=\` comes before any section header in ${source}; systemd ignores it`,
          keyOrigin,
          'put it under the section it belongs to, e.g. `[Unit]` or `[Service]`',
        );
        ledger.unsupported(item, 'assignment outside of any section');
      } else {
        ledger.unsupported(item, `follows the invalid section header at ${formatLine(section.broken)}`);
      }
      continue;
    }

    const item = ledger.item('directive', `[${section.name}] ${key}=`, keyOrigin, t.item);
    const { line: rawLine, column: rawColumn } = locate(rawStart);
    const position: PositionMapper = (line, column) =>
      t.position(rawLine + line - 1, line === 1 ? rawColumn + column - 1 : column);
    const name = section.name;
    const directive: Directive = { section: name, key, raw, value, position, item, source };
    const exec = isExecDirective(name, key) ? execOf(directive, ledger) : undefined;
    const assignments = key === 'Environment' && value !== '' ? environmentOf(directive, ledger) : undefined;
    // Written out, not `{ ...directive, exec }`: V8 builds an object that spreads another
    // and then adds a field many times slower, and this runs for every directive.
    if (exec) directives.push({ section: name, key, raw, value, position, item, source, exec });
    else if (assignments) directives.push({ section: name, key, raw, value, position, item, source, assignments });
    else directives.push(directive);
  }

  if (meaningful === 0) {
    ledger.report(
      t.dropIn ? 'info' : 'warning',
      'systemd/empty-unit',
      `${source} has no settings`,
      t.position(1, 1),
      t.dropIn ? undefined : 'an empty unit file does nothing; check that the content was not lost on the way',
    );
  }
  return { text: t, source, directives };
}

/** Splits an Exec*= value; a syntax error is reported at its character and the directive settled unsupported. */
function execOf(d: Directive, ledger: Ledger): ExecCommand | undefined {
  const split = splitExec(d.raw);
  if ('error' in split) {
    ledger.report('error', 'systemd/exec-syntax', `${d.key}=: ${split.error}`, originAt(d, split.offset), split.hint);
    ledger.unsupported(d.item, split.error);
    return undefined;
  }
  for (const w of split.warnings) {
    ledger.report('warning', 'systemd/exec-escape', `${d.key}=: ${w.message}`, originAt(d, w.offset), 'write `\\\\` for a literal backslash');
  }
  return execCommandOf(split);
}

/**
 * The logical line starting at physical line `start`: continuation lines
 * joined (the backslash becomes a space), comment lines inside skipped.
 * at(k) is the text offset of logical[k].
 */
function joinLogicalLine(
  lines: readonly string[],
  lineStarts: readonly number[],
  start: number,
): { logical: string; at: (k: number) => number; next: number } {
  const firstLine = lines[start] as string;
  const firstBase = lineStarts[start] as number;
  if (!continues(firstLine)) {
    // One physical line, the usual case: its offsets follow from where it starts, without a table.
    return { logical: firstLine, at: (k) => firstBase + k, next: start + 1 };
  }
  let logical = '';
  const offsets: number[] = [];
  let i = start;
  for (;;) {
    const line = lines[i] as string;
    const base = lineStarts[i] as number;
    const joins = continues(line);
    const keep = joins ? line.length - 1 : line.length;
    logical += line.slice(0, keep);
    for (let k = 0; k < keep; k++) offsets.push(base + k);
    if (joins) {
      logical += ' ';
      offsets.push(base + line.length - 1);
    }
    i++;
    if (!joins) break;
    while (i < lines.length && isCommentLine(lines[i] as string)) i++;
    if (i >= lines.length) break; // the file ends inside a continuation: systemd parses what it has
  }
  return { logical, at: (k) => offsets[k] as number, next: i };
}

/** A text without a single section header is not a unit file (binary junk, the wrong file, a lost header). */
function rejectNonUnitText(text: string, lines: readonly string[], source: string, originOf: (offset: number) => Origin): void {
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    throw new InputError({
      code: 'systemd/not-a-unit',
      message: `${source} contains a NUL byte: expected a unit file, which is text`,
      origin: originOf(nul),
      hint: 'give the unit file itself, not a binary or an archive',
    });
  }
  let offset = 0;
  let firstMeaningful: { readonly offset: number; readonly line: string } | undefined;
  for (const line of lines) {
    const trimmed = trimBlanks(line);
    if (trimmed !== '' && !isCommentLine(line)) {
      if (trimmed.startsWith('[') && trimmed.endsWith(']')) return;
      firstMeaningful ??= { offset: offset + line.indexOf(trimmed[0] as string), line: trimmed };
    }
    offset += line.length + 1;
  }
  if (firstMeaningful === undefined) return; // empty: reported as a warning, not fatal
  const shown = firstMeaningful.line.slice(0, 40);
  const looksLikeSettings = firstMeaningful.line.includes('=');
  throw new InputError({
    code: 'systemd/not-a-unit',
    message: looksLikeSettings
      ? `${source} has \`Key=value\` lines but no \`[Section]\` header: expected \`[Section]\` before \`${shown}\``
      : `${source} is not a unit file: expected \`[Section]\` or \`Key=value\`, found \`${shown}\``,
    origin: originOf(firstMeaningful.offset),
    hint: looksLikeSettings
      ? 'settings belong under a section such as `[Unit]` or `[Service]`; add the header they belong to'
      : 'a unit file is INI-like text (systemd.syntax(7)); check that the right file was given',
  });
}

/** systemd's string_is_safe for section names: no control characters, quotes or backslashes. */
function isSafeSectionName(name: string): boolean {
  return name !== '' && !/[\x00-\x1f\x7f"'\\]/.test(name);
}

function isAllBlank(line: string): boolean {
  for (const c of line) if (!isBlank(c)) return false;
  return true;
}

function trimBlanks(line: string): string {
  let a = 0;
  let b = line.length;
  while (a < b && isBlank(line[a])) a++;
  while (b > a && isBlank(line[b - 1])) b--;
  return line.slice(a, b);
}

function sectionLabel(section: { readonly name: string } | { readonly broken: Origin } | undefined): string {
  return section && 'name' in section ? `[${section.name}] ` : '';
}

function formatLine(origin: Origin): string {
  return `${origin.file}:${origin.line}`;
}

/** Maps a text offset to its 1-based line and column, given where each line starts. */
function locator(starts: readonly number[]): (offset: number) => { line: number; column: number } {
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] as number) + 1 };
  };
}
