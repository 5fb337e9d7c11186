/**
 * Image names of the common publishers, for recipes' `images` lists and
 * their volume rules' `images` prefixes. linuxserver.io publishes on its
 * own registry (lscr.io), Docker Hub and GHCR alike; hotio on GHCR and
 * Docker Hub.
 */

export const LINUXSERVER_PREFIXES = ['lscr.io/linuxserver/', 'linuxserver/', 'ghcr.io/linuxserver/'] as const;
export const HOTIO_PREFIXES = ['ghcr.io/hotio/', 'hotio/'] as const;

/** `lscr.io/linuxserver/sonarr`, `linuxserver/sonarr`, `ghcr.io/linuxserver/sonarr`. */
export function linuxserver(name: string): string[] {
  return LINUXSERVER_PREFIXES.map((prefix) => `${prefix}${name}`);
}

/** `ghcr.io/hotio/sonarr`, `hotio/sonarr`. */
export function hotio(name: string): string[] {
  return HOTIO_PREFIXES.map((prefix) => `${prefix}${name}`);
}
