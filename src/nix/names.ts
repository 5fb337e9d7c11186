import { printDoubleQuoted } from './strings.ts';

/**
 * Attribute names: bare when Nix reads them as identifiers, quoted otherwise.
 * `or` is accepted bare by Nix in some positions only, so it is quoted with
 * the real keywords.
 */
export const NIX_KEYWORDS: readonly string[] = ['if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec', 'inherit', 'or'];

const IDENTIFIER = /^[a-zA-Z_][a-zA-Z0-9_'-]*$/;

export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name) && !NIX_KEYWORDS.includes(name);
}

/** `foo`, `"10-e"`, `"/srv"`, `"a\${b}"`. */
export function printAttrName(name: string): string {
  return isIdentifier(name) ? name : printDoubleQuoted([name], noInterpolation).text;
}

const noInterpolation = (): never => {
  throw new Error('attribute names have no interpolations');
};

/** `systemd.services."prometheus-node-exporter"` */
export function printAttrPath(path: readonly string[]): string {
  if (path.length === 0) throw new Error('nixport bug: empty attribute path');
  return path.map(printAttrName).join('.');
}
