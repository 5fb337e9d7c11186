import type { NixosTree } from '../nix/tree.ts';
import { optionSegment } from '../strategies/context.ts';

/**
 * A digest of every option's definitions, by option name, for
 * `convert --update` to tell which options changed between two runs. The
 * digest covers the definitions' values (their syntax trees), so a changed
 * value, or a definition added or removed at the same name, changes it;
 * the comments above a definition do not.
 */
export function optionDigests(tree: NixosTree): Record<string, string> {
  // Each option's texts are hashed as they come, joined by newlines, instead
  // of being kept and joined: tens of thousands of definitions held megabytes.
  const hashes = new Map<string, Fnv>();
  const names = new OptionNames();
  for (const d of tree.definitions) {
    const name = names.of(d.path);
    const text = JSON.stringify(d.value);
    const hash = hashes.get(name);
    if (hash) hash.update('\n').update(text);
    else hashes.set(name, new Fnv().update(text));
  }
  const named = [...hashes].map(([name, hash]) => [name, hash.digest()] as const);
  named.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, string> = {};
  for (const [name, digest] of named) out[name] = digest;
  return out;
}

/**
 * Option names of paths, taking over the segments a path shares with the
 * one before it: definitions of one unit or container come one after
 * another, and quoting every segment anew was most of the digests' time.
 */
class OptionNames {
  private previous: readonly string[] = [];
  private segments: string[] = [];

  of(path: readonly string[]): string {
    let same = 0;
    while (same < path.length && same < this.previous.length && path[same] === this.previous[same]) same++;
    this.segments.length = same;
    for (let i = same; i < path.length; i++) this.segments.push(optionSegment(path[i]!));
    this.previous = path;
    return this.segments.join('.');
  }
}

/**
 * Two 32-bit FNV-1a lanes over the UTF-16 code units, as 16 hex digits:
 * fast, and no crypto module, so it runs in the browser too. Updating with
 * several texts gives the digest of their concatenation.
 */
class Fnv {
  private a = 0x811c9dc5;
  private b = 0x050c5d1f;

  update(text: string): this {
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x01000193) ^ (a >>> 15);
    }
    this.a = a;
    this.b = b;
    return this;
  }

  digest(): string {
    return (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0');
  }
}
