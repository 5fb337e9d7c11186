import type { BinaryAnalysis } from '../model/analysis.ts';
import type { AuthorizedKey, Host, HostFile } from '../model/host.ts';
import type { Ledger } from '../model/ledger.ts';
import type { Origin } from '../model/origin.ts';
import { normalizeTemplate, type Segment, type Template } from '../model/template.ts';
import { originAt, type Directive } from '../model/unit.ts';
import type { TextEdit } from '../model/secret.ts';
import {
  inUnitPath,
  lookupBinary,
  NIXOS_PATH_PREFIXES,
  SHELL_BUILTINS,
  SHELL_RUNNERS,
  SYSTEM_BIN_DIRS,
  type BinaryEntry,
  type RunsNext,
} from './binary-table.ts';
import { isLiteralExecWord, SHELLS, splitProgram } from './exec.ts';
import { readShell, type ShellScript } from './shell-words.ts';

/**
 * Binary paths become store paths (design, "Key decisions"): the program of
 * every Exec*= line, the programs in command position of a `sh -c` payload,
 * and the program of an authorized key's forced command are looked up in the
 * binary table and replaced in place; every other byte stays as written.
 *
 * Where a program is found on the new host decides what happens to a bare
 * name: systemd looks up the program of a command line in its own fixed
 * search path, which on NixOS holds nothing, so bare names there are always
 * rewritten. A shell payload runs with the unit's PATH, which NixOS fills with
 * coreutils, findutils, gnugrep, gnused and systemd: those names stay bare,
 * the rest are rewritten. A forced command runs with sshd's PATH, which
 * nixport does not control, so every known name is rewritten there.
 */
export function analyseBinaries(
  host: Host,
  ledger: Ledger,
  skip: ReadonlySet<Directive> = new Set(),
  secretEdits: ReadonlyMap<Directive, readonly TextEdit[]> = new Map(),
): BinaryAnalysis {
  const resolver = new Resolver(host, ledger);
  const commands = new Map<Directive, Template>();
  for (const unit of host.units) {
    for (const d of unit.directives) {
      if (!d.exec || skip.has(d)) continue;
      // The secrets pass's edits (a secret value -> `${VAR}`) go into the same splice; a program word never holds one.
      const secrets = (secretEdits.get(d) ?? []).map((e): Edit => ({ start: e.start, end: e.end, segments: [e.text] }));
      const own = execEdits(d, resolver).filter((e) => !secrets.some((s) => s.start < e.end && e.start < s.end));
      const edits = [...own, ...secrets];
      if (edits.length > 0) commands.set(d, splice(d.raw, edits));
    }
  }
  const keys = new Map<AuthorizedKey, Template>();
  for (const key of host.authorizedKeys) {
    const edits = keyEdits(key, resolver);
    if (edits.length > 0) keys.set(key, splice(key.line, edits));
  }
  const scripts = new Map<HostFile, Template>();
  for (const [file, readByShell] of scriptsRunByUnits(host)) {
    const edits = scriptFileEdits(file, readByShell, resolver);
    if (edits.length > 0) scripts.set(file, splice(file.text!, edits));
  }
  return { commands, keys, scripts };
}

/**
 * Files the input wrote that a unit runs: as its program with a `#!` line
 * (`ExecStart=/opt/bin/backup.sh`), or as the script a shell reads
 * (`ExecStart=/bin/bash /opt/bin/backup.sh`; true in the map). Those a
 * container mounts are left alone: inside the container, its own
 * interpreter runs them, and a store path would not exist there.
 */
function scriptsRunByUnits(host: Host): Map<HostFile, boolean> {
  const byPath = new Map<string, HostFile>();
  for (const f of host.files) if (f.text !== undefined) byPath.set(f.path, f);
  const found = new Map<HostFile, boolean>();
  if (byPath.size === 0) return found;
  const mounted: string[] = [];
  for (const unit of host.units) for (const d of unit.directives) for (const v of d.exec?.docker?.volumes ?? []) if (v.source?.startsWith('/')) mounted.push(v.source.replace(/\/+$/, ''));
  for (const c of host.containers ?? []) for (const v of c.invocation.volumes) if (v.source?.startsWith('/')) mounted.push(v.source.replace(/\/+$/, ''));
  const usable = (file: HostFile | undefined): file is HostFile => file !== undefined && !mounted.some((m) => file.path === m || file.path.startsWith(`${m}/`));
  for (const unit of host.units) {
    for (const d of unit.directives) {
      if (!d.exec || d.exec.docker) continue;
      const [program, first] = d.exec.words.map((w) => w.value);
      const direct = byPath.get(program ?? '');
      if (usable(direct) && direct.text!.startsWith('#!')) found.set(direct, found.get(direct) ?? false);
      const read = program !== undefined && SHELLS.has(splitProgram(program).name) ? byPath.get(first ?? '') : undefined;
      if (usable(read)) found.set(read, true);
    }
  }
  return found;
}

/**
 * A script's interpreter (`#!/bin/bash`, `#!/usr/bin/env python3`) becomes
 * its store path: NixOS has /bin/sh and /usr/bin/env but no /bin/bash, and
 * a unit's PATH holds no python3. A shell script's programs (or those of a
 * file a shell reads) are rewritten as a `sh -c` payload's are, with the
 * unit's PATH rules.
 */
function scriptFileEdits(file: HostFile, readByShell: boolean, resolver: Resolver): Edit[] {
  const text = file.text!;
  const origin = file.item.origin;
  const lineEnd = text.indexOf('\n') < 0 ? text.length : text.indexOf('\n');
  const shebang = /^#![ \t]*(\/usr\/bin\/env[ \t]+)?(\S+)/.exec(text.slice(0, lineEnd));
  const edits: Edit[] = [];
  if (shebang) {
    // `#!/usr/bin/env NAME` is replaced whole, so the line names the program directly.
    const interpreter = shebang[2]!;
    const start = shebang[0].length - interpreter.length - (shebang[1]?.length ?? 0);
    const segments = resolver.interpreter(interpreter, shebang[1] !== undefined, origin);
    if (segments) edits.push({ start, end: shebang[0].length, segments });
  }
  if (readByShell || (shebang && SHELLS.has(splitProgram(shebang[2]!).name))) {
    const script = readShell(text);
    if (!script.complete) {
      resolver.report('warning', 'binaries/shell-unreadable', `part of the script ${file.path} could not be read; programs in it are not rewritten`, origin, 'check the script for here-documents or unbalanced quotes, and use store paths in it by hand');
      return edits;
    }
    const identity = Array.from({ length: text.length + 1 }, (_, i) => i);
    edits.push(...scriptEdits(script, identity, text, () => origin, 'shell', resolver).filter((e) => !shebang || e.start >= lineEnd));
  }
  return edits;
}

/** A span of the original text and what replaces it. */
interface Edit {
  readonly start: number;
  readonly end: number;
  readonly segments: readonly Segment[];
}

/** Where a program word sits: its text, its span in the original, where to point diagnostics. */
interface Located {
  readonly literal?: string;
  /** Span in the original text; undefined when escapes split the word so it cannot be replaced in place. */
  readonly span?: { readonly start: number; readonly end: number };
  readonly origin: Origin;
}

type Context = 'exec' | 'shell' | 'key';

function execEdits(d: Directive, resolver: Resolver): Edit[] {
  const exec = d.exec!;
  if (exec.words.length === 0) return [];
  const words: Located[] = exec.words.map((w) => {
    const span = { start: w.start, end: w.end };
    const origin = originAt(d, w.start);
    // Two literals, not a spread of the optional field: spreads are slow to build, and this runs per word.
    return isLiteralExecWord(w.value) ? { literal: w.value, span, origin } : { span, origin };
  });
  // With the `@` prefix the second word is argv[0], so only the first is a program.
  const programs = exec.prefixes.includes('@') ? [0] : programIndexes(words, 0, undefined);
  const edits: Edit[] = [];
  for (const i of programs) {
    const edit = resolver.rewrite(words[i]!, 'exec');
    if (edit) edits.push(edit);
  }
  if (programs.length === 0 && words[0]!.literal === undefined) {
    resolver.report('info', 'binaries/variable-program', `the program \`${exec.words[0]!.value}\` is expanded by systemd at run time; it is not rewritten`, words[0]!.origin);
  }

  const payload = exec.shellPayload === undefined ? undefined : exec.words[exec.shellPayload];
  if (payload && !exec.docker && SHELLS.has(splitProgram(exec.words[0]!.value).name)) {
    const script = readShell(payload.value);
    const at = (offset: number) => originAt(d, payload.offsets[offset] ?? payload.start);
    if (!script.complete) {
      resolver.report('warning', 'binaries/shell-unreadable', 'part of this shell payload could not be read; programs in it are not rewritten', at(0), 'check the payload for here-documents or unbalanced quotes');
    }
    edits.push(...scriptEdits(script, payload.offsets, d.raw, at, 'shell', resolver));
  }
  return edits;
}

function keyEdits(key: AuthorizedKey, resolver: Resolver): Edit[] {
  const option = key.options.find((o) => o.name.toLowerCase() === 'command');
  if (!option) return [];
  const quoted = dequote(key.line, option.start, option.end);
  if (!quoted) return [];
  const script = readShell(quoted.value);
  const origin = key.item.origin;
  if (!script.complete) {
    resolver.report('warning', 'binaries/shell-unreadable', 'part of this forced command could not be read; programs in it are not rewritten', origin);
  }
  return scriptEdits(script, quoted.offsets, key.line, () => origin, 'key', resolver);
}

/** Program words of every command of a script, replaced in the original through `offsets`. */
function scriptEdits(
  script: ShellScript,
  offsets: readonly number[],
  original: string,
  at: (offset: number) => Origin,
  context: Context,
  resolver: Resolver,
): Edit[] {
  const edits: Edit[] = [];
  for (const command of script.commands) {
    const words: Located[] = command.words.map((w) => {
      const span = spanOf(w.start, w.end, w.text, offsets, original);
      const origin = at(w.start);
      // Written out, not spread from optional parts: spreads are slow to build, and this runs per word.
      if (w.literal === undefined) return span === undefined ? { origin } : { span, origin };
      return span === undefined ? { literal: w.literal, origin } : { literal: w.literal, span, origin };
    });
    for (const i of programIndexes(words, 0, script.functions)) {
      const edit = resolver.rewrite(words[i]!, context);
      if (edit) edits.push(edit);
    }
  }
  return edits;
}

/** The original span of [start, end) of a derived text, when it was written there unchanged. */
function spanOf(start: number, end: number, text: string, offsets: readonly number[], original: string): Located['span'] {
  const from = offsets[start];
  const last = offsets[end - 1];
  if (from === undefined || last === undefined) return undefined;
  for (let k = start; k < end - 1; k++) if (offsets[k + 1] !== offsets[k]! + 1) return undefined;
  if (original.slice(from, last + 1) !== text) return undefined;
  return { start: from, end: last + 1 };
}

/**
 * Indexes of the words that are programs: the first, and after a program
 * that runs another one (env, nohup, sudo, the shell's exec), the next one
 * after its options. Shell builtins and functions are not programs.
 */
function programIndexes(words: readonly Located[], from: number, functions: ReadonlySet<string> | undefined): number[] {
  const shell = functions !== undefined;
  const out: number[] = [];
  let i = from;
  while (i < words.length) {
    const name = words[i]!.literal;
    if (name === undefined) break;
    if (shell) {
      const runner = SHELL_RUNNERS[name];
      if (runner) {
        i = skipToProgram(words, i + 1, runner);
        continue;
      }
      if (functions.has(name) || SHELL_BUILTINS.has(name)) break;
    }
    out.push(i);
    const runs = lookupBinary(splitProgram(name).name)?.runs;
    if (!runs) break;
    i = skipToProgram(words, i + 1, runs);
  }
  return out;
}

function skipToProgram(words: readonly Located[], from: number, runs: RunsNext): number {
  let i = from;
  while (i < words.length) {
    const w = words[i]!.literal;
    if (w === undefined) return i;
    if (w === '--') return i + 1 + (runs.positionals ?? 0);
    if (runs.assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) {
      i++;
    } else if (w.startsWith('-') && w !== '-') {
      i += runs.optionsWithValue?.includes(w) ? 2 : 1;
    } else {
      break;
    }
  }
  return i + (runs.positionals ?? 0);
}

/** Looks programs up and reports what cannot be rewritten; notes are said once per entry. */
class Resolver {
  private readonly files: ReadonlySet<string>;
  private readonly noted = new Set<BinaryEntry>();

  constructor(
    host: Host,
    private readonly ledger: Ledger,
  ) {
    this.files = new Set(host.files.map((f) => f.path));
  }

  report(severity: 'info' | 'warning', code: string, message: string, origin: Origin, hint?: string): void {
    this.ledger.report(severity, code, message, origin, hint);
  }

  rewrite(word: Located, context: Context): Edit | undefined {
    const program = word.literal!;
    const segments = this.resolve(program, word.origin, context);
    if (!segments) return undefined;
    if (!word.span) {
      this.report(
        'warning',
        'binaries/escaped-program',
        `\`${program}\` is written with escapes, so it cannot be replaced in place; it stays as written`,
        word.origin,
        'write the program without escapes, or replace it with its store path by hand',
      );
      return undefined;
    }
    return { start: word.span.start, end: word.span.end, segments };
  }

  /**
   * What replaces a script's interpreter: a program of the old OS's bin
   * directories, or a bare name after `/usr/bin/env`. Paths NixOS has
   * (/bin/sh, /usr/bin/env itself) and programs installed by hand stay.
   */
  interpreter(program: string, viaEnv: boolean, origin: Origin): readonly Segment[] | undefined {
    const { dir, name } = splitProgram(program);
    // `env -S ...` splits its own arguments: not rewritten.
    if (viaEnv && program.startsWith('-')) return undefined;
    if (!viaEnv && (dir === undefined || !SYSTEM_BIN_DIRS.includes(dir))) return undefined;
    const entry = lookupBinary(name);
    if (!entry) {
      this.report('warning', 'binaries/unknown-interpreter', `the script's interpreter \`${program}\` is not in nixport's binary table; the new host has ${viaEnv ? 'no such program on a unit\'s PATH' : `no ${dir}`}`, origin, 'write the store path of the package that has it on the `#!` line');
      return undefined;
    }
    if (entry.target.kind === 'path' && entry.target.path === program) return undefined;
    return this.target(entry, name, origin);
  }

  /** What replaces `program`, or undefined to keep it. */
  private resolve(program: string, origin: Origin, context: Context): readonly Segment[] | undefined {
    const { dir, name } = splitProgram(program);
    const entry = lookupBinary(name);
    if (dir === undefined) {
      if (!entry) {
        this.report(
          'warning',
          'binaries/unknown-program',
          `\`${name}\` is not in nixport's binary table, and nothing puts it on the new host's PATH`,
          origin,
          context === 'shell'
            ? 'add its package to the unit (systemd.services.<name>.path) or write its store path'
            : 'write the store path of the package that has it',
        );
        return undefined;
      }
      if (context === 'shell' && inUnitPath(entry)) return undefined;
      return this.target(entry, name, origin);
    }
    if (!program.startsWith('/') || NIXOS_PATH_PREFIXES.some((p) => program.startsWith(p))) return undefined;
    if (this.files.has(program)) {
      this.report('info', 'binaries/carried-file', `\`${program}\` is a file the old host wrote (write_files); it is carried and used as it is`, origin);
      return undefined;
    }
    if (entry?.target.kind === 'path' && entry.target.path === program) return undefined;
    if (SYSTEM_BIN_DIRS.includes(dir)) {
      if (entry) return this.target(entry, name, origin);
      this.report(
        'warning',
        'binaries/unknown-program',
        `\`${program}\` is not in nixport's binary table; the new host has no ${dir}`,
        origin,
        'write the store path of the package that has it (and consider adding it to the binary table)',
      );
      return undefined;
    }
    if (entry) {
      this.report(
        'warning',
        'binaries/local-program-replaced',
        `\`${program}\` was installed by hand on the old host; the new host runs nixpkgs's ${name}, whose version may differ`,
        origin,
      );
      return this.target(entry, name, origin);
    }
    this.report(
      'warning',
      'binaries/unknown-program',
      `\`${program}\` is not part of the old OS and not in nixport's binary table`,
      origin,
      'if it came from write_files it is carried with the files; otherwise package it (e.g. pkgs.writeShellScriptBin) and use its store path',
    );
    return undefined;
  }

  private target(entry: BinaryEntry, name: string, origin: Origin): readonly Segment[] {
    if (!this.noted.has(entry)) {
      this.noted.add(entry);
      const needs = entry.target.kind === 'wrapper' ? entry.target.needs : undefined;
      if (entry.note) this.report('info', 'binaries/note', `${name}: ${entry.note}`, origin);
      if (needs) this.report('info', 'binaries/note', `/run/wrappers/bin/${name} exists with ${needs}`, origin);
    }
    const t = entry.target;
    if (t.kind === 'wrapper') return [`/run/wrappers/bin/${name}`];
    if (t.kind === 'path') return [t.path];
    const ref = { attr: t.attr, path: `/bin/${t.program ?? name}` };
    return t.args === undefined ? [ref] : [ref, ` ${t.args}`];
  }
}

/**
 * The value of `name="..."` in an authorized_keys line (OpenSSH's rule: only
 * `\"` is an escape), with each character's offset in the line.
 */
function dequote(line: string, start: number, end: number): { value: string; offsets: number[] } | undefined {
  const open = line.indexOf('"', start);
  if (open < 0 || open >= end) return undefined;
  let value = '';
  const offsets: number[] = [];
  for (let i = open + 1; i < end; i++) {
    const c = line[i]!;
    if (c === '"') return { value, offsets };
    if (c === '\\' && line[i + 1] === '"') i++;
    value += line[i]!;
    offsets.push(i);
  }
  return undefined;
}

/** Replaces non-overlapping spans of `text`, keeping everything else byte for byte. */
function splice(text: string, edits: readonly Edit[]): Template {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const out: Segment[] = [];
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) continue; // the same word found twice
    out.push(text.slice(at, e.start), ...e.segments);
    at = e.end;
  }
  out.push(text.slice(at));
  return normalizeTemplate(out);
}
