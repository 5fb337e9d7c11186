/**
 * Which inputs are `docker run` scripts, decided by content, after every
 * other reader has had its say (units and drop-ins by name, cloud-configs by
 * their header or name, Butane by `variant:`, Ignition by `ignition`,
 * authorized_keys by name), so a script never takes another reader's input:
 *
 * - a shell script (`.sh`/`.bash`, or a `#!` line naming a shell) with at
 *   least one `docker run`/`docker create` line (or `podman run`/`create`);
 * - a plain text file (`.txt`, or no extension) whose first command, after
 *   comments and a copied `$ ` prompt, is a docker (or podman) command;
 * - a `--docker-run` command line (its path says so).
 *
 * Markdown, YAML, JSON and other named formats are never scripts: their
 * `docker run` lines are examples, not what the host ran.
 */

/** The path the CLI gives the N-th `--docker-run` command. */
export function dockerRunPath(index: number): string {
  return index === 0 ? '--docker-run' : `--docker-run#${index + 1}`;
}

export function isDockerRunPath(path: string): boolean {
  return /^--docker-run(#[0-9]+)?$/.test(path);
}

const SHEBANG = /^#![ \t]*\/\S*\/(?:env[ \t]+)?(?:ba|da|z|k|a)?sh\b/;
const DOCKER_LINE = /^[ \t]*(?:\$[ \t]+)?(?:(?:sudo|exec|nohup)(?:[ \t]+-\S+)*[ \t]+)*(?:\S*\/)?(?:docker|podman)[ \t]+(?:-\S+[ \t]+\S+[ \t]+)*(?:container[ \t]+)?(?:run|create)\b/m;
const FIRST_COMMAND = /^[ \t]*(?:\$[ \t]+)?(?:(?:sudo|exec|nohup)(?:[ \t]+-\S+)*[ \t]+)*(?:\S*\/)?(?:docker|podman)[ \t]+\S/;

export function isDockerScript(base: string, text: string): boolean {
  const body = text.replace(/^\uFEFF/, '');
  if (/\.(sh|bash)$/i.test(base) || SHEBANG.test(body)) return DOCKER_LINE.test(body);
  if (base.includes('.') && !/\.txt$/i.test(base)) return false;
  const first = body.split('\n').find((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  return first !== undefined && FIRST_COMMAND.test(first);
}
