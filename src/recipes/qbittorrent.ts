import { hotio, HOTIO_PREFIXES, linuxserver, LINUXSERVER_PREFIXES } from './images.ts';
import type { ModuleRecipe, RecipeContext } from './types.ts';
import { keptOr } from './container-facts.ts';

/**
 * qBittorrent (qbittorrent-nox). nixpkgs:
 * nixos/modules/services/torrent/qbittorrent.nix: profileDir
 * "/var/lib/qBittorrent/" (`--profile`; the configuration is
 * <profileDir>/qBittorrent/config/qBittorrent.conf, the state
 * <profileDir>/qBittorrent/data/), webuiPort 8080 (nullOr port,
 * `--webui-port`), torrentingPort null (`--torrenting-port`), openFirewall
 * (TCP only: webuiPort and torrentingPort), serverConfig (freeform INI;
 * when set, it overwrites qBittorrent.conf at every start), extraArgs,
 * user and group `qbittorrent` (a system user). The unit sets no Restart=.
 *
 * linuxserver (HOME=XDG_CONFIG_HOME=XDG_DATA_HOME=/config) keeps
 * /config/qBittorrent/qBittorrent.conf and /config/qBittorrent/BT_backup,
 * and runs `qbittorrent-nox --webui-port=$WEBUI_PORT
 * --torrenting-port=$TORRENTING_PORT` (8080 and 6881 by default); hotio
 * runs with `--profile=/app`, its /config being the profile's qBittorrent/
 * directory (config/qBittorrent.conf, data/).
 */

export const qbittorrent: ModuleRecipe = {
  kind: 'module',
  app: 'qbittorrent',
  title: 'qBittorrent (qbittorrent-nox)',
  images: [...linuxserver('qbittorrent'), ...hotio('qbittorrent')],
  module: 'services.qbittorrent',
  unit: { name: 'qbittorrent' },
  user: { user: 'qbittorrent', group: 'qbittorrent' },
  ports: [
    { container: 8080, containerEnv: 'WEBUI_PORT', what: 'web UI', option: 'webuiPort', port: 8080 },
    { container: 6881, containerEnv: 'TORRENTING_PORT', what: 'BitTorrent peers', option: 'torrentingPort', port: 6881 },
    { container: 6881, containerEnv: 'TORRENTING_PORT', protocol: 'udp', what: 'BitTorrent peers (uTP, DHT)', option: 'torrentingPort', port: 6881 },
  ],
  firewall: { option: 'openFirewall', tcp: [{ option: 'webuiPort', default: 8080 }, { option: 'torrentingPort', default: 6881 }], udp: [] },
  volumes: [
    {
      target: '/config',
      images: [...LINUXSERVER_PREFIXES],
      holds: 'qBittorrent/qBittorrent.conf (settings, the web UI login), qBittorrent/BT_backup (the torrents), categories and RSS',
      set: { profileDir: keptOr('/var/lib/qBittorrent') },
      moves: [
        { from: 'qBittorrent/qBittorrent.conf', to: 'qBittorrent/config' },
        { from: 'qBittorrent/*.json', to: 'qBittorrent/config' },
        { from: 'qBittorrent/BT_backup', to: 'qBittorrent/data' },
      ],
    },
    {
      target: '/config',
      images: [...HOTIO_PREFIXES],
      holds: 'the profile\'s qBittorrent/ directory: config/qBittorrent.conf and data/ (the torrents)',
      defaultDir: '/var/lib/qBittorrent/qBittorrent',
    },
  ],
  mediaVolumes: true,
  environment: [
    { name: 'WEBUI_PORT', drop: 'the web UI port is webuiPort, set from the published port' },
    { name: 'TORRENTING_PORT', drop: 'the peer port is torrentingPort, set from the published port' },
    { name: 'WEBUI_PORTS', drop: 'hotio\'s list of web UI ports; webuiPort is set from the published port' },
  ],
  health: { path: '/', port: 8080 },
  differences: [
    'runs as the system user `qbittorrent` instead of PUID/PGID; the download folders must be writable by it',
    'serverConfig is left empty, so qBittorrent.conf stays yours: the web UI may change it as before',
    'openFirewall opens TCP only; the peer port\'s UDP (uTP, DHT) is opened in networking.firewall',
  ],
  reconfigure: ['Tools → Options → Downloads: the save paths (and categories\' paths) name the container paths; point them at the host paths, or see the media-paths warning'],
  extra: ports,
};

/**
 * linuxserver always passed `--torrenting-port` (6881 unless
 * TORRENTING_PORT said otherwise); the module passes it only when
 * torrentingPort is set, so it is set always. On the host network nothing
 * is published: the variables say the ports.
 */
function ports(r: RecipeContext): void {
  const env = r.input.environment;
  const publishedAt = (container: number) => r.input.ports.find((p) => p.containerPort.from === container && p.hostPort !== undefined)?.hostPort?.from;
  const name = (r.input.base ?? r.input.reference)?.name ?? '';
  const isHotio = name.startsWith('ghcr.io/hotio/') || name.startsWith('docker.io/hotio/');
  const torrenting = Number(env.get('TORRENTING_PORT') ?? 6881);
  if (!isHotio && Number.isInteger(torrenting)) {
    r.set('torrentingPort', publishedAt(torrenting) ?? torrenting, 'The image always passed --torrenting-port; the module only does when this is set.');
    const flag = r.envFlag('TORRENTING_PORT');
    if (flag) r.claim(flag, 'services.qbittorrent.torrentingPort');
  }
  const webui = Number(env.get('WEBUI_PORT'));
  if (env.has('WEBUI_PORT') && publishedAt(webui) === undefined && Number.isInteger(webui) && webui !== 8080) {
    r.set('webuiPort', webui, 'WEBUI_PORT of the old container (on the host network).');
    const flag = r.envFlag('WEBUI_PORT');
    if (flag) r.claim(flag, 'services.qbittorrent.webuiPort');
  }
}
