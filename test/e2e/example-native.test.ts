import { beforeAll, describe, expect, it } from 'vitest';
import { mergeModulesJson, moduleToJson } from '../helpers/nix-json.ts';
import type { Pipeline } from '../../src/pipeline.ts';
import { pipelineFor } from './fixtures.ts';

/**
 * The bundled example with `--stage native`: the post's end state, service
 * by service (N1–N7): Samba, Jellyfin, Caddy answering the health check,
 * the node exporter with indefinite restarts, rrsync-forced keys, the sync
 * script built with writePerlBin, the /srv mount and the firewall, and no
 * container left for a service that has a recipe.
 */

let run: Pipeline;
let config: unknown;

function option(...path: string[]): unknown {
  let at: unknown = config;
  for (const key of path) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}

beforeAll(async () => {
  run = await pipelineFor(['examples/storage2'], { stage: 'native' });
  config = mergeModulesJson(run.layout.modules.map((m) => moduleToJson(m.expr)));
});

const AT_SRV = { unitConfig: { RequiresMountsFor: ['/srv'] }, wantedBy: ['srv.mount'] };

describe('storage2 at stage 3', () => {
  it('every service with a recipe is native; no container is left', () => {
    expect(Object.fromEntries(run.plan.services.map((s) => [s.name, s.strategy]))).toEqual({
      unlock: 'docker',
      samba: 'native',
      healthz: 'native',
      jellyfin: 'native',
      'node-exporter': 'native',
      sync: 'native',
    });
    expect(option('virtualisation', 'oci-containers')).toBeUndefined();
    const units = option('systemd', 'services') as Record<string, { serviceConfig?: Record<string, unknown> }>;
    for (const [name, unit] of Object.entries(units)) expect(JSON.stringify(unit.serviceConfig ?? {}), name).not.toMatch(/bin\/docker/);
  });

  it('N2: /srv is systemd\'s mount, after the unlock unit', () => {
    expect(option('fileSystems', '/srv')).toMatchObject({ device: '/dev/mapper/data-data', options: ['nofail', 'x-systemd.requires=unlock.service'] });
  });

  it('N5: Samba with the data share, the [global] keys the old container added, its ports, and passwords from secret files', () => {
    expect(option('services', 'samba')).toMatchObject({
      enable: true,
      openFirewall: true,
      settings: { global: { 'server multi channel support': 'yes' }, data: { path: '/srv/data', 'read only': 'no' } },
    });
    expect(option('users', 'groups', 'michael')).toEqual({});
    expect(option('systemd', 'services', 'samba-smbd')).toMatchObject({ ...AT_SRV, serviceConfig: { ExecStartPre: [expect.stringMatching(/-samba-set-passwords$/)] } });
  });

  it('N4: Jellyfin with dataDir and cacheDir as the post\'s jellyfin.nix, after the mount', () => {
    expect(option('services', 'jellyfin')).toEqual({ enable: true, openFirewall: true, dataDir: '/srv/jellyfin', cacheDir: '/srv/jellyfin/config/cache' });
    expect(option('systemd', 'services', 'jellyfin')).toMatchObject(AT_SRV);
  });

  it('N3: Caddy answers "ok" on http://10.0.0.252:8200 once /srv is mounted; 8200 is open', () => {
    expect(option('services', 'caddy', 'virtualHosts', 'http://10.0.0.252:8200', 'extraConfig')).toBe('respond "ok"\n');
    expect(option('systemd', 'services', 'caddy')).toMatchObject(AT_SRV);
    expect(option('networking', 'firewall', 'allowedTCPPorts')).toEqual([8200]);
  });

  it('N1: the node exporter on the Tailscale address, restarting forever', () => {
    expect(option('services', 'prometheus', 'exporters', 'node')).toMatchObject({ enable: true, listenAddress: '100.101.102.103' });
    expect(option('systemd', 'services', 'prometheus-node-exporter')).toMatchObject({ startLimitIntervalSec: 0, serviceConfig: { Restart: 'always', RestartSec: '1' } });
  });

  it('N6: the backup key runs rrsync from the store, its restriction kept', () => {
    const keys = option('users', 'users', 'root', 'openssh', 'authorizedKeys', 'keys') as string[];
    expect(keys[0]).toMatch(/^command="\/nix\/store\/[a-z0-9]{32}-rrsync\/bin\/rrsync \/srv\/backup\/midna",restrict ssh-rsa /);
    // The sync@dr key runs an image nixport has no recipe for: it keeps its container, so Docker stays.
    expect(keys[1]).toMatch(/docker run .* stapelberg\/docker-sync",no-port-forwarding,no-X11-forwarding /);
    expect(option('virtualisation', 'docker', 'enable')).toBe(true);
  });

  it('N7: sync.pl built with writePerlBin and run by sync.service from its timer, /srv/data read-only as before', () => {
    expect(option('systemd', 'services', 'sync')).toMatchObject({
      environment: { SYNC_DEST: 'storage3' },
      serviceConfig: { Type: 'oneshot', ExecStart: expect.stringMatching(/^\/nix\/store\/[a-z0-9]{32}-syncpl\/bin\/syncpl$/), ReadOnlyPaths: ['/srv/data', '/root/.ssh'] },
      unitConfig: AT_SRV.unitConfig,
    });
    expect(option('systemd', 'timers', 'sync', 'timerConfig')).toEqual({ OnCalendar: '*-*-* 02:30:00', Persistent: 'true' });
  });

  it('the health check after upgrades probes the modules\' units', () => {
    const probes = run.build.health?.probes.filter((p) => p.kind === 'unit').map((p) => p.args[0]);
    expect(probes).toEqual(expect.arrayContaining(['samba-smbd.service', 'caddy.service', 'jellyfin.service', 'prometheus-node-exporter.service']));
    expect(probes).not.toContain('sync.service');
  });
});
