import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { catalogProblems } from './catalog-of.ts';
import { containerUnit, diagnostics, migrationOf, nativeDockerRun, nativeUnits, unaccounted } from './helpers.ts';

const RUN = '--name mariadb -p 127.0.0.1:3306:3306 -e MARIADB_ROOT_PASSWORD=R00tPw-9a8b7c6d -e MARIADB_DATABASE=nextcloud -e MARIADB_USER=nextcloud -e MARIADB_PASSWORD=NcPw-1a2b3c4d -v /srv/mariadb:/var/lib/mysql mariadb:10.11 --transaction-isolation=READ-COMMITTED --log-bin=binlog --binlog-format=ROW';

describe('mariadb recipe', () => {
  it('services.mysql with the series the tag names; server flags to settings.mysqld; no password anywhere', () => {
    const c = nativeUnits({ 'mariadb.service': containerUnit(RUN) });
    const module = String(c.run.layout.files.find((f) => f.path === 'services/mariadb.nix')!.content);
    expect(module).toContain('package = pkgs.mariadb_1011;');
    expect(c.option('services', 'mysql', 'settings', 'mysqld')).toEqual({ 'bind-address': '127.0.0.1', 'transaction-isolation': 'READ-COMMITTED', 'log-bin': 'binlog', 'binlog-format': 'ROW' });
    expect(module).toContain('serviceConfig.Restart = lib.mkForce "always";');
    for (const secret of ['R00tPw-9a8b7c6d', 'NcPw-1a2b3c4d']) expect(module).not.toContain(secret);
    expect(fateOf(c.report, '-v /srv/mariadb:/var/lib/mysql')).toMatch(/^dropped: the data moves by dump and restore/);
    expect(catalogProblems(c)).toEqual([]);
    expect(unaccounted(c)).toEqual([]);
  });

  it('dumps databases and accounts apart (the mysql system database stays), restores them over the socket', () => {
    const c = nativeUnits({ 'mariadb.service': containerUnit(RUN) });
    const m = migrationOf(c, 'mariadb');
    expect(m.steps.map((s) => s.title)).toEqual([
      'Dump the accounts and databases of mariadb',
      'Stop mariadb on the old host',
      'Switch to the new configuration',
      'Restore the dumps',
      'Check the databases',
      'Check mysql.service',
    ]);
    expect(m.steps[0]!.detail).toContain("mariadb-dump -uroot -p\"$MARIADB_ROOT_PASSWORD\" --system=users --insert-ignore' > /root/mariadb-users.sql");
    expect(m.steps[0]!.detail).toContain('grep -Ev "^(mysql|information_schema|performance_schema|sys)$"');
    expect(m.steps[3]!.detail).toContain('sudo mysql < /root/mariadb-databases.sql');
  });

  it('linuxserver\'s image: a series nixpkgs lacks goes to the next one; unpublished means the host alone', () => {
    const c = nativeDockerRun(['docker run -d --name db -e PUID=1000 -e MYSQL_ROOT_PASSWORD=Xy-12345678 -v /srv/db:/config lscr.io/linuxserver/mariadb:11.2.4']);
    const module = String(c.run.layout.files.find((f) => f.path === 'services/db.nix')!.content);
    expect(module).toContain('package = pkgs.mariadb_114;');
    expect(c.option('services', 'mysql', 'settings', 'mysqld', 'bind-address')).toBe('127.0.0.1');
    expect(migrationOf(c, 'db').steps[0]!.detail).toContain('-p"$MYSQL_ROOT_PASSWORD"');
    expect(fateOf(c.report, '-v /srv/db:/config')).toMatch(/^dropped: the data moves by dump and restore/);
    expect(catalogProblems(c)).toEqual([]);
  });

  it('a series newer than nixpkgs\' is an error', () => {
    const c = nativeDockerRun(['docker run -d --name db -v /srv/db:/var/lib/mysql mariadb:12.0']);
    expect(diagnostics(c, 'mariadb/version')).toEqual([expect.stringContaining('newer than nixpkgs\' newest series (11.8)')]);
  });
});
