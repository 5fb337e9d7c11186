import type { FirewallAnalysis, OpenPort } from '../model/analysis.ts';
import type { DockerInvocation, PortSpec } from '../model/docker.ts';
import type { Host } from '../model/host.ts';
import type { Ledger } from '../model/ledger.ts';
import { compareOrigins, type Origin } from '../model/origin.ts';
import type { Directive, Unit } from '../model/unit.ts';

/**
 * NixOS turns its firewall on; CoreOS did not. Every port a container
 * published must be opened explicitly, so this pass lists them: one entry per
 * `-p` host port (or range) and protocol, with the address it was bound to.
 * What cannot be opened is reported: SCTP (the NixOS firewall options know
 * TCP and UDP), loopback bindings (nothing outside reaches them anyway),
 * random host ports and `-P` (the numbers are unknown), and host networking
 * (its ports are whatever the program listens on).
 */
export function analyseFirewall(host: Host, ledger: Ledger): FirewallAnalysis {
  const candidates: OpenPort[] = [];
  const hostNetwork = new Map<string, { unit: string; origin: Origin }>();

  for (const unit of host.units) {
    for (const d of unit.directives) {
      const docker = d.exec?.docker;
      if (!docker || (docker.verb !== 'run' && docker.verb !== 'create')) continue;
      if (docker.network === 'host') {
        if (!hostNetwork.has(unit.name)) hostNetwork.set(unit.name, { unit: unit.name, origin: networkOrigin(docker, d) });
        for (const port of docker.ports) {
          ledger.report(
            'info',
            'firewall/host-network-publish',
            `${unit.name}: \`${port.flag.spelled} ${port.raw}\` has no effect with --network host; Docker ignores it`,
            port.flag.item.origin,
          );
        }
        continue;
      }
      if (docker.publishAll) {
        const flag = docker.flags.find((f) => f.name === '--publish-all');
        ledger.report(
          'warning',
          'firewall/publish-all',
          `${unit.name} publishes every exposed port of its image (-P) on random host ports; no firewall port is opened for them`,
          flag?.item.origin ?? d.item.origin,
          'publish the ports with -p HOST:CONTAINER so they can be opened, or open them in networking.firewall by hand',
        );
      }
      for (const port of docker.ports) {
        const open = openPort(unit, port, ledger);
        if (open) candidates.push(open);
      }
    }
  }

  return { ports: dedupe(candidates), hostNetwork: [...hostNetwork.values()] };
}

function openPort(unit: Unit, port: PortSpec, ledger: Ledger): OpenPort | undefined {
  const origin = port.flag.item.origin;
  const shown = `\`${port.flag.spelled} ${port.raw}\``;
  if (port.protocol === 'sctp') {
    ledger.report(
      'warning',
      'firewall/sctp',
      `${unit.name}: ${shown} publishes an SCTP port; the NixOS firewall options open TCP and UDP only, so it is not opened`,
      origin,
      'add an iptables/nftables rule by hand (networking.firewall.extraCommands or extraInputRules)',
    );
    return undefined;
  }
  if (port.hostIp !== undefined && isLoopback(port.hostIp)) {
    ledger.report(
      'info',
      'firewall/loopback',
      `${unit.name}: ${shown} is bound to ${port.hostIp}, reachable from this host only; no firewall port is opened`,
      origin,
    );
    return undefined;
  }
  if (!port.hostPort) {
    ledger.report(
      'warning',
      'firewall/random-host-port',
      `${unit.name}: ${shown} lets Docker pick a random host port; no firewall port is opened`,
      origin,
      'give the host port (-p HOST:CONTAINER) so it can be opened',
    );
    return undefined;
  }
  const boundTo = port.hostIp !== undefined && !isAnyAddress(port.hostIp) ? port.hostIp : undefined;
  const { protocol, hostPort } = port;
  // Two literals rather than a spread of the optional field in the middle: spreads are slow to build.
  return boundTo !== undefined
    ? { protocol, from: hostPort.from, to: hostPort.to, unit: unit.name, boundTo, origin }
    : { protocol, from: hostPort.from, to: hostPort.to, unit: unit.name, origin };
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

function networkOrigin(docker: DockerInvocation, d: Directive): Origin {
  return docker.flags.find((f) => f.name === '--network')?.item.origin ?? d.item.origin;
}
