import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../src/sources/compose/dotenv.ts';
import { interpolate } from '../../src/sources/compose/interpolate.ts';

const env: Record<string, string> = { SET: 'value', EMPTY: '', NESTED: 'inner', PORT: '8080' };
const lookup = (name: string) => env[name];

describe('interpolation, as compose-spec 12-interpolation.md defines it', () => {
  const table: readonly (readonly [string, string])[] = [
    ['plain text', 'plain text'],
    ['$SET', 'value'],
    ['${SET}', 'value'],
    ['a-${SET}-b', 'a-value-b'],
    ['$SET/$PORT', 'value/8080'],
    ['$$SET', '$SET'],
    ['$${SET}', '${SET}'],
    ['cost: $$5', 'cost: $5'],
    ['${UNSET}', ''],
    ['${SET:-default}', 'value'],
    ['${EMPTY:-default}', 'default'],
    ['${UNSET:-default}', 'default'],
    ['${SET-default}', 'value'],
    ['${EMPTY-default}', ''],
    ['${UNSET-default}', 'default'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${UNSET:+alt}', ''],
    ['${SET+alt}', 'alt'],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${SET:?must be set}', 'value'],
    ['${EMPTY?may be empty}', ''],
    ['${UNSET:-${NESTED}}', 'inner'],
    ['${UNSET:-${ALSO_UNSET:-deep}}', 'deep'],
    ['${UNSET:-a:b}', 'a:b'],
    ['${UNSET:-}', ''],
    ['http://${UNSET:-localhost}:${PORT}/x', 'http://localhost:8080/x'],
  ];
  for (const [input, output] of table) {
    it(`${JSON.stringify(input)} -> ${JSON.stringify(output)}`, () => {
      const r = interpolate(input, lookup);
      expect(r.ok && r.value).toBe(output);
    });
  }

  it('names the variables that were not set, once each', () => {
    const r = interpolate('$UNSET ${UNSET} ${OTHER:-x} $THIRD', lookup);
    expect(r.ok && r.unset).toEqual(['UNSET', 'THIRD']);
  });

  const errors: readonly (readonly [string, RegExp])[] = [
    ['${UNSET:?the database needs it}', /required variable UNSET is not set: the database needs it/],
    ['${EMPTY:?no empty}', /required variable EMPTY is empty: no empty/],
    ['${UNSET?}', /required variable UNSET is not set$/],
    ['${SET', /`\$\{` is not closed/],
    ['price $5', /must be followed by a variable name/],
    ['ends with $', /found the end of the value/],
    ['${SET/a/b}', /an operator Compose does not have/],
    ['${1abc}', /does not start with a variable name/],
  ];
  for (const [input, message] of errors) {
    it(`refuses ${JSON.stringify(input)}`, () => {
      const r = interpolate(input, lookup);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(message);
    });
  }
});

describe('.env files', () => {
  it('reads NAME=value lines with comments, export, quotes, escapes and references', () => {
    const text = [
      '# a comment',
      'PLAIN=hello world # trailing comment',
      'export EXPORTED=yes',
      "SINGLE='no $expansion here'",
      'DOUBLE="line\\nbreak and ${PLAIN}"',
      'REF=${PLAIN}-x',
      'EMPTY=',
      'MULTI="first',
      'second"',
      'DOLLAR=pa$$word',
      '',
    ].join('\n');
    const entries = parseDotenv('.env', text);
    expect(Object.fromEntries(entries.map((e) => [e.name, e.value]))).toEqual({
      PLAIN: 'hello world',
      EXPORTED: 'yes',
      SINGLE: 'no $expansion here',
      DOUBLE: 'line\nbreak and hello world',
      REF: 'hello world-x',
      EMPTY: '',
      MULTI: 'first\nsecond',
      DOLLAR: 'pa$word',
    });
    expect(entries.find((e) => e.name === 'EXPORTED')!.origin).toEqual({ file: '.env', line: 3, column: 1 });
  });

  it('refuses a line that is no assignment, without echoing it (env files hold secrets)', () => {
    expect(() => parseDotenv('.env', 'OK=1\nthis is not=an assignment\n')).toThrow(/expected NAME=value on this line/);
    try {
      parseDotenv('.env', 'OK=1\nhunter2 secret\n');
    } catch (e) {
      expect(String(e)).not.toContain('hunter2');
    }
  });
});
