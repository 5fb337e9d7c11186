import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { catalogProblems } from './catalog-of.ts';
import { migrationOf, nativeDockerRun, unaccounted } from './helpers.ts';

const FORGEJO =
  'docker run -d --name forgejo -e USER_UID=1000 -e USER_GID=1000 -e FORGEJO__server__ROOT_URL=https://code.example.org/ -e FORGEJO__service__DISABLE_REGISTRATION=true -e FORGEJO__mailer__PASSWD=smtp-pw-9a7e -e FORGEJO__server__LFS_START_SERVER=true -p 3000:3000 -p 2222:22 -v /srv/forgejo:/data -v /etc/localtime:/etc/localtime:ro --restart always codeberg.org/forgejo/forgejo:11';

describe('forgejo recipe', () => {
  it('keeps the image\'s /data layout: stateDir, repositories, SQLite database and APP_DATA_PATH point into it', () => {
    const c = nativeDockerRun([FORGEJO]);
    expect(c.option('services', 'forgejo')).toEqual({
      enable: true,
      stateDir: '/srv/forgejo',
      repositoryRoot: '/srv/forgejo/git/repositories',
      database: { path: '/srv/forgejo/gitea/gitea.db' },
      lfs: { enable: true, contentDir: '/srv/forgejo/git/lfs' },
      settings: { server: { APP_DATA_PATH: '/srv/forgejo/gitea', ROOT_URL: 'https://code.example.org/' }, service: { DISABLE_REGISTRATION: true } },
      // The mailer password: a file the module loads as a credential (services.forgejo.secrets).
      secrets: { mailer: { PASSWD: '/var/lib/secrets/forgejo-forgejo__mailer__passwd' } },
    });
    expect(c.run.layout.files.filter((f) => f.path.endsWith('.nix')).map((f) => String(f.content)).join('\n')).not.toContain('smtp-pw-9a7e');
    expect(fateOf(c.report, '-e USER_UID=1000')).toMatch(/^dropped: container machinery/);
    expect(unaccounted(c)).toEqual([]);
    expect(catalogProblems(c)).toEqual([]);
  });

  it('moves the SSH keys into the app user\'s home and keeps the old secrets before the first start', () => {
    const m = migrationOf(nativeDockerRun([FORGEJO]), 'forgejo');
    expect(m.steps.map((s) => s.title)).toEqual([
      'Stop forgejo on the old host',
      'Keep /srv/forgejo',
      'Move /srv/forgejo/git/.ssh into /srv/forgejo',
      'Keep the secrets of the old app.ini',
      'Switch to the new configuration',
      'Give the state to forgejo',
      'Check forgejo.service',
    ]);
    expect(m.steps[3]!.detail).toContain('sed -n "s/^${k%%:*} *= *//p" /srv/forgejo/gitea/conf/app.ini');
    expect(m.steps[3]!.detail).toContain('/srv/forgejo/custom/conf/${k#*:}');
    expect(m.health).toBe('curl -fsS http://127.0.0.1:3000/api/healthz');
    expect(m.differences.join('\n')).toMatch(/clone URLs become forgejo@host:owner\/repo\.git on port 22/);
  });

  it('a PostgreSQL container: the module\'s local database, dump before and restore after the switch', () => {
    const c = nativeDockerRun(['docker run -d --name forgejo -e FORGEJO__database__DB_TYPE=postgres -e FORGEJO__database__HOST=forgejo-db:5432 -e FORGEJO__database__NAME=forgejo -e FORGEJO__database__USER=forgejo -e FORGEJO__database__PASSWD=pg-pw-11 -p 3000:3000 -v /srv/forgejo:/data codeberg.org/forgejo/forgejo:11']);
    expect(c.option('services', 'forgejo', 'database')).toEqual({ type: 'postgres' });
    expect(fateOf(c.report, '-e FORGEJO__database__PASSWD=…')).toMatch(/^dropped: the module's own database/);
    const titles = migrationOf(c, 'forgejo').steps.map((s) => s.title);
    expect(titles[0]).toBe('Dump the forgejo database from forgejo-db');
    expect(titles.indexOf('Restore the forgejo database')).toBeGreaterThan(titles.indexOf('Switch to the new configuration'));
    expect(catalogProblems(c)).toEqual([]);
  });
});
