export { readUnits } from './read-units.ts';
export { parseUnitText, type ParsedUnitText } from './parse-unit.ts';
export { splitExec, quoteExecWord, type ExecSplit, type ExecSplitError, type ExecSplitNote } from './exec-split.ts';
export { execCommandOf, shellPayloadIndex } from './exec-command.ts';
export { checkUnitName } from './unit-name.ts';
