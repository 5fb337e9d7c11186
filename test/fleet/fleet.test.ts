/**
 * Several hosts into one flake: what modules/common.nix holds (exactly what
 * every host defines alike), what stays per host, the fleet file, and the
 * bad input a fleet can have (two hosts of one name, a `shared:` option the
 * hosts disagree on).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitShared } from '../../src/fleet/common.ts';
import { convertFleet, parseFleetFile } from '../../src/fleet/index.ts';
import { InputError } from '../../src/model/diagnostic.ts';
import { fleetFixture } from '../e2e/fixtures.ts';

const text = (path: string) => readFileSync(path, 'utf8');
const host = (name: string, file = `test/fixtures/fleet/${name}/cloud-config.yml`) => ({ inputs: [{ path: file, content: text(file) }] });

describe('the three-host fixture', async () => {
  const fleet = await fleetFixture();
  const report = (name: string) => fleet.hosts.find((h) => h.name === name)!.report;

  it('converts each host under hosts/<name>/, with one flake, Makefile and README for all', () => {
    expect(fleet.exitCode).toBe(0);
    expect(fleet.hosts.map((h) => h.name)).toEqual(['nas1', 'nas2', 'web1']);
    const paths = fleet.files.map((f) => f.path);
    for (const name of ['nas1', 'nas2', 'web1']) {
      expect(paths).toEqual(expect.arrayContaining([`hosts/${name}/configuration.nix`, `hosts/${name}/vm.nix`, `hosts/${name}/disko.nix`, `hosts/${name}/MIGRATION.md`, `hosts/${name}/migration.json`]));
    }
    expect(paths).toEqual(expect.arrayContaining(['flake.nix', 'Makefile', 'README.md', 'modules/common.nix', 'MIGRATION.md', 'migration.json']));
    expect(paths.filter((p) => p.includes('services/'))).toEqual(['hosts/nas1/services/samba.nix', 'hosts/nas2/services/jellyfin.nix', 'hosts/web1/services/nginx.nix']);
  });

  it('puts exactly what all three define alike into modules/common.nix: users, keys, SSH, the node exporter, the update policy', () => {
    const common = fleet.hosts[0]!.modules.find((m) => m.path === 'modules/common.nix');
    expect(common).toBeDefined();
    expect(fleet.report.diagnostics[0]?.message).toBe(
      'modules/common.nix holds what every host defines alike: ' +
        [
          'boot.loader.systemd-boot.enable',
          'boot.loader.efi.canTouchEfiVariables',
          'services.openssh.enable',
          'virtualisation.docker.enable',
          'system.stateVersion',
          'system.autoUpgrade.enable',
          'system.autoUpgrade.flags',
          'system.autoUpgrade.upgrade',
          'system.autoUpgrade.allowReboot',
          'system.autoUpgrade.dates',
          'system.autoUpgrade.rebootWindow',
          'users.users.anna',
          'users.groups.anna',
          'systemd.services.node-exporter',
          'nix.settings.trusted-users',
          'environment.etc."nixport/health-check.sh"',
          'systemd.services.nixport-health-check',
          'systemd.services.nixos-upgrade',
        ].join(', '),
    );
  });

  it('leaves to each host what differs: its name, its services and ports, its upgrade flake, its probes, its VM and disk', () => {
    const nas1 = fleet.files.find((f) => f.path === 'hosts/nas1/configuration.nix')!.content;
    expect(String(nas1)).toContain('networking.hostName = "nas1";');
    expect(String(nas1)).toContain('system.autoUpgrade.flake = "/etc/nixport/flake#nas1";');
    const common = String(fleet.files.find((f) => f.path === 'modules/common.nix')!.content);
    expect(common).not.toMatch(/hostName|samba|jellyfin|nginx|allowedTCPPorts|"nixport\/health-probes"|vmVariant|disko/);
  });

  it('shares nothing that is not shared: what is left per host has nothing all of them define alike', () => {
    const split = splitShared(fleet.hosts.map((h) => ({ name: h.name, tree: h.run.build.tree })));
    if ('conflict' in split) throw new Error(split.conflict.message);
    expect(split.common.definitions.length).toBeGreaterThan(20);
    // Split again, what each host kept gives nothing more to share.
    const again = splitShared(split.own.map((tree, i) => ({ name: fleet.hosts[i]!.name, tree })));
    if ('conflict' in again) throw new Error(again.conflict.message);
    expect(again.groups).toEqual([]);
    // And every shared definition is one each host had, as it had it.
    for (const h of fleet.hosts) {
      const mine = new Set(h.run.build.tree.definitions.map((d) => JSON.stringify([d.path, d.value])));
      for (const d of split.common.definitions) expect(mine.has(JSON.stringify([d.path, d.value])), `${h.name}: ${d.path.join('.')}`).toBe(true);
    }
  });

  it("reports a shared item as carried into modules/common.nix, in the host's own report", () => {
    const item = report('nas2').items.find((i) => i.label.startsWith('users[0]'));
    expect(item).toMatchObject({ fate: { kind: 'carried', option: 'users.users.anna' }, file: 'modules/common.nix' });
    const samba = report('nas1').items.find((i) => i.label.includes('samba.service'));
    expect(samba?.file).toBe('hosts/nas1/services/samba.nix');
    expect(fleet.report).toMatchObject({ tool: 'nixport', fleet: ['nas1', 'nas2', 'web1'], status: 'converted' });
    expect(fleet.report.files).toContain('hosts/web1/migration.json');
  });

  it("gives each host its deploy target: the fleet file's, or the administrator at its name", () => {
    const make = String(fleet.files.find((f) => f.path === 'Makefile')!.content);
    expect(make).toContain('TARGET_nas1 ?= anna@nas1.lan');
    expect(make).toContain('TARGET_nas2 ?= anna@nas2');
    expect(make).toContain('deploy-web1:\n\t$(NIXOS_REBUILD) switch --flake .#web1 --target-host $(TARGET_web1) $(SUDO_web1)');
  });

  it('is deterministic', async () => {
    const again = await fleetFixture();
    expect(again.files.map((f) => [f.path, String(f.content)])).toEqual(fleet.files.map((f) => [f.path, String(f.content)]));
  });
});

describe('bad fleets: a clear error, nothing written', () => {
  it('two hosts with the same hostname', () => {
    const r = convertFleet([host('nas1'), host('nas1', 'test/fixtures/fleet/nas1/cloud-config.yml')]);
    expect(r.exitCode).toBe(2);
    expect(r.files).toEqual([]);
    expect(r.report.diagnostics).toEqual([
      expect.objectContaining({
        code: 'fleet/duplicate-host',
        message: expect.stringContaining('two hosts are named nas1'),
        origin: { file: 'test/fixtures/fleet/nas1/cloud-config.yml', line: 3, column: 1 },
        hint: expect.stringContaining('fleet file'),
      }),
    ]);
  });

  it('an option the fleet file shares that the hosts define differently (its value is not shown)', () => {
    const other = text('test/fixtures/fleet/nas2/cloud-config.yml').replace('gecos: Anna Admin', 'gecos: Anna on nas2');
    const r = convertFleet([host('nas1'), { inputs: [{ path: 'nas2.yml', content: other }] }], {
      shared: [{ option: 'users.users.anna', origin: { file: 'fleet.yml', line: 9, column: 5 } }],
    });
    expect(r.exitCode).toBe(2);
    expect(r.files).toEqual([]);
    const d = r.report.diagnostics[0]!;
    expect(d).toMatchObject({ code: 'fleet/shared-conflict', origin: { file: 'fleet.yml', line: 9, column: 5 } });
    expect(d.message).toBe('shared option users.users.anna differs between nas1 and nas2: users.users.anna.description has different values');
    expect(d.message).not.toContain('Anna on nas2');
  });

  it('an option the fleet file shares that a host does not define', () => {
    const r = convertFleet([host('nas1'), host('nas2')], { shared: [{ option: 'systemd.services.samba', origin: { file: 'fleet.yml', line: 2, column: 5 } }] });
    expect(r.exitCode).toBe(2);
    expect(r.report.diagnostics[0]!.message).toBe('shared option systemd.services.samba is not defined on nas2');
  });

  it('a shared entry that is no option name', () => {
    const r = convertFleet([host('nas1'), host('nas2')], { shared: [{ option: 'users..anna', origin: { file: 'fleet.yml', line: 2, column: 5 } }] });
    expect(r.report.diagnostics[0]!.message).toBe('`users..anna` is not an option name');
  });
});

describe('options the fleet file shares', () => {
  it('go to modules/common.nix even when the rest of their group differs', () => {
    const other = text('test/fixtures/fleet/nas2/cloud-config.yml').replace('gecos: Anna Admin', 'gecos: Anna on nas2');
    const r = convertFleet([host('nas1'), { inputs: [{ path: 'nas2.yml', content: other }] }], {
      shared: [{ option: 'users.users.anna.openssh', origin: { file: 'fleet.yml', line: 9, column: 5 } }],
    });
    expect(r.exitCode).toBe(0);
    const common = String(r.files.find((f) => f.path === 'modules/common.nix')!.content);
    expect(common).toContain('users.users.anna.openssh.authorizedKeys.keys');
    expect(common).not.toContain('Anna');
    expect(String(r.files.find((f) => f.path === 'hosts/nas2/users.nix')!.content)).toContain('description = "Anna on nas2";');
  });
});

describe('hosts named by their directory', () => {
  it('take the fallback name when their inputs give no hostname', () => {
    const unit = { path: 'web/web.service', content: '[Service]\nExecStart=/usr/bin/docker run -p 80:80 nginx\n[Install]\nWantedBy=multi-user.target\n' };
    const r = convertFleet([{ inputs: [unit], fallbackName: 'web' }, host('nas1')]);
    expect(r.hosts.map((h) => h.name)).toEqual(['web', 'nas1']);
  });
});

describe('the fleet file', () => {
  const parse = (yaml: string) => parseFleetFile('fleet.yml', yaml);
  const error = (yaml: string) => {
    try {
      parse(yaml);
    } catch (e) {
      if (e instanceof InputError) return e.diagnostic;
      throw e;
    }
    throw new Error('no error');
  };

  it('names each host with its inputs, target, and the shared options, deploy tool and release', () => {
    expect(parse('hosts:\n  a:\n    inputs: [a/, keys/]\n    target: admin@a.lan\n  b: b.yml\nshared: [users.users.admin]\ndeploy: colmena\nrelease: "25.11"\n')).toEqual({
      hosts: [
        { name: 'a', inputs: ['a/', 'keys/'], target: 'admin@a.lan', origin: { file: 'fleet.yml', line: 2, column: 3 } },
        { name: 'b', inputs: ['b.yml'], origin: { file: 'fleet.yml', line: 5, column: 3 } },
      ],
      shared: [{ option: 'users.users.admin', origin: { file: 'fleet.yml', line: 6, column: 10 } }],
      deploy: 'colmena',
      release: '25.11',
    });
  });

  it('refuses what it does not know, with file:line:col', () => {
    expect(error('hosts:\n  a: [a/]\nhost: x\n')).toMatchObject({ message: expect.stringContaining('unknown key `host`'), origin: { line: 3, column: 1 } });
    expect(error('hosts:\n  a.lan: [a/]\n')).toMatchObject({ message: expect.stringContaining('`a.lan` is not a valid host name'), origin: { line: 2, column: 3 } });
    expect(error('hosts:\n  a: [a/]\n  a: [b/]\n')).toMatchObject({ message: expect.stringContaining('map keys must be unique'), origin: { line: 3 } });
    expect(error('hosts:\n  a:\n    target: x@a\n')).toMatchObject({ message: 'host a has no `inputs:`' });
    expect(error('hosts:\n  a: [a/]\ndeploy: ansible\n')).toMatchObject({ message: '`deploy:` must be one of nixos-rebuild, colmena, deploy-rs' });
    expect(error('- a\n')).toMatchObject({ message: expect.stringContaining('expected a mapping with `hosts:`') });
  });
});
