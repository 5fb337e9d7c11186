import { InputError } from '../model/diagnostic.ts';

const EMPTY_HINT = 'give a cloud-config, a unit file or an authorized_keys file with content, or leave this file out';
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Turns an input's bytes into text, refusing what no reader can use:
 * empty files, binary files (NUL bytes) and text that is not UTF-8. The
 * error points at the first offending byte.
 */
export function decodeInput(path: string, content: Uint8Array | string): string {
  // The library takes in-memory inputs from any caller, so it keeps the CLI's cap too (hostile input, issue 7).
  if (content.length > MAX_INPUT_BYTES) throw tooLarge(path, content.length);
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  if (bytes.length > MAX_INPUT_BYTES) throw tooLarge(path, bytes.length);
  if (bytes.length === 0) {
    throw new InputError({
      code: 'input/empty',
      message: `${path} is empty`,
      origin: { file: path, line: 1, column: 1 },
      hint: EMPTY_HINT,
    });
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new InputError({
      code: 'input/binary',
      message: `${path} is a binary file (NUL byte), not a text input`,
      origin: positionOf(path, bytes, nul),
      hint: 'nixport reads text: configs, units, Compose files, scripts and authorized_keys files',
    });
  }
  let text: string;
  try {
    text = typeof content === 'string' ? content : utf8.decode(bytes);
  } catch {
    throw new InputError({
      code: 'input/encoding',
      message: `${path} is not valid UTF-8`,
      origin: positionOf(path, bytes, firstInvalidUtf8(bytes)),
      hint: 'convert it first, e.g. `iconv -f latin1 -t utf-8`',
    });
  }
  if (text.trim() === '') {
    throw new InputError({
      code: 'input/empty',
      message: `${path} holds only whitespace`,
      origin: { file: path, line: 1, column: 1 },
      hint: EMPTY_HINT,
    });
  }
  return text.replace(/\r\n/g, '\n');
}

/** Larger inputs are refused: no host's configuration is this big, and reading it would stall. */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

function tooLarge(path: string, size: number): InputError {
  return new InputError({
    code: 'input/too-large',
    message: `${path}: ${size} bytes is too large for a host configuration (limit ${MAX_INPUT_BYTES})`,
    origin: { file: path, line: 1, column: 1 },
    hint: 'name the cloud-config, unit and key files themselves rather than a file with other data',
  });
}

function positionOf(file: string, bytes: Uint8Array, offset: number) {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  // Columns count characters, so decode the line's prefix leniently.
  const prefix = new TextDecoder().decode(bytes.subarray(lineStart, offset));
  return { file, line, column: [...prefix].length + 1 };
}

/** Offset of the first byte that breaks UTF-8. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return 0;
}
