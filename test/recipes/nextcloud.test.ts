import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { catalogProblems } from './catalog-of.ts';
import { diagnostics, migrationOf, nativeDockerRun, unaccounted } from './helpers.ts';

/** The official image's compose setup as one `docker run`: MariaDB and Redis containers beside it. */
const OFFICIAL =
  'docker run -d --name nextcloud -p 8080:80 -e MYSQL_HOST=db -e MYSQL_DATABASE=nextcloud -e MYSQL_USER=nextcloud -e MYSQL_PASSWORD=db-pass-4d8e2a -e NEXTCLOUD_TRUSTED_DOMAINS="cloud.example.org 192.168.1.10" -e REDIS_HOST=redis -e SMTP_HOST=smtp.example.org -e SMTP_PORT=587 -e SMTP_NAME=cloud@example.org -e SMTP_PASSWORD=mail-pass-77c1 -v /srv/nextcloud:/var/www/html nextcloud:32-apache';

describe('nextcloud recipe', () => {
  it('the official image: datadir is /var/www/html, the same major, a local MariaDB, nginx on the published port', () => {
    const c = nativeDockerRun([OFFICIAL]);
    const nc = c.option('services', 'nextcloud') as Record<string, unknown>;
    expect(nc).toMatchObject({
      enable: true,
      hostName: 'cloud.example.org',
      datadir: '/srv/nextcloud',
      config: { adminuser: null, adminpassFile: null, dbtype: 'mysql' },
      database: { createLocally: true },
      secrets: { mail_smtppassword: '/var/lib/secrets/nextcloud-smtp_password' },
      settings: { trusted_domains: ['192.168.1.10'], mail_smtphost: 'smtp.example.org', mail_smtpport: 587, mail_smtpname: 'cloud@example.org', mail_smtpauth: true, mail_smtpmode: 'smtp' },
    });
    expect(String(nc['package'])).toMatch(/-nextcloud32$/);
    expect(c.option('services', 'nginx', 'virtualHosts', 'cloud.example.org', 'listen')).toEqual([
      { addr: '0.0.0.0', port: 8080 },
      { addr: '[::]', port: 8080 },
    ]);
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toEqual([8080]);
    expect(fateOf(c.report, '-e MYSQL_PASSWORD=…')).toMatch(/^dropped: the module's own database/);
    expect(c.run.layout.files.filter((f) => f.path.endsWith('.nix')).map((f) => String(f.content)).join('\n')).not.toMatch(/db-pass-4d8e2a|mail-pass-77c1/);
    expect(unaccounted(c)).toEqual([]);
    expect(catalogProblems(c)).toEqual([]);
  });

  it('orders the move: dump while the database runs, keep the web root, move the store apps, restore after the switch', () => {
    const m = migrationOf(nativeDockerRun([OFFICIAL]), 'nextcloud');
    expect(m.steps.map((s) => s.title)).toEqual([
      'Dump the nextcloud database from db',
      'Stop nextcloud on the old host',
      'Keep /srv/nextcloud',
      'Move the app-store apps',
      'Switch to the new configuration',
      'Give the state to nextcloud',
      'Let NixOS take over config.php',
      'Restore the nextcloud database',
      'Check phpfpm-nextcloud.service',
    ]);
    expect(m.steps[0]!.detail).toContain('`docker exec db sh -c \'mysqldump --single-transaction -u"$MYSQL_USER" -p"$MYSQL_PASSWORD" "$MYSQL_DATABASE"\' > /root/nextcloud-db.sql`');
    expect(m.steps[7]!.detail).toContain('sudo -u nextcloud mysql nextcloud < /root/nextcloud-db.sql');
    expect(m.health).toBe('curl -fsS http://127.0.0.1:8080/status.php');
  });

  it('linuxserver: config.php moves into the module\'s datadir, /data is the datadirectory, HTTPS is reported', () => {
    const c = nativeDockerRun(['docker run -d --name=nextcloud -e PUID=1000 -e PGID=1000 -e TZ=Etc/UTC -p 443:443 -v /srv/nc/config:/config -v /srv/nc/data:/data --restart unless-stopped lscr.io/linuxserver/nextcloud:latest']);
    expect(c.option('services', 'nextcloud')).toEqual({
      enable: true,
      hostName: 'nextcloud',
      config: { adminuser: null, adminpassFile: null, dbtype: 'sqlite' },
      settings: { datadirectory: '/srv/nc/data' },
    });
    const m = migrationOf(c, 'nextcloud');
    expect(m.steps.slice(1, 4).map((s) => s.title)).toEqual(['Copy /config of the old container to /var/lib/nextcloud', 'Move /var/lib/nextcloud/www/nextcloud/config into /var/lib/nextcloud', 'Keep /srv/nc/data']);
    expect(fateOf(c.report, '-p 443:443')).toMatch(/^unsupported: HTTPS with the image's self-signed certificate/);
    expect(diagnostics(c, 'nextcloud/version')).toEqual([expect.stringContaining('names no Nextcloud version')]);
    expect(diagnostics(c, 'nextcloud/host-name')).toHaveLength(1);
    expect(unaccounted(c)).toEqual([]);
    expect(catalogProblems(c)).toEqual([]);
  });

  it('a major nixpkgs does not package is an error with the way forward', () => {
    const c = nativeDockerRun(['docker run -d --name nc -p 80:80 -v /srv/nc:/var/www/html nextcloud:30']);
    const [error] = c.report.diagnostics.filter((d) => d.code === 'nextcloud/version');
    expect(error?.severity).toBe('error');
    expect(error?.hint).toBe('upgrade the container major by major to 32 first');
    expect(c.option('services', 'nextcloud', 'package')).toBeUndefined();
  });
});
