import { servarrRecipe } from './servarr.ts';

/**
 * Lidarr. nixpkgs: nixos/modules/services/misc/servarr/lidarr.nix:
 * dataDir "/var/lib/lidarr/.config/Lidarr" (tmpfiles creates it, 0700
 * lidarr), user and group `lidarr` with static ids (home /var/lib/lidarr),
 * port 8686; no sandboxing beyond User/Group.
 */
export const lidarr = servarrRecipe({
  app: 'lidarr',
  title: 'Lidarr',
  name: 'Lidarr',
  port: 8686,
  dataDir: '/var/lib/lidarr/.config/Lidarr',
  user: 'lidarr',
  differences: ['runs as the system user `lidarr` (static uid/gid) instead of PUID/PGID; the data directory and the music folders must be readable (and writable) by it'],
  reconfigure: [],
});
