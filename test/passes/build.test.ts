import { describe, expect, it } from 'vitest';
import { Builder, splitWords } from './build.ts';
import { seedHost } from './seed.ts';

// The pass tests rely on the builder's offsets; these check them against the text.
describe('test builder', () => {
  it('splits quoted words and maps every character back to raw', () => {
    const raw = String.raw`/bin/sh -c "echo \"a b\" x" 'single quoted'`;
    const words = splitWords(raw);
    expect(words.map((w) => w.value)).toEqual(['/bin/sh', '-c', 'echo "a b" x', 'single quoted']);
    const payload = words[2]!;
    expect(raw.slice(payload.start, payload.end)).toBe(String.raw`"echo \"a b\" x"`);
    expect(payload.offsets.map((o) => raw[o]).join('')).toBe(String.raw`echo \a b\ x`);
  });

  it('keeps continuation lines in raw and treats them as blanks', () => {
    const unit = new Builder().unit('x.service', 'ExecStart=/usr/bin/docker run \\\n    --name x \\\n    img\n');
    const d = unit.directives[0]!;
    expect(d.raw).toBe('/usr/bin/docker run \\\n    --name x \\\n    img');
    expect(d.exec?.words.map((w) => w.value)).toEqual(['/usr/bin/docker', 'run', '--name', 'x', 'img']);
    expect(d.exec?.docker?.image).toBe('img');
  });

  it('reads the seed units with their docker invocations', () => {
    const { units } = seedHost();
    const start = units.samba.directives.find((d) => d.key === 'ExecStart')!;
    expect(start.exec?.docker?.ports.map((p) => p.raw)).toEqual(['137:137', '138:138', '139:139', '445:445']);
    expect(start.exec?.docker?.volumes.map((v) => [v.kind, v.source ?? '', v.target])).toEqual([
      ['tmpfs', '', '/run'],
      ['bind', '/srv/data', '/srv/data'],
    ]);
    expect(units.unlock.directives.filter((d) => d.exec?.shellPayload === 2)).toHaveLength(3);
  });

  it('parses authorized key options with their spans', () => {
    const key = new Builder().key('root', 'command="a \\"b\\"",no-pty ssh-ed25519 AAAA c@d');
    expect(key.options.map((o) => [o.name, o.value, key.line.slice(o.start, o.end)])).toEqual([
      ['command', 'a "b"', 'command="a \\"b\\""'],
      ['no-pty', undefined, 'no-pty'],
    ]);
    expect([key.keyType, key.key, key.comment]).toEqual(['ssh-ed25519', 'AAAA', 'c@d']);
  });
});
