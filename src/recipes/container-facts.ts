import type { RecipeInput } from './types.ts';

/**
 * Facts about the old container that several recipes read: where a
 * volume's data lived, what the image's tag says about the version
 * inside, on which address a port was published.
 */

/** Docker's own directory of a named volume (the engine reads its data from there). */
export function isDockerVolume(source: string): boolean {
  return source.startsWith('/var/lib/docker/volumes/');
}

/**
 * A state directory option from a volume: a bind volume's host directory
 * stays where it is; a named volume's data moves to the module's default
 * (Docker's volume directory is no place for a module's state).
 */
export function keptOr(defaultDir: string): (source: string) => string {
  return (source) => (isDockerVolume(source) ? defaultDir : source);
}

/**
 * The version numbers an image tag starts with: `16.4-alpine` is [16, 4],
 * `v1.23.4` is [1, 23, 4], `latest` and digests are []. Tags name what the
 * image holds only by convention; the report says so where it matters.
 */
export function tagVersion(input: Pick<RecipeInput, 'reference' | 'base'>): number[] {
  const tag = (input.base ?? input.reference)?.tag;
  const m = tag === undefined ? null : /^v?(\d+(?:\.\d+)*)/.exec(tag);
  return m ? m[1]!.split('.').map(Number) : [];
}

/** The tag as written, for the report (`latest` when none was). */
export function tagOf(input: Pick<RecipeInput, 'reference' | 'base'>): string {
  return (input.base ?? input.reference)?.tag ?? 'latest';
}

/** `0.0.0.0` (or nothing) as a published port's address: every address, as Docker publishes it. */
export function boundAddress(hostIp: string | undefined): string | undefined {
  return hostIp === undefined || hostIp === '' || hostIp === '0.0.0.0' || hostIp === '::' || hostIp === '[::]' ? undefined : hostIp;
}
