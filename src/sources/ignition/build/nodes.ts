/**
 * `storage.files`, `storage.directories`, `storage.links` and Butane's
 * `storage.trees`: the file system nodes Ignition wrote while provisioning.
 */
import { posix } from 'node:path';
import type { HostFile } from '../../../model/host.ts';
import type { InputItem } from '../../../model/ledger.ts';
import type { HostDirectory, HostLink, RemoteSource } from '../../../model/storage.ts';
import type { ConfigNode } from '../node.ts';
import { Rejected, unlessRejected, type Fields } from '../walker.ts';
import type { ReaderContext } from './context.ts';
import { asText, concatBytes, readResource, type Resource } from './resource.ts';

/** The file systems of a 2.x config, by name: files in one other than `root` land wherever it is mounted. */
export type FilesystemNames = ReadonlySet<string>;

export function readFiles(ctx: ReaderContext, nodes: readonly ConfigNode[]): HostFile[] {
  return nodes.flatMap((node) => unlessRejected(() => readFile(ctx, node)) ?? []);
}

function readFile(ctx: ReaderContext, node: ConfigNode): HostFile[] {
  const { w } = ctx;
  const item = w.entryItem('file', node, w.peek(node, 'path'));
  const f = w.fields(node, 'File', item);
  const path = requiredPath(ctx, f, item);
  onRootFilesystem(ctx, f, item);
  const mode = readMode(ctx, f, item, false) ?? clcDefaultMode(ctx, 0o644);
  const owner = readOwner(f, 'user', 'NodeUser');
  const group = readOwner(f, 'group', 'NodeGroup');
  const v2 = w.dialect.version < 30;

  const contentsNode = f.map('contents');
  // ct writes `data:,` for a file without contents: an empty file.
  const contents: Resource = contentsNode ? readResource(ctx, contentsNode, item) : w.dialect.name === 'clc' ? { kind: 'content', bytes: new Uint8Array() } : { kind: 'none' };
  // 3.x: fragments appended after the contents; 2.x: `append: true` appends the contents themselves.
  const fragments = v2 ? [] : f.list('append').map((n) => readResource(ctx, n, item));
  const appendsToExisting = v2 ? f.bool('append') === true : contents.kind === 'none' && fragments.length > 0;
  const overwrite = f.bool('overwrite') ?? v2;

  const missing = [contents, ...fragments].find((r) => r.kind === 'missing-local');
  if (missing && missing.kind === 'missing-local') {
    missingLocal(ctx, item, path, missing.relative, missing.reason);
    return [];
  }
  const remote = [contents, ...fragments].find((r): r is Extract<Resource, { kind: 'remote' }> => r.kind === 'remote');
  const parts = [contents, ...fragments].flatMap((r) => (r.kind === 'content' ? [r.bytes] : []));
  const content = remote ? new Uint8Array() : concatBytes(parts);
  const text = remote ? undefined : asText(content);
  // Positions inside the text only where it is written as it is, in one piece.
  const position = contents.kind === 'content' && fragments.length === 0 && text !== undefined ? contents.position : undefined;
  return [
    {
      path,
      content,
      ...(text === undefined ? {} : { text }),
      ...(position === undefined ? {} : { position }),
      ...(mode === undefined ? {} : { mode }),
      ...(owner === undefined ? {} : { owner }),
      ...(group === undefined ? {} : { group }),
      ...(appendsToExisting ? { append: true } : {}),
      overwrite,
      ...(remote ? { remote: withHeaders(remote.remote, remote.headers) } : {}),
      ...(contents.kind === 'none' && fragments.length === 0 ? { contentOmitted: true } : {}),
      item,
    },
  ];
}

/** Header names (never values: they often hold tokens) go into the manual step with the URL. */
function withHeaders(remote: RemoteSource, headers: readonly string[]): RemoteSource {
  if (headers.length === 0) return remote;
  return { ...remote, url: `${remote.url} (with HTTP headers ${headers.join(', ')})` };
}

export function readDirectories(ctx: ReaderContext, nodes: readonly ConfigNode[]): HostDirectory[] {
  return nodes.flatMap(
    (node) =>
      unlessRejected((): HostDirectory[] => {
        const { w } = ctx;
        const item = w.entryItem('key', node, w.peek(node, 'path'));
        const f = w.fields(node, 'Directory', item);
        const path = requiredPath(ctx, f, item);
        onRootFilesystem(ctx, f, item);
        const mode = readMode(ctx, f, item, true) ?? clcDefaultMode(ctx, 0o755);
        const owner = readOwner(f, 'user', 'NodeUser');
        const group = readOwner(f, 'group', 'NodeGroup');
        f.bool('overwrite');
        return [{ path, ...(mode === undefined ? {} : { mode }), ...(owner === undefined ? {} : { owner }), ...(group === undefined ? {} : { group }), item }];
      }) ?? [],
  );
}

export function readLinks(ctx: ReaderContext, nodes: readonly ConfigNode[]): HostLink[] {
  return nodes.flatMap(
    (node) =>
      unlessRejected((): HostLink[] => {
        const { w } = ctx;
        const item = w.entryItem('key', node, w.peek(node, 'path'));
        const f = w.fields(node, 'Link', item);
        const path = requiredPath(ctx, f, item);
        onRootFilesystem(ctx, f, item);
        const target = f.string('target');
        if (target === undefined || target === '') {
          w.reject(item, 'missing-key', `${node.where} has no \`${w.spelled('target')}\``, node.origin, 'Add the path the link points to.');
          throw new Rejected();
        }
        const owner = readOwner(f, 'user', 'NodeUser');
        const group = readOwner(f, 'group', 'NodeGroup');
        const overwrite = f.bool('overwrite') ?? w.dialect.version < 30;
        return [
          {
            path,
            target,
            hard: f.bool('hard') === true,
            ...(owner === undefined ? {} : { owner }),
            ...(group === undefined ? {} : { group }),
            overwrite,
            item,
          },
        ];
      }) ?? [],
  );
}

/**
 * Butane `storage.trees`: every file below a directory beside the config,
 * placed under `path`. Butane gives them mode 0755 when the local file is
 * executable and 0644 otherwise; nixport sees contents, not modes, so a
 * file starting with `#!` counts as executable. A `files` entry without
 * contents for the same path sets its mode and owner (as in Butane): the
 * tree file then is that entry, with the tree's content.
 */
export function readTrees(ctx: ReaderContext, nodes: readonly ConfigNode[], files: readonly HostFile[]): HostFile[] {
  const overrides = new Map(files.filter((f) => f.contentOmitted).map((f) => [f.path, f]));
  const out: HostFile[] = [];
  /** Overriding files entries and the tree files that take their place (Butane keeps their position). */
  const replaced = new Map<HostFile, HostFile>();
  for (const node of nodes) {
    unlessRejected(() => {
      const { w } = ctx;
      if (node.shape !== 'map') w.entryItem('file', node, undefined);
      const f = w.fields(node, 'Tree', undefined);
      const local = f.string('local');
      const base = f.string('path') ?? '/';
      if (local === undefined) {
        const item = w.ledger.item('file', node.label, node.origin);
        w.reject(item, 'missing-key', `${node.where} has no \`local\``, node.origin, 'Name the directory beside the config that holds the tree.');
        return;
      }
      const found = ctx.locals?.tree(local);
      if (!found || !found.found) {
        const item = w.ledger.item('file', `${node.label} (${local})`, node.origin);
        missingLocal(ctx, item, base, local, found?.reason ?? 'no files directory', true);
        return;
      }
      const fileMode = f.int('fileMode');
      const owner = readOwner(f, 'user', 'NodeUser');
      const group = readOwner(f, 'group', 'NodeGroup');
      f.int('dirMode');
      for (const { relative, file } of found.files) {
        const path = posix.join(base, relative);
        const override = overrides.get(path);
        const item = override?.item ?? w.ledger.item('file', `${node.label} (${path})`, node.origin);
        const text = asText(file.content);
        const mode = override?.mode ?? fileMode ?? (text?.startsWith('#!') ? 0o755 : 0o644);
        const fileOwner = override?.owner ?? owner;
        const fileGroup = override?.group ?? group;
        const treeFile: HostFile = {
          path,
          content: file.content,
          ...(text === undefined ? {} : { text }),
          mode,
          ...(fileOwner === undefined ? {} : { owner: fileOwner }),
          ...(fileGroup === undefined ? {} : { group: fileGroup }),
          overwrite: false,
          item,
        };
        if (override) replaced.set(override, treeFile);
        else out.push(treeFile);
      }
    });
  }
  return [...files.map((f) => replaced.get(f) ?? f), ...out];
}

function requiredPath(ctx: ReaderContext, f: Fields, item: InputItem): string {
  const { w } = ctx;
  const path = f.string('path');
  if (path === undefined || path === '') {
    w.reject(item, 'missing-key', `${f.node.where} has no \`path\``, f.node.origin, 'Add `path` with the absolute path on the host.');
    throw new Rejected();
  }
  if (!path.startsWith('/')) {
    const at = f.value('path')!;
    w.reject(item, 'invalid-value', `${at.where} must be an absolute path, found \`${path}\``, at.origin, 'Ignition refuses relative paths; start it with `/`.');
    throw new Rejected();
  }
  return posix.normalize(path);
}

/** 2.x nodes name the file system they are written to; only `root` is the host's root. */
function onRootFilesystem(ctx: ReaderContext, f: Fields, item: InputItem): void {
  const { w } = ctx;
  if (w.dialect.version >= 30) return;
  const fs = f.string('filesystem');
  if (fs === undefined || fs === '') {
    w.reject(item, 'missing-key', `${f.node.where} has no \`filesystem\``, f.node.origin, 'Spec 2.x nodes need `"filesystem": "root"` for the root file system.');
    throw new Rejected();
  }
  if (fs !== 'root') {
    const at = f.value('filesystem')!;
    w.reject(
      item,
      'other-filesystem',
      `${at.where} is \`${fs}\`: the node was written into that file system, and where it appears depends on where the host mounted it`,
      at.origin,
      'Find the mount point of that file system on the old host and declare the node under it by hand.',
    );
    throw new Rejected();
  }
}

/** The mode bits. Butane's check for modes written in decimal by mistake applies to both dialects. */
function readMode(ctx: ReaderContext, f: Fields, item: InputItem, directory: boolean): number | undefined {
  const { w } = ctx;
  const mode = f.int('mode');
  if (mode === undefined) return undefined;
  const at = f.value('mode')!;
  if (mode < 0 || mode > 0o7777) {
    w.reject(item, 'invalid-value', `${at.where} is ${mode}, not a permission mode (0 to 07777)`, at.origin, modeHint(w.dialect.name));
    throw new Rejected();
  }
  if (looksDecimal(mode, directory)) {
    w.ledger.report(
      'warning',
      w.code('decimal-mode'),
      `${at.where} is ${mode}, which is ${octal(mode)} (an unusual mode); ${octal(parseInt(String(mode), 8))} was probably meant`,
      at.origin,
      modeHint(w.dialect.name),
    );
  }
  return mode;
}

function modeHint(dialect: string): string {
  return dialect === 'ignition'
    ? 'Ignition modes are decimal numbers: 0644 is 420, 0755 is 493.'
    : `In ${dialect === 'clc' ? 'a Container Linux Config' : 'Butane'} write the mode in octal with a leading zero, e.g. 0644.`;
}

/** ct writes a mode for every file (0644) and directory (0755) that has none. */
function clcDefaultMode(ctx: ReaderContext, mode: number): number | undefined {
  return ctx.w.dialect.name === 'clc' ? mode : undefined;
}

function octal(mode: number): string {
  return `0${mode.toString(8)}`;
}

/**
 * Butane's test (base/util CheckForDecimalMode): a mode that is unusual as
 * written but usual when its decimal digits are read as octal.
 */
function looksDecimal(mode: number, directory: boolean): boolean {
  const digits = String(mode);
  if (!/^[0-7]+$/.test(digits)) return false;
  const corrected = parseInt(digits, 8);
  return !typicalMode(mode, directory) && typicalMode(corrected, directory);
}

function typicalMode(mode: number, directory: boolean): boolean {
  if (mode === 0) return true;
  const perms = [mode & 0o7, (mode & 0o70) >> 3, (mode & 0o700) >> 6];
  let hadR = false;
  let hadW = false;
  let hadX = false;
  for (const perm of perms) {
    const r = (perm & 4) !== 0;
    const wr = (perm & 2) !== 0;
    const x = (perm & 1) !== 0;
    if ((!r && hadR) || (!wr && hadW) || (!x && hadX)) return false;
    if (x && hadR && !hadX) return false;
    if ((wr || x) && !r) return false;
    hadR ||= r;
    hadW ||= wr;
    hadX ||= x;
  }
  if (!hadR) return false;
  if (directory) return hadX && (mode & 0o4000) === 0 && ((mode & 0o3000) === 0 || hadW);
  if ((mode & 0o6000) !== 0 && (!hadX || (mode & 2) !== 0)) return false;
  return (mode & 0o1000) === 0;
}

/** `user: {id, name}`: the id wins when both are given, as in Ignition. */
function readOwner(f: Fields, key: 'user' | 'group', type: 'NodeUser' | 'NodeGroup'): string | undefined {
  const node = f.map(key);
  if (!node) return undefined;
  const owner = f.w.fields(node, type, f.item);
  const id = owner.int('id');
  if (id !== undefined) return String(id);
  const name = owner.string('name');
  return name === '' ? undefined : name;
}

function missingLocal(ctx: ReaderContext, item: InputItem, path: string, relative: string, reason: string, tree = false): void {
  const title = `Copy ${relative} for ${path}`;
  ctx.ledger.settle(item, { kind: 'manual', step: title });
  ctx.ledger.report(
    'warning',
    ctx.w.code('local-missing'),
    `${item.label}: \`${relative}\` is not among the inputs (${reason})`,
    item.origin,
    'Give nixport the directory that holds the Butane config and its files, or port this by hand.',
  );
  ctx.ledger.manual({
    order: 40,
    title,
    detail: `The Butane config embedded ${tree ? 'the directory tree' : 'the file'} \`${relative}\` (relative to its files directory) at ${path}. nixport was not given it; declare ${path} in the flake by hand (environment.etc for /etc, systemd.tmpfiles otherwise) with that content.`,
    origin: item.origin,
  });
}
