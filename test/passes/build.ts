/**
 * Builds Host models from compact unit texts for the pass tests, without the
 * readers: `[Section]` headers, `Key=value` lines with backslash
 * continuations, Exec*= lines split into words with their offsets in `raw`,
 * and `docker run|create` command lines read into a DockerInvocation with a
 * small flag table. Enough of systemd's rules for the test inputs, no more.
 */
import type { DockerFlag, DockerInvocation, PortSpec, VolumeSpec } from '../../src/model/docker.ts';
import type { AuthorizedKey, Host, HostFile, KeyOption } from '../../src/model/host.ts';
import { Ledger, type InputItem } from '../../src/model/ledger.ts';
import { fileMapper } from '../../src/model/origin.ts';
import { UNIT_TYPES, type Directive, type ExecCommand, type ExecWord, type Unit, type UnitType } from '../../src/model/unit.ts';
import { EMPTY_STORAGE } from '../../src/model/storage.ts';

export class Builder {
  readonly ledger = new Ledger();

  /** A unit from its text; the file is named after the unit. */
  unit(name: string, text: string): Unit {
    const file = name;
    const item = this.ledger.item('unit', name, { file, line: 1, column: 1 });
    const directives = parseDirectives(text, file, item, this.ledger);
    const type = name.slice(name.lastIndexOf('.') + 1) as UnitType;
    if (!UNIT_TYPES.includes(type)) throw new Error(`unknown unit type in ${name}`);
    return { name, type, item, origin: item.origin, directives, dropIns: [], hasBody: true, activation: {} };
  }

  /** An authorized_keys line for `user`. */
  key(user: string, line: string): AuthorizedKey {
    const item = this.ledger.item('authorized-key', `${user} key`, { file: 'authorized_keys', line: 1, column: 1 });
    const { options, rest } = parseKeyOptions(line);
    const [keyType = '', key = '', ...comment] = rest.split(' ');
    return { user, line, options, keyType, key, ...(comment.length ? { comment: comment.join(' ') } : {}), item };
  }

  file(path: string, text: string): HostFile {
    const item = this.ledger.item('file', path, { file: 'cloud-config.yml', line: 1, column: 1 });
    return { path, content: new TextEncoder().encode(text), text, item };
  }

  host(units: readonly Unit[], extra: Partial<Pick<Host, 'authorizedKeys' | 'files'>> = {}): Host {
    return {
      units,
      files: extra.files ?? [],
      users: [],
      groups: [],
      authorizedKeys: extra.authorizedKeys ?? [],
      update: {},
      storage: EMPTY_STORAGE,
      sources: [],
    };
  }
}

function parseDirectives(text: string, file: string, unitItem: InputItem, ledger: Ledger): Directive[] {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  const body = lines.map((l) => l.slice(indent));
  const out: Directive[] = [];
  let section = '';
  for (let i = 0; i < body.length; i++) {
    const line = body[i]!;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    if (trimmed.startsWith('[')) {
      section = trimmed.slice(1, -1);
      continue;
    }
    const eq = line.indexOf('=');
    const key = line.slice(0, eq).trim();
    let valueStart = eq + 1;
    while (line[valueStart] === ' ' || line[valueStart] === '\t') valueStart++;
    let raw = line.slice(valueStart);
    const first = i;
    while (raw.endsWith('\\') && i + 1 < body.length) raw += `\n${body[++i]!}`;
    const lineNo = first + 1;
    const column = valueStart + 1;
    const position = (l: number, c: number) =>
      fileMapper(file)(lineNo + l - 1, l === 1 ? column + c - 1 : c);
    const item = ledger.item('directive', `${key}=`, position(1, 1), unitItem);
    const value = raw.replace(/\\\n/g, ' ').trim();
    const base = { section, key, raw, value, position, item, source: file };
    out.push(key.startsWith('Exec') ? { ...base, exec: execCommand(raw, item, ledger) } : base);
  }
  return out;
}

/** systemd's command-line splitting, simplified: quotes, C escapes, continuations as blanks. */
export function splitWords(raw: string, from = 0): ExecWord[] {
  const words: ExecWord[] = [];
  let i = from;
  const blank = () => raw[i] === ' ' || raw[i] === '\t' || raw[i] === '\n' || (raw[i] === '\\' && raw[i + 1] === '\n');
  while (i < raw.length) {
    while (i < raw.length && blank()) i += raw[i] === '\\' ? 2 : 1;
    if (i >= raw.length) break;
    const start = i;
    let value = '';
    const offsets: number[] = [];
    let quote: string | undefined;
    while (i < raw.length && (quote !== undefined || !blank())) {
      const c = raw[i]!;
      if (quote === undefined && (c === '"' || c === "'")) {
        quote = c;
        i++;
      } else if (c === quote) {
        quote = undefined;
        i++;
      } else if (c === '\\' && quote !== "'") {
        const next = raw[i + 1] ?? '';
        const simple: Record<string, string> = { n: '\n', t: '\t', '"': '"', "'": "'", '\\': '\\', ' ': ' ' };
        if (next === 'x') {
          value += String.fromCharCode(parseInt(raw.slice(i + 2, i + 4), 16));
          offsets.push(i);
          i += 4;
        } else {
          value += simple[next] ?? next;
          offsets.push(i);
          i += 2;
        }
      } else {
        value += c;
        offsets.push(i);
        i++;
      }
    }
    words.push({ value, start, end: i, offsets });
  }
  return words;
}

function execCommand(raw: string, item: InputItem, ledger: Ledger): ExecCommand {
  const prefixes = /^[-@:+!]*/.exec(raw)![0];
  const words = splitWords(raw, prefixes.length);
  const program = words[0]?.value.split('/').pop() ?? '';
  const shellPayload =
    ['sh', 'bash', 'dash'].includes(program) && words[1]?.value === '-c' && words[2] !== undefined ? 2 : undefined;
  const docker = program === 'docker' ? dockerInvocation(words, item, ledger) : undefined;
  return {
    prefixes,
    words,
    ...(docker ? { docker } : {}),
    ...(shellPayload !== undefined ? { shellPayload } : {}),
  };
}

/** Flags with values, by spelling -> canonical name. Everything else starting with `-` is boolean. */
const VALUE_FLAGS: Readonly<Record<string, string>> = {
  '-p': '--publish', '--publish': '--publish', '-v': '--volume', '--volume': '--volume',
  '-e': '--env', '--env': '--env', '--name': '--name', '--net': '--network', '--network': '--network',
  '--tmpfs': '--tmpfs', '--log-driver': '--log-driver', '--restart': '--restart', '-w': '--workdir',
  '-u': '--user', '--mount': '--mount',
};
const BOOL_FLAGS: Readonly<Record<string, string>> = { '-P': '--publish-all', '--publish-all': '--publish-all' };

function dockerInvocation(words: readonly ExecWord[], item: InputItem, ledger: Ledger): DockerInvocation | undefined {
  const verbWord = 1;
  const verb = words[verbWord]?.value;
  if (verb === undefined) return undefined;
  const flags: DockerFlag[] = [];
  let i = verbWord + 1;
  for (; i < words.length; i++) {
    const w = words[i]!.value;
    if (!w.startsWith('-')) break;
    const eq = w.indexOf('=');
    const spelled = eq > 0 ? w.slice(0, eq) : w;
    const name = VALUE_FLAGS[spelled] ?? BOOL_FLAGS[spelled] ?? spelled;
    const takes = VALUE_FLAGS[spelled] !== undefined;
    const value = takes ? (eq > 0 ? w.slice(eq + 1) : words[++i]?.value) : undefined;
    const flagItem = ledger.item('flag', `${spelled} ${value ?? ''}`.trim(), item.origin, item);
    flags.push({ name, spelled, ...(value !== undefined ? { value } : {}), word: i, item: flagItem });
  }
  const isRun = verb === 'run' || verb === 'create';
  const image = isRun ? words[i]?.value : undefined;
  const args = words.slice(isRun ? i + 1 : i).map((w) => w.value);
  const ports = flags.filter((f) => f.name === '--publish').map((f) => portSpec(f));
  const volumes = flags.flatMap((f) => (f.name === '--volume' ? [volumeSpec(f)] : f.name === '--tmpfs' ? [tmpfsSpec(f)] : []));
  const network = flags.find((f) => f.name === '--network')?.value;
  const name = flags.find((f) => f.name === '--name')?.value;
  return {
    verb,
    verbWord,
    engine: 'docker',
    flags,
    ...(image !== undefined ? { image, imageWord: i } : {}),
    args,
    ...(name !== undefined ? { containerName: name } : {}),
    ports,
    publishAll: flags.some((f) => f.name === '--publish-all'),
    volumes,
    ...(network !== undefined ? { network } : {}),
  };
}

function portSpec(flag: DockerFlag): PortSpec {
  const raw = flag.value ?? '';
  const slash = raw.indexOf('/');
  const protocol = (slash < 0 ? 'tcp' : raw.slice(slash + 1)) as PortSpec['protocol'];
  const parts = (slash < 0 ? raw : raw.slice(0, slash)).split(':');
  const range = (text: string) => {
    const [from = '', to = from] = text.split('-');
    return { from: Number(from), to: Number(to) };
  };
  const containerPort = range(parts[parts.length - 1]!);
  const hostText = parts.length >= 2 ? parts[parts.length - 2]! : '';
  const ip = parts.length >= 3 ? parts.slice(0, -2).join(':').replace(/^\[|\]$/g, '') : undefined;
  return {
    raw,
    ...(ip !== undefined && ip !== '' ? { hostIp: ip } : {}),
    ...(hostText !== '' ? { hostPort: range(hostText) } : {}),
    containerPort,
    protocol,
    flag,
  };
}

function volumeSpec(flag: DockerFlag): VolumeSpec {
  const raw = flag.value ?? '';
  const [source = '', target, mode] = raw.split(':');
  if (target === undefined) return { raw, kind: 'anonymous', target: source, readOnly: false, options: [], flag };
  const kind = source.startsWith('/') ? 'bind' : 'volume';
  return { raw, kind, source, target, readOnly: mode === 'ro', options: [], flag };
}

function tmpfsSpec(flag: DockerFlag): VolumeSpec {
  const raw = flag.value ?? '';
  return { raw, kind: 'tmpfs', target: raw.split(':')[0]!, readOnly: false, options: [], flag };
}

/** `command="...",no-pty ssh-ed25519 AAAA comment`: options with their spans. */
function parseKeyOptions(line: string): { options: KeyOption[]; rest: string } {
  if (/^(ssh-|ecdsa-|sk-)/.test(line)) return { options: [], rest: line };
  const options: KeyOption[] = [];
  let i = 0;
  let start = 0;
  let inQuotes = false;
  for (; i <= line.length; i++) {
    const c = line[i];
    if (c === '\\' && inQuotes) {
      i++;
      continue;
    }
    if (c === '"') inQuotes = !inQuotes;
    if (!inQuotes && (c === ',' || c === ' ' || c === undefined)) {
      const text = line.slice(start, i);
      const eq = text.indexOf('=');
      const name = eq < 0 ? text : text.slice(0, eq);
      const value = eq < 0 ? undefined : text.slice(eq + 2, -1).replace(/\\"/g, '"');
      options.push({ name, ...(value !== undefined ? { value } : {}), start, end: i });
      start = i + 1;
      if (c !== ',') break;
    }
  }
  return { options, rest: line.slice(i + 1) };
}

/** A template as Nix would interpolate it, for readable expectations: `${pkgs.lvm2.bin}/bin/vgchange`. */
export function show(template: readonly (string | { readonly attr: readonly string[]; readonly path: string })[]): string {
  return template.map((s) => (typeof s === 'string' ? s : `\${pkgs.${s.attr.join('.')}}${s.path}`)).join('');
}

/** The diagnostics of a ledger as `severity code` lines, for compact expectations. */
export function codes(ledger: Ledger): string[] {
  return ledger.diagnostics.map((d) => `${d.severity} ${d.code}`);
}
