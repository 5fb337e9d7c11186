import { keptOr } from './container-facts.ts';
import type { ModuleRecipe, RecipeContext } from './types.ts';

/**
 * Navidrome. nixpkgs: nixos/modules/services/audio/navidrome.nix:
 * settings (freeform JSON, passed as --configfile) with typed Address
 * ("127.0.0.1") and Port (4533); DataFolder and MusicFolder are freeform
 * (the data defaults to the working directory /var/lib/navidrome, a
 * StateDirectory; another DataFolder is bound into the unit and made by
 * tmpfiles); openFirewall opens settings.Port; environmentFile for secret
 * ND_* variables; user/group `navidrome`. The unit runs in an empty root
 * (RootDirectory=/run/navidrome) that binds only the store, /etc, the
 * data, cache and music folders; it sets no Restart=.
 *
 * The image (deluan/navidrome) sets ND_MUSICFOLDER=/music,
 * ND_DATAFOLDER=/data, ND_PORT=4533 and answers /ping (its HEALTHCHECK).
 * Navidrome reads ND_* variables over its configuration file, so the
 * ones the container set for its own paths go; the others are passed on.
 */

export const navidrome: ModuleRecipe = {
  kind: 'module',
  app: 'navidrome',
  title: 'Navidrome music server',
  images: ['deluan/navidrome', 'ghcr.io/navidrome/navidrome'],
  module: 'services.navidrome',
  unit: { name: 'navidrome' },
  user: { user: 'navidrome', group: 'navidrome' },
  ports: [{ container: 4533, what: 'web UI and Subsonic API', option: 'settings.Port', port: 4533, address: { option: 'settings.Address', default: '127.0.0.1', any: '0.0.0.0' } }],
  firewall: { option: 'openFirewall', tcp: [{ option: 'settings.Port', default: 4533 }], udp: [] },
  volumes: [
    { target: '/data', holds: 'navidrome.db (users, play counts, playlists, stars), the cache and the backups', set: { 'settings.DataFolder': keptOr('/var/lib/navidrome') } },
  ],
  environment: [
    { name: 'ND_MUSICFOLDER', drop: 'the /music volume sets settings.MusicFolder' },
    { name: 'ND_DATAFOLDER', drop: 'the /data volume sets settings.DataFolder' },
    { name: /^ND_(PORT|ADDRESS)$/, drop: 'the published port sets settings.Port and settings.Address' },
    { name: 'ND_CACHEFOLDER', drop: 'the cache is rebuilt in the data folder\'s cache/' },
  ],
  secretsFile: 'environmentFile',
  health: { path: '/ping', port: 4533 },
  differences: [
    'runs as the system user `navidrome` in an empty root that sees only the store, /etc, the data folder and the music folder: playlists or covers elsewhere are invisible to it',
  ],
  reconfigure: ['Settings → Players and Transcoding: ffmpeg is the one of nixpkgs now'],
  extra: musicFolder,
};

/**
 * The music library: read, not owned (it is often shared), so it is no
 * state to copy or give away. The module binds MusicFolder read-only into
 * the unit's root; `navidrome` needs read access to it.
 */
function musicFolder(r: RecipeContext): void {
  const music = r.input.volumes.find((v) => v.kind === 'bind' && v.source !== undefined && (v.target === '/music' || v.target.startsWith('/music/')));
  if (!music || music.source === undefined) return;
  r.set('settings.MusicFolder', music.source, `${music.target} of the old container (${music.raw}): the music library.`);
  r.claim(music.flag, 'services.navidrome.settings.MusicFolder', 'the music library, bound read-only into the unit');
  r.difference(`the library is read from ${music.source} now (it was ${music.target} in the container): Navidrome rescans it at start; check that play counts, stars and playlists are still attached after the first scan`);
  r.step('Let navidrome read the music', `The module binds ${music.source} read-only into the unit, and the user navidrome must be able to read it: check \`sudo -u navidrome ls ${music.source}\` (the container read it as its own user).`);
}
