import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attrs, bind, fromJS, int, letIn, list, select, str, v, type NixExpr, type StringPart } from '../../src/nix/ast.ts';
import { printExpr, printString } from '../../src/nix/print.ts';
import { exprToJson, packageStorePath } from '../helpers/nix-json.ts';
import { evalNixJson, skipWithoutNix, stubPkgsNix } from '../helpers/nix.ts';

/**
 * Property tests against the real Nix: values printed by the printer and
 * evaluated by `nix-instantiate` come back unchanged. Each test samples its
 * cases up front and checks them all in one Nix evaluation. The seed is
 * random per run (set NIXPORT_FC_SEED to replay one) and named on failure.
 */

const seed = Number(process.env['NIXPORT_FC_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const sample = <T>(arb: fc.Arbitrary<T>, numRuns: number): T[] => fc.sample(arb, { seed, numRuns });

/** Characters that matter to Nix's string syntax, mixed with any Unicode. */
const TRICKY = ['$', '{', '}', "'", "''", "'''", '\\', '\n', '\r', '\t', ' ', '   ', '"', '${', '$$', '#', '\r\n'];
const unit = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom('a', 'b', 'x', '-', '/') },
);
const text = fc.string({ unit, maxLength: 40 }).filter((s) => !s.includes('\0'));

/** Strings that once broke, or could: kept in every run. */
const FIXED = [
  '', ' ', '  ', '\n', '\n\n', ' \n', '\n ', 'a\n ', 'a\n  \n', "'", "''", "'''", "a'", "'a", "''a''", '$', '${', '$${',
  '$\\{', "'${", "''${", '  a\n  b', '  a\n  b\n', '\ta\n b', 'a\r\nb\r\n', '\r', '\\', '"', ' a', 'a ', "a\n'", "a\n''",
];

/** JSON with sorted keys: Nix prints attribute names sorted. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, x: unknown) =>
    typeof x === 'object' && x !== null && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );

/** Where a check failed, with what to replay it. */
function firstMismatch<T>(inputs: readonly T[], printed: readonly string[], got: readonly unknown[], want: readonly unknown[]) {
  const i = want.findIndex((w, k) => canonical(w) !== canonical(got[k]));
  return i < 0 ? undefined : { seed, input: inputs[i], printed: printed[i], got: got[i], want: want[i] };
}

/** A list with one item per line, each printed for its own indentation. */
function nixList(items: readonly { text: string; indent: number }[]): string {
  return '[\n' + items.map((it) => ' '.repeat(it.indent) + it.text).join('\n') + '\n]\n';
}

describe.skipIf(skipWithoutNix())('printed Nix evaluates to the value it was printed from', () => {
  it('strings, in both forms and at any indentation', async () => {
    const cases = [...FIXED.map((s) => ({ s, indent: 2 })), ...sample(fc.record({ s: text, indent: fc.constantFrom(0, 2, 6) }), 300)];
    const items = cases.flatMap(({ s, indent }) =>
      (['double', 'indented', undefined] as const).map((form) => ({ s, indent, text: printString(s, { form, indent }) })),
    );
    const got = (await evalNixJson(nixList(items))) as unknown[];
    expect(got).toHaveLength(items.length);
    expect(firstMismatch(items, items.map((i) => i.text), got, items.map((i) => i.s))).toBeUndefined();
    // Both forms were really exercised, multi-line blocks included.
    expect(items.filter((i) => i.text.startsWith("''\n")).length).toBeGreaterThan(50);
  });

  it('strings with interpolated packages, agreeing with exprToJson', async () => {
    const refs: string[][] = [['docker'], ['lvm2'], ['lvm2', 'bin'], ['iputils']];
    const part: fc.Arbitrary<StringPart> = fc.oneof(text, fc.constantFrom(...refs).map((r) => select(v('pkgs'), ...r)));
    const cases = sample(fc.record({ parts: fc.array(part, { maxLength: 6 }), indent: fc.constantFrom(0, 4) }), 200);
    const items = cases.flatMap(({ parts, indent }) =>
      (['double', 'indented'] as const).map((form) => ({ parts, indent, text: printString(parts, { form, indent }) })),
    );
    const source = `let pkgs = import ./pkgs.nix; in\n${nixList(items)}`;
    const got = (await evalNixJson(source, { 'pkgs.nix': stubPkgsNix(refs) })) as unknown[];
    const expected = items.map(({ parts }) =>
      parts.map((p) => (typeof p === 'string' ? p : packageStorePath(p.kind === 'select' ? p.path : []))).join(''),
    );
    expect(firstMismatch(items, items.map((i) => i.text), got, expected)).toBeUndefined();
    expect(items.map(({ parts }) => exprToJson(str(...parts), { pkgs: refs }))).toEqual(expected);
  });

  it('attribute names, in bindings and in selects', async () => {
    const names = [
      ...new Set([...FIXED, 'if', 'or', 'rec', 'true', '__curPos', "a'b", 'a-b', '_', '10-e', '/srv', ...sample(text, 200)]),
    ];
    const set = attrs(names.map((name, i) => bind([name], int(i))));
    const source = printExpr(
      letIn([bind(['s'], set)], attrs([bind(['set'], v('s')), bind(['selected'], list(names.map((n) => select(v('s'), n))))])),
    );
    const got = (await evalNixJson(source)) as { set: Record<string, number>; selected: number[] };
    expect(got.set).toEqual(Object.fromEntries(names.map((name, i) => [name, i])));
    expect(got.selected).toEqual(names.map((_, i) => i));
  });

  it('floats stay floats with every bit of their value', async () => {
    // Subnormal numbers are refused by the printer (Nix cannot read them), see print.test.ts.
    const normal = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => x === 0 || Math.abs(x) >= 2.2250738585072014e-308);
    const values = [0, 1, -1, 0.1, 1e21, 1e-7, 123456789.123456789, 2.2250738585072014e-308, Number.MAX_VALUE, ...sample(normal, 200)];
    const checks = values.map((x) => {
      // The reference goes through JSON with an exponent, so it is read as a float too.
      const printed = printExpr({ kind: 'float', value: x });
      return `(let x = ${printed}; in builtins.typeOf x == "float" && x == builtins.fromJSON ${printString(x.toExponential())})`;
    });
    const got = (await evalNixJson(`[\n${checks.join('\n')}\n]`)) as boolean[];
    expect(values.filter((_, i) => got[i] !== true)).toEqual([]);
  });

  it('nested sets, collapsed or spread, mean the same as the plain value', async () => {
    const key = fc.constantFrom('a', 'b', 'c', 'x-y', '10-e', 'if', '/srv');
    const scalar = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), text);
    const { value } = fc.letrec<{ value: unknown; set: Record<string, unknown>; items: unknown[] }>((tie) => ({
      value: fc.oneof({ maxDepth: 4, depthSize: 'small' }, scalar, tie('set'), tie('items')),
      set: fc.dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true }),
      items: fc.array(tie('value'), { maxLength: 4 }),
    }));
    const roots = sample(fc.dictionary(key, value, { maxKeys: 4, noNullPrototype: true }), 150);
    const printed = roots.map((root) => printExpr(fromJS(root)));
    const got = (await evalNixJson(nixList(printed.map((text) => ({ text, indent: 0 }))))) as unknown[];
    expect(firstMismatch(roots, printed, got, roots)).toBeUndefined();
    // The cases did collapse paths.
    expect(printed.filter((p) => /^ *[^ ]+\.[^ ]+ = /m.test(p)).length).toBeGreaterThan(10);
  });

  it('exprToJson agrees with Nix on sampled values', async () => {
    const roots = sample(fc.dictionary(fc.constantFrom('a', 'b'), fc.oneof(fc.integer(), text, fc.array(text, { maxLength: 3 }))), 50);
    const exprs: NixExpr[] = roots.map((r) => fromJS(r));
    const got = await evalNixJson(printExpr(list(exprs)));
    expect(got).toEqual(exprs.map((e) => exprToJson(e)));
  });
});
