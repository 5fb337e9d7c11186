import type { Ledger } from '../../../model/ledger.ts';
import type { SpecWalker } from '../walker.ts';

/**
 * A file beside a Butane config, as Butane's `--files-dir` finds it for
 * `local`, `contents_local`, `ssh_authorized_keys_local` and `trees`.
 */
export interface LocalFile {
  /** The input path, for messages and for `sources`. */
  readonly path: string;
  readonly content: Uint8Array;
}

/**
 * Finds the files a Butane config names relative to its directory, among
 * the inputs nixport was given. `found: false` when the file is not among
 * them (a manual step); a path that leaves the directory is refused.
 */
export interface LocalFiles {
  /** `relative` as written in the config (`files/app.conf`). */
  file(relative: string): { readonly found: true; readonly file: LocalFile } | { readonly found: false; readonly reason: string };
  /** Every input file below a directory (for `trees`), with its path relative to it. */
  tree(relative: string): { readonly found: true; readonly files: readonly { readonly relative: string; readonly file: LocalFile }[] } | { readonly found: false; readonly reason: string };
}

/** What the shared builder needs besides the config itself. */
export interface ReaderContext {
  readonly w: SpecWalker;
  readonly ledger: Ledger;
  /** The input file, for origins of generated text. */
  readonly file: string;
  /** Butane only: files beside the config. */
  readonly locals?: LocalFiles;
}
