import type { InputItem } from './ledger.ts';
import type { Origin, PositionMapper } from './origin.ts';
import type { DockerInvocation } from './docker.ts';

export const UNIT_TYPES = [
  'service',
  'socket',
  'target',
  'mount',
  'automount',
  'timer',
  'path',
  'swap',
  'slice',
  'device',
  'scope',
] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

/** A value with the input item it came from. */
export interface Located<T> {
  readonly value: T;
  readonly item: InputItem;
}

/** One `Key=value` line of a unit file or drop-in. */
export interface Directive {
  readonly section: string;
  readonly key: string;
  /**
   * The value as written, after `=` and leading blanks: backslash-newline
   * continuations and the following lines' indentation are kept, so that
   * offsets into `raw` map back to positions in the file.
   */
  readonly raw: string;
  /** The logical value systemd sees: continuations joined, comment lines dropped, trimmed. */
  readonly value: string;
  /** Maps a 1-based position inside `raw` (line of raw, column) to the input file. */
  readonly position: PositionMapper;
  readonly item: InputItem;
  /** The unit file or drop-in (`override.conf`) the line came from. */
  readonly source: string;
  /** Set for Exec*= lines. */
  readonly exec?: ExecCommand;
  /** Set for `Environment=` lines: the assignments after systemd's unquoting, in order. */
  readonly assignments?: readonly EnvAssignment[];
}

export interface EnvAssignment {
  readonly name: string;
  readonly value: string;
}

/** One word of a command line, split by systemd's rules. */
export interface ExecWord {
  /** The word after quotes and escapes were resolved. */
  readonly value: string;
  /** Offsets into the directive's `raw`: [start, end) of the word as written. */
  readonly start: number;
  readonly end: number;
  /** For each character of `value`, its offset in `raw` (escapes make these differ). */
  readonly offsets: readonly number[];
}

/** An `Exec*=` command line split by systemd's rules. */
export interface ExecCommand {
  /** Special executable prefixes as written: any of `-@:+!` (and `!!`). */
  readonly prefixes: string;
  /** words[0] is the program. Empty for an empty assignment (a list reset). */
  readonly words: readonly ExecWord[];
  /** Set when the command runs the Docker CLI. */
  readonly docker?: DockerInvocation;
  /** Set when the command is `sh -c PAYLOAD` (or bash): index of the payload word. */
  readonly shellPayload?: number;
}

export interface DropIn {
  /** `override.conf` */
  readonly name: string;
  readonly item: InputItem;
}

/** How a cloud-config or Butane entry asked for the unit to be handled at boot. */
export interface UnitActivation {
  /** cloud-config `command:` (start, stop, restart, reload, try-restart, reload-or-restart, reload-or-try-restart). */
  readonly command?: Located<string>;
  readonly enable?: Located<boolean>;
  readonly runtime?: Located<boolean>;
  readonly mask?: Located<boolean>;
}

export interface Unit {
  /** Full unit name, e.g. `samba.service`, `srv-data.mount`. */
  readonly name: string;
  readonly type: UnitType;
  readonly item: InputItem;
  readonly origin: Origin;
  /**
   * The effective directives, in order: the unit file's, then its drop-ins'
   * (sorted by name), with systemd's rules applied (an empty assignment
   * resets a list; a later single value replaces an earlier one). The
   * directives that lost are settled as dropped in the ledger.
   */
  readonly directives: readonly Directive[];
  readonly dropIns: readonly DropIn[];
  /** False when only drop-ins were given: they amend a unit the old OS shipped. */
  readonly hasBody: boolean;
  readonly activation: UnitActivation;
}

/** `samba.service` -> `samba`; `srv.mount` -> `srv`. */
export function unitStem(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

/** All directives of a section with a key, in order. */
export function directivesOf(unit: Unit, section: string, key: string): Directive[] {
  return unit.directives.filter((d) => d.section === section && d.key === key);
}

/** The effective single value of a key, if set (the last one wins). */
export function lastValue(unit: Unit, section: string, key: string): Directive | undefined {
  const all = directivesOf(unit, section, key);
  return all[all.length - 1];
}

/** Maps an offset into a directive's `raw` to the input position. */
export function originAt(directive: Directive, offset: number): Origin {
  const raw = directive.raw;
  // Offsets past the end count as the end. Jumps from line break to line
  // break: this runs for every word and flag, so walking characters added up.
  const end = offset > 0 ? Math.min(offset, raw.length) : 0;
  let line = 1;
  let lineStart = 0;
  for (let nl = raw.indexOf('\n'); nl >= 0 && nl < end; nl = raw.indexOf('\n', nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  return directive.position(line, end - lineStart + 1);
}
