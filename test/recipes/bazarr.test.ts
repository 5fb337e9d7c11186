import { describe, expect, it } from 'vitest';
import { catalogChecked, catalogProblems } from './catalog-of.ts';
import { migrationOf, nativeDockerRun, unaccounted } from './helpers.ts';

describe('bazarr recipe', () => {
  it('linuxserver: dataDir from /config, the libraries re-pointed (or mapped) in the app', () => {
    const c = nativeDockerRun(['docker run -d --name=bazarr -e PUID=1000 -e PGID=1000 -e TZ=Etc/UTC -p 6767:6767 -v /srv/bazarr/config:/config -v /srv/media/movies:/movies -v /srv/media/tv:/tv --restart unless-stopped lscr.io/linuxserver/bazarr:latest']);
    expect(c.option('services', 'bazarr')).toEqual({ enable: true, dataDir: '/srv/bazarr/config', openFirewall: true });
    const m = migrationOf(c, 'bazarr');
    expect(m.steps.map((s) => s.title)).toEqual(['Stop bazarr on the old host', 'Keep /srv/bazarr/config', 'Switch to the new configuration', 'Give the state to bazarr', 'Check bazarr.service']);
    expect(m.health).toBe('curl -fsS http://127.0.0.1:6767/');
    expect(m.reconfigure.join('\n')).toMatch(/Path Mappings/);
    expect(unaccounted(c)).toEqual([]);
    expect(catalogProblems(c)).toEqual([]);
    expect(catalogChecked(c)).toBe(5);
  });

  it('another published port is listenPort; a named volume goes to /var/lib/bazarr', () => {
    const c = nativeDockerRun(['docker run -d --name bazarr -p 6868:6767 -v bazarr:/config ghcr.io/hotio/bazarr:release']);
    expect(c.option('services', 'bazarr')).toEqual({ enable: true, listenPort: 6868, openFirewall: true });
    expect(migrationOf(c, 'bazarr').steps[1]!.title).toBe('Copy /config of the old container to /var/lib/bazarr');
    expect(catalogProblems(c)).toEqual([]);
  });
});
