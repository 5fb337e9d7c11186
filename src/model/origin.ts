/** Where an item came from: 1-based line and column in an input file. */
export interface Origin {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export function formatOrigin(origin: Origin): string {
  return `${origin.file}:${origin.line}:${origin.column}`;
}

/** Orders origins by file, then position; used wherever output must be deterministic. */
export function compareOrigins(a: Origin, b: Origin): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}

/**
 * Maps a 1-based (line, column) inside an embedded text (a unit's `content:`
 * block inside a cloud-config, say) to the origin in the file that holds it.
 */
export type PositionMapper = (line: number, column: number) => Origin;

/** The mapper for a text that is a whole file of its own. */
export function fileMapper(file: string): PositionMapper {
  return (line, column) => ({ file, line, column });
}

/**
 * The mapper for a text embedded at (line, column) of a file, where every
 * following line of the text starts `indent` columns in (a YAML block scalar).
 */
export function embeddedMapper(outer: Origin, indent: number): PositionMapper {
  return (line, column) =>
    line === 1
      ? { file: outer.file, line: outer.line, column: outer.column + column - 1 }
      : { file: outer.file, line: outer.line + line - 1, column: indent + column };
}
