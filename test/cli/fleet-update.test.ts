/**
 * The commands of the fleet and of updates, run as a person runs them:
 * `convert --fleet`, `convert --each-host`, `convert --update`, `--deploy`,
 * and their bad input: an error on stderr, exit 2, nothing written.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE, ROOT, ensureBuilt, expectNoStackTrace, expectNothingWritten, nixport, readTree, scratchFor } from './cli.ts';

beforeAll(ensureBuilt);

const FLEET = join(ROOT, 'test', 'fixtures', 'fleet');

/** The fleet fixture, copied to `fleet/` in a scratch directory. */
function fleetDir(test: Parameters<typeof scratchFor>[0]): string {
  const dir = scratchFor(test);
  cpSync(FLEET, join(dir, 'fleet'), { recursive: true });
  return dir;
}

describe.concurrent('convert --fleet and --each-host', () => {
  it('--fleet writes one flake for the hosts of the fleet file', async (test) => {
    const dir = fleetDir(test);
    const r = await nixport(dir, 'convert', '--fleet', 'fleet/fleet.yml', '-o', 'out');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('nixport: converted 3 hosts -> out/');
    expect(r.stdout).toMatch(/  nas1: node-exporter, samba; \d+ items, 0 error\(s\)/);
    const tree = readTree(join(dir, 'out'));
    expect([...tree.keys()]).toEqual(expect.arrayContaining(['flake.nix', 'modules/common.nix', 'hosts/nas1/configuration.nix', 'hosts/web1/services/nginx.nix']));
    expect(JSON.parse(tree.get('migration.json')!.toString())).toMatchObject({ tool: 'nixport', fleet: ['nas1', 'nas2', 'web1'] });
  });

  it('--each-host takes each input as a host; the same hostname twice is refused, nothing written', async (test) => {
    const dir = fleetDir(test);
    const ok = await nixport(dir, 'convert', '--each-host', 'fleet/nas1', 'fleet/web1', '-o', 'out');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('nixport: converted 2 hosts -> out/');
    const twice = await nixport(dir, 'convert', '--each-host', 'fleet/nas1', 'fleet/nas1/cloud-config.yml', '-o', 'twice');
    expect(twice.status).toBe(2);
    expect(twice.stderr).toMatch(/^nixport: error: fleet\/nas1\/cloud-config\.yml:3:1: two hosts are named nas1 /);
    expect(twice.stderr).toContain('  hint: name the hosts in a fleet file');
    expectNoStackTrace(twice.stderr);
    expectNothingWritten(dir, 'twice');
  });

  it('a fleet file that shares an option the hosts disagree on: exit 2, nothing written', async (test) => {
    const dir = fleetDir(test);
    const nas2 = join(dir, 'fleet', 'nas2', 'cloud-config.yml');
    writeFileSync(nas2, readFileSync(nas2, 'utf8').replace('gecos: Anna Admin', 'gecos: Anna, second NAS'));
    const r = await nixport(dir, 'convert', '--fleet', 'fleet/fleet.yml', '-o', 'out');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'nixport: error: fleet/fleet.yml:10:5: shared option users.users.anna differs between nas1 and nas2: users.users.anna.description has different values\n' +
        "  hint: the hosts' inputs disagree there; make them agree, or remove users.users.anna from `shared:` to keep it per host\n",
    );
    expectNothingWritten(dir, 'out');
  });

  it('a broken fleet file: exit 2 with its position', async (test) => {
    const dir = scratchFor(test, { 'fleet.yml': 'hosts:\n  a: [a/]\nextra: 1\n' });
    const r = await nixport(dir, 'convert', '--fleet', 'fleet.yml', '-o', 'out');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^nixport: error: fleet\.yml:3:1: unknown key `extra`/);
    expectNothingWritten(dir, 'out');
  });

  it('refuses --host and --target with a fleet, and inputs beside --fleet', async (test) => {
    const dir = fleetDir(test);
    const host = await nixport(dir, 'convert', '--fleet', 'fleet/fleet.yml', '--host', 'x', '-o', 'out');
    expect(host.status).toBe(2);
    expect(host.stderr).toContain('--host names one host');
    const extra = await nixport(dir, 'convert', '--fleet', 'fleet/fleet.yml', 'fleet/nas1', '-o', 'out');
    expect(extra.status).toBe(2);
    expect(extra.stderr).toContain('--fleet takes the inputs from the fleet file');
    expectNothingWritten(dir, 'out');
  });
});

describe.concurrent('convert --update', () => {
  it('into a directory that is not a nixport output: exit 2, the directory untouched', async (test) => {
    const dir = scratchFor(test, { 'out/flake.nix': '{ mine = true; }\n', 'out/notes.md': 'keep me\n' });
    cpSync(EXAMPLE, join(dir, 'host'), { recursive: true });
    const before = readTree(join(dir, 'out'));
    const r = await nixport(dir, 'convert', 'host', '-o', 'out', '--update');
    expect(r.stderr).toBe(
      'nixport: error: out is not a nixport output: it has no migration.json written by nixport\n' +
        '  hint: convert into a new directory (without --update), or name the directory nixport wrote before\n',
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(readTree(join(dir, 'out'))).toEqual(before);
  });

  it('into a directory that does not exist: exit 2, nothing written', async (test) => {
    const dir = scratchFor(test);
    cpSync(EXAMPLE, join(dir, 'host'), { recursive: true });
    const r = await nixport(dir, 'convert', 'host', '-o', 'out', '--update');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('out does not exist');
    expectNothingWritten(dir, 'out');
  });

  it('rewrites what changed, keeps marked and own files, and says which files and options changed', async (test) => {
    const dir = scratchFor(test);
    cpSync(EXAMPLE, join(dir, 'host'), { recursive: true });
    expect((await nixport(dir, 'convert', 'host', '-o', 'out')).status).toBe(0);
    const users = join(dir, 'out', 'users.nix');
    const mine = `# nixport: keep\n${readFileSync(users, 'utf8').replace('description = "Michael Stapelberg";', 'description = "Michael";')}`;
    writeFileSync(users, mine);
    mkdirSync(join(dir, 'out', 'notes'));
    writeFileSync(join(dir, 'out', 'notes', 'todo.md'), 'mine\n');
    const config = join(dir, 'host', 'cloud-config.yml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('window-start: Sun 04:00', 'window-start: Sat 03:00').replace('gecos: Michael Stapelberg', 'gecos: M. S.'));

    const r = await nixport(dir, 'convert', 'host', '-o', 'out', '--update');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      [
        'nixport: updated out/ (host storage2)',
        '  files:   3 changed, 0 added, 0 removed, 18 unchanged, 1 kept',
        '    ~ configuration.nix',
        '    ~ README.md',
        '    ~ migration.json',
        "    = users.nix (kept: marked `nixport: keep`; nixport's version differs)",
        '  options: 3 changed, 0 added, 0 removed',
        '    ~ system.autoUpgrade.dates',
        '    ~ system.autoUpgrade.rebootWindow',
        '    ~ users.users.michael.description',
        '',
      ].join('\n'),
    );
    expect(readFileSync(users, 'utf8')).toBe(mine);
    expect(readFileSync(join(dir, 'out', 'notes', 'todo.md'), 'utf8')).toBe('mine\n');
    expect(readFileSync(join(dir, 'out', 'configuration.nix'), 'utf8')).toContain('dates = "Sat 03:00";');
    // Nothing left behind by the writes.
    expect([...readTree(join(dir, 'out')).keys()].filter((p) => p.includes('.nixport-'))).toEqual([]);
  });
});

describe('convert --fleet --update', () => {
  it('names changed options by host, and refuses to turn a fleet into one host', async (test) => {
    const dir = fleetDir(test);
    expect((await nixport(dir, 'convert', '--fleet', 'fleet/fleet.yml', '-o', 'out')).status).toBe(0);
    const web1 = join(dir, 'fleet', 'web1', 'cloud-config.yml');
    writeFileSync(web1, readFileSync(web1, 'utf8').replace('-p 443:443 ', ''));
    const r = await nixport(dir, 'convert', '--fleet', 'fleet/fleet.yml', '-o', 'out', '--update');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('nixport: updated out/ (fleet nas1, nas2, web1)');
    expect(r.stdout).toContain('    ~ hosts/web1/services/nginx.nix');
    expect(r.stdout).toContain('    ~ web1: networking.firewall.allowedTCPPorts');
    expect(r.stdout).not.toContain('nas1:');
    const one = await nixport(dir, 'convert', 'fleet/nas1', '-o', 'out', '--update');
    expect(one.status).toBe(2);
    expect(one.stderr).toContain('out holds a fleet (nas1, nas2, web1), and this run converts one host');
  });
});

describe.concurrent('--deploy', () => {
  it('colmena: the flake gets the hive and `make deploy` runs colmena', async (test) => {
    const dir = scratchFor(test);
    cpSync(EXAMPLE, join(dir, 'host'), { recursive: true });
    const r = await nixport(dir, 'convert', 'host', '-o', 'out', '--deploy', 'colmena');
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'out', 'flake.nix'), 'utf8')).toContain('colmenaHive = colmena.lib.makeHive {');
    expect(readFileSync(join(dir, 'out', 'MIGRATION.md'), 'utf8')).toContain('`make deploy` runs `colmena apply --on <host>`');
  });

  it('an unknown tool is a usage error before anything is read', async (test) => {
    const dir = scratchFor(test);
    const r = await nixport(dir, 'convert', 'missing-input', '-o', 'out', '--deploy', 'ansible');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('nixport: error: --deploy "ansible": expected one of nixos-rebuild, colmena, deploy-rs\n  hint: leave out --deploy for nixos-rebuild\n');
    expectNothingWritten(dir, 'out');
  });
});
