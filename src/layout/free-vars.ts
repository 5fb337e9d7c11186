import type { NixExpr } from '../nix/ast.ts';

/** Names a module body refers to (`pkgs`, `lib`, `config`), so its header asks for just those. */
export function referencedVars(expr: NixExpr, out = new Set<string>()): Set<string> {
  switch (expr.kind) {
    case 'var':
      out.add(expr.name);
      break;
    case 'string':
      for (const p of expr.parts) if (typeof p !== 'string') referencedVars(p, out);
      break;
    case 'list':
      for (const i of expr.items) referencedVars(i, out);
      break;
    case 'attrs':
      for (const b of expr.bindings) referencedVars(b.value, out);
      break;
    case 'select':
      referencedVars(expr.expr, out);
      break;
    case 'apply':
      referencedVars(expr.fn, out);
      for (const a of expr.args) referencedVars(a, out);
      break;
    case 'binop':
      referencedVars(expr.left, out);
      referencedVars(expr.right, out);
      break;
    case 'commented':
      referencedVars(expr.expr, out);
      break;
    case 'lambda':
    case 'let':
      // nixport never nests these inside module bodies; their bound names would need scoping.
      throw new Error('nixport bug: referencedVars does not scope lambda/let');
    default:
      break;
  }
  return out;
}
