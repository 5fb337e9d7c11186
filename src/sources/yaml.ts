/**
 * YAML with positions, for the readers of YAML inputs (cloud-config, Butane).
 *
 * Readers walk the node tree rather than `toJS()` output so that every value
 * keeps its file:line:col, scalars keep their source text (YAML 1.1 reads
 * `0644` as 420, `off` as false and `04:00` as 240, while coreos-cloudinit
 * decodes such values into strings and sees what was written), and block
 * scalars can map positions inside their text back to the file.
 */
import { LineCounter, isAlias, isMap, isNode, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Alias, Document, Node, Pair, Scalar, YAMLError, YAMLMap, YAMLSeq } from 'yaml';
import { InputError } from '../model/diagnostic.ts';
import type { Origin, PositionMapper } from '../model/origin.ts';
import { findUnclosed } from './yaml-unclosed.ts';

/** A node after aliases were followed. */
export type YamlValue = Scalar | YAMLMap | YAMLSeq;

export interface YamlSource {
  readonly file: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

export interface YamlOptions {
  readonly version: '1.1' | '1.2';
  /** Prefix of diagnostic codes, e.g. `cloud-config` gives `cloud-config/yaml`. */
  readonly code: string;
  /** Alias expansions allowed, weighted by the size of what they expand to (yaml's own measure). */
  readonly maxAliasCount?: number;
  /**
   * The reader follows aliases itself while it walks the tree, refusing
   * unresolvable ones and bounding their expansion (the Compose reader
   * does), and refuses duplicate keys itself: the whole-document checks,
   * which cost as much as parsing for big files, are skipped.
   */
  readonly checkedByReader?: boolean;
}

/** What each YAML error usually means for someone editing a config by hand. */
const YAML_ERROR_HELP: Readonly<Record<string, { readonly expected: string; readonly hint: string }>> = {
  BAD_INDENT: {
    expected: 'entries of one mapping or list to start at the same column',
    hint: 'Line up the keys of each mapping; indent nested blocks with spaces only.',
  },
  TAB_AS_INDENT: {
    expected: 'indentation made of spaces',
    hint: 'YAML does not allow tabs for indentation; replace them with spaces.',
  },
  BLOCK_AS_IMPLICIT_KEY: {
    expected: 'a new key on its own line, indented like its siblings',
    hint: 'A value on the same line as its key cannot continue as a nested block; check the indentation of the next line.',
  },
  MULTILINE_IMPLICIT_KEY: {
    expected: 'a key that fits on one line and ends with `:`',
    hint: 'Check for a missing `:` or a line that is indented too far.',
  },
  DUPLICATE_KEY: {
    expected: 'each key once per mapping',
    hint: 'Remove or merge the repeated key; only one of the two would take effect.',
  },
  MISSING_CHAR: {
    expected: 'a closing quote or bracket',
    hint: 'Close the quote or bracket, or use a block scalar (`|`) for text with quotes in it.',
  },
  BAD_SCALAR_START: {
    expected: 'a value that does not start with a reserved character',
    hint: 'Quote values that start with `@`, a backtick, `%`, `|`, `>` or `*`.',
  },
  BAD_DQ_ESCAPE: {
    expected: 'a valid escape sequence inside double quotes',
    hint: 'Write `\\\\` for a backslash, or use single quotes where backslashes are literal.',
  },
  UNEXPECTED_TOKEN: {
    expected: 'a key, a list entry or the end of the document',
    hint: 'Check the indentation and the `:`/`-` markers around this position.',
  },
  MULTIPLE_DOCS: {
    expected: 'a single YAML document',
    hint: 'Remove the `---` separator, or split the documents into separate files.',
  },
  BLOCK_IN_FLOW: {
    expected: 'flow content (`[...]`, `{...}`) without block structure inside',
    hint: 'Write the nested list or mapping in flow style too, or turn the outer one into block style.',
  },
};

const GENERIC_HELP = {
  expected: 'valid YAML',
  hint: 'Check the quoting and indentation around this position.',
};

/**
 * Parses one YAML document, keeping positions. Throws InputError for syntax
 * errors, unresolvable aliases and alias bombs, so readers only ever see a
 * tree they can walk without blowing up.
 */
export function parseYaml(file: string, text: string, options: YamlOptions): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    version: options.version,
    lineCounter: lines,
    prettyErrors: false,
    keepSourceTokens: false,
    // yaml compares each key with every earlier one of its mapping: quadratic for a mapping of thousands.
    uniqueKeys: options.checkedByReader !== true,
  });
  const src: YamlSource = { file, text, doc, lines };
  const first = doc.errors[0];
  if (first) throw syntaxError(src, first, options.code);
  checkDepth(src, options.code);
  if (options.checkedByReader !== true) checkAliases(src, options);
  return src;
}

/**
 * Nesting deeper than this is refused: no configuration comes close, and
 * the readers walk the tree recursively (hostile input, issue 7).
 */
export const MAX_YAML_DEPTH = 100;

/** Walks the tree without recursion and refuses one nested deeper than MAX_YAML_DEPTH. */
function checkDepth(src: YamlSource, code: string): void {
  const stack: [unknown, number][] = [[src.doc.contents, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > MAX_YAML_DEPTH) throw tooDeep(src, code, node);
    for (const item of node.items) {
      if (isMap(node)) {
        const pair = item as Pair;
        stack.push([pair.key, depth + 1], [pair.value, depth + 1]);
      } else stack.push([item, depth + 1]);
    }
  }
}

function tooDeep(src: YamlSource, code: string, node?: Node): InputError {
  return new InputError({
    code: `${code}/too-deep`,
    message: `YAML nested more than ${MAX_YAML_DEPTH} levels deep`,
    ...(node ? { origin: originOf(src, node) } : { origin: { file: src.file, line: 1, column: 1 } }),
    hint: 'No configuration nests this deep; check that this is the file you meant.',
  });
}

function syntaxError(src: YamlSource, error: YAMLError, code: string): InputError {
  // The parser gives up on very deep nesting with a stack overflow it reports as an error.
  if (/call stack/i.test(error.message)) return tooDeep(src, code);
  const unclosed = /closing|must be sufficiently indented and end with|flow (sequence|map)/i.test(error.message) ? findUnclosed(src.text, error.pos[0]) : undefined;
  if (unclosed) {
    const closer = { '"': '"', "'": "'", '[': ']', '{': '}' }[unclosed.opener];
    const what = unclosed.opener === '"' || unclosed.opener === "'" ? 'quote' : unclosed.opener === '[' ? 'flow list' : 'flow mapping';
    return new InputError({
      code: `${code}/yaml`,
      message: `invalid YAML: this ${what} (\`${unclosed.opener}\`) is never closed; expected \`${closer}\` before the end of the value`,
      origin: originAt(src, unclosed.offset),
      hint: `Add the closing \`${closer}\`${what === 'quote' ? ', or use a block scalar (`|`) for text with quotes in it' : ' on the same value, or write the list or mapping in block style'}.`,
    });
  }
  const help = YAML_ERROR_HELP[error.code] ?? GENERIC_HELP;
  // Indentation errors point at the line's first column; the first character is where the eye goes.
  let offset = error.pos[0];
  while (src.text[offset] === ' ') offset++;
  return new InputError({
    code: `${code}/yaml`,
    message: `invalid YAML: ${lowerFirst(error.message)}; expected ${help.expected}`,
    origin: originAt(src, offset),
    hint: help.hint,
  });
}

function checkAliases(src: YamlSource, options: YamlOptions): void {
  // Every alias is written `*name`: without a `*` there is nothing to visit the whole tree for.
  if (!src.text.includes('*')) return;
  let firstAlias: Node | undefined;
  visit(src.doc, {
    Alias(_key, alias) {
      firstAlias ??= alias;
      if (resolveAlias(src, alias) === undefined) {
        throw new InputError({
          code: `${options.code}/yaml`,
          message: `invalid YAML: alias *${alias.source} refers to no anchor before it`,
          origin: originOf(src, alias),
          hint: `Define \`&${alias.source}\` on a value above this line, or write the value out.`,
        });
      }
    },
  });
  if (firstAlias === undefined) return;
  // yaml measures expansion in toJS (count of aliases times the size of what
  // they point at); running it once rejects "billion laughs" documents before
  // any reader follows an alias.
  try {
    src.doc.toJS({ maxAliasCount: options.maxAliasCount ?? 100 });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    throw new InputError({
      code: `${options.code}/alias-limit`,
      message: `YAML aliases expand to too much data (the limit is ${options.maxAliasCount ?? 100} alias expansions)`,
      origin: originOf(src, firstAlias),
      hint: 'This looks like an alias bomb; write the repeated values out instead of nesting aliases.',
    });
  }
}

export function originAt(src: YamlSource, offset: number): Origin {
  const pos = src.lines.linePos(offset);
  return { file: src.file, line: pos.line, column: pos.col };
}

export function originOf(src: YamlSource, node: Node | Pair): Origin {
  const range = 'range' in node ? node.range : undefined;
  if (range) return originAt(src, range[0]);
  const key = 'key' in node && isScalar(node.key) ? node.key : undefined;
  return originAt(src, key?.range?.[0] ?? 0);
}

/**
 * Each alias's anchored node, found in one walk of the document: yaml's
 * `Alias.resolve` walks the whole document for every alias, which made a
 * file with an alias per entry (Compose's `<<: *common`) quadratic.
 */
const aliasTargets = new WeakMap<Document.Parsed, Map<Alias, Node>>();

export function resolveAlias(src: YamlSource, alias: Alias): Node | undefined {
  let targets = aliasTargets.get(src.doc);
  if (!targets) {
    targets = aliasTargetsOf(src.doc.contents);
    aliasTargets.set(src.doc, targets);
  }
  return targets.get(alias);
}

/**
 * Walks the tree in document order, as yaml resolves an alias to the last
 * anchor of its name before it: a node before its items, a key before its
 * value. A stack of nodes rather than yaml's `visit`, which builds a frozen
 * path array for every collection and pair of the file.
 */
function aliasTargetsOf(root: unknown): Map<Alias, Node> {
  const found = new Map<Alias, Node>();
  const latest = new Map<string, Node>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      const target = latest.get(node.source);
      if (target) found.set(node, target);
    } else if (isPair(node)) {
      stack.push(node.value, node.key);
    } else if (isNode(node)) {
      if (node.anchor) latest.set(node.anchor, node);
      if (isMap(node) || isSeq(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
  }
  return found;
}

/** Follows aliases (already checked by parseYaml); `null` for an empty value. */
export function deref(src: YamlSource, node: unknown): YamlValue | null {
  let at = node;
  for (let hops = 0; isAlias(at) && hops < 64; hops++) at = resolveAlias(src, at);
  if (isScalar(at) || isMap(at) || isSeq(at)) {
    return isScalar(at) && at.value === null ? null : at;
  }
  return null;
}

/** One key of a mapping, after merge keys and aliases were applied. */
export interface YamlEntry {
  /** Normalised key (what the reader's tables use). */
  readonly key: string;
  /** The key as written. */
  readonly spelled: string;
  readonly value: YamlValue | null;
  /** Where the key is written. */
  readonly origin: Origin;
}

/**
 * The entries of a mapping in document order. Keys are taken as written
 * (YAML 1.1 would read `y:` or `on:` as booleans), then normalised; two keys
 * that normalise alike are an InputError, as YAML duplicates are. Merge keys
 * (`<<: *base`) add the entries of the merged mappings that are not set
 * explicitly; their origins point to where the merged text is written.
 */
export function mapEntries(
  src: YamlSource,
  map: YAMLMap,
  normalize: (key: string) => string,
  code: string,
): YamlEntry[] {
  const explicit: YamlEntry[] = [];
  const merged: YamlEntry[] = [];
  for (const pair of map.items) {
    if (isMergeKey(pair.key)) {
      for (const source of mergeSources(src, pair.value)) {
        merged.push(...mapEntries(src, source, normalize, code));
      }
      continue;
    }
    const keyNode = pair.key;
    if (!isScalar(keyNode)) {
      throw new InputError({
        code: `${code}/yaml`,
        message: 'expected a plain key name, found a complex key (`? ...`)',
        origin: originOf(src, pair),
        hint: 'Write keys as plain names followed by `:`.',
      });
    }
    const spelled = keyNode.source ?? String(keyNode.value);
    const key = normalize(spelled);
    const twin = explicit.find((e) => e.key === key);
    const origin = originOf(src, keyNode);
    if (twin) {
      throw new InputError({
        code: `${code}/duplicate-key`,
        message: `\`${spelled}\` repeats \`${twin.spelled}\` (line ${twin.origin.line}); the two spellings mean the same key`,
        origin,
        hint: 'Keep one of them; merge their values if both matter.',
      });
    }
    explicit.push({ key, spelled, value: deref(src, pair.value), origin });
  }
  const out = [...explicit];
  for (const entry of merged) {
    if (!out.some((e) => e.key === entry.key)) out.push(entry);
  }
  return out;
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (typeof key.value === 'symbol' || (key.type === 'PLAIN' && key.source === '<<'));
}

function mergeSources(src: YamlSource, value: unknown): YAMLMap[] {
  const node = deref(src, value);
  if (isMap(node)) return [node];
  if (isSeq(node)) return node.items.map((item) => deref(src, item)).filter((n): n is YAMLMap => isMap(n));
  return [];
}

/**
 * A scalar's text as a string-typed field sees it: the source spelling for
 * plain scalars that YAML resolved to something else (`off`, `0644`, `04:00`).
 */
export function scalarText(node: Scalar): string {
  if (typeof node.value === 'string') return node.value;
  return node.source ?? String(node.value);
}

/** For messages: what a node is, without echoing long or secret values. */
export function describe(node: YamlValue | null): string {
  if (node === null) return 'an empty value';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  const value: unknown = node.value;
  if (typeof value === 'boolean') return `the boolean \`${node.source ?? String(value)}\``;
  if (typeof value === 'number' || typeof value === 'bigint') return `the number \`${node.source ?? String(value)}\``;
  if (value instanceof Uint8Array) return 'binary data';
  return 'a string';
}

export interface ScalarPosition {
  readonly position: PositionMapper;
  /** False when positions after the first line only point at the scalar's start. */
  readonly exact: boolean;
}

/**
 * Maps (line, column) in a scalar's value to the file. Block scalars (`|`,
 * `|-`, `>`) map exactly: each value line is matched to the source lines it
 * came from (one for `|`, possibly several joined by spaces for `>`). Flow
 * scalars map exactly when they fit on one line and have no escapes;
 * otherwise line 1 maps by column from the scalar's start and later lines map
 * to the scalar's start, which is approximate but still names the right entry.
 */
export function scalarPosition(src: YamlSource, node: Scalar): ScalarPosition {
  const start = node.range?.[0] ?? 0;
  const origin = originAt(src, start);
  const value = scalarText(node);
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    const mapped = alignBlockScalar(src, start, node.range?.[2] ?? src.text.length, value, node.type === 'BLOCK_FOLDED');
    if (mapped) return { position: mapped, exact: true };
  }
  const quote = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
  const firstLine: PositionMapper = (_line, column) => ({ file: origin.file, line: origin.line, column: origin.column + quote + column - 1 });
  const written = src.text.slice(start + quote, start + quote + value.length);
  if (!value.includes('\n') && written === value) return { position: firstLine, exact: true };
  return { position: (line, column) => (line === 1 ? firstLine(line, column) : origin), exact: false };
}

/** Maps a 0-based offset into a scalar's text (`scalarText`) to the file. */
export function scalarOffsets(src: YamlSource, node: Scalar): (offset: number) => Origin {
  const { position } = scalarPosition(src, node);
  const text = scalarText(node);
  return (offset) => {
    const before = text.slice(0, offset);
    const lineStart = before.lastIndexOf('\n') + 1;
    return position(before.split('\n').length, offset - lineStart + 1);
  };
}

interface Segment {
  /** 1-based column in the value line where this piece starts. */
  readonly at: number;
  readonly origin: Origin;
}

function alignBlockScalar(src: YamlSource, start: number, end: number, value: string, folded: boolean): PositionMapper | undefined {
  const newline = src.text.indexOf('\n', start);
  if (newline < 0) return undefined;
  const firstLine = src.lines.linePos(newline + 1).line;
  // Only the scalar's own lines: splitting the rest of the file would make big files quadratic.
  const source = src.text.slice(newline + 1, Math.max(end, newline + 1)).split('\n').map((l) => l.replace(/\r$/, ''));
  const out = value.split('\n');
  const indent = blockIndent(source, out);
  if (indent === undefined) return undefined;
  // The mapper outlives the YAML tree: it closes over the file name, not over `src`, so the tree can be freed.
  const file = src.file;
  const at = (index: number, column: number): Origin => ({ file, line: firstLine + index, column });
  const isBlank = (l: string | undefined) => l !== undefined && l.trim() === '';

  const table: Segment[][] = [];
  let j = 0;
  for (let i = 0; i < out.length; i++) {
    const line = out[i] ?? '';
    const last = i === out.length - 1;
    // The value's final newline leaves an empty last line that the source
    // does not have; it maps to the next line.
    if (last && line === '') {
      table.push([{ at: 1, origin: at(j, indent + 1) }]);
      break;
    }
    if (!folded || line === '' || /^\s/.test(line)) {
      // Literal lines, and folded lines that keep their breaks, come from one source line.
      if (folded) while (line !== '' && isBlank(source[j])) j++;
      const written = source[j];
      if (written === undefined || written.slice(indent) !== line) {
        if (!(line === '' && isBlank(written))) return undefined;
      }
      table.push([{ at: 1, origin: at(j, indent + 1) }]);
      if (!(folded && line === '')) j++;
      continue;
    }
    // A folded line: one or more source lines joined by single spaces.
    const pieces: Segment[] = [];
    let p = 0;
    while (isBlank(source[j])) j++;
    for (;;) {
      const piece = source[j]?.slice(indent);
      if (piece === undefined || piece === '' || !line.startsWith(piece, p)) return undefined;
      pieces.push({ at: p + 1, origin: at(j, indent + 1) });
      p += piece.length;
      j++;
      if (p === line.length) break;
      if (line[p] !== ' ') return undefined;
      p++;
    }
    table.push(pieces);
  }
  return (line, column) => {
    const pieces = table[Math.min(line, table.length) - 1] ?? [];
    let piece = pieces[0];
    for (const candidate of pieces) if (candidate.at <= column) piece = candidate;
    if (!piece) return at(0, indent + 1);
    // Written out, not `{ ...piece.origin, column }`: spreads are slow to build, and this runs per position.
    return { file: piece.origin.file, line: piece.origin.line, column: piece.origin.column + column - piece.at };
  };
}

/** The block's indentation: where its first non-blank line starts, less that line's own leading spaces in the value. */
function blockIndent(source: readonly string[], out: readonly string[]): number | undefined {
  const valueLine = out.find((l) => l.trim() !== '');
  const sourceLine = source.find((l) => l.trim() !== '');
  if (valueLine === undefined) return 0;
  if (sourceLine === undefined) return undefined;
  const spaces = (l: string) => l.length - l.trimStart().length;
  const indent = spaces(sourceLine) - spaces(valueLine);
  return indent >= 0 ? indent : undefined;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
