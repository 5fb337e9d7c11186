import type { Diagnostic } from '../model/diagnostic.ts';
import type { Fate, ItemKind, ManualStep } from '../model/ledger.ts';
import type { Origin } from '../model/origin.ts';
import type { StrategyName } from '../plan/types.ts';
import type { HealthPlan, VmPlan } from '../strategies/index.ts';

/** An item's fate, or the admission that nothing settled it (a nixport bug the tests catch). */
export type ReportFate = Fate | { readonly kind: 'unaccounted' };

export interface ReportItem {
  readonly id: string;
  readonly kind: ItemKind;
  readonly label: string;
  readonly origin: Origin;
  readonly fate: ReportFate;
  /** The output file holding the option, for carried items. */
  readonly file?: string;
}

export interface ReportService {
  readonly name: string;
  readonly strategy: StrategyName;
  readonly reason: string;
  readonly units: readonly string[];
  readonly file?: string;
}

export interface Coverage {
  readonly items: number;
  readonly carried: number;
  readonly dropped: number;
  readonly unsupported: number;
  readonly manual: number;
  readonly unaccounted: number;
}

export type ReportStatus = 'converted' | 'converted-with-errors' | 'invalid-input';

export interface Report {
  readonly tool: 'nixport';
  readonly version: string;
  readonly status: ReportStatus;
  readonly host?: string;
  readonly release?: string;
  readonly inputs: readonly { readonly path: string; readonly format: string }[];
  readonly services: readonly ReportService[];
  readonly coverage: Coverage;
  readonly coverageByKind: Readonly<Partial<Record<ItemKind, Coverage>>>;
  readonly manualSteps: readonly ManualStep[];
  readonly diagnostics: readonly Diagnostic[];
  readonly items: readonly ReportItem[];
  /** Files written, relative to the output directory. */
  readonly files: readonly string[];
  /** What `make vm` changes and the ports it forwards. */
  readonly vm?: VmPlan;
  /** How the flake is installed and deployed. */
  readonly deploy?: ReportDeploy;
  /** The health check and rollback after automatic upgrades, when the host upgrades itself. */
  readonly health?: HealthPlan;
  /**
   * Option name -> a digest of its definitions, so `convert --update` can
   * say which options changed since the last run.
   */
  readonly options?: Readonly<Record<string, string>>;
  /** Set when the output is a fleet: the hosts, each with its report in `hosts/<name>/migration.json`. */
  readonly fleet?: readonly string[];
}

export interface ReportDeploy {
  readonly tool: 'nixos-rebuild' | 'colmena' | 'deploy-rs';
  /** The SSH destination of deploys. */
  readonly target: string;
  /** Why that login. */
  readonly reason: string;
  /** The system disk disko.nix names for the first install. */
  readonly installDisk: string;
  /** True while disko.nix still says CHANGE-ME. */
  readonly installDiskUnknown: boolean;
}
