import { describe, expect, it } from 'vitest';
import { catalogProblems } from './catalog-of.ts';
import { containerUnit, diagnostics, migrationOf, nativeDockerRun, nativeUnits, unaccounted } from './helpers.ts';

const RUN = '--name audiobookshelf -p 13378:80 -v /srv/abs/config:/config -v /srv/abs/metadata:/metadata -v /srv/media/audiobooks:/audiobooks -v /srv/media/podcasts:/podcasts ghcr.io/advplyr/audiobookshelf:2.17.5';

describe('audiobookshelf recipe', () => {
  it('port and address from the published port, the state copied to /var/lib/audiobookshelf, /metadata kept inside the unit', () => {
    const c = nativeUnits({ 'audiobookshelf.service': containerUnit(RUN) });
    expect(c.option('services', 'audiobookshelf')).toEqual({ enable: true, port: 13378, host: '0.0.0.0', openFirewall: true });
    expect(c.option('systemd', 'services', 'audiobookshelf', 'serviceConfig')).toEqual({ BindPaths: ['/var/lib/audiobookshelf/metadata:/metadata'], Restart: 'always' });
    expect(diagnostics(c, 'native/media-paths')).toEqual([expect.stringContaining('/audiobooks → /srv/media/audiobooks, /podcasts → /srv/media/podcasts')]);
    expect(catalogProblems(c)).toEqual([]);
    expect(unaccounted(c)).toEqual([]);
  });

  it('copies config/ and metadata/ where the package\'s wrapper looks for them, then gives them to audiobookshelf', () => {
    const c = nativeUnits({ 'audiobookshelf.service': containerUnit(RUN) });
    const m = migrationOf(c, 'audiobookshelf');
    expect(m.steps.map((s) => s.title)).toEqual([
      'Stop audiobookshelf on the old host',
      'Copy /config of the old container to /var/lib/audiobookshelf/config',
      'Copy /metadata of the old container to /var/lib/audiobookshelf/metadata',
      'Switch to the new configuration',
      'Give the state to audiobookshelf',
      'Check audiobookshelf.service',
    ]);
    expect(m.steps[1]!.detail).toContain('rsync -aHAX /srv/abs/config/ /var/lib/audiobookshelf/config/');
    expect(m.steps[4]!.detail).toContain('chown -R audiobookshelf:audiobookshelf /var/lib/audiobookshelf/config /var/lib/audiobookshelf/metadata');
    expect(m.health).toBe('curl -fsS http://127.0.0.1:13378/healthcheck');
  });

  it('the Docker Hub image, bound to one address', () => {
    const c = nativeDockerRun(['docker run -d --name abs -p 192.168.1.5:8000:80 -v abs-config:/config advplyr/audiobookshelf']);
    expect(c.option('services', 'audiobookshelf')).toEqual({ enable: true, host: '192.168.1.5', openFirewall: true });
    expect(migrationOf(c, 'abs').steps[1]!.detail).toContain('/var/lib/docker/volumes/abs-config/_data/ /var/lib/audiobookshelf/config/');
  });
});
