import type { Unit } from '../model/unit.ts';

/**
 * docker: stage 1, the unit is carried 1:1 and still runs `docker run`.
 * oci: stage 2, `virtualisation.oci-containers` (issue "Stage 2").
 * native: stage 3, a NixOS module through a recipe (issue "Stage 3").
 */
export type StrategyName = 'docker' | 'oci' | 'native';

/** One service of the new host: a unit and its companions (`x.timer`, `x.socket`), in one module file. */
export interface ServicePlan {
  /** Module name, e.g. `samba`; the layout writes `services/samba.nix`. */
  readonly name: string;
  readonly units: readonly Unit[];
  readonly strategy: StrategyName;
  /** Why this strategy, for the report. */
  readonly reason: string;
}

export interface Plan {
  readonly services: readonly ServicePlan[];
  /** `.mount`, `.automount` and `.swap` units: they become file systems of the host. */
  readonly storage: readonly Unit[];
}
