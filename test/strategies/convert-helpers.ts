import { runPipeline, type Pipeline } from '../../src/pipeline.ts';
import { reportOfRun } from '../../src/report/extras.ts';
import type { Report } from '../../src/report/types.ts';
import type { ConvertOptions } from '../../src/options.ts';
import { mergeModulesJson, moduleToJson } from '../helpers/nix-json.ts';

export interface Converted {
  readonly run: Pipeline;
  readonly report: Report;
  /** Reads the evaluated configuration by option path. */
  readonly option: (...path: string[]) => unknown;
}

/** Converts in-memory files and evaluates the modules (TypeScript side; roundtrip tests prove Nix agrees). */
export function convertFiles(files: Readonly<Record<string, string>>, options: ConvertOptions = {}): Converted {
  const run = runPipeline(
    Object.entries(files).map(([path, content]) => ({ path, content })),
    options,
  );
  if ('refused' in run) throw new Error(`refused: ${run.refused.message}`);
  const config = mergeModulesJson(run.layout.modules.map((m) => moduleToJson(m.expr)));
  const report = reportOfRun(run, options, run.layout.files.map((f) => f.path));
  return {
    run,
    report,
    option: (...path) => {
      let at: unknown = config;
      for (const key of path) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
      return at;
    },
  };
}

/** The fate of the first item whose label matches, as `kind: option-or-reason`. */
export function fateOf(report: Report, label: string | RegExp): string {
  const item = report.items.find((i) => (typeof label === 'string' ? i.label === label : label.test(i.label)));
  if (!item) throw new Error(`no item ${String(label)}; have ${report.items.map((i) => i.label).join(', ')}`);
  const f = item.fate;
  return f.kind === 'carried' ? `carried: ${f.option}` : f.kind === 'unaccounted' ? 'unaccounted' : f.kind === 'manual' ? `manual: ${f.step}` : `${f.kind}: ${f.reason}`;
}

/** A cloud-config with the given units (name -> unit body; `null` for an entry without content). */
export function cloudConfig(units: Readonly<Record<string, { content?: string; extra?: string }>>, top = ''): string {
  const lines = ['#cloud-config', top, 'coreos:', '  units:'];
  for (const [name, u] of Object.entries(units)) {
    lines.push(`    - name: ${name}`);
    if (u.extra) lines.push(...u.extra.split('\n').map((l) => `      ${l}`));
    if (u.content !== undefined) {
      lines.push('      content: |');
      lines.push(...u.content.trim().split('\n').map((l) => (l ? `        ${l}` : '')));
    }
  }
  return `${lines.join('\n')}\n`;
}
