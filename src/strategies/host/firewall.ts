import { attrs, bind, int, list } from '../../nix/ast.ts';
import { OWNER, type BuildContext } from '../context.ts';
import type { FirewallHandled } from '../native/types.ts';
import { originComment } from '../values.ts';

/**
 * NixOS turns its firewall on; CoreOS did not. Every published port is
 * opened in the module of the service that published it, except where a
 * NixOS module (stage 3) opens it itself or the app no longer listens there.
 */
export function buildFirewall(ctx: BuildContext, ownerOfUnit: ReadonlyMap<string, string>, handled?: FirewallHandled): void {
  const { tree, ledger, analysis } = ctx;
  for (const port of analysis.firewall.ports) {
    if (handled?.ports.has(port)) continue;
    const owner = ownerOfUnit.get(port.unit) ?? OWNER.configuration;
    const proto = port.protocol.toUpperCase();
    const comment = [
      `${port.unit} published ${port.from === port.to ? port.from : `${port.from}-${port.to}`}/${port.protocol} (${originComment(port.origin)})` +
        (port.boundTo ? `, bound to ${port.boundTo} on the old host` : ''),
    ];
    if (port.from === port.to) {
      tree.define(owner, ['networking', 'firewall', `allowed${proto}Ports`], list([int(port.from)]), comment);
    } else {
      tree.define(
        owner,
        ['networking', 'firewall', `allowed${proto}PortRanges`],
        list([attrs([bind(['from'], int(port.from)), bind(['to'], int(port.to))])]),
        comment,
      );
    }
  }
  // Socket units listen through systemd, which the firewall does govern; only published container ports bypass it.
  if (analysis.firewall.ports.some((p) => !p.unit.endsWith('.socket'))) {
    ledger.report(
      'info',
      'firewall/docker-bypass',
      'ports a container publishes (`-p`) bypass the NixOS firewall (Docker and podman add their own forwarding rules); they are opened explicitly anyway, so the rules stay right when a service moves to a native module',
    );
  }
  for (const h of analysis.firewall.hostNetwork) {
    if (handled?.hostNetwork.has(h.unit)) continue;
    ledger.manual({
      order: 60,
      title: `Open the ports of ${h.unit}`,
      detail: `${h.unit} runs its container on the host network, so nixport cannot see which ports it listens on. Check with \`ss -tlnup\` on the old host and add them to networking.firewall.allowedTCPPorts/allowedUDPPorts in its module.`,
      origin: h.origin,
    });
  }
}
