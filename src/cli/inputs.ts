import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { InputFile } from '../sources/types.ts';
import { UsageError } from './usage-error.ts';

/** Larger inputs are refused: no host's configuration is this big, and reading it would stall. */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/** Directories never worth reading as host configuration. */
const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);

/** Reads the named files, and every file under the named directories (sorted, marked `discovered`). */
export async function gatherInputs(paths: readonly string[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => undefined);
    if (!info) {
      throw new UsageError(`${p}: no such file or directory`, 'check the path; nixport takes files and directories');
    }
    if (info.isDirectory()) await walk(p, out);
    else out.push(await readInput(p, false));
  }
  return out;
}

async function walk(dir: string, out: InputFile[]): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) await walk(path, out);
    } else if (entry.isFile()) {
      out.push(await readInput(path, true));
    } else if (entry.isSymbolicLink()) {
      // Follow links to files only: a link to a directory could loop.
      const target = await stat(path).catch(() => undefined);
      if (target?.isFile()) out.push(await readInput(path, true));
    }
  }
}

async function readInput(path: string, discovered: boolean): Promise<InputFile> {
  const info = await lstat(path);
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
