/**
 * nixport as a library: `convert(inputs, options)` is a pure function from
 * in-memory input files to output files and a report. The CLI, the tests
 * and the browser playground all go through it.
 */
import type { OutputFile } from './layout/index.ts';
import type { ConvertOptions } from './options.ts';
import { runPipeline } from './pipeline.ts';
import { reportOfRun } from './report/extras.ts';
import { invalidInputReport } from './report/build.ts';
import { renderMarkdown } from './report/markdown.ts';
import type { Report } from './report/types.ts';
import type { InputFile } from './sources/types.ts';
import { assertNoSecrets } from './layout/secrets.ts';

export type { ConvertOptions } from './options.ts';
export type { InputFile } from './sources/types.ts';
export type { OutputFile } from './layout/index.ts';
export type { Report } from './report/types.ts';
export { renderMarkdown } from './report/markdown.ts';
export type { DockerRunResult } from './docker-run.ts';
export { dockerRunToContainer } from './docker-run.ts';
export { convertFleet, parseFleetFile } from './fleet/index.ts';
export type { FleetHostInput, FleetOptions, FleetResult, FleetFile } from './fleet/index.ts';
export { planUpdate } from './update/plan.ts';
export type { UpdatePlan } from './update/plan.ts';

export interface ConvertResult {
  /** The flake, MIGRATION.md and migration.json; empty when the input was refused. */
  readonly files: readonly OutputFile[];
  readonly report: Report;
  /** 0 converted, 1 converted with errors in the report, 2 input refused. */
  readonly exitCode: 0 | 1 | 2;
}

const REPORT_FILES = ['MIGRATION.md', 'migration.json'];

export function convert(inputs: readonly InputFile[], options: ConvertOptions = {}): ConvertResult {
  const run = runPipeline(inputs, options);
  if ('refused' in run) return { files: [], report: invalidInputReport(run.refused), exitCode: 2 };

  const report = reportOfRun(run, options, [...run.layout.files.map((f) => f.path), ...REPORT_FILES]);
  const files: OutputFile[] = [
    ...run.layout.files,
    { path: 'MIGRATION.md', content: renderMarkdown(report) },
    { path: 'migration.json', content: `${JSON.stringify(report, null, 2)}\n` },
  ];
  assertNoSecrets(files, run.analysis.secrets.findings);
  return { files, report, exitCode: report.status === 'converted' ? 0 : 1 };
}

