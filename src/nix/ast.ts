/**
 * A small Nix syntax tree: the subset nixport writes. Builders below keep
 * call sites short; the printer (print.ts) alone decides layout and escaping.
 */

export type NixExpr =
  | { readonly kind: 'string'; readonly parts: readonly StringPart[] }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' }
  /** A relative path literal such as `./files/sync.pl`. */
  | { readonly kind: 'path'; readonly value: string }
  | { readonly kind: 'list'; readonly items: readonly NixExpr[] }
  | { readonly kind: 'attrs'; readonly bindings: readonly NixBinding[]; readonly rec?: boolean }
  /** A variable: `pkgs`, `lib`, `config`, or a let-bound name. */
  | { readonly kind: 'var'; readonly name: string }
  /** `expr.a.b` */
  | { readonly kind: 'select'; readonly expr: NixExpr; readonly path: readonly string[] }
  /** `fn arg1 arg2` */
  | { readonly kind: 'apply'; readonly fn: NixExpr; readonly args: readonly NixExpr[] }
  /** `{ a, b, ... }: body` */
  | { readonly kind: 'lambda'; readonly formals: readonly string[]; readonly ellipsis: boolean; readonly body: NixExpr }
  | { readonly kind: 'let'; readonly bindings: readonly NixBinding[]; readonly body: NixExpr }
  /** `a + b`, `a // b` */
  | { readonly kind: 'binop'; readonly op: '+' | '//'; readonly left: NixExpr; readonly right: NixExpr }
  /** A value with comment lines printed above it (list items, mostly). */
  | { readonly kind: 'commented'; readonly comments: readonly string[]; readonly expr: NixExpr };

/** A piece of a string: literal text, or an interpolated expression `${...}`. */
export type StringPart = string | NixExpr;

export interface NixBinding {
  /** Attribute path; the printer quotes names that are not identifiers. */
  readonly path: readonly string[];
  readonly value: NixExpr;
  /** Comment lines printed above the binding, without `#`. */
  readonly comments?: readonly string[];
}

export const str = (...parts: StringPart[]): NixExpr => ({ kind: 'string', parts });
export const int = (value: number): NixExpr => ({ kind: 'int', value });
export const bool = (value: boolean): NixExpr => ({ kind: 'bool', value });
export const nul: NixExpr = { kind: 'null' };
export const path = (value: string): NixExpr => ({ kind: 'path', value });
export const list = (items: readonly NixExpr[]): NixExpr => ({ kind: 'list', items });
export const attrs = (bindings: readonly NixBinding[]): NixExpr => ({ kind: 'attrs', bindings });
export const v = (name: string): NixExpr => ({ kind: 'var', name });
export const select = (expr: NixExpr, ...p: string[]): NixExpr => ({ kind: 'select', expr, path: p });
export const apply = (fn: NixExpr, ...args: NixExpr[]): NixExpr => ({ kind: 'apply', fn, args });
export const lambda = (formals: readonly string[], body: NixExpr, ellipsis = true): NixExpr => ({
  kind: 'lambda',
  formals,
  ellipsis,
  body,
});
export const letIn = (bindings: readonly NixBinding[], body: NixExpr): NixExpr => ({ kind: 'let', bindings, body });
export const commented = (comments: readonly string[], expr: NixExpr): NixExpr =>
  comments.length === 0 ? expr : { kind: 'commented', comments, expr };
export const bind = (p: readonly string[], value: NixExpr, comments?: readonly string[]): NixBinding =>
  comments && comments.length > 0 ? { path: p, value, comments } : { path: p, value };

/** `pkgs.a.b` */
export const pkg = (...attr: string[]): NixExpr => select(v('pkgs'), ...attr);

/** Converts a plain JS value (string, number, boolean, array, object) into a Nix expression. */
export function fromJS(value: unknown): NixExpr {
  if (value === null || value === undefined) return nul;
  if (typeof value === 'string') return str(value);
  if (typeof value === 'boolean') return bool(value);
  if (typeof value === 'number') return Number.isInteger(value) ? int(value) : { kind: 'float', value };
  if (Array.isArray(value)) return list(value.map(fromJS));
  if (typeof value === 'object') {
    return attrs(Object.entries(value as Record<string, unknown>).map(([k, x]) => bind([k], fromJS(x))));
  }
  throw new TypeError(`cannot express ${typeof value} in Nix`);
}
