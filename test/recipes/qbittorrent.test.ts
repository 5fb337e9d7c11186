import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { catalogProblems } from './catalog-of.ts';
import { migrationOf, nativeDockerRun, unaccounted } from './helpers.ts';

describe('qbittorrent recipe', () => {
  it('linuxserver with WEBUI_PORT=8090: webuiPort and torrentingPort as the image passed them, TCP opened by the module', () => {
    const c = nativeDockerRun([
      'docker run -d --name=qbittorrent -e PUID=1000 -e PGID=1000 -e TZ=Etc/UTC -e WEBUI_PORT=8090 -e TORRENTING_PORT=6881 -p 8090:8090 -p 6881:6881 -p 6881:6881/udp -v /srv/qbittorrent/config:/config -v /srv/downloads:/downloads --restart unless-stopped lscr.io/linuxserver/qbittorrent:latest',
    ]);
    expect(c.option('services', 'qbittorrent')).toEqual({ enable: true, profileDir: '/srv/qbittorrent/config', webuiPort: 8090, torrentingPort: 6881, openFirewall: true });
    // openFirewall opens TCP only: the peer port's UDP is opened beside it.
    expect(c.option('networking', 'firewall')).toEqual({ allowedUDPPorts: [6881] });
    expect(fateOf(c.report, '-e WEBUI_PORT=8090')).toMatch(/^dropped: the web UI port is webuiPort/);
    expect(unaccounted(c)).toEqual([]);
    expect(catalogProblems(c)).toEqual([]);
  });

  it('moves the linuxserver layout into the --profile layout (config/ and data/)', () => {
    const m = migrationOf(nativeDockerRun(['docker run -d --name qbittorrent -p 8080:8080 -v /srv/qbt:/config -v /srv/dl:/downloads lscr.io/linuxserver/qbittorrent:5.1.2']), 'qbittorrent');
    expect(m.steps.map((s) => s.title)).toEqual([
      'Stop qbittorrent on the old host',
      'Keep /srv/qbt',
      'Move /srv/qbt/qBittorrent/qBittorrent.conf into /srv/qbt/qBittorrent/config',
      'Move /srv/qbt/qBittorrent/*.json into /srv/qbt/qBittorrent/config',
      'Move /srv/qbt/qBittorrent/BT_backup into /srv/qbt/qBittorrent/data',
      'Switch to the new configuration',
      'Give the state to qbittorrent',
      'Check qbittorrent.service',
    ]);
    expect(m.steps[4]!.detail).toContain('`mkdir -p /srv/qbt/qBittorrent/data && mv /srv/qbt/qBittorrent/BT_backup /srv/qbt/qBittorrent/data/`');
    expect(m.health).toBe('curl -fsS http://127.0.0.1:8080/');
    expect(m.reconfigure.join('\n')).toContain('/downloads → /srv/dl');
  });

  it('hotio: its /config is the profile\'s qBittorrent directory, copied under the module\'s profileDir', () => {
    const c = nativeDockerRun(['docker run -d --name qbittorrent -p 8080:8080 -e WEBUI_PORTS=8080/tcp,8080/udp -v /srv/qbt:/config ghcr.io/hotio/qbittorrent:release']);
    // hotio never passed --torrenting-port: qBittorrent keeps the port of its configuration, and only the web UI is opened.
    expect(c.option('services', 'qbittorrent')).toEqual({ enable: true });
    expect(c.option('networking', 'firewall')).toEqual({ allowedTCPPorts: [8080] });
    expect(migrationOf(c, 'qbittorrent').steps[1]!.title).toBe('Copy /config of the old container to /var/lib/qBittorrent/qBittorrent');
    expect(unaccounted(c)).toEqual([]);
  });

  it('on the host network the variables say the ports', () => {
    const c = nativeDockerRun(['docker run -d --name qbittorrent --network host -e WEBUI_PORT=8123 -e TORRENTING_PORT=50000 -v /srv/qbt:/config lscr.io/linuxserver/qbittorrent']);
    expect(c.option('services', 'qbittorrent')).toMatchObject({ webuiPort: 8123, torrentingPort: 50000, openFirewall: true });
    expect(fateOf(c.report, '-e WEBUI_PORT=8123')).toBe('carried: services.qbittorrent.webuiPort');
  });
});
