/**
 * Compose projects among the inputs. A project is a main Compose file and
 * the files it reads (override files, `.env`, `--env-file`, `extends`,
 * `include`); those are read as part of it and not again as inputs. Without
 * `-f`, each directory's main file is the first of compose.yaml,
 * compose.yml, docker-compose.yaml, docker-compose.yml, with its override
 * file, as Docker Compose picks them; any other Compose file is a project
 * of its own.
 */
import type { Ledger } from '../../model/ledger.ts';
import { decodeInput } from '../decode.ts';
import type { Contribution, InputFile } from '../types.ts';
import { composeFiles, dirOf, normalPath } from './files.ts';
import type { ComposeOptions } from './load.ts';
import { isComposeFile } from './detect.ts';
import { readComposeProject } from './read.ts';

export type { ComposeOptions } from './load.ts';
export { defaultProjectDirectory } from './read.ts';
export { isComposeFile } from './detect.ts';

/** The file names Docker Compose looks for, in its order of preference. */
export const MAIN_FILES: readonly string[] = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const OVERRIDE_FILES: readonly string[] = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml'];

/**
 * Reads every Compose project among `inputs` (sorted by path). Returns the
 * contributions by the path of each project's main file; `used` gets every
 * input read as part of a project.
 */
export function readComposeInputs(inputs: readonly InputFile[], ledger: Ledger, used: Set<string>, options: ComposeOptions = {}): Map<string, Contribution> {
  const out = new Map<string, Contribution>();
  const fs = composeFiles(inputs, used);
  const candidates = inputs.filter((i) => !used.has(i.path) && /\.ya?ml$/i.test(i.path) && isComposeFile(i.path, textOf(i)));
  if (options.files !== undefined && options.files.length > 0) {
    const main = inputs.find((i) => normalPath(i.path) === normalPath(options.files![0]!));
    const paths = options.files.map((f) => normalPath(f));
    out.set(main?.path ?? options.files[0]!, readComposeProject(paths, fs, ledger, options));
  }
  const byDir = new Map<string, InputFile[]>();
  for (const c of candidates) {
    if (used.has(c.path)) continue;
    const dir = dirOf(c.path);
    byDir.set(dir, [...(byDir.get(dir) ?? []), c]);
  }
  for (const [dir, files] of byDir) {
    const base = (f: InputFile) => f.path.slice(f.path.replace(/\\/g, '/').lastIndexOf('/') + 1);
    const main = MAIN_FILES.map((m) => files.find((f) => base(f) === m)).find((f) => f !== undefined);
    if (main && !used.has(main.path)) {
      const override = OVERRIDE_FILES.map((m) => files.find((f) => base(f) === m)).find((f) => f !== undefined);
      const paths = [main.path, ...(override ? [override.path] : [])];
      out.set(main.path, readComposeProject(paths, fs, ledger, withoutFiles(options)));
      for (const other of MAIN_FILES.map((m) => files.find((f) => base(f) === m)).filter((f) => f && f !== main)) {
        ledger.report('warning', 'compose/several-main-files', `${dir || '.'} has both ${base(main)} and ${base(other!)}; Docker Compose uses ${base(main)}, and so does nixport`, { file: other!.path, line: 1, column: 1 }, `remove ${base(other!)}, or name it with -f`);
      }
    }
    for (const f of files) {
      if (used.has(f.path) || OVERRIDE_FILES.includes(base(f)) || MAIN_FILES.includes(base(f))) continue;
      out.set(f.path, readComposeProject([f.path], fs, ledger, withoutFiles(options)));
    }
  }
  return out;
}

function withoutFiles(options: ComposeOptions): ComposeOptions {
  const { files: _files, ...rest } = options;
  return rest;
}

function textOf(input: InputFile): string {
  try {
    return decodeInput(input.path, input.content);
  } catch {
    return '';
  }
}
