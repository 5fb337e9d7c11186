/**
 * A Compose file as a tree of plain values that keep their origins.
 *
 * Loading a Compose project rewrites its YAML a lot before anything is
 * translated: merge keys and aliases are expanded, `${VAR}` is
 * interpolated, override files, `extends` and `include` are merged in.
 * Every step works on this tree, so each value still knows the file, line
 * and column it came from when the translation (or an error) names it.
 */
import { isAlias, isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { InputError } from '../../model/diagnostic.ts';
import type { Origin } from '../../model/origin.ts';
import { deref, originOf, resolveAlias, type YamlSource } from '../yaml.ts';

/** `!reset` clears what earlier files set; `!override` replaces it instead of merging. */
export type MergeTag = 'reset' | 'override';

export type Scalar = string | number | boolean | null;

export interface CScalar {
  readonly kind: 'scalar';
  readonly value: Scalar;
  readonly origin: Origin;
  readonly tag?: MergeTag;
}

export interface CEntry {
  readonly key: string;
  readonly keyOrigin: Origin;
  readonly value: CNode;
}

export interface CMap {
  readonly kind: 'map';
  /** In document order; Map keeps insertion order. */
  readonly entries: Map<string, CEntry>;
  readonly origin: Origin;
  readonly tag?: MergeTag;
}

export interface CSeq {
  readonly kind: 'seq';
  readonly items: CNode[];
  readonly origin: Origin;
  readonly tag?: MergeTag;
}

export type CNode = CScalar | CMap | CSeq;

export function scalar(value: Scalar, origin: Origin): CScalar {
  return { kind: 'scalar', value, origin };
}

export function isCMap(node: CNode | undefined): node is CMap {
  return node?.kind === 'map';
}

export function isCSeq(node: CNode | undefined): node is CSeq {
  return node?.kind === 'seq';
}

export function isCScalar(node: CNode | undefined): node is CScalar {
  return node?.kind === 'scalar';
}

export function isNull(node: CNode | undefined): boolean {
  return node === undefined || (node.kind === 'scalar' && node.value === null);
}

/** The value of a key of a mapping, undefined when the node is no mapping or lacks the key. */
export function child(node: CNode | undefined, key: string): CNode | undefined {
  return node?.kind === 'map' ? node.entries.get(key)?.value : undefined;
}

export function entryOf(node: CNode | undefined, key: string): CEntry | undefined {
  return node?.kind === 'map' ? node.entries.get(key) : undefined;
}

/** A scalar as the string Compose reads for it (`8080` and `true` as written). */
export function text(node: CNode | undefined): string | undefined {
  if (node?.kind !== 'scalar' || node.value === null) return undefined;
  return String(node.value);
}

/** The tree of one YAML document, merge keys applied and aliases followed. */
export function fromYaml(src: YamlSource): CNode {
  const root = src.doc.contents;
  const start = { file: src.file, line: 1, column: 1 };
  if (root === null) return scalar(null, start);
  // Aliases are expanded here, so this bounds how far: a real file's tree is not much larger than its text.
  const budget = { left: Math.max(100_000, 2 * src.text.length) };
  return convert(src, root, 0, start, budget);
}

/** Deeper than any Compose file needs; stops a hostile alias chain. */
const MAX_DEPTH = 200;

function convert(src: YamlSource, raw: unknown, depth: number, fallback: Origin, budget: { left: number }): CNode {
  const rawOrigin = raw !== null && typeof raw === 'object' ? originOf(src, raw as Node) : fallback;
  if (--budget.left < 0) {
    throw new InputError({
      code: 'compose/alias-limit',
      message: 'YAML aliases expand to far more data than the file holds',
      origin: rawOrigin,
      hint: 'This looks like an alias bomb; write the repeated values out instead of nesting aliases.',
    });
  }
  if (depth > MAX_DEPTH) {
    throw new InputError({ code: 'compose/yaml', message: 'the YAML nests too deeply', origin: rawOrigin, hint: 'check for an alias that refers to itself' });
  }
  const tag = mergeTag(raw);
  if (isAlias(raw) && resolveAlias(src, raw) === undefined) {
    throw new InputError({ code: 'compose/yaml', message: `invalid YAML: alias *${raw.source} refers to no anchor before it`, origin: rawOrigin, hint: `Define \`&${raw.source}\` on a value above this line, or write the value out.` });
  }
  const node = deref(src, raw);
  const origin = node ? originOf(src, node) : rawOrigin;
  if (node === null) return withTag({ kind: 'scalar', value: null, origin }, tag);
  if (isScalar(node)) {
    const value = node.value;
    const plain: Scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : value === null ? null : String(value);
    return withTag({ kind: 'scalar', value: plain, origin }, tag ?? mergeTag(node));
  }
  if (isSeq(node)) {
    return withTag({ kind: 'seq', items: node.items.map((item) => convert(src, item, depth + 1, origin, budget)), origin }, tag ?? mergeTag(node));
  }
  const entries = new Map<string, CEntry>();
  const merged: CEntry[] = [];
  for (const pair of node.items as Pair[]) {
    if (isMergeKey(pair.key)) {
      // `<<: *a` or `<<: [*a, *b]`: the earlier mapping wins, explicit keys win over all.
      const value = deref(src, pair.value);
      const sources = isSeq(value) ? value.items : [pair.value];
      for (const s of sources) {
        const m = convert(src, s, depth + 1, origin, budget);
        if (m.kind !== 'map') {
          throw new InputError({ code: 'compose/yaml', message: 'a merge key (`<<`) must refer to a mapping', origin: m.origin, hint: 'write `<<: *anchor` where the anchor names a mapping' });
        }
        merged.push(...m.entries.values());
      }
      continue;
    }
    const keyNode = deref(src, pair.key);
    if (!isScalar(keyNode)) {
      throw new InputError({ code: 'compose/yaml', message: 'expected a plain key, found a complex key', origin: originOf(src, pair), hint: 'write keys as plain names followed by `:`' });
    }
    const key = typeof keyNode.value === 'string' ? keyNode.value : (keyNode.source ?? String(keyNode.value));
    const keyOrigin = originOf(src, keyNode);
    const twin = entries.get(key);
    if (twin) {
      throw new InputError({
        code: 'compose/duplicate-key',
        message: `invalid YAML: the key \`${key}\` is already set at line ${twin.keyOrigin.line}`,
        origin: keyOrigin,
        hint: 'Remove or merge the repeated key; only one of the two would take effect.',
      });
    }
    entries.set(key, { key, keyOrigin, value: convert(src, pair.value, depth + 1, keyOrigin, budget) });
  }
  for (const e of merged) if (!entries.has(e.key)) entries.set(e.key, e);
  return withTag({ kind: 'map', entries, origin }, tag ?? (isMap(node) ? mergeTag(node) : undefined));
}

function withTag<T extends CNode>(node: T, tag: MergeTag | undefined): T {
  return tag === undefined ? node : { ...node, tag };
}

function mergeTag(raw: unknown): MergeTag | undefined {
  const tag = (raw as { tag?: string } | null)?.tag;
  if (tag === '!reset') return 'reset';
  if (tag === '!override') return 'override';
  return undefined;
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (typeof key.value === 'symbol' || (key.type === 'PLAIN' && key.source === '<<'));
}

/** Plain JSON for the schema validator; tags are dropped. */
export function toJS(node: CNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(toJS);
  const out: Record<string, unknown> = {};
  // forEach, not `for of` over entries: no [key, entry] pair is made per key of the file.
  node.entries.forEach((e, k) => {
    out[k] = toJS(e.value);
  });
  return out;
}

/** A copy of a mapping with one key set (or removed, with `undefined`). */
export function withEntry(map: CMap, key: string, value: CNode | undefined, keyOrigin: Origin = map.origin): CMap {
  const entries = new Map(map.entries);
  if (value === undefined) entries.delete(key);
  else entries.set(key, { key, keyOrigin: entries.get(key)?.keyOrigin ?? keyOrigin, value });
  return { ...map, entries };
}

/** Follows a JSON pointer-like path (`/services/web/ports/0`) to the deepest node that exists. */
export function locate(root: CNode, path: readonly string[]): { readonly node: CNode; readonly keyOrigin?: Origin; readonly depth: number } {
  let node = root;
  let keyOrigin: Origin | undefined;
  let depth = 0;
  for (const segment of path) {
    if (node.kind === 'map') {
      const e = node.entries.get(segment);
      if (!e) break;
      node = e.value;
      keyOrigin = e.keyOrigin;
    } else if (node.kind === 'seq') {
      const item = node.items[Number(segment)];
      if (!item) break;
      node = item;
      keyOrigin = undefined;
    } else break;
    depth++;
  }
  return keyOrigin ? { node, keyOrigin, depth } : { node, depth };
}
