import type { Diagnostic } from '../model/diagnostic.ts';
import type { Fate, ItemKind, ManualStep } from '../model/ledger.ts';
import type { Origin } from '../model/origin.ts';
import type { StrategyName } from '../plan/types.ts';

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
}
