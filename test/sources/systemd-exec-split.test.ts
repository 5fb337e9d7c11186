import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExecWord } from '../../src/model/unit.ts';
import {
  quoteExecWord,
  shellPayloadIndex,
  splitExec,
  type ExecSplit,
  type ExecSplitError,
} from '../../src/sources/systemd/index.ts';

function ok(raw: string): ExecSplit {
  const r = splitExec(raw);
  if ('error' in r) throw new Error(`unexpected error: ${r.error} at ${r.offset}`);
  return r;
}

function fail(raw: string): ExecSplitError {
  const r = splitExec(raw);
  if (!('error' in r)) throw new Error(`expected an error for ${raw}`);
  return r;
}

const values = (raw: string): string[] => ok(raw).words.map((w) => w.value);

describe('splitExec: words, quotes and escapes (systemd.service(5), "Command lines")', () => {
  it('splits at blanks, collapsing runs of them', () => {
    expect(values('/bin/echo  a\tb   c ')).toEqual(['/bin/echo', 'a', 'b', 'c']);
  });

  it('reads double and single quotes, also in the middle of a word', () => {
    expect(values(`/bin/echo "a b" 'c  d' x"y z"w ""`)).toEqual(['/bin/echo', 'a b', 'c  d', 'xy zw', '']);
    expect(values(`"/PATH WITH SPACES/daemon" -1 '-2'`)).toEqual(['/PATH WITH SPACES/daemon', '-1', '-2']);
  });

  it('reads C escapes inside and outside both kinds of quotes', () => {
    expect(values('/bin/echo a\\sb "\\x41\\102" \'\\t\' \\u00e9 \\U0001F600 "q\\"q" \'s\\\'s\'')).toEqual([
      '/bin/echo',
      'a b',
      'AB',
      '\t',
      'é',
      '😀',
      'q"q',
      "s's",
    ]);
  });

  it('keeps unknown escapes as written and warns, as systemd does', () => {
    const r = ok("/bin/grep '\\w+\\K' \\;x \\x4g");
    expect(r.words.map((w) => w.value)).toEqual(['/bin/grep', '\\w+\\K', '\\;x', '\\x4g']);
    expect(r.warnings.map((w) => w.offset)).toEqual([11, 14, 18, 22]);
  });

  it('refuses NUL escapes and code points systemd refuses', () => {
    expect(values('/bin/echo \\x00 \\000 \\UFFFFFFFF \\U0000D800')).toEqual([
      '/bin/echo',
      '\\x00',
      '\\000',
      '\\UFFFFFFFF',
      '\\U0000D800',
    ]);
  });

  it('keeps $VAR, ${VAR} and % specifiers in the words', () => {
    expect(values('/bin/echo $FOO ${BAR}baz %n %%')).toEqual(['/bin/echo', '$FOO', '${BAR}baz', '%n', '%%']);
  });

  it('reads a lone `\\;` as a literal `;`; quoted and encoded semicolons are literal too', () => {
    expect(values('/bin/find . -exec rm {} \\;')).toEqual(['/bin/find', '.', '-exec', 'rm', '{}', ';']);
    expect(values(`/bin/find ';' ";" \\073`)).toEqual(['/bin/find', ';', ';', ';']);
  });

  it('accepts a trailing lone `;`, which ends the one command', () => {
    expect(values('/bin/a b ;')).toEqual(['/bin/a', 'b']);
    expect(values('/bin/a b ; ; ')).toEqual(['/bin/a', 'b']);
  });

  it('refuses a lone `;` that starts a second command, pointing at it', () => {
    const e = fail('/bin/a b ; /bin/c d');
    expect(e.offset).toBe(9);
    expect(e.error).toContain('`;`');
    expect(e.hint).toContain('own `Exec');
  });

  it('reports an unclosed quote at the opening quote', () => {
    expect(fail('/path \'foo').offset).toBe(6);
    expect(fail('/bin/sh -c "echo \\"hi\\"').offset).toBe(11);
    expect(fail("/path 'foo\\").error).toContain('never closed');
  });

  it('returns no words for an empty value (a list reset)', () => {
    expect(ok('')).toEqual({ prefixes: '', words: [], warnings: [] });
    expect(ok('  ')).toEqual({ prefixes: '', words: [], warnings: [] });
  });
});

describe('splitExec: prefixes', () => {
  const split = (raw: string): [string, string[]] => {
    const r = ok(raw);
    return [r.prefixes, r.words.map((w) => w.value)];
  };

  it('takes `-@:+!` and `!!` off the program, in any order', () => {
    expect(split('-/bin/a')).toEqual(['-', ['/bin/a']]);
    expect(split('-@/bin/a argv0 r1')).toEqual(['-@', ['/bin/a', 'argv0', 'r1']]);
    expect(split('@-/bin/a argv0 r1')).toEqual(['@-', ['/bin/a', 'argv0', 'r1']]);
    expect(split(':+/bin/a')).toEqual([':+', ['/bin/a']]);
    expect(split('!!-/bin/a')).toEqual(['!!-', ['/bin/a']]);
    expect(split('!-!/bin/a')).toEqual(['!-!', ['/bin/a']]);
    // systemd 258: `|` runs the line through the shell.
    expect(split('|echo hi')).toEqual(['|', ['echo', 'hi']]);
  });

  it('stops at a prefix that may not follow the ones before it', () => {
    // systemd: each of - @ : once; + excludes ! and !!.
    expect(split('--/bin/a')).toEqual(['-', ['-/bin/a']]);
    expect(split('+!/bin/a')).toEqual(['+', ['!/bin/a']]);
    expect(split('!+/bin/a')).toEqual(['!', ['+/bin/a']]);
    expect(split('!!!/bin/a')).toEqual(['!!', ['!/bin/a']]);
  });

  it('takes prefixes after unquoting, as systemd does', () => {
    expect(split('-"/bin/a b" c')).toEqual(['-', ['/bin/a b', 'c']]);
  });

  it('starts the program word right after its prefixes', () => {
    const [program] = ok('-@/bin/a x').words;
    expect(program).toMatchObject({ value: '/bin/a', start: 2, end: 8 });
  });

  it('refuses prefixes without a program, and `@` without argv[0]', () => {
    expect(fail('-').error).toBe('no program after the prefixes `-`');
    expect(fail('- /path').offset).toBe(0);
    expect(fail('@/bin/a').error).toContain('argv[0]');
  });
});

describe('splitExec: positions in raw', () => {
  it('gives each word its span as written and each character its offset', () => {
    const r = ok('/bin/echo "a b" c\\x41');
    expect(r.words[1]).toEqual({ value: 'a b', start: 10, end: 15, offsets: [11, 12, 13] });
    expect(r.words[2]).toEqual({ value: 'cA', start: 16, end: 21, offsets: [16, 17] });
  });

  it('treats a backslash-newline continuation as a blank, and as a space inside quotes', () => {
    const r = ok('/bin/sh -c \\\n  "a \\\n  b" \\\n# comment\n  c');
    expect(r.words.map((w) => w.value)).toEqual(['/bin/sh', '-c', 'a    b', 'c']);
    expect(r.words[3]).toEqual({ value: 'c', start: 39, end: 40, offsets: [39] });
  });
});

describe('shellPayloadIndex', () => {
  const payload = (raw: string): number | undefined => {
    const r = ok(raw);
    return shellPayloadIndex(r.words, r.prefixes.includes('@'));
  };

  it('finds the command string of `sh -c` and its relatives', () => {
    expect(payload('/bin/sh -c "echo hi"')).toBe(2);
    expect(payload('/usr/bin/bash -ec "echo hi" name arg')).toBe(2);
    expect(payload('dash -o pipefail -c "echo hi"')).toBe(4);
    expect(payload('/bin/bash --norc -c "echo hi"')).toBe(3);
    expect(payload('@/bin/sh sh -c "echo hi"')).toBe(3);
  });

  it('leaves other commands alone', () => {
    expect(payload('/bin/sh /usr/local/bin/script.sh')).toBeUndefined();
    expect(payload('/bin/sh -c')).toBeUndefined();
    expect(payload('/usr/bin/docker run image sh -c "echo hi"')).toBeUndefined();
    expect(payload('/usr/bin/shx -c x')).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------
// Properties: writing argv the systemd way and splitting gives argv back.

/** Characters the splitter treats specially, mixed with any other code point but NUL (which no argv can carry). */
const special = fc.constantFrom(' ', '\t', '\n', '\r', '"', "'", '\\', ';', '$', '%', '#', '\x07', '\x7f', 'é');
const anyChar = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => c !== '\0');
const argument = fc.string({ unit: fc.oneof({ arbitrary: special, weight: 3 }, { arbitrary: anyChar, weight: 1 }), maxLength: 12 });
const program = fc.stringMatching(/^\/[a-z0-9_./-]{0,12}$/);
const argv = fc.tuple(program, fc.array(argument, { maxLength: 6 }));

/** Blanks between words, including continuations with indentation and comment lines. */
const separator = fc.constantFrom(' ', '  ', '\t', ' \\\n    ', ' \\\n# a comment\n  ', '\\\n ', ' \\\n; note\n\t');

/** A word written with single quotes, escaping what single quotes cannot hold. */
function quoteSingle(value: string): string {
  return `'${[...value].map((c) => (c === '\\' || c === "'" ? `\\${c}` : c === '\n' ? '\\n' : c === '\r' ? '\\r' : c)).join('')}'`;
}

/**
 * A word written bare where possible, escaping blanks, quotes and backslashes.
 * `#` and `;` are escaped too: bare, they would start a comment line after a
 * continuation, or (alone) separate commands.
 */
function writeBare(value: string): string {
  if (value === '') return '""';
  return [...value]
    .map((c) => {
      if (c === '#') return '\\x23';
      if (c === ';') return '\\x3b';
      if (c === ' ') return '\\s';
      if (c === '\\' || c === '"' || c === "'") return `\\${c}`;
      if (c === '\t') return '\\t';
      if (c === '\n') return '\\n';
      if (c === '\r') return '\\r';
      return c;
    })
    .join('');
}

const writer = fc.constantFrom(quoteExecWord, quoteSingle, writeBare);

function joinWords(parts: readonly string[], seps: readonly string[]): string {
  return parts.map((p, i) => (i === 0 ? p : `${seps[(i - 1) % seps.length] ?? ' '}${p}`)).join('');
}

/** Each character of a word points at itself in raw, or at the backslash of its escape. */
function pointsAtItself(raw: string, w: ExecWord): boolean {
  if (w.offsets.length !== w.value.length) return false;
  return w.offsets.every((o, i) => raw[o] === w.value[i] || raw[o] === '\\') && w.start <= (w.offsets[0] ?? w.start);
}

describe('splitExec: properties', () => {
  it('splits quoteExecWord-quoted argv back into argv', () => {
    fc.assert(
      fc.property(argv, ([prog, args]) => {
        const raw = [prog, ...args.map(quoteExecWord)].join(' ');
        const r = ok(raw);
        expect(r.prefixes).toBe('');
        expect(r.words.map((w) => w.value)).toEqual([prog, ...args]);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same argv whatever the quoting style and blanks between words', () => {
    fc.assert(
      fc.property(argv, fc.array(writer, { minLength: 1, maxLength: 6 }), fc.array(separator, { minLength: 1, maxLength: 6 }), ([prog, args], writers, seps) => {
        const written = args.map((a, i) => (writers[i % writers.length] ?? quoteExecWord)(a));
        const raw = joinWords([prog, ...written], seps);
        expect(ok(raw).words.map((w) => w.value)).toEqual([prog, ...args]);
      }),
      { numRuns: 500 },
    );
  });

  it('spans each word as written and points each character at its source', () => {
    fc.assert(
      fc.property(argv, fc.array(separator, { minLength: 1, maxLength: 6 }), ([prog, args], seps) => {
        const written = [prog, ...args.map(quoteExecWord)];
        const raw = joinWords(written, seps);
        const r = ok(raw);
        r.words.forEach((w, i) => {
          expect(raw.slice(w.start, w.end)).toBe(written[i]);
          expect(pointsAtItself(raw, w)).toBe(true);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('keeps prefixes apart from the program for any prefix combination systemd accepts', () => {
    const prefixes = fc
      .subarray(['-', '@', ':'])
      .chain((base) => fc.constantFrom('', '+', '!', '!!').map((p) => [...base, ...(p ? [p] : [])]))
      .chain((parts) => fc.shuffledSubarray(parts, { minLength: parts.length, maxLength: parts.length }));
    fc.assert(
      fc.property(prefixes, program, (parts, prog) => {
        const pre = parts.join('');
        const r = ok(`${pre}${prog} argv0`);
        expect(r.prefixes).toBe(pre);
        expect(r.words[0]?.value.endsWith(prog)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
