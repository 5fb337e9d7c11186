import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import type { OutputFile } from '../layout/index.ts';
import { UsageError } from './usage-error.ts';

/**
 * Writes the output next to its final place and renames it into place, so
 * an interrupted run never leaves half a flake, and an existing output is
 * replaced only with --force.
 */
export async function writeOutput(dir: string, files: readonly OutputFile[], force: boolean): Promise<void> {
  const target = resolve(dir);
  const existing = await stat(target).catch(() => undefined);
  if (existing && !existing.isDirectory()) {
    throw new UsageError(`${dir} exists and is not a directory`, 'choose another output directory with -o');
  }
  if (existing && !force && (await readdir(target)).length > 0) {
    throw new UsageError(`${dir} exists and is not empty`, 'pass --force to replace it, or choose another directory with -o');
  }
  await mkdir(dirname(target), { recursive: true });
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const temp = `${target}.nixport-new-${stamp}`;
  try {
    for (const file of files) {
      const path = join(temp, safeRelative(file.path));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.content, { mode: file.mode ?? 0o644, flag: 'wx' });
    }
    if (existing) {
      const old = `${target}.nixport-old-${stamp}`;
      await rename(target, old);
      await rename(temp, target);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(temp, target);
    }
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    throw e;
  }
}

/** Output paths come from nixport, but a unit or file name from the input must never escape the directory. */
function safeRelative(path: string): string {
  const n = normalize(path);
  if (n.startsWith('/') || n === '..' || n.startsWith(`..${sep}`) || n.includes(`${sep}..${sep}`)) {
    throw new Error(`nixport bug: output path ${JSON.stringify(path)} escapes the output directory`);
  }
  return n;
}
