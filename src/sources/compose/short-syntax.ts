/**
 * Compose's short syntaxes that merging and translating both read:
 * `ports` (`[ip:][host:]container[/proto]`) and `volumes`
 * (`[source:]target[:mode]`).
 */
import { parsePortSpec } from '../docker/ports.ts';
import { isCScalar, text, type CNode } from './node.ts';

/** The unique key of a port for merging: {ip, target, published, protocol}. */
export function portKey(item: CNode): string | undefined {
  if (isCScalar(item)) {
    const raw = String(item.value);
    const p = parsePortSpec(raw);
    if (!p.ok) return raw;
    const range = (r?: { from: number; to: number }) => (r === undefined ? '' : r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`);
    return `${p.port.hostIp ?? ''}|${range(p.port.containerPort)}|${range(p.port.hostPort)}|${p.port.protocol}`;
  }
  if (item.kind !== 'map') return undefined;
  const get = (k: string) => text(item.entries.get(k)?.value) ?? '';
  return `${get('host_ip')}|${get('target')}|${get('published')}|${get('protocol') || 'tcp'}`;
}

export interface ShortVolume {
  readonly source?: string;
  readonly target: string;
  /** `ro`, `rw`, `z`, `Z`, `nocopy`, propagation, ... as written after the target. */
  readonly options: readonly string[];
}

/**
 * `/host:/ctr:ro`, `name:/ctr`, `/ctr`. A Windows drive letter (`C:\x`) is
 * not a Compose-on-Linux concern, so colons split plainly, as on Linux.
 */
export function parseShortVolume(raw: string): ShortVolume {
  const parts = raw.split(':');
  if (parts.length === 1) return { target: raw, options: [] };
  const [source, target, ...rest] = parts;
  const options = rest.join(':').split(',').filter((o) => o !== '');
  return { source: source!, target: target ?? '', options };
}

/** The unique key of a volume for merging: its target. */
export function volumeTarget(item: CNode): string | undefined {
  if (isCScalar(item)) return parseShortVolume(String(item.value)).target;
  if (item.kind !== 'map') return undefined;
  return text(item.entries.get('target')?.value);
}

/** A volume source that is a path on the host (Compose: starts with `.`, `/` or `~`). */
export function isPathSource(source: string): boolean {
  return source.startsWith('/') || source.startsWith('.') || source.startsWith('~');
}
