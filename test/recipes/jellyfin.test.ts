import { describe, expect, it } from 'vitest';
import { pipelineFor } from '../e2e/fixtures.ts';
import { mergeModulesJson, moduleToJson } from '../helpers/nix-json.ts';
import { convertFiles, fateOf } from '../strategies/convert-helpers.ts';
import { containerUnit, diagnostics, migrationOf, nativeDockerRun, nativeUnits, unaccounted } from './helpers.ts';

/** The post's N4: the linuxserver Jellyfin container becomes services.jellyfin. */
const POST_RUN = '--net=host --name=jellyfin -e TZ=Europe/Zurich -v /srv/jellyfin/config:/config -v /srv/data/movies:/data/movies:ro -v /srv/data/series:/data/series:ro lscr.io/linuxserver/jellyfin:latest';
const MOUNT = '[Unit]\n[Mount]\nWhat=/dev/mapper/data-data\nWhere=/srv\nType=ext4';

describe('jellyfin recipe', () => {
  it('a unit on the host network: dataDir/cacheDir from /config as the post has them, openFirewall, the mount and indefinite restarts on jellyfin.service', () => {
    const c = nativeUnits({ 'jellyfin.service': containerUnit(POST_RUN, { unit: 'After=srv.mount\nRequires=srv.mount', service: 'StartLimitInterval=0' }), 'srv.mount': MOUNT });
    expect(c.option('services', 'jellyfin')).toEqual({ enable: true, dataDir: '/srv/jellyfin', cacheDir: '/srv/jellyfin/config/cache', openFirewall: true });
    expect(c.option('systemd', 'services', 'jellyfin')).toEqual({
      // The media was mounted read-only into the container: it stays read-only for the service.
      serviceConfig: { Restart: 'always', ReadOnlyPaths: ['/srv/data/movies', '/srv/data/series'] },
      startLimitIntervalSec: 0,
      unitConfig: { RequiresMountsFor: ['/srv'] },
      wantedBy: ['srv.mount'],
    });
    // No container, no Docker, no port opened by hand: the module opens Jellyfin's ports.
    expect(c.option('virtualisation', 'docker', 'enable')).toBeUndefined();
    expect(c.option('networking', 'firewall')).toBeUndefined();
    expect(unaccounted(c)).toEqual([]);
  });

  it('keeps a Restart= the module sets differently with lib.mkForce (the module says on-failure)', () => {
    const c = nativeUnits({ 'jellyfin.service': containerUnit(POST_RUN) });
    const module = c.run.layout.files.find((f) => f.path === 'services/jellyfin.nix')!;
    expect(String(module.content)).toContain('Restart = lib.mkForce "always";');
  });

  it('says the media libraries name the old container paths, and how to keep them', () => {
    const c = nativeUnits({ 'jellyfin.service': containerUnit(POST_RUN) });
    const [warning] = c.report.diagnostics.filter((d) => d.code === 'native/media-paths');
    expect(warning?.message).toContain('/data/movies → /srv/data/movies');
    expect(warning?.hint).toContain('BindReadOnlyPaths = [ "/srv/data/movies:/data/movies" "/srv/data/series:/data/series" ]');
    expect(migrationOf(c, 'jellyfin').reconfigure.join('\n')).toMatch(/Re-point the media libraries/);
    expect(fateOf(c.report, '-v /srv/data/movies:/data/movies:ro')).toMatch(/^carried: systemd\.services\.jellyfin\.serviceConfig\.ReadOnlyPaths/);
  });

  it('orders the move: stop, keep /config in place, move data/ up into dataDir, switch, chown, check /health', () => {
    const c = nativeUnits({ 'jellyfin.service': containerUnit(POST_RUN) });
    const m = migrationOf(c, 'jellyfin');
    expect(m.steps.map((s) => s.title)).toEqual([
      'Stop jellyfin on the old host',
      'Keep /srv/jellyfin/config',
      'Move /srv/jellyfin/config/data into /srv/jellyfin',
      'Switch to the new configuration',
      'Give the state to jellyfin',
      'Check jellyfin.service',
    ]);
    expect(m.steps[2]!.detail).toContain('`mv /srv/jellyfin/config/data/* /srv/jellyfin/`');
    expect(m.steps[4]!.detail).toContain('`chown -R jellyfin:jellyfin /srv/jellyfin`');
    expect(m.health).toBe('curl -fsS http://127.0.0.1:8096/health');
    expect(m.differences.join('\n')).toContain('TZ=Europe/Zurich');
  });

  it('the official image: /config is dataDir itself and /cache the cacheDir; published ports open only themselves', () => {
    const c = nativeDockerRun(['docker run -d --name jf -p 8096:8096 -v /srv/jf/config:/config -v /srv/jf/cache:/cache -v /srv/media:/media jellyfin/jellyfin:10.10.7']);
    expect(c.option('services', 'jellyfin')).toEqual({ enable: true, dataDir: '/srv/jf/config', cacheDir: '/srv/jf/cache' });
    // The module would open 8920 and the UDP ports too, which the container never published.
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toEqual([8096]);
    expect(migrationOf(c, 'jf').steps.map((s) => s.title)).not.toContain('Move /srv/jf/config/data into /srv/jf');
    expect(unaccounted(c)).toEqual([]);
  });

  it('a port published elsewhere: Jellyfin listens where its web UI says, so the report says so and the new port is opened', () => {
    const c = nativeDockerRun(['docker run -d --name jf -p 8080:8096 -v /srv/jf:/config jellyfin/jellyfin']);
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toEqual([8096]);
    expect(migrationOf(c, 'jf').differences.join('\n')).toMatch(/published on port 8080; the app listens on 8096/);
  });

  it('a secret variable goes to a file outside the store, read by the unit\'s EnvironmentFile', () => {
    const c = nativeDockerRun(['docker run -d --name jf -e JELLYFIN_API_TOKEN=8f1c2d3e4b5a69788f1c2d3e4b5a6978 -v /srv/jf:/config jellyfin/jellyfin']);
    expect(c.option('systemd', 'services', 'jellyfin', 'serviceConfig', 'EnvironmentFile')).toEqual([expect.stringMatching(/^\/var\/lib\/secrets\/jf\.env$/)]);
    expect(c.run.layout.files.filter((f) => f.path.endsWith('.nix')).map((f) => String(f.content)).join('\n')).not.toContain('8f1c2d3e4b5a6978');
    expect(fateOf(c.report, /^-e JELLYFIN_API_TOKEN/)).toMatch(/^carried: systemd\.services\.jellyfin\.serviceConfig\.EnvironmentFile/);
  });

  it('reports what it cannot express, with the flag\'s origin', () => {
    const c = nativeDockerRun(['docker run -d --name jf --device /dev/dri:/dev/dri --memory 2g -v /srv/jf:/config jellyfin/jellyfin']);
    expect(fateOf(c.report, '--device /dev/dri:/dev/dri')).toMatch(/^unsupported: a device passed into the container/);
    expect(fateOf(c.report, '--memory 2g')).toMatch(/^unsupported: a memory limit/);
    expect(diagnostics(c, 'native/not-expressed')).toHaveLength(2);
    expect(c.report.diagnostics.find((d) => d.code === 'native/not-expressed')?.origin?.file).toBe('--docker-run');
  });
});

describe('jellyfin recipe on other inputs', () => {
  it('a `docker inspect` record (no unit): the same module, restarts from its restart policy', async () => {
    const run = await pipelineFor(['test/fixtures/docker/storage2-inspect.json'], { host: 'storage2', stage: 'native' });
    const jellyfin = run.plan.services.find((s) => s.name === 'jellyfin')!;
    expect(jellyfin.strategy).toBe('native');
    const config = mergeModulesJson(run.layout.modules.map((m) => moduleToJson(m.expr))) as { services: { jellyfin: unknown } };
    expect(config.services.jellyfin).toMatchObject({ enable: true, dataDir: '/srv/jellyfin', cacheDir: '/srv/jellyfin/config/cache' });
  });

  it('a Compose service', () => {
    const compose = [
      'services:',
      '  jellyfin:',
      '    image: lscr.io/linuxserver/jellyfin:latest',
      '    network_mode: host',
      '    volumes:',
      '      - /srv/jellyfin/config:/config',
      '      - /srv/data/movies:/data/movies:ro',
      '    restart: unless-stopped',
    ].join('\n');
    const c = convertFiles({ 'compose.yaml': `${compose}\n` }, { stage: 'native', host: 'media' });
    expect(c.run.plan.services.map((s) => s.strategy)).toEqual(['native']);
    expect(c.option('services', 'jellyfin')).toEqual({ enable: true, dataDir: '/srv/jellyfin', cacheDir: '/srv/jellyfin/config/cache', openFirewall: true });
    expect(c.option('systemd', 'services', 'jellyfin')).toMatchObject({ serviceConfig: { Restart: 'always' }, startLimitIntervalSec: 0 });
    expect(unaccounted(c)).toEqual([]);
  });
});
