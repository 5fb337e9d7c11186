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
  const definitions = tree.definitions;
  const names = new OptionNames();
  const named = definitions.map((d, index) => ({ name: names.of(d.path), index }));
  // Sorted by name, definitions of one option come together, in their own
  // order (the sort is stable): grouping needs no map of tens of thousands
  // of names, and the output is in name order anyway.
  named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const text = (i: number): string => JSON.stringify(definitions[named[i]!.index]!.value);
  const out: Record<string, string> = {};
  const hash = new Fnv();
  let i = 0;
  while (i < named.length) {
    const name = named[i]!.name;
    hash.reset().update(text(i++));
    // The texts of one option's definitions are hashed as if joined by newlines.
    while (i < named.length && named[i]!.name === name) hash.update('\n').update(text(i++));
    out[name] = hash.digest();
  }
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
  private a = 0;
  private b = 0;

  reset(): this {
    this.a = 0x811c9dc5;
    this.b = 0x050c5d1f;
    return this;
  }

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

  /** Both lanes as 16 lower-case hex digits, written without `toString(16)` and padding: this runs per option. */
  digest(): string {
    const a = this.a;
    const b = this.b;
    return String.fromCharCode(
      HEX[(a >>> 28) & 15]!, HEX[(a >>> 24) & 15]!, HEX[(a >>> 20) & 15]!, HEX[(a >>> 16) & 15]!,
      HEX[(a >>> 12) & 15]!, HEX[(a >>> 8) & 15]!, HEX[(a >>> 4) & 15]!, HEX[a & 15]!,
      HEX[(b >>> 28) & 15]!, HEX[(b >>> 24) & 15]!, HEX[(b >>> 20) & 15]!, HEX[(b >>> 16) & 15]!,
      HEX[(b >>> 12) & 15]!, HEX[(b >>> 8) & 15]!, HEX[(b >>> 4) & 15]!, HEX[b & 15]!,
    );
  }
}

/** Character codes of the hex digits. */
const HEX: readonly number[] = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));
