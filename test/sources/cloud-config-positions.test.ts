import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { at, lines, read, readLines, textAt, unit } from '../fixtures/cloud-config/helpers.ts';

/** The unit `a.service` of a cloud-config whose content is written as `header` followed by `body` lines. */
function unitWith(header: string, body: string[], indent = 8) {
  const pad = ' '.repeat(indent);
  const r = read(lines('#cloud-config', 'coreos:', '  units:', '    - name: a.service', `      content: ${header}`, ...body.map((l) => (l === '' ? '' : pad + l))));
  return { ...r, u: unit(r.c, 'a.service') };
}

describe('positions inside unit content', () => {
  it('literal block (|): a directive maps to its line and column in the cloud-config', () => {
    const { u, text } = unitWith('|', ['[Unit]', 'Description=samba server', '', '[Service]', 'ExecStart=/usr/bin/docker run \\', '  --name smb \\', '  smb-prepared']);
    expect(at(u.position(1, 1))).toBe('6:9');
    expect(at(u.position(2, 13))).toBe('7:21');
    expect(textAt(text, u.position(5, 11))).toBe('/usr/bin/docker run \\');
    expect(textAt(text, u.position(6, 3))).toBe('--name smb \\');
    expect(textAt(text, u.position(7, 1))).toBe('  smb-prepared');
  });

  it('|- and |+ chomping, and leading blank lines, keep lines aligned', () => {
    for (const header of ['|-', '|+']) {
      const { u, text } = unitWith(header, ['', '[Service]', 'Type=oneshot']);
      expect(u.text.startsWith('\n[Service]\nType=oneshot')).toBe(true);
      expect(textAt(text, u.position(3, 1))).toBe('Type=oneshot');
    }
  });

  it('an explicit indentation indicator (|2) with a more-indented first line', () => {
    const r = readLines('coreos:', '  units:', '    - name: a.service', '      content: |2', '          # indented comment', '        [Unit]', '        Description=x');
    const u = unit(r.c, 'a.service');
    expect(u.text).toBe('  # indented comment\n[Unit]\nDescription=x\n');
    expect(textAt(r.text, u.position(1, 3))).toBe('# indented comment');
    expect(textAt(r.text, u.position(3, 13))).toBe('x');
  });

  it('folded block (>): each part of a joined line maps to the line it was written on', () => {
    const { u, text } = unitWith('>', ['[Service]', '', 'ExecStart=/bin/sh', '-c "echo hi"', '', 'Restart=always']);
    expect(u.text).toBe('[Service]\nExecStart=/bin/sh -c "echo hi"\nRestart=always\n');
    expect(textAt(text, u.position(2, 1))).toBe('ExecStart=/bin/sh');
    expect(textAt(text, u.position(2, 19))).toBe('-c "echo hi"');
    expect(at(u.position(2, 19))).toBe('9:9');
    expect(textAt(text, u.position(3, 1))).toBe('Restart=always');
  });

  it('CRLF line ends do not shift columns', () => {
    const text = lines('#cloud-config', 'coreos:', '  units:', '    - name: a.service', '      content: |', '        [Unit]', '        After=x').replace(/\n/g, '\r\n');
    const u = unit(read(text).c, 'a.service');
    expect(u.text).toBe('[Unit]\nAfter=x\n');
    expect(textAt(text, u.position(2, 7))).toBe('x');
  });

  it('drop-in content maps the same way, deeper in the file', () => {
    const r = readLines('coreos:', '  units:', '    - name: a.service', '      drop-ins:', '        - name: 10.conf', '          content: |', '            [Service]', '            Restart=always');
    const d = unit(r.c, 'a.service', '10.conf');
    expect(at(d.position(2, 9))).toBe('9:21');
    expect(textAt(r.text, d.position(2, 9))).toBe('always');
  });

  it('a one-line quoted or plain scalar maps exactly', () => {
    const r = readLines('coreos:', '  units:', '    - name: a.service', '      content: "[Unit]"', '    - name: b.service', '      content: plain');
    expect(textAt(r.text, unit(r.c, 'a.service').position(1, 2))).toBe('Unit]"');
    expect(textAt(r.text, unit(r.c, 'b.service').position(1, 3))).toBe('ain');
  });

  it('a quoted scalar with \\n escapes maps approximately: later lines point at the scalar', () => {
    const r = readLines('coreos:', '  units:', '    - name: a.service', '      content: "[Unit]\\nDescription=x\\n"');
    const u = unit(r.c, 'a.service');
    expect(u.text).toBe('[Unit]\nDescription=x\n');
    expect(at(u.position(1, 1))).toBe('5:17');
    expect(at(u.position(2, 5))).toBe('5:16');
  });

  it('property: every character of a literal block maps to the same character in the file', () => {
    const line = fc.oneof(
      fc.constant(''),
      fc.stringMatching(/^[A-Za-z]{1,8}=[ -~]{0,30}$/).map((s) => s.trimEnd()),
      fc.stringMatching(/^ {1,4}--[a-z]{1,6} [a-z0-9/:.]{1,12}$/),
      fc.constantFrom('[Unit]', '[Service]', '# comment with "quotes" and \\backslashes\\'),
    );
    const body = fc.array(line, { minLength: 1, maxLength: 12 }).filter((b) => b.some((l) => l.trim() !== '' && !l.startsWith(' ')));
    fc.assert(
      fc.property(body, fc.integer({ min: 2, max: 10 }), fc.constantFrom('|', '|-', '|+'), (b, extra, header) => {
        // The first non-blank line must not be more indented than the rest, or YAML would take its indentation.
        const content = b.find((l) => l !== '')?.startsWith(' ') ? ['[Unit]', ...b] : b;
        const { u, text } = unitWith(header, content, 6 + extra);
        const valueLines = u.text.split('\n');
        valueLines.forEach((valueLine, i) => {
          for (let col = 1; col <= valueLine.length; col++) {
            const origin = u.position(i + 1, col);
            expect(textAt(text, origin)[0]).toBe(valueLine[col - 1]);
          }
        });
      }),
      { numRuns: 200 },
    );
  });

  it('property: folded blocks map every character of every joined line', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9=/.-]{1,10}$/);
    const paragraph = fc.array(fc.array(word, { minLength: 1, maxLength: 4 }).map((ws) => ws.join(' ')), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(fc.array(paragraph, { minLength: 1, maxLength: 4 }), (paragraphs) => {
        const body = paragraphs.flatMap((p, i) => (i === 0 ? p : ['', ...p]));
        const { u, text } = unitWith('>', body);
        u.text.split('\n').forEach((valueLine, i) => {
          for (let col = 1; col <= valueLine.length; col++) {
            if (valueLine[col - 1] === ' ') continue; // a space may stand for a line break
            expect(textAt(text, u.position(i + 1, col))[0]).toBe(valueLine[col - 1]);
          }
        });
      }),
      { numRuns: 200 },
    );
  });
});
