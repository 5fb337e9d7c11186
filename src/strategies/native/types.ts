import type { OpenPort } from '../../model/analysis.ts';

/** One service's move to a NixOS module, for the report: what to do, in order, and what changes. */
export interface ServiceMigration {
  readonly service: string;
  readonly app: string;
  /** `services.jellyfin`, or the unit a script runs as. */
  readonly target: string;
  /** The unit that runs the app now (`jellyfin.service`). */
  readonly unit: string;
  readonly steps: readonly MigrationStep[];
  readonly differences: readonly string[];
  readonly reconfigure: readonly string[];
  /** `curl -fsS http://127.0.0.1:8096/health` */
  readonly health?: string;
}

export interface MigrationStep {
  readonly title: string;
  readonly detail: string;
}

/** Firewall entries of the passes that a module opens itself (openFirewall), or that no longer apply. */
export interface FirewallHandled {
  readonly ports: Set<OpenPort>;
  /** Units (or container keys) on the host network whose ports a module opens. */
  readonly hostNetwork: Set<string>;
}
