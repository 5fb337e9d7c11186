import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { catalogProblems } from './catalog-of.ts';
import { migrationOf, nativeDockerRun, unaccounted } from './helpers.ts';

const MINIFLUX = 'docker run -d --name miniflux -p 8080:8080 -e DATABASE_URL=postgres://miniflux:Db-Pw-4f3e2d1c@db/miniflux?sslmode=disable -e RUN_MIGRATIONS=1 -e CREATE_ADMIN=1 -e ADMIN_USERNAME=admin -e ADMIN_PASSWORD=Adm-Pw-9z8y7x6w -e BASE_URL=https://rss.example.org/ -e POLLING_FREQUENCY=30 miniflux/miniflux:2.2.6';
const DB = 'docker run -d --name db -e POSTGRES_USER=miniflux -e POSTGRES_PASSWORD=Db-Pw-4f3e2d1c -v miniflux-db:/var/lib/postgresql/data postgres:17-alpine';

describe('miniflux recipe', () => {
  it('the database container DATABASE_URL names is a companion: the module\'s local PostgreSQL replaces it', () => {
    const c = nativeDockerRun([MINIFLUX, DB]);
    expect(c.run.plan.services.map((s) => [s.name, s.strategy])).toEqual([
      ['miniflux', 'native'],
      ['db', 'native'],
    ]);
    expect(c.run.plan.services[1]!.reason).toMatch(/^stage 3: part of miniflux \(services\.miniflux\)/);
    expect(c.option('services', 'miniflux')).toEqual({
      enable: true,
      adminCredentialsFile: '/var/lib/secrets/miniflux.env',
      config: { LISTEN_ADDR: '0.0.0.0:8080', BASE_URL: 'https://rss.example.org/', POLLING_FREQUENCY: '30' },
    });
    expect(c.option('services', 'postgresql')).toBeUndefined();
    expect(fateOf(c.report, /^-e DATABASE_URL=/)).toMatch(/^dropped: the module's local database/);
    const nix = c.run.layout.files.filter((f) => f.path.endsWith('.nix')).map((f) => String(f.content)).join('\n');
    expect(nix).not.toContain('Db-Pw-4f3e2d1c');
    expect(nix).not.toContain('Adm-Pw-9z8y7x6w');
    expect(catalogProblems(c)).toEqual([]);
    expect(unaccounted(c)).toEqual([]);
  });

  it('dumps the database from the companion and restores it as the role miniflux after the switch', () => {
    const m = migrationOf(nativeDockerRun([MINIFLUX, DB]), 'miniflux');
    expect(m.steps.map((s) => s.title)).toEqual(['Dump the Miniflux database', 'Stop miniflux, db on the old host', 'Switch to the new configuration', 'Restore the Miniflux database', 'Check miniflux.service']);
    expect(m.steps[0]!.detail).toContain('docker exec db sh -c');
    expect(m.steps[3]!.detail).toContain("(echo 'SET ROLE miniflux;'; cat /root/miniflux-db.sql) | sudo -u postgres psql");
    expect(m.health).toBe('curl -fsS http://127.0.0.1:8080/healthcheck');
  });

  it('an external database stays where it is; without an admin password no admin is created (the module would require one)', () => {
    const c = nativeDockerRun(['docker run -d --name rss -p 127.0.0.1:8081:8080 -e DATABASE_URL=postgres://miniflux:Ext-Pw-0a9b8c7d@pg.lan/miniflux ghcr.io/miniflux/miniflux:latest']);
    expect(c.option('services', 'miniflux')).toEqual({
      enable: true,
      createDatabaseLocally: false,
      config: { CREATE_ADMIN: false, LISTEN_ADDR: '127.0.0.1:8081' },
      adminCredentialsFile: '/var/lib/secrets/rss.env',
    });
    expect(catalogProblems(c)).toEqual([]);
  });
});
