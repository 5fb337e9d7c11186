import { servarrRecipe } from './servarr.ts';
import type { ModuleRecipe } from './types.ts';

/**
 * Prowlarr. nixpkgs: nixos/modules/services/misc/servarr/prowlarr.nix:
 * no user or group options: the unit has DynamicUser=true and
 * StateDirectory=prowlarr, and always runs `-data=/var/lib/prowlarr`
 * (really /var/lib/private/prowlarr). Another dataDir is bind-mounted
 * there (a systemd mount unit; tmpfiles creates it root-owned, 0700), so a
 * custom directory works; systemd gives the files to the dynamic user when
 * the unit starts.
 */
const base = servarrRecipe({
  app: 'prowlarr',
  title: 'Prowlarr',
  name: 'Prowlarr',
  port: 9696,
  dataDir: '/var/lib/prowlarr',
  stateDir: '/var/lib/private/prowlarr',
  differences: [
    'runs as a dynamic user (DynamicUser=true): there is no `prowlarr` account; systemd owns the state directory for it, so no chown is needed',
    'the data directory is bind-mounted onto /var/lib/private/prowlarr, where the module always points Prowlarr (a systemd mount unit, wanted by local-fs.target)',
  ],
  reconfigure: ['Settings → Apps: the Sonarr/Radarr/Lidarr addresses were container names; use the host\'s address (or localhost) now'],
});

export const prowlarr: ModuleRecipe = {
  ...base,
  // Prowlarr keeps no media: a bind volume other than /config is not a library.
  mediaVolumes: false,
  reconfigure: base.reconfigure?.filter((r) => !r.startsWith('Settings → Media Management')) ?? [],
};
