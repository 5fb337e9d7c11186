import { attrs, bool, list, pkg, str } from '../../nix/ast.ts';
import { optionName, type BuildContext } from '../context.ts';
import type { NetworkUse } from './networks.ts';
import { shellWord } from './shell.ts';

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
    const define = (rest: readonly string[], value: Parameters<typeof ctx.tree.define>[2], comments?: readonly string[]) => ctx.tree.define(users[0]!.owner, [...base, ...rest], value, comments);
    const create = [backend, 'volume', 'create', ...volume.options, volume.name].map(shellWord).join(' ');
    define([], attrs([]), [`Creates the volume ${volume.name} as the old host's Quadlet file did; oci-containers does not create volumes with options.`]);
    define(['description'], str(`Create the ${backend} volume ${volume.name}`));
    if (backend === 'docker') {
      define(['after'], list([str('docker.service'), str('docker.socket')]));
      define(['requires'], list([str('docker.service')]));
    }
    const units = [...new Set(users.map((u) => u.unit))];
    define(['before'], list(units.map((u) => str(u))));
    define(['requiredBy'], list(units.map((u) => str(u))));
    define(['path'], list([pkg(backend)]));
    define(['serviceConfig'], attrs([]));
    define(['serviceConfig', 'Type'], str('oneshot'));
    define(['serviceConfig', 'RemainAfterExit'], bool(true));
    define(['script'], str(`${backend} volume inspect ${shellWord(volume.name)} >/dev/null 2>&1 || ${create}`));
    ctx.ledger.carriedTree(volume.item, optionName([...base, 'script']));
  }
}
