import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { updateOutput } from '../../src/cli/update.ts';
import { UsageError } from '../../src/cli/usage-error.ts';
import { safeRelative, writeOutput } from '../../src/cli/write.ts';
import { convert } from '../../src/index.ts';
import { dockerRunPath } from '../../src/sources/docker-script/detect.ts';

/** Issue 7, part 5 and 6: hostile input never hurts, and writes are safe. */

const refusal = (path: string, content: string) => {
  const started = Date.now();
  const r = convert([{ path, content }]);
  return { code: r.report.diagnostics[0]?.code, message: r.report.diagnostics[0]?.message ?? '', exit: r.exitCode, ms: Date.now() - started };
};

describe('hostile input', () => {
  it('refuses YAML alias bombs quickly, in every YAML reader', () => {
    const bomb = (head: string) => `${head}a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n`;
    for (const [path, head] of [['c.yml', '#cloud-config\n'], ['c.bu', 'variant: fcos\nversion: 1.5.0\n']] as const) {
      const r = refusal(path, bomb(head));
      expect(r.exit, path).toBe(2);
      expect(r.code, path).toMatch(/alias-limit$/);
      expect(r.ms, path).toBeLessThan(2000);
    }
  });

  it('refuses inputs over 16 MiB in the library too, with a message that says so', () => {
    const r = refusal('x.service', `[Service]\nExecStart=/bin/true ${'a'.repeat(17 * 1024 * 1024)}\n`);
    expect(r.code).toBe('input/too-large');
    expect(r.message).toContain('too large');
  });

  it('refuses deep nesting with a clear message, not a stack overflow', () => {
    const n = 50_000;
    expect(refusal('c.yml', `#cloud-config\nx: ${'['.repeat(n)}${']'.repeat(n)}\n`).code).toBe('cloud-config/too-deep');
    expect(refusal('c.yml', `#cloud-config\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} 1\n`).code).toBe('cloud-config/too-deep');
    expect(refusal('c.bu', `variant: fcos\nversion: 1.5.0\nx: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`).code).toBe('butane/too-deep');
    const ign = refusal('c.ign', `{"ignition":{"version":"3.4.0"},"x":${'['.repeat(n)}${']'.repeat(n)}}`);
    expect(ign.code).toBe('ignition/json');
    expect(ign.message).toContain('levels of nesting');
  });

  it('never names an output file outside the output directory, whatever the input names', () => {
    const inputs = [
      { path: '../../etc/passwd.service', content: '[Service]\nExecStart=/bin/true\n' },
      { path: 'x.service.d/../../../y.conf', content: '[Service]\nUser=x\n' },
      { path: dockerRunPath(0), content: 'docker run --name ../../escape -v /a:/b:ro nginx' },
      {
        path: 'c.yml',
        content: [
          '#cloud-config',
          'write_files:',
          '  - path: /etc/../../../../tmp/evil',
          '    encoding: b64',
          '    content: AAEC',
          '  - path: /etc/ssl/../../root/.ssh/id_rsa',
          '    content: "-----BEGIN RSA PRIVATE KEY-----\\nx\\n-----END RSA PRIVATE KEY-----\\n"',
          'coreos:',
          '  units:',
          '    - name: ../../x.service',
          '      content: "[Service]\\nExecStart=/bin/true\\n"',
        ].join('\n'),
      },
      { path: 'i.ign', content: JSON.stringify({ ignition: { version: '3.4.0' }, storage: { files: [{ path: '/etc/../../../x', contents: { source: 'data:,%00%01' } }] }, systemd: { units: [{ name: '../evil.service', contents: '[Service]\nExecStart=/bin/true\n' }] } }) },
    ];
    for (const input of inputs) {
      const r = convert([input]);
      for (const f of r.files) expect(() => safeRelative(f.path), `${input.path}: ${f.path}`).not.toThrow();
    }
  });

  it('treats a path that escapes as a bug, never as a place to write', () => {
    for (const bad of ['../x', '/etc/x', 'a/../../x', 'a/..', '', '.', 'a\0b']) expect(() => safeRelative(bad), bad).toThrow(/escapes/);
    expect(safeRelative('secrets.local/x')).toBe('secrets.local/x');
  });
});

describe('safe writes', () => {
  const dirs: string[] = [];
  const scratch = () => {
    const d = mkdtempSync(join(tmpdir(), 'nixport-write-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('writes plaintext secrets 0600 in a 0700 directory, everything else 0644', async () => {
    const out = join(scratch(), 'out');
    await writeOutput(out, [{ path: 'flake.nix', content: '{}\n' }, { path: 'secrets.local/a.env', content: 'A=1\n', mode: 0o600 }, { path: 'hosts/h/secrets.local/b', content: 'b', mode: 0o600 }], { force: false, inputs: [] });
    expect(statSync(join(out, 'secrets.local')).mode & 0o777).toBe(0o700);
    expect(statSync(join(out, 'hosts/h/secrets.local')).mode & 0o777).toBe(0o700);
    expect(statSync(join(out, 'hosts/h')).mode & 0o777).not.toBe(0o700);
    expect(statSync(join(out, 'secrets.local/a.env')).mode & 0o777).toBe(0o600 & ~process.umask());
    expect(statSync(join(out, 'flake.nix')).mode & 0o777).toBe(0o644 & ~process.umask());
  });

  it('leaves the previous output intact when a run fails half-way, and no temporary directory behind', async () => {
    const root = scratch();
    const out = join(root, 'out');
    await writeOutput(out, [{ path: 'flake.nix', content: 'old\n' }], { force: false, inputs: [] });
    // The same path twice: the second exclusive write fails after the first succeeded.
    await expect(writeOutput(out, [{ path: 'a.nix', content: 'new' }, { path: 'flake.nix', content: 'new' }, { path: 'flake.nix', content: 'again' }], { force: true, inputs: [] })).rejects.toThrow();
    expect(readFileSync(join(out, 'flake.nix'), 'utf8')).toBe('old\n');
    expect(existsSync(join(out, 'a.nix'))).toBe(false);
    expect(readdirSync(root)).toEqual(['out']);
  });

  it('replaces nothing without --force', async () => {
    const out = join(scratch(), 'out');
    await writeOutput(out, [{ path: 'flake.nix', content: 'old\n' }], { force: false, inputs: [] });
    await expect(writeOutput(out, [{ path: 'flake.nix', content: 'new' }], { force: false, inputs: [] })).rejects.toBeInstanceOf(UsageError);
    expect(readFileSync(join(out, 'flake.nix'), 'utf8')).toBe('old\n');
  });

  it('--force replaces a link in the output directory, never what it points to', async () => {
    const root = scratch();
    const victim = join(root, 'victim');
    mkdirSync(victim);
    writeFileSync(join(victim, 'keep.txt'), 'precious');
    const out = join(root, 'out');
    mkdirSync(out);
    symlinkSync(victim, join(out, 'services'));
    await writeOutput(out, [{ path: 'services/web.nix', content: '{}\n' }], { force: true, inputs: [] });
    expect(lstatSync(join(out, 'services')).isSymbolicLink()).toBe(false);
    expect(readdirSync(victim)).toEqual(['keep.txt']);
  });

  it('--update refuses to write through a link in the output directory', async () => {
    const root = scratch();
    const victim = join(root, 'victim');
    mkdirSync(victim);
    const out = join(root, 'out');
    const { files } = convert([{ path: 'web.service', content: '[Service]\nExecStart=/usr/bin/docker run --name web nginx\n[Install]\nWantedBy=multi-user.target\n' }]);
    await writeOutput(out, files, { force: false, inputs: [] });
    rmSync(join(out, 'services'), { recursive: true });
    symlinkSync(victim, join(out, 'services'));
    await expect(updateOutput(out, files)).rejects.toThrow(/symbolic link/);
    expect(readdirSync(victim)).toEqual([]);
  });

  it('--update does not bring back plaintext secrets the user deleted, and keeps new ones private', async () => {
    const out = join(scratch(), 'out');
    const input = [{ path: 'web.service', content: '[Service]\nEnvironment=API_TOKEN=tok3nValue99x\nExecStart=/bin/true\n' }];
    const { files } = convert(input);
    await writeOutput(out, files, { force: false, inputs: [] });
    expect(existsSync(join(out, 'secrets.local/web.service.env'))).toBe(true);
    rmSync(join(out, 'secrets.local'), { recursive: true });
    await updateOutput(out, files);
    expect(existsSync(join(out, 'secrets.local'))).toBe(false);
    const more = convert([{ path: 'web.service', content: '[Service]\nEnvironment=API_TOKEN=tok3nValue99x\nExecStart=/bin/true\n' }, { path: 'db.service', content: '[Service]\nEnvironment=DB_PASSWORD=an0therOne77\nExecStart=/bin/true\n' }]);
    await updateOutput(out, more.files);
    expect(readdirSync(join(out, 'secrets.local'))).toEqual(['db.service.env']);
    expect(statSync(join(out, 'secrets.local')).mode & 0o777).toBe(0o700);
    expect(statSync(join(out, 'secrets.local/db.service.env')).mode & 0o777).toBe(0o600 & ~process.umask());
  });
});
