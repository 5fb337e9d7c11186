import { hotio, linuxserver } from './images.ts';
import type { ModuleRecipe } from './types.ts';

/**
 * Bazarr. nixpkgs: nixos/modules/services/misc/bazarr.nix: dataDir
 * "/var/lib/bazarr" (tmpfiles creates whatever it is, 0700 bazarr),
 * listenPort 6767 (`--port`), openFirewall (the listen port), user and
 * group `bazarr` (a system user whose home is dataDir); the unit runs
 * `bazarr --config <dataDir> --port <listenPort> --no-update True` with
 * Restart=on-failure.
 *
 * linuxserver runs `bazarr --no-update --config /config --port 6767`, so
 * /config holds what dataDir holds (config/, db/, log/, backup/). Bazarr
 * reads the media through the paths Sonarr and Radarr report (or its
 * path mappings), which live in its database.
 */
export const bazarr: ModuleRecipe = {
  kind: 'module',
  app: 'bazarr',
  title: 'Bazarr subtitle manager',
  images: [...linuxserver('bazarr'), ...hotio('bazarr')],
  module: 'services.bazarr',
  unit: { name: 'bazarr', sets: { Restart: { value: 'on-failure', priority: 'plain' } } },
  user: { user: 'bazarr', group: 'bazarr' },
  ports: [{ container: 6767, what: 'web UI and API', option: 'listenPort', port: 6767 }],
  firewall: { option: 'openFirewall', tcp: [{ option: 'listenPort', default: 6767 }], udp: [] },
  volumes: [
    {
      target: '/config',
      holds: 'Bazarr\'s configuration (config/config.yaml), database (db/) and backups',
      set: { dataDir: (source) => source },
      defaultDir: '/var/lib/bazarr',
    },
  ],
  mediaVolumes: true,
  health: { path: '/', port: 6767 },
  differences: [
    'runs as the system user `bazarr` instead of PUID/PGID; the media folders must be writable by it (subtitles are written next to the videos)',
    'Bazarr listens on every address: the module has no option for the listen address (set it in Settings → General)',
  ],
  reconfigure: [
    'Settings → Sonarr / Radarr: their addresses were container names; use the host\'s address (or localhost) now',
    'Settings → Sonarr / Radarr → Path Mappings: map the paths Sonarr and Radarr report to the host paths Bazarr sees now',
  ],
};
