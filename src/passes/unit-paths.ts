import type { Directive, Unit } from '../model/unit.ts';
import { argStart, SHELLS, splitProgram } from './exec.ts';
import { literalPrefix } from './paths.ts';
import { readShell } from './shell-words.ts';

/**
 * The host paths a unit touches, as far as its text shows them: bind-mount
 * sources of its containers, absolute paths on its command lines (not those
 * after a container image: they are inside the container), its working
 * directory and the path settings of [Service]. Paths with variables are cut
 * before the first expansion. Used to find the mounts a unit needs.
 */
export function unitPaths(unit: Unit, skip: ReadonlySet<Directive>): string[] {
  const paths: string[] = [];
  for (const d of unit.directives) {
    if (skip.has(d)) continue;
    if (d.exec) paths.push(...execPaths(d));
    else if (d.section === 'Service' || d.section === 'Unit') paths.push(...settingPaths(d));
  }
  return unique(paths);
}

/** Settings whose values are (lists of) paths. `Bind*Paths=` entries are `SOURCE[:DEST[:OPTIONS]]`. */
const PATH_SETTINGS: Readonly<Record<string, 'one' | 'list' | 'binds'>> = {
  WorkingDirectory: 'one',
  RequiresMountsFor: 'list',
  ReadWritePaths: 'list',
  ReadOnlyPaths: 'list',
  BindPaths: 'binds',
  BindReadOnlyPaths: 'binds',
};

function settingPaths(d: Directive): string[] {
  const kind = PATH_SETTINGS[d.key];
  if (!kind) return [];
  const entries = kind === 'one' ? [d.value] : d.value.split(/\s+/);
  return entries
    .map((e) => e.replace(/^[-+]+/, ''))
    .map((e) => (kind === 'binds' ? e.split(':')[0]! : e))
    .flatMap(candidate);
}

/** Host paths on one command line. */
export function execPaths(d: Directive): string[] {
  const exec = d.exec;
  if (!exec || exec.words.length === 0) return [];
  if (exec.docker) {
    return exec.docker.volumes.flatMap((v) => (v.kind === 'bind' && v.source !== undefined ? candidate(v.source) : []));
  }
  const program = splitProgram(exec.words[0]!.value).name;
  if (exec.shellPayload !== undefined && SHELLS.has(program)) {
    const payload = exec.words[exec.shellPayload];
    return payload ? shellPaths(payload.value) : [];
  }
  return exec.words.slice(argStart(exec)).flatMap((w) => candidate(w.value));
}

function shellPaths(script: string): string[] {
  const out: string[] = [];
  for (const command of readShell(script).commands) {
    const values = command.words.map((w) => w.literal ?? w.text);
    const program = values[0] === undefined ? '' : splitProgram(values[0]).name;
    if (program === 'docker' || program === 'podman') out.push(...volumeSources(values));
    else out.push(...values.slice(1).flatMap(candidate));
  }
  return out;
}

/** `-v SRC:DST` sources of a docker command line read from a shell script. */
function volumeSources(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    let value: string | undefined;
    if (w === '-v' || w === '--volume') value = words[++i];
    else if (w.startsWith('--volume=')) value = w.slice('--volume='.length);
    else if (w.startsWith('-v') && w.length > 2 && !w.startsWith('--')) value = w.slice(2);
    if (value !== undefined) out.push(...candidate(value.split(':')[0]!));
  }
  return out;
}

/** An absolute path in a word: the word itself, or the value of `--opt=/path`. */
function candidate(word: string): string[] {
  const eq = word.indexOf('=');
  const text = word.startsWith('/') ? word : eq > 0 && word[eq + 1] === '/' ? word.slice(eq + 1) : undefined;
  if (text === undefined) return [];
  const path = literalPrefix(text);
  return path === undefined ? [] : [path];
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}
