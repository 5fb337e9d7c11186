import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { catalogProblems } from './catalog-of.ts';
import { containerUnit, diagnostics, migrationOf, nativeDockerRun, nativeUnits, unaccounted } from './helpers.ts';

const RUN = '--name db -p 5432:5432 -e POSTGRES_USER=app -e POSTGRES_PASSWORD=Zx81Qw23Er45Ty67 -e POSTGRES_DB=app -v /srv/pg:/var/lib/postgresql/data postgres:16.4 -c max_connections=200 -c shared_buffers=256MB';

describe('postgresql recipe', () => {
  it('the major version the tag names, TCP and password logins as the image had them, -c settings; no password anywhere', () => {
    const c = nativeUnits({ 'postgres.service': containerUnit(RUN) });
    const module = String(c.run.layout.files.find((f) => f.path === 'services/postgres.nix')!.content);
    expect(module).toContain('package = pkgs.postgresql_16;');
    expect(c.option('services', 'postgresql')).toMatchObject({
      enable: true,
      enableTCPIP: true,
      authentication: 'host all all all scram-sha-256\n',
      settings: { max_connections: 200, shared_buffers: '256MB' },
    });
    // The module writes the start limit into unitConfig: Restart=always's "no limit" goes there, forced.
    expect(module).toContain('unitConfig.StartLimitIntervalSec = lib.mkForce 0;');
    expect(module).not.toContain('Zx81Qw23Er45Ty67');
    expect(fateOf(c.report, '-v /srv/pg:/var/lib/postgresql/data')).toMatch(/^dropped: the cluster moves by dump and restore/);
    expect(fateOf(c.report, /^-e POSTGRES_PASSWORD/)).toMatch(/^dropped: the roles come back with the dump/);
    expect(catalogProblems(c)).toEqual([]);
    expect(unaccounted(c)).toEqual([]);
  });

  it('moves the cluster by pg_dumpall while the container runs and a restore after the switch', () => {
    const c = nativeUnits({ 'postgres.service': containerUnit(RUN) });
    const m = migrationOf(c, 'postgres');
    expect(m.steps.map((s) => s.title)).toEqual([
      'Dump every database and role of db',
      'Stop db on the old host',
      'Switch to the new configuration',
      'Restore the dump into the new cluster',
      'Analyze the restored databases',
      'Check the databases',
      'Check postgresql.service',
    ]);
    expect(m.steps[0]!.detail).toContain("`docker exec db sh -c 'pg_dumpall -U app' > /root/db-pg_dumpall.sql`");
    expect(m.steps[3]!.detail).toContain('sudo -u postgres psql -X -d postgres -f /root/db-pg_dumpall.sql');
  });

  it('an older major than nixpkgs has goes to the oldest it has; loopback stays local; trust is not carried', () => {
    const c = nativeDockerRun(['docker run -d --name pg -p 127.0.0.1:5433:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -v pgdata:/var/lib/postgresql/data postgres:12-alpine']);
    const module = String(c.run.layout.files.find((f) => f.path === 'services/pg.nix')!.content);
    expect(module).toContain('package = pkgs.postgresql_14;');
    expect(c.option('services', 'postgresql')).toMatchObject({ settings: { port: 5433 } });
    expect(c.option('services', 'postgresql', 'enableTCPIP')).toBeUndefined();
    expect(c.option('services', 'postgresql', 'authentication')).toBeUndefined();
    expect(migrationOf(c, 'pg').differences.join('\n')).toContain('PostgreSQL 12 (the image) becomes PostgreSQL 14');
    expect(fateOf(c.report, '-e POSTGRES_HOST_AUTH_METHOD=trust')).toMatch(/^unsupported: the image let every client in without a password/);
    expect(catalogProblems(c)).toEqual([]);
  });

  it('bitnami\'s image; a tag without a version is a warning, and bound to one address it listens there too', () => {
    const c = nativeDockerRun(['docker run -d --name pg -p 10.0.0.5:5432:5432 -e POSTGRESQL_PASSWORD=Qa1Ws2Ed3Rf4Tg5Y -v /srv/pg:/bitnami/postgresql bitnami/postgresql:latest']);
    expect(diagnostics(c, 'postgresql/version')).toHaveLength(1);
    const module = String(c.run.layout.files.find((f) => f.path === 'services/pg.nix')!.content);
    expect(module).toContain('settings.listen_addresses = lib.mkForce "localhost,10.0.0.5";');
    expect(migrationOf(c, 'pg').steps[0]!.detail).toContain('PGPASSWORD="$POSTGRESQL_POSTGRES_PASSWORD" pg_dumpall -U postgres');
    expect(catalogProblems(c)).toEqual([]);
  });
});
