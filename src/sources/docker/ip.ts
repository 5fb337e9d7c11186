/**
 * IP address syntax checks without node:net, so the library also runs in the
 * browser playground. They accept what Go's net.ParseIP accepts (which Docker
 * uses for `-p IP:...`): dotted IPv4 without leading zeros, IPv6 with `::`
 * and an optional embedded IPv4 tail, no zone.
 */

export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every(isIPv4Part);
}

function isIPv4Part(part: string): boolean {
  if (!/^[0-9]{1,3}$/.test(part)) return false;
  if (part.length > 1 && part.startsWith('0')) return false;
  return Number(part) <= 255;
}

export function isIPv6(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groupsOf = (half: string): string[] => (half === '' ? [] : half.split(':'));
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  const all = [...head, ...tail];
  // An IPv4 tail counts as two groups and may only come last.
  let groups = all.length;
  const last = all[all.length - 1];
  if (last !== undefined && last.includes('.')) {
    if (!isIPv4(last)) return false;
    all.pop();
    groups += 1;
  }
  if (!all.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return false;
  return halves.length === 2 ? groups <= 7 : groups === 8;
}

export function isIP(text: string): boolean {
  return isIPv4(text) || isIPv6(text);
}
