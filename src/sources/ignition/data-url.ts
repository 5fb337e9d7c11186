/**
 * `data:` URLs (RFC 2397), decoded the way Ignition decodes them (its
 * vincent-petithory/dataurl library): an optional media type `type/subtype`,
 * parameters `;name=value` (a charset among them; values may be quoted),
 * an optional `;base64`, a comma, then the data. Plain data is ASCII URL
 * characters with `%XX` escapes; base64 data is the standard alphabet with
 * padding and nothing else. The charset does not change the bytes: Ignition
 * writes them as they are.
 */
import { Buffer } from 'node:buffer';

export type DataUrl =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly mediaType: string; readonly base64: boolean }
  | { readonly ok: false; readonly message: string; /** Offset into the URL where the problem is. */ readonly offset: number };

const TSPECIALS = new Set('()<>@,;:\\"/[]?=');

function isToken(c: string): boolean {
  const code = c.charCodeAt(0);
  return code > 0x20 && code < 0x7f && !TSPECIALS.has(c);
}

/** Characters a plain (not base64) data part may hold before unescaping. */
function isUrlChar(c: string): boolean {
  const code = c.charCodeAt(0);
  return code > 0x20 && code < 0x7f && !'<>#"{}|\\^[]`'.includes(c);
}

const DISCRETE_TYPES = ['text', 'image', 'audio', 'video', 'application', 'message', 'multipart'];

export function isDataUrl(url: string): boolean {
  return /^data:/i.test(url);
}

export function decodeDataUrl(url: string): DataUrl {
  const fail = (message: string, offset: number): DataUrl => ({ ok: false, message, offset });
  if (!isDataUrl(url)) return fail('it does not start with `data:`', 0);
  let i = 5;
  const comma = url.indexOf(',', i);
  if (comma < 0) return fail('there is no `,` before the data', url.length);

  // Media type: `type/subtype`, or nothing.
  let mediaType = 'text/plain';
  if (url[i] !== ';' && url[i] !== ',') {
    const start = i;
    while (i < comma && url[i] !== ';' && isToken(url[i]!)) i++;
    const type = url.slice(start, i);
    if (url[i] !== '/') return fail('the media type needs a `/` (e.g. `text/plain`)', i);
    if (!DISCRETE_TYPES.some((t) => type.startsWith(t)) && !/^x-/i.test(type)) return fail(`\`${type}\` is not a media type`, start);
    i++;
    const subStart = i;
    while (i < comma && url[i] !== ';' && isToken(url[i]!)) i++;
    if (i === subStart || (url[i] !== ';' && url[i] !== ',')) return fail('invalid character in the media subtype', i);
    mediaType = url.slice(start, i);
  }

  // Parameters, and `;base64` last.
  let base64 = false;
  while (url[i] === ';') {
    i++;
    const start = i;
    while (i < url.length && url[i] !== '=' && url[i] !== ',' && url[i] !== ';') {
      if (!isToken(url[i]!)) return fail('invalid character in a parameter name', i);
      i++;
    }
    const name = url.slice(start, i);
    if (name === '') return fail('empty parameter', start);
    if (url[i] === ',' || url[i] === ';') {
      if (name !== 'base64' || url[i] === ';') return fail(`expected \`;name=value\` or a final \`;base64\`, found \`;${name}\``, start);
      base64 = true;
      break;
    }
    i++; // `=`
    if (url[i] === '"') {
      i++;
      while (i < url.length && url[i] !== '"') i += url[i] === '\\' ? 2 : 1;
      if (i >= url.length) return fail('unclosed quoted parameter value', start);
      i++;
    } else {
      const valueStart = i;
      while (i < url.length && url[i] !== ';' && url[i] !== ',') {
        if (!isToken(url[i]!)) return fail('invalid character in a parameter value', i);
        i++;
      }
      if (i === valueStart) return fail('empty parameter value', i);
    }
    if (url[i] !== ';' && url[i] !== ',') return fail('expected `;` or `,` after a parameter', i);
  }
  if (url[i] !== ',') return fail('expected `,` before the data', i);
  const dataStart = i + 1;
  const data = url.slice(dataStart);
  return base64 ? decodeBase64(data, dataStart, mediaType) : decodePercent(data, dataStart, mediaType);
}

function decodeBase64(data: string, at: number, mediaType: string): DataUrl {
  for (let j = 0; j < data.length; j++) {
    if (!/[A-Za-z0-9+/=]/.test(data[j]!)) {
      return { ok: false, message: `\`${printable(data[j]!)}\` is not a base64 character`, offset: at + j };
    }
  }
  const padding = data.indexOf('=');
  if (padding >= 0 && !/^=={0,1}$/.test(data.slice(padding))) {
    return { ok: false, message: '`=` padding may only end the base64 data', offset: at + padding };
  }
  if (data.length % 4 !== 0) {
    return { ok: false, message: `the base64 data is ${data.length} characters long, not a multiple of 4 (padding missing?)`, offset: at + data.length };
  }
  return { ok: true, bytes: new Uint8Array(Buffer.from(data, 'base64')), mediaType, base64: true };
}

function decodePercent(data: string, at: number, mediaType: string): DataUrl {
  const out: number[] = [];
  for (let j = 0; j < data.length; j++) {
    const c = data[j]!;
    if (!isUrlChar(c)) {
      const what =
        c === ' '
          ? 'a space must be written as %20'
          : c.charCodeAt(0) > 0x7e
            ? 'non-ASCII characters must be %-escaped'
            : `\`${printable(c)}\` must be %-escaped`;
      return { ok: false, message: what, offset: at + j };
    }
    if (c !== '%') {
      out.push(c.charCodeAt(0));
      continue;
    }
    const hex = data.slice(j + 1, j + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return { ok: false, message: '`%` must be followed by two hex digits', offset: at + j };
    out.push(parseInt(hex, 16));
    j += 2;
  }
  return { ok: true, bytes: Uint8Array.from(out), mediaType, base64: false };
}

function printable(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : c;
}
