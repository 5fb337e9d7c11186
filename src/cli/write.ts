import { chmod, lstat, mkdir, readdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import type { OutputFile } from '../layout/index.ts';
import { SECRETS_LOCAL } from '../layout/secrets.ts';
import { UsageError } from './usage-error.ts';

export interface WriteOptions {
  /** Replace a non-empty output directory. */
  readonly force: boolean;
  /** Paths of the input files: an output directory holding one is never replaced. */
  readonly inputs: readonly string[];
}

/**
 * Writes the output next to its final place and renames it into place, so
 * an interrupted run never leaves half a flake, and an existing output is
 * replaced only with --force.
 */
export async function writeOutput(dir: string, files: readonly OutputFile[], options: WriteOptions): Promise<void> {
  const target = resolve(dir);
  const existing = await stat(target).catch(() => undefined);
  if (existing && !existing.isDirectory()) {
    throw new UsageError(`${dir} exists and is not a directory`, 'choose another output directory with -o');
  }
  if (existing && !options.force && (await readdir(target)).length > 0) {
    throw new UsageError(`${dir} exists and is not empty`, 'pass --force to replace it, or choose another directory with -o');
  }
  if (existing) await refuseToReplace(dir, options.inputs);
  await fsStep(dir, () => makeParents(dirname(target)));
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const temp = `${target}.nixport-new-${stamp}`;
  // Not recursive: the parent exists now, and Node's recursive mkdir spins forever under /proc.
  await fsStep(dir, () => mkdir(temp));
  try {
    await fsStep(dir, async () => {
      for (const file of files) {
        const rel = safeRelative(file.path);
        const path = join(temp, rel);
        await makeDirectoryFor(temp, rel);
        await writeFile(path, file.content, { mode: file.mode ?? 0o644, flag: 'wx' });
      }
    });
    if (existing) {
      const old = `${target}.nixport-old-${stamp}`;
      await fsStep(dir, () => rename(target, old));
      await fsStep(dir, () => rename(temp, target)).catch(async (e: unknown) => {
        await rename(old, target); // put the previous output back
        throw e;
      });
      await rm(old, { recursive: true, force: true });
    } else {
      await fsStep(dir, () => rename(temp, target));
    }
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    throw e;
  }
}

/**
 * --force replaces the directory, so it must not hold what the user still
 * needs: `-o . --force` beside the cloud-config would delete the
 * cloud-config (and a `.git`), and leave the shell in a deleted directory.
 */
async function refuseToReplace(dir: string, inputs: readonly string[]): Promise<void> {
  const target = await realpath(dir);
  const cwd = await realpath(process.cwd());
  if (cwd === target || cwd.startsWith(target + sep)) {
    throw new UsageError(
      `${dir} is the current directory or holds it; nixport does not replace it`,
      'write the flake to a directory of its own, e.g. -o out/<host>',
    );
  }
  for (const input of inputs) {
    const path = await realpath(input).catch(() => resolve(input));
    if (path === target || path.startsWith(target + sep)) {
      throw new UsageError(
        `${dir} holds the input ${input}; replacing the directory would delete it`,
        'write the flake to a directory of its own, e.g. -o out/<host>',
      );
    }
  }
}

/**
 * The directory a file goes into, inside `root`. A secrets.local/ directory
 * (plaintext secrets) is made 0700, whatever the umask allows.
 */
export async function makeDirectoryFor(root: string, rel: string): Promise<void> {
  const dir = dirname(rel);
  if (dir === '.') return;
  await mkdir(join(root, dir), { recursive: true });
  const parts = dir.split(sep);
  const at = parts.indexOf(SECRETS_LOCAL);
  if (at >= 0) await chmod(join(root, ...parts.slice(0, at + 1)), 0o700);
}

/**
 * Refuses to write through a symbolic link inside the output directory
 * (`services -> /etc`): every directory between `root` and the file must be
 * a real directory. The file itself is replaced by a rename, which never
 * follows a link.
 */
export async function refuseLinkedParents(root: string, rel: string, dir: string): Promise<void> {
  const parts = dirname(rel).split(sep).filter((p) => p !== '.' && p !== '');
  let at = root;
  for (const part of parts) {
    at = join(at, part);
    const info = await lstat(at).catch(() => undefined);
    if (!info) return;
    if (info.isSymbolicLink() || !info.isDirectory()) {
      throw new UsageError(
        `${join(dir, ...parts.slice(0, parts.indexOf(part) + 1))} is ${info.isSymbolicLink() ? 'a symbolic link' : 'not a directory'}; nixport does not write through it`,
        'replace it with a directory, or write the flake to a fresh directory with -o',
      );
    }
  }
}

/** mkdir -p, one level at a time (see above about /proc). */
async function makeParents(path: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info) return;
  const parent = dirname(path);
  if (parent !== path) await makeParents(parent);
  await mkdir(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
  });
}

/** What a failed file-system call means for the person who chose -o. */
const FS_PROBLEMS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  ENOTDIR: 'a part of the path is a file, not a directory',
  ENOENT: 'a directory cannot be created there',
  EXDEV: 'the output directory is a mount point; it cannot be replaced',
  EBUSY: 'the output directory is a mount point or in use; it cannot be replaced',
};

/** Runs a file-system step; a failure with a known cause becomes a usage error (exit 2), not a "bug". */
export async function fsStep<T>(dir: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const problem = code === undefined ? undefined : FS_PROBLEMS[code];
    if (problem === undefined) throw e;
    throw new UsageError(`cannot write ${dir}: ${problem} (${code})`, 'choose an output directory you can write to with -o');
  }
}

/** Output paths come from nixport, but a unit or file name from the input must never escape the directory. */
export function safeRelative(path: string): string {
  const n = normalize(path);
  if (path === '' || n === '.' || n.startsWith('/') || n === '..' || n.startsWith(`..${sep}`) || n.includes(`${sep}..${sep}`) || n.endsWith(`${sep}..`) || path.includes('\0')) {
    throw new Error(`nixport bug: output path ${JSON.stringify(path)} escapes the output directory`);
  }
  return n;
}
