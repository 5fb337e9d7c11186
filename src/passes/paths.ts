/** Small helpers on absolute paths, as the mount pass compares them. */

/**
 * `/srv//data/./x/` -> `/srv/data/x`. Undefined for relative paths and paths
 * with `..` (their target depends on what is on disk).
 */
export function normalizePath(path: string): string | undefined {
  if (!path.startsWith('/')) return undefined;
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return undefined;
  return `/${parts.join('/')}`;
}

/** Whether `path` is `dir` or lies below it. */
export function isUnder(path: string, dir: string): boolean {
  if (dir === '/') return path.startsWith('/');
  return path === dir || path.startsWith(`${dir}/`);
}

/**
 * The part of a path that is known before systemd or the shell expands it:
 * `/srv/%i/data` and `/srv/${NAME}` -> `/srv`. Undefined when nothing before
 * the first expansion is a whole directory.
 */
export function literalPrefix(path: string): string | undefined {
  const cut = path.search(/[$%`*?[]/);
  if (cut < 0) return normalizePath(path);
  const slash = path.lastIndexOf('/', cut);
  if (slash <= 0) return undefined;
  return normalizePath(path.slice(0, slash));
}

/** The longest of `dirs` that `path` lies under. */
export function longestPrefix(path: string, dirs: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const dir of dirs) if (isUnder(path, dir) && (best === undefined || dir.length > best.length)) best = dir;
  return best;
}
