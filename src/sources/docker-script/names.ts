import { parseImageReference } from '../docker/image-ref.ts';

/**
 * A name for a container the old host left unnamed (Docker gave it a random
 * one, so nothing referred to it): the image's last path component,
 * `lscr.io/linuxserver/jellyfin:latest` -> `jellyfin`.
 */
export function containerNameFromImage(image: string): string {
  const path = parseImageReference(image)?.path ?? image.replace(/[@:].*$/, '');
  const last = path.slice(path.lastIndexOf('/') + 1);
  const clean = last.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return clean === '' ? 'container' : clean;
}

/** `name`, or `name-2`, `name-3`, ... when taken; the result is taken from then on. */
export function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = `${name}-${n}`;
  taken.add(candidate);
  return candidate;
}
