import type { Diagnostic } from '../model/diagnostic.ts';
import type { Fate, ItemKind, ManualStep } from '../model/ledger.ts';
import type { Origin } from '../model/origin.ts';
import type { StrategyName } from '../plan/types.ts';
import type { HealthPlan, VmPlan } from '../strategies/index.ts';
import type { ServiceMigration } from '../strategies/native/types.ts';

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
  /** Stage 3: per service moved to a NixOS module, its ordered steps, what the module does differently, what to set again in the app. */
  readonly migrations?: readonly ServiceMigration[];
  /** Every secret found in the input (values never shown), and where it went (invariant 3). */
  readonly secrets?: ReportSecrets;
}

export interface ReportSecrets {
  /** `--secrets`: files, sops or agenix. */
  readonly mode: 'files' | 'sops' | 'agenix';
  readonly found: readonly ReportSecret[];
}

export interface ReportSecret {
  readonly kind: string;
  /** What it is, without its value: `Environment=DB_PASSWORD`, `/etc/ssl/private/web.key (PEM private key)`. */
  readonly what: string;
  readonly origin: Origin;
  /**
   * moved: options read it from a secret file now (`to`);
   * placeholder: it could not be moved and the output holds a placeholder (an error);
   * not-carried: the item holding it is not in the output at all.
   */
  readonly status: 'moved' | 'placeholder' | 'not-carried';
  /** The options that read it, and the file on the host. */
  readonly to?: readonly { readonly option: string; readonly path: string }[];
  /** Its plaintext, in the output's secrets.local/. */
  readonly file?: string;
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
