import { attrs, bind, type NixBinding, type NixExpr } from './ast.ts';

/**
 * The NixOS configuration nixport builds, as a list of definitions keyed by
 * option path. Each definition names its owner: the module file that will
 * hold it (layout decides file names). Definitions of the same owner merge
 * the way the NixOS module system merges them: attribute sets key by key,
 * lists by concatenation in order. Two different scalars at one path are a
 * bug in nixport, not bad input, and throw.
 */
export interface Definition {
  readonly owner: string;
  readonly path: readonly string[];
  readonly value: NixExpr;
  readonly comments?: readonly string[];
}

export class NixosTree {
  readonly definitions: Definition[] = [];
  /** Definitions by owner, in order: layout asks for each owner's module once. */
  private readonly byOwner = new Map<string, Definition[]>();

  define(owner: string, path: readonly string[], value: NixExpr, comments?: readonly string[]): void {
    if (path.length === 0) throw new Error('a definition needs an option path');
    const d: Definition = comments && comments.length > 0 ? { owner, path, value, comments } : { owner, path, value };
    this.definitions.push(d);
    const own = this.byOwner.get(owner);
    if (own) own.push(d);
    else this.byOwner.set(owner, [d]);
  }

  /** Owners in the order they first defined something. */
  owners(): string[] {
    return [...this.byOwner.keys()];
  }

  /** The module body of one owner: its definitions merged into one attribute set. */
  moduleBody(owner: string): NixExpr {
    return mergeDefinitions(this.byOwner.get(owner) ?? []);
  }
}

/** Merges definitions into nested attribute sets, as the module system would. */
export function mergeDefinitions(definitions: readonly Definition[]): NixExpr {
  let root: NixExpr = attrs([]);
  for (const d of definitions) {
    root = mergeInto(root, d.path, d.value, d.comments ?? [], d.path.join('.'));
  }
  return root;
}

/** Comments attach to the binding of the definition's last path segment. */
function mergeInto(
  target: NixExpr,
  path: readonly string[],
  value: NixExpr,
  comments: readonly string[],
  where: string,
): NixExpr {
  if (target.kind !== 'attrs') throw new Error(`nixport bug: ${where} is defined as a value and as an attribute set`);
  const [head, ...rest] = path as [string, ...string[]];
  const bindings: NixBinding[] = [...target.bindings];
  const at = bindings.findIndex((b) => b.path.length === 1 && b.path[0] === head);
  const leaf = rest.length === 0;
  if (at < 0) {
    const nested = leaf ? value : mergeInto(attrs([]), rest, value, comments, where);
    bindings.push(bind([head], nested, leaf ? comments : []));
    return attrs(bindings);
  }
  const existing = bindings[at]!;
  const merged = leaf ? mergeValues(existing.value, value, where) : mergeInto(existing.value, rest, value, comments, where);
  bindings[at] = bind([head], merged, leaf ? [...(existing.comments ?? []), ...comments] : existing.comments);
  return attrs(bindings);
}

function mergeValues(a: NixExpr, b: NixExpr, where: string): NixExpr {
  if (a.kind === 'list' && b.kind === 'list') return { kind: 'list', items: [...a.items, ...b.items] };
  if (a.kind === 'attrs' && b.kind === 'attrs') {
    let out: NixExpr = a;
    for (const binding of b.bindings) out = mergeInto(out, binding.path, binding.value, binding.comments ?? [], where);
    return out;
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return a;
  throw new Error(`nixport bug: two different values for ${where}`);
}
