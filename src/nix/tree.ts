import { attrs, bind, list, type NixBinding, type NixExpr } from './ast.ts';

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
  const root = new AttrsDraft([]);
  for (const d of definitions) root.merge(d.path, d.value, d.comments ?? [], d.path);
  return root.toExpr();
}

/**
 * Merging works on drafts, mutable stand-ins for the sets and lists that
 * definitions merge into, turned into expressions once at the end: copying
 * a set's bindings for every definition below it was quadratic in the size
 * of a module. Values of definitions are never mutated; a set or list is
 * drafted only when a second definition merges into it, and one nobody
 * merges into is kept as it was defined.
 */
type Draft = NixExpr | AttrsDraft | ListDraft;

interface Slot {
  /** The binding as defined, while nothing merged into it; printed as it was. */
  original?: NixBinding;
  readonly path: readonly string[];
  value: Draft;
  comments: readonly string[];
}

class AttrsDraft {
  private readonly slots: Slot[];
  /** Bindings of a single name, by name; a multi-segment binding (`a.b = ...`) is never merged into. */
  private readonly byName = new Map<string, Slot>();

  constructor(bindings: readonly NixBinding[]) {
    this.slots = bindings.map((b) => ({ original: b, path: b.path, value: b.value, comments: b.comments ?? [] }));
    for (const slot of this.slots) {
      // The first binding of a name is the one merged into, as it was when bindings were searched in order.
      if (slot.path.length === 1 && !this.byName.has(slot.path[0]!)) this.byName.set(slot.path[0]!, slot);
    }
  }

  /**
   * Merges `value` at `path` from segment `from` on (an index, not a copy of
   * the rest of the path per level). Comments attach to the binding of the
   * path's last segment. `where` names the definition in errors.
   */
  merge(path: readonly string[], value: NixExpr, comments: readonly string[], where: readonly string[], from = 0): void {
    const head = path[from]!;
    const leaf = from >= path.length - 1;
    const existing = this.byName.get(head);
    if (existing === undefined) {
      let nested: Draft = value;
      if (!leaf) {
        const draft = new AttrsDraft([]);
        draft.merge(path, value, comments, where, from + 1);
        nested = draft;
      }
      const slot: Slot = { path: [head], value: nested, comments: leaf ? comments : [] };
      this.slots.push(slot);
      this.byName.set(head, slot);
      return;
    }
    existing.original = undefined;
    if (leaf) {
      existing.value = mergeValues(existing.value, value, where);
      // Copied only when there is something to add: a list many definitions add to is merged into once per definition.
      if (comments.length > 0) existing.comments = [...existing.comments, ...comments];
    } else {
      const target = asAttrsDraft(existing.value, where);
      target.merge(path, value, comments, where, from + 1);
      existing.value = target;
    }
  }

  toExpr(): NixExpr {
    return attrs(
      this.slots.map((slot) => slot.original ?? bind([slot.path[0]!], toExpr(slot.value), slot.comments)),
    );
  }
}

class ListDraft {
  constructor(readonly items: NixExpr[]) {}

  toExpr(): NixExpr {
    return list(this.items);
  }
}

function toExpr(draft: Draft): NixExpr {
  return draft instanceof AttrsDraft || draft instanceof ListDraft ? draft.toExpr() : draft;
}

/** The set to merge below; the value of a set defined earlier is copied into a draft, not changed. */
function asAttrsDraft(value: Draft, where: readonly string[]): AttrsDraft {
  if (value instanceof AttrsDraft) return value;
  if (value instanceof ListDraft || value.kind !== 'attrs') {
    throw new Error(`nixport bug: ${where.join('.')} is defined as a value and as an attribute set`);
  }
  return new AttrsDraft(value.bindings);
}

/** Lists concatenate in order, sets merge key by key; equal scalars are fine, different ones a bug. */
function mergeValues(a: Draft, b: NixExpr, where: readonly string[]): Draft {
  if (b.kind === 'list') {
    if (a instanceof ListDraft) {
      for (const item of b.items) a.items.push(item);
      return a;
    }
    if (!(a instanceof AttrsDraft) && a.kind === 'list') return new ListDraft([...a.items, ...b.items]);
  }
  if (b.kind === 'attrs' && (a instanceof AttrsDraft || (!(a instanceof ListDraft) && a.kind === 'attrs'))) {
    // Merging nothing leaves the earlier set as it was defined (a `rec` set stays `rec`).
    if (b.bindings.length === 0) return a;
    const out = asAttrsDraft(a, where);
    for (const binding of b.bindings) out.merge(binding.path, binding.value, binding.comments ?? [], where);
    return out;
  }
  if (JSON.stringify(toExpr(a)) === JSON.stringify(b)) return a;
  throw new Error(`nixport bug: two different values for ${where.join('.')}`);
}
