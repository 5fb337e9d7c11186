import type { StandaloneContainer } from './container.ts';
import type { AuthorizedKey, HostFile } from './host.ts';
import type { Origin } from './origin.ts';
import type { SecretAnalysis } from './secret.ts';
import type { Template } from './template.ts';
import type { Directive, Unit } from './unit.ts';

/** A file system that systemd mounts on the new host (post, N2). */
export interface FileSystemPlan {
  readonly mountPoint: string;
  readonly device: string;
  readonly fsType?: string;
  readonly options: readonly string[];
  /** Where the mount was found: a `mount` step in a unit, or a `.mount` unit. */
  readonly from: Directive | Unit;
  readonly origin: Origin;
}

export interface MountAnalysis {
  readonly fileSystems: readonly FileSystemPlan[];
  /** Exec lines that leave their unit because systemd mounts the file system now. */
  readonly removedExecs: ReadonlySet<Directive>;
  /** Unit name (or containerKey of a container without a unit) -> mount points whose files it uses (RequiresMountsFor + wantedBy <mount>). */
  readonly needs: ReadonlyMap<string, readonly string[]>;
}

export interface OpenPort {
  readonly protocol: 'tcp' | 'udp';
  readonly from: number;
  readonly to: number;
  /** The unit that published it (containerKey for a container without a unit). */
  readonly unit: string;
  /** The address it was bound to on the old host, when not all addresses. */
  readonly boundTo?: string;
  readonly origin: Origin;
}

export interface FirewallAnalysis {
  readonly ports: readonly OpenPort[];
  /** Containers on the host network: their ports are unknown, so a manual step names them. */
  readonly hostNetwork: readonly { readonly unit: string; readonly origin: Origin }[];
}

export interface RestartPlan {
  /** Unit-level `startLimitIntervalSec`, when set or implied by Restart=always. */
  readonly startLimitIntervalSec?: number;
  readonly startLimitBurst?: number;
  /** Directives that the plan replaces (they leave serviceConfig/unitConfig). */
  readonly replaces: readonly Directive[];
  readonly reason: string;
}

export interface RestartAnalysis {
  /** Unit name -> plan, for units whose restart settings change shape. */
  readonly plans: ReadonlyMap<string, RestartPlan>;
}

export interface BinaryAnalysis {
  /** Exec directive -> its `raw` with program paths replaced by store paths. */
  readonly commands: ReadonlyMap<Directive, Template>;
  /** Authorized key -> its line with the forced command's program replaced. */
  readonly keys: ReadonlyMap<AuthorizedKey, Template>;
  /** A file the input wrote that a unit runs (`#!` script) -> its text with the interpreter and programs replaced. */
  readonly scripts: ReadonlyMap<HostFile, Template>;
}

export interface ContainerAnalysis {
  /**
   * `docker inspect` records of containers a unit or script also describes:
   * compared with it (differences reported) and not converted themselves.
   * The value names what they were compared with.
   */
  readonly compared: ReadonlyMap<StandaloneContainer, string>;
}

export interface Analysis {
  readonly mounts: MountAnalysis;
  readonly firewall: FirewallAnalysis;
  readonly restart: RestartAnalysis;
  readonly binaries: BinaryAnalysis;
  readonly containers: ContainerAnalysis;
  /** Secrets found in the input, and how their consumers read them from files (invariant 3). */
  readonly secrets: SecretAnalysis;
}
