import { describe, expect, it } from 'vitest';
import { jsonPointer, parseJson, stringSource, type JsonString } from '../../src/sources/ignition/json.ts';
import { jsonConfigNode } from '../../src/sources/ignition/node.ts';
import { at, inputError } from '../fixtures/cloud-config/helpers.ts';

describe('JSON with positions', () => {
  it('keeps the line and column of every key and value', () => {
    const text = '{\n  "a": [1, {"b": true}],\n  "c": null\n}\n';
    const doc = parseJson('x.json', text);
    const root = jsonConfigNode(doc, doc.root);
    const [a, c] = root.entries();
    expect([a!.spelled, at(a!.origin), at(a!.value.origin)]).toEqual(['a', '2:3', '2:8']);
    const inner = a!.value.items()[1]!;
    expect([inner.label, inner.where, at(inner.entries()[0]!.value.origin)]).toEqual(['a[1]', '`/a/1`', '2:18']);
    expect([c!.value.shape, at(c!.origin)]).toEqual(['null', '3:3']);
  });

  it('maps characters of a string with escapes back to where they are written', () => {
    const text = '{"unit": "[Service]\\nExecStart=/bin/true\\u0020x\\n"}';
    const doc = parseJson('x.json', text);
    const value = doc.root.type === 'object' ? (doc.root.members[0]!.value as JsonString) : undefined;
    expect(value?.value).toBe('[Service]\nExecStart=/bin/true x\n');
    // `E` of ExecStart is the 11th character of the value and written after `\n`.
    expect(text[stringSource(value!, 10)]).toBe('E');
    const node = jsonConfigNode(doc, doc.root).entries()[0]!.value;
    expect(at(node.position()(2, 1))).toBe(`1:${text.indexOf('ExecStart') + 1}`);
    expect(at(node.at(29))).toBe(`1:${text.indexOf('\\u0020') + 1}`);
  });

  it('reads integers strictly, as Go does into an int', () => {
    const doc = parseJson('x.json', '[420, 4.2e2, 1.0, -1, "420"]');
    expect(jsonConfigNode(doc, doc.root).items().map((n) => n.asInt())).toEqual([420, undefined, undefined, -1, undefined]);
  });

  it('escapes pointer tokens as RFC 6901 says', () => {
    expect(jsonPointer(['storage', 'files', 0, 'a/b~c'])).toBe('/storage/files/0/a~1b~0c');
    expect(jsonPointer([])).toBe('/');
  });

  it.each([
    ['{"a": 1,}', '1:9', '/', 'no comma after the last member'],
    ['{"a": [1, 2,]}', '1:13', '/a', 'no comma after the last element'],
    ['{"a": {"b": 1 "c": 2}}', '1:15', '/a', 'Separate members with commas'],
    ["{'a': 1}", '1:2', '/', 'double quotes'],
    ['{"a": tru}', '1:7', '/a', 'Put strings in double quotes'],
    ['{"a": 0644}', '1:8', '/a', 'no leading zeros'],
    ['{"a": "x\ny"}', '1:9', '/a', 'cannot span lines'],
    ['{"a": "\\q"}', '1:8', '/a', 'backslash'],
    ['{"a": 1} // c', '1:10', '/', 'no comments'],
    ['{"a": {"b": [1', '1:15', '/a/b', 'ends early'],
    ['{"a": "open', '1:7', '/a', 'never closed'],
    ['{} {}', '1:4', '/', 'one JSON object'],
  ])('refuses %j at %s, naming the enclosing value %s', (text, position, pointer, hint) => {
    const d = inputError(() => parseJson('bad.ign', text));
    expect(d.code).toBe('ignition/json');
    expect(at(d.origin)).toBe(position);
    expect(d.message).toMatch(new RegExp(`^invalid JSON at ${pointer.replace(/\//g, '\\/')}: expected `));
    expect(d.hint).toContain(hint);
  });

  it('refuses nesting deep enough to blow the stack, with a message', () => {
    const d = inputError(() => parseJson('deep.json', `${'['.repeat(5000)}${']'.repeat(5000)}`));
    expect(d.message).toContain('levels of nesting');
  });
});
