import { describe, expect, it } from 'vitest';
import { catalogProblems } from './catalog-of.ts';
import { migrationOf, nativeDockerRun, unaccounted } from './helpers.ts';

describe('prowlarr recipe', () => {
  it('a named volume moves into the DynamicUser state directory; no chown (systemd owns it for the dynamic user)', () => {
    const c = nativeDockerRun(['docker run -d --name=prowlarr -e PUID=1000 -e PGID=1000 -e TZ=Etc/UTC -p 9696:9696 -v prowlarr_config:/config --restart unless-stopped lscr.io/linuxserver/prowlarr:latest']);
    expect(c.option('services', 'prowlarr')).toEqual({ enable: true, openFirewall: true });
    const m = migrationOf(c, 'prowlarr');
    expect(m.steps.map((s) => s.title)).toEqual(['Stop prowlarr on the old host', 'Copy /config of the old container to /var/lib/private/prowlarr', 'Switch to the new configuration', 'Check prowlarr.service']);
    expect(m.steps[2]!.detail).not.toContain('creates the user');
    expect(m.differences.join('\n')).toMatch(/DynamicUser=true/);
    expect(m.health).toBe('curl -fsS http://127.0.0.1:9696/ping');
    expect(unaccounted(c)).toEqual([]);
    expect(catalogProblems(c)).toEqual([]);
  });

  it('a bind volume stays: dataDir is bind-mounted onto /var/lib/private/prowlarr by the module', () => {
    const c = nativeDockerRun(['docker run -d --name prowlarr -p 9696:9696 -v /srv/prowlarr:/config ghcr.io/hotio/prowlarr:release']);
    expect(c.option('services', 'prowlarr')).toEqual({ enable: true, dataDir: '/srv/prowlarr', openFirewall: true });
    expect(migrationOf(c, 'prowlarr').steps.map((s) => s.title)).toContain('Keep /srv/prowlarr');
  });
});
