import type { VolumeKind, VolumeSpec } from '../../model/docker.ts';

/**
 * `-v`/`--volume`, `--mount` and `--tmpfs` values, read by Docker's Linux
 * rules (docker/cli `internal/volumespec` and `opts/mount.go`, and the
 * daemon's Linux mount parser):
 *
 *   -v /srv/data:/data:ro,z    bind: the source starts with `/`, `.` or `~`
 *   -v data:/var/lib/x         named volume: any other source
 *   -v /data                   anonymous volume
 *   --mount type=bind,src=/a,dst=/b,readonly
 *   --tmpfs /run:rw,size=64m
 *
 * Each result may carry warnings: readable, but meaning may differ on the new
 * host (a relative bind source, say).
 */

export type VolumeParse =
  | { readonly ok: true; readonly volume: Omit<VolumeSpec, 'flag'>; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: string };

/** The options `-v` accepts after the target, on Linux. */
const VOLUME_MODES = new Set(['ro', 'rw', 'z', 'Z', 'shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate', 'nocopy']);

// Docker's rule for volume names (the daemon's RestrictedNamePattern).
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** docker/cli's isFilePath: what makes a `-v` source a host path rather than a volume name. */
export function isHostPathSource(source: string): boolean {
  return source.startsWith('/') || source.startsWith('.') || source.startsWith('~');
}

/** What podman's `-v` accepts besides Docker's (podman-run(1), --volume). */
const PODMAN_VOLUME_MODES = new Set([
  ...VOLUME_MODES,
  ...['O', 'U', 'copy', 'dev', 'nodev', 'exec', 'noexec', 'suid', 'nosuid', 'bind', 'rbind', 'unbindable', 'runbindable', 'idmap', 'nocreate'],
]);

function isVolumeMode(mode: string, engine: 'docker' | 'podman'): boolean {
  if (engine === 'docker') return VOLUME_MODES.has(mode);
  return PODMAN_VOLUME_MODES.has(mode) || mode.startsWith('idmap=');
}

/** `--mount` types only podman has; none of them names a host directory systemd must mount first, except glob's patterns. */
const PODMAN_MOUNT_TYPES = new Set(['image', 'devpts', 'glob', 'ramfs', 'artifact']);

/** The type of a podman `--mount` that is not bind, volume or tmpfs, or undefined. */
export function podmanOnlyMountType(raw: string): string | undefined {
  const type = raw.split(',').find((field) => field.toLowerCase().startsWith('type='))?.slice('type='.length).toLowerCase();
  return type !== undefined && PODMAN_MOUNT_TYPES.has(type) ? type : undefined;
}

export function parseVolumeFlag(raw: string, engine: 'docker' | 'podman' = 'docker'): VolumeParse {
  if (raw === '') return fail('the value is empty');
  const parts = raw.split(':');
  if (parts.some((part) => part === '')) return fail(`empty part between colons in \`${raw}\``);
  if (parts.length > 3) return fail(`too many colons in \`${raw}\` (expected [source:]target[:options])`);

  if (parts.length === 1) {
    if (!raw.startsWith('/')) return fail(notAbsolute(raw));
    return volume({ raw, kind: 'anonymous', target: raw, readOnly: false, options: [] }, []);
  }
  const [source = '', target = '', modeText] = parts;
  if (parts.length === 2 && isModeList(target, engine)) {
    // `/data:ro` would be a target with options, which Docker refuses for anonymous volumes.
    return fail(`\`${raw}\` gives options to an anonymous volume; Docker refuses that`);
  }
  if (!target.startsWith('/')) return fail(notAbsolute(target));
  const modes = modeText === undefined ? [] : modeText.split(',');
  const unknown = modes.filter((mode) => !isVolumeMode(mode, engine));
  if (unknown.length > 0) return fail(`unknown option ${unknown.map((m) => `\`${m}\``).join(', ')} in \`${raw}\``);

  const kind: VolumeKind = isHostPathSource(source) ? 'bind' : 'volume';
  if (kind === 'volume' && !VOLUME_NAME.test(source)) {
    return fail(`\`${source}\` is neither a host path (starting with /) nor a valid volume name`);
  }
  const readOnly = lastReadOnlyMode(modes) ?? false;
  const options = modes.filter((mode) => mode !== 'ro' && mode !== 'rw');
  return volume({ raw, kind, source, target, readOnly, options }, bindWarnings(kind, source));
}

export function parseTmpfsFlag(raw: string): VolumeParse {
  const colon = raw.indexOf(':');
  const target = colon < 0 ? raw : raw.slice(0, colon);
  if (target === '') return fail('no target path');
  if (!target.startsWith('/')) return fail(notAbsolute(target));
  const modes = colon < 0 || colon === raw.length - 1 ? [] : raw.slice(colon + 1).split(',');
  const readOnly = lastReadOnlyMode(modes) ?? false;
  const options = modes.filter((mode) => mode !== 'ro' && mode !== 'rw');
  return volume({ raw, kind: 'tmpfs', target, readOnly, options }, []);
}

/** Keys of `--mount` that may be written without `=value` (booleans). */
const MOUNT_BOOL_KEYS = new Set(['readonly', 'ro', 'volume-nocopy', 'bind-nonrecursive', 'bind-create-src']);
const MOUNT_KEYS = new Set([
  'type',
  'source',
  'src',
  'target',
  'dst',
  'destination',
  'readonly',
  'ro',
  'consistency',
  'bind-propagation',
  'bind-nonrecursive',
  'bind-recursive',
  'bind-create-src',
  'volume-subpath',
  'volume-nocopy',
  'volume-label',
  'volume-driver',
  'volume-opt',
  'image-subpath',
  'tmpfs-size',
  'tmpfs-mode',
]);
/** Mount types Docker has that the model has no kind for. */
const UNMODELLED_MOUNT_TYPES = new Set(['image', 'npipe', 'cluster']);

export function parseMountFlag(raw: string): VolumeParse {
  const fields = splitCsv(raw.trim());
  if (fields === undefined) return fail(`unbalanced quotes in \`${raw}\``);
  if (fields.length === 0 || (fields.length === 1 && fields[0] === '')) return fail('the value is empty');

  let type = 'volume';
  let source: string | undefined;
  let target: string | undefined;
  let readOnly = false;
  const options: string[] = [];
  for (const field of fields) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? undefined : field.slice(eq + 1);
    if (!MOUNT_KEYS.has(key)) return fail(`unknown option \`${key}\` in \`${raw}\``);
    if (value === undefined && !MOUNT_BOOL_KEYS.has(key)) return fail(`\`${field}\` must be a key=value pair`);
    if (value === '') return fail(`\`${key}\` has an empty value`);
    switch (key) {
      case 'type':
        type = (value ?? '').toLowerCase();
        break;
      case 'source':
      case 'src':
        source = value;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        target = value;
        break;
      case 'readonly':
      case 'ro': {
        const flag = mountBool(value);
        if (flag === undefined) return fail(`\`${key}\` takes true, false, 1 or 0, not \`${value ?? ''}\``);
        readOnly = flag;
        break;
      }
      case 'bind-nonrecursive':
        return fail('`bind-nonrecursive` is no longer accepted; Docker wants `bind-recursive=disabled`');
      default:
        options.push(field);
    }
  }

  if (UNMODELLED_MOUNT_TYPES.has(type)) return fail(`mount type \`${type}\` cannot be represented (nixport knows bind, volume and tmpfs)`);
  if (type !== 'bind' && type !== 'volume' && type !== 'tmpfs') return fail(`unknown mount type \`${type}\``);
  const mixed = options.find((option) => mixesType(option, type));
  if (mixed !== undefined) return fail(`option \`${mixed}\` does not apply to a ${type} mount`);
  if (target === undefined) return fail(`no target in \`${raw}\``);
  if (!target.startsWith('/')) return fail(notAbsolute(target));

  if (type === 'bind') {
    if (source === undefined) return fail(`a bind mount needs a source in \`${raw}\``);
    return volume({ raw, kind: 'bind', source, target, readOnly, options }, bindWarnings('bind', source));
  }
  if (type === 'tmpfs') {
    if (source !== undefined) return fail(`a tmpfs mount takes no source in \`${raw}\``);
    return volume({ raw, kind: 'tmpfs', target, readOnly, options }, []);
  }
  if (source === undefined) return volume({ raw, kind: 'anonymous', target, readOnly, options }, []);
  return volume({ raw, kind: 'volume', source, target, readOnly, options }, []);
}

function volume(value: Omit<VolumeSpec, 'flag'>, warnings: readonly string[]): VolumeParse {
  return { ok: true, volume: value, warnings };
}

function fail(error: string): VolumeParse {
  return { ok: false, error };
}

function notAbsolute(target: string): string {
  return `the path in the container, \`${target}\`, must be absolute`;
}

function isModeList(text: string, engine: 'docker' | 'podman'): boolean {
  return text.split(',').every((mode) => isVolumeMode(mode, engine));
}

/** `ro` and `rw` may both appear; the last one wins, as in docker/cli. */
function lastReadOnlyMode(modes: readonly string[]): boolean | undefined {
  let readOnly: boolean | undefined;
  for (const mode of modes) {
    if (mode === 'ro') readOnly = true;
    if (mode === 'rw') readOnly = false;
  }
  return readOnly;
}

function bindWarnings(kind: VolumeKind, source: string): string[] {
  if (kind !== 'bind') return [];
  if (source.startsWith('~')) {
    return [`bind source \`${source}\` starts with \`~\`, which neither systemd nor Docker expands`];
  }
  if (!source.startsWith('/')) {
    return [`bind source \`${source}\` is relative: Docker resolves it against the working directory of the docker command`];
  }
  return [];
}

function mountBool(value: string | undefined): boolean | undefined {
  if (value === undefined || value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  return undefined;
}

function mixesType(option: string, type: string): boolean {
  for (const prefix of ['bind', 'volume', 'tmpfs', 'image']) {
    if (option.startsWith(`${prefix}-`) && prefix !== type) return true;
  }
  return false;
}

/** One CSV record (Go encoding/csv): commas split fields; `"..."` quotes, `""` is a quote. */
function splitCsv(text: string): string[] | undefined {
  const fields: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let startOfField = true;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && startOfField) {
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      startOfField = true;
      i++;
      continue;
    } else {
      field += c;
    }
    startOfField = false;
    i++;
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}
