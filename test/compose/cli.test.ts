/**
 * `nixport convert compose.yml [-f more.yml] [--env-file F] [--profile P] [-p NAME]`
 * as a process, and a directory holding a Compose project.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, expectNoStackTrace, nixport, scratchFor } from '../cli/cli.ts';

const base = 'services:\n  web:\n    image: "nginx:${TAG}"\n    ports: ["8080:80"]\n  tools:\n    image: busybox\n    profiles: [tools]\n';

beforeAll(() => ensureBuilt(), 120_000);

describe('the Compose flags', () => {
  it('merges -f files, interpolates with --env-file, enables --profile and names the project with -p', async (t) => {
    const dir = scratchFor(t, {
      'stack/compose.yml': base,
      'stack/more.yml': 'services:\n  web:\n    environment: { MODE: prod }\n',
      'stack/prod.env': 'TAG=1.27\n',
      'stack/.env': 'TAG=ignored-with-env-file\n',
    });
    const r = await nixport(dir, 'convert', 'stack/compose.yml', '-f', 'stack/more.yml', '--env-file', 'stack/prod.env', '--profile', 'tools', '-p', 'shop', '-o', 'out', '--json');
    expectNoStackTrace(r.stderr);
    expect(r.status).toBe(0);
    const web = readFileSync(join(dir, 'out/services/shop-web.nix'), 'utf8');
    expect(web).toContain('image = "nginx:1.27";');
    expect(web).toContain('environment.MODE = "prod";');
    expect(readFileSync(join(dir, 'out/services/shop-tools.nix'), 'utf8')).toContain('image = "busybox";');
  });

  it('reads a directory: the main file, its override file and .env, as Docker Compose picks them', async (t) => {
    const dir = scratchFor(t, {
      'media/docker-compose.yml': base,
      'media/docker-compose.override.yml': 'services:\n  web:\n    restart: always\n',
      'media/.env': 'TAG=1.26\n',
    });
    const r = await nixport(dir, 'convert', 'media', '-o', 'out');
    expect(r.status).toBe(0);
    const web = readFileSync(join(dir, 'out/services/media-web.nix'), 'utf8');
    expect(web).toContain('image = "nginx:1.26";');
    expect(web).toContain('Restart = lib.mkForce "always";');
    // `tools` is in a profile that is not active: reported, not converted.
    expect(readFileSync(join(dir, 'out/MIGRATION.md'), 'utf8')).toMatch(/services\.tools.*profiles \(tools\) are not active/);
  });

  it('reads the .env beside a Compose file named alone', async (t) => {
    const dir = scratchFor(t, { 'app/compose.yaml': base, 'app/.env': 'TAG=1.25\n' });
    const r = await nixport(dir, 'convert', 'app/compose.yaml', '-o', 'out');
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'out/services/app-web.nix'), 'utf8')).toContain('image = "nginx:1.25";');
  });

  it('refuses a bad -p and a missing --env-file (exit 2, a hint)', async (t) => {
    const dir = scratchFor(t, { 'compose.yml': base });
    const bad = await nixport(dir, 'convert', 'compose.yml', '-p', 'My Stack', '-o', 'out');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/-p "My Stack": not a valid project name/);
    const missing = await nixport(dir, 'convert', 'compose.yml', '--env-file', 'nope.env', '-o', 'out');
    // Node 20 reads `--env-file` itself, even after the script, and refuses a missing file first (exit 9).
    expect([2, 9]).toContain(missing.status);
    expect(missing.stderr).toMatch(/nope\.env: (no such file|not found)/);
    expectNoStackTrace(missing.stderr);
  });

  it('refuses a schema violation with file:line:col', async (t) => {
    const dir = scratchFor(t, { 'compose.yml': 'services:\n  web:\n    image: nginx\n    prots: ["80:80"]\n' });
    const r = await nixport(dir, 'convert', 'compose.yml', '-o', 'out');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('compose.yml:4:5');
    expect(r.stderr).toContain('did you mean `ports`?');
  });
});
