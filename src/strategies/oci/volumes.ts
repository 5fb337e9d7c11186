import { optionName, type BuildContext } from '../context.ts';
import type { NetworkUse } from './networks.ts';
import { defineCreateOneshot } from './create-oneshot.ts';

/**
 * Named volumes the old host created with options (Quadlet `.volume`
 * files): oci-containers mounts volumes by name but creates them with the
 * engine's defaults, so each gets a oneshot that creates it as the old host
 * did, ordered before and required by the containers that mount it.
 */
export function buildVolumes(ctx: BuildContext, uses: ReadonlyMap<string, readonly NetworkUse[]>): void {
  const backend = ctx.plan.backend;
  for (const volume of ctx.host.volumes ?? []) {
    const users = uses.get(volume.name) ?? [];
    if (users.length === 0) {
      ctx.ledger.settleTree(volume.item, { kind: 'dropped', reason: `no converted container mounts the volume ${volume.name}` });
      continue;
    }
    const base = ['systemd', 'services', `${backend}-volume-${volume.name}`];
    defineCreateOneshot(ctx, users[0]!.owner, base, backend, {
      kind: 'volume',
      name: volume.name,
      options: volume.options,
      units: [...new Set(users.map((u) => u.unit))],
      why: `Creates the volume ${volume.name} as the old host's Quadlet file did; oci-containers does not create volumes with options.`,
    });
    ctx.ledger.carriedTree(volume.item, optionName([...base, 'script']));
  }
}
