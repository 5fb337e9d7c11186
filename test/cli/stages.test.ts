/**
 * The stage-2 flags on the command line: `--stage`, `--strategy`,
 * `--backend` and `--docker-run`, parsed, refused when wrong (exit 2, a
 * hint), and carried through to the flake.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkBackend, checkStage, dockerRunInputs, parseStrategies } from '../../src/cli/stages.ts';
import { UsageError } from '../../src/cli/usage-error.ts';
import { ensureBuilt, EXAMPLE, expectNoStackTrace, expectNothingWritten, nixport, removeScratch, scratch, scratchFor } from './cli.ts';

describe('parsing the flags', () => {
  it('reads --strategy lists and repeats', () => {
    expect(parseStrategies(['samba=docker,jellyfin=oci', 'healthz=oci'])).toEqual({ samba: 'docker', jellyfin: 'oci', healthz: 'oci' });
  });

  it.each([
    [['samba'], /expected NAME=docker, NAME=oci or NAME=native/],
    [['=oci'], /expected NAME=docker, NAME=oci or NAME=native/],
    [['samba=vm'], /stage 3/],
    [['samba=oci', 'samba=docker'], /names samba twice/],
  ])('refuses --strategy %j', (values, message) => {
    expect(() => parseStrategies(values)).toThrow(UsageError);
    try {
      parseStrategies(values);
    } catch (e) {
      expect(`${(e as UsageError).message} ${(e as UsageError).hint ?? ''}`).toMatch(message);
    }
  });

  it('checks --stage and --backend', () => {
    expect(checkStage('oci')).toBe('oci');
    expect(checkStage('native')).toBe('native');
    expect(() => checkStage('2')).toThrow(/expected docker, oci or native/);
    expect(checkBackend('podman')).toBe('podman');
    expect(() => checkBackend('containerd')).toThrow(/expected docker or podman/);
  });

  it('makes --docker-run commands into inputs, adding `docker` where it is missing', () => {
    expect(dockerRunInputs(['run -d nginx:1', 'docker run redis:7'])).toEqual([
      { path: '--docker-run', content: 'docker run -d nginx:1' },
      { path: '--docker-run#2', content: 'docker run redis:7' },
    ]);
  });
});

describe('the command line', () => {
  beforeAll(ensureBuilt);

  it('--docker-run alone converts one container', async (test) => {
    const dir = scratchFor(test);
    const r = await nixport(dir, 'convert', '--docker-run', 'docker run -d --name web -p 8080:80 --restart=always nginx:1', '-o', 'out');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const module = readFileSync(join(dir, 'out', 'services', 'web.nix'), 'utf8');
    expect(module).toContain('virtualisation.oci-containers.containers.web = {');
    expect(module).toContain('ports = [ "8080:80" ];');
    expect(r.stdout).toContain('services: web (oci)');
  });

  it('--stage oci with --strategy keeps one service back', async (test) => {
    const dir = scratchFor(test);
    const r = await nixport(dir, 'explain', EXAMPLE, '--stage', 'oci', '--strategy', 'jellyfin=docker', '--json');
    const report = JSON.parse(r.stdout) as { services: { name: string; strategy: string }[] };
    expect(Object.fromEntries(report.services.map((s) => [s.name, s.strategy]))).toMatchObject({ jellyfin: 'docker', healthz: 'oci', samba: 'docker' });
  });

  it('--stage native turns the example\'s services into NixOS modules', async (test) => {
    const dir = scratchFor(test);
    const r = await nixport(dir, 'explain', EXAMPLE, '--stage', 'native', '--json');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { services: { name: string; strategy: string }[]; migrations: { service: string; target: string }[] };
    expect(Object.fromEntries(report.services.map((s) => [s.name, s.strategy]))).toMatchObject({ samba: 'native', jellyfin: 'native', healthz: 'native', unlock: 'docker' });
    expect(report.migrations.map((m) => m.target)).toContain('services.jellyfin');
  });

  it('--strategy NAME=native for an image no recipe knows: exit 1, an error naming the closest recipes and the fallback', async (test) => {
    const dir = scratchFor(test);
    const r = await nixport(dir, 'convert', '--docker-run', 'run -d --name seerr -p 5055:5055 fallenbagel/jellyseerr', '--strategy', 'seerr=native', '-o', 'out');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--strategy seerr=native: no recipe converts the image `fallenbagel/jellyseerr`; the closest recipes are jellyfin');
    expect(r.stderr).toContain('seerr falls back to stage 2 (oci)');
    expectNoStackTrace(r.stderr);
    expect(readFileSync(join(dir, 'out', 'services', 'seerr.nix'), 'utf8')).toContain('virtualisation.oci-containers.containers.seerr');
  });

  it('`nixport recipes` lists the apps, what they become and their images', async (test) => {
    const dir = scratchFor(test);
    const r = await nixport(dir, 'recipes');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('jellyfin: Jellyfin media server\n  becomes: services.jellyfin (jellyfin.service)\n  images:  lscr.io/linuxserver/jellyfin, ');
    expect(r.stdout).toContain('rrsync: ');
    const json = JSON.parse((await nixport(dir, 'recipes', '--json')).stdout) as { app: string }[];
    expect(json.map((x) => x.app)).toEqual(expect.arrayContaining(['jellyfin', 'samba', 'caddy-health', 'nginx', 'node-exporter', 'immich', 'perl-script', 'rrsync']));
  });

  it('--backend podman writes podman containers', async (test) => {
    const dir = scratchFor(test);
    const r = await nixport(dir, 'convert', '--docker-run', 'run -d --name web nginx:1', '--backend', 'podman', '-o', 'out');
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'out', 'configuration.nix'), 'utf8')).toContain('virtualisation.oci-containers.backend = "podman";');
  });

  it.each([
    [['--stage', 'vm'], 'nixport: error: --stage "vm": expected docker, oci or native'],
    [['--backend', 'lxc'], 'nixport: error: --backend "lxc": expected docker or podman'],
    [['--strategy', 'web'], 'nixport: error: --strategy "web": expected NAME=docker, NAME=oci or NAME=native'],
    [[], 'nixport: error: no inputs'],
  ])('convert %j: exit 2, an error with a hint, nothing written', async (args, first) => {
    const dir = scratch();
    try {
      const r = await nixport(dir, 'convert', ...(args.length > 0 ? ['--docker-run', 'run -d --name web nginx:1'] : []), ...args, '-o', 'out');
      expect(r.status).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(first);
      expect(r.stderr).toMatch(/\n {2}hint: /);
      expectNoStackTrace(r.stderr);
      expectNothingWritten(dir, 'out');
    } finally {
      removeScratch(dir);
    }
  });

  it('an unclosed quote in --docker-run: exit 2 with its column', async (test) => {
    const dir = scratchFor(test);
    const r = await nixport(dir, 'convert', '--docker-run', "docker run -d -e 'TZ=UTC nginx:1", '-o', 'out');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("nixport: error: --docker-run:1:18: cannot read the command line: the quote `'` is never closed");
    expectNothingWritten(dir, 'out');
  });
});
