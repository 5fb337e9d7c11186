import { servarrRecipe } from './servarr.ts';

/**
 * Radarr. nixpkgs: nixos/modules/services/misc/servarr/radarr.nix:
 * dataDir "/var/lib/radarr/.config/Radarr" (tmpfiles creates whatever
 * dataDir is, 0700 radarr), user and group `radarr` with static ids, port
 * 7878; the unit is hardened like Sonarr's (ProtectHome, UMask 0022).
 */
export const radarr = servarrRecipe({
  app: 'radarr',
  title: 'Radarr',
  name: 'Radarr',
  port: 7878,
  dataDir: '/var/lib/radarr/.config/Radarr',
  user: 'radarr',
  protectHome: true,
  differences: [
    'runs as the system user `radarr` (static uid/gid) instead of PUID/PGID; the data directory and the movie folders must be readable (and writable) by it',
    'the unit is sandboxed: ProtectHome=true (nothing under /home is visible), PrivateDevices, UMask 0022',
  ],
  reconfigure: [],
});
