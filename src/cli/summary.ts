import type { Diagnostic } from '../model/diagnostic.ts';
import { formatOrigin } from '../model/origin.ts';
import type { Report } from '../report/types.ts';

/**
 * One diagnostic as the CLI prints it: `nixport: error: file:line:col:
 * message`, then the hint indented on a line of its own, the same shape as
 * usage errors, so every complaint reads alike.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.origin ? `${formatOrigin(d.origin)}: ` : '';
  return `nixport: ${d.severity}: ${where}${d.message}\n${d.hint ? `  hint: ${d.hint}\n` : ''}`;
}

/** Errors and warnings on stderr; notes stay in MIGRATION.md. */
export function printDiagnostics(report: Report): void {
  for (const d of report.diagnostics) {
    if (d.severity !== 'info') process.stderr.write(formatDiagnostic(d));
  }
}

/** What a person wants to see after `convert`: what was made, how complete, what is next. */
export function printSummary(report: Report, inputs: readonly string[], outDir: string): void {
  printDiagnostics(report);
  const out = outDir.replace(/(.)\/+$/, '$1');
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
