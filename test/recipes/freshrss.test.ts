import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { catalogProblems } from './catalog-of.ts';
import { diagnostics, migrationOf, nativeDockerRun, unaccounted } from './helpers.ts';

const OFFICIAL = "docker run -d --name freshrss -p 8081:80 -e TZ=Europe/Paris -e CRON_MIN=1,31 -e 'FRESHRSS_INSTALL=--api-enabled --base-url https://rss.example.org --default-user alice --language en' -e 'FRESHRSS_USER=--api-password Api-4d3c2b1a --email alice@example.org --language en --password Fr-Pw-8h7g6f5e --user alice' -v freshrss_data:/var/www/FreshRSS/data -v freshrss_extensions:/var/www/FreshRSS/extensions freshrss/freshrss:1.24.3";

describe('freshrss recipe', () => {
  it('the install and user options become the module\'s: base URL, default user, the password in passwordFile; nginx listens on the published port', () => {
    const c = nativeDockerRun([OFFICIAL]);
    expect(c.option('services', 'freshrss')).toEqual({
      enable: true,
      dataDir: '/var/lib/freshrss',
      baseUrl: 'https://rss.example.org',
      defaultUser: 'alice',
      passwordFile: '/var/lib/secrets/freshrss-password',
    });
    expect(c.option('services', 'nginx', 'virtualHosts', 'freshrss', 'listen')).toEqual([{ addr: '0.0.0.0', port: 8081 }]);
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toEqual([8081]);
    const nix = c.run.layout.files.filter((f) => f.path.endsWith('.nix')).map((f) => String(f.content)).join('\n');
    expect(nix).not.toContain('Fr-Pw-8h7g6f5e');
    expect(fateOf(c.report, '-v freshrss_extensions:/var/www/FreshRSS/extensions')).toMatch(/^dropped: extensions are packages natively/);
    expect(fateOf(c.report, '-e CRON_MIN=1,31')).toMatch(/^dropped: freshrss-updater\.service refreshes the feeds/);
    expect(catalogProblems(c)).toEqual([]);
    expect(unaccounted(c)).toEqual([]);
  });

  it('checks the database type first, copies the named volume, gives it to freshrss', () => {
    const m = migrationOf(nativeDockerRun([OFFICIAL]), 'freshrss');
    expect(m.steps.map((s) => s.title)).toEqual([
      'Check the database settings before the switch',
      'Stop freshrss on the old host',
      'Copy /var/www/FreshRSS/data of the old container to /var/lib/freshrss',
      'Switch to the new configuration',
      'Give the state to freshrss',
      'Check phpfpm-freshrss.service',
    ]);
    expect(m.health).toBe('curl -fsS http://127.0.0.1:8081/');
  });

  it('linuxserver\'s /config: the data below it stays; the password and base URL are the user\'s to give', () => {
    const c = nativeDockerRun(['docker run -d --name rss -p 80:80 -e PUID=1000 -v /srv/freshrss:/config lscr.io/linuxserver/freshrss:latest']);
    expect(c.option('services', 'freshrss')).toMatchObject({ dataDir: '/srv/freshrss/www/freshrss/data', baseUrl: 'http://localhost', passwordFile: '/var/lib/secrets/rss-password' });
    expect(diagnostics(c, 'freshrss/base-url')).toHaveLength(1);
    const m = migrationOf(c, 'rss');
    expect(m.steps.map((s) => s.title)).toEqual([
      'Check the database settings before the switch',
      'Write the FreshRSS password',
      'Stop rss on the old host',
      'Keep /srv/freshrss/www/freshrss/data',
      'Switch to the new configuration',
      'Give the data to freshrss',
      'Check phpfpm-freshrss.service',
    ]);
    expect(m.reconfigure.join('\n')).toMatch(/defaultUser/);
    expect(catalogProblems(c)).toEqual([]);
  });
});
