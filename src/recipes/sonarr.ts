import { servarrRecipe } from './servarr.ts';

/**
 * Sonarr. nixpkgs: nixos/modules/services/misc/servarr/sonarr.nix:
 * dataDir "/var/lib/sonarr/.config/NzbDrone" (StateDirectory only for that
 * default: another directory must exist and belong to `sonarr`), user and
 * group `sonarr` with static ids, port 8989; the unit is hardened
 * (ProtectHome, PrivateDevices, UMask 0022).
 */
export const sonarr = servarrRecipe({
  app: 'sonarr',
  title: 'Sonarr',
  name: 'Sonarr',
  port: 8989,
  dataDir: '/var/lib/sonarr/.config/NzbDrone',
  user: 'sonarr',
  protectHome: true,
  differences: [
    'runs as the system user `sonarr` (static uid/gid) instead of PUID/PGID; the data directory and the series folders must be readable (and writable) by it',
    'the unit is sandboxed: ProtectHome=true (nothing under /home is visible), PrivateDevices, UMask 0022 (new files are group-readable, not group-writable as with UMASK=002)',
  ],
  reconfigure: [],
});
