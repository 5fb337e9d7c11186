import { describe, expect, it } from 'vitest';
import { catalogProblems } from './catalog-of.ts';
import { migrationOf, nativeDockerRun, unaccounted } from './helpers.ts';

describe('syncthing recipe', () => {
  it('linuxserver: configDir from /config, the GUI where it was published, the sync ports by openDefaultPorts', () => {
    const c = nativeDockerRun([
      'docker run -d --name=syncthing --hostname=syncthing -e PUID=1000 -e PGID=1000 -e TZ=Etc/UTC -p 8384:8384 -p 22000:22000/tcp -p 22000:22000/udp -p 21027:21027/udp -v /srv/syncthing/config:/config -v /srv/photos:/data1 --restart unless-stopped lscr.io/linuxserver/syncthing:latest',
    ]);
    expect(c.option('services', 'syncthing')).toEqual({
      enable: true,
      configDir: '/srv/syncthing/config',
      guiAddress: '0.0.0.0:8384',
      openDefaultPorts: true,
      overrideDevices: false,
      overrideFolders: false,
    });
    // openDefaultPorts leaves the GUI closed; it was published, so it is opened.
    expect(c.option('networking', 'firewall')).toEqual({ allowedTCPPorts: [8384] });
    const m = migrationOf(c, 'syncthing');
    expect(m.steps.map((s) => s.title)).toEqual(['Stop syncthing on the old host', 'Keep /srv/syncthing/config', 'Switch to the new configuration', 'Give the state to syncthing', 'Check syncthing.service']);
    expect(m.health).toBe('curl -fsS http://127.0.0.1:8384/rest/noauth/health');
    expect(m.reconfigure.join('\n')).toContain('/data1 → /srv/photos');
    expect(unaccounted(c)).toEqual([]);
    expect(catalogProblems(c)).toEqual([]);
  });

  it('the official image on the host network: dataDir is the volume, config/ below it, the GUI on every address', () => {
    const c = nativeDockerRun(['docker run -d --name syncthing --network=host -e STGUIADDRESS= -v /srv/st:/var/syncthing syncthing/syncthing:2']);
    expect(c.option('services', 'syncthing')).toEqual({
      enable: true,
      dataDir: '/srv/st',
      configDir: '/srv/st/config',
      guiAddress: '0.0.0.0:8384',
      openDefaultPorts: true,
      overrideDevices: false,
      overrideFolders: false,
    });
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toEqual([8384]);
    expect(migrationOf(c, 'syncthing').steps[3]!.detail).toContain('`chown -R syncthing:syncthing /srv/st`');
    expect(unaccounted(c)).toEqual([]);
    expect(catalogProblems(c)).toEqual([]);
  });

  it('a GUI published on loopback stays there (the module\'s default address)', () => {
    const c = nativeDockerRun(['docker run -d --name syncthing -p 127.0.0.1:8384:8384 -p 22000:22000 -v /srv/st/config:/config lscr.io/linuxserver/syncthing']);
    expect(c.option('services', 'syncthing', 'guiAddress')).toBeUndefined();
    expect(c.option('services', 'syncthing', 'openDefaultPorts')).toBeUndefined();
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toEqual([22000]);
  });
});
