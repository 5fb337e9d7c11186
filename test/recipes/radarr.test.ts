import { describe, expect, it } from 'vitest';
import { catalogChecked, catalogProblems } from './catalog-of.ts';
import { migrationOf, nativeDockerRun, unaccounted } from './helpers.ts';

describe('radarr recipe', () => {
  it('linuxserver with one /data for hardlinks: dataDir from /config, the library re-pointed in the app', () => {
    const c = nativeDockerRun(['docker run -d --name=radarr -e PUID=1000 -e PGID=1000 -e TZ=Europe/Berlin -p 7878:7878 -v /opt/radarr:/config -v /mnt/data:/data --restart unless-stopped lscr.io/linuxserver/radarr:5.26.2']);
    expect(c.option('services', 'radarr')).toEqual({ enable: true, dataDir: '/opt/radarr', openFirewall: true });
    const m = migrationOf(c, 'radarr');
    expect(m.steps.map((s) => s.title)).toEqual(['Stop radarr on the old host', 'Keep /opt/radarr', 'Switch to the new configuration', 'Give the state to radarr', 'Check radarr.service']);
    expect(m.health).toBe('curl -fsS http://127.0.0.1:7878/ping');
    expect(m.reconfigure.join('\n')).toContain('/data → /mnt/data');
    expect(m.differences.join('\n')).toContain('TZ=Europe/Berlin');
    expect(unaccounted(c)).toEqual([]);
    expect(catalogProblems(c)).toEqual([]);
    expect(catalogChecked(c)).toBe(5);
  });

  it('hotio on a loopback port: listens on 127.0.0.1 only, nothing opened', () => {
    const c = nativeDockerRun(['docker run -d --name radarr -p 127.0.0.1:7878:7878 -e UMASK=002 -v radarr-config:/config ghcr.io/hotio/radarr:release']);
    expect(c.option('services', 'radarr')).toEqual({ enable: true, settings: { server: { bindaddress: '127.0.0.1' } } });
    expect(c.option('networking', 'firewall')).toBeUndefined();
    expect(migrationOf(c, 'radarr').steps[1]!.title).toBe('Copy /config of the old container to /var/lib/radarr/.config/Radarr');
    expect(catalogProblems(c)).toEqual([]);
  });
});
