import type { DockerInvocation } from '../../model/docker.ts';

/**
 * `docker network create [OPTIONS] NETWORK`: the name is the last word, the
 * options are the words before it as written. nixport has no table of this
 * verb's flags, so they are kept verbatim for the unit that creates the
 * network on the new host.
 */
export function networkCreate(invocation: DockerInvocation): { readonly name: string; readonly options: readonly string[] } | undefined {
  if (invocation.verb !== 'network create') return undefined;
  const name = invocation.args[invocation.args.length - 1];
  if (name === undefined || name.startsWith('-')) return undefined;
  const flags = invocation.flags.filter((f) => f.word > invocation.verbWord).map((f) => (f.value === undefined ? f.spelled : `${f.spelled}=${f.value}`));
  return { name, options: [...flags, ...invocation.args.slice(0, -1)] };
}
