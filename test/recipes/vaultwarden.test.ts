import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { catalogProblems } from './catalog-of.ts';
import { migrationOf, nativeDockerRun, unaccounted } from './helpers.ts';

/** Vaultwarden's documented run behind a reverse proxy on the same host. */
const DOCS = 'docker run -d --name vaultwarden -e DOMAIN=https://vw.example.org -e SIGNUPS_ALLOWED=false -e ADMIN_TOKEN=Zk3vQ9xL2mP8rT5wY7bN4cD6 -v /vw-data/:/data/ -p 127.0.0.1:8000:80 --restart unless-stopped vaultwarden/server:latest';

describe('vaultwarden recipe', () => {
  it('listens where it was published, carries the environment into config, the admin token into an environment file', () => {
    const c = nativeDockerRun([DOCS]);
    expect(c.option('services', 'vaultwarden')).toEqual({
      enable: true,
      config: { DOMAIN: 'https://vw.example.org', SIGNUPS_ALLOWED: 'false', ROCKET_ADDRESS: '127.0.0.1', ROCKET_PORT: 8000 },
      environmentFile: '/var/lib/secrets/vaultwarden.env',
    });
    expect(c.run.layout.files.filter((f) => f.path.endsWith('.nix')).map((f) => String(f.content)).join('\n')).not.toContain('Zk3vQ9xL2mP8rT5wY7bN4cD6');
    expect(fateOf(c.report, '-e ADMIN_TOKEN=…')).toMatch(/^carried: services\.vaultwarden\.environmentFile/);
    expect(c.option('networking', 'firewall')).toBeUndefined();
    expect(unaccounted(c)).toEqual([]);
    expect(catalogProblems(c)).toEqual([]);
  });

  it('copies /data into /var/lib/vaultwarden (the module has no data directory option)', () => {
    const m = migrationOf(nativeDockerRun([DOCS]), 'vaultwarden');
    expect(m.steps.map((s) => s.title)).toEqual(['Stop vaultwarden on the old host', 'Copy /data/ of the old container to /var/lib/vaultwarden', 'Switch to the new configuration', 'Give the state to vaultwarden', 'Check vaultwarden.service']);
    expect(m.steps[1]!.detail).toContain('`rsync -aHAX /vw-data/ /var/lib/vaultwarden/`');
    expect(m.steps[3]!.detail).toContain('`chown -R vaultwarden:vaultwarden /var/lib/vaultwarden`');
    expect(m.health).toBe('curl -fsS http://127.0.0.1:8000/alive');
  });

  it('published on port 80: the unit cannot bind it (no capabilities), so 8222 and a note; the old WebSocket port goes', () => {
    const c = nativeDockerRun(['docker run -d --name bitwarden -p 80:80 -p 3012:3012 -e WEBSOCKET_ENABLED=true -e DATABASE_URL=postgresql://vw:pw-1d9f@db/vw -v /srv/bw:/data bitwardenrs/server:1.25.0']);
    expect(c.option('services', 'vaultwarden', 'config')).toMatchObject({ ROCKET_ADDRESS: '0.0.0.0', ROCKET_PORT: 8222 });
    expect(c.option('services', 'vaultwarden', 'dbBackend')).toBe('postgresql');
    expect(fateOf(c.report, '-p 3012:3012')).toMatch(/^dropped: WebSocket notifications are served on the main port/);
    expect(migrationOf(c, 'bitwarden').differences.join('\n')).toMatch(/cannot bind ports below 1024, so Vaultwarden listens on 8222 now/);
    expect(catalogProblems(c)).toEqual([]);
  });
});
