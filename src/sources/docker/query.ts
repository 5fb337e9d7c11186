import type { DockerFlag, DockerInvocation } from '../../model/docker.ts';
import { parseBool } from './scan.ts';

/**
 * Small questions strategies and passes ask of an invocation. Flags before
 * `verbWord` are the docker global flags; these helpers look at the verb's.
 */

/** The verb's flags with a canonical name (`--publish`, also when written `-p`), in order. */
export function flagsNamed(invocation: DockerInvocation, name: string): DockerFlag[] {
  return invocation.flags.filter((flag) => flag.word > invocation.verbWord && flag.name === name);
}

/** The docker global flags (`-H`, `--context`, ...) written before the verb. */
export function globalFlags(invocation: DockerInvocation): DockerFlag[] {
  return invocation.flags.filter((flag) => flag.word < invocation.verbWord);
}

/** The value of the last occurrence of a single-valued flag (the one Docker uses). */
export function lastValue(invocation: DockerInvocation, name: string): string | undefined {
  const all = flagsNamed(invocation, name);
  return all[all.length - 1]?.value;
}

/** Whether a bool flag is on: its last occurrence, `--flag` or `--flag=true`. */
export function isEnabled(invocation: DockerInvocation, name: string): boolean {
  const last = flagsNamed(invocation, name).at(-1);
  if (last === undefined) return false;
  return last.value === undefined ? true : parseBool(last.value) === true;
}

/**
 * Whether the docker command stays attached to the container for its
 * lifetime, so a systemd service running it supervises the container:
 * `run` without `--detach`, or `start --attach`.
 */
export function runsInForeground(invocation: DockerInvocation): boolean {
  if (invocation.verb === 'run') return !isEnabled(invocation, '--detach');
  if (invocation.verb === 'start') return isEnabled(invocation, '--attach');
  return false;
}
