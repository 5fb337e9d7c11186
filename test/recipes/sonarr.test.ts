import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { catalogChecked, catalogProblems } from './catalog-of.ts';
import { containerUnit, diagnostics, migrationOf, nativeDockerRun, nativeUnits, unaccounted } from './helpers.ts';

/** linuxserver's documented `docker run` for Sonarr, with the host paths of a NAS. */
const LSIO = 'docker run -d --name=sonarr -e PUID=1000 -e PGID=1000 -e TZ=Etc/UTC -p 8989:8989 -v /srv/sonarr/config:/config -v /srv/media/tv:/tv -v /srv/downloads:/downloads --restart unless-stopped lscr.io/linuxserver/sonarr:latest';

describe('sonarr recipe', () => {
  it('linuxserver: dataDir is the old /config, the port is the module\'s, openFirewall opens exactly it', () => {
    const c = nativeDockerRun([LSIO]);
    expect(c.run.plan.services.map((s) => s.strategy)).toEqual(['native']);
    expect(c.option('services', 'sonarr')).toEqual({ enable: true, dataDir: '/srv/sonarr/config', openFirewall: true });
    // --restart unless-stopped: restart always, over the module's on-failure.
    expect(c.option('systemd', 'services', 'sonarr')).toEqual({ serviceConfig: { Restart: 'always' }, startLimitIntervalSec: 0 });
    expect(c.option('virtualisation', 'docker')).toBeUndefined();
    expect(c.option('networking', 'firewall')).toBeUndefined();
    expect(fateOf(c.report, '-e PUID=1000')).toMatch(/^dropped: container-image machinery: the module runs the app as `sonarr`/);
    expect(unaccounted(c)).toEqual([]);
    expect(catalogProblems(c)).toEqual([]);
    expect(catalogChecked(c)).toBeGreaterThan(3);
  });

  it('orders the move and names the health endpoint; the series folders are re-pointed in the app', () => {
    const m = migrationOf(nativeDockerRun([LSIO]), 'sonarr');
    expect(m.steps.map((s) => s.title)).toEqual(['Stop sonarr on the old host', 'Keep /srv/sonarr/config', 'Switch to the new configuration', 'Give the state to sonarr', 'Check sonarr.service']);
    expect(m.steps[3]!.detail).toContain('`chown -R sonarr:sonarr /srv/sonarr/config`');
    expect(m.health).toBe('curl -fsS http://127.0.0.1:8989/ping');
    expect(m.reconfigure.join('\n')).toContain('/tv → /srv/media/tv');
    expect(m.differences.join('\n')).toMatch(/ProtectHome=true/);
  });

  it('offers to bind the old library paths writable, as they were mounted: Sonarr moves files into them', () => {
    const [warning] = nativeDockerRun([LSIO]).report.diagnostics.filter((d) => d.code === 'native/media-paths');
    expect(warning?.hint).toContain('serviceConfig.BindPaths = [ "/srv/media/tv:/tv" "/srv/downloads:/downloads" ]');
    expect(warning?.hint).not.toContain('BindReadOnlyPaths');
  });

  it('a named volume is copied into the module\'s default directory, .config/NzbDrone', () => {
    const c = nativeDockerRun(['docker run -d --name sonarr -p 8989:8989 -v sonarr_config:/config ghcr.io/hotio/sonarr:release']);
    expect(c.option('services', 'sonarr')).toEqual({ enable: true, openFirewall: true });
    const m = migrationOf(c, 'sonarr');
    expect(m.steps[1]).toEqual({
      title: 'Copy /config of the old container to /var/lib/sonarr/.config/NzbDrone',
      detail: expect.stringContaining('`rsync -aHAX /var/lib/docker/volumes/sonarr_config/_data/ /var/lib/sonarr/.config/NzbDrone/`'),
    });
    expect(m.steps[3]!.detail).toContain('`chown -R sonarr:sonarr /var/lib/sonarr/.config/NzbDrone`');
  });

  it('another published port becomes settings.server.port (Sonarr reads SONARR__SERVER__PORT); a bound one the bind address', () => {
    const c = nativeDockerRun(['docker run -d --name sonarr -p 10.0.0.2:8990:8989 -e SONARR__LOG__ANALYTICSENABLED=False -e SONARR__AUTH__APIKEY=0123456789abcdef0123456789abcdef -v /srv/sonarr:/config lscr.io/linuxserver/sonarr']);
    expect(c.option('services', 'sonarr')).toEqual({
      enable: true,
      dataDir: '/srv/sonarr',
      settings: { server: { port: 8990, bindaddress: '10.0.0.2' }, log: { analyticsEnabled: false } },
      openFirewall: true,
    });
    // The API key is a secret: an environment file outside the store, next to the module's environmentFiles.
    expect(c.option('systemd', 'services', 'sonarr', 'serviceConfig', 'EnvironmentFile')).toEqual(['/var/lib/secrets/sonarr.env']);
    expect(c.run.layout.files.filter((f) => f.path.endsWith('.nix')).map((f) => String(f.content)).join('\n')).not.toContain('0123456789abcdef0123456789abcdef');
    expect(migrationOf(c, 'sonarr').health).toBe('curl -fsS http://10.0.0.2:8990/ping');
    expect(catalogProblems(c)).toEqual([]);
  });

  it('warns when a library is under /home, which the unit cannot see', () => {
    const c = nativeDockerRun(['docker run -d --name sonarr -p 8989:8989 -v /srv/sonarr:/config -v /home/anna/tv:/tv lscr.io/linuxserver/sonarr']);
    expect(diagnostics(c, 'native/protect-home')).toEqual(['sonarr: /home/anna/tv is under /home or /root, which sonarr.service cannot see (the module sets ProtectHome=true)']);
  });

  it('a unit with a mount: the module\'s unit waits for it', () => {
    const run = '--name sonarr -p 8989:8989 -v /srv/sonarr:/config -v /srv/tv:/tv lscr.io/linuxserver/sonarr:4.0.14';
    const c = nativeUnits({ 'sonarr.service': containerUnit(run, { unit: 'After=srv.mount\nRequires=srv.mount' }), 'srv.mount': '[Unit]\n[Mount]\nWhat=/dev/sdb1\nWhere=/srv\nType=ext4' });
    expect(c.option('systemd', 'services', 'sonarr')).toMatchObject({ unitConfig: { RequiresMountsFor: ['/srv'] }, wantedBy: ['srv.mount'] });
    expect(unaccounted(c)).toEqual([]);
  });
});
