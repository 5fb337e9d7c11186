/**
 * The shape of one entry in the Docker CLI flag tables (run/create, the
 * global flags, the housekeeping verbs). The tables are data so that the
 * parser, the strategies and docs/support-matrix.md read the same facts.
 */

/** Value types as the Docker CLI reference names them. `bool` takes no value. */
export type FlagType =
  | 'bool'
  | 'string'
  | 'list'
  | 'map'
  | 'int'
  | 'int64'
  | 'uint16'
  | 'uint64'
  | 'decimal'
  | 'duration'
  | 'bytes'
  | 'ip'
  | 'network'
  | 'mount'
  | 'ulimit'
  | 'gpu-request'
  | 'stringSlice';

/**
 * current: documented and accepted.
 * deprecated: still accepted, but Docker says it is going away or does nothing.
 * removed: no longer accepted by a current Docker CLI; kept so old units still
 *   parse (its arity decides where the image is).
 * windows-only: accepted, meaningful only for Windows containers.
 * experimental: accepted, marked experimental by Docker.
 */
export type FlagStatus = 'current' | 'deprecated' | 'removed' | 'windows-only' | 'experimental';

export interface FlagSpec {
  /** Long form with dashes: `--publish`. (Every Docker flag has one.) */
  readonly name: string;
  /** Single-letter form with its dash: `-p`. */
  readonly short?: string;
  /** Other spellings that mean this flag (hidden or legacy): `--net` for `--network`. */
  readonly aliases?: readonly string[];
  readonly type: FlagType;
  /** Each occurrence adds a value (lists, maps, mounts); otherwise the last one wins. */
  readonly repeatable: boolean;
  /** Absent means `current`. */
  readonly status?: FlagStatus;
  /** Why it is deprecated or removed, and since when. */
  readonly note?: string;
  readonly description: string;
}

/** Whether a flag consumes a value (`--flag value`); bools only take `--flag=false` forms. */
export function takesValue(spec: FlagSpec): boolean {
  return spec.type !== 'bool';
}

export function statusOf(spec: FlagSpec): FlagStatus {
  return spec.status ?? 'current';
}

/** Lookup of a flag table by every spelling (long, short, aliases). */
export interface FlagIndex {
  readonly long: ReadonlyMap<string, FlagSpec>;
  readonly short: ReadonlyMap<string, FlagSpec>;
}

export function indexFlags(specs: readonly FlagSpec[]): FlagIndex {
  const long = new Map<string, FlagSpec>();
  const short = new Map<string, FlagSpec>();
  for (const spec of specs) {
    long.set(spec.name, spec);
    for (const alias of spec.aliases ?? []) long.set(alias, spec);
    // Keys of the short map are the bare letter, as they appear inside a cluster (`-it`).
    if (spec.short !== undefined) short.set(spec.short.slice(1), spec);
  }
  return { long, short };
}
