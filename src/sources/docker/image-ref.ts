/**
 * Image references (`nginx:1`, `lscr.io/linuxserver/jellyfin:latest`,
 * `registry:5000/ns/img:tag@sha256:...`) split and normalised the way Docker
 * does (distribution/reference), so recipes can match `jellyfin/jellyfin`
 * however it was written.
 */
export interface ImageReference {
  readonly raw: string;
  /** Registry host[:port]; `docker.io` when none is written. */
  readonly domain: string;
  /** Repository path; Docker Hub's official images get `library/`. */
  readonly path: string;
  readonly tag?: string;
  /** `algorithm:hex` */
  readonly digest?: string;
  /** `domain/path`: the fully qualified repository without tag or digest. */
  readonly name: string;
}

export const DEFAULT_DOMAIN = 'docker.io';

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const DOMAIN = /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$/;

/** Undefined when Docker would refuse the reference (uppercase path, bad tag, ...). */
export function parseImageReference(raw: string): ImageReference | undefined {
  let rest = raw;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }

  let domain = DEFAULT_DOMAIN;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    // Docker's rule: the first component is a registry if it looks like a host.
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      if (!DOMAIN.test(first)) return undefined;
      domain = first === 'index.docker.io' ? DEFAULT_DOMAIN : first;
      path = rest.slice(slash + 1);
    }
  }
  if (path === '' || !path.split('/').every((component) => PATH_COMPONENT.test(component))) return undefined;
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = `library/${path}`;

  return {
    raw,
    domain,
    path,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    name: `${domain}/${path}`,
  };
}
