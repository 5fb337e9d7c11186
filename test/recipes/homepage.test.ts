import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { catalogProblems } from './catalog-of.ts';
import { containerUnit, migrationOf, nativeDockerRun, nativeUnits, unaccounted } from './helpers.ts';

/** write_files with the dashboard's YAML, as a host provisioned with its configuration has them. */
const FILES = [
  'write_files:',
  '  - path: /srv/homepage/config/services.yaml',
  '    content: |',
  '      - Media:',
  '          - Jellyfin:',
  '              href: http://nas:8096',
  '              widget:',
  '                type: jellyfin',
  '                key: "{{HOMEPAGE_VAR_JELLYFIN_KEY}}"',
  '  - path: /srv/homepage/config/settings.yaml',
  '    content: |',
  '      title: Home',
  '      theme: dark',
  '  - path: /srv/homepage/config/custom.css',
  '    content: |',
  '      body { font-size: 14px; }',
].join('\n');

const RUN = '--name homepage -p 3000:3000 -e HOMEPAGE_ALLOWED_HOSTS=nas:3000 -e HOMEPAGE_VAR_JELLYFIN_KEY=3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f -e PUID=1000 -v /srv/homepage/config:/app/config -v /var/run/docker.sock:/var/run/docker.sock:ro ghcr.io/gethomepage/homepage:v1.2.0';

describe('homepage recipe', () => {
  it('the provisioned YAML becomes the module\'s options, value for value; the API key goes to a secret file', () => {
    const c = nativeUnits({ 'homepage.service': containerUnit(RUN) }, {}, FILES);
    expect(c.option('services', 'homepage-dashboard')).toEqual({
      enable: true,
      listenPort: 3000,
      allowedHosts: 'nas:3000',
      settings: { title: 'Home', theme: 'dark' },
      services: [{ Media: [{ Jellyfin: { href: 'http://nas:8096', widget: { type: 'jellyfin', key: '{{HOMEPAGE_VAR_JELLYFIN_KEY}}' } } }] }],
      customCSS: 'body { font-size: 14px; }\n',
      openFirewall: true,
    });
    expect(c.option('systemd', 'services', 'homepage-dashboard', 'serviceConfig', 'EnvironmentFile')).toEqual(['/var/lib/secrets/homepage.env']);
    const nix = c.run.layout.files.filter((f) => f.path.endsWith('.nix')).map((f) => String(f.content)).join('\n');
    expect(nix).not.toContain('3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f');
    expect(fateOf(c.report, '-v /srv/homepage/config:/app/config')).toBe('carried: services.homepage-dashboard');
    expect(fateOf(c.report, '-v /var/run/docker.sock:/var/run/docker.sock:ro')).toMatch(/^dropped: the Docker integration/);
    expect(catalogProblems(c)).toEqual([]);
    expect(unaccounted(c)).toEqual([]);
  });

  it('no state to move: stop, switch, check /api/healthcheck', () => {
    const c = nativeUnits({ 'homepage.service': containerUnit(RUN) }, {}, FILES);
    const m = migrationOf(c, 'homepage');
    expect(m.steps.map((s) => s.title)).toEqual(['Stop homepage on the old host', 'Switch to the new configuration', 'Check homepage-dashboard.service']);
    expect(m.health).toBe('curl -fsS http://127.0.0.1:3000/api/healthcheck');
  });

  it('configuration nixport cannot read is reported with the volume, and the allowed hosts must be set', () => {
    const c = nativeDockerRun(['docker run -d --name hp -p 8080:3000 -v /opt/homepage:/app/config ghcr.io/gethomepage/homepage']);
    expect(fateOf(c.report, '-v /opt/homepage:/app/config')).toMatch(/^unsupported: the configuration files of \/opt\/homepage are not among the files/);
    expect(migrationOf(c, 'hp').reconfigure.join('\n')).toMatch(/allowedHosts/);
    expect(c.option('services', 'homepage-dashboard', 'listenPort')).toBe(8080);
  });
});
