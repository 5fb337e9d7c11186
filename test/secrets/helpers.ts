import { convert, type ConvertOptions } from '../../src/index.ts';
import type { OutputFile } from '../../src/layout/index.ts';
import { convertFiles, type Converted } from '../strategies/convert-helpers.ts';

export { cloudConfig } from '../strategies/convert-helpers.ts';

/** The conversion (pipeline, report, evaluated options) and the files `convert` writes, for the same input. */
export function converted(files: Readonly<Record<string, string>>, options: ConvertOptions = {}): Converted & { readonly files: readonly OutputFile[]; readonly exitCode: number } {
  const c = convertFiles(files, options);
  const result = convert(Object.entries(files).map(([path, content]) => ({ path, content })), options);
  return { ...c, files: result.files, exitCode: result.exitCode };
}

export function text(files: readonly OutputFile[], path: string): string {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`no file ${path}; have ${files.map((x) => x.path).join(', ')}`);
  return typeof f.content === 'string' ? f.content : new TextDecoder().decode(f.content);
}

/** The paths of the files that hold `needle`. */
export function holding(files: readonly OutputFile[], needle: string): string[] {
  return files.filter((f) => (typeof f.content === 'string' ? f.content : new TextDecoder().decode(f.content)).includes(needle)).map((f) => f.path);
}

/**
 * systemd's reading of an EnvironmentFile= line (env-file.c): `NAME=value`,
 * the value in single quotes taken as is, in double quotes with `\` before
 * `"`, `\`, `` ` `` and `$` dropped, unquoted trimmed. The reference the
 * writer's quoting is tested against.
 */
export function parseSystemdEnvironment(content: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < content.length) {
    const eq = content.indexOf('=', i);
    if (eq < 0) break;
    const name = content.slice(i, eq).trim();
    i = eq + 1;
    let value = '';
    const q = content[i];
    if (q === "'") {
      const end = content.indexOf("'", i + 1);
      value = content.slice(i + 1, end);
      i = end + 1;
    } else if (q === '"') {
      i++;
      while (i < content.length && content[i] !== '"') {
        if (content[i] === '\\' && '"\\`$'.includes(content[i + 1] ?? '')) i++;
        value += content[i];
        i++;
      }
      i++;
    } else {
      const end = content.indexOf('\n', i);
      value = content.slice(i, end < 0 ? content.length : end).trim();
      i = end < 0 ? content.length : end;
    }
    out[name] = value;
    const nl = content.indexOf('\n', i);
    i = nl < 0 ? content.length : nl + 1;
  }
  return out;
}

/** systemd's `${NAME}` expansion in a command line, from an environment. */
export function expand(line: string, env: Readonly<Record<string, string>>): string {
  return line.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (all, name: string) => env[name] ?? all);
}
