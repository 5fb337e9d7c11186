import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { catalogProblems } from './catalog-of.ts';
import { diagnostics, migrationOf, nativeDockerRun, unaccounted } from './helpers.ts';

describe('grafana recipe', () => {
  it('the data volume is dataDir with the database where the image had it; GF_ variables reach Grafana as before', () => {
    const c = nativeDockerRun([
      'docker run -d --name=grafana -p 3000:3000 -e GF_SERVER_ROOT_URL=https://grafana.example.org/ -e GF_SECURITY_ADMIN_PASSWORD=admin-pw-8b1 -e GF_INSTALL_PLUGINS=grafana-clock-panel -e GF_AUTH_ANONYMOUS_ENABLED=true -v /srv/grafana:/var/lib/grafana grafana/grafana-oss:11.2.0',
    ]);
    expect(c.option('services', 'grafana')).toEqual({
      enable: true,
      dataDir: '/srv/grafana',
      openFirewall: true,
      settings: {
        database: { path: '/srv/grafana/grafana.db' },
        security: { secret_key: 'SW2YcwTIb9zpOOhoPsMm' },
        server: { http_addr: '0.0.0.0', root_url: 'https://grafana.example.org/' },
      },
    });
    expect(c.option('systemd', 'services', 'grafana')).toEqual({ environment: { GF_AUTH_ANONYMOUS_ENABLED: 'true' }, serviceConfig: { EnvironmentFile: ['/var/lib/secrets/grafana.env'] } });
    expect(diagnostics(c, 'grafana/default-secret-key')).toHaveLength(1);
    expect(fateOf(c.report, '-e GF_INSTALL_PLUGINS=grafana-clock-panel')).toMatch(/^dropped: the image installed these plugins/);
    expect(unaccounted(c)).toEqual([]);
    expect(catalogProblems(c)).toEqual([]);
  });

  it('the container\'s own secret key stays in the environment file, read through Grafana\'s env provider', () => {
    const c = nativeDockerRun(['docker run -d --name grafana -p 127.0.0.1:3001:3000 -e GF_SECURITY_SECRET_KEY=k-6f2a9d0c1b -v grafana-storage:/var/lib/grafana grafana/grafana:12.1.0']);
    expect(c.option('services', 'grafana', 'settings', 'security', 'secret_key')).toBe('$__env{GF_SECURITY_SECRET_KEY}');
    expect(c.option('services', 'grafana', 'settings', 'server')).toEqual({ http_port: 3001 });
    expect(c.run.layout.files.filter((f) => f.path.endsWith('.nix')).map((f) => String(f.content)).join('\n')).not.toContain('k-6f2a9d0c1b');
    expect(diagnostics(c, 'grafana/default-secret-key')).toEqual([]);
    const m = migrationOf(c, 'grafana');
    expect(m.health).toBe('curl -fsS http://127.0.0.1:3001/api/health');
    // A named volume lived in Docker's directory: its data moves to the module's default dataDir.
    expect(c.option('services', 'grafana', 'dataDir')).toBe('/var/lib/grafana');
    expect(c.option('services', 'grafana', 'settings', 'database', 'path')).toBe('/var/lib/grafana/grafana.db');
    expect(m.steps.map((s) => s.title)).toEqual(['Stop grafana on the old host', 'Copy /var/lib/grafana of the old container to /var/lib/grafana', 'Switch to the new configuration', 'Give the state to grafana', 'Check grafana.service']);
  });
});
