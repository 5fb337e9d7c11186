/**
 * systemd's path escaping, as `systemd-escape --path` and the names of mount
 * units use it (systemd `src/basic/unit-name.c`: unit_name_path_escape and
 * do_escape):
 *
 * - the path is simplified (repeated `/` and `.` components dropped), leading
 *   and trailing `/` removed; the root (or an empty path) becomes `-`;
 * - `/` becomes `-`;
 * - ASCII letters, digits, `:`, `_` and `.` stay, except a leading `.`;
 * - every other byte of the UTF-8 text, `-` and `\` among them, becomes
 *   `\xNN` with lowercase hex digits.
 *
 * systemd refuses paths with `..` components; so does this function.
 */

const PLAIN = /^[A-Za-z0-9:_.]$/;

export function escapeSystemdPath(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new RangeError(`cannot escape \`${path}\`: systemd refuses paths with ".." components`);
  if (parts.length === 0) return '-';
  const bytes = new TextEncoder().encode(parts.join('/'));
  let out = '';
  bytes.forEach((byte, i) => {
    const c = String.fromCharCode(byte);
    if (c === '/') out += '-';
    else if (byte < 0x80 && PLAIN.test(c) && !(i === 0 && c === '.')) out += c;
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  });
  return out;
}

/** The mount unit systemd creates for a mount point: `/srv/data` -> `srv-data.mount`. */
export function mountUnitName(mountPoint: string): string {
  return `${escapeSystemdPath(mountPoint)}.mount`;
}

/**
 * The inverse: `srv-my\x2ddata` -> `/srv/my-data`. Undefined for text that
 * no path escapes to (a bad `\x` sequence, bytes that are not UTF-8).
 */
export function unescapeSystemdPath(escaped: string): string | undefined {
  if (escaped === '-') return '/';
  const bytes: number[] = [];
  for (let i = 0; i < escaped.length; i++) {
    const c = escaped[i]!;
    if (c === '-') {
      bytes.push(0x2f);
    } else if (c === '\\') {
      const hex = escaped.slice(i + 1, i + 4);
      if (!/^x[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex.slice(1), 16));
      i += 3;
    } else {
      const code = c.charCodeAt(0);
      if (code >= 0x80) return undefined;
      bytes.push(code);
    }
  }
  try {
    return `/${new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes))}`;
  } catch {
    return undefined;
  }
}
