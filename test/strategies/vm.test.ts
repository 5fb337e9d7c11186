/**
 * `make vm`: vm.nix holds `virtualisation.vmVariant`, which NixOS merges
 * over the configuration only for the VM. The tests evaluate two views:
 * the real machine (every module as written) and the VM (the vmVariant's
 * contents merged over the other modules, as extendModules does), with
 * the TypeScript evaluator and with the real Nix.
 */
import { describe, expect, it } from 'vitest';
import type { Pipeline } from '../../src/pipeline.ts';
import { VM_PORT_OFFSET } from '../../src/strategies/host/vm.ts';
import { evalModules, skipWithoutNix } from '../helpers/nix.ts';
import { mergeModulesJson, moduleToJson, packageStorePath } from '../helpers/nix-json.ts';
import { pipelineFor } from '../e2e/fixtures.ts';
import { cloudConfig, convertFiles } from './convert-helpers.ts';

type Json = Record<string, unknown>;

function at(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Json)[key] : undefined;
  return v;
}

/** The configuration of the real machine, and the one the VM runs. */
function views(run: Pipeline): { real: unknown; vm: unknown } {
  const modules = run.layout.modules.map((m) => ({ owner: m.owner, json: moduleToJson(m.expr) }));
  const real = mergeModulesJson(modules.map((m) => m.json));
  const variant = at(modules.find((m) => m.owner === 'vm')!.json, 'virtualisation', 'vmVariant');
  const vm = mergeModulesJson([...modules.filter((m) => m.owner !== 'vm').map((m) => m.json), variant]);
  return { real, vm };
}

const coreutils = packageStorePath(['coreutils']);

describe('the VM of the example NAS (storage2)', async () => {
  const run = await pipelineFor(['examples/storage2']);
  const { real, vm } = views(run);

  it('keeps everything VM-only inside virtualisation.vmVariant of vm.nix, imported by configuration.nix', () => {
    const vmFile = run.layout.modules.find((m) => m.owner === 'vm')!;
    expect(vmFile.path).toBe('vm.nix');
    expect(Object.keys(moduleToJson(vmFile.expr) as Json)).toEqual(['virtualisation']);
    expect(Object.keys(at(moduleToJson(vmFile.expr), 'virtualisation') as Json)).toEqual(['vmVariant']);
    expect(String(run.layout.files.find((f) => f.path === 'configuration.nix')!.content)).toContain('./vm.nix');
    // The real machine is as before: no test user, the data disk, the unlock unit, upgrades.
    expect(at(real, 'users', 'users', 'tester')).toBeUndefined();
    expect(at(real, 'fileSystems', '/srv', 'device')).toBe('/dev/mapper/data-data');
    expect(at(real, 'systemd', 'services', 'unlock', 'serviceConfig', 'ExecStart')).toHaveLength(4);
    expect(at(real, 'system', 'autoUpgrade', 'enable')).toBe(true);
  });

  it('sets memory, cores and room for container images', () => {
    expect(at(vm, 'virtualisation', 'memorySize')).toBe(2048);
    expect(at(vm, 'virtualisation', 'cores')).toBe(2);
    expect(at(vm, 'virtualisation', 'diskSize')).toBe(8192);
  });

  it('replaces the data disk by a directory on the VM disk, made before the mount', () => {
    // QEMU's module replaces fileSystems by virtualisation.fileSystems; /srv is added back as a bind mount.
    expect(at(vm, 'virtualisation', 'fileSystems', '/srv')).toEqual({
      device: '/var/lib/nixport-vm/srv',
      fsType: 'none',
      options: ['bind', 'x-systemd.requires=nixport-vm-data.service'],
    });
    expect(at(vm, 'systemd', 'services', 'nixport-vm-data')).toEqual({
      description: 'Directories that stand in for the data disks in the VM',
      unitConfig: { DefaultDependencies: false },
      serviceConfig: { Type: 'oneshot', RemainAfterExit: true, ExecStart: `${coreutils}/bin/mkdir -p /var/lib/nixport-vm/srv` },
    });
    // So the services that need /srv keep their mount dependency.
    expect(at(vm, 'systemd', 'services', 'samba', 'unitConfig', 'RequiresMountsFor')).toEqual(['/srv']);
  });

  it('turns the unlock oneshot (x-systemd.requires of /srv) into one that succeeds without doing anything', () => {
    expect(at(vm, 'systemd', 'services', 'unlock', 'serviceConfig')).toEqual({
      Type: 'oneshot',
      RemainAfterExit: true,
      ExecStart: [`${coreutils}/bin/true`],
    });
    // Not masked: samba requires it.
    expect(at(vm, 'systemd', 'services', 'unlock', 'enable')).toBeUndefined();
    expect(at(vm, 'systemd', 'services', 'samba', 'requires')).toContain('unlock.service');
    expect(run.build.vm.stubbedUnits).toEqual(['unlock.service']);
  });

  it('switches off automatic upgrades and the health check around them', () => {
    expect(at(vm, 'system', 'autoUpgrade', 'enable')).toBe(false);
    expect(at(vm, 'systemd', 'services', 'nixos-upgrade', 'enable')).toBe(false);
    expect(at(vm, 'systemd', 'services', 'nixport-health-check', 'enable')).toBe(false);
  });

  it('forwards each published port, below 1024 to port + 10000, and binds the old address in the VM', () => {
    expect(at(vm, 'virtualisation', 'forwardPorts')).toEqual([
      { from: 'host', host: { port: 22 + VM_PORT_OFFSET }, guest: { port: 22 } },
      { from: 'host', host: { port: 10139 }, guest: { port: 139 } },
      { from: 'host', host: { port: 10445 }, guest: { port: 445 } },
      { from: 'host', host: { port: 8200 }, guest: { address: '10.0.0.252', port: 8200 } },
      { from: 'host', proto: 'udp', host: { port: 10137 }, guest: { port: 137 } },
      { from: 'host', proto: 'udp', host: { port: 10138 }, guest: { port: 138 } },
    ]);
    // healthz bound 10.0.0.252 on the old host: the VM has the address, and DHCP stays on.
    expect(at(vm, 'networking', 'interfaces', 'eth0')).toEqual({ ipv4: { addresses: [{ address: '10.0.0.252', prefixLength: 32 }] }, useDHCP: true });
  });

  it('has a console user with a password, in the VM only', () => {
    expect(at(vm, 'users', 'users', 'tester')).toEqual({ isNormalUser: true, extraGroups: ['wheel'], initialPassword: 'test' });
  });

  it('lists the ports, the login and the stand-ins in README.md and MIGRATION.md', () => {
    const readme = String(run.layout.files.find((f) => f.path === 'README.md')!.content);
    expect(readme).toContain('| samba.service | 445/tcp | `localhost:10445` |');
    expect(readme).toContain('| healthz.service | 10.0.0.252:8200/tcp | `localhost:8200` |');
    expect(readme).toContain('`ssh -p 10022 tester@localhost`');
    expect(readme).toContain('password `test`');
  });

  it.skipIf(skipWithoutNix())('evaluates the same with the real Nix', async () => {
    const files = Object.fromEntries(run.layout.files.filter((f) => f.path.endsWith('.nix')).map((f) => [f.path, String(f.content)]));
    files['vm-view.nix'] = '{ lib, pkgs, ... }: (import ./vm.nix { inherit lib pkgs; }).virtualisation.vmVariant\n';
    const entry = [...run.layout.modules.filter((m) => m.owner !== 'vm').map((m) => m.path), 'vm-view.nix'];
    expect(await evalModules(files, entry)).toEqual(vm);
  });
});

describe('the VM of hosts with encrypted and boot-time file systems', () => {
  it('leaves /var to the root disk (mounted in the initrd), stands in for the rest, and turns off crypttab and Clevis', async () => {
    const run = await pipelineFor(['test/fixtures/ignition/fcos-root-luks.ign'], { host: 'vault' });
    const { real, vm } = views(run);
    expect(run.build.vm.onRootDisk).toEqual(['/var']);
    expect(Object.keys(at(vm, 'virtualisation', 'fileSystems') as Json)).toEqual(['/var/lib/fast']);
    expect(at(vm, 'environment', 'etc', 'crypttab', 'enable')).toBe(false);
    expect(at(vm, 'boot', 'initrd', 'clevis', 'enable')).toBe(false);
    expect(at(real, 'environment', 'etc', 'crypttab', 'enable')).toBeUndefined();
    expect(at(real, 'boot', 'initrd', 'clevis', 'enable')).toBe(true);
  });

  it('skips ports it cannot forward, and says why', () => {
    const c = convertFiles({
      'web.yml': cloudConfig({
        'web.service': {
          extra: 'command: start',
          content: `[Service]
ExecStart=/usr/bin/docker run -p [2001:db8::1]:9001:9001 -p 80:80 -p 10080:10080 -p 6000-6100:6000-6100 nginx`,
        },
      }),
    });
    const skipped = [...c.run.build.vm.skipped].sort((a, b) => (a.ports < b.ports ? -1 : 1));
    expect(skipped).toEqual([
      { proto: 'tcp', ports: '10080', unit: 'web.service', reason: 'host port 10080 is already forwarded' },
      { proto: 'tcp', ports: '6000-6100', unit: 'web.service', reason: 'a range of more than 16 ports' },
      { proto: 'tcp', ports: '9001', unit: 'web.service', reason: 'bound to 2001:db8::1; QEMU forwards IPv4 only' },
    ]);
    expect(c.run.build.vm.forwards.map((f) => `${f.guestPort}->${f.hostPort}`)).toEqual(['22->10022', '80->10080']);
  });
});
