import { attrs, bool, list, pkg, str } from '../../nix/ast.ts';
import type { Backend } from '../../plan/types.ts';
import type { BuildContext } from '../context.ts';
import { shellWord } from './shell.ts';

/** What a oneshot creates before the containers that use it. */
export interface CreatedResource {
  readonly kind: 'network' | 'volume';
  readonly name: string;
  /** Flags of `<engine> <kind> create`, as the old host gave them. */
  readonly options: readonly string[];
  /** The container units that need it: ordered after it and requiring it. */
  readonly units: readonly string[];
  /** The comment above the unit: why it exists. */
  readonly why: string;
}

/**
 * oci-containers joins networks and mounts volumes by name but creates
 * neither with options, so a oneshot creates each once (`inspect || create`),
 * before the containers that use it. Docker needs its daemon for that; podman
 * has none.
 */
export function defineCreateOneshot(ctx: BuildContext, owner: string, base: readonly string[], backend: Backend, resource: CreatedResource): void {
  const define = (rest: readonly string[], value: Parameters<typeof ctx.tree.define>[2], comments?: readonly string[]) => ctx.tree.define(owner, [...base, ...rest], value, comments);
  const create = [backend, resource.kind, 'create', ...resource.options, resource.name].map(shellWord).join(' ');
  define([], attrs([]), [resource.why]);
  define(['description'], str(`Create the ${backend} ${resource.kind} ${resource.name}`));
  if (backend === 'docker') {
    define(['after'], list([str('docker.service'), str('docker.socket')]));
    define(['requires'], list([str('docker.service')]));
  }
  define(['before'], list(resource.units.map((u) => str(u))));
  define(['requiredBy'], list(resource.units.map((u) => str(u))));
  define(['path'], list([pkg(backend)]));
  define(['serviceConfig'], attrs([]));
  define(['serviceConfig', 'Type'], str('oneshot'));
  define(['serviceConfig', 'RemainAfterExit'], bool(true));
  define(['script'], str(`${backend} ${resource.kind} inspect ${shellWord(resource.name)} >/dev/null 2>&1 || ${create}`));
}
