import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { containerUnit, migrationOf, nativeDockerRun, nativeUnits, unaccounted } from './helpers.ts';

describe('node-red recipe', () => {
  it('a unit: userDir and settings.js stay in place, the port and the palette keep working, the move is ordered', () => {
    const c = nativeUnits({ 'node-red.service': containerUnit('--name nodered -p 1880:1880 -e TZ=Europe/Berlin -e FLOWS=home.json -v /srv/nodered:/data nodered/node-red:4.0') });
    expect(c.option('services', 'node-red')).toEqual({
      enable: true,
      userDir: '/srv/nodered',
      configFile: '/srv/nodered/settings.js',
      define: { flowFile: 'home.json' },
      withNpmAndGcc: true,
      openFirewall: true,
    });
    expect(c.option('systemd', 'services', 'node-red')).toMatchObject({ startLimitIntervalSec: 0 });
    const m = migrationOf(c, 'node-red');
    expect(m.steps.map((s) => s.title)).toEqual([
      'Stop nodered on the old host',
      'Keep /srv/nodered',
      'Switch to the new configuration',
      'Give the state to node-red',
      'Rebuild the palette\'s nodes for the host',
      'Check node-red.service',
    ]);
    expect(m.steps[3]!.detail).toContain('chown -R node-red:node-red /srv/nodered');
    expect(m.health).toBe('curl -fsS http://127.0.0.1:1880/');
    expect(fateOf(c.report, '-e TZ=Europe/Berlin')).toMatch(/^dropped: the host's time zone/);
    expect(unaccounted(c)).toEqual([]);
  });

  it('a named volume moves to the module\'s default userDir; another published port sets services.node-red.port', () => {
    const c = nativeDockerRun(['docker run -d --name nr -p 127.0.0.1:8880:1880 -v node_red_data:/data nodered/node-red']);
    expect(c.option('services', 'node-red')).toMatchObject({ userDir: '/var/lib/node-red', configFile: '/var/lib/node-red/settings.js', port: 8880 });
    // Bound to loopback before: nothing was reachable from outside, nothing is opened.
    expect(c.option('services', 'node-red', 'openFirewall')).toBeUndefined();
    expect(c.option('networking', 'firewall')).toBeUndefined();
    expect(migrationOf(c, 'nr').steps[1]!.title).toBe('Copy /data of the old container to /var/lib/node-red');
    expect(migrationOf(c, 'nr').steps[1]!.detail).toContain('rsync -aHAX /var/lib/docker/volumes/node_red_data/_data/ /var/lib/node-red/');
  });
});
