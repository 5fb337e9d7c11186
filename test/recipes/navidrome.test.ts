import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { catalogProblems } from './catalog-of.ts';
import { containerUnit, migrationOf, nativeDockerRun, nativeUnits, unaccounted } from './helpers.ts';

const RUN = '--name navidrome -p 4533:4533 -e ND_SCANSCHEDULE=1h -e ND_LOGLEVEL=info -e ND_LASTFM_SECRET=0a1b2c3d4e5f60718293a4b5c6d7e8f9 -e ND_MUSICFOLDER=/music -v /srv/navidrome:/data -v /srv/media/music:/music:ro deluan/navidrome:0.57.0';

describe('navidrome recipe', () => {
  it('data folder kept, music folder from the volume, ND_* passed on, secrets in environmentFile', () => {
    const c = nativeUnits({ 'navidrome.service': containerUnit(RUN) });
    expect(c.option('services', 'navidrome')).toEqual({
      enable: true,
      settings: { Address: '0.0.0.0', DataFolder: '/srv/navidrome', MusicFolder: '/srv/media/music' },
      environmentFile: '/var/lib/secrets/navidrome.env',
      openFirewall: true,
    });
    expect(c.option('systemd', 'services', 'navidrome', 'environment')).toEqual({ ND_SCANSCHEDULE: '1h', ND_LOGLEVEL: 'info' });
    expect(fateOf(c.report, '-e ND_MUSICFOLDER=/music')).toMatch(/^dropped: the \/music volume sets settings\.MusicFolder/);
    expect(fateOf(c.report, '-v /srv/media/music:/music:ro')).toMatch(/^carried: services\.navidrome\.settings\.MusicFolder/);
    const text = c.run.layout.files.filter((f) => !f.path.startsWith('secrets.local/')).map((f) => String(f.content)).join('\n');
    expect(text).not.toContain('0a1b2c3d4e5f60718293a4b5c6d7e8f9');
    expect(catalogProblems(c)).toEqual([]);
    expect(unaccounted(c)).toEqual([]);
  });

  it('orders the move and checks /ping; the music library is read, never given away', () => {
    const c = nativeUnits({ 'navidrome.service': containerUnit(RUN) });
    const m = migrationOf(c, 'navidrome');
    expect(m.steps.map((s) => s.title)).toEqual([
      'Stop navidrome on the old host',
      'Keep /srv/navidrome',
      'Let navidrome read the music',
      'Switch to the new configuration',
      'Give the state to navidrome',
      'Check navidrome.service',
    ]);
    expect(m.steps[4]!.detail).toContain('chown -R navidrome:navidrome /srv/navidrome`');
    expect(m.steps[4]!.detail).not.toContain('/srv/media/music');
    expect(m.health).toBe('curl -fsS http://127.0.0.1:4533/ping');
  });

  it('the GHCR image on another port: settings.Port follows the published port', () => {
    const c = nativeDockerRun(['docker run -d --name nd -p 8080:4533 -v nd-data:/data ghcr.io/navidrome/navidrome:latest']);
    expect(c.option('services', 'navidrome', 'settings')).toEqual({ Address: '0.0.0.0', Port: 8080, DataFolder: '/var/lib/navidrome' });
    expect(migrationOf(c, 'nd').steps[1]!.title).toBe('Copy /data of the old container to /var/lib/navidrome');
    expect(catalogProblems(c)).toEqual([]);
  });
});
