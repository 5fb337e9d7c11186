import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/diagnostic.ts';
import { embeddedMapper } from '../../src/model/origin.ts';
import { originAt } from '../../src/model/unit.ts';
import { parseUnitText } from '../../src/sources/systemd/index.ts';
import { logicalText } from '../../src/sources/systemd/logical.ts';
import { Ledger, codes, lines, unitText, words } from '../fixtures/units/helpers.ts';

function parse(text: string, unit = 'test.service') {
  const ledger = new Ledger();
  const t = unitText(ledger, unit, text);
  return { ledger, t, parsed: parseUnitText(t, ledger) };
}

function thrown(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('parseUnitText: lines and sections', () => {
  it('reads sections, skips comments and blank lines, trims around `=`', () => {
    const { parsed, ledger } = parse(
      ['# a comment', '; another comment', '', '[Unit]', 'Description = hello world  ', '  After=a.service', '[Service]', 'ExecStart=/bin/true'].join('\n'),
    );
    expect(lines(parsed.directives)).toEqual([
      '[Unit] Description=hello world',
      '[Unit] After=a.service',
      '[Service] ExecStart=/bin/true',
    ]);
    expect(ledger.diagnostics).toEqual([]);
  });

  it('registers each directive as a ledger item under the text, at its key', () => {
    const { parsed, ledger, t } = parse('[Unit]\n  After=a.service\n');
    const d = parsed.directives[0];
    expect(d?.item).toMatchObject({ kind: 'directive', label: '[Unit] After=', parent: t.item.id });
    expect(d?.item.origin).toEqual({ file: 'test.service', line: 2, column: 3 });
    expect(d?.source).toBe('test.service');
    expect(ledger.items.filter((i) => i.kind === 'directive')).toHaveLength(1);
  });

  it('keeps repeated keys and empty assignments in file order', () => {
    const { parsed } = parse('[Unit]\nAfter=a.service\nAfter=\nAfter=b.service\n');
    expect(lines(parsed.directives)).toEqual(['[Unit] After=a.service', '[Unit] After=', '[Unit] After=b.service']);
    const empty = parsed.directives[1];
    expect(empty?.raw).toBe('');
    // An empty value maps to the column right after `=`.
    expect(empty && originAt(empty, 0)).toEqual({ file: 'test.service', line: 3, column: 7 });
  });

  it('keeps specifiers and unknown sections such as [X-Fleet] as written', () => {
    const { parsed } = parse('[Service]\nExecStart=/bin/echo %n %i\n[X-Fleet]\nGlobal=true\n');
    expect(lines(parsed.directives)).toEqual(['[Service] ExecStart=/bin/echo %n %i', '[X-Fleet] Global=true']);
    expect(words(parsed.directives[0])).toEqual(['/bin/echo', '%n', '%i']);
  });

  it('reads CRLF line ends and skips a byte order mark', () => {
    const { parsed } = parse('\uFEFF[Unit]\r\nDescription=x\r\nAfter=y\r\n');
    expect(lines(parsed.directives)).toEqual(['[Unit] Description=x', '[Unit] After=y']);
    expect(parsed.directives[1]?.item.origin).toEqual({ file: 'test.service', line: 3, column: 1 });
  });
});

describe('parseUnitText: continuation lines', () => {
  const text = [
    '[Service]',
    'ExecStart=/bin/echo one \\',
    '    two \\',
    '# a comment inside the continuation',
    '  ; another one',
    '    three',
    'Restart=always',
  ].join('\n');

  it('joins lines ending in `\\`, turning the backslash into a space and skipping comment lines', () => {
    const { parsed } = parse(text);
    const d = parsed.directives[0];
    expect(d?.value).toBe('/bin/echo one      two      three');
    expect(words(d)).toEqual(['/bin/echo', 'one', 'two', 'three']);
    expect(lines(parsed.directives)[1]).toBe('[Service] Restart=always');
  });

  it('keeps continuations, comment lines and indentation in `raw`', () => {
    const d = parse(text).parsed.directives[0];
    expect(d?.raw).toBe(
      '/bin/echo one \\\n    two \\\n# a comment inside the continuation\n  ; another one\n    three',
    );
    expect(d && logicalText(d.raw).text).toBe(d?.value);
  });

  it('maps word offsets in `raw` back to lines and columns of the file', () => {
    const d = parse(text).parsed.directives[0];
    const three = d?.exec?.words[3];
    expect(d && three && originAt(d, three.start)).toEqual({ file: 'test.service', line: 6, column: 5 });
    const program = d?.exec?.words[0];
    expect(d && program && originAt(d, program.start)).toEqual({ file: 'test.service', line: 2, column: 11 });
  });

  it('does not continue after an escaped backslash or a backslash followed by blanks', () => {
    const { parsed } = parse('[Service]\nEnvironment=A=b\\\\\nEnvironment=C=d \\ \nUser=x\n');
    expect(lines(parsed.directives)).toEqual([
      '[Service] Environment=A=b\\\\',
      '[Service] Environment=C=d \\',
      '[Service] User=x',
    ]);
  });

  it('ends a continuation at a blank line, and at the end of the file', () => {
    expect(lines(parse('[Service]\nUser=a \\\n\nGroup=b\n').parsed.directives)).toEqual([
      '[Service] User=a',
      '[Service] Group=b',
    ]);
    expect(lines(parse('[Service]\nUser=a \\\nb \\').parsed.directives)).toEqual(['[Service] User=a  b']);
  });
});

describe('parseUnitText: lines systemd ignores', () => {
  it('reports a key before any section as an error at its position and settles it unsupported', () => {
    const { parsed, ledger } = parse('Description=early\n[Unit]\nAfter=x\n');
    expect(lines(parsed.directives)).toEqual(['[Unit] After=x']);
    expect(ledger.diagnostics[0]).toMatchObject({
      severity: 'error',
      code: 'systemd/key-outside-section',
      origin: { file: 'test.service', line: 1, column: 1 },
    });
    const item = ledger.items.find((i) => i.label === 'Description=');
    expect(item && ledger.fate(item)?.kind).toBe('unsupported');
  });

  it('reports a line without `=` with line, column and a hint', () => {
    const { parsed, ledger } = parse('[Service]\n  ExecStart /bin/true\nUser=x\n');
    expect(lines(parsed.directives)).toEqual(['[Service] User=x']);
    const diag = ledger.diagnostics[0];
    expect(diag).toMatchObject({
      severity: 'error',
      code: 'systemd/missing-equals',
      origin: { file: 'test.service', line: 2, column: 3 },
    });
    expect(diag?.message).toContain('expected `Key=value`');
    expect(diag?.hint).toBeTruthy();
    const item = ledger.items.find((i) => i.label === '[Service] ExecStart /bin/true');
    expect(item && ledger.fate(item)).toEqual({ kind: 'unsupported', reason: 'not a `Key=value` line' });
  });

  it('reports `=value` without a key', () => {
    const { ledger } = parse('[Service]\n=/bin/true\n');
    expect(codes(ledger)).toEqual(['systemd/missing-key']);
  });

  it('reports a broken section header and settles the keys under it', () => {
    const { parsed, ledger } = parse('[Service\nUser=x\n[Unit]\nAfter=y\n');
    expect(lines(parsed.directives)).toEqual(['[Unit] After=y']);
    expect(ledger.diagnostics).toHaveLength(1);
    expect(ledger.diagnostics[0]).toMatchObject({ code: 'systemd/bad-section-header', origin: { line: 1, column: 1 } });
    const user = ledger.items.find((i) => i.label === 'User=');
    expect(user && ledger.fate(user)).toEqual({
      kind: 'unsupported',
      reason: 'follows the invalid section header at test.service:1',
    });
  });

  it('warns about an empty unit file but reads it', () => {
    const { parsed, ledger } = parse('# nothing here\n\n');
    expect(parsed.directives).toEqual([]);
    expect(ledger.diagnostics).toMatchObject([{ severity: 'warning', code: 'systemd/empty-unit' }]);
  });
});

describe('parseUnitText: text that is not a unit file', () => {
  it('throws for text without any section header, naming what was expected', () => {
    const e = thrown(() => parse('\n  hello world\nthis is not ini\n'));
    expect(e.diagnostic).toMatchObject({
      code: 'systemd/not-a-unit',
      origin: { file: 'test.service', line: 2, column: 3 },
    });
    expect(e.diagnostic.message).toContain('expected `[Section]` or `Key=value`');
    expect(e.diagnostic.hint).toBeTruthy();
  });

  it('throws for settings that lack their section header', () => {
    const e = thrown(() => parse('# header lost\nExecStart=/bin/true\n'));
    expect(e.diagnostic.origin).toEqual({ file: 'test.service', line: 2, column: 1 });
    expect(e.diagnostic.message).toContain('no `[Section]` header');
  });

  it('throws for binary data at the NUL byte', () => {
    const e = thrown(() => parse('[Unit]\nAb\0c\n'));
    expect(e.diagnostic).toMatchObject({ code: 'systemd/not-a-unit', origin: { line: 2, column: 3 } });
  });
});

describe('parseUnitText: positions inside an embedding file', () => {
  // The unit is the `content: |` block of a cloud-config: its first line is at
  // cloud-config.yml:6:9 and every line is indented by 8 columns.
  const text = '[Service]\nRestart=always\nExecStart=/usr/bin/docker run \\\n    --name x \\\n    nginx:1\n';

  it('maps keys and words to the cloud-config through the mapper', () => {
    const ledger = new Ledger();
    const position = embeddedMapper({ file: 'cloud-config.yml', line: 6, column: 9 }, 8);
    const t = unitText(ledger, 'x.service', text, { position });
    const [restart, exec] = parseUnitText(t, ledger).directives;
    expect(restart?.item.origin).toEqual({ file: 'cloud-config.yml', line: 7, column: 9 });
    expect(exec?.item.origin).toEqual({ file: 'cloud-config.yml', line: 8, column: 9 });
    const image = exec?.exec?.words[4];
    expect(image?.value).toBe('nginx:1');
    expect(exec && image && originAt(exec, image.start)).toEqual({ file: 'cloud-config.yml', line: 10, column: 13 });
    const program = exec?.exec?.words[0];
    expect(exec && program && originAt(exec, program.start)).toEqual({ file: 'cloud-config.yml', line: 8, column: 19 });
  });
});

describe('parseUnitText: exec lines', () => {
  it('reports an unclosed quote at its line and column and settles the directive unsupported', () => {
    const { parsed, ledger } = parse('[Service]\nExecStart=/bin/sh -c \\\n   "echo hi\n');
    const d = parsed.directives[0];
    expect(d?.exec).toBeUndefined();
    expect(ledger.diagnostics[0]).toMatchObject({
      severity: 'error',
      code: 'systemd/exec-syntax',
      origin: { file: 'test.service', line: 3, column: 4 },
    });
    expect(d && ledger.fate(d.item)?.kind).toBe('unsupported');
  });

  it('warns about unknown escapes, which systemd keeps as written', () => {
    const { parsed, ledger } = parse("[Service]\nExecStart=/bin/grep '\\w+'\n");
    expect(words(parsed.directives[0])).toEqual(['/bin/grep', '\\w+']);
    expect(ledger.diagnostics).toMatchObject([{ severity: 'warning', code: 'systemd/exec-escape', origin: { line: 2, column: 22 } }]);
  });

  it('splits only the Exec keys of sections that have them', () => {
    const { parsed } = parse('[Service]\nExecStart=/bin/a b\nExecFoo=/bin/a b\n[X-Other]\nExecStart=/bin/a b\n');
    expect(parsed.directives.map((d) => d.exec !== undefined)).toEqual([true, false, false]);
  });
});
