/**
 * Merging Compose files (compose-spec 13-merge.md): mappings merge key by
 * key, sequences append, scalars are replaced. The exceptions are data:
 * `command`, `entrypoint` and `healthcheck.test` are replaced whole; ports,
 * volumes, secrets and configs merge by their unique key; `!reset` removes
 * a value, `!override` replaces it. The same rules merge a service over the
 * one it `extends`.
 *
 * Keys that take a list or a mapping (`environment`, `labels`,
 * `depends_on`, service `networks`, ...) are normalised to mappings first
 * (normalize.ts), so `- A=1` in one file and `A: 2` in the next merge by name.
 */
import { isCScalar, text, type CMap, type CNode, type CSeq } from './node.ts';
import { portKey, volumeTarget } from './short-syntax.ts';

/** Shell commands are replaced whole, not merged: `services.*.command`, `.entrypoint`, `.healthcheck.test`. */
function isReplaced(path: readonly string[]): boolean {
  if (path[0] !== 'services') return false;
  if (path.length === 3) return path[2] === 'command' || path[2] === 'entrypoint';
  return path.length === 4 && path[2] === 'healthcheck' && path[3] === 'test';
}

/** Sequences that merge entries sharing a unique key instead of appending them. */
const UNIQUE: Readonly<Record<string, (item: CNode) => string | undefined>> = {
  ports: portKey,
  volumes: volumeTarget,
  secrets: secretTarget('/run/secrets/'),
  configs: secretTarget('/'),
};

/** Merges `over` into `base` at a path (`['services', 'web']`), as a later Compose file does. */
export function mergeNodes(base: CNode | undefined, over: CNode, path: readonly string[]): CNode | undefined {
  if (over.tag === 'reset') return undefined;
  if (over.tag === 'override' || base === undefined) return stripTag(over);
  const key = path[path.length - 1] ?? '';
  if (isReplaced(path)) return over;
  if (base.kind === 'map' && over.kind === 'map') {
    // A different logging driver replaces the whole logging block: the options belong to the driver.
    if (key === 'logging' && path.length === 3 && path[0] === 'services' && text(over.entries.get('driver')?.value) !== undefined && text(over.entries.get('driver')?.value) !== text(base.entries.get('driver')?.value)) {
      return over;
    }
    return mergeMaps(base, over, path);
  }
  if (base.kind === 'seq' && over.kind === 'seq') return mergeSeqs(base, over, key, path.length === 3 && path[0] === 'services');
  return over;
}

function mergeMaps(base: CMap, over: CMap, path: readonly string[]): CMap {
  const entries = new Map(base.entries);
  for (const [k, e] of over.entries) {
    const merged = mergeNodes(entries.get(k)?.value, e.value, [...path, k]);
    if (merged === undefined) entries.delete(k);
    else entries.set(k, { key: k, keyOrigin: entries.get(k)?.keyOrigin ?? e.keyOrigin, value: merged });
  }
  return { kind: 'map', entries, origin: base.origin };
}

function mergeSeqs(base: CSeq, over: CSeq, key: string, serviceLevel: boolean): CSeq {
  const unique = serviceLevel ? UNIQUE[key] : undefined;
  if (unique) {
    const items = [...base.items];
    for (const item of over.items) {
      const k = unique(item);
      const at = k === undefined ? -1 : items.findIndex((x) => unique(x) === k);
      if (at >= 0) items[at] = item;
      else items.push(item);
    }
    return { kind: 'seq', items, origin: base.origin };
  }
  // Plain sequences append; an entry written again (`dns: [1.1.1.1]` in both files) is kept once.
  const seen = new Set(base.items.filter(isCScalar).map((i) => String(i.value)));
  const items = [...base.items];
  for (const item of over.items) {
    if (isCScalar(item) && seen.has(String(item.value))) continue;
    items.push(item);
  }
  return { kind: 'seq', items, origin: base.origin };
}

function stripTag(node: CNode): CNode {
  if (node.tag === undefined) return node;
  const { tag: _tag, ...rest } = node;
  return rest as CNode;
}

function secretTarget(prefix: string): (item: CNode) => string | undefined {
  return (item) => {
    if (isCScalar(item)) return `${prefix}${String(item.value)}`;
    if (item.kind !== 'map') return undefined;
    const target = text(item.entries.get('target')?.value);
    const source = text(item.entries.get('source')?.value);
    if (target !== undefined) return target.startsWith('/') ? target : `${prefix}${target}`;
    return source === undefined ? undefined : `${prefix}${source}`;
  };
}
