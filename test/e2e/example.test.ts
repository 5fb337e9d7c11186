import { beforeAll, describe, expect, it } from 'vitest';
import { mergeModulesJson, moduleToJson, packageStorePath } from '../helpers/nix-json.ts';
import { convert } from '../../src/index.ts';
import { gatherInputs } from '../../src/cli/inputs.ts';
import type { Pipeline } from '../../src/pipeline.ts';
import { pipelineFor } from './fixtures.ts';

/**
 * The bundled example is the post's NAS on CoreOS. Converted, it must hold
 * each item of the post's stage-1 result (sections M1-M4, N1, N2, N5).
 */

const docker = `${packageStorePath(['docker'])}/bin/docker`;
let run: Pipeline;
let config: unknown;

/** Reads the evaluated configuration by option path. */
function option(...path: string[]): unknown {
  let at: unknown = config;
  for (const key of path) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}
const service = (name: string, ...rest: string[]) => option('systemd', 'services', name, ...rest);

beforeAll(async () => {
  run = await pipelineFor(['examples/storage2']);
  config = mergeModulesJson(run.layout.modules.map((m) => moduleToJson(m.expr)));
});

describe('storage2, stage 1', () => {
  it('names the host and keeps Docker, as the 1:1 port does (M1, M3)', () => {
    expect(option('networking', 'hostName')).toBe('storage2');
    expect(option('virtualisation', 'docker', 'enable')).toBe(true);
    expect(option('services', 'openssh', 'enable')).toBe(true);
    expect(option('system', 'stateVersion')).toBe('26.05');
  });

  it('unlocks the disks in a oneshot whose binaries come from the store (M2)', () => {
    expect(service('unlock', 'serviceConfig', 'Type')).toBe('oneshot');
    expect(service('unlock', 'wantedBy')).toEqual(['multi-user.target']);
    expect(service('unlock', 'serviceConfig', 'ExecStart')).toEqual([
      expect.stringContaining(`do ${packageStorePath(['iputils'])}/bin/ping -6 -n -c 1 r.zekjur.net && break;`),
      expect.stringMatching(
        new RegExp(`${packageStorePath(['wget'])}/bin/wget --retry-connrefused .* \\| ${packageStorePath(['cryptsetup'])}/bin/cryptsetup --key-file=- luksOpen`),
      ),
      expect.stringContaining(`${packageStorePath(['cryptsetup'])}/bin/cryptsetup`),
      `/bin/sh -c "${packageStorePath(['lvm2', 'bin'])}/bin/vgchange -ay"`,
    ]);
  });

  it('lets systemd mount /srv after unlock, instead of a mount step (N2)', () => {
    expect(JSON.stringify(service('unlock'))).not.toContain('mount /dev/mapper');
    expect(option('fileSystems', '/srv')).toEqual({
      device: '/dev/mapper/data-data',
      fsType: 'auto',
      options: ['nofail', 'x-systemd.requires=unlock.service'],
    });
    for (const name of ['samba', 'healthz', 'jellyfin', 'sync']) {
      expect(service(name, 'unitConfig', 'RequiresMountsFor'), name).toEqual(['/srv']);
    }
    // Started at boot: also when the mount appears. Started by its timer: only waits for it.
    expect(service('jellyfin', 'wantedBy')).toEqual(['multi-user.target', 'srv.mount']);
    expect(service('sync', 'wantedBy')).toBeUndefined();
    expect(option('systemd', 'timers', 'sync', 'wantedBy')).toEqual(['timers.target']);
    expect(service('node-exporter', 'unitConfig')).toBeUndefined();
  });

  it('restarts forever where the old units did, with the limit at the unit level (N1)', () => {
    for (const name of ['samba', 'healthz', 'jellyfin', 'node-exporter']) {
      expect(service(name, 'startLimitIntervalSec'), name).toBe(0);
      expect(service(name, 'serviceConfig', 'Restart'), name).toBe('always');
      expect(service(name, 'serviceConfig', 'StartLimitInterval'), name).toBeUndefined();
      expect(service(name, 'unitConfig', 'StartLimitInterval'), name).toBeUndefined();
    }
    expect(service('node-exporter', 'serviceConfig', 'RestartSec')).toBe('1');
  });

  it('opens the published ports (TCP and UDP), and leaves host-network ports to a manual step', () => {
    // Lists merge in import order: services/healthz.nix before services/samba.nix.
    expect(option('networking', 'firewall', 'allowedTCPPorts')).toEqual([8200, 139, 445]);
    expect(option('networking', 'firewall', 'allowedUDPPorts')).toEqual([137, 138]);
    const steps = run.ledger.manualSteps.map((s) => s.title);
    expect(steps).toContain('Open the ports of jellyfin.service');
    expect(steps).toContain('Open the ports of node-exporter.service');
  });

  it('still runs the containers with the Docker CLI from the store, flags as written', () => {
    expect(service('healthz', 'serviceConfig', 'ExecStart')).toBe(
      `${docker} run \\\n    --name nginx-healthz \\\n    --publish 10.0.0.252:8200:80 \\\n    --log-driver=journald \\\n    nginx:1`,
    );
    expect(service('samba', 'serviceConfig', 'ExecStartPre')).toContain(`-${docker} pull stapelberg/docker-samba:latest`);
    expect(service('healthz', 'after')).toEqual(['srv.mount', 'docker.service']);
  });

  it('keeps forced commands and key options byte for byte, with docker from the store (M4)', () => {
    expect(option('users', 'users', 'root', 'openssh', 'authorizedKeys', 'keys')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^command="${docker} run --log-driver none -i -e SSH_ORIGINAL_COMMAND -v /srv/backup/midna:/srv/backup/midna stapelberg/docker-rsync /srv/backup/midna",restrict ssh-rsa \\S+ root@midna$`,
        ),
      ),
      expect.stringMatching(/",no-port-forwarding,no-X11-forwarding ssh-ed25519 \S+ sync@dr$/),
    ]);
  });

  it('gives users their own group, as useradd did on CoreOS (N5)', () => {
    expect(option('users', 'users', 'michael')).toMatchObject({ isNormalUser: true, group: 'michael', extraGroups: ['wheel', 'docker'] });
    expect(option('users', 'groups', 'michael')).toEqual({});
    expect(option('users', 'users', 'backup')).toMatchObject({ isSystemUser: true, group: 'backup', home: '/srv/backup', createHome: false });
  });

  it('updates and reboots in the locksmith window', () => {
    expect(option('system', 'autoUpgrade')).toMatchObject({
      enable: true,
      allowReboot: true,
      dates: 'Sun 04:00',
      rebootWindow: { lower: '04:00', upper: '05:00' },
    });
  });

  it('carries write_files: /etc to environment.etc, elsewhere a tmpfiles link into the store', () => {
    expect(option('environment', 'etc', 'ssl/certs/r.zekjur.net.crt')).toMatchObject({
      mode: '0644',
      text: expect.stringMatching(/^-----BEGIN CERTIFICATE-----\n/),
    });
    expect(option('systemd', 'tmpfiles', 'settings', 'nixport-write-files', '/opt/sync/sync.pl', 'L+', 'argument')).toMatch(
      /^\/nix\/store\/[0-9a-df-z]{32}-sync\.pl$/,
    );
  });

  it('accounts for every input item and reports no errors', async () => {
    const result = convert(await gatherInputs(['examples/storage2']));
    expect(result.exitCode).toBe(0);
    expect(result.report.coverage.unaccounted).toBe(0);
    expect(result.report.coverage.items).toBeGreaterThan(100);
    expect(result.report.services.map((s) => [s.name, s.strategy])).toEqual([
      ['healthz', 'docker'],
      ['jellyfin', 'docker'],
      ['node-exporter', 'docker'],
      ['samba', 'docker'],
      ['sync', 'docker'],
      ['unlock', 'docker'],
    ]);
  });
});
