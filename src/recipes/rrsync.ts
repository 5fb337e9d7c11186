import type { KeyRecipe } from './types.ts';

/**
 * A backup key whose forced command ran rrsync in a container (post, M4
 * and N6): `command="docker run ... stapelberg/docker-rsync DIR"` becomes
 * `command="${pkgs.rrsync}/bin/rrsync DIR"` with every other option of the
 * key kept byte for byte. nixpkgs: pkgs/by-name/rr/rrsync/package.nix
 * (rsync's support/rrsync, installed as bin/rrsync, calling the store's
 * rsync). rrsync's options (rsync support/rrsync.1.md): -ro, -wo, -munge,
 * -no-del, -no-lock, -no-overwrite, then the one directory.
 */
export const rrsync: KeyRecipe = {
  kind: 'key',
  app: 'rrsync',
  title: 'rsync restricted to one directory (rrsync) in a forced command',
  images: ['stapelberg/docker-rsync'],
  program: 'rrsync',
  attr: ['rrsync'],
  bin: '/bin/rrsync',
  options: ['-ro', '-wo', '-munge', '-no-del', '-no-lock', '-no-overwrite'],
  readOnlyOption: '-ro',
};
