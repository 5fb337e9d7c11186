import type { Diagnostic } from '../model/diagnostic.ts';
import { formatOrigin } from '../model/origin.ts';
import type { Coverage, Report, ReportFate, ReportItem } from './types.ts';
import { flakeSections } from './flake-sections.ts';
import { nativeSections } from './native-sections.ts';

/** MIGRATION.md: what a person reads after converting, most important first. */
export function renderMarkdown(report: Report): string {
  const out = new Lines();
  const c = report.coverage;
  out.push(`# Migration report: ${report.host ?? 'host'}`, '');
  out.push(
    `nixport ${report.version} converted ${report.inputs.length} input file(s) into a NixOS ${report.release ?? ''} flake.`,
    '',
    `- **${c.items} input items**: ${c.carried} carried, ${c.dropped} dropped on purpose, ${c.unsupported} not carried, ${c.manual} left as manual steps${c.unaccounted ? `, **${c.unaccounted} unaccounted (a nixport bug)**` : ''}.`,
    `- **Coverage**: ${percent(c.items - c.unaccounted, c.items)} of items accounted for; ${percent(c.carried, c.items)} carried into the configuration.`,
    `- **Diagnostics**: ${tally(report.diagnostics)}.`,
    '',
  );

  out.push('## Services', '', '| service | stage | units | file | why |', '|---|---|---|---|---|');
  for (const s of report.services) {
    out.push(`| ${s.name} | ${s.strategy} | ${s.units.join(', ')} | ${s.file ?? ''} | ${cell(s.reason)} |`);
  }
  out.push('');

  if (report.manualSteps.length > 0) {
    out.push('## Manual steps, in order', '');
    report.manualSteps.forEach((step, i) => {
      const where = step.origin ? ` (${formatOrigin(step.origin)})` : '';
      out.push(`${i + 1}. **${step.title}**${where}: ${step.detail}`);
    });
    out.push('');
  }

  out.push(...nativeSections(report));
  out.push(...secretsSection(report));
  out.push(...flakeSections(report));

  for (const severity of ['error', 'warning', 'info'] as const) {
    const ds = report.diagnostics.filter((d) => d.severity === severity);
    if (ds.length === 0) continue;
    out.push(`## ${severity === 'error' ? 'Errors' : severity === 'warning' ? 'Warnings' : 'Notes'}`, '');
    for (const d of ds) out.push(`- ${diagnosticLine(d)}`);
    out.push('');
  }

  out.push('## Coverage by kind', '', '| kind | items | carried | dropped | not carried | manual | unaccounted |', '|---|---|---|---|---|---|---|');
  for (const [kind, k] of Object.entries(report.coverageByKind) as [string, Coverage][]) {
    out.push(`| ${kind} | ${k.items} | ${k.carried} | ${k.dropped} | ${k.unsupported} | ${k.manual} | ${k.unaccounted} |`);
  }
  out.push('');

  out.push('## Every input item', '', 'Where each item of the input went, in input order.', '');
  let file = '';
  for (const item of report.items) {
    if (item.origin.file !== file) {
      file = item.origin.file;
      out.push('', `### ${file}`, '', '| at | item | fate | where / why |', '|---|---|---|---|');
    }
    out.push(`| ${item.origin.line}:${item.origin.column} | ${cell(`${item.kind} ${item.label}`)} | ${fateName(item.fate)} | ${cell(fateDetail(item))} |`);
  }
  out.push('');
  return out.join();
}

/**
 * Lines joined by `\n`, a block at a time: a report has a line per input
 * item, and keeping tens of thousands of small line strings alive until one
 * final join made the garbage collector copy them over and over.
 */
class Lines {
  private static readonly BLOCK = 1024;
  private readonly blocks: string[] = [];
  private lines: string[] = [];

  push(...lines: string[]): void {
    this.lines.push(...lines);
    if (this.lines.length >= Lines.BLOCK) this.flush();
  }

  join(): string {
    this.flush();
    return this.blocks.join('\n');
  }

  private flush(): void {
    // An empty block would add a line break of its own.
    if (this.lines.length === 0) return;
    this.blocks.push(this.lines.join('\n'));
    this.lines = [];
  }
}

/**
 * Every secret found, without its value, and where it went: the plaintext
 * is only in secrets.local/, which the manual steps empty.
 */
function secretsSection(report: Report): string[] {
  const s = report.secrets;
  if (!s || s.found.length === 0) return [];
  const where = { files: 'plain files under /var/lib/secrets', sops: 'sops-nix (secrets/secrets.yaml)', agenix: 'agenix (secrets/<name>.age)' }[s.mode];
  const out = [
    '## Secrets',
    '',
    `nixport found ${s.found.length} secret(s) in the input. None is in the flake: the configuration reads each from a file outside the Nix store (\`--secrets ${s.mode}\`: ${where}), ` +
      'and the values are only in `secrets.local/`, which is git-ignored. Encrypt or copy them as the manual steps say, then delete `secrets.local/`. ' +
      'Build from a git checkout only: nix copies a plain directory into the store, secrets.local/ with it.',
    '',
    '| at | secret | kind | now read by | file |',
    '|---|---|---|---|---|',
  ];
  for (const f of s.found) {
    const to = f.status === 'moved' ? (f.to ?? []).map((t) => `\`${t.option}\` (${t.path})`).join('<br>') : f.status === 'placeholder' ? '**not moved: a placeholder is in its place (see Errors)**' : 'not in the output (its item is not carried)';
    out.push(`| ${formatOrigin(f.origin)} | ${cell(f.what)} | ${f.kind} | ${cell(to)} | ${f.file ?? ''} |`);
  }
  out.push('');
  return out;
}

export function diagnosticLine(d: Diagnostic): string {
  const where = d.origin ? `${formatOrigin(d.origin)}: ` : '';
  return `${where}${d.message}${d.hint ? ` — hint: ${d.hint}` : ''}`;
}

function fateName(fate: ReportFate): string {
  return fate.kind === 'unsupported' ? '**not carried**' : fate.kind === 'unaccounted' ? '**UNACCOUNTED**' : fate.kind;
}

function fateDetail(item: ReportItem): string {
  const f = item.fate;
  switch (f.kind) {
    case 'carried':
      return `\`${f.option}\`${item.file ? ` in ${item.file}` : ''}${f.note ? ` (${f.note})` : ''}`;
    case 'dropped':
    case 'unsupported':
      return f.reason;
    case 'manual':
      return f.step;
    case 'unaccounted':
      return 'no stage settled this item';
  }
}

function tally(ds: readonly Diagnostic[]): string {
  const n = (s: string) => ds.filter((d) => d.severity === s).length;
  return `${n('error')} error(s), ${n('warning')} warning(s), ${n('info')} note(s)`;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '100%' : `${Math.floor((part / whole) * 1000) / 10}%`;
}

/** Keeps a value inside one Markdown table cell. */
function cell(text: string): string {
  // Most cells have neither; this runs twice per input item.
  if (!text.includes('|') && !text.includes('\n')) return text;
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
