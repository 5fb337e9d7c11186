import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { catalogProblems } from './catalog-of.ts';
import { containerUnit, migrationOf, nativeDockerRun, nativeUnits, unaccounted } from './helpers.ts';

const RUN = '--name calibre-web -p 8083:8083 -e PUID=1000 -e PGID=1000 -e TZ=Etc/UTC -e DOCKER_MODS=linuxserver/mods:universal-calibre -v /srv/calibre-web:/config -v /srv/books:/books lscr.io/linuxserver/calibre-web:latest';

describe('calibre-web recipe', () => {
  it('app.db stays, the library path goes into options (the module writes it into app.db), conversions from the calibre mod', () => {
    const c = nativeUnits({ 'calibre-web.service': containerUnit(RUN) });
    expect(c.option('services', 'calibre-web')).toEqual({
      enable: true,
      dataDir: '/srv/calibre-web',
      listen: { ip: '0.0.0.0' },
      options: { calibreLibrary: '/srv/books', enableBookConversion: true },
      openFirewall: true,
    });
    expect(fateOf(c.report, '-e DOCKER_MODS=linuxserver/mods:universal-calibre')).toMatch(/^carried: services\.calibre-web\.options\.enableBookConversion/);
    expect(fateOf(c.report, '-e PUID=1000')).toMatch(/^dropped: container-image machinery: the module runs the app as `calibre-web`/);
    expect(catalogProblems(c)).toEqual([]);
    expect(unaccounted(c)).toEqual([]);
  });

  it('keeps /config, gives it to calibre-web, and never chowns the shared library', () => {
    const c = nativeUnits({ 'calibre-web.service': containerUnit(RUN) });
    const m = migrationOf(c, 'calibre-web');
    expect(m.steps.map((s) => s.title)).toEqual([
      'Stop calibre-web on the old host',
      'Keep /srv/calibre-web',
      'Let calibre-web write the library',
      'Switch to the new configuration',
      'Give the state to calibre-web',
      'Check calibre-web.service',
    ]);
    expect(m.steps[4]!.detail).toMatch(/chown -R calibre-web:calibre-web \/srv\/calibre-web`/);
    expect(m.reconfigure.join('\n')).toContain('enableBookUploading');
  });

  it('a named volume: the module\'s own directory below /var/lib', () => {
    const c = nativeDockerRun(['docker run -d --name cw -p 8090:8083 -v cw-config:/config -v /data/books:/books linuxserver/calibre-web']);
    expect(c.option('services', 'calibre-web')).toMatchObject({ dataDir: 'calibre-web', listen: { ip: '0.0.0.0', port: 8090 } });
    expect(migrationOf(c, 'cw').steps[1]!.title).toBe('Copy /config of the old container to /var/lib/calibre-web');
    expect(catalogProblems(c)).toEqual([]);
  });
});
