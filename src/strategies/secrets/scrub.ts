import type { Ledger } from '../../model/ledger.ts';
import type { SecretFinding } from '../../model/secret.ts';
import type { NixBinding, NixExpr, StringPart } from '../../nix/ast.ts';
import { NixosTree } from '../../nix/tree.ts';
import { needles, REMOVED, scrubText, type Needle } from '../../passes/secrets/index.ts';

/*
 * The last line of defence for invariant 3. The strategies move every
 * secret they know how to; whatever still holds one after the build (a
 * directive carried as written, a label, a container's command) is found
 * here, replaced by a placeholder and reported as an error, so no value
 * reaches the flake even where nixport has no better translation.
 */

/**
 * The tree with every needle replaced, in values and comments. Each
 * finding that was still there is reported as an error: the output holds
 * a placeholder instead of the secret, and the user must finish the job.
 */
export function scrubTree(tree: NixosTree, findings: readonly SecretFinding[], ledger: Ledger): { readonly tree: NixosTree; readonly leaked: readonly SecretFinding[] } {
  const list = needles(findings);
  if (list.length === 0) return { tree, leaked: [] };
  const hit = new Set<SecretFinding>();
  const out = new NixosTree();
  let changed = false;
  for (const d of tree.definitions) {
    const value = scrubExpr(d.value, list, hit);
    const comments = d.comments?.map((c) => scrubText(c, list, hit));
    if (value !== d.value || (comments && comments.some((c, i) => c !== d.comments![i]))) changed = true;
    out.define(d.owner, d.path.map((p) => scrubText(p, list, hit)), value, comments);
  }
  for (const f of [...hit].sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)))) {
    ledger.report(
      'error',
      'secrets/not-moved',
      `${f.what}: a secret nixport could not move out of the configuration; the output has ${REMOVED} in its place`,
      f.origin,
      'put the value in a file outside the Nix store and make the program read it from there (an EnvironmentFile=, a credentials file), then replace the placeholder',
    );
  }
  return { tree: changed ? out : tree, leaked: [...hit] };
}

function scrubExpr(e: NixExpr, list: readonly Needle[], hit: Set<SecretFinding>): NixExpr {
  switch (e.kind) {
    case 'string': {
      const parts = e.parts.map((p): StringPart => (typeof p === 'string' ? scrubText(p, list, hit) : scrubExpr(p, list, hit)));
      return parts.every((p, i) => p === e.parts[i]) ? e : { kind: 'string', parts };
    }
    case 'path': {
      const value = scrubText(e.value, list, hit);
      return value === e.value ? e : { kind: 'path', value };
    }
    case 'list': {
      const items = e.items.map((x) => scrubExpr(x, list, hit));
      return items.every((x, i) => x === e.items[i]) ? e : { kind: 'list', items };
    }
    case 'attrs': {
      const bindings = e.bindings.map((b) => scrubBinding(b, list, hit));
      return bindings.every((b, i) => b === e.bindings[i]) ? e : { ...e, bindings };
    }
    case 'select': {
      const expr = scrubExpr(e.expr, list, hit);
      return expr === e.expr ? e : { ...e, expr };
    }
    case 'apply': {
      const fn = scrubExpr(e.fn, list, hit);
      const args = e.args.map((x) => scrubExpr(x, list, hit));
      return fn === e.fn && args.every((x, i) => x === e.args[i]) ? e : { ...e, fn, args };
    }
    case 'lambda': {
      const body = scrubExpr(e.body, list, hit);
      return body === e.body ? e : { ...e, body };
    }
    case 'let': {
      const bindings = e.bindings.map((b) => scrubBinding(b, list, hit));
      const body = scrubExpr(e.body, list, hit);
      return body === e.body && bindings.every((b, i) => b === e.bindings[i]) ? e : { ...e, bindings, body };
    }
    case 'binop': {
      const left = scrubExpr(e.left, list, hit);
      const right = scrubExpr(e.right, list, hit);
      return left === e.left && right === e.right ? e : { ...e, left, right };
    }
    case 'commented': {
      const comments = e.comments.map((c) => scrubText(c, list, hit));
      const expr = scrubExpr(e.expr, list, hit);
      return expr === e.expr && comments.every((c, i) => c === e.comments[i]) ? e : { kind: 'commented', comments, expr };
    }
    default:
      return e;
  }
}

function scrubBinding(b: NixBinding, list: readonly Needle[], hit: Set<SecretFinding>): NixBinding {
  const value = scrubExpr(b.value, list, hit);
  const path = b.path.map((p) => scrubText(p, list, hit));
  const comments = b.comments?.map((c) => scrubText(c, list, hit));
  const same = value === b.value && path.every((p, i) => p === b.path[i]) && (comments ?? []).every((c, i) => c === b.comments![i]);
  return same ? b : { path, value, ...(comments && comments.length > 0 ? { comments } : {}) };
}

