/**
 * Resources: where a file's contents, an appended fragment or a LUKS key
 * come from. `data:` URLs (and Butane's `inline` and `local`) are decoded
 * here, gzip included, and checked against `verification.hash` as Ignition
 * checks them. Remote sources (https, http, s3, gs, tftp, arn) are never
 * fetched: they come back as a RemoteSource for a manual step.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { InputItem } from '../../../model/ledger.ts';
import { fileMapper, type PositionMapper } from '../../../model/origin.ts';
import type { RemoteSource } from '../../../model/storage.ts';
import { decodeDataUrl, isDataUrl } from '../data-url.ts';
import type { ConfigNode } from '../node.ts';
import { Rejected } from '../walker.ts';
import type { ReaderContext } from './context.ts';

/** URL schemes Ignition fetches from (the spec's "Supported schemes"). */
export const REMOTE_SCHEMES: readonly string[] = ['http', 'https', 'tftp', 's3', 'gs', 'arn'];

/** Decompressed content larger than this is refused (a gzip bomb, or not a config file). */
const MAX_BYTES = 64 * 1024 * 1024;

export type Resource =
  /** No source at all: Ignition keeps an existing file, or creates an empty one. */
  | { readonly kind: 'none' }
  | {
      readonly kind: 'content';
      readonly bytes: Uint8Array;
      /** A Butane `local` file read from the inputs. */
      readonly localPath?: string;
      /** Where the text is written as it is (`inline`, a `local` file); absent for data URLs and compressed content. */
      readonly position?: PositionMapper;
    }
  | { readonly kind: 'remote'; readonly remote: RemoteSource; readonly compressed: boolean; readonly headers: readonly string[] }
  /** A Butane `local` file that is not among the inputs. */
  | { readonly kind: 'missing-local'; readonly relative: string; readonly reason: string };

/** A resource's fields as a dialect spells them, with the nodes messages point at. */
interface ResourceFields {
  /** The resource map itself. */
  readonly node: ConfigNode;
  readonly source?: string;
  readonly inline?: string;
  readonly local?: string;
  readonly compression: string;
  readonly hash?: string;
  readonly headers: readonly string[];
  readonly at: { readonly source?: ConfigNode; readonly inline?: ConfigNode; readonly compression?: ConfigNode; readonly verification?: ConfigNode };
}

/**
 * Reads a resource map (`contents`, an `append` fragment, `keyFile`). Bad
 * input rejects `item` (reported, then Rejected is thrown).
 */
export function readResource(ctx: ReaderContext, node: ConfigNode, item: InputItem): Resource {
  const { w } = ctx;
  // A Container Linux Config's only resource is a file's `contents`, which ct spells its own way.
  if (w.dialect.name === 'clc') return readClcContents(ctx, node, item);
  const f = w.fields(node, 'Resource', item);
  const fields: ResourceFields = {
    node,
    ...present('source', f.string('source')),
    ...present('inline', f.string('inline')),
    ...present('local', f.string('local')),
    compression: f.string('compression') ?? '',
    ...present('hash', readHash(ctx, f.map('verification'), item)),
    headers: f.list('httpHeaders').map((h) => w.fields(h, 'HTTPHeader', item).string('name') ?? '?'),
    at: nodes({ source: f.value('source'), inline: f.value('inline'), compression: f.value('compression'), verification: f.value('verification') }),
  };
  return resolveResource(ctx, fields, item);
}

/**
 * A Container Linux Config's file `contents`: `inline`, `local` or
 * `remote: {url, compression, verification}`. ct turns it into the Ignition
 * resource read above (inline and local as a data: URL, `remote.url` as the
 * source), with `remote`'s compression and hash applied to whichever it is.
 */
export function readClcContents(ctx: ReaderContext, node: ConfigNode, item: InputItem): Resource {
  const { w } = ctx;
  const f = w.fields(node, 'ClcContents', item);
  const remoteNode = f.map('remote');
  const r = remoteNode ? w.fields(remoteNode, 'ClcRemote', item) : undefined;
  // ct treats an empty string as unset, and a file with no contents as empty (`data:,`).
  const url = nonEmpty(r?.string('url'));
  const inline = nonEmpty(f.string('inline'));
  const local = nonEmpty(f.string('local'));
  const fields: ResourceFields = {
    node,
    ...present('source', url ?? (inline === undefined && local === undefined ? '' : undefined)),
    ...present('inline', inline),
    ...present('local', local),
    compression: r?.string('compression') ?? '',
    ...present('hash', readHash(ctx, r?.map('verification'), item)),
    headers: [],
    at: nodes({ source: r?.value('url'), inline: f.value('inline'), compression: r?.value('compression'), verification: r?.value('verification') }),
  };
  return resolveResource(ctx, fields, item);
}

/**
 * `verification.hash`: Ignition's `sha512-<hex>` string, or ct's
 * `{function, sum}`, which ct joins with `-` (and leaves out when either is empty).
 */
export function readHash(ctx: ReaderContext, verification: ConfigNode | undefined, item: InputItem): string | undefined {
  if (!verification) return undefined;
  const v = ctx.w.fields(verification, 'Verification', item);
  if (ctx.w.dialect.name !== 'clc') return v.string('hash');
  const hash = v.map('hash');
  if (!hash) return undefined;
  const h = ctx.w.fields(hash, 'ClcHash', item);
  const fn = h.string('function') ?? '';
  const sum = h.string('sum') ?? '';
  return fn === '' || sum === '' ? undefined : `${fn}-${sum}`;
}

function present<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function nodes(at: Record<keyof ResourceFields['at'], ConfigNode | undefined>): ResourceFields['at'] {
  return Object.fromEntries(Object.entries(at).filter(([, n]) => n !== undefined)) as ResourceFields['at'];
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === '' ? undefined : s;
}

function resolveResource(ctx: ReaderContext, r: ResourceFields, item: InputItem): Resource {
  const { w } = ctx;
  const { node, source, inline, local, compression, hash, headers } = r;
  const given = [source !== undefined && 'source', inline !== undefined && 'inline', local !== undefined && 'local'].filter(Boolean);
  if (given.length > 1) {
    const names = w.dialect.name === 'clc' ? given.map((g) => (g === 'source' ? 'remote.url' : g)) : given;
    w.reject(item, 'invalid-value', `${node.where} sets ${names.join(' and ')}; only one of them may be set`, node.origin, 'Keep the one that holds the content.');
    throw new Rejected();
  }
  if (compression !== '' && compression !== 'gzip') {
    const at = r.at.compression ?? node;
    w.reject(item, 'invalid-value', `${at.where} must be \`gzip\` or empty, found \`${compression}\``, at.origin, 'Ignition knows only gzip compression.');
    throw new Rejected();
  }

  let bytes: Uint8Array;
  let localPath: string | undefined;
  if (inline !== undefined) {
    bytes = new TextEncoder().encode(inline);
  } else if (local !== undefined) {
    const found = ctx.locals?.file(local);
    if (!found || !found.found) return { kind: 'missing-local', relative: local, reason: found?.reason ?? 'no files directory' };
    bytes = found.file.content;
    localPath = found.file.path;
  } else if (source === undefined) {
    if (hash !== undefined) {
      const at = r.at.verification ?? node;
      w.reject(item, 'invalid-value', `${at.where} has a hash but the resource has no source`, at.origin, 'Add the source the hash belongs to, or remove the hash.');
      throw new Rejected();
    }
    return { kind: 'none' };
  } else if (source === '' || isDataUrl(source)) {
    bytes = source === '' ? new Uint8Array() : decodeSource(ctx, r.at.source ?? node, source, item);
  } else {
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(source)?.[1]?.toLowerCase();
    if (!scheme || !REMOTE_SCHEMES.includes(scheme)) {
      const at = r.at.source ?? node;
      w.reject(
        item,
        'invalid-value',
        `${at.where} is not a URL Ignition fetches from (${scheme ? `scheme \`${scheme}\`` : 'no scheme'})`,
        at.origin,
        `Ignition reads ${REMOTE_SCHEMES.join(', ')} and data: URLs.`,
      );
      throw new Rejected();
    }
    return { kind: 'remote', remote: { url: source, ...(hash === undefined ? {} : { verification: hash }) }, compressed: compression === 'gzip', headers };
  }

  if (compression === 'gzip') bytes = gunzip(ctx, node, bytes, item);
  if (hash !== undefined) verify(ctx, r.at.verification ?? node, hash, bytes, item);
  const position = compression === 'gzip' ? undefined : inline !== undefined ? r.at.inline?.position() : localPath === undefined ? undefined : fileMapper(localPath);
  return { kind: 'content', bytes, ...(localPath === undefined ? {} : { localPath }), ...(position === undefined ? {} : { position }) };
}

function decodeSource(ctx: ReaderContext, at: ConfigNode, url: string, item: InputItem): Uint8Array {
  const decoded = decodeDataUrl(url);
  if (decoded.ok) return decoded.bytes;
  ctx.w.reject(
    item,
    'bad-data-url',
    `${at.where} is not a valid data: URL: ${decoded.message}`,
    at.at(decoded.offset),
    'Write it as data:,<%-escaped text> or data:;base64,<base64>; Butane writes it for you from `inline` or `local`.',
  );
  throw new Rejected();
}

function gunzip(ctx: ReaderContext, at: ConfigNode, bytes: Uint8Array, item: InputItem): Uint8Array {
  try {
    return new Uint8Array(gunzipSync(bytes, { maxOutputLength: MAX_BYTES }));
  } catch (error) {
    const reason = error instanceof RangeError ? `it decompresses to more than ${MAX_BYTES} bytes` : error instanceof Error ? error.message : String(error);
    ctx.w.reject(item, 'bad-compression', `${at.where} says \`compression: gzip\`, but the data is not gzip: ${reason}`, at.origin, 'Compress the content again, or drop `compression`.');
    throw new Rejected();
  }
}

/** `sha512-<hex>` or `sha256-<hex>`, of the decompressed content, as Ignition checks it. */
function verify(ctx: ReaderContext, at: ConfigNode, hash: string, bytes: Uint8Array, item: InputItem): void {
  const m = /^(sha512|sha256)-([0-9a-fA-F]+)$/.exec(hash);
  if (!m) {
    ctx.w.reject(item, 'invalid-value', `${at.where} must be \`sha512-<hex>\` or \`sha256-<hex>\``, at.origin, 'Compute it with `sha512sum`.');
    throw new Rejected();
  }
  const actual = createHash(m[1]!).update(bytes).digest('hex');
  if (actual !== m[2]!.toLowerCase()) {
    ctx.w.reject(
      item,
      'hash-mismatch',
      `${at.where} does not match the content (${m[1]} is ${actual.slice(0, 16)}…); Ignition refused such a file`,
      at.origin,
      'Fix the hash or the content; nixport leaves the file out, as Ignition did not write it.',
    );
    throw new Rejected();
  }
}

/** The content as text when it is UTF-8 without NUL bytes. */
export function asText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
