import type { PortProtocol, PortRange, PortSpec } from '../../model/docker.ts';
import { isIP } from './ip.ts';

/**
 * `-p`/`--publish` values, read by Docker's rules (docker/go-connections
 * `nat.ParsePortSpec`, and docker/cli's `published=,target=,protocol=` form):
 *
 *   80                    container port 80, random host port
 *   8080:80               host 8080 -> container 80
 *   8080:80/udp           protocols tcp (default), udp, sctp
 *   127.0.0.1:8080:80     bound to one address
 *   127.0.0.1::80         bound to one address, random host port
 *   [::1]:8080:80         IPv6 address in brackets (or bare: ::1:8080:80)
 *   8000-8010:8000-8010   ranges of equal length
 *   8000-8010:80          a host port from the range for one container port
 */

export type PortParse =
  | { readonly ok: true; readonly port: Omit<PortSpec, 'flag'> }
  | { readonly ok: false; readonly error: string };

export function parsePortSpec(raw: string): PortParse {
  const standard = raw.includes('=') ? fromLongSyntax(raw) : { ok: true as const, text: raw };
  if (!standard.ok) return standard;
  const { ip, hostPart, containerPart } = splitParts(standard.text);

  const slash = containerPart.indexOf('/');
  const containerText = slash < 0 ? containerPart : containerPart.slice(0, slash);
  const protocolText = slash < 0 ? 'tcp' : containerPart.slice(slash + 1).toLowerCase();
  if (containerText === '') return fail(`no container port in \`${raw}\``);
  if (!isProtocol(protocolText)) return fail(`unknown protocol \`${protocolText}\` (Docker knows tcp, udp and sctp)`);

  let hostIp: string | undefined;
  if (ip !== '') {
    hostIp = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
    if (!isIP(hostIp)) return fail(`\`${ip}\` is not an IP address`);
  }

  const containerPort = parseRange(containerText);
  if (typeof containerPort === 'string') return fail(`container port \`${containerText}\`: ${containerPort}`);

  let hostPort: PortRange | undefined;
  if (hostPart !== '') {
    const parsed = parseRange(hostPart);
    if (typeof parsed === 'string') return fail(`host port \`${hostPart}\`: ${parsed}`);
    const single = containerPort.from === containerPort.to;
    if (!single && parsed.to - parsed.from !== containerPort.to - containerPort.from) {
      return fail(`the host range \`${hostPart}\` and the container range \`${containerText}\` differ in length`);
    }
    hostPort = parsed;
  }

  return {
    ok: true,
    port: {
      raw,
      ...(hostIp !== undefined ? { hostIp } : {}),
      ...(hostPort !== undefined ? { hostPort } : {}),
      containerPort,
      protocol: protocolText,
    },
  };
}

function fail(error: string): PortParse {
  return { ok: false, error };
}

function isProtocol(text: string): text is PortProtocol {
  return text === 'tcp' || text === 'udp' || text === 'sctp';
}

/** Docker splits on every `:`; the last two parts are the ports, the rest is the address. */
function splitParts(text: string): { ip: string; hostPart: string; containerPart: string } {
  const parts = text.split(':');
  const n = parts.length;
  if (n === 1) return { ip: '', hostPart: '', containerPart: parts[0] ?? '' };
  if (n === 2) return { ip: '', hostPart: parts[0] ?? '', containerPart: parts[1] ?? '' };
  return { ip: parts.slice(0, n - 2).join(':'), hostPart: parts[n - 2] ?? '', containerPart: parts[n - 1] ?? '' };
}

/** `published=8080,target=80,protocol=udp` -> `8080:80/udp`, as docker/cli rewrites it. */
function fromLongSyntax(raw: string): { ok: true; text: string } | { ok: false; error: string } {
  const params = new Map<string, string>([['protocol', 'tcp']]);
  for (const param of raw.split(',')) {
    const eq = param.indexOf('=');
    if (eq <= 0) return { ok: false, error: `\`${param}\` is not name=value` };
    params.set(param.slice(0, eq), param.slice(eq + 1));
  }
  const published = params.get('published') ?? '';
  const target = params.get('target') ?? '';
  return { ok: true, text: `${published}:${target}/${params.get('protocol') ?? 'tcp'}` };
}

/** `80` or `8000-8010`; a string is the reason it is not a port range. */
function parseRange(text: string): PortRange | string {
  const dash = text.indexOf('-');
  const startText = dash < 0 ? text : text.slice(0, dash);
  const endText = dash < 0 ? startText : text.slice(dash + 1);
  const from = parsePortNumber(startText);
  if (typeof from === 'string') return from;
  if (endText === startText) return { from, to: from };
  const to = parsePortNumber(endText);
  if (typeof to === 'string') return to;
  if (to < from) return `the range ends before it starts`;
  return { from, to };
}

function parsePortNumber(text: string): number | string {
  if (text === '') return 'empty port number';
  if (!/^[0-9]+$/.test(text)) return `\`${text}\` is not a number`;
  const port = Number(text);
  if (port > 65535) return `${text} is out of range (0-65535)`;
  return port;
}
