/**
 * The files a Compose file reads, gathered from the disk for the library
 * (which only sees the inputs it is given): the `.env` beside it, the
 * `-f` and `--env-file` files, and what `env_file`, `extends: file:`,
 * `include` and file-backed secrets and configs name. Files that do not
 * exist are left to the reader, which says what is missing and where.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { isComposeFile } from '../sources/compose/detect.ts';
import type { InputFile } from '../sources/types.ts';
import { MAX_INPUT_BYTES } from './inputs.ts';
import { UsageError } from './usage-error.ts';

export interface ComposeFlags {
  readonly file?: readonly string[];
  readonly envFile?: readonly string[];
  readonly profile?: readonly string[];
  readonly projectName?: string;
  readonly projectDirectory?: string;
}

/** Reads a named file (`-f`, `--env-file`): it must exist. */
async function named(path: string, flag: string): Promise<InputFile> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new UsageError(`${flag} ${path}: no such file`, 'check the path');
  return { path, content: new Uint8Array(await readFile(path)) };
}

async function optional(path: string): Promise<InputFile | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile() || info.size > MAX_INPUT_BYTES) return undefined;
  return { path, content: new Uint8Array(await readFile(path)), discovered: true };
}

/** Paths a Compose document names, relative to its directory. */
function referenced(doc: unknown): string[] {
  const out: string[] = [];
  const str = (v: unknown) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const root = obj(doc);
  for (const inc of Array.isArray(root['include']) ? root['include'] : []) {
    out.push(...str(inc), ...str(obj(inc)['path']), ...str(obj(inc)['env_file']));
  }
  for (const svc of Object.values(obj(root['services']))) {
    const s = obj(svc);
    for (const e of Array.isArray(s['env_file']) ? s['env_file'] : [s['env_file']]) out.push(...str(e), ...str(obj(e)['path']));
    out.push(...str(obj(s['extends'])['file']));
  }
  for (const section of ['secrets', 'configs']) for (const r of Object.values(obj(root[section]))) out.push(...str(obj(r)['file']));
  return out.filter((p) => !p.includes('$'));
}

/**
 * Adds the Compose companions of the inputs. `flags.file` and
 * `flags.envFile` are read (they must exist); for each Compose file among
 * the inputs, the `.env` beside it and the files it names are added when
 * they exist and are not inputs already.
 */
export async function gatherComposeCompanions(inputs: readonly InputFile[], flags: ComposeFlags): Promise<InputFile[]> {
  const have = new Set(inputs.map((i) => i.path));
  const added: InputFile[] = [];
  const add = (f: InputFile | undefined) => {
    if (!f || have.has(f.path)) return;
    have.add(f.path);
    added.push(f);
  };
  for (const f of flags.file ?? []) add(await named(f, '-f'));
  for (const f of flags.envFile ?? []) add(await named(f, '--env-file'));
  const queue = [...inputs, ...added].filter((i) => isComposeFile(i.path, textOf(i)));
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file.path) || seen.size > 200) continue;
    seen.add(file.path);
    const dir = dirname(file.path);
    add(await optional(join(dir, '.env')));
    let doc: unknown;
    try {
      doc = parse(textOf(file), { strict: false, maxAliasCount: 10_000, logLevel: 'silent' });
    } catch {
      continue; // the reader reports the syntax error with its position
    }
    for (const rel of referenced(doc)) {
      const path = rel.startsWith('/') ? rel : join(dir, rel);
      const found = have.has(path) ? undefined : await optional(path);
      add(found);
      if (found && /\.ya?ml$/i.test(path)) queue.push(found);
    }
  }
  return added;
}

function textOf(input: InputFile): string {
  return typeof input.content === 'string' ? input.content : new TextDecoder().decode(input.content);
}
