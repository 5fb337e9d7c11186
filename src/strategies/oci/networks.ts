import type { InputItem } from '../../model/ledger.ts';
import type { Origin } from '../../model/origin.ts';
import { optionName, type BuildContext } from '../context.ts';
import { defineCreateOneshot } from './create-oneshot.ts';

/**
 * oci-containers attaches containers to networks but does not create them
 * (nixos/modules/virtualisation/oci-containers.nix, `networks`). Each
 * user-defined network gets a oneshot unit that creates it (if it is not
 * there yet), ordered before and required by the containers that join it,
 * with the flags the old host created it with where the input shows them.
 */
export interface NetworkUse {
  /** The container's unit, `docker-web.service`. */
  readonly unit: string;
  /** The module of the first service that uses it holds the oneshot. */
  readonly owner: string;
  readonly origin: Origin;
}

export interface NetworkSource {
  readonly options: readonly string[];
  readonly item: InputItem;
  /** Made outside the host's configuration (Compose `external: true`): used by name, never created. */
  readonly external?: boolean;
}

export function buildNetworks(ctx: BuildContext, uses: ReadonlyMap<string, readonly NetworkUse[]>, sources: ReadonlyMap<string, readonly NetworkSource[]>): void {
  const backend = ctx.plan.backend;
  for (const [network, users] of uses) {
    const name = `${backend}-network-${network}`;
    const base = ['systemd', 'services', name];
    const owner = users[0]!.owner;
    const known = sources.get(network) ?? [];
    const source = known[0];
    if (source?.external) {
      for (const s of known) ctx.ledger.carriedTree(s.item, optionName(['virtualisation', 'oci-containers', 'containers']), `external: used by the name ${network}; it must exist on the new host`);
      ctx.ledger.report('info', 'oci/network-external', `the network ${network} is external: the containers join it, but nothing creates it`, source.item.origin, `create it on the new host (\`${backend} network create ... ${network}\`) before the containers start`);
      continue;
    }
    const options = source?.options ?? [];
    defineCreateOneshot(ctx, owner, base, backend, {
      kind: 'network',
      name: network,
      options,
      units: [...new Set(users.map((u) => u.unit))],
      why: `Creates the network ${network}: oci-containers joins containers to networks but does not create them.`,
    });
    for (const s of known) {
      if (s === source) ctx.ledger.carriedTree(s.item, optionName([...base, 'script']));
      else ctx.ledger.settleTree(s.item, { kind: 'dropped', reason: `the network ${network} is created once, with the flags of ${source!.item.origin.file}:${source!.item.origin.line}` });
    }
    if (!source) {
      ctx.ledger.report(
        'info',
        'oci/network-defaults',
        `the network ${network} is created with ${backend}'s defaults (bridge driver, a free subnet); the input does not show how the old host created it`,
        users[0]!.origin,
        `compare with \`docker network inspect ${network}\` on the old host and add its flags (--subnet, --driver) to ${optionName([...base, 'script'])}`,
      );
    }
  }
  // Networks a script created that no converted container joins.
  for (const [network, known] of sources) {
    if (uses.has(network)) continue;
    for (const s of known) ctx.ledger.settleTree(s.item, { kind: 'dropped', reason: `no converted container joins the network ${network}` });
  }
}
