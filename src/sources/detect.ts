import { UNIT_TYPES } from '../model/unit.ts';
import { isContainerLinuxConfig } from './clc/detect.ts';
import { isComposeFile } from './compose/detect.ts';
import { isDockerInspect } from './docker-inspect/detect.ts';
import { isDockerRunPath, isDockerScript } from './docker-script/detect.ts';
import { isQuadletInput } from './quadlet/detect.ts';

/** What an input file is, decided from its path and first line. */
export type Detected =
  | { readonly kind: 'cloud-config' }
  | { readonly kind: 'butane' }
  | { readonly kind: 'ignition' }
  | { readonly kind: 'container-linux-config' }
  | { readonly kind: 'unit'; readonly unit: string }
  | { readonly kind: 'drop-in'; readonly unit: string; readonly name: string }
  | { readonly kind: 'authorized-keys'; readonly user: string; readonly userGuessed: boolean }
  | { readonly kind: 'docker-script' }
  | { readonly kind: 'docker-run' }
  | { readonly kind: 'docker-inspect' }
  | { readonly kind: 'compose' }
  | { readonly kind: 'env-file' }
  | { readonly kind: 'quadlet' }
  | { readonly kind: 'unknown' };

const UNIT_SUFFIX = new RegExp(`\\.(${UNIT_TYPES.join('|')})$`);

/** What nixport reads, for hints where an input is none of it. */
export const INPUT_KINDS_HINT =
  'nixport reads cloud-configs (first line `#cloud-config`), Butane configs (`variant:` and `version:`), ' +
  'Ignition configs (JSON with `ignition.version`), Container Linux Configs (Flatcar\'s ct YAML), ' +
  'systemd units (*.service, *.timer, ...), drop-ins (<unit>.d/*.conf), authorized_keys files, ' +
  'Compose files (compose.yaml, docker-compose.yml), Quadlet files (*.container, *.network, *.volume), ' +
  '`docker run` scripts and `docker inspect` JSON';

/** The user CoreOS's own tooling put keys on when none is named. */
export const DEFAULT_KEY_USER = 'core';

export function detect(path: string, text: string): Detected {
  const parts = path.split(/[\\/]/);
  const base = parts[parts.length - 1] ?? '';
  const parent = parts[parts.length - 2] ?? '';

  if (isDockerRunPath(path)) return { kind: 'docker-run' };
  const dropInDir = parent.match(/^(.+)\.d$/);
  if (dropInDir && UNIT_SUFFIX.test(dropInDir[1]!) && base.endsWith('.conf')) {
    return { kind: 'drop-in', unit: dropInDir[1]!, name: base };
  }
  if (UNIT_SUFFIX.test(base)) return { kind: 'unit', unit: base };
  // `web.container`, `app.network`, ...: by name and the kind's section, before the readers that go by content.
  if (isQuadletInput(base, text)) return { kind: 'quadlet' };

  const firstLine = text.slice(0, text.indexOf('\n') >>> 0).trimEnd();
  if (firstLine === '#cloud-config') return { kind: 'cloud-config' };
  if (isButane(text)) return { kind: 'butane' };
  if (isIgnition(base, text)) return { kind: 'ignition' };
  // No header, no `variant:`: YAML of Container Linux Config sections only (Flatcar's ct input).
  if (isContainerLinuxConfig(text)) return { kind: 'container-linux-config' };
  if (isDockerInspect(text)) return { kind: 'docker-inspect' };

  if (/^authorized_keys2?(\..+)?$/.test(base)) return authorizedKeysUser(parts, base);
  if (isComposeFile(path, text)) return { kind: 'compose' };
  // `.env`, `app.env`: variables for a Compose project, read as part of it when one names it.
  if (/^\.env$|\.env$/.test(base)) return { kind: 'env-file' };

  // Files named like user-data are cloud-configs (or shell scripts the reader reports),
  // even without the header: the reader then explains what is missing.
  if (/\.(ya?ml)$/.test(base) || /^user[-_]data/.test(base) || /cloud[-_]config/.test(base)) {
    return { kind: 'cloud-config' };
  }
  // Last: by content, so a script never takes another reader's input.
  if (isDockerScript(base, text)) return { kind: 'docker-script' };
  return { kind: 'unknown' };
}

/** Butane: `variant:` and `version:` at the top level (column 1), whatever the file is called. */
function isButane(text: string): boolean {
  const body = text.replace(/^\uFEFF/, '');
  return /^variant[ \t]*:/m.test(body) && /^version[ \t]*:/m.test(body);
}

/**
 * Ignition: a `.ign` file, or JSON (it starts with `{`) that names the
 * `ignition` section. Other JSON is not a config nixport reads; malformed
 * Ignition JSON is still Ignition, so the reader can say where it breaks.
 */
function isIgnition(base: string, text: string): boolean {
  if (/\.ign$/i.test(base)) return true;
  const body = text.replace(/^\uFEFF/, '').trimStart();
  return body.startsWith('{') && /"ignition(Version)?"\s*:/.test(body);
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
