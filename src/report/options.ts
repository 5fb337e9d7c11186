import type { NixosTree } from '../nix/tree.ts';
import { optionName } from '../strategies/context.ts';

/**
 * A digest of every option's definitions, by option name, for
 * `convert --update` to tell which options changed between two runs. The
 * digest covers the definitions' values (their syntax trees), so a changed
 * value, or a definition added or removed at the same name, changes it;
 * the comments above a definition do not.
 */
export function optionDigests(tree: NixosTree): Record<string, string> {
  // Grouped by the joined path first: naming every definition's option is the slow part.
  const texts = new Map<string, { path: readonly string[]; values: string[] }>();
  for (const d of tree.definitions) {
    const key = d.path.join('\u0000');
    const text = JSON.stringify(d.value);
    const entry = texts.get(key);
    if (entry) entry.values.push(text);
    else texts.set(key, { path: d.path, values: [text] });
  }
  const named = [...texts.values()].map((e) => [optionName(e.path), fnv1a64(e.values.join('\n'))] as const);
  named.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, string> = {};
  for (const [name, digest] of named) out[name] = digest;
  return out;
}

/** Two 32-bit FNV-1a lanes over the UTF-16 code units, as 16 hex digits: fast, and no crypto module, so it runs in the browser too. */
function fnv1a64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (a >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
