import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CONTENT_ENCODINGS } from '../../src/sources/cloud-config/index.ts';
import { at, diagnostics, fate, file, inputError, onlyDiagnostic, readLines, textAt } from '../fixtures/cloud-config/helpers.ts';

const decoder = new TextDecoder();

describe('write_files', () => {
  it('reads path, text content, mode and owner into one file item', () => {
    const r = readLines(
      'write_files:',
      '  - path: /etc/ssl/certs/r.zekjur.net.crt',
      '    permissions: 0644',
      '    owner: root:root',
      '    content: |',
      '      -----BEGIN CERTIFICATE-----',
      '      MIID8TCCAlmgAwIBAgIRAPWwvYWpoH+lGKv6rxZvC4MwDQYJKoZIhvcNAQELBQAw',
      '      -----END CERTIFICATE-----',
    );
    const f = file(r.c, '/etc/ssl/certs/r.zekjur.net.crt');
    expect(f.text).toBe('-----BEGIN CERTIFICATE-----\nMIID8TCCAlmgAwIBAgIRAPWwvYWpoH+lGKv6rxZvC4MwDQYJKoZIhvcNAQELBQAw\n-----END CERTIFICATE-----\n');
    expect(decoder.decode(f.content)).toBe(f.text);
    expect(f.mode).toBe(0o644);
    expect([f.owner, f.group]).toEqual(['root', 'root']);
    expect(f.item).toMatchObject({ kind: 'file', label: 'write_files[0] (/etc/ssl/certs/r.zekjur.net.crt)', origin: { line: 3, column: 5 } });
    // The fields belong to the file item: one item, left for the stage that writes the file.
    expect(r.ledger.items).toEqual([f.item]);
    expect(r.ledger.fate(f.item)).toBeUndefined();
  });

  it.each([
    ['0644', 0o644, 'YAML 1.1 octal (the number 420)'],
    ['0755', 0o755, 'YAML 1.1 octal'],
    ['644', 0o644, 'digits read as octal, as coreos-cloudinit does'],
    ['"0600"', 0o600, 'a quoted string'],
    ["'640'", 0o640, 'a quoted string without the 0'],
    ['01777', 0o1777, 'four digits with the sticky bit'],
  ])('permissions: %s is mode %o (%s)', (written, mode) => {
    const r = readLines('write_files:', '  - path: /f', `    permissions: ${written}`, '    content: x');
    expect(file(r.c, '/f').mode).toBe(mode);
  });

  it.each([
    ['yes', 'the boolean `yes`'],
    ['0o644', '`0o644`'],
    ['0x1a4', '`0x1a4`'],
    ['"rw-r--r--"', '`rw-r--r--`'],
    ['999', '`999`'],
    ['[0644]', 'a list'],
  ])('permissions: %s is an error for that file, which is left out', (written, found) => {
    const r = readLines('write_files:', '  - path: /secret', `    permissions: ${written}`, '    content: x', '  - path: /ok', '    content: y');
    expect(r.c.files?.map((f) => f.path)).toEqual(['/ok']);
    expect(fate(r.ledger, 'write_files[0] (/secret)')?.kind).toBe('unsupported');
    const d = onlyDiagnostic(r.ledger, 'cloud-config/invalid-value');
    expect(d.severity).toBe('error');
    expect(d.message).toBe(`\`write_files[0].permissions\` must be an octal mode such as 0644, found ${found}`);
    expect(at(d.origin)).toBe('4:18');
  });

  it('a file without permissions has no mode (coreos-cloudinit wrote 0644)', () => {
    expect(file(readLines('write_files:', '  - path: /f', '    content: x').c, '/f').mode).toBeUndefined();
  });

  it.each([
    ['root:wheel', 'root', 'wheel'],
    ['www-data', 'www-data', undefined],
    [':adm', undefined, 'adm'],
    ['1000:1000', '1000', '1000'],
  ])('owner: %s', (written, owner, group) => {
    const f = file(readLines('write_files:', '  - path: /f', `    owner: "${written}"`).c, '/f');
    expect([f.owner, f.group]).toEqual([owner, group]);
  });

  it('owner `user:` warns that the login group is not known', () => {
    const r = readLines('write_files:', '  - path: /f', '    owner: "anna:"');
    expect(file(r.c, '/f').owner).toBe('anna');
    expect(file(r.c, '/f').group).toBeUndefined();
    expect(onlyDiagnostic(r.ledger, 'cloud-config/owner-login-group').severity).toBe('warning');
  });

  it('an owner chown would not take is an error for that file', () => {
    const r = readLines('write_files:', '  - path: /f', '    owner: anna smith');
    expect(r.c.files).toEqual([]);
    expect(onlyDiagnostic(r.ledger, 'cloud-config/invalid-value').message).toMatch(/`anna smith`/);
  });

  const payload = 'fs.inotify.max_user_watches = 524288\n';
  const gzipped = gzipSync(Buffer.from(payload));
  const encoded: Record<string, string> = {
    b64: Buffer.from(payload).toString('base64'),
    base64: Buffer.from(payload).toString('base64'),
    'gz+b64': gzipped.toString('base64'),
    'gz+base64': gzipped.toString('base64'),
    'gzip+b64': gzipped.toString('base64'),
    'gzip+base64': gzipped.toString('base64'),
  };

  it.each(Object.entries(encoded))('encoding: %s is decoded', (encoding, content) => {
    const f = file(readLines('write_files:', '  - path: /etc/sysctl.d/90.conf', `    encoding: ${encoding}`, `    content: ${content}`).c, '/etc/sysctl.d/90.conf');
    expect(f.text).toBe(payload);
    expect(Buffer.from(f.content).equals(Buffer.from(payload))).toBe(true);
  });

  it('every encoding coreos-cloudinit accepts is covered above or below', () => {
    expect(Object.keys(CONTENT_ENCODINGS).sort()).toEqual([...Object.keys(encoded), 'gz', 'gzip'].sort());
  });

  it('encoding: gzip takes raw gzip bytes, e.g. from a !!binary value', () => {
    for (const encoding of ['gzip', 'gz']) {
      const r = readLines('write_files:', '  - path: /f', `    encoding: ${encoding}`, `    content: !!binary ${gzipped.toString('base64')}`);
      expect(file(r.c, '/f').text).toBe(payload);
    }
  });

  it('base64 content may be wrapped over lines in a block scalar', () => {
    const wrapped = (encoded['gzip+base64'] ?? '').match(/.{1,16}/g) ?? [];
    const r = readLines('write_files:', '  - path: /f', '    encoding: gzip+base64', '    content: |', ...wrapped.map((l) => `      ${l}`));
    expect(file(r.c, '/f').text).toBe(payload);
  });

  it('binary content keeps its bytes and has no text', () => {
    const bytes = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0xff]);
    const f = file(readLines('write_files:', '  - path: /opt/bin/tool', '    encoding: b64', `    content: ${bytes.toString('base64')}`).c, '/opt/bin/tool');
    expect(Buffer.from(f.content).equals(bytes)).toBe(true);
    expect(f.text).toBeUndefined();
  });

  it('invalid base64 is an InputError at the offending character', () => {
    const d = inputError(() => readLines('write_files:', '  - path: /f', '    encoding: b64', '    content: |', '      aGVsbG8g', '      d29y*GQ='));
    expect(d.code).toBe('cloud-config/bad-encoding');
    expect(at(d.origin)).toBe('7:11');
    expect(d.message).toBe('`write_files[0].content` is not valid base64: unexpected `*`');
    expect(d.hint).toMatch(/base64/);
  });

  it('base64 that ends early is an InputError too', () => {
    expect(inputError(() => readLines('write_files:', '  - path: /f', '    encoding: b64', '    content: aGVsbG8gd')).message).toMatch(/ends early/);
  });

  it('invalid gzip is an InputError at the content', () => {
    const d = inputError(() => readLines('write_files:', '  - path: /f', '    encoding: gzip+base64', `    content: ${Buffer.from('plain text').toString('base64')}`));
    expect(d.code).toBe('cloud-config/bad-encoding');
    expect(at(d.origin)).toBe('5:14');
    expect(d.message).toMatch(/not valid gzip data/);
  });

  it('an unknown encoding is an error for that file', () => {
    const r = readLines('write_files:', '  - path: /f', '    encoding: zstd', '    content: x');
    expect(r.c.files).toEqual([]);
    expect(onlyDiagnostic(r.ledger, 'cloud-config/invalid-value').message).toMatch(/must be one of b64, base64, gz, gzip/);
  });

  it('a relative path is written where coreos-cloudinit wrote it (under /), with a warning', () => {
    const r = readLines('write_files:', '  - path: etc/motd', '    content: hi');
    expect(file(r.c, '/etc/motd').text).toBe('hi');
    expect(onlyDiagnostic(r.ledger, 'cloud-config/relative-path').severity).toBe('warning');
  });

  it('a file without a path is an error for that entry', () => {
    const r = readLines('write_files:', '  - content: x', '    permissions: 0600');
    expect(r.c.files).toEqual([]);
    expect(fate(r.ledger, 'write_files[0]')?.kind).toBe('unsupported');
    expect(at(onlyDiagnostic(r.ledger, 'cloud-config/missing-key').origin)).toBe('3:5');
  });

  it('content that is not text is an error for that file', () => {
    const r = readLines('write_files:', '  - path: /f', '    content:', '      - a');
    expect(r.c.files).toEqual([]);
    expect(textAt(r.text, onlyDiagnostic(r.ledger, 'cloud-config/wrong-type').origin!)).toBe('- a');
  });

  it('an empty content writes an empty file', () => {
    const f = file(readLines('write_files:', '  - path: /etc/flag', '    content: ""').c, '/etc/flag');
    expect(f.content).toHaveLength(0);
    expect(f.text).toBe('');
  });

  it('keys coreos-cloudinit ignored are unsupported; the file itself is still read', () => {
    const r = readLines('write_files:', '  - path: /f', '    content: x', '    append: true');
    expect(file(r.c, '/f').text).toBe('x');
    expect(fate(r.ledger, 'write_files[0].append')?.kind).toBe('unsupported');
    expect(diagnostics(r.ledger, 'cloud-config/unsupported-key')).toHaveLength(1);
  });
});
