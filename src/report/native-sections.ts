import type { Report } from './types.ts';

/**
 * The part of MIGRATION.md about services moved to NixOS modules (stage 3):
 * for each, the steps in the order to run them, what the module does
 * differently from the container, and what to set again inside the app.
 */
export function nativeSections(report: Report): string[] {
  const migrations = report.migrations ?? [];
  if (migrations.length === 0) return [];
  const out: string[] = ['## Native services', ''];
  for (const m of migrations) {
    out.push(`### ${m.service} → ${m.target} (${m.unit})`, '');
    m.steps.forEach((step, i) => out.push(`${i + 1}. **${step.title}**: ${step.detail}`));
    out.push('');
    if (m.differences.length > 0) {
      out.push('What the module does differently:', '');
      for (const d of m.differences) out.push(`- ${d}`);
      out.push('');
    }
    if (m.reconfigure.length > 0) {
      out.push('Set again inside the app:', '');
      for (const r of m.reconfigure) out.push(`- ${r}`);
      out.push('');
    }
  }
  return out;
}
