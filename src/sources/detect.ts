import { UNIT_TYPES } from '../model/unit.ts';

/** What an input file is, decided from its path and first line. */
export type Detected =
  | { readonly kind: 'cloud-config' }
  | { readonly kind: 'unit'; readonly unit: string }
  | { readonly kind: 'drop-in'; readonly unit: string; readonly name: string }
  | { readonly kind: 'authorized-keys'; readonly user: string; readonly userGuessed: boolean }
  | { readonly kind: 'unknown' };

const UNIT_SUFFIX = new RegExp(`\\.(${UNIT_TYPES.join('|')})$`);

/** The user CoreOS's own tooling put keys on when none is named. */
export const DEFAULT_KEY_USER = 'core';

export function detect(path: string, text: string): Detected {
  const parts = path.split(/[\\/]/);
  const base = parts[parts.length - 1] ?? '';
  const parent = parts[parts.length - 2] ?? '';

  const dropInDir = parent.match(/^(.+)\.d$/);
  if (dropInDir && UNIT_SUFFIX.test(dropInDir[1]!) && base.endsWith('.conf')) {
    return { kind: 'drop-in', unit: dropInDir[1]!, name: base };
  }
  if (UNIT_SUFFIX.test(base)) return { kind: 'unit', unit: base };

  const firstLine = text.slice(0, text.indexOf('\n') >>> 0).trimEnd();
  if (firstLine === '#cloud-config') return { kind: 'cloud-config' };

  if (/^authorized_keys2?(\..+)?$/.test(base)) return authorizedKeysUser(parts, base);

  // Files named like user-data are cloud-configs (or shell scripts the reader reports),
  // even without the header: the reader then explains what is missing.
  if (/\.(ya?ml)$/.test(base) || /^user[-_]data/.test(base) || /cloud[-_]config/.test(base)) {
    return { kind: 'cloud-config' };
  }
  return { kind: 'unknown' };
}

/**
 * Whose keys these are: `home/<user>/.ssh/authorized_keys`, `root/.ssh/...`,
 * `<user>/.ssh/...` or `authorized_keys.<user>`; otherwise CoreOS's `core`.
 */
function authorizedKeysUser(parts: readonly string[], base: string): Detected {
  const suffix = base.match(/^authorized_keys2?\.(.+)$/);
  if (suffix) return { kind: 'authorized-keys', user: suffix[1]!, userGuessed: false };
  const ssh = parts.lastIndexOf('.ssh');
  const owner = ssh > 0 ? parts[ssh - 1] : undefined;
  if (owner && owner !== '.' && owner !== '..') return { kind: 'authorized-keys', user: owner, userGuessed: false };
  return { kind: 'authorized-keys', user: DEFAULT_KEY_USER, userGuessed: true };
}
