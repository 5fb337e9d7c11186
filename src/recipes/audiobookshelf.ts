import type { ModuleRecipe, RecipeContext } from './types.ts';

/**
 * Audiobookshelf. nixpkgs: nixos/modules/services/web-apps/audiobookshelf.nix:
 * host ("127.0.0.1"), port (8000), openFirewall (TCP port), dataDir (a
 * directory name below /var/lib, "audiobookshelf", made by
 * StateDirectory: no other place), user/group `audiobookshelf`. The unit
 * runs `audiobookshelf --host --port` in /var/lib/<dataDir>; the
 * package's wrapper (pkgs/by-name/au/audiobookshelf/wrapper.nix) keeps the
 * config in ./config and the metadata in ./metadata of that directory.
 * Restart=on-failure.
 *
 * The image (ghcr.io/advplyr/audiobookshelf) listens on port 80 with
 * CONFIG_PATH=/config and METADATA_PATH=/metadata and answers /healthcheck.
 * The database keeps absolute paths: covers and author images under
 * /metadata/..., items under the library folders (audiobookshelf-app
 * issue #900: "the paths have to match"). So the old /metadata path is
 * bound into the unit, and the libraries must keep their paths or be re-pointed.
 */

export const audiobookshelf: ModuleRecipe = {
  kind: 'module',
  app: 'audiobookshelf',
  title: 'Audiobookshelf audiobook and podcast server',
  images: ['ghcr.io/advplyr/audiobookshelf', 'advplyr/audiobookshelf'],
  module: 'services.audiobookshelf',
  unit: { name: 'audiobookshelf', sets: { Restart: { value: 'on-failure', priority: 'plain' } } },
  user: { user: 'audiobookshelf', group: 'audiobookshelf' },
  ports: [{ container: 80, what: 'web UI and API', option: 'port', port: 8000, address: { option: 'host', default: '127.0.0.1', any: '0.0.0.0' } }],
  firewall: { option: 'openFirewall', tcp: [{ option: 'port', default: 8000 }], udp: [] },
  volumes: [
    { target: '/config', holds: 'absdatabase.sqlite (libraries, users, progress) and the server settings', defaultDir: '/var/lib/audiobookshelf/config' },
    { target: '/metadata', holds: 'covers, author images, cache, logs and backups', defaultDir: '/var/lib/audiobookshelf/metadata' },
  ],
  mediaVolumes: true,
  environment: [
    { name: /^(CONFIG_PATH|METADATA_PATH)$/, drop: 'the module keeps config/ and metadata/ in /var/lib/audiobookshelf' },
    { name: /^(PORT|HOST)$/, drop: 'the published port sets services.audiobookshelf.port and host' },
    { name: /^AUDIOBOOKSHELF_(UID|GID)$/, drop: 'the module runs the app as `audiobookshelf`' },
  ],
  health: { path: '/healthcheck', port: 80 },
  differences: [
    'runs as the system user `audiobookshelf`; /var/lib/audiobookshelf and the library folders must belong to it or be readable (and writable where Audiobookshelf stores covers or metadata with the items)',
    'the state lives in /var/lib/audiobookshelf (config/ and metadata/); the module has no option for another place',
  ],
  reconfigure: ['Settings → Backups: the backup path is under /var/lib/audiobookshelf/metadata/backups now'],
  extra: metadataPaths,
};

/** Covers and author images are stored by their /metadata/... path: keep that path inside the unit. */
function metadataPaths(r: RecipeContext): void {
  const metadata = r.input.volumes.find((v) => v.target === '/metadata');
  if (!metadata) return;
  r.set('systemd.services.audiobookshelf.serviceConfig.BindPaths', ['/var/lib/audiobookshelf/metadata:/metadata'], 'The database names covers and author images by their /metadata/... path, as the container saw them.');
}
