import type { NixExpr } from '../nix/ast.ts';
import { catalogEntry, OPTION_CATALOG, type OptionType } from './catalog.ts';

/**
 * Checks definitions against the option catalog: each path must be an
 * option the catalog lists (a set value is checked attribute by
 * attribute until it reaches one), and its value must have the option's
 * type. `lib.mkForce`/`mkDefault`/`mkOverride` are looked through.
 */
export interface Definition {
  readonly path: readonly string[];
  readonly value: NixExpr;
}

export function checkDefinitions(definitions: readonly Definition[]): string[] {
  const errors: string[] = [];
  for (const d of definitions) check(d.path, d.value, errors);
  return errors;
}

function check(path: readonly string[], value: NixExpr, errors: string[]): void {
  const v = unwrap(value);
  const entry = catalogEntry(path);
  if (entry) {
    const problem = typeProblem(entry.type, v);
    if (problem) errors.push(`${show(path)}: ${problem} (the catalog says ${entry.type})`);
    return;
  }
  if (v.kind === 'attrs' && !v.rec) {
    // An empty set only declares what is below it (a unit with its header comment).
    if (v.bindings.length === 0 && !hasEntriesBelow(path)) errors.push(`${show(path)}: no catalog entry (an empty set)`);
    for (const b of v.bindings) check([...path, ...b.path], b.value, errors);
    return;
  }
  errors.push(`${show(path)}: no catalog entry`);
}

function hasEntriesBelow(path: readonly string[]): boolean {
  return OPTION_CATALOG.some((entry) => {
    const parts = entry.path.split('.');
    return parts.length > path.length && path.every((p, i) => parts[i] === '<name>' || parts[i] === p);
  });
}

/** The value under lib.mkForce / mkDefault / mkOverride N, and under comments. */
function unwrap(value: NixExpr): NixExpr {
  let v = value;
  for (;;) {
    if (v.kind === 'commented') v = v.expr;
    else if (v.kind === 'apply' && v.fn.kind === 'select' && v.fn.expr.kind === 'var' && v.fn.expr.name === 'lib' && ['mkForce', 'mkDefault', 'mkOverride'].includes(v.fn.path[0]!)) v = v.args[v.args.length - 1]!;
    else return v;
  }
}

const UNIT_NAME = /^[^/\s]+\.(service|socket|device|mount|automount|swap|target|path|timer|scope|slice)$/;

function isString(v: NixExpr): boolean {
  return v.kind === 'string';
}

function literal(v: NixExpr): string | undefined {
  return v.kind === 'string' && v.parts.every((p) => typeof p === 'string') ? v.parts.join('') : undefined;
}

function isPackage(v: NixExpr): boolean {
  return v.kind === 'select' && v.expr.kind === 'var' && v.expr.name === 'pkgs';
}

function isScalar(v: NixExpr): boolean {
  return v.kind === 'string' || v.kind === 'int' || v.kind === 'bool' || v.kind === 'float';
}

function isPort(v: NixExpr): boolean {
  return v.kind === 'int' && v.value >= 0 && v.value <= 65535;
}

function items(v: NixExpr): readonly NixExpr[] | undefined {
  return v.kind === 'list' ? v.items.map(unwrap) : undefined;
}

/** Why a value does not have the type, or undefined when it has. */
export function typeProblem(type: OptionType, raw: NixExpr): string | undefined {
  const v = unwrap(raw);
  const list = items(v);
  const fail = (what: string) => `expected ${what}, got ${v.kind}`;
  switch (type) {
    case 'bool':
      return v.kind === 'bool' ? undefined : fail('a bool');
    case 'str':
    case 'lines':
      return isString(v) ? undefined : fail('a string');
    case 'path': {
      const text = literal(v);
      if (v.kind === 'path') return undefined;
      return text !== undefined && text.startsWith('/') ? undefined : 'expected an absolute path';
    }
    case 'port':
      return isPort(v) ? undefined : fail('a port number');
    case 'int':
      return v.kind === 'int' ? undefined : fail('an integer');
    case 'nullOr int':
      return v.kind === 'int' || v.kind === 'null' ? undefined : fail('an integer or null');
    case 'listOf str':
      return list?.every(isString) ? undefined : fail('a list of strings');
    case 'listOf port':
      return list?.every(isPort) ? undefined : fail('a list of ports');
    case 'listOf package':
      return list?.every(isPackage) ? undefined : fail('a list of packages');
    case 'listOf unitName':
      return list?.every((i) => UNIT_NAME.test(literal(i) ?? '')) ? undefined : 'expected unit names with a type suffix (.service, .mount, ...)';
    case 'listOf portRange':
      return list?.every((i) => i.kind === 'attrs' && i.bindings.every((b) => (b.path[0] === 'from' || b.path[0] === 'to') && isPort(unwrap(b.value)))) ? undefined : 'expected { from; to; } port ranges';
    case 'listOf listen':
      return list?.every((i) => i.kind === 'attrs' && i.bindings.every((b) => listenField(b.path[0]!, unwrap(b.value)))) ? undefined : 'expected { addr; port; } listen entries';
    case 'unitOption':
    case 'ini':
      return isScalar(v) || list?.every(isScalar) ? undefined : fail('a string, number or bool (or a list of them)');
    case 'envValue':
      return isString(v) || isPackage(v) || v.kind === 'null' ? undefined : fail('a string or a package');
    case 'nullOr str':
      return isString(v) || v.kind === 'null' ? undefined : fail('a string or null');
    case 'nullOr port':
      return isPort(v) || v.kind === 'null' ? undefined : fail('a port number or null');
    case 'nullOr attrs':
      return v.kind === 'attrs' || v.kind === 'null' ? undefined : fail('an attribute set or null');
    case 'scalar':
      return isScalar(v) ? undefined : fail('a string, number or bool');
    case 'package':
      return isPackage(v) ? undefined : fail('a package (pkgs.<name>)');
    case 'anything':
      return undefined;
    case 'listOf attrs':
      return list?.every((i) => i.kind === 'attrs') ? undefined : fail('a list of attribute sets');
    case 'listOf (listOf int)':
      return list?.every((i) => items(i)?.every((n) => n.kind === 'int')) ? undefined : fail('a list of lists of integers');
    case 'either bool str':
      return v.kind === 'bool' || isString(v) ? undefined : fail('a bool or a string');
    case 'scalarOrList':
      return isScalar(v) || list?.every(isScalar) ? undefined : fail('a string, number or bool (or a list of them)');
    case 'attrs':
      return v.kind === 'attrs' ? undefined : fail('an attribute set');
  }
}

function listenField(name: string, v: NixExpr): boolean {
  switch (name) {
    case 'addr':
      return isString(v);
    case 'port':
      return isPort(v) || v.kind === 'null';
    case 'ssl':
    case 'proxyProtocol':
      return v.kind === 'bool';
    case 'extraParameters':
      return items(v)?.every(isString) ?? false;
    default:
      return false;
  }
}

function show(path: readonly string[]): string {
  return path.map((p) => (/^[A-Za-z_][A-Za-z0-9_'-]*$/.test(p) ? p : JSON.stringify(p))).join('.');
}
