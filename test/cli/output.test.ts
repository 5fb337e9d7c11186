/**
 * What `nixport convert` writes, and where it refuses to write: safe
 * replacement of an output directory, file modes, determinism, the report
 * on stdout, `explain`, `--check`, and exit 1 for a report with errors.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutNix } from '../helpers/nix.ts';
import { BAD, EXAMPLE, ROOT, ensureBuilt, expectNoStackTrace, nixport, nixportWith, readTree, scratchFor } from './cli.ts';

beforeAll(ensureBuilt);

/** The example host, copied into the scratch directory under `host/`. */
function exampleFiles(): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(EXAMPLE, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else files[`host/${rel}`] = readFileSync(join(EXAMPLE, rel));
    }
  };
  walk('');
  return files;
}

const FLAKE_FILES = ['flake.nix', 'configuration.nix', 'hardware-configuration.nix', 'Makefile', 'MIGRATION.md', 'migration.json'];

describe.concurrent('an existing output directory', () => {
  it('non-empty, without --force: exit 2, left exactly as it was', async (test) => {
    const dir = scratchFor(test, { ...exampleFiles(), 'out/flake.nix': '{ mine = true; }\n', 'out/notes/todo.md': 'keep me\n' });
    const before = readTree(join(dir, 'out'));
    const r = await nixport(dir, 'convert', 'host', '-o', 'out');
    expect(r.stderr).toBe('nixport: error: out exists and is not empty\n  hint: pass --force to replace it, or choose another directory with -o\n');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(readTree(join(dir, 'out'))).toEqual(before);
    expect(readdirSync(dir).filter((n) => n.includes('.nixport-'))).toEqual([]);
  });

  it('non-empty, with --force: replaced; the old files are gone', async (test) => {
    const dir = scratchFor(test, { ...exampleFiles(), 'out/flake.nix': '{ mine = true; }\n', 'out/notes/todo.md': 'keep me\n' });
    const r = await nixport(dir, 'convert', 'host', '-o', 'out', '--force');
    expect(r.status).toBe(0);
    const tree = readTree(join(dir, 'out'));
    expect([...tree.keys()]).not.toContain('notes/todo.md');
    expect(tree.get('flake.nix')?.toString()).toContain('nixosConfigurations');
    expect(readdirSync(dir).sort()).toEqual(['host', 'out']);
  });

  it('empty: written into without --force', async (test) => {
    const dir = scratchFor(test, exampleFiles());
    mkdirSync(join(dir, 'out'));
    const r = await nixport(dir, 'convert', 'host', '-o', 'out');
    expect(r.status).toBe(0);
    expect(readdirSync(join(dir, 'out'))).toEqual(expect.arrayContaining(FLAKE_FILES));
  });

  it('a file, not a directory: exit 2, the file untouched', async (test) => {
    const dir = scratchFor(test, { ...exampleFiles(), out: 'a file\n' });
    const r = await nixport(dir, 'convert', 'host', '-o', 'out', '--force');
    expect(r.stderr).toBe('nixport: error: out exists and is not a directory\n  hint: choose another output directory with -o\n');
    expect(r.status).toBe(2);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('a file\n');
    expect(readdirSync(dir).sort()).toEqual(['host', 'out']);
  });

  it('below a file: exit 2 with the reason, not an internal error', async (test) => {
    const dir = scratchFor(test, { ...exampleFiles(), blocker: 'a file\n' });
    const r = await nixport(dir, 'convert', 'host', '-o', 'blocker/out');
    expect(r.stderr).toBe(
      'nixport: error: cannot write blocker/out: a part of the path is a file, not a directory (ENOTDIR)\n' +
        '  hint: choose an output directory you can write to with -o\n',
    );
    expect(r.status).toBe(2);
    expectNoStackTrace(r.stderr);
    expect(readdirSync(dir).sort()).toEqual(['blocker', 'host']);
  });

  it('under /proc: exit 2 at once (Node’s recursive mkdir would spin forever there)', async (test) => {
    const dir = scratchFor(test, exampleFiles());
    const r = await nixport(dir, 'convert', 'host', '-o', '/proc/nixport-test/out');
    expect(r.stderr.split('\n')[0]).toBe('nixport: error: cannot write /proc/nixport-test/out: a directory cannot be created there (ENOENT)');
    expect(r.status).toBe(2);
  });

  it('--force never replaces a directory that holds the inputs', async (test) => {
    const dir = scratchFor(test, exampleFiles());
    const r = await nixport(dir, 'convert', 'host/cloud-config.yml', '-o', 'host', '--force');
    expect(r.stderr).toBe(
      'nixport: error: host holds the input host/cloud-config.yml; replacing the directory would delete it\n' +
        '  hint: write the flake to a directory of its own, e.g. -o out/<host>\n',
    );
    expect(r.status).toBe(2);
    expect(readTree(join(dir, 'host'))).toEqual(readTree(EXAMPLE));
    expect(readdirSync(dir)).toEqual(['host']);
  });

  it('--force never replaces the current directory (it may hold .git; the shell would sit in a deleted directory)', async (test) => {
    const dir = scratchFor(test, { ...exampleFiles(), 'work/.git/HEAD': 'ref: refs/heads/main\n' });
    const r = await nixport(join(dir, 'work'), 'convert', '../host', '-o', '.', '--force');
    expect(r.stderr).toBe(
      'nixport: error: . is the current directory or holds it; nixport does not replace it\n' +
        '  hint: write the flake to a directory of its own, e.g. -o out/<host>\n',
    );
    expect(r.status).toBe(2);
    expect(readdirSync(join(dir, 'work'))).toEqual(['.git']);
    expect(readdirSync(dir).sort()).toEqual(['host', 'work']);
  });
});

describe.concurrent('the written flake', () => {
  it('files are 0644 (less the umask), plaintext secrets 0600 in a 0700 directory, and directories exist for services/', async (test) => {
    const dir = scratchFor(test, exampleFiles());
    expect((await nixport(dir, 'convert', 'host', '-o', 'out')).status).toBe(0);
    const expected = 0o644 & ~process.umask();
    const files = [...readTree(join(dir, 'out')).keys()];
    expect(files).toEqual(expect.arrayContaining([...FLAKE_FILES, 'services/samba.nix']));
    // The example's password hash is a secret: its plaintext is the one file of secrets.local/.
    expect(files.filter((f) => f.startsWith('secrets.local/'))).toEqual(['secrets.local/michael.password-hash']);
    for (const file of files) {
      const mode = file.startsWith('secrets.local/') ? 0o600 & ~process.umask() : expected;
      expect([file, statSync(join(dir, 'out', file)).mode & 0o777]).toEqual([file, mode]);
    }
    expect(statSync(join(dir, 'out', 'secrets.local')).mode & 0o777).toBe(0o700);
  });

  it('is byte-identical when converted again with --force', async (test) => {
    const dir = scratchFor(test, exampleFiles());
    expect((await nixport(dir, 'convert', 'host', '-o', 'out')).status).toBe(0);
    const first = readTree(join(dir, 'out'));
    expect((await nixport(dir, 'convert', 'host', '-o', 'out', '--force')).status).toBe(0);
    expect(readTree(join(dir, 'out'))).toEqual(first);
  });

  it('is the same when the output directory lies inside the input directory (a rerun does not read the last flake)', async (test) => {
    const dir = scratchFor(test, exampleFiles());
    const first = await nixport(dir, 'convert', 'host', '-o', 'host/nixos');
    expect(first.status).toBe(0);
    const tree = readTree(join(dir, 'host', 'nixos'));
    const again = await nixport(dir, 'convert', 'host', '-o', 'host/nixos', '--force');
    expect(again.status).toBe(0);
    expect(again.stderr).toBe(first.stderr);
    expect(again.stderr).not.toContain('skipped');
    expect(readTree(join(dir, 'host', 'nixos'))).toEqual(tree);
  });
});

describe.concurrent('the report', () => {
  it('--json prints the report as JSON, the same as migration.json', async (test) => {
    const dir = scratchFor(test, exampleFiles());
    const r = await nixport(dir, 'convert', 'host', '-o', 'out', '--json');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { status: string; host: string; release: string; services: { name: string }[] };
    expect(report).toMatchObject({ tool: 'nixport', status: 'converted', host: 'storage2', release: '26.05' });
    expect(report.services.map((s) => s.name)).toEqual(['healthz', 'jellyfin', 'node-exporter', 'samba', 'sync', 'unlock']);
    expect(r.stdout).toBe(readFileSync(join(dir, 'out', 'migration.json'), 'utf8'));
  });

  it('explain prints MIGRATION.md and writes nothing', async (test) => {
    const dir = scratchFor(test, exampleFiles());
    const before = readTree(dir);
    const r = await nixport(dir, 'explain', 'host');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^# Migration report: storage2\n/);
    expect(readTree(dir)).toEqual(before);
    expect(readdirSync(dir)).toEqual(['host']);
    // The same text convert writes for the same inputs.
    expect((await nixport(dir, 'convert', 'host', '-o', 'out')).status).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(dir, 'out', 'MIGRATION.md'), 'utf8'));
  });

  it('explain --json prints the report as JSON', async (test) => {
    const dir = scratchFor(test, exampleFiles());
    const r = await nixport(dir, 'explain', 'host', '--json', '--host', 'nas', '--release', '25.11');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'converted', host: 'nas', release: '25.11' });
    expect(readdirSync(dir)).toEqual(['host']);
  });
});

describe.skipIf(skipWithoutNix()).concurrent('--check with nix-instantiate installed', () => {
  it('reports nothing about the check and exits 0 on the example', async (test) => {
    const dir = scratchFor(test, exampleFiles());
    const plain = await nixport(dir, 'convert', 'host', '-o', 'plain');
    const r = await nixport(dir, 'convert', 'host', '-o', 'out', '--check');
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain('--check');
    expect(r.stderr).toBe(plain.stderr);
    expect(readTree(join(dir, 'out'))).toEqual(readTree(join(dir, 'plain')));
  });
});

describe.concurrent('--check without a working Nix (a stand-in nix-instantiate on PATH)', () => {
  const stub = (body: string) => `#!/bin/sh\nif [ "$1" = --version ]; then echo 'nix-instantiate (Nix) 2.8.0'; exit 0; fi\n${body}\n`;

  it('when Nix rejects a file: exit 3, each failure named, called a nixport bug', async (test) => {
    const dir = scratchFor(test, exampleFiles());
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'nix-instantiate'), stub("while read -r _; do :; done; echo 'error: syntax error, unexpected end of file' >&2; exit 1"), {
      mode: 0o755,
    });
    const r = await nixportWith({ cwd: dir, env: { PATH: join(dir, 'bin') } }, 'convert', 'host', '-o', 'out', '--check', '--json');
    const lines = r.stderr.split('\n');
    expect(lines).toContain('nixport: --check: flake.nix: error: syntax error, unexpected end of file');
    expect(lines).toContain('nixport: generated Nix did not parse; this is a nixport bug, please report it');
    expect(r.status).toBe(3);
    expectNoStackTrace(r.stderr);
  });

  it('when nix-instantiate is not on PATH: a note on stderr, exit 0', async (test) => {
    const dir = scratchFor(test, exampleFiles());
    const r = await nixportWith({ cwd: dir, env: { PATH: join(dir, 'bin') } }, 'convert', 'host', '-o', 'out', '--check', '--json');
    expect(r.stderr).toBe('nixport: --check skipped: nix-instantiate is not installed\n');
    expect(r.status).toBe(0);
  });
});

describe.concurrent('a report with errors', () => {
  it('exit 1: the rest is converted and written, the error is on stderr with its position', async (test) => {
    const dir = scratchFor(test, { 'cloud-config.yml': readFileSync(join(BAD, 'unclosed-quote.yml')) });
    const r = await nixport(dir, 'convert', 'cloud-config.yml', '-o', 'out');
    expect(r.stderr.split('\n')).toEqual([
      'nixport: error: cloud-config.yml:12:51: ExecStart=: the quote `"` is never closed',
      '  hint: close it with a matching `"` on the same logical line, or escape it as `\\"`',
      '',
    ]);
    expect(r.status).toBe(1);
    expectNoStackTrace(r.stderr);
    expect(r.stdout).toMatch(/^ {2}report: {3}1 error\(s\), 0 warning\(s\)/m);
    const tree = readTree(join(dir, 'out'));
    expect([...tree.keys()]).toEqual(expect.arrayContaining([...FLAKE_FILES, 'services/cache.nix']));
    expect(tree.get('services/cache.nix')?.toString()).toContain('docker run --rm --name cache redis:7');
    expect(tree.get('MIGRATION.md')?.toString()).toContain('cloud-config.yml:12:51');
  });
});

describe.concurrent('examples/storage2', () => {
  it('converts with exit 0 and a summary of what was made', async (test) => {
    const dir = scratchFor(test);
    const out = relative(ROOT, join(dir, 'out'));
    const r = await nixport(ROOT, 'convert', 'examples/storage2', '-o', out);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`nixport: converted examples/storage2 -> ${out}/ (host storage2, NixOS 26.05)`);
    expect(lines[1]).toBe('  services: healthz (docker), jellyfin (docker), node-exporter (docker), samba (docker), sync (docker), unlock (docker)');
    expect(lines[2]).toMatch(/^ {2}items: {4}\d+ \(100\.0% accounted for, \d+\.\d% carried, \d+ dropped, 0 not carried\)$/);
    expect(lines[3]).toMatch(/^ {2}report: {3}0 error\(s\), \d+ warning\(s\), \d+ manual step\(s\)$/);
    expect(lines[4]).toBe(`  next:     read ${out}/MIGRATION.md, then \`make -C ${out} vm\``);
    expect(lines.slice(5)).toEqual(['']);
    expect(r.stderr).toMatch(/^nixport: warning: examples\/storage2\/cloud-config\.yml:\d+:\d+: /);
    expectNoStackTrace(r.stderr);
  });

  it('a trailing slash on -o does not double in the summary', async (test) => {
    const dir = scratchFor(test, exampleFiles());
    const r = await nixport(dir, 'convert', 'host', '-o', 'out/');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('nixport: converted host -> out/ (host storage2, NixOS 26.05)');
  });
});

describe.concurrent('the command line', () => {
  it('--version and --help exit 0 on stdout', async (test) => {
    const dir = scratchFor(test);
    const version = await nixport(dir, '--version');
    expect([version.status, version.stdout.trim()]).toEqual([0, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version]);
    const help = await nixport(dir, 'convert', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--force');
  });

  it('-o below directories that do not exist yet: they are made, with only the output in them', async (test) => {
    const dir = scratchFor(test, exampleFiles());
    expect((await nixport(dir, 'convert', 'host', '-o', 'a/b/c/out')).status).toBe(0);
    expect(readdirSync(join(dir, 'a', 'b', 'c'))).toEqual(['out']);
  });
});
