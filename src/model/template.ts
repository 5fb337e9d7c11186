/**
 * Text with references to files inside nixpkgs packages, e.g. a command line
 * whose `/sbin/cryptsetup` became `${pkgs.cryptsetup}/bin/cryptsetup`.
 * Passes produce templates; strategies turn them into Nix strings.
 */
export interface StoreRef {
  /** Attribute path under `pkgs`: `['lvm2', 'bin']` for `pkgs.lvm2.bin`. */
  readonly attr: readonly string[];
  /** Path inside the package output, starting with `/`: `/bin/vgchange`. */
  readonly path: string;
}

export type Segment = string | StoreRef;
export type Template = readonly Segment[];

export function isStoreRef(segment: Segment): segment is StoreRef {
  return typeof segment !== 'string';
}

/** Joins adjacent text segments so templates compare and print simply. */
export function normalizeTemplate(segments: readonly Segment[]): Template {
  const out: Segment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if (typeof s === 'string') {
      if (s === '') continue;
      if (typeof last === 'string') out[out.length - 1] = last + s;
      else out.push(s);
    } else {
      out.push(s);
    }
  }
  return out;
}

/** Replaces [start, end) spans of `text` by store references; spans must not overlap. */
export function spliceTemplate(
  text: string,
  replacements: readonly { readonly start: number; readonly end: number; readonly ref: StoreRef }[],
): Template {
  const sorted = [...replacements].sort((a, b) => a.start - b.start);
  const out: Segment[] = [];
  let at = 0;
  for (const r of sorted) {
    out.push(text.slice(at, r.start), r.ref);
    at = r.end;
  }
  out.push(text.slice(at));
  return normalizeTemplate(out);
}
