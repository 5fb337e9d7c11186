import type { ExecCommand } from '../model/unit.ts';
import { SYSTEM_BIN_DIRS } from './binary-table.ts';

/** Exec*= keys in the order systemd runs them when a service starts. */
export const START_PHASES: readonly string[] = ['ExecCondition', 'ExecStartPre', 'ExecStart', 'ExecStartPost'];
export const STOP_KEYS: ReadonlySet<string> = new Set(['ExecStop', 'ExecStopPost']);

/** Index of the first argument: with the `@` prefix, words[1] is argv[0], not an argument. */
export function argStart(exec: ExecCommand): number {
  return exec.prefixes.includes('@') ? 2 : 1;
}

/** `/usr/bin/docker` -> { dir: '/usr/bin', name: 'docker' }; `docker` -> { name: 'docker' }. */
export function splitProgram(path: string): { readonly dir?: string; readonly name: string } {
  const slash = path.lastIndexOf('/');
  if (slash < 0) return { name: path };
  return { dir: slash === 0 ? '/' : path.slice(0, slash), name: path.slice(slash + 1) };
}

/** Whether `program` is the system's `name`: bare, in a system bin directory, or NixOS's wrapper. */
export function isSystemProgram(program: string, name: string): boolean {
  const { dir, name: base } = splitProgram(program);
  if (base !== name) return false;
  return dir === undefined || SYSTEM_BIN_DIRS.includes(dir) || dir === '/run/wrappers/bin';
}

/** Shells whose `-c` payload is a script. */
export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'dash', 'zsh']);

/** systemd expands `$VAR`, `${VAR}` and `%x` specifiers in command lines: such words are not literal. */
export function isLiteralExecWord(value: string): boolean {
  return !/[$%]/.test(value);
}
