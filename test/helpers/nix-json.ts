import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { NixBinding, NixExpr } from '../../src/nix/ast.ts';

/**
 * A TypeScript evaluation of nixport's Nix syntax tree to JSON, with the same
 * stubs and merge rules as the real-Nix harness in nix.ts, so a test can
 * compare "what the converter built" with "what Nix evaluates".
 *
 * Stub semantics (shared with nix.ts, which imports the naming functions):
 * - `pkgs.a.b` is a package whose store path is `packageStorePath(['a','b'])`;
 *   as JSON and in interpolations it is that path. Packages nest
 *   (`pkgs.lvm2` and `pkgs.lvm2.bin` are both packages).
 * - `pkgs.writeText`, `pkgs.writeScript`, `pkgs.writeShellScript` take a
 *   name and a text and return `builderStorePath(builder, name, text)`.
 * - `lib.mkOverride p v` is `{ _type = "override"; priority = p; content = v; }`,
 *   `lib.mkDefault` is priority 1000, `lib.mkForce` 50, `lib.mkVMOverride` 10; `lib.mkIf c v` is
 *   `{ _type = "if"; condition = c; content = v; }`; `lib.mkMerge vs` is
 *   `{ _type = "merge"; contents = vs; }` — the attribute sets NixOS uses.
 *   `lib.getExe' pkg "x"` is `"${pkg}/bin/x"`.
 * - A path value is the string `path:<path relative to the evaluation root>`
 *   (absolute paths stay absolute); nothing is copied into a store.
 * - `modulesPath` is the path `/nixpkgs/nixos/modules`; reading `config`
 *   is not modelled here (the Nix side passes the merged configuration).
 */

/** 32 characters from Nix's base-32 alphabet, derived from `seed`. */
export function fakeHash(seed: string): string {
  return createHash('sha256').update(seed, 'utf8').digest('hex').slice(0, 32).replaceAll('e', 'z');
}

export function packageStorePath(attr: readonly string[]): string {
  return `/nix/store/${fakeHash('pkg:' + attr.join('.'))}-${attr.join('-')}`;
}

export const BUILDERS = ['writeText', 'writeScript', 'writeShellScript'] as const;
export type Builder = (typeof BUILDERS)[number];

/**
 * Builders in a set under pkgs: `pkgs.writers.writePerlBin NAME { libraries
 * = [ ... ]; } TEXT` is a store path made from the name, the libraries'
 * store paths (space-separated) and the text.
 */
export const WRITER_SETS: Readonly<Record<string, readonly string[]>> = { writers: ['writePerlBin'] };

export function writerStorePath(writer: string, name: string, libraries: readonly string[], text: string): string {
  return `/nix/store/${fakeHash(`${writer}:${name}:${libraries.join(' ')}:${text}`)}-${name}`;
}

/** Whether `pkgs.<first>` is a builder or a set of them, not a package. */
export function isBuilderName(first: string): boolean {
  return (BUILDERS as readonly string[]).includes(first) || Object.hasOwn(WRITER_SETS, first);
}

export function builderStorePath(builder: Builder, name: string, text: string): string {
  return `/nix/store/${fakeHash(`${builder}:${name}:${text}`)}-${name}`;
}

export const MODULES_PATH = '/nixpkgs/nixos/modules';

/** Priorities as in nixpkgs' lib/modules.nix. */
export const PRIORITY = { default: 1000, force: 50, plain: 100, vm: 10 } as const;

export interface Stubs {
  /** Attribute paths under `pkgs` that exist (with their prefixes); any path when absent. */
  readonly pkgs?: readonly (readonly string[])[];
  /** The file the expression lives in, relative to the evaluation root; path literals resolve against it. */
  readonly file?: string;
}

/** Evaluates an expression to JSON. A function anywhere in the result is an error, as for `nix --json`. */
export function exprToJson(expr: NixExpr, stubs: Stubs = {}): unknown {
  const evaluator = new Evaluator(stubs);
  return evaluator.toJson(evaluator.eval(expr, evaluator.topLevel));
}

/**
 * Evaluates a NixOS module file's expression: a function is called with
 * `{ config, lib, pkgs, modulesPath }`, and `imports` is dropped. The result
 * still holds `_type` sets; `mergeModulesJson` resolves them.
 */
export function moduleToJson(expr: NixExpr, stubs: Stubs = {}): unknown {
  const evaluator = new Evaluator(stubs);
  let top = expr;
  while (top.kind === 'commented') top = top.expr;
  let value = evaluator.eval(top, evaluator.topLevel);
  // As NixOS does: a module function gets the arguments it names.
  if (value.t === 'lambda') value = value.call(() => evaluator.moduleArgs(top.kind === 'lambda' ? top.formals : []));
  if (value.t !== 'attrs') throw new Error(`a module must evaluate to an attribute set, not ${describe(value)}`);
  const attrs = new Map(value.attrs);
  attrs.delete('imports');
  return evaluator.toJson({ t: 'attrs', attrs });
}

/** All `pkgs.…` attribute paths an expression selects, builders excluded. */
export function collectPkgs(expr: NixExpr): string[][] {
  const found = new Map<string, string[]>();
  const visit = (e: NixExpr): void => {
    switch (e.kind) {
      case 'string':
        for (const p of e.parts) if (typeof p !== 'string') visit(p);
        return;
      case 'list':
        e.items.forEach(visit);
        return;
      case 'attrs':
      case 'let':
        e.bindings.forEach((b) => visit(b.value));
        if (e.kind === 'let') visit(e.body);
        return;
      case 'select':
        if (e.expr.kind === 'var' && e.expr.name === 'pkgs' && !isBuilderName(e.path[0]!)) {
          found.set(JSON.stringify(e.path), [...e.path]);
        }
        visit(e.expr);
        return;
      case 'apply':
        visit(e.fn);
        e.args.forEach(visit);
        return;
      case 'lambda':
        visit(e.body);
        return;
      case 'binop':
        visit(e.left);
        visit(e.right);
        return;
      case 'commented':
        visit(e.expr);
        return;
      default:
        return;
    }
  };
  visit(expr);
  return [...found.values()];
}

// ---------------------------------------------------------------------------
// Merging, as the harness's Nix code does it (see nix.ts: MERGE_NIX).

const ABSENT = Symbol('absent');
type Maybe = unknown | typeof ABSENT;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isWrapper = (v: unknown, type: string): v is Record<string, unknown> => isObject(v) && v['_type'] === type;

/**
 * Resolves `mkIf` (a false condition removes the definition) and `mkMerge`
 * (its contents merge in order) anywhere in a module's value; `mkOverride`
 * sets stay for `mergeJson`.
 */
export function normalizeDefinitions(value: unknown): unknown {
  const n = normalize(value, []);
  return n === ABSENT ? {} : n;
}

function normalize(value: unknown, where: readonly string[]): Maybe {
  if (isObject(value) && '_type' in value) {
    switch (value['_type']) {
      case 'if':
        if (typeof value['condition'] !== 'boolean') throw new Error(`mkIf condition at ${show(where)} is not a boolean`);
        return value['condition'] ? normalize(value['content'], where) : ABSENT;
      case 'merge': {
        let acc: Maybe = ABSENT;
        for (const item of value['contents'] as unknown[]) {
          const n = normalize(item, where);
          if (n !== ABSENT) acc = acc === ABSENT ? n : mergeAt(acc, n, where);
        }
        return acc;
      }
      case 'override': {
        const content = normalize(value['content'], where);
        return content === ABSENT ? ABSENT : { ...value, content };
      }
      default:
        throw new Error(`unknown _type ${JSON.stringify(value['_type'])} at ${show(where)}`);
    }
  }
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const n = normalize(v, [...where, k]);
      if (n !== ABSENT) out[k] = n;
    }
    return out;
  }
  if (Array.isArray(value)) {
    return value.map((v, i) => normalize(v, [...where, String(i)])).filter((v) => v !== ABSENT);
  }
  return value;
}

/**
 * Merges two definitions: the one with the lower priority number wins
 * outright (plain values have 100); at equal priority attribute sets merge
 * key by key, lists concatenate, equal scalars are kept and different ones
 * are an error. Priority applies where `mkOverride` stands, as if an option
 * were declared there (NixOS would push it down into namespaces).
 */
export function mergeJson(a: unknown, b: unknown): unknown {
  return mergeAt(a, b, []);
}

function mergeAt(a: unknown, b: unknown, where: readonly string[]): unknown {
  const pa = priority(a);
  const pb = priority(b);
  if (pa < pb) return a;
  if (pb < pa) return b;
  const merged = mergePlain(content(a), content(b), where);
  return isWrapper(a, 'override') || isWrapper(b, 'override')
    ? { _type: 'override', priority: pa, content: merged }
    : merged;
}

const priority = (v: unknown): number => (isWrapper(v, 'override') ? (v['priority'] as number) : PRIORITY.plain);
const content = (v: unknown): unknown => (isWrapper(v, 'override') ? v['content'] : v);

function mergePlain(a: unknown, b: unknown, where: readonly string[]): unknown {
  if (isObject(a) && isObject(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = Object.hasOwn(a, k) ? mergeAt(a[k], v, [...where, k]) : v;
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (!isObject(a) && !isObject(b) && !Array.isArray(a) && !Array.isArray(b) && a === b) return a;
  throw new Error(`conflicting definitions for ${show(where)}: ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
}

/** Removes the `mkOverride` sets left after merging, keeping their contents. */
export function finalizeJson(value: unknown): unknown {
  if (isWrapper(value, 'override')) return finalizeJson(value['content']);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, finalizeJson(v)]));
  if (Array.isArray(value)) return value.map(finalizeJson);
  return value;
}

/** Module values (from moduleToJson) merged in order, as evalModules in nix.ts does. */
export function mergeModulesJson(modules: readonly unknown[]): unknown {
  let acc: unknown = {};
  for (const m of modules) acc = mergeJson(acc, normalizeDefinitions(m));
  return finalizeJson(acc);
}

const show = (where: readonly string[]): string => (where.length === 0 ? '<top>' : where.join('.'));

// ---------------------------------------------------------------------------
// The evaluator: lazy where Nix is lazy enough to matter (let, rec, arguments).

type Thunk = () => Value;

type Value =
  | { readonly t: 'string'; readonly s: string }
  | { readonly t: 'int'; readonly n: number }
  | { readonly t: 'float'; readonly n: number }
  | { readonly t: 'bool'; readonly b: boolean }
  | { readonly t: 'null' }
  | { readonly t: 'path'; readonly p: string }
  | { readonly t: 'list'; readonly items: readonly Thunk[] }
  | { readonly t: 'attrs'; readonly attrs: ReadonlyMap<string, Thunk> }
  | { readonly t: 'lambda'; readonly call: (arg: Thunk) => Value }
  /** `pkgs` itself (attr `[]`) or a package under it. */
  | { readonly t: 'package'; readonly attr: readonly string[] };

type Env = ReadonlyMap<string, Thunk>;

function memo(f: () => Value): Thunk {
  let state: 'new' | 'busy' | 'done' = 'new';
  let value: Value | undefined;
  return () => {
    if (state === 'done') return value!;
    if (state === 'busy') throw new Error('infinite recursion encountered');
    state = 'busy';
    try {
      value = f();
    } finally {
      state = value === undefined ? 'new' : 'done';
    }
    return value;
  };
}

const str = (s: string): Value => ({ t: 'string', s });
const fn = (call: (arg: Thunk) => Value): Value => ({ t: 'lambda', call });
const attrsOf = (entries: Record<string, Value>): Value => ({
  t: 'attrs',
  attrs: new Map(Object.entries(entries).map(([k, v]) => [k, () => v])),
});

function describe(v: Value): string {
  switch (v.t) {
    case 'lambda':
      return 'a function';
    case 'package':
      return v.attr.length === 0 ? 'the pkgs set' : 'a package';
    default:
      return `a ${v.t}`;
  }
}

class Evaluator {
  readonly topLevel: Env;
  private readonly known: Set<string> | undefined;

  constructor(private readonly stubs: Stubs) {
    if (stubs.pkgs) {
      this.known = new Set();
      for (const attr of stubs.pkgs) for (let n = 1; n <= attr.length; n++) this.known.add(JSON.stringify(attr.slice(0, n)));
    }
    const lib = this.lib();
    this.topLevel = new Map<string, Thunk>([
      ['pkgs', () => ({ t: 'package', attr: [] })],
      ['lib', () => lib],
      ['modulesPath', () => ({ t: 'path', p: MODULES_PATH })],
      [
        'config',
        () => {
          throw new Error('reading config is not modelled by exprToJson');
        },
      ],
    ]);
  }

  moduleArgs(names: readonly string[]): Value {
    return { t: 'attrs', attrs: new Map([...this.topLevel].filter(([name]) => names.includes(name))) };
  }

  private lib(): Value {
    const override = (priority: number) => (content: Thunk): Value =>
      attrsOf({ _type: str('override'), priority: { t: 'int', n: priority }, content: content() });
    return attrsOf({
      mkOverride: fn((p) => {
        const prio = p();
        if (prio.t !== 'int') throw new Error('mkOverride expects an integer priority');
        return fn(override(prio.n));
      }),
      mkDefault: fn(override(PRIORITY.default)),
      mkForce: fn(override(PRIORITY.force)),
      mkVMOverride: fn(override(PRIORITY.vm)),
      mkIf: fn((c) => fn((v) => attrsOf({ _type: str('if'), condition: c(), content: v() }))),
      mkMerge: fn((l) => attrsOf({ _type: str('merge'), contents: l() })),
      "getExe'": fn((pkg) => fn((name) => str(`${this.coerce(pkg())}/bin/${this.coerce(name())}`))),
    });
  }

  eval(expr: NixExpr, env: Env): Value {
    switch (expr.kind) {
      case 'string':
        return str(expr.parts.map((p) => (typeof p === 'string' ? p : this.coerce(this.eval(p, env)))).join(''));
      case 'int':
        return { t: 'int', n: expr.value };
      case 'float':
        return { t: 'float', n: expr.value };
      case 'bool':
        return { t: 'bool', b: expr.value };
      case 'null':
        return { t: 'null' };
      case 'path':
        return { t: 'path', p: this.resolvePath(expr.value) };
      case 'list':
        return { t: 'list', items: expr.items.map((item) => memo(() => this.eval(item, env))) };
      case 'attrs':
        return this.evalAttrs(expr.bindings, env, expr.rec === true).value;
      case 'var': {
        const thunk = env.get(expr.name);
        if (!thunk) throw new Error(`undefined variable '${expr.name}'`);
        return thunk();
      }
      case 'select':
        return expr.path.reduce((v, name) => this.select(v, name), this.eval(expr.expr, env));
      case 'apply':
        return expr.args.reduce((f, arg) => {
          if (f.t !== 'lambda') throw new Error(`attempt to call ${describe(f)}`);
          return f.call(memo(() => this.eval(arg, env)));
        }, this.eval(expr.fn, env));
      case 'lambda':
        return fn((arg) => {
          const a = arg();
          if (a.t !== 'attrs') throw new Error(`a function with formals was called with ${describe(a)}`);
          const scope = new Map(env);
          for (const formal of expr.formals) {
            const thunk = a.attrs.get(formal);
            if (!thunk) throw new Error(`function called without required argument '${formal}'`);
            scope.set(formal, thunk);
          }
          if (!expr.ellipsis) {
            for (const name of a.attrs.keys()) {
              if (!expr.formals.includes(name)) throw new Error(`function called with unexpected argument '${name}'`);
            }
          }
          return this.eval(expr.body, scope);
        });
      case 'let': {
        const { scope } = this.evalAttrs(expr.bindings, env, true);
        return this.eval(expr.body, scope);
      }
      case 'binop':
        return this.binop(expr.op, this.eval(expr.left, env), this.eval(expr.right, env));
      case 'commented':
        return this.eval(expr.expr, env);
    }
  }

  /**
   * Bindings with dotted paths build nested sets; a literal set merges with
   * other bindings under the same name, as the Nix parser does.
   */
  private evalAttrs(bindings: readonly NixBinding[], env: Env, recursive: boolean): { value: Value; scope: Env } {
    interface Node {
      expr?: NixExpr;
      children?: Map<string, Node>;
    }
    const root: Node = { children: new Map() };
    const insert = (node: Node, path: readonly string[], value: NixExpr): void => {
      const [head, ...rest] = path as [string, ...string[]];
      let expr = value;
      while (expr.kind === 'commented') expr = expr.expr;
      const children = node.children!;
      let child = children.get(head);
      if (rest.length > 0) {
        if (!child) children.set(head, (child = { children: new Map() }));
        if (!child.children) throw new Error(`attribute '${head}' already defined`);
        insert(child, rest, expr);
        return;
      }
      const literal = expr.kind === 'attrs' && !expr.rec ? expr : undefined;
      if (literal && (!child || child.children)) {
        if (!child) children.set(head, (child = { children: new Map() }));
        for (const b of literal.bindings) insert(child, b.path, b.value);
        return;
      }
      if (child) throw new Error(`attribute '${head}' already defined`);
      children.set(head, { expr });
    };
    for (const b of bindings) insert(root, b.path, b.value);

    const scope = new Map(env);
    const build = (node: Node): Value => {
      const attrs = new Map<string, Thunk>();
      for (const [name, child] of node.children!) {
        attrs.set(name, memo(() => (child.expr ? this.eval(child.expr, recursive ? scope : env) : build(child))));
      }
      return { t: 'attrs', attrs };
    };
    const value = build(root);
    if (recursive && value.t === 'attrs') for (const [name, thunk] of value.attrs) scope.set(name, thunk);
    return { value, scope };
  }

  private select(v: Value, name: string): Value {
    if (v.t === 'package') {
      if (v.attr.length === 0 && (BUILDERS as readonly string[]).includes(name)) return this.builder(name as Builder);
      if (v.attr.length === 0 && Object.hasOwn(WRITER_SETS, name)) return this.writers(name);
      if (v.attr.length > 0 && name === 'outPath') return str(packageStorePath(v.attr));
      const attr = [...v.attr, name];
      if (this.known && !this.known.has(JSON.stringify(attr))) throw new Error(`attribute '${name}' missing (pkgs.${attr.join('.')})`);
      return { t: 'package', attr };
    }
    if (v.t !== 'attrs') throw new Error(`value is ${describe(v)} while a set was expected (selecting '${name}')`);
    const thunk = v.attrs.get(name);
    if (!thunk) throw new Error(`attribute '${name}' missing`);
    return thunk();
  }

  /** `pkgs.writers`: each writer takes a name, `{ libraries = [ ... ]; }` and a text. */
  private writers(set: string): Value {
    const entries: Record<string, Value> = {};
    for (const writer of WRITER_SETS[set]!) {
      entries[writer] = fn((name) =>
        fn((args) =>
          fn((text) => {
            const a = args();
            if (a.t !== 'attrs') throw new Error(`${set}.${writer} expects an attribute set of options`);
            const libs = a.attrs.get('libraries')?.();
            const libraries = libs === undefined ? [] : libs.t === 'list' ? libs.items.map((item) => this.coerce(item())) : [];
            return str(writerStorePath(`${set}.${writer}`, this.coerce(name()), libraries, this.coerce(text())));
          }),
        ),
      );
    }
    return attrsOf(entries);
  }

  private builder(builder: Builder): Value {
    return fn((name) => fn((text) => str(builderStorePath(builder, this.coerce(name()), this.coerce(text())))));
  }

  private resolvePath(value: string): string {
    if (value.startsWith('/')) return posix.normalize(value);
    const dir = posix.dirname(this.stubs.file ?? 'default.nix');
    return posix.normalize(posix.join(dir, value));
  }

  /** String interpolation: strings and packages only, as in Nix (paths would be copied, which is not modelled). */
  coerce(v: Value): string {
    switch (v.t) {
      case 'string':
        return v.s;
      case 'package':
        if (v.attr.length === 0) throw new Error('cannot coerce the pkgs set to a string');
        return packageStorePath(v.attr);
      case 'attrs': {
        const outPath = v.attrs.get('outPath');
        if (outPath) return this.coerce(outPath());
        throw new Error('cannot coerce a set to a string');
      }
      default:
        throw new Error(`cannot coerce ${describe(v)} to a string`);
    }
  }

  private binop(op: '+' | '//', a: Value, b: Value): Value {
    if (op === '//') {
      if (a.t !== 'attrs' || b.t !== 'attrs') throw new Error(`'//' needs two sets, not ${describe(a)} and ${describe(b)}`);
      return { t: 'attrs', attrs: new Map([...a.attrs, ...b.attrs]) };
    }
    if (a.t === 'string' && b.t === 'string') return str(a.s + b.s);
    if (a.t === 'int' && b.t === 'int') return { t: 'int', n: a.n + b.n };
    if ((a.t === 'int' || a.t === 'float') && (b.t === 'int' || b.t === 'float')) return { t: 'float', n: a.n + b.n };
    if (a.t === 'path' && b.t === 'string') return { t: 'path', p: posix.normalize(a.p + b.s) };
    throw new Error(`cannot add ${describe(b)} to ${describe(a)}`);
  }

  toJson(v: Value): Json {
    switch (v.t) {
      case 'string':
        return v.s;
      case 'int':
      case 'float':
        return v.n;
      case 'bool':
        return v.b;
      case 'null':
        return null;
      case 'path':
        return `path:${v.p}`;
      case 'list':
        return v.items.map((item) => this.toJson(item()));
      case 'attrs': {
        const outPath = v.attrs.get('outPath');
        if (outPath) return this.toJson(outPath());
        const out: { [key: string]: Json } = {};
        for (const name of [...v.attrs.keys()].sort()) out[name] = this.toJson(v.attrs.get(name)!());
        return out;
      }
      case 'package':
        if (v.attr.length === 0) throw new Error('cannot convert the pkgs set to JSON');
        return packageStorePath(v.attr);
      case 'lambda':
        throw new Error('cannot convert a function to JSON');
    }
  }
}
