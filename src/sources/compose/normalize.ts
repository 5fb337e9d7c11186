/**
 * One shape per key, before files merge: Compose accepts a list or a
 * mapping for `environment`, `labels`, `depends_on`, service `networks`
 * and more, and merges them by name. Each list entry becomes a mapping
 * entry that keeps the entry's origin.
 */
import { isCMap, isCScalar, scalar, text, type CEntry, type CMap, type CNode } from './node.ts';

/** `NAME=value` lists (a bare `NAME` has no value: null). */
const ASSIGNMENT_LISTS = ['environment', 'labels', 'annotations', 'sysctls'];

export function normalizeService(svc: CNode): CNode {
  if (!isCMap(svc)) return svc;
  const entries = new Map(svc.entries);
  const set = (key: string, value: CNode) => entries.set(key, { ...entries.get(key)!, value });
  for (const key of ASSIGNMENT_LISTS) {
    const e = entries.get(key);
    if (e?.value.kind === 'seq') set(key, assignments(e.value.items, e.value, key === 'environment' ? null : ''));
  }
  const build = entries.get('build');
  if (build && isCScalar(build.value) && build.value.value !== null) {
    set('build', mapOf(build.value, [['context', build.value]]));
  } else if (build && isCMap(build.value)) {
    const args = build.value.entries.get('args');
    if (args?.value.kind === 'seq') {
      const inner = new Map(build.value.entries);
      inner.set('args', { ...args, value: assignments(args.value.items, args.value, null) });
      set('build', { ...build.value, entries: inner });
    }
  }
  const extendsEntry = entries.get('extends');
  if (extendsEntry && isCScalar(extendsEntry.value)) set('extends', mapOf(extendsEntry.value, [['service', extendsEntry.value]]));
  const dependsOn = entries.get('depends_on');
  if (dependsOn?.value.kind === 'seq') {
    set(
      'depends_on',
      keyed(dependsOn.value.items, dependsOn.value, (item) =>
        mapOf(item, [
          ['condition', scalar('service_started', item.origin)],
          ['required', scalar(true, item.origin)],
        ]),
      ),
    );
  }
  const networks = entries.get('networks');
  if (networks?.value.kind === 'seq') set('networks', keyed(networks.value.items, networks.value, (item) => scalar(null, item.origin)));
  for (const key of ['env_file', 'dns', 'dns_search', 'tmpfs']) {
    const e = entries.get(key);
    if (e && isCScalar(e.value) && e.value.value !== null) set(key, { kind: 'seq', items: [e.value], origin: e.value.origin });
  }
  return { ...svc, entries };
}

/** Top-level networks/volumes/secrets/configs: their `labels` lists become mappings. */
export function normalizeResource(resource: CNode): CNode {
  if (!isCMap(resource)) return resource;
  const labels = resource.entries.get('labels');
  if (labels?.value.kind !== 'seq') return resource;
  const entries = new Map(resource.entries);
  entries.set('labels', { ...labels, value: assignments(labels.value.items, labels.value, '') });
  return { ...resource, entries };
}

function assignments(items: readonly CNode[], list: CNode, bare: string | null): CMap {
  const entries = new Map<string, CEntry>();
  for (const item of items) {
    const raw = text(item);
    if (raw === undefined) continue;
    const eq = raw.indexOf('=');
    const key = eq < 0 ? raw : raw.slice(0, eq);
    const value = eq < 0 ? scalar(bare, item.origin) : scalar(raw.slice(eq + 1), item.origin);
    entries.delete(key); // the last one wins, and is where the key is now
    entries.set(key, { key, keyOrigin: item.origin, value });
  }
  return { kind: 'map', entries, origin: list.origin };
}

function keyed(items: readonly CNode[], list: CNode, valueOf: (item: CNode) => CNode): CMap {
  const entries = new Map<string, CEntry>();
  for (const item of items) {
    const key = text(item);
    if (key === undefined) continue;
    entries.set(key, { key, keyOrigin: item.origin, value: valueOf(item) });
  }
  return { kind: 'map', entries, origin: list.origin };
}

function mapOf(at: CNode, pairs: readonly (readonly [string, CNode])[]): CMap {
  const entries = new Map<string, CEntry>();
  for (const [key, value] of pairs) entries.set(key, { key, keyOrigin: at.origin, value });
  return { kind: 'map', entries, origin: at.origin };
}
