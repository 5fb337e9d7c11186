/**
 * Butane's files directory (`butane --files-dir`), as nixport sees it: the
 * directory of the Butane config, among the inputs nixport was given.
 * `local: files/app.conf` in `host/config.bu` is the input `host/files/app.conf`.
 * The inputs a config uses are recorded, so they are read as part of it and
 * not again as inputs of their own.
 */
import { posix } from 'node:path';
import type { LocalFiles } from './ignition/build/context.ts';
import type { InputFile } from './types.ts';

function normal(path: string): string {
  return posix.normalize(path.replace(/\\/g, '/'));
}

function bytesOf(input: InputFile): Uint8Array {
  return typeof input.content === 'string' ? new TextEncoder().encode(input.content) : input.content;
}

const ESCAPES = 'the path leaves the directory of the Butane config, which Butane refuses too';

export function localFilesFor(configPath: string, inputs: readonly InputFile[], used: Set<string>): LocalFiles {
  const dir = posix.dirname(normal(configPath));
  const byPath = new Map(inputs.map((i) => [normal(i.path), i]));
  const resolve = (relative: string): string | undefined => {
    if (relative.startsWith('/')) return undefined;
    const target = normal(posix.join(dir, relative));
    const rel = posix.relative(dir, target);
    return rel === '..' || rel.startsWith('../') ? undefined : target;
  };
  return {
    file(relative) {
      const target = resolve(relative);
      if (target === undefined) return { found: false, reason: ESCAPES };
      const input = byPath.get(target);
      if (!input) return { found: false, reason: `${target} is not among the inputs` };
      used.add(input.path);
      return { found: true, file: { path: input.path, content: bytesOf(input) } };
    },
    tree(relative) {
      const target = resolve(relative);
      if (target === undefined) return { found: false, reason: ESCAPES };
      const prefix = target === '.' ? '' : `${target}/`;
      const files = [...byPath.entries()]
        .filter(([path]) => path.startsWith(prefix) && path !== normal(configPath))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([path, input]) => {
          used.add(input.path);
          return { relative: path.slice(prefix.length), file: { path: input.path, content: bytesOf(input) } };
        });
      if (files.length === 0) return { found: false, reason: `no input is below ${target}/` };
      return { found: true, files };
    },
  };
}
