import type { Origin } from '../../model/origin.ts';
import type { ExecWord } from '../../model/unit.ts';

/**
 * The `docker run` command line a record amounts to, built word by word.
 * Each word's offsets index `origins`, so the flag items recognizeDocker
 * registers point at the JSON value they were made from.
 */
export class Argv {
  readonly words: ExecWord[] = [];
  private readonly origins: Origin[] = [];

  constructor(private readonly fallback: Origin) {}

  push(value: string, origin: Origin): void {
    const k = this.origins.length;
    this.origins.push(origin);
    this.words.push({ value, start: k, end: k, offsets: new Array<number>(value.length).fill(k) });
  }

  /** `--flag` or `--flag value`, as two words (the value may start with `-`). */
  flag(name: string, value: string | undefined, origin: Origin): void {
    this.push(name, origin);
    if (value !== undefined) this.push(value, origin);
  }

  readonly at = (offset: number): Origin => this.origins[offset] ?? this.fallback;
}
