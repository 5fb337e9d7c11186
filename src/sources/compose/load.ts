/**
 * Loading a Compose project as Docker Compose does: the `.env` file (or
 * `--env-file`), each file parsed with positions, interpolated, validated
 * against the schema and normalised, its `extends` resolved; the files
 * merged in order (override rules in merge.ts); `include`d projects added;
 * the project named; services outside the active profiles set aside.
 */
import { InputError } from '../../model/diagnostic.ts';
import type { Ledger } from '../../model/ledger.ts';
import type { Origin } from '../../model/origin.ts';
import { parseYaml } from '../yaml.ts';
import { parseDotenv } from './dotenv.ts';
import { dirOf, resolvePath, type ComposeFiles } from './files.ts';
import { interpolate, type Lookup } from './interpolate.ts';
import { mergeNodes } from './merge.ts';
import { child, entryOf, fromYaml, isCMap, isCSeq, isCScalar, text, withEntry, type CEntry, type CMap, type CNode } from './node.ts';
import { normalizeResource, normalizeService } from './normalize.ts';
import { projectName, type ProjectName } from './project-name.ts';
import { validateCompose } from './schema.ts';

export interface ComposeOptions {
  /** The project's files in order, as `-f` gives them (input paths); the first is the main file. */
  readonly files?: readonly string[];
  /** `--env-file`: replaces the project's `.env` (input paths; later files win). */
  readonly envFiles?: readonly string[];
  /** `--profile`: the active profiles (default: COMPOSE_PROFILES from the env file, else none). */
  readonly profiles?: readonly string[];
  /** `-p`: the project name. */
  readonly projectName?: string;
  /** Where the project directory is on the host (absolute); relative paths resolve against it. */
  readonly projectDirectory?: string;
  /** The name of the working directory, for a Compose file named without a directory (`compose.yml`). */
  readonly workingDirectoryName?: string;
}

export interface LoadedProject {
  readonly name: ProjectName;
  /** The main file (the first), and the directory it is in (input-relative). */
  readonly mainFile: string;
  readonly directory: string;
  /** Every Compose file read, in order: the project's files, then extended and included ones. */
  readonly files: readonly string[];
  readonly envFiles: readonly string[];
  /** The merged model: services normalised, extends applied, include merged, inactive services removed. */
  readonly model: CMap;
  /** Services of profiles that are not active. */
  readonly inactive: readonly CEntry[];
  readonly profiles: readonly string[];
  readonly lookup: Lookup;
}

interface LoadContext {
  readonly fs: ComposeFiles;
  readonly ledger: Ledger;
  readonly lookup: Lookup;
  readonly files: string[];
  /** Parsed files, by path: `extends` may read one file several times. */
  readonly cache: Map<string, CMap>;
  readonly unset: Set<string>;
}

export function loadProject(paths: readonly string[], fs: ComposeFiles, ledger: Ledger, options: ComposeOptions = {}): LoadedProject {
  const mainFile = paths[0]!;
  const directory = dirOf(mainFile);
  const { lookup, envFiles } = projectEnvironment(directory, fs, options);
  const ctx: LoadContext = { fs, ledger, lookup, files: [], cache: new Map(), unset: new Set() };

  let model: CMap | undefined;
  for (const path of paths) {
    const file = loadFile(path, ctx, model === undefined ? undefined : mainFile);
    const extended = applyExtends(file, path, ctx);
    model = model === undefined ? extended : (mergeNodes(model, extended, []) as CMap);
  }
  model = applyInclude(model!, ctx, lookup);

  const name = projectName(model, directory, options, lookup);
  const profiles = activeProfiles(options, lookup);
  const { active, inactive } = splitByProfile(model, profiles);
  checkDependencies(active);
  return { name, mainFile, directory, files: ctx.files, envFiles, model: active, inactive, profiles, lookup };
}

/** `.env` beside the main file, or the `--env-file`s; values only from files, never from nixport's own environment. */
function projectEnvironment(directory: string, fs: ComposeFiles, options: ComposeOptions): { lookup: Lookup; envFiles: string[] } {
  const values = new Map<string, string>();
  const envFiles: string[] = [];
  const named = options.envFiles !== undefined;
  const paths = named ? options.envFiles! : [resolvePath(directory, '.env')];
  for (const path of paths) {
    const file = fs.read(path);
    if (!file) {
      if (!named) continue;
      throw new InputError({ code: 'compose/env-file-missing', message: `--env-file ${path} is not among the inputs`, hint: 'name the env file as an input too, or check the path' });
    }
    envFiles.push(file.path);
    for (const e of parseDotenv(file.path, file.text, (n) => values.get(n))) values.set(e.name, e.value);
  }
  return { lookup: (name) => values.get(name), envFiles };
}

/** One file: parsed, interpolated, validated, normalised. */
function loadFile(path: string, ctx: LoadContext, referrer?: string, at?: Origin): CMap {
  const cached = ctx.cache.get(path);
  if (cached) return cached;
  const file = ctx.fs.read(path);
  if (!file) {
    throw new InputError({
      code: 'compose/missing-file',
      message: `${path} is not among the inputs${referrer ? ` (named by ${referrer})` : ''}`,
      ...(at ? { origin: at } : {}),
      hint: 'name the file as an input too (or the directory that holds it)',
    });
  }
  ctx.files.push(file.path);
  const src = parseYaml(file.path, file.text, { version: '1.2', code: 'compose', checkedByReader: true });
  const root = fromYaml(src);
  if (!isCMap(root)) {
    const empty = isCScalar(root) && root.value === null;
    throw new InputError({
      code: 'compose/not-a-mapping',
      message: empty ? `${file.path} is empty` : `${file.path} is not a Compose file: its top level is not a mapping`,
      origin: root.origin,
      hint: 'a Compose file is a mapping with `services:` (and `networks:`, `volumes:`, ...)',
    });
  }
  const interpolated = interpolateTree(root, ctx) as CMap;
  validateCompose(interpolated);
  const normal = normalizeFile(interpolated);
  ctx.cache.set(path, normal);
  return normal;
}

function normalizeFile(root: CMap): CMap {
  let out = root;
  const services = child(root, 'services');
  if (isCMap(services)) {
    const entries = new Map<string, CEntry>();
    for (const [k, e] of services.entries) entries.set(k, { ...e, value: normalizeService(e.value) });
    out = withEntry(out, 'services', { ...services, entries });
  }
  for (const top of ['networks', 'volumes', 'secrets', 'configs']) {
    const section = child(out, top);
    if (!isCMap(section)) continue;
    const entries = new Map<string, CEntry>();
    for (const [k, e] of section.entries) entries.set(k, { ...e, value: normalizeResource(e.value) });
    out = withEntry(out, top, { ...section, entries });
  }
  return out;
}

/** Interpolates every string value (never keys), as Compose does before merging. */
function interpolateTree(node: CNode, ctx: LoadContext): CNode {
  if (node.kind === 'scalar') {
    if (typeof node.value !== 'string' || !node.value.includes('$')) return node;
    const r = interpolate(node.value, ctx.lookup);
    if (!r.ok) throw new InputError({ code: 'compose/interpolation', message: r.message, origin: node.origin, hint: r.hint });
    for (const name of r.unset) {
      if (ctx.unset.has(name)) continue;
      ctx.unset.add(name);
      ctx.ledger.report(
        'warning',
        'compose/variable-unset',
        `the variable ${name} is not set; Compose substitutes an empty string, and so does nixport`,
        node.origin,
        `set ${name} in the project's .env file or in a file given with --env-file (nixport does not read its own environment, so the output does not depend on the machine it runs on)`,
      );
    }
    return { ...node, value: r.value };
  }
  // Subtrees without a `$` are shared, not copied: most of a file is.
  if (node.kind === 'seq') {
    let changed = false;
    const items = node.items.map((i) => {
      const out = interpolateTree(i, ctx);
      changed ||= out !== i;
      return out;
    });
    return changed ? { ...node, items } : node;
  }
  let entries: Map<string, CEntry> | undefined;
  // forEach, not `for of` over entries: no [key, entry] pair is made per key of the file.
  node.entries.forEach((e, k) => {
    const value = interpolateTree(e.value, ctx);
    if (value === e.value) return;
    entries ??= new Map(node.entries);
    entries.set(k, { ...e, value });
  });
  return entries ? { ...node, entries } : node;
}

/** Resolves `extends` in one file's services (the base from this file or another), refusing cycles. */
function applyExtends(file: CMap, path: string, ctx: LoadContext): CMap {
  const services = child(file, 'services');
  if (!isCMap(services) || ![...services.entries.values()].some((e) => child(e.value, 'extends'))) return file;
  const entries = new Map<string, CEntry>();
  for (const [name, e] of services.entries) entries.set(name, { ...e, value: resolveService(path, name, ctx, [], e.keyOrigin) });
  return withEntry(file, 'services', { ...services, entries });
}

function resolveService(path: string, name: string, ctx: LoadContext, stack: readonly string[], at: Origin, fileAt: Origin = at): CNode {
  const key = `${path}#${name}`;
  const file = loadFile(path, ctx, undefined, fileAt);
  const entry = entryOf(child(file, 'services'), name);
  if (!entry) {
    throw new InputError({ code: 'compose/extends-missing', message: `extends names the service \`${name}\`, which ${path} does not define`, origin: at, hint: 'check the service name and the `file:` of extends' });
  }
  const ext = child(entry.value, 'extends');
  if (!isCMap(ext)) return entry.value;
  const loop = stack.indexOf(key);
  if (loop >= 0) {
    const names = [...stack.slice(loop), key].map((k) => k.slice(k.indexOf('#') + 1));
    throw new InputError({ code: 'compose/extends-cycle', message: `extends goes round in a circle: ${names.join(' → ')}`, origin: ext.origin, hint: 'one of these services must not extend the others' });
  }
  const fileNode = child(ext, 'file');
  const basePath = text(fileNode) === undefined ? path : resolvePath(dirOf(fileNode!.origin.file), text(fileNode)!);
  const baseName = text(child(ext, 'service')) ?? name;
  const base = resolveService(basePath, baseName, ctx, [...stack, key], child(ext, 'service')?.origin ?? ext.origin, fileNode?.origin);
  const own = withEntry(entry.value as CMap, 'extends', undefined);
  return mergeNodes(base, own, ['services', name]) ?? own;
}

/** `include:` projects, loaded on their own (their own .env as defaults) and added; names that clash are refused. */
function applyInclude(model: CMap, ctx: LoadContext, parent: Lookup): CMap {
  const include = child(model, 'include');
  if (!isCSeq(include)) return model;
  let out = withEntry(model, 'include', undefined);
  for (const item of include.items) {
    const pathNode = isCScalar(item) ? item : child(item, 'path');
    const paths = isCSeq(pathNode) ? pathNode.items : pathNode ? [pathNode] : [];
    const resolved = paths.map((p) => ({ path: resolvePath(dirOf(p.origin.file), text(p) ?? ''), origin: p.origin }));
    if (resolved.length === 0) continue;
    const projectDirectory = child(item, 'project_directory');
    if (projectDirectory) {
      ctx.ledger.report('warning', 'compose/include-project-directory', `include: project_directory is not applied; relative paths of the included files are resolved against their own directory`, projectDirectory.origin, 'write the paths in the included file relative to it, or absolute');
    }
    const envNode = child(item, 'env_file');
    const envPaths = (isCSeq(envNode) ? envNode.items : envNode ? [envNode] : []).map((e) => resolvePath(dirOf(e.origin.file), text(e) ?? ''));
    const own = projectEnvironment(dirOf(resolved[0]!.path), ctx.fs, envPaths.length > 0 ? { envFiles: envPaths } : {});
    const sub: LoadContext = { ...ctx, lookup: (n) => parent(n) ?? own.lookup(n), cache: new Map() };
    let included: CMap | undefined;
    for (const r of resolved) {
      const file = applyExtends(loadFile(r.path, sub, item.origin.file, r.origin), r.path, sub);
      included = included === undefined ? file : (mergeNodes(included, file, []) as CMap);
    }
    included = applyInclude(included!, sub, sub.lookup);
    out = addIncluded(out, included, item.origin);
  }
  return out;
}

function addIncluded(model: CMap, included: CMap, at: Origin): CMap {
  let out = model;
  for (const section of ['services', 'networks', 'volumes', 'secrets', 'configs']) {
    const theirs = child(included, section);
    if (!isCMap(theirs)) continue;
    const ours = child(out, section);
    const entries = new Map(isCMap(ours) ? ours.entries : []);
    for (const [k, e] of theirs.entries) {
      const clash = entries.get(k);
      if (clash) {
        throw new InputError({
          code: 'compose/include-conflict',
          message: `the included file ${e.keyOrigin.file} defines ${section}.${k}, which ${clash.keyOrigin.file}:${clash.keyOrigin.line} defines too`,
          origin: at,
          hint: 'Compose refuses to merge included resources; rename one of them',
        });
      }
      entries.set(k, e);
    }
    out = withEntry(out, section, { kind: 'map', entries, origin: isCMap(ours) ? ours.origin : theirs.origin });
  }
  return out;
}

function activeProfiles(options: ComposeOptions, lookup: Lookup): string[] {
  if (options.profiles !== undefined) return [...options.profiles];
  return (lookup('COMPOSE_PROFILES') ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
}

function splitByProfile(model: CMap, profiles: readonly string[]): { active: CMap; inactive: CEntry[] } {
  const services = child(model, 'services');
  if (!isCMap(services)) return { active: model, inactive: [] };
  const all = profiles.includes('*');
  const entries = new Map<string, CEntry>();
  const inactive: CEntry[] = [];
  for (const [name, e] of services.entries) {
    const own = child(e.value, 'profiles');
    const list = isCSeq(own) ? own.items.map((i) => text(i) ?? '') : [];
    if (list.length === 0 || all || list.some((p) => profiles.includes(p))) entries.set(name, e);
    else inactive.push(e);
  }
  return { active: withEntry(model, 'services', { ...services, entries }), inactive };
}

/** depends_on must name active services and must not go round in a circle (Compose refuses both). */
function checkDependencies(model: CMap): void {
  const services = child(model, 'services');
  if (!isCMap(services)) return;
  const edges = new Map<string, { readonly name: string; readonly origin: Origin; readonly required: boolean }[]>();
  for (const [name, e] of services.entries) {
    const deps = child(e.value, 'depends_on');
    const list: { name: string; origin: Origin; required: boolean }[] = [];
    if (isCMap(deps)) {
      for (const [dep, d] of deps.entries) list.push({ name: dep, origin: d.keyOrigin, required: text(child(d.value, 'required')) !== 'false' });
    }
    edges.set(name, list);
  }
  for (const [name, list] of edges) {
    for (const dep of list) {
      if (edges.has(dep.name) || !dep.required) continue;
      throw new InputError({
        code: 'compose/depends-on-missing',
        message: `${name} depends on \`${dep.name}\`, which is no active service of the project`,
        origin: dep.origin,
        hint: 'define the service, enable its profile with --profile, or set `required: false` on the dependency',
      });
    }
  }
  const state = new Map<string, 'open' | 'done'>();
  const visit = (name: string, path: string[], origin: Origin | undefined): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'open') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      throw new InputError({ code: 'compose/depends-on-cycle', message: `depends_on goes round in a circle: ${cycle.join(' → ')}`, ...(origin ? { origin } : {}), hint: 'Compose cannot start services that wait for each other; remove one of the dependencies' });
    }
    state.set(name, 'open');
    for (const dep of edges.get(name) ?? []) if (edges.has(dep.name)) visit(dep.name, [...path, name], dep.origin);
    state.set(name, 'done');
  };
  for (const name of edges.keys()) visit(name, [], undefined);
}
