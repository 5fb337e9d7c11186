import { bind, type NixBinding, type NixExpr, type StringPart } from './ast.ts';
import { isIdentifier, printAttrName, printAttrPath } from './names.ts';
import { printNixString, type StringForm } from './strings.ts';

/**
 * Prints the Nix syntax tree in the style of nixfmt (RFC 166): two-space
 * indentation, attribute sets always one binding per line, short lists of
 * scalars on one line. Output depends only on the tree, never on the
 * environment, so the same tree always prints the same bytes.
 */

const WIDTH = 100;
const STEP = 2;

export function printExpr(expr: NixExpr): string {
  return render(expr, 0, 0);
}

/** A whole file: optional `# ` header lines, the expression, one final newline. */
export function printFile(expr: NixExpr, header: readonly string[] = []): string {
  const head = commentLines(header)
    .map((line) => line + '\n')
    .join('');
  return head + printExpr(expr) + '\n';
}

/** One string literal, in the form nixport would choose or in the given one. */
export function printString(
  value: string | readonly StringPart[],
  options: { readonly form?: StringForm; readonly indent?: number } = {},
): string {
  const parts = typeof value === 'string' ? [value] : value;
  return printNixString(parts, renderInterpolation, options);
}

const renderInterpolation = (expr: NixExpr, indent: number): string => render(expr, indent, indent);

/**
 * `indent` is the indentation of the line the expression starts on, `column`
 * the column it starts at (to decide whether a list fits on one line).
 */
function render(expr: NixExpr, indent: number, column: number): string {
  switch (expr.kind) {
    case 'string':
      return printNixString(expr.parts, renderInterpolation, { indent });
    case 'int':
      if (!Number.isSafeInteger(expr.value)) throw new Error(`cannot print ${expr.value} as a Nix integer`);
      return String(expr.value);
    case 'float':
      return formatFloat(expr.value);
    case 'bool':
      return expr.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'path':
      return formatPath(expr.value);
    case 'var':
      if (!isIdentifier(expr.name)) throw new Error(`nixport bug: ${JSON.stringify(expr.name)} is not a Nix variable name`);
      return expr.name;
    case 'select':
      if (expr.path.length === 0) return render(expr.expr, indent, column);
      return wrap(expr.expr, indent, column, isSelectable) + '.' + expr.path.map(printAttrName).join('.');
    case 'list':
      return renderList(expr.items, indent, column);
    case 'attrs':
      return renderAttrs(expr, indent);
    case 'apply':
      return renderApply(expr, indent, column);
    case 'lambda':
      return renderLambda(expr, indent, column);
    case 'let':
      return renderLet(expr, indent);
    case 'binop':
      return renderBinop(expr, indent, column);
    case 'commented':
      return commentLines(expr.comments).join('\n' + pad(indent)) + '\n' + pad(indent) + render(expr.expr, indent, indent);
  }
}

const pad = (indent: number): string => ' '.repeat(indent);

/**
 * Text width in characters (code points), as an editor counts them: a
 * surrogate pair is one character. Counted without `[...text]`, which
 * allocates an array per call and showed up in profiles.
 */
function width(text: string): number {
  if (!SURROGATE.test(text)) return text.length;
  let pairs = 0;
  for (let i = 0; i + 1 < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return text.length - pairs;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Comment lines as `# text`; a comment with line breaks becomes several lines. */
function commentLines(comments: readonly string[]): string[] {
  const out: string[] = [];
  for (const comment of comments) {
    if (!comment.includes('\n')) out.push(`# ${comment}`.trimEnd());
    else for (const line of comment.split('\n')) out.push(`# ${line}`.trimEnd());
  }
  return out;
}

/** Comment lines at `indent`, each ending in a line break: what goes above a binding or list item. */
function commentBlock(comments: readonly string[], indent: number): string {
  if (comments.length === 0) return '';
  const prefix = pad(indent);
  return commentLines(comments)
    .map((c) => prefix + c + '\n')
    .join('');
}

const MIN_NORMAL = 2.2250738585072014e-308;

/** A float literal Nix reads as a float: it needs a `.` before any exponent. */
function formatFloat(value: number): string {
  // Nix rejects literals of subnormal numbers (strtod reports a range error).
  if (!Number.isFinite(value) || (value !== 0 && Math.abs(value) < MIN_NORMAL)) {
    throw new Error(`cannot print ${value} as a Nix float`);
  }
  const [mantissa, exponent] = String(value).split('e') as [string, string | undefined];
  const withDot = mantissa.includes('.') ? mantissa : mantissa + '.0';
  return exponent === undefined ? withDot : `${withDot}e${exponent}`;
}

const PATH_LITERAL = /^[a-zA-Z0-9._+-]*(\/[a-zA-Z0-9._+-]+)+$/;

/** `./files/x`; a path Nix cannot write as a literal is built from `./.` or `/.` and a string. */
function formatPath(value: string): string {
  if (PATH_LITERAL.test(value)) return value;
  if (/^[~<]/.test(value)) throw new Error(`nixport bug: cannot print the path ${JSON.stringify(value)}`);
  if (value.startsWith('/')) return `/. + ${printString(value, { form: 'double' })}`;
  const relative = value.replace(/^\.\//, '');
  return `./. + ${printString('/' + relative, { form: 'double' })}`;
}

/** Expressions that never need parentheses as a list item, argument or selected-from value. */
function isAtomic(expr: NixExpr): boolean {
  switch (expr.kind) {
    case 'int':
    case 'float':
      return expr.value >= 0;
    case 'path':
      return PATH_LITERAL.test(expr.value);
    case 'string':
    case 'bool':
    case 'null':
    case 'list':
    case 'attrs':
    case 'var':
    case 'select':
      return true;
    case 'commented':
      return isAtomic(expr.expr);
    default:
      return false;
  }
}

/** Values `.name` can follow without parentheses (`1.x` or `./a.x` would lex as one token). */
function isSelectable(expr: NixExpr): boolean {
  return SELECTABLE.has(expr.kind);
}

const SELECTABLE: ReadonlySet<NixExpr['kind']> = new Set(['var', 'select', 'attrs', 'list', 'string']);

function wrap(expr: NixExpr, indent: number, column: number, bare: (e: NixExpr) => boolean): string {
  return bare(expr) ? render(expr, indent, column) : '(' + render(expr, indent, column + 1) + ')';
}

/** Items that may share one line: no line breaks inside, nothing to comment. */
function isScalar(expr: NixExpr): boolean {
  switch (expr.kind) {
    case 'string':
      // Joining adjacent text (normalizeParts) cannot add or remove a line break, so the parts are checked as they are.
      return expr.parts.every((p) => (typeof p === 'string' ? !p.includes('\n') : isScalar(p)));
    case 'int':
    case 'float':
    case 'bool':
    case 'null':
    case 'path':
    case 'var':
      return true;
    case 'select':
      return expr.expr.kind === 'var' || expr.expr.kind === 'select' ? isScalar(expr.expr) : false;
    default:
      return false;
  }
}

function renderList(items: readonly NixExpr[], indent: number, column: number): string {
  if (items.length === 0) return '[ ]';
  if (items.every(isScalar)) {
    // Width is counted as the line grows (not re-measured), and the attempt stops once it cannot fit.
    let line = '[';
    let used = 1;
    for (const item of items) {
      if (column + used > WIDTH) break;
      const text = wrap(item, indent, column + used + 1, isAtomic);
      line += ' ' + text;
      used += 1 + width(text);
    }
    line += ' ]';
    used += 2;
    // The `;` or `]` that usually follows counts too.
    if (!line.includes('\n') && column + used + 1 <= WIDTH) return line;
  }
  const inner = indent + STEP;
  const lines = items.map((item) => {
    const comments: string[] = [];
    let value = item;
    while (value.kind === 'commented') {
      comments.push(...value.comments);
      value = value.expr;
    }
    return commentBlock(comments, inner) + pad(inner) + wrap(value, inner, inner, isAtomic);
  });
  return '[\n' + lines.join('\n') + '\n' + pad(indent) + ']';
}

function renderAttrs(expr: Extract<NixExpr, { kind: 'attrs' }>, indent: number): string {
  const open = expr.rec ? 'rec {' : '{';
  const bindings = collapseBindings(expr.bindings);
  if (bindings.length === 0) return open + ' }';
  return open + '\n' + renderBindings(bindings, indent + STEP) + '\n' + pad(indent) + '}';
}

function renderBindings(bindings: readonly NixBinding[], indent: number): string {
  return bindings
    .map((b) => {
      const path = printAttrPath(b.path);
      // The value starts after the indentation, the path and ` = `.
      const column = indent + width(path) + 3;
      return commentBlock(b.comments ?? [], indent) + pad(indent) + path + ' = ' + render(b.value, indent, column) + ';';
    })
    .join('\n');
}

/**
 * Shortens nested attribute sets into dotted paths, the way NixOS
 * configurations are written by hand: a set with a single binding joins its
 * parent's path (`unitConfig.RequiresMountsFor = ...`), and a set that holds
 * only sets is a namespace whose members become siblings
 * (`systemd.services.a = ...; systemd.services.b = ...`). Order is kept;
 * nothing collapses where two bindings would then share a path or one path
 * would extend another.
 */
export function collapseBindings(bindings: readonly NixBinding[]): NixBinding[] {
  const plain = bindings.map(hoistComments);
  const out: NixBinding[] = [];
  // Paths already printed, and the paths of bindings still to come: a
  // binding expands only when its new paths clash with neither. Most sets
  // have no binding that can expand, so these are built at the first one.
  let taken: PathSet | undefined;
  let ahead: PathSet | undefined;
  for (let i = 0; i < plain.length; i++) {
    const binding = plain[i]!;
    const expanded = expand(binding);
    if (expanded.length === 1 && expanded[0] === binding) {
      // Nothing to check: printed as it is either way.
      out.push(binding);
      taken?.add(binding.path);
      ahead?.remove(binding.path);
      continue;
    }
    if (taken === undefined || ahead === undefined) {
      taken = new PathSet();
      for (const b of out) taken.add(b.path);
      ahead = new PathSet();
      for (let k = i + 1; k < plain.length; k++) ahead.add(plain[k]!.path);
    } else {
      ahead.remove(binding.path);
    }
    const fits = expanded.length > 0 && PathSet.fitsAll(expanded.map((b) => b.path), taken, ahead);
    const result = fits ? expanded : [binding];
    for (const b of result) taken.add(b.path);
    out.push(...result);
  }
  return out;
}

function uncommented(expr: NixExpr): NixExpr {
  let value = expr;
  while (value.kind === 'commented') value = value.expr;
  return value;
}

/** Comments on a value of a binding print above the binding. */
function hoistComments(binding: NixBinding): NixBinding {
  if (binding.value.kind !== 'commented') return binding;
  const comments = [...(binding.comments ?? [])];
  let value: NixExpr = binding.value;
  while (value.kind === 'commented') {
    comments.push(...value.comments);
    value = value.expr;
  }
  return bind(binding.path, value, comments);
}

function expand(binding: NixBinding): NixBinding[] {
  const value = binding.value;
  if (value.kind !== 'attrs' || value.rec || value.bindings.length === 0) return [binding];
  // Checked before hoisting comments, which copies: hoisting only unwraps `commented` values.
  const namespace = value.bindings.every((c) => uncommented(c.value).kind === 'attrs');
  if (value.bindings.length !== 1 && !namespace) return [binding];
  const children = value.bindings.map(hoistComments);
  const flat = children.flatMap((c) => expand(bind([...binding.path, ...c.path], c.value, c.comments)));
  // One path cannot clash with itself.
  if (flat.length > 1 && !PathSet.fitsAll(flat.map((b) => b.path))) return [binding];
  const first = flat[0]!;
  flat[0] = bind(first.path, first.value, [...(binding.comments ?? []), ...(first.comments ?? [])]);
  return flat;
}

/**
 * A multiset of attribute paths and their proper prefixes. Two paths clash
 * when they are equal or one extends the other. Kept as a trie of names,
 * so a question walks the path once instead of building a key per prefix.
 */
class PathSet {
  private readonly root = new PathNode();

  /** True when `paths` clash neither with each other nor with any of `sets`. */
  static fitsAll(paths: readonly (readonly string[])[], ...sets: PathSet[]): boolean {
    const own = new PathSet();
    for (const p of paths) {
      if (!own.accepts(p)) return false;
      for (const set of sets) if (!set.accepts(p)) return false;
      own.add(p);
    }
    return true;
  }

  accepts(path: readonly string[]): boolean {
    let node: PathNode | undefined = this.root;
    for (let n = 0; n < path.length; n++) {
      node = node.children?.get(path[n]!);
      // Nothing was added at or below this prefix.
      if (node === undefined) return true;
      // A shorter path ends here, and this one extends it.
      if (n < path.length - 1 && node.ends > 0) return false;
    }
    return node.ends === 0 && node.extended === 0;
  }

  add(path: readonly string[]): void {
    let node = this.root;
    for (let n = 0; n < path.length; n++) {
      node.children ??= new Map();
      let child = node.children.get(path[n]!);
      if (child === undefined) {
        child = new PathNode();
        node.children.set(path[n]!, child);
      }
      node = child;
      if (n < path.length - 1) node.extended++;
      else node.ends++;
    }
  }

  remove(path: readonly string[]): void {
    let node: PathNode | undefined = this.root;
    for (let n = 0; n < path.length; n++) {
      node = node.children?.get(path[n]!);
      if (node === undefined) return;
      if (n < path.length - 1) node.extended = Math.max(0, node.extended - 1);
      else node.ends = Math.max(0, node.ends - 1);
    }
  }
}

/** One attribute path prefix in a PathSet. */
class PathNode {
  /** How many paths in the set are exactly this prefix. */
  ends = 0;
  /** How many paths in the set extend this prefix. */
  extended = 0;
  /** Made when the first longer path is added: most nodes end a path and have none. */
  children: Map<string, PathNode> | undefined;
}

function renderApply(expr: Extract<NixExpr, { kind: 'apply' }>, indent: number, column: number): string {
  // `(f a) b` is `f a b`: application is left-associative.
  const args: NixExpr[] = [...expr.args];
  let fn = expr.fn;
  while (fn.kind === 'apply') {
    args.unshift(...fn.args);
    fn = fn.fn;
  }
  let text = wrap(fn, indent, column, isAtomic);
  for (const arg of args) {
    const lastLine = text.slice(text.lastIndexOf('\n') + 1);
    const at = text.includes('\n') ? width(lastLine) : column + width(text);
    text += ' ' + wrap(arg, indent, at + 1, isAtomic);
  }
  return text;
}

function renderLambda(expr: Extract<NixExpr, { kind: 'lambda' }>, indent: number, column: number): string {
  for (const formal of expr.formals) {
    if (!isIdentifier(formal)) throw new Error(`nixport bug: ${JSON.stringify(formal)} is not a Nix formal name`);
  }
  const names = [...expr.formals, ...(expr.ellipsis ? ['...'] : [])];
  let head = names.length === 0 ? '{ }:' : `{ ${names.join(', ')} }:`;
  if (column + width(head) > WIDTH) {
    head = '{\n' + names.map((n) => pad(indent + STEP) + n + ',\n').join('') + pad(indent) + '}:';
  }
  // A lambda that starts its line (a module file) keeps its body at the same
  // indentation; one that follows `name =` indents its body.
  const bodyIndent = column === indent ? indent : indent + STEP;
  return head + '\n' + pad(bodyIndent) + render(expr.body, bodyIndent, bodyIndent);
}

function renderLet(expr: Extract<NixExpr, { kind: 'let' }>, indent: number): string {
  const bindings = collapseBindings(expr.bindings);
  const body = pad(indent) + render(expr.body, indent, indent);
  if (bindings.length === 0) return 'let\n' + pad(indent) + 'in\n' + body;
  return 'let\n' + renderBindings(bindings, indent + STEP) + '\n' + pad(indent) + 'in\n' + body;
}

/** `+` binds tighter than `//`; `+` groups to the left, `//` to the right. */
const PRECEDENCE = { '+': 2, '//': 1 } as const;

function renderBinop(expr: Extract<NixExpr, { kind: 'binop' }>, indent: number, column: number): string {
  const operand = (side: 'left' | 'right') => (e: NixExpr): boolean => {
    const inner = e.kind === 'commented' ? e.expr : e;
    if (inner.kind === 'binop') {
      const diff = PRECEDENCE[inner.op] - PRECEDENCE[expr.op];
      if (diff !== 0) return diff > 0;
      return expr.op === '+' ? side === 'left' : side === 'right';
    }
    return isAtomic(inner) || inner.kind === 'apply' || inner.kind === 'int' || inner.kind === 'float';
  };
  const left = wrap(expr.left, indent, column, operand('left'));
  const lastLine = left.slice(left.lastIndexOf('\n') + 1);
  const at = left.includes('\n') ? width(lastLine) : column + width(left);
  return left + ` ${expr.op} ` + wrap(expr.right, indent, at + expr.op.length + 2, operand('right'));
}
