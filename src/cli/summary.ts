import { diagnosticLine } from '../report/markdown.ts';
import type { Report } from '../report/types.ts';

/** Errors and warnings on stderr, one line each, `file:line:col: severity: message`. */
export function printDiagnostics(report: Report): void {
  for (const d of report.diagnostics) {
    if (d.severity === 'info') continue;
    process.stderr.write(`${d.severity}: ${diagnosticLine(d)}\n`);
  }
}

/** What a person wants to see after `convert`: what was made, how complete, what is next. */
export function printSummary(report: Report, inputs: readonly string[], out: string): void {
  printDiagnostics(report);
  const c = report.coverage;
  const pct = (n: number) => (c.items === 0 ? '100' : ((n / c.items) * 100).toFixed(1));
  const lines = [
    `nixport: converted ${inputs.join(' ')} -> ${out}/ (host ${report.host}, NixOS ${report.release})`,
    `  services: ${report.services.map((s) => `${s.name} (${s.strategy})`).join(', ') || 'none'}`,
    `  items:    ${c.items} (${pct(c.items - c.unaccounted)}% accounted for, ${pct(c.carried)}% carried, ${c.dropped} dropped, ${c.unsupported} not carried)`,
    `  report:   ${report.diagnostics.filter((d) => d.severity === 'error').length} error(s), ${report.diagnostics.filter((d) => d.severity === 'warning').length} warning(s), ${report.manualSteps.length} manual step(s)`,
    `  next:     read ${out}/MIGRATION.md, then \`make -C ${out} vm\``,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
