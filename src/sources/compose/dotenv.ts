/**
 * `.env` files as Docker Compose reads them: `NAME=value` lines, `export`
 * allowed in front, `#` comments, single quotes literal, double quotes with
 * `\n`-style escapes, values spanning lines inside quotes, and `${VAR}` in
 * unquoted and double-quoted values (earlier lines and the environment).
 */
import { InputError } from '../../model/diagnostic.ts';
import type { Origin } from '../../model/origin.ts';
import { interpolate, type Lookup } from './interpolate.ts';

export interface EnvEntry {
  readonly name: string;
  readonly value: string;
  readonly origin: Origin;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function parseDotenv(file: string, text: string, outer: Lookup = () => undefined): EnvEntry[] {
  const out: EnvEntry[] = [];
  const own = new Map<string, string>();
  const lookup: Lookup = (name) => own.get(name) ?? outer(name);
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i]!.trimStart();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('export ')) line = line.slice(7).trimStart();
    const origin: Origin = { file, line: lineNo, column: lines[i]!.length - lines[i]!.trimStart().length + 1 };
    const eq = line.search(/[=:]/);
    if (eq < 0) {
      // A bare name passes the value the environment has, as in `docker run --env-file`.
      const name = line.trim();
      if (!NAME.test(name)) throw badLine(origin, line);
      const v = outer(name);
      if (v !== undefined) out.push({ name, value: v, origin });
      continue;
    }
    const name = line.slice(0, eq).trim();
    if (!NAME.test(name)) throw badLine(origin, line);
    let rest = line.slice(eq + 1).trimStart();
    let value: string;
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      // Quoted values may span lines: read on until the closing quote.
      let body = rest.slice(1);
      let close = findClose(body, quote);
      while (close < 0 && i + 1 < lines.length) {
        body += `\n${lines[++i]!}`;
        close = findClose(body, quote);
      }
      if (close < 0) {
        throw new InputError({ code: 'compose/env-file', message: `${name}: the ${quote === '"' ? 'double' : 'single'} quote is not closed`, origin, hint: 'close the quote, or remove it' });
      }
      const raw = body.slice(0, close);
      value = quote === "'" ? raw : expandValue(unescape(raw), lookup);
    } else {
      // An unquoted value ends at ` #` (a comment) and is trimmed.
      const comment = rest.search(/\s#/);
      if (comment >= 0) rest = rest.slice(0, comment);
      value = expandValue(rest.trim(), lookup);
    }
    own.set(name, value);
    out.push({ name, value, origin });
  }
  return out;
}

function findClose(body: string, quote: string): number {
  for (let i = 0; i < body.length; i++) {
    if (quote === '"' && body[i] === '\\') {
      i++;
      continue;
    }
    if (body[i] === quote) return i;
  }
  return -1;
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '\\$' };

function unescape(raw: string): string {
  return raw.replace(/\\(.)/g, (all, c: string) => ESCAPES[c] ?? all);
}

function expandValue(raw: string, lookup: Lookup): string {
  // `\$` stays a literal dollar: protect it from interpolation as `$$`.
  const protectedText = raw.replace(/\\\$/g, '$$$$');
  if (!protectedText.includes('$')) return protectedText;
  const r = interpolate(protectedText, lookup);
  if (!r.ok) {
    // .env values are often secrets with a `$` in them; Compose reads a lone `$` literally there.
    return raw;
  }
  return r.value;
}

function badLine(origin: Origin, line: string): InputError {
  return new InputError({
    code: 'compose/env-file',
    // The line is not echoed: env files hold secrets.
    message: `expected NAME=value on this line (${line.length} characters)`,
    origin,
    hint: 'each line of an env file is NAME=value, a comment starting with #, or empty',
  });
}
