import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Report } from '../report/types.ts';
import type { InputFile } from '../sources/types.ts';
import { UsageError } from './usage-error.ts';

/** Larger inputs are refused before they are read; the library refuses them too (sources/decode.ts). */
export { MAX_INPUT_BYTES } from '../sources/decode.ts';
import { MAX_INPUT_BYTES } from '../sources/decode.ts';
import { INPUT_KINDS_HINT } from '../sources/detect.ts';

/** Directories never worth reading as host configuration. */
const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);

export interface GatheredInputs {
  readonly files: readonly InputFile[];
  /** Each directory named on the command line, with the paths of the files found under it. */
  readonly directories: ReadonlyMap<string, readonly string[]>;
}

/** Reads the named files, and every file under the named directories (sorted, marked `discovered`). */
export async function gatherInputs(paths: readonly string[]): Promise<InputFile[]> {
  return [...(await gatherNamedInputs(paths)).files];
}

/**
 * gatherInputs, remembering which files each named directory held.
 * `output` (the -o directory) and its temporary siblings are not walked:
 * a second run must not read the first run's flake.
 */
export async function gatherNamedInputs(paths: readonly string[], output?: string): Promise<GatheredInputs> {
  const files: InputFile[] = [];
  const directories = new Map<string, string[]>();
  const skip = output === undefined ? undefined : resolve(output);
  for (const p of paths) {
    const info = await stat(p).catch(() => undefined);
    if (!info) {
      throw new UsageError(`${p}: no such file or directory`, 'check the path; nixport takes files and directories');
    }
    if (info.isDirectory()) {
      const found: InputFile[] = [];
      await walk(p, found, skip);
      if (found.length === 0) {
        throw new UsageError(`no inputs nixport can read in ${p}: it holds no files`, INPUT_KINDS_HINT);
      }
      directories.set(p, found.map((f) => f.path));
      files.push(...found);
    } else files.push(await readInput(p, false));
  }
  return { files, directories };
}

/**
 * A named directory none of whose files was read is a mistake, like a named
 * file nixport cannot read: converting it would write an empty flake.
 */
export function requireReadableDirectories(gathered: GatheredInputs, report: Report): void {
  const read = new Set(report.inputs.map((i) => i.path));
  for (const [dir, paths] of gathered.directories) {
    if (paths.some((p) => read.has(p))) continue;
    throw new UsageError(
      `no inputs nixport can read in ${dir}: none of its ${paths.length} file(s) is an input nixport reads`,
      INPUT_KINDS_HINT,
    );
  }
}

async function walk(dir: string, out: InputFile[], skip: string | undefined): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (skip !== undefined && isOutput(resolve(path), skip)) continue;
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) await walk(path, out, skip);
    } else if (entry.isFile()) {
      out.push(await readInput(path, true));
    } else if (entry.isSymbolicLink()) {
      // Follow links to files only: a link to a directory could loop.
      const target = await stat(path).catch(() => undefined);
      if (target?.isFile()) out.push(await readInput(path, true));
    }
  }
}

/** The output directory, or a temporary one writeOutput leaves beside it while it works. */
function isOutput(path: string, output: string): boolean {
  return path === output || path.startsWith(`${output}.nixport-`);
}

async function readInput(path: string, discovered: boolean): Promise<InputFile> {
  // stat, not lstat: a link to a huge file is as large as the file.
  const info = await stat(path);
  if (info.size > MAX_INPUT_BYTES) {
    throw new UsageError(
      `${path}: ${info.size} bytes is too large for a host configuration (limit ${MAX_INPUT_BYTES})`,
      'name the cloud-config, unit and key files themselves rather than a directory with other data',
    );
  }
  const content = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`${path}: cannot read (${e.code ?? e.message})`, 'check the permissions');
  });
  return { path, content: new Uint8Array(content.buffer, content.byteOffset, content.byteLength), discovered };
}
