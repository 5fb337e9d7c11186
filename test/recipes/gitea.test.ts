import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { catalogProblems } from './catalog-of.ts';
import { migrationOf, nativeDockerRun, unaccounted } from './helpers.ts';

describe('gitea recipe', () => {
  it('gitea/gitea becomes services.gitea (not Forgejo), with the image\'s variables in settings', () => {
    const c = nativeDockerRun([
      'docker run -d --name=gitea -e USER_UID=1000 -e USER_GID=1000 -e GITEA__server__ROOT_URL=https://git.example.org/ -e GITEA__cron_0X2E_update_checker__ENABLED=false -e GITEA__mailer__PASSWD=mail-pw-5c -e GITEA__oauth2_client__SECRET_EXTRA=x-3f -p 3000:3000 -p 2222:22 -v /srv/gitea:/data -v /etc/timezone:/etc/timezone:ro --restart always gitea/gitea:1.24',
    ]);
    expect(c.run.plan.services.map((s) => s.native?.recipe.app)).toEqual(['gitea']);
    expect(c.option('services', 'gitea')).toEqual({
      enable: true,
      stateDir: '/srv/gitea',
      repositoryRoot: '/srv/gitea/git/repositories',
      database: { path: '/srv/gitea/gitea/gitea.db' },
      settings: { server: { APP_DATA_PATH: '/srv/gitea/gitea', ROOT_URL: 'https://git.example.org/' }, 'cron.update_checker': { ENABLED: false } },
      mailerPasswordFile: '/var/lib/secrets/gitea-gitea__mailer__passwd',
    });
    // Gitea's module has no generic secret files: a secret without an option is reported, not dropped silently.
    expect(fateOf(c.report, '-e GITEA__oauth2_client__SECRET_EXTRA=…')).toMatch(/^unsupported: a secret no option of services\.gitea reads/);
    expect(fateOf(c.report, '-v /etc/timezone:/etc/timezone:ro')).toMatch(/^dropped: the host's time zone/);
    expect(unaccounted(c)).toEqual([]);
    expect(catalogProblems(c)).toEqual([]);
  });

  it('SSH was published on 2222: the host\'s OpenSSH answers on 22, and the report says so', () => {
    const c = nativeDockerRun(['docker run -d --name gitea -p 3000:3000 -p 2222:22 -v /srv/gitea:/data gitea/gitea:1.24']);
    const m = migrationOf(c, 'gitea');
    expect(m.differences.join('\n')).toMatch(/published on port 2222; the app listens on 22/);
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toEqual([22, 3000]);
    expect(m.steps.map((s) => s.title)).toContain('Keep the secrets of the old app.ini');
  });
});
