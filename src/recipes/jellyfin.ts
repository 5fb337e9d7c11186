import type { ModuleRecipe } from './types.ts';

/**
 * Jellyfin (post, N4). nixpkgs: nixos/modules/services/misc/jellyfin.nix.
 * The module passes --datadir/--configdir/--cachedir/--logdir, with
 * configDir = dataDir/config and logDir = dataDir/log by default, runs as
 * `jellyfin` with Restart=on-failure, and opens 8096/8920 TCP and
 * 1900/7359 UDP with openFirewall. Images lay their state out differently:
 * linuxserver's /config holds the config files, with data/, cache/ and log/
 * below it (JELLYFIN_DATA_DIR=/config/data, ...); the official image keeps
 * the data dir in /config (config/ and log/ below it) and the cache in /cache.
 */

const LINUXSERVER = ['lscr.io/linuxserver/', 'linuxserver/', 'ghcr.io/linuxserver/', 'ghcr.io/hotio/', 'hotio/'];
const OFFICIAL = ['jellyfin/', 'ghcr.io/jellyfin/'];

export const jellyfin: ModuleRecipe = {
  kind: 'module',
  app: 'jellyfin',
  title: 'Jellyfin media server',
  images: ['lscr.io/linuxserver/jellyfin', 'linuxserver/jellyfin', 'ghcr.io/linuxserver/jellyfin', 'hotio/jellyfin', 'ghcr.io/hotio/jellyfin', 'jellyfin/jellyfin', 'ghcr.io/jellyfin/jellyfin'],
  module: 'services.jellyfin',
  unit: { name: 'jellyfin', sets: { Restart: { value: 'on-failure', priority: 'plain' } } },
  user: { user: 'jellyfin', group: 'jellyfin' },
  ports: [
    { container: 8096, what: 'web UI and API (HTTP)', port: 8096 },
    { container: 8920, what: 'web UI (HTTPS)', port: 8920 },
    { container: 1900, protocol: 'udp', what: 'DLNA discovery', port: 1900 },
    { container: 7359, protocol: 'udp', what: 'client discovery', port: 7359 },
  ],
  firewall: { option: 'openFirewall', tcp: [8096, 8920], udp: [1900, 7359] },
  volumes: [
    {
      // As the post's jellyfin.nix: the old /config is the module's configDir (dataDir/config).
      target: '/config',
      images: LINUXSERVER,
      holds: 'configuration (XML), with the library database in data/, the cache in cache/ and logs in log/',
      set: { dataDir: (source) => parentOf(source), cacheDir: (source) => `${source}/cache` },
      // It stays where it is: the module's configDir (dataDir/config) is the old /config.
      at: (source) => source,
      moves: [{ from: 'data/*', to: '..' }],
    },
    {
      target: '/config',
      images: OFFICIAL,
      holds: 'the data directory: library database, metadata, plugins, with config/ and log/ below it',
      set: { dataDir: (source) => source },
    },
    { target: '/cache', images: OFFICIAL, holds: 'the transcoding and image cache', set: { cacheDir: (source) => source } },
  ],
  mediaVolumes: true,
  environment: [
    { name: 'JELLYFIN_PublishedServerUrl', drop: 'set the published server URL in the web UI (Networking); the module has no option for it' },
    { name: /^(NVIDIA_|DOCKER_MODS)/, drop: 'container-image machinery; hardware acceleration is services.jellyfin.hardwareAcceleration on NixOS' },
  ],
  health: { path: '/health', port: 8096 },
  differences: [
    'runs as the system user `jellyfin` (the container ran as PUID/PGID or root); the state must belong to it',
    'HTTP ports are set in the web UI, not by NixOS: the module always opens 8096/8920 TCP and 1900/7359 UDP with openFirewall',
    'the module starts jellyfin.service at boot with Restart=on-failure and UMask 0077 (new files are private to `jellyfin`)',
  ],
  reconfigure: [
    'Dashboard → Networking: check the ports and the published server URL',
    'Dashboard → Playback → Transcoding: the ffmpeg path is the nixpkgs jellyfin-ffmpeg now; hardware acceleration is services.jellyfin.hardwareAcceleration',
  ],
};

function parentOf(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  return slash <= 0 ? '/' : trimmed.slice(0, slash);
}
