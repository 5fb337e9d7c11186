import type { NixosTree } from '../../nix/tree.ts';

/**
 * Whether the tree defines something at `path` or below it. Compares
 * segments without joining them: the later builders ask this of trees with
 * hundreds of thousands of definitions.
 */
export function definesBelow(tree: NixosTree, ...path: string[]): boolean {
  return tree.definitions.some((d) => d.path.length >= path.length && path.every((p, i) => d.path[i] === p));
}

/** Whether the tree defines exactly `path`. */
export function definesAt(tree: NixosTree, ...path: string[]): boolean {
  return tree.definitions.some((d) => d.path.length === path.length && path.every((p, i) => d.path[i] === p));
}
