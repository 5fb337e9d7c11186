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

/**
 * Reads a resource map (`contents`, an `append` fragment, `keyFile`). Bad
 * input rejects `item` (reported, then Rejected is thrown).
 */
export function readResource(ctx: ReaderContext, node: ConfigNode, item: InputItem): Resource {
  const { w } = ctx;
  const f = w.fields(node, 'Resource', item);
  const source = f.string('source');
  const inline = f.string('inline');
  const local = f.string('local');
  const given = [source !== undefined && 'source', inline !== undefined && 'inline', local !== undefined && 'local'].filter(Boolean);
  if (given.length > 1) {
    w.reject(item, 'invalid-value', `${node.where} sets ${given.join(' and ')}; only one of them may be set`, node.origin, 'Keep the one that holds the content.');
    throw new Rejected();
  }
  const compression = f.string('compression') ?? '';
  if (compression !== '' && compression !== 'gzip') {
    const at = f.value('compression')!;
    w.reject(item, 'invalid-value', `${at.where} must be \`gzip\` or empty, found \`${compression}\``, at.origin, 'Ignition knows only gzip compression.');
    throw new Rejected();
  }
  const hashNode = f.map('verification');
  const hash = hashNode ? w.fields(hashNode, 'Verification', item).string('hash') : undefined;
  const headers = f.list('httpHeaders').map((h) => w.fields(h, 'HTTPHeader', item).string('name') ?? '?');

  let bytes: Uint8Array;
  let localPath: string | undefined;
  let position: PositionMapper | undefined;
  if (inline !== undefined) {
    bytes = new TextEncoder().encode(inline);
    position = f.value('inline')?.position();
  } else if (local !== undefined) {
    const found = ctx.locals?.file(local);
    if (!found || !found.found) return { kind: 'missing-local', relative: local, reason: found?.reason ?? 'no files directory' };
    bytes = found.file.content;
    localPath = found.file.path;
    position = fileMapper(found.file.path);
  } else if (source === undefined) {
    if (hash !== undefined) {
      const at = f.value('verification')!;
      w.reject(item, 'invalid-value', `${at.where} has a hash but the resource has no source`, at.origin, 'Add the source the hash belongs to, or remove the hash.');
      throw new Rejected();
    }
    return { kind: 'none' };
  } else if (source === '' || isDataUrl(source)) {
    bytes = source === '' ? new Uint8Array() : decodeSource(ctx, f.value('source')!, source, item);
  } else {
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(source)?.[1]?.toLowerCase();
    if (!scheme || !REMOTE_SCHEMES.includes(scheme)) {
      const at = f.value('source')!;
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

  if (compression === 'gzip') {
    bytes = gunzip(ctx, node, bytes, item);
    position = undefined;
  }
  if (hash !== undefined) verify(ctx, f.value('verification')!, hash, bytes, item);
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
