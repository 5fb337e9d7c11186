import type { FirewallAnalysis, OpenPort } from '../model/analysis.ts';
import type { DockerInvocation, PortSpec } from '../model/docker.ts';
import type { Host } from '../model/host.ts';
import type { Ledger } from '../model/ledger.ts';
import { compareOrigins, type Origin } from '../model/origin.ts';
import { containerKey, type StandaloneContainer } from '../model/container.ts';
import type { Unit } from '../model/unit.ts';

/**
 * NixOS turns its firewall on; CoreOS did not. Every port a container
 * published must be opened explicitly, so this pass lists them: one entry per
 * `-p` host port (or range) and protocol, with the address it was bound to.
 * What cannot be opened is reported: SCTP (the NixOS firewall options know
 * TCP and UDP), loopback bindings (nothing outside reaches them anyway),
 * random host ports and `-P` (the numbers are unknown), and host networking
 * (its ports are whatever the program listens on). Socket units listen
 * too: their network `ListenStream=`/`ListenDatagram=` ports are opened the
 * same way.
 */
export function analyseFirewall(host: Host, ledger: Ledger, skip: ReadonlySet<StandaloneContainer> = new Set()): FirewallAnalysis {
  const candidates: OpenPort[] = [];
  const hostNetwork = new Map<string, { unit: string; origin: Origin }>();

  for (const unit of host.units) {
    if (unit.type === 'socket' && unit.activation.mask?.value !== true) socketPorts(unit, ledger, candidates);
    for (const d of unit.directives) {
      const docker = d.exec?.docker;
      if (!docker || (docker.verb !== 'run' && docker.verb !== 'create')) continue;
      publishes(unit.name, docker, d.item.origin, ledger, candidates, hostNetwork);
    }
  }
  // Containers without a unit (scripts, --docker-run, docker inspect), keyed like units.
  for (const c of host.containers ?? []) {
    if (!skip.has(c)) publishes(containerKey(c), c.invocation, c.item.origin, ledger, candidates, hostNetwork);
  }

  return { ports: dedupe(candidates), hostNetwork: [...hostNetwork.values()] };
}

function publishes(
  name: string,
  docker: DockerInvocation,
  origin: Origin,
  ledger: Ledger,
  candidates: OpenPort[],
  hostNetwork: Map<string, { unit: string; origin: Origin }>,
): void {
  if (docker.network === 'host') {
    if (!hostNetwork.has(name)) hostNetwork.set(name, { unit: name, origin: networkOrigin(docker, origin) });
    for (const port of docker.ports) {
      ledger.report(
        'info',
        'firewall/host-network-publish',
        `${name}: \`${port.flag.spelled} ${port.raw}\` has no effect with --network host; Docker ignores it`,
        port.flag.item.origin,
      );
    }
    return;
  }
  if (docker.publishAll) {
    const flag = docker.flags.find((f) => f.name === '--publish-all');
    ledger.report(
      'warning',
      'firewall/publish-all',
      `${name} publishes every exposed port of its image (-P) on random host ports; no firewall port is opened for them`,
      flag?.item.origin ?? origin,
      'publish the ports with -p HOST:CONTAINER so they can be opened, or open them in networking.firewall by hand',
    );
  }
  for (const port of docker.ports) {
    const open = openPort(name, port, ledger);
    if (open) candidates.push(open);
  }
}

function openPort(unit: string, port: PortSpec, ledger: Ledger): OpenPort | undefined {
  const origin = port.flag.item.origin;
  const shown = `\`${port.flag.spelled} ${port.raw}\``;
  if (port.protocol === 'sctp') {
    ledger.report(
      'warning',
      'firewall/sctp',
      `${unit}: ${shown} publishes an SCTP port; the NixOS firewall options open TCP and UDP only, so it is not opened`,
      origin,
      'add an iptables/nftables rule by hand (networking.firewall.extraCommands or extraInputRules)',
    );
    return undefined;
  }
  if (port.hostIp !== undefined && isLoopback(port.hostIp)) {
    ledger.report(
      'info',
      'firewall/loopback',
      `${unit}: ${shown} is bound to ${port.hostIp}, reachable from this host only; no firewall port is opened`,
      origin,
    );
    return undefined;
  }
  if (!port.hostPort) {
    ledger.report(
      'warning',
      'firewall/random-host-port',
      `${unit}: ${shown} lets Docker pick a random host port; no firewall port is opened`,
      origin,
      'give the host port (-p HOST:CONTAINER) so it can be opened',
    );
    return undefined;
  }
  const boundTo = port.hostIp !== undefined && !isAnyAddress(port.hostIp) ? port.hostIp : undefined;
  const { protocol, hostPort } = port;
  // Two literals rather than a spread of the optional field in the middle: spreads are slow to build.
  return boundTo !== undefined
    ? { protocol, from: hostPort.from, to: hostPort.to, unit, boundTo, origin }
    : { protocol, from: hostPort.from, to: hostPort.to, unit, origin };
}

const SOCKET_PROTOCOL: Readonly<Record<string, 'tcp' | 'udp'>> = { ListenStream: 'tcp', ListenDatagram: 'udp' };

/**
 * `ListenStream=4243`, `0.0.0.0:80`, `[::1]:53`: a network port systemd
 * listens on for the socket's service. Paths (`/run/x.sock`), abstract
 * (`@name`), netlink and vsock sockets are local and need no firewall port.
 */
function socketPorts(unit: Unit, ledger: Ledger, candidates: OpenPort[]): void {
  for (const d of unit.directives) {
    const protocol = d.section === 'Socket' ? SOCKET_PROTOCOL[d.key] : undefined;
    if (protocol === undefined) continue;
    const listen = parseListen(d.value);
    if (listen === undefined) continue;
    const origin = d.item.origin;
    if (listen.address !== undefined && isLoopback(listen.address)) {
      ledger.report('info', 'firewall/loopback', `${unit.name}: \`${d.key}=${d.value}\` listens on ${listen.address}, reachable from this host only; no firewall port is opened`, origin);
      continue;
    }
    const boundTo = listen.address !== undefined && !isAnyAddress(listen.address) ? listen.address : undefined;
    candidates.push(boundTo !== undefined ? { protocol, from: listen.port, to: listen.port, unit: unit.name, boundTo, origin } : { protocol, from: listen.port, to: listen.port, unit: unit.name, origin });
    if (isDockerApi(unit)) {
      ledger.report(
        'warning',
        'firewall/docker-api',
        `${unit.name} serves the Docker API on ${protocol} ${listen.port} without TLS: whoever reaches it is root on this host. The old host had no firewall, so it was open; the port stays open to keep that`,
        origin,
        'bind it to an address only trusted hosts reach (ListenStream=ADDRESS:PORT), or drop the socket and use `ssh -L`/DOCKER_HOST=ssh:// instead',
      );
    }
  }
}

/** The port and address of a ListenStream=/ListenDatagram= value, when it is a network socket. */
export function parseListen(value: string): { readonly port: number; readonly address?: string } | undefined {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]:|([0-9.]+):)?([0-9]{1,5})$/.exec(value.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  const address = m[1] ?? m[2];
  return address !== undefined ? { port, address } : { port };
}

/** The socket hands its connections to dockerd (Service=docker.service, or it is docker.socket itself). */
function isDockerApi(unit: Unit): boolean {
  const service = unit.directives.find((d) => d.section === 'Socket' && d.key === 'Service')?.value;
  return service === 'docker.service' || (service === undefined && unit.name === 'docker.socket');
}

/** 127.0.0.0/8 and ::1 (also as an IPv4-mapped address). */
export function isLoopback(ip: string): boolean {
  const v4 = ip.toLowerCase().replace(/^::ffff:/, '');
  if (/^127\.[0-9]+\.[0-9]+\.[0-9]+$/.test(v4)) return true;
  return /^(0{0,4}:){2,7}0{0,3}1$/.test(ip) || ip === '::1';
}

/** 0.0.0.0 and :: mean every address. */
function isAnyAddress(ip: string): boolean {
  return ip === '0.0.0.0' || /^[0:]+$/.test(ip);
}

/** One entry per port, range, protocol and address; the first by (unit, origin) wins. Sorted for stable output. */
function dedupe(ports: readonly OpenPort[]): OpenPort[] {
  const sorted = [...ports].sort(
    (a, b) =>
      compareText(a.protocol, b.protocol) ||
      a.from - b.from ||
      a.to - b.to ||
      compareText(a.boundTo ?? '', b.boundTo ?? '') ||
      compareText(a.unit, b.unit) ||
      compareOrigins(a.origin, b.origin),
  );
  const seen = new Set<string>();
  return sorted.filter((p) => {
    const key = `${p.protocol}:${p.from}-${p.to}@${p.boundTo ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function networkOrigin(docker: DockerInvocation, origin: Origin): Origin {
  return docker.flags.find((f) => f.name === '--network')?.item.origin ?? origin;
}
