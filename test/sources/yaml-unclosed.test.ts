import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { convert } from '../../src/index.ts';
import { findUnclosed } from '../../src/sources/yaml-unclosed.ts';

const at = (text: string) => {
  const found = findUnclosed(text, text.length);
  if (!found) return undefined;
  const before = text.slice(0, found.offset).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1} ${found.opener}`;
};

describe('finding the unclosed quote or bracket', () => {
  it.each([
    ['hostname: "abc\nusers:\n  - name: x\n', '1:11 "'],
    ["a: 'it''s open\nb: 1\n", "1:4 '"],
    ['a: {x: 1, y: 2\nb: 1\n', '1:4 {'],
    ['a:\n  - [1, [2, 3]\nb: 1\n', '2:5 ['],
    ['a: ["x", "y\n', '1:10 "'],
    // An empty line inside a block scalar (a unit's contents) once made the scan loop forever.
    ['unit: |\n  [Unit]\n\n  [Service]\nnext: [\n', '5:7 ['],
  ])('%j -> %s', (text, expected) => expect(at(text)).toBe(expected));

  it.each([
    ["note: it's plain text\nb: [1, 2]\n"],
    ['a: "closed" # a comment with " and [\n'],
    ['script: |\n  echo "unbalanced [\n  it\'s fine\nnext: {a: 1}\n'],
    ["a: 'it''s closed'\n"],
    ['a: "esc \\" inside"\n'],
    ['url: http://x/[a]\n'],
  ])('nothing in %j', (text) => expect(at(text)).toBeUndefined());

  it('finds nothing open in any YAML the yaml library writes', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
      expect(at(stringify(value))).toBeUndefined();
    }), { numRuns: 500, seed: 20261126 });
  });
});

describe('the error a person sees', () => {
  it('points at the opener, not the end of the file', () => {
    const r = convert([{ path: 'cloud-config.yml', content: '#cloud-config\nhostname: "abc\nusers:\n  - name: x\n' }]);
    expect(r.exitCode).toBe(2);
    const [error] = r.report.diagnostics;
    expect([error?.origin?.line, error?.origin?.column]).toEqual([2, 11]);
    expect(error?.message).toContain('this quote (`"`) is never closed');
    expect(r.files).toEqual([]);
  });
});
