import type { NixosTree } from '../../nix/tree.ts';

/**
 * Whether the tree defines something at `path` or below it. Compares
 * segments without joining them, in plain loops without a closure per
 * definition: the later builders ask this of trees with hundreds of
 * thousands of definitions.
 */
export function definesBelow(tree: NixosTree, ...path: string[]): boolean {
  for (const d of tree.definitions) if (d.path.length >= path.length && startsWith(d.path, path)) return true;
  return false;
}

/** Whether the tree defines exactly `path`. */
export function definesAt(tree: NixosTree, ...path: string[]): boolean {
  for (const d of tree.definitions) if (d.path.length === path.length && startsWith(d.path, path)) return true;
  return false;
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}
