/** `docker run` lines from shell scripts, text files and `--docker-run`: containers without units. */
export { dockerRunPath, isDockerRunPath, isDockerScript } from './detect.ts';
export { readDockerScript } from './read.ts';
export { splitShell, ShellSyntaxError } from './split.ts';
export type { ShellCommand, Expansion } from './split.ts';
