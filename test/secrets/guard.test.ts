import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convert } from '../../src/index.ts';
import { text } from './helpers.ts';

const tools = spawnSync('make', ['--version']).status === 0 && spawnSync('git', ['--version']).status === 0;

describe('the Makefile of a flake with plaintext secrets', () => {
  const { files } = convert([{ path: 'web.service', content: '[Service]\nEnvironment=API_TOKEN=tok3nValue99x\nExecStart=/bin/true\n' }]);

  it('makes every target that evaluates the flake check secrets.local/ first', () => {
    const make = text(files, 'Makefile');
    for (const target of ['build', 'vm', 'install', 'deploy', 'check']) expect(make).toMatch(new RegExp(`^${target}: secrets-guard`, 'm'));
    expect(make).toMatch(/^update:$/m);
  });

  it.skipIf(!tools)('refuses outside a git checkout, and passes where git ignores the folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nixport-guard-'));
    try {
      for (const name of ['Makefile', '.gitignore']) writeFileSync(join(dir, name), text(files, name));
      mkdirSync(join(dir, 'secrets.local'));
      const refused = spawnSync('make', ['-s', 'secrets-guard'], { cwd: dir, encoding: 'utf8' });
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain('nix would copy it into the store');
      expect(spawnSync('git', ['init', '-q'], { cwd: dir }).status).toBe(0);
      expect(spawnSync('make', ['-s', 'secrets-guard'], { cwd: dir, encoding: 'utf8' }).status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
