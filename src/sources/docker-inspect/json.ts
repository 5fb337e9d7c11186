import { InputError } from '../../model/diagnostic.ts';
import { parseJson, type JsonDocument, type JsonNode, type JsonObject } from '../ignition/json.ts';

/**
 * `docker inspect` output is JSON; the positioned parser of the Ignition
 * reader reads it (same rules: Go's encoding/json). Its errors are given the
 * code and hint of this reader.
 */
export function parseInspectJson(path: string, text: string): JsonDocument {
  try {
    return parseJson(path, text);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const d = error.diagnostic;
    throw new InputError({
      code: 'docker-inspect/json',
      message: d.message,
      ...(d.origin ? { origin: d.origin } : {}),
      hint: 'paste the output of `docker inspect $(docker ps -aq)` as it was printed: one JSON array',
    });
  }
}

export function member(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node?.type !== 'object') return undefined;
  for (const m of node.members) if (m.key === key) return m.value;
  return undefined;
}

export function stringOf(node: JsonNode | undefined): string | undefined {
  return node?.type === 'string' ? node.value : undefined;
}

export function numberOf(node: JsonNode | undefined): number | undefined {
  return node?.type === 'number' && typeof node.value === 'number' ? node.value : undefined;
}

export function boolOf(node: JsonNode | undefined): boolean | undefined {
  return node?.type === 'boolean' && typeof node.value === 'boolean' ? node.value : undefined;
}

export function itemsOf(node: JsonNode | undefined): readonly JsonNode[] {
  return node?.type === 'array' ? node.items : [];
}

/** String items of an array; others are skipped. */
export function stringsOf(node: JsonNode | undefined): string[] {
  return itemsOf(node).flatMap((n) => (n.type === 'string' ? [n.value] : []));
}

export function membersOf(node: JsonNode | undefined): JsonObject['members'] {
  return node?.type === 'object' ? node.members : [];
}

/** null, "", false, 0, [] and {}: what Docker prints for a setting nobody made. */
export function isEmpty(node: JsonNode | undefined): boolean {
  if (node === undefined) return true;
  switch (node.type) {
    case 'null':
      return true;
    case 'string':
      return node.value === '';
    case 'boolean':
      return node.value === false;
    case 'number':
      return node.value === 0;
    case 'array':
      return node.items.length === 0;
    case 'object':
      return node.members.length === 0;
  }
}

/** Structural equality of two JSON values (for comparing a container's settings with its image's). */
export function sameJson(a: JsonNode | undefined, b: JsonNode | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.type !== b.type) return false;
  switch (a.type) {
    case 'array': {
      const bi = (b as typeof a).items;
      return a.items.length === bi.length && a.items.every((x, i) => sameJson(x, bi[i]));
    }
    case 'object': {
      const bm = (b as typeof a).members;
      return a.members.length === bm.length && a.members.every((m) => sameJson(m.value, member(b, m.key)));
    }
    default:
      return a.value === (b as typeof a).value;
  }
}
