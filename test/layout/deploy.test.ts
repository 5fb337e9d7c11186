/**
 * flake.nix with each deployment tool, evaluated by the real Nix with stub
 * inputs (nixpkgs, disko, colmena, deploy-rs): the configurations, the
 * colmena hive and the deploy-rs nodes; and the Makefile's commands.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Layout } from '../../src/layout/index.ts';
import type { ConvertOptions } from '../../src/options.ts';
import { evalFlake } from '../helpers/flake.ts';
import { parseNix, skipWithoutNix } from '../helpers/nix.ts';
import { pipelineFor } from '../e2e/fixtures.ts';

async function layoutFor(options: ConvertOptions): Promise<Layout> {
  return (await pipelineFor(['examples/storage2'], options)).layout;
}

const SOURCE = '/nix/store/00000000000000000000000000000000-source';
const OWN_MODULE = { nixpkgs: { hostPlatform: 'x86_64-linux' }, environment: { etc: { 'nixport/flake': { source: SOURCE } } } };

describe.skipIf(skipWithoutNix())('flake.nix, evaluated with stub inputs', () => {
  it('nixos-rebuild (default): the configuration with disko, the host modules and its own source; pinned inputs', async () => {
    const layout = await layoutFor({});
    expect(await parseNix({ 'flake.nix': String(layout.files.find((f) => f.path === 'flake.nix')!.content) })).toEqual({});
    expect(
      await evalFlake(
        layout,
        '{ inputs = builtins.mapAttrs (n: i: i.url) flake.inputs; follows = flake.inputs.disko.inputs.nixpkgs.follows; names = builtins.attrNames outputs; config = outputs.nixosConfigurations.storage2; formatter = outputs.formatter.x86_64-linux; }',
      ),
    ).toEqual({
      inputs: { nixpkgs: 'github:NixOS/nixpkgs/nixos-26.05', disko: 'github:nix-community/disko' },
      follows: 'nixpkgs',
      names: ['formatter', 'nixosConfigurations'],
      config: { modules: ['disko-module', 'disko.nix', 'configuration.nix', OWN_MODULE] },
      formatter: 'nixfmt-tree',
    });
  });

  it('colmena: a hive made with colmena.lib.makeHive, one node that deploys as the administrator', async () => {
    const layout = await layoutFor({ deploy: 'colmena' });
    expect(await evalFlake(layout, '{ url = flake.inputs.colmena.url; hive = outputs.colmenaHive; }')).toEqual({
      url: 'github:nix-community/colmena',
      hive: {
        meta: { nixpkgs: { 'nixfmt-tree': 'nixfmt-tree' } },
        storage2: {
          // The platform comes from meta.nixpkgs here.
          imports: ['disko-module', 'disko.nix', 'configuration.nix', { environment: OWN_MODULE.environment }],
          deployment: { targetHost: 'storage2', targetUser: 'michael' },
        },
      },
    });
    const make = String(layout.files.find((f) => f.path === 'Makefile')!.content);
    expect(make).toContain('\t$(COLMENA) apply --on $(HOST)');
  });

  it('deploy-rs: a node whose system profile activates the configuration, with magic rollback, and its checks', async () => {
    const layout = await layoutFor({ deploy: 'deploy-rs', target: 'root@10.0.0.252' });
    expect(await evalFlake(layout, '{ url = flake.inputs.deploy-rs.url; node = outputs.deploy.nodes.storage2; checks = outputs.checks; }')).toEqual({
      url: 'github:serokell/deploy-rs',
      node: {
        hostname: '10.0.0.252',
        sshUser: 'root',
        user: 'root',
        magicRollback: true,
        autoRollback: true,
        profiles: { system: { path: { activates: ['disko-module', 'disko.nix', 'configuration.nix', OWN_MODULE] } } },
      },
      checks: { 'x86_64-linux': { checked: ['storage2'] } },
    });
    const make = String(layout.files.find((f) => f.path === 'Makefile')!.content);
    expect(make).toContain('\t$(DEPLOY_RS) .#$(HOST)');
  });
});

describe('the Makefile', () => {
  it('deploys with nixos-rebuild --target-host and sudo as the administrator, or without sudo as root', async () => {
    const admin = String((await layoutFor({})).files.find((f) => f.path === 'Makefile')!.content);
    expect(admin).toContain('TARGET ?= michael@storage2\nSUDO ?= --sudo --ask-sudo-password\n');
    expect(admin).toContain('\t$(NIXOS_REBUILD) switch --flake .#$(HOST) --target-host $(TARGET) $(SUDO)\n');
    const root = String((await layoutFor({ target: 'root@storage2.lan' })).files.find((f) => f.path === 'Makefile')!.content);
    expect(root).toContain('TARGET ?= root@storage2.lan\nSUDO ?= \n');
  });

  const make = spawnSync('make', ['--version']).status === 0;
  it.skipIf(!make)('refuses `make install` while disko.nix names no disk, or without INSTALL_TARGET', async () => {
    const layout = await layoutFor({});
    const dir = mkdtempSync(join(tmpdir(), 'nixport-make-'));
    try {
      for (const name of ['Makefile', 'disko.nix']) writeFileSync(join(dir, name), String(layout.files.find((f) => f.path === name)!.content));
      const noTarget = spawnSync('make', ['install'], { cwd: dir, encoding: 'utf8' });
      expect(noTarget.status).not.toBe(0);
      expect(noTarget.stderr).toContain('set INSTALL_TARGET=root@');
      const placeholder = spawnSync('make', ['install', 'INSTALL_TARGET=root@192.0.2.1'], { cwd: dir, encoding: 'utf8' });
      expect(placeholder.status).not.toBe(0);
      expect(placeholder.stderr).toContain('disko.nix does not name the system disk yet (CHANGE-ME)');
      // The dry run shows the commands of the other targets.
      const dry = spawnSync('make', ['-n', 'build', 'vm', 'deploy'], { cwd: dir, encoding: 'utf8' });
      // The example holds a secret: each target checks that git ignores secrets.local/ first (a line of its own).
      expect(dry.stdout.split('\n').filter((l) => l !== '' && !l.includes('secrets.local'))).toEqual([
        'nix build .#nixosConfigurations.storage2.config.system.build.toplevel',
        'nix build .#nixosConfigurations.storage2.config.system.build.vm',
        './result/bin/run-storage2-vm',
        'nixos-rebuild switch --flake .#storage2 --target-host michael@storage2 --sudo --ask-sudo-password',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('disko.nix', () => {
  it('names the disk that held the old root when Ignition says so, with its format', async () => {
    const run = await pipelineFor(['test/fixtures/ignition/fcos-root-luks.ign'], { host: 'vault' });
    expect(run.build.disko).toMatchObject({ device: '/dev/disk/by-id/coreos-boot-disk', rootFormat: 'xfs', placeholder: false });
    expect(run.build.disko.dataDevices).toEqual(expect.arrayContaining(['/dev/disk/by-id/nvme-A', '/dev/disk/by-id/nvme-B']));
    expect(run.build.disko.dataDevices).not.toContain('/dev/disk/by-id/coreos-boot-disk');
  });

  it('is a template that says CHANGE-ME and names the data devices to keep out, when the input does not know the disk', async () => {
    const run = await pipelineFor(['examples/storage2']);
    const text = String(run.layout.files.find((f) => f.path === 'disko.nix')!.content);
    expect(text).toContain('device = "/dev/disk/by-id/CHANGE-ME";');
    expect(text).toContain('/dev/mapper/data-data');
    expect(run.ledger.manualSteps.map((s) => s.title)).toContain('Name the system disk in disko.nix');
  });
});
