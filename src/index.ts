/**
 * nixport as a library: `convert(inputs, options)` is a pure function from
 * in-memory input files to output files and a report. The CLI, the tests
 * and the browser playground all go through it.
 */
import { InputError } from './model/diagnostic.ts';
import { Ledger } from './model/ledger.ts';
import { layoutFlake, type OutputFile } from './layout/index.ts';
import { DEFAULT_RELEASE, DEFAULT_SYSTEM, type ConvertOptions } from './options.ts';
import { analyse } from './passes/index.ts';
import { planHost } from './plan/index.ts';
import { buildReport, invalidInputReport } from './report/build.ts';
import { renderMarkdown } from './report/markdown.ts';
import type { Report } from './report/types.ts';
import { readInputs, type InputFile } from './sources/index.ts';
import { buildTree } from './strategies/index.ts';

export type { ConvertOptions } from './options.ts';
export type { InputFile } from './sources/types.ts';
export type { OutputFile } from './layout/index.ts';
export type { Report } from './report/types.ts';
export { renderMarkdown } from './report/markdown.ts';

export interface ConvertResult {
  /** The flake, MIGRATION.md and migration.json; empty when the input was refused. */
  readonly files: readonly OutputFile[];
  readonly report: Report;
  /** 0 converted, 1 converted with errors in the report, 2 input refused. */
  readonly exitCode: 0 | 1 | 2;
}

export function convert(inputs: readonly InputFile[], options: ConvertOptions = {}): ConvertResult {
  const ledger = new Ledger();
  let host;
  try {
    host = readInputs(inputs, ledger);
  } catch (e) {
    if (e instanceof InputError) return { files: [], report: invalidInputReport(e.diagnostic), exitCode: 2 };
    throw e;
  }
  const release = options.release ?? DEFAULT_RELEASE;
  const system = options.system ?? DEFAULT_SYSTEM;
  const hostName = options.host ?? host.hostname?.value.split('.')[0] ?? 'nixos';

  const analysis = analyse(host, ledger);
  const plan = planHost(host, ledger);
  const build = buildTree(host, analysis, plan, ledger, { hostName, release });
  const layout = layoutFlake(build, { hostName, release, system });

  const reportFiles = ['MIGRATION.md', 'migration.json'];
  const report = buildReport({
    host,
    plan,
    ledger,
    tree: build.tree,
    placement: layout.placement,
    files: [...layout.files.map((f) => f.path), ...reportFiles],
    hostName,
    release,
  });
  const files: OutputFile[] = [
    ...layout.files,
    { path: 'MIGRATION.md', content: renderMarkdown(report) },
    { path: 'migration.json', content: `${JSON.stringify(report, null, 2)}\n` },
  ];
  return { files, report, exitCode: report.status === 'converted' ? 0 : 1 };
}
