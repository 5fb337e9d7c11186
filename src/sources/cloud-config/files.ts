/**
 * `write_files`: files coreos-cloudinit wrote at every boot. Content is
 * decoded here (base64, gzip), so later stages see the bytes the old host had.
 */
import { Buffer } from 'node:buffer';
import { posix } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { isMap, isScalar } from 'yaml';
import type { Scalar, YAMLMap } from 'yaml';
import { InputError } from '../../model/diagnostic.ts';
import type { HostFile } from '../../model/host.ts';
import type { InputItem } from '../../model/ledger.ts';
import { describe, scalarOffsets, scalarPosition, scalarText } from '../yaml.ts';
import type { YamlEntry } from '../yaml.ts';
import { partOfEntry } from './walker.ts';
import type { CloudConfigWalker, ListEntry } from './walker.ts';

/** `encoding:` values coreos-cloudinit accepts, and what each means. */
export const CONTENT_ENCODINGS: Readonly<Record<string, { readonly base64: boolean; readonly gzip: boolean }>> = {
  b64: { base64: true, gzip: false },
  base64: { base64: true, gzip: false },
  gz: { base64: false, gzip: true },
  gzip: { base64: false, gzip: true },
  'gz+b64': { base64: true, gzip: true },
  'gz+base64': { base64: true, gzip: true },
  'gzip+b64': { base64: true, gzip: true },
  'gzip+base64': { base64: true, gzip: true },
};

/** Decompressed content larger than this is refused (a gzip bomb, or not a config file). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

export function readFiles(w: CloudConfigWalker, entry: YamlEntry, label: string): HostFile[] {
  const files: HostFile[] = [];
  for (const e of w.list(entry, label, undefined) ?? []) {
    const file = readFile(w, e);
    if (file) files.push(file);
  }
  return files;
}

function readFile(w: CloudConfigWalker, entry: ListEntry): HostFile | undefined {
  const { value: map, origin, label } = entry;
  if (!isMap(map)) {
    const item = w.ledger.item('file', label, origin);
    w.wrongType(item, label, 'a mapping with `path` and `content`', map);
    return undefined;
  }
  const spelled = w.text(map, 'path');
  const item = w.ledger.item('file', spelled ? `${label} (${spelled})` : label, origin);
  const written = w.required(map, 'path', item, label, 'Add `path: /etc/...` with the absolute path of the file.');
  if (written === undefined) return undefined;
  // coreos-cloudinit joined the path to / (path.Join), which also cleans it.
  const path = posix.join('/', written);
  if (!written.startsWith('/')) {
    w.ledger.report(
      'warning',
      'cloud-config/relative-path',
      `\`${label}.path\` is relative (\`${written}\`); coreos-cloudinit wrote it to ${path}`,
      item.origin,
      `Write it as ${path} to make that explicit.`,
    );
  }
  // The fields are checked before the walk: a file is written with all of them or not at all.
  const encoding = readEncoding(w, map, item, label);
  const mode = readMode(w, map, item, label);
  const owner = readOwner(w, map, item, label);
  if (encoding === false || mode === false || owner === false) return undefined;
  const content = readContent(w, map, item, label, encoding);
  if (content === undefined) return undefined;
  const contentNode = w.find(map, 'content')?.value;
  // Positions inside the text only where it is written as it is (no encoding).
  const position = encoding === undefined && isScalar(contentNode) && typeof contentNode.value === 'string' ? scalarPosition(w.src, contentNode).position : undefined;
  w.walk(map, 'write_files[]', label, item, {
    path: partOfEntry,
    content: partOfEntry,
    encoding: partOfEntry,
    permissions: partOfEntry,
    owner: partOfEntry,
  });
  const text = asText(content);
  return {
    path,
    content,
    ...(text === undefined ? {} : { text }),
    ...(text === undefined || position === undefined ? {} : { position }),
    ...(mode === undefined ? {} : { mode }),
    ...(owner?.owner === undefined ? {} : { owner: owner.owner }),
    ...(owner?.group === undefined ? {} : { group: owner.group }),
    item,
  };
}

type Encoding = (typeof CONTENT_ENCODINGS)[string];

/** The encoding, undefined when absent, false after rejecting the file. */
function readEncoding(w: CloudConfigWalker, map: YAMLMap, item: InputItem, label: string): Encoding | undefined | false {
  const entry = w.find(map, 'encoding');
  if (!entry || entry.value === null) return undefined;
  const name = w.text(map, 'encoding') ?? '';
  const encoding = CONTENT_ENCODINGS[name];
  if (encoding) return encoding;
  const found = isScalar(entry.value) ? `\`${name}\`` : describe(entry.value);
  w.reject(
    item,
    'cloud-config/invalid-value',
    `\`${label}.${entry.spelled}\` must be one of ${Object.keys(CONTENT_ENCODINGS).join(', ')}, found ${found}`,
    w.origin(entry.value),
    'Leave `encoding` out for plain text content.',
  );
  return false;
}

/**
 * The mode bits. coreos-cloudinit decodes `permissions` as a string and reads
 * its digits as octal, so `0644`, `644` and `"0644"` all mean rw-r--r--.
 * YAML 1.1 would read the unquoted `0644` as the number 420; the source text
 * is what counts, and it gives the same bits.
 */
function readMode(w: CloudConfigWalker, map: YAMLMap, item: InputItem, label: string): number | undefined | false {
  const entry = w.find(map, 'permissions');
  if (!entry || entry.value === null) return undefined;
  const value = entry.value;
  const isText = isScalar(value) && typeof value.value !== 'boolean' && !(value.value instanceof Uint8Array);
  const text = isText ? scalarText(value) : undefined;
  if (text !== undefined && /^0?[0-7]{3,4}$/.test(text)) return parseInt(text, 8);
  w.reject(
    item,
    'cloud-config/invalid-value',
    `\`${label}.${entry.spelled}\` must be an octal mode such as 0644, found ${text === undefined ? describe(value) : `\`${text}\``}`,
    w.origin(value),
    'Write the mode as three or four octal digits, e.g. 0644 or "0600". ' +
      'The file is left out until then, so it cannot end up more open than before.',
  );
  return false;
}

interface Ownership {
  readonly owner?: string;
  readonly group?: string;
}

const ACCOUNT_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*\$?$/;

/** `user`, `user:group`, `:group` or `user:`, as chown reads them. */
function parseOwner(text: string): Ownership | undefined {
  const [user = '', group, ...rest] = text.split(':');
  if (rest.length > 0 || (user === '' && !group)) return undefined;
  if (user !== '' && !ACCOUNT_NAME.test(user)) return undefined;
  if (group && !ACCOUNT_NAME.test(group)) return undefined;
  return { ...(user ? { owner: user } : {}), ...(group ? { group } : {}) };
}

/** The owner, undefined when absent, false after rejecting the file. */
function readOwner(w: CloudConfigWalker, map: YAMLMap, item: InputItem, label: string): Ownership | undefined | false {
  const entry = w.find(map, 'owner');
  if (!entry || entry.value === null) return undefined;
  const text = w.text(map, 'owner');
  const ownership = text === undefined ? undefined : parseOwner(text);
  if (!ownership) {
    w.reject(
      item,
      'cloud-config/invalid-value',
      `\`${label}.${entry.spelled}\` must be \`user\`, \`user:group\` or \`:group\`, found ${text === undefined ? describe(entry.value) : `\`${text}\``}`,
      w.origin(entry.value),
      'Write the owner as chown takes it, e.g. `root:root`.',
    );
    return false;
  }
  if (text?.endsWith(':')) {
    w.ledger.report(
      'warning',
      'cloud-config/owner-login-group',
      `\`${label}.${entry.spelled}\` is \`${text}\`: chown also gave the file the login group of ${ownership.owner}, which nixport does not know`,
      entry.origin,
      `Write \`${ownership.owner}:<group>\` to keep the group the old host used.`,
    );
  }
  return ownership;
}

/** The decoded bytes, or undefined after rejecting the file. Undecodable data is an InputError. */
function readContent(
  w: CloudConfigWalker,
  map: YAMLMap,
  item: InputItem,
  label: string,
  encoding: Encoding | undefined,
): Uint8Array | undefined {
  const entry = w.find(map, 'content');
  const value = entry?.value;
  if (!entry || value === null || value === undefined) return new Uint8Array();
  if (!isScalar(value)) {
    w.reject(
      item,
      'cloud-config/wrong-type',
      `\`${label}.${entry.spelled}\` must be text, found ${describe(value)}`,
      w.origin(value),
      'Write the content as a block scalar: `content: |` followed by the lines, indented.',
    );
    return undefined;
  }
  const binary = value.value instanceof Uint8Array ? value.value : undefined;
  const text = binary ? Buffer.from(binary).toString('latin1') : scalarText(value);
  let bytes: Uint8Array;
  if (encoding?.base64) bytes = decodeBase64(w, value, text, `${label}.${entry.spelled}`);
  else if (binary) bytes = binary;
  // Raw gzip in a YAML string can only be written as characters below 256, one per byte.
  else if (encoding?.gzip && /^[\u0000-\u00ff]*$/.test(text)) bytes = Buffer.from(text, 'latin1');
  else bytes = Buffer.from(text, 'utf8');
  if (encoding?.gzip) bytes = gunzip(w, value, bytes, `${label}.${entry.spelled}`);
  return new Uint8Array(bytes);
}

function decodeBase64(w: CloudConfigWalker, node: Scalar, text: string, label: string): Uint8Array {
  const bad = base64Problem(text);
  if (bad !== undefined) {
    const found = text[bad];
    throw new InputError({
      code: 'cloud-config/bad-encoding',
      message: `\`${label}\` is not valid base64: ${found === undefined ? 'it ends early' : `unexpected \`${found}\``}`,
      origin: node.value instanceof Uint8Array ? w.origin(node) : scalarOffsets(w.src, node)(bad),
      hint: 'Encode the file again (`base64 -w0 FILE`), or drop `encoding` if the content is plain text.',
    });
  }
  return Buffer.from(text.replace(/\s+/g, ''), 'base64');
}

/** Offset of the first character that makes `text` invalid base64 (whitespace is allowed anywhere). */
function base64Problem(text: string): number | undefined {
  let data = 0;
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) continue;
    if (c === '=') {
      padding++;
      if (padding > 2 || (data + padding) % 4 === 1) return i;
    } else if (/[A-Za-z0-9+/]/.test(c) && padding === 0) {
      data++;
    } else {
      return i;
    }
  }
  const total = data + padding;
  if (total % 4 === 1 || (padding > 0 && total % 4 !== 0)) return text.length;
  return undefined;
}

function gunzip(w: CloudConfigWalker, node: Scalar, bytes: Uint8Array, label: string): Uint8Array {
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_FILE_BYTES });
  } catch (error) {
    const reason =
      error instanceof RangeError
        ? `it decompresses to more than ${MAX_FILE_BYTES} bytes`
        : error instanceof Error
          ? error.message
          : String(error);
    throw new InputError({
      code: 'cloud-config/bad-encoding',
      message: `\`${label}\` is not valid gzip data: ${reason}`,
      origin: w.origin(node),
      hint: 'Compress the file again (`gzip -c FILE | base64 -w0` for gzip+base64), or fix `encoding`.',
    });
  }
}

/** The content as text when it is UTF-8 without NUL bytes (HostFile.text). */
function asText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
