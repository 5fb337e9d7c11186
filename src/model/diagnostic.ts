import type { Origin } from './origin.ts';

/**
 * error: the item could not be converted and the output lacks it (exit 1).
 * warning: converted, but the user must look (meaning may differ).
 * info: converted or dropped on purpose; worth knowing.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  readonly severity: Severity;
  /** Stable machine-readable id, e.g. `cloud-config/unknown-key`. */
  readonly code: string;
  /** What happened, for a person. */
  readonly message: string;
  readonly origin?: Origin;
  /** What to do about it. */
  readonly hint?: string;
}

/**
 * Input that cannot be read at all (malformed YAML, binary bytes, a missing
 * path). Readers throw it; `convert` turns it into exit code 2 with nothing
 * written. Never thrown for input that merely cannot be translated.
 */
export class InputError extends Error {
  readonly diagnostic: Diagnostic;
  constructor(diagnostic: Omit<Diagnostic, 'severity'>) {
    super(diagnostic.message);
    this.name = 'InputError';
    this.diagnostic = { severity: 'error', ...diagnostic };
  }
}
