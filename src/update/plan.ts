/**
 * `nixport convert --update`: converting again into a flake nixport wrote
 * before, which is the user's now. What it may touch, decided here from
 * the directory's files and the new output (pure; the CLI reads and writes):
 *
 * - the directory must be a nixport output: a migration.json from nixport
 *   at the top (else refused, nothing written), of the same kind (one host,
 *   or a fleet);
 * - a file whose first line is the keep marker is never written or removed;
 * - hardware-configuration.nix is nixport's placeholder only until the
 *   install replaces it; the real one is kept like a marked file;
 * - a file nixport did not write last time (not in the old report's file
 *   list) is the user's: never removed, and never overwritten either, even
 *   when the new output has a file of that name;
 * - the rest: written when new or changed, removed when nixport no longer
 *   writes it.
 *
 * What changed is reported by file and by option: each report holds a
 * digest of every option's definitions, so two runs compare option by
 * option without re-reading Nix.
 */
import type { OutputFile } from '../layout/index.ts';
import { isKept } from '../layout/keep.ts';
import { HARDWARE_PLACEHOLDER_MARK } from '../layout/index.ts';

export interface UpdatePlan {
  /** Files to write (new or changed), report files last. */
  readonly write: readonly OutputFile[];
  /** Files nixport wrote before and writes no more. */
  readonly remove: readonly string[];
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly unchanged: readonly string[];
  /** Files left alone although nixport has a version of them: marked, or never written by nixport. */
  readonly kept: readonly { readonly path: string; readonly why: KeptWhy; readonly differs: boolean }[];
  /** Option changes, by `host: option` in a fleet; undefined when the old output has no option digests. */
  readonly options?: { readonly added: readonly string[]; readonly changed: readonly string[]; readonly removed: readonly string[] };
}

/**
 * marked: the keep marker; not-ours: nixport did not write it last time;
 * hardware: the real hardware-configuration.nix (nixos-anywhere or
 * nixos-generate-config wrote it over nixport's placeholder).
 */
export type KeptWhy = 'marked' | 'not-ours' | 'hardware';

export interface UpdateRefusal {
  readonly refused: string;
  readonly hint: string;
}

interface OldReport {
  readonly tool?: unknown;
  readonly files?: unknown;
  readonly fleet?: unknown;
  readonly host?: unknown;
  readonly options?: unknown;
}

const REPORT_NAMES = ['MIGRATION.md', 'migration.json'];

/**
 * `existing`: every file of the output directory (relative path -> bytes),
 * `next`: what the conversion produced. `dir` names the directory in messages.
 */
export function planUpdate(dir: string, existing: ReadonlyMap<string, Uint8Array>, next: readonly OutputFile[]): UpdatePlan | UpdateRefusal {
  const old = readReport(existing.get('migration.json'));
  if (!old || old.tool !== 'nixport') {
    return {
      refused: `${dir} is not a nixport output: it has no migration.json written by nixport`,
      hint: 'convert into a new directory (without --update), or name the directory nixport wrote before',
    };
  }
  const nextReport = readReport(bytes(next.find((f) => f.path === 'migration.json')?.content));
  const oldFleet = Array.isArray(old.fleet);
  const newFleet = Array.isArray(nextReport?.fleet);
  if (oldFleet !== newFleet) {
    return {
      refused: `${dir} holds ${oldFleet ? `a fleet (${(old.fleet as unknown[]).join(', ')})` : `one host (${String(old.host)})`}, and this run converts ${newFleet ? 'a fleet' : 'one host'}`,
      hint: 'update it with the same kind of run it was made with, or convert into a new directory',
    };
  }

  const oldFiles = new Set(Array.isArray(old.files) ? old.files.filter((f): f is string => typeof f === 'string') : []);
  const nextPaths = new Set(next.map((f) => f.path));
  const write: OutputFile[] = [];
  const added: string[] = [];
  const changed: string[] = [];
  const unchanged: string[] = [];
  const kept: { path: string; why: KeptWhy; differs: boolean }[] = [];
  for (const file of next) {
    const have = existing.get(file.path);
    const content = bytes(file.content)!;
    if (have === undefined) {
      added.push(file.path);
      write.push(file);
      continue;
    }
    const same = equalBytes(have, content);
    const isReport = REPORT_NAMES.some((n) => file.path === n || file.path.endsWith(`/${n}`));
    if (isKept(have) && !isReport) {
      kept.push({ path: file.path, why: 'marked', differs: !same });
    } else if (isRealHardware(file.path, have)) {
      kept.push({ path: file.path, why: 'hardware', differs: !same });
    } else if (!oldFiles.has(file.path) && !isReport) {
      kept.push({ path: file.path, why: 'not-ours', differs: !same });
    } else if (same) {
      unchanged.push(file.path);
    } else {
      changed.push(file.path);
      write.push(file);
    }
  }
  const remove: string[] = [];
  for (const path of oldFiles) {
    if (nextPaths.has(path)) continue;
    const have = existing.get(path);
    if (have === undefined) continue;
    if (isKept(have)) kept.push({ path, why: 'marked', differs: true });
    else remove.push(path);
  }
  // Reports last: an interrupted update still finds the old file list.
  write.sort((a, b) => Number(isTopReport(a.path)) - Number(isTopReport(b.path)));
  const options = optionChanges(existing, next);
  return {
    write,
    remove: remove.sort(),
    added,
    changed,
    unchanged,
    kept: kept.sort((a, b) => (a.path < b.path ? -1 : 1)),
    ...(options ? { options } : {}),
  };
}

const isTopReport = (path: string) => path === 'migration.json';

/** A hardware-configuration.nix that is no longer nixport's placeholder. */
function isRealHardware(path: string, content: Uint8Array): boolean {
  if (path !== 'hardware-configuration.nix' && !path.endsWith('/hardware-configuration.nix')) return false;
  return !new TextDecoder().decode(content.subarray(0, 64)).startsWith(HARDWARE_PLACEHOLDER_MARK);
}

function readReport(content: Uint8Array | undefined): OldReport | undefined {
  if (!content) return undefined;
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(content));
    return typeof value === 'object' && value !== null ? (value as OldReport) : undefined;
  } catch {
    return undefined;
  }
}

function bytes(content: string | Uint8Array | undefined): Uint8Array | undefined {
  if (content === undefined) return undefined;
  return typeof content === 'string' ? new TextEncoder().encode(content) : content;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Option digests of every host report in a file set, keyed `option` (one host) or `host: option` (fleet). */
function digests(files: (path: string) => Uint8Array | undefined, paths: Iterable<string>): Map<string, string> | undefined {
  const out = new Map<string, string>();
  let found = false;
  for (const path of paths) {
    const m = /^(?:hosts\/([^/]+)\/)?migration\.json$/.exec(path);
    if (!m) continue;
    const options = readReport(files(path))?.options;
    if (typeof options !== 'object' || options === null) continue;
    found = true;
    for (const [name, digest] of Object.entries(options as Record<string, unknown>)) {
      if (typeof digest === 'string') out.set(m[1] ? `${m[1]}: ${name}` : name, digest);
    }
  }
  return found ? out : undefined;
}

function optionChanges(existing: ReadonlyMap<string, Uint8Array>, next: readonly OutputFile[]): UpdatePlan['options'] {
  const before = digests((p) => existing.get(p), existing.keys());
  const byPath = new Map(next.map((f) => [f.path, bytes(f.content)!]));
  const after = digests((p) => byPath.get(p), byPath.keys());
  if (!before || !after) return undefined;
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [name, digest] of after) {
    const was = before.get(name);
    if (was === undefined) added.push(name);
    else if (was !== digest) changed.push(name);
  }
  for (const name of before.keys()) if (!after.has(name)) removed.push(name);
  return { added, changed, removed };
}
