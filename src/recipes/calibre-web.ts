import { linuxserver } from './images.ts';
import { isDockerVolume } from './container-facts.ts';
import type { ModuleRecipe, RecipeContext } from './types.ts';

/**
 * Calibre-Web. nixpkgs: nixos/modules/services/web-apps/calibre-web.nix:
 * listen.ip ("::1"), listen.port (8083), openFirewall (TCP listen.port),
 * dataDir (a name below /var/lib, "calibre-web", or an absolute path made
 * by tmpfiles), options.calibreLibrary (checked for metadata.db at start),
 * options.enableBookConversion (calibre's ebook-convert),
 * options.enableBookUploading, user/group `calibre-web`. Before every
 * start the unit writes config_port, config_uploading, the reverse-proxy
 * login and config_calibre_dir into app.db, so those follow the options,
 * not the web UI. Restart=on-failure.
 *
 * The linuxserver image keeps app.db, gdrive.db and the log in /config
 * (init-calibre-web-config links them there) and the library in /books;
 * DOCKER_MODS=linuxserver/mods:universal-calibre added calibre for
 * conversions.
 */

export const calibreWeb: ModuleRecipe = {
  kind: 'module',
  app: 'calibre-web',
  title: 'Calibre-Web e-book library',
  images: linuxserver('calibre-web'),
  module: 'services.calibre-web',
  unit: { name: 'calibre-web', sets: { Restart: { value: 'on-failure', priority: 'plain' } } },
  user: { user: 'calibre-web', group: 'calibre-web' },
  ports: [{ container: 8083, what: 'web UI and OPDS', option: 'listen.port', port: 8083, address: { option: 'listen.ip', default: '::1', any: '0.0.0.0' } }],
  firewall: { option: 'openFirewall', tcp: [{ option: 'listen.port', default: 8083 }], udp: [] },
  volumes: [
    {
      target: '/config',
      holds: 'app.db (users, shelves, settings), gdrive.db and the log',
      set: { dataDir: (source) => (isDockerVolume(source) ? 'calibre-web' : source) },
      at: (source) => (isDockerVolume(source) ? '/var/lib/calibre-web' : source),
    },
  ],
  health: { path: '/', port: 8083 },
  differences: [
    'runs as the system user `calibre-web`; its data directory must belong to it',
    'the module writes the port, book uploading, reverse-proxy login and the library path into app.db before every start: those settings follow services.calibre-web, not the web UI',
  ],
  reconfigure: ['Admin → Basic Configuration: uploads stay off unless services.calibre-web.options.enableBookUploading = true (the module writes it at every start)'],
  extra: library,
};

/**
 * The Calibre library: the module writes its path into app.db, so the
 * container path needs no re-pointing; calibre-web writes metadata.db, so
 * it needs write access (not ownership: the library is often shared).
 */
function library(r: RecipeContext): void {
  const books = r.input.volumes.find((v) => v.kind === 'bind' && v.source !== undefined && v.target === '/books');
  if (books?.source !== undefined) {
    r.set('options.calibreLibrary', books.source, `${books.target} of the old container (${books.raw}): the Calibre library (metadata.db).`);
    r.claim(books.flag, 'services.calibre-web.options.calibreLibrary', 'the module writes the library path into app.db at every start');
    r.step('Let calibre-web write the library', `calibre-web edits ${books.source}/metadata.db: give the user calibre-web write access (a shared group, or \`chown -R calibre-web ${books.source}\` if nothing else writes it).`);
  }
  const mods = r.envFlag('DOCKER_MODS');
  const value = r.input.environment.get('DOCKER_MODS') ?? '';
  if (mods && /universal-calibre/.test(value)) {
    r.set('options.enableBookConversion', true, 'DOCKER_MODS added calibre to the image for conversions; the module points calibre-web at the calibre of nixpkgs.');
    r.claim(mods, 'services.calibre-web.options.enableBookConversion', 'calibre\'s ebook-convert from nixpkgs');
  }
}
