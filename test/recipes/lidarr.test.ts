import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { catalogProblems } from './catalog-of.ts';
import { migrationOf, nativeDockerRun, unaccounted } from './helpers.ts';

describe('lidarr recipe', () => {
  it('linuxserver: dataDir, port, music and downloads re-pointed in the app', () => {
    const c = nativeDockerRun(['docker run -d --name=lidarr -e PUID=1000 -e PGID=1000 -e TZ=Etc/UTC -p 8686:8686 -v /srv/lidarr/config:/config -v /srv/music:/music -v /srv/downloads:/downloads --restart unless-stopped lscr.io/linuxserver/lidarr:latest']);
    expect(c.option('services', 'lidarr')).toEqual({ enable: true, dataDir: '/srv/lidarr/config', openFirewall: true });
    const m = migrationOf(c, 'lidarr');
    expect(m.steps.map((s) => s.title)).toEqual(['Stop lidarr on the old host', 'Keep /srv/lidarr/config', 'Switch to the new configuration', 'Give the state to lidarr', 'Check lidarr.service']);
    expect(m.health).toBe('curl -fsS http://127.0.0.1:8686/ping');
    expect(fateOf(c.report, '-v /srv/music:/music')).toMatch(/^carried: services\.lidarr\.enable/);
    expect(unaccounted(c)).toEqual([]);
    expect(catalogProblems(c)).toEqual([]);
  });

  it('published on another port: settings.server.port follows, and openFirewall opens that one', () => {
    const c = nativeDockerRun(['docker run -d --name lidarr -p 8687:8686 -v /srv/lidarr:/config lscr.io/linuxserver/lidarr']);
    expect(c.option('services', 'lidarr')).toEqual({ enable: true, dataDir: '/srv/lidarr', settings: { server: { port: 8687 } }, openFirewall: true });
    expect(c.option('networking', 'firewall')).toBeUndefined();
    expect(migrationOf(c, 'lidarr').health).toBe('curl -fsS http://127.0.0.1:8687/ping');
  });
});
