import type { StandaloneContainer } from '../model/container.ts';
import type { NativePlan } from './native.ts';
import type { DockerFlag, DockerInvocation } from '../model/docker.ts';
import type { GeneratedHousekeeping } from './podman-generated.ts';
import type { Directive, Unit } from '../model/unit.ts';

/**
 * docker: stage 1, the unit is carried 1:1 and still runs `docker run`.
 * oci: stage 2, `virtualisation.oci-containers` (issue "Stage 2").
 * native: stage 3, a NixOS module through a recipe (issue "Stage 3").
 */
export type StrategyName = 'docker' | 'oci' | 'native';

/** The oci-containers backend. */
export type Backend = 'docker' | 'podman';

/** One service of the new host: a unit and its companions (`x.timer`, `x.socket`), in one module file. */
export interface ServicePlan {
  /** Module name, e.g. `samba`; the layout writes `services/samba.nix`. */
  readonly name: string;
  readonly units: readonly Unit[];
  readonly strategy: StrategyName;
  /** Why this strategy, for the report. */
  readonly reason: string;
  /** Stage 2: the container it becomes. Stage 3: the container the module replaces. */
  readonly container?: ContainerPlan;
  /** Stage 3: the recipe that turns the container into a NixOS module (src/plan/native.ts). */
  readonly native?: NativePlan;
}

export interface Plan {
  readonly services: readonly ServicePlan[];
  /** `.mount`, `.automount` and `.swap` units: they become file systems of the host. */
  readonly storage: readonly Unit[];
  /** The oci-containers backend the stage-2 services use. */
  readonly backend: Backend;
  /** Why that backend, when nixport chose it (no --backend): the engine the old host ran its containers with. */
  readonly backendWhy?: string;
  /** Stage 3 for authorized_keys: forced commands that ran a container a key recipe knows (rrsync) run the program from the store. */
  readonly nativeKeys?: boolean;
  /**
   * CoreOS's own units that are not carried (etcd2, fleet, flanneld, ...),
   * with why: NixOS has no unit of that name, so a carried `Requires=` on
   * one would keep its service from starting.
   */
  readonly notCarried: ReadonlyMap<string, string>;
}

/** What becomes of an Exec*= line of a unit whose container moves to oci-containers. */
export type StepRole =
  /** `docker pull IMAGE` before the run: the container's pull policy. */
  | 'pull'
  /** `docker rm/kill/stop NAME`, a Docker readiness check: the module does the same. */
  | 'housekeeping'
  /** `docker network create NET` for a network the container uses: the network's oneshot. */
  | 'network'
  /** ExecReload=, ExecCondition=: kept on the container's unit. */
  | 'carried'
  /** Stage 3: a line that prepared the container (a helper container, `docker commit`), read by the recipe. */
  | 'prepare';

export interface PlannedStep {
  readonly directive: Directive;
  readonly role: StepRole;
  /** Why it is dropped or where it goes, for the report. */
  readonly reason: string;
}

/** Stage 2: one container under virtualisation.oci-containers.containers. */
export interface ContainerPlan {
  /** The attribute name: the container's `--name`, so other containers still find it by name. */
  readonly name: string;
  readonly invocation: DockerInvocation;
  /** The image and command after systemd's expansion of `${VAR}` and specifiers. */
  readonly image: string;
  readonly args: readonly string[];
  /** Flag values systemd would have expanded, after expansion (flags not here are as written). */
  readonly values: ReadonlyMap<DockerFlag, string>;
  /** The unit whose ExecStart= ran it, and that line; absent for a container without a unit. */
  readonly unit?: Unit;
  readonly run?: Directive;
  /** The unit's other Exec*= lines. */
  readonly steps: readonly PlannedStep[];
  /** Timers and path units that started the unit. */
  readonly activators: readonly Unit[];
  /** The unit's Environment= variables, in effect order (for `-e NAME`). */
  readonly environment: ReadonlyMap<string, string>;
  /** A container from a script, `--docker-run` or `docker inspect`. */
  readonly standalone?: StandaloneContainer;
  /** A unit `podman generate systemd --new` wrote: its own flags and lines, dropped with reasons. */
  readonly generated?: GeneratedHousekeeping;
}
