/**
 * Quadlet files (podman-systemd.unit(5)): podman's systemd generator makes a
 * unit of each `.container`, `.volume`, `.network`, `.pod`, `.kube`,
 * `.image`, `.build` and `.artifact` file in its search paths at boot.
 */

export const QUADLET_KINDS = ['container', 'volume', 'network', 'pod', 'kube', 'image', 'build', 'artifact'] as const;
export type QuadletKind = (typeof QUADLET_KINDS)[number];

/** The search paths of rootful Quadlets: their containers run as root. */
const SYSTEM_DIRS = ['/etc/containers/systemd/', '/usr/share/containers/systemd/'];
/** Rootless Quadlets: a user's own, and the ones an administrator gives every user (or one UID). */
const USER_DIR = /^\/(?:root|home\/[^/]+|var\/home\/[^/]+)\/\.config\/containers\/systemd\/|^\/(?:etc|usr\/share)\/containers\/systemd\/users\//;

/** `web.container` -> `container`; undefined for other names. */
export function quadletKind(path: string): QuadletKind | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const ext = base.slice(base.lastIndexOf('.') + 1);
  return base.includes('.') && (QUADLET_KINDS as readonly string[]).includes(ext) ? (ext as QuadletKind) : undefined;
}

/** Where podman's generator looks: `system` (rootful), `user` (rootless), or neither. */
export function quadletScope(path: string): 'system' | 'user' | undefined {
  if (quadletKind(path) === undefined) return undefined;
  if (USER_DIR.test(path)) return 'user';
  return SYSTEM_DIRS.some((d) => path.startsWith(d)) ? 'system' : undefined;
}

/** The section a file of each kind must have. */
const SECTIONS: Readonly<Record<QuadletKind, string>> = {
  container: 'Container',
  volume: 'Volume',
  network: 'Network',
  pod: 'Pod',
  kube: 'Kube',
  image: 'Image',
  build: 'Build',
  artifact: 'Artifact',
};

/**
 * A Quadlet file given as an input of its own: its name ends in `.container`
 * (`.volume`, `.network`, ...) and it has that kind's section. A
 * systemd-networkd `.network` file has a [Network] section too, but also
 * [Match] (or [Link], [Address], [Route]), which Quadlet's has not.
 */
export function isQuadletInput(path: string, text: string): boolean {
  const kind = quadletKind(path);
  if (kind === undefined) return false;
  const sections = new Set([...text.matchAll(/^[ \t]*\[([^\]\n]+)\][ \t]*$/gm)].map((m) => m[1]!));
  if (!sections.has(SECTIONS[kind])) return false;
  return kind !== 'network' || !['Match', 'Link', 'Address', 'Route', 'DHCPv4', 'NetDev'].some((s) => sections.has(s));
}

/** `web.container` -> `web`. */
export function quadletStem(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.slice(0, base.lastIndexOf('.'));
}
