/**
 * The files a Compose project reads besides its main file (override
 * files, `.env`, `--env-file`, `extends: file:`, `include:`), looked up
 * among nixport's inputs by path. Paths are posix, relative to where the
 * inputs were named; a file used here is not read again as an input.
 */
import { posix } from 'node:path';
import { decodeInput } from '../decode.ts';
import type { InputFile } from '../types.ts';

export interface ComposeFiles {
  /** The text of an input by (normalised) path, or undefined when it is not among the inputs. */
  read(path: string): { readonly path: string; readonly text: string } | undefined;
  /** Inputs read as part of a project. */
  readonly used: Set<string>;
}

export function normalPath(path: string): string {
  const p = posix.normalize(path.replace(/\\/g, '/'));
  return p === '.' ? '' : p.replace(/^\.\//, '');
}

export function dirOf(path: string): string {
  const d = posix.dirname(normalPath(path));
  return d === '.' ? '' : d;
}

/** `rel` against the directory `dir` (an input-relative or absolute path). */
export function resolvePath(dir: string, rel: string): string {
  if (rel.startsWith('/')) return posix.normalize(rel);
  return normalPath(dir === '' ? rel : posix.join(dir, rel));
}

export function composeFiles(inputs: readonly InputFile[], used: Set<string> = new Set()): ComposeFiles {
  const byPath = new Map<string, InputFile>();
  for (const input of inputs) byPath.set(normalPath(input.path), input);
  return {
    used,
    read(path) {
      const input = byPath.get(normalPath(path));
      if (!input) return undefined;
      used.add(input.path);
      return { path: input.path, text: decodeInput(input.path, input.content) };
    },
  };
}
