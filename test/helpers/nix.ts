import { execFile, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BUILDERS, isBuilderName, MODULES_PATH, PRIORITY, WRITER_SETS, packageStorePath } from './nix-json.ts';

/**
 * Checks generated Nix with the real Nix (2.8: `nix-instantiate`). Every
 * call batches its files into as few processes as it can, so a suite that
 * checks hundreds of values stays fast.
 *
 * The stubs' meaning is documented in nix-json.ts, which evaluates the same
 * stubs in TypeScript.
 */

let available: boolean | undefined;

export function nixAvailable(): boolean {
  available ??= spawnSync('nix-instantiate', ['--version'], { stdio: 'ignore' }).status === 0;
  return available;
}

/**
 * For `describe.skipIf(skipWithoutNix())`: true when Nix is missing, so the
 * tests skip — unless NIXPORT_REQUIRE_NIX=1, where a missing Nix throws and
 * the test file fails instead.
 */
export function skipWithoutNix(available = nixAvailable(), env: NodeJS.ProcessEnv = process.env): boolean {
  if (available) return false;
  if (env['NIXPORT_REQUIRE_NIX'] === '1') {
    throw new Error('NIXPORT_REQUIRE_NIX=1 but nix-instantiate is not available on PATH');
  }
  return true;
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile('nix-instantiate', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A scratch directory holding `files` (paths relative to it); removed after `use`. */
async function withFiles<T>(files: Readonly<Record<string, string>>, use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'nixport-nix-')));
  try {
    for (const [name, text] of Object.entries(files)) {
      if (name.startsWith('/') || name.split('/').includes('..')) throw new Error(`file name must be relative: ${name}`);
      await mkdir(dirname(join(dir, name)), { recursive: true });
      await writeFile(join(dir, name), text);
    }
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Error text with the scratch directory removed, so it names the caller's files. */
const clean = (text: string, dir: string): string => text.replaceAll(dir + '/', '').trim();

async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Parses each file with `nix-instantiate --parse`. Returns the files that do
 * not parse, with Nix's message; `{}` when all parse. One process checks all
 * files; only when that fails does each file get its own, four at a time.
 */
export async function parseNix(files: Readonly<Record<string, string>>): Promise<Record<string, string>> {
  const names = Object.keys(files);
  if (names.length === 0) return {};
  return withFiles(files, async (dir) => {
    const all = await run(['--parse', ...names], dir);
    if (all.code === 0) return {};
    const errors: Record<string, string> = {};
    const each = await pool(names, 4, (name) => run(['--parse', name], dir));
    each.forEach((r, i) => {
      if (r.code !== 0) errors[names[i]!] = clean(r.stderr, dir);
    });
    if (Object.keys(errors).length === 0) throw new Error(`nix-instantiate --parse failed: ${clean(all.stderr, dir)}`);
    return errors;
  });
}

const MAIN = '__nixport_main.nix';

/**
 * Evaluates the Nix expression `expr` (source text) with
 * `nix-instantiate --eval --strict --json`, next to `files`, and returns the
 * parsed JSON. Throws with Nix's message when evaluation fails. Put many
 * checks into one expression (a list or set) rather than calling this often.
 */
export async function evalNixJson(expr: string, files: Readonly<Record<string, string>> = {}): Promise<unknown> {
  if (MAIN in files) throw new Error(`${MAIN} is reserved`);
  return withFiles({ ...files, [MAIN]: expr }, async (dir) => {
    const r = await run(['--eval', '--strict', '--json', MAIN], dir);
    if (r.code !== 0) throw new Error(`nix-instantiate --eval failed:\n${clean(r.stderr, dir)}`);
    return relativizePaths(JSON.parse(r.stdout), dir);
  });
}

/** `path:/tmp/x/files/a` (a path value the harness marked) becomes `path:files/a`. */
function relativizePaths(value: unknown, dir: string): unknown {
  if (typeof value === 'string') {
    if (value === `path:${dir}`) return 'path:.';
    return value.startsWith(`path:${dir}/`) ? 'path:' + value.slice(`path:${dir}/`.length) : value;
  }
  if (Array.isArray(value)) return value.map((v) => relativizePaths(v, dir));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, relativizePaths(v, dir)]));
  }
  return value;
}

/** A `"..."` literal; every `$` is escaped, which is always allowed. Kept apart from the printer on purpose. */
function literal(text: string): string {
  const escapes: Record<string, string> = { '"': '\\"', '\\': '\\\\', $: '\\$', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  return '"' + [...text].map((c) => escapes[c] ?? c).join('') + '"';
}

const FAKE_HASH_NIX =
  'seed: builtins.replaceStrings [ "e" ] [ "z" ] (builtins.substring 0 32 (builtins.hashString "sha256" seed))';

/**
 * Source of a stub `pkgs`: every attribute path (and its prefixes) is a set
 * whose `outPath` is `packageStorePath(path)`, so it interpolates and prints
 * as a store path, and its sub-packages (`pkgs.lvm2.bin`) nest inside it.
 * `writeText`, `writeScript` and `writeShellScript` return fake store paths.
 */
export function stubPkgsNix(attrs: readonly (readonly string[])[]): string {
  interface Node {
    readonly attr: readonly string[];
    readonly children: Map<string, Node>;
  }
  const root: Node = { attr: [], children: new Map() };
  for (const attr of attrs) {
    if (attr.length === 0 || isBuilderName(attr[0]!)) continue;
    let node = root;
    for (const name of attr) {
      let child = node.children.get(name);
      if (!child) node.children.set(name, (child = { attr: [...node.attr, name], children: new Map() }));
      node = child;
    }
  }
  const print = (node: Node, indent: string): string => {
    const inner = indent + '  ';
    const lines = [`${inner}outPath = ${literal(packageStorePath(node.attr))};`];
    for (const [name, child] of node.children) lines.push(`${inner}${literal(name)} = ${print(child, inner)};`);
    return `{\n${lines.join('\n')}\n${indent}}`;
  };
  const builders = BUILDERS.map((b) => `  ${b} = builder ${literal(b)};`);
  // Writers (nix-json.ts, writerStorePath): name, { libraries }, text.
  for (const [set, writers] of Object.entries(WRITER_SETS)) {
    const entries = writers.map((w) => `${literal(w)} = name: args: text: "/nix/store/\${fakeHash "${set}.${w}:\${name}:\${builtins.concatStringsSep " " (map toString (args.libraries or [ ]))}:\${text}"}-\${name}";`);
    builders.push(`  ${literal(set)} = { ${entries.join(' ')} };`);
  }
  const packages = [...root.children].map(([name, child]) => `  ${literal(name)} = ${print(child, '  ')};`);
  return [
    'let',
    `  fakeHash = ${FAKE_HASH_NIX};`,
    '  builder = kind: name: text: "/nix/store/${fakeHash "${kind}:${name}:${text}"}-${name}";',
    'in',
    '{',
    ...builders,
    ...packages,
    '}',
    '',
  ].join('\n');
}

/** Source of a stub `lib`: the override/if/merge sets NixOS uses (see nix-json.ts), and `getExe'`. */
export const stubLibNix = `{
  mkOverride = priority: content: { _type = "override"; inherit priority content; };
  mkDefault = content: { _type = "override"; priority = ${PRIORITY.default}; inherit content; };
  mkForce = content: { _type = "override"; priority = ${PRIORITY.force}; inherit content; };
  mkVMOverride = content: { _type = "override"; priority = ${PRIORITY.vm}; inherit content; };
  mkIf = condition: content: { _type = "if"; inherit condition content; };
  mkMerge = contents: { _type = "merge"; inherit contents; };
  getExe' = pkg: name: "\${pkg}/bin/\${name}";
}
`;

/**
 * Loads modules and merges their definitions; the rules match
 * nix-json.ts (normalizeDefinitions, mergeJson, finalizeJson).
 */
const MODULES_NIX = `{ files, lib, pkgs, modulesPath }:
let
  inherit (builtins) attrNames concatMap concatStringsSep foldl' functionArgs head intersectAttrs isAttrs isBool isFunction isList listToAttrs mapAttrs toJSON typeOf;

  showPath = where: if where == [ ] then "<top>" else concatStringsSep "." where;
  isWrapper = type: v: isAttrs v && v ? _type && v._type == type;

  # Values as JSON shows them: a package is its store path, a path a marked string.
  toData = v:
    if typeOf v == "path" then "path:" + toString v
    else if isAttrs v && v ? outPath then toData v.outPath
    else if isAttrs v then mapAttrs (_: toData) v
    else if isList v then map toData v
    else v;

  # [ value ], or [ ] when mkIf removed the definition.
  normalize = where: v:
    if isAttrs v && v ? _type then
      if v._type == "if" then
        (if !isBool v.condition then throw "mkIf condition at \${showPath where} is not a boolean"
         else if v.condition then normalize where v.content else [ ])
      else if v._type == "merge" then
        foldl' (acc: item:
          let n = normalize where item; in
          if n == [ ] then acc else if acc == [ ] then n else [ (mergeAt where (head acc) (head n)) ]
        ) [ ] v.contents
      else if v._type == "override" then
        map (c: v // { content = c; }) (normalize where v.content)
      else throw "unknown _type \${toJSON v._type} at \${showPath where}"
    else if isAttrs v then
      [ (listToAttrs (concatMap (name: map (value: { inherit name value; }) (normalize (where ++ [ name ]) v.\${name})) (attrNames v))) ]
    else if isList v then
      [ (concatMap (normalize where) v) ]
    else [ v ];

  priority = v: if isWrapper "override" v then v.priority else ${PRIORITY.plain};
  content = v: if isWrapper "override" v then v.content else v;

  mergeAt = where: a: b:
    let pa = priority a; pb = priority b; in
    if pa < pb then a
    else if pb < pa then b
    else
      let merged = mergePlain where (content a) (content b); in
      if isWrapper "override" a || isWrapper "override" b
      then { _type = "override"; priority = pa; content = merged; }
      else merged;

  mergePlain = where: a: b:
    if isAttrs a && isAttrs b then
      a // mapAttrs (name: bv: if a ? \${name} then mergeAt (where ++ [ name ]) a.\${name} bv else bv) b
    else if isList a && isList b then a ++ b
    else if !(isAttrs a || isAttrs b || isList a || isList b) && a == b then a
    else throw "conflicting definitions for \${showPath where}: \${toJSON a} and \${toJSON b}";

  finalize = v:
    if isWrapper "override" v then finalize v.content
    else if isAttrs v then mapAttrs (_: finalize) v
    else if isList v then map finalize v
    else v;

  args = { inherit config lib pkgs modulesPath; };
  # As NixOS does: a module function gets the arguments it names.
  load = file:
    let
      m = import file;
      value = if isFunction m then m (intersectAttrs (functionArgs m) args) else m;
    in removeAttrs value [ "imports" ];
  definition = file: let n = normalize [ ] (toData (load file)); in if n == [ ] then { } else head n;

  config = finalize (foldl' (acc: file: mergeAt [ ] acc (definition file)) { } files);
in
config
`;

/** Attribute paths under `pkgs` that Nix source mentions (`pkgs.lvm2.bin`), builders excluded. */
export function pkgsMentionedIn(source: string): string[][] {
  const found = new Map<string, string[]>();
  for (const match of source.matchAll(/\bpkgs((?:\.[A-Za-z_][A-Za-z0-9_'-]*)+)/g)) {
    const attr = match[1]!.slice(1).split('.');
    if (!isBuilderName(attr[0]!)) found.set(attr.join('.'), attr);
  }
  return [...found.values()];
}

/**
 * Evaluates NixOS module files with the stub `pkgs` and `lib` and merges
 * their definitions in the order of `entry` (file names in `files`):
 * attribute sets recursively, lists concatenated, equal scalars kept,
 * different scalars an error, `mkOverride` by priority, `mkIf` by its
 * condition. `imports` are dropped, not followed. Modules receive
 * `{ config, lib, pkgs, modulesPath }`, `config` being the merged result.
 * `pkgs` holds `options.pkgs`, or else every `pkgs.…` path the files mention.
 */
export async function evalModules(
  files: Readonly<Record<string, string>>,
  entry: readonly string[],
  options: { readonly pkgs?: readonly (readonly string[])[] } = {},
): Promise<unknown> {
  for (const name of entry) if (!(name in files)) throw new Error(`entry ${name} is not among the files`);
  const pkgs = options.pkgs ?? Object.values(files).flatMap(pkgsMentionedIn);
  const support = {
    '__nixport_pkgs.nix': stubPkgsNix(pkgs),
    '__nixport_lib.nix': stubLibNix,
    '__nixport_modules.nix': MODULES_NIX,
  };
  const main = `import ./__nixport_modules.nix {
  lib = import ./__nixport_lib.nix;
  pkgs = import ./__nixport_pkgs.nix;
  modulesPath = ${MODULES_PATH};
  files = [
${entry.map((name) => `    (./. + ${literal('/' + name)})`).join('\n')}
  ];
}
`;
  return evalNixJson(main, { ...files, ...support });
}
