import { compareOrigins } from '../model/origin.ts';
import type { Diagnostic } from '../model/diagnostic.ts';
import type { Host } from '../model/host.ts';
import type { ItemKind, Ledger } from '../model/ledger.ts';
import type { NixosTree } from '../nix/tree.ts';
import type { Plan } from '../plan/types.ts';
import { optionSegment } from '../strategies/context.ts';
import type { HealthPlan, VmPlan } from '../strategies/index.ts';
import type { ServiceMigration } from '../strategies/native/types.ts';
import type { Coverage, Report, ReportDeploy, ReportFate, ReportItem, ReportSecrets } from './types.ts';

export const VERSION = '0.1.0';

export interface ReportInput {
  readonly host: Host;
  readonly plan: Plan;
  readonly ledger: Ledger;
  readonly tree: NixosTree;
  readonly placement: ReadonlyMap<string, string>;
  readonly files: readonly string[];
  readonly hostName: string;
  readonly release: string;
  /** What the flake offers beyond the old host: the VM, deploying, upgrades with rollback, option digests. */
  readonly vm?: VmPlan;
  readonly deploy?: ReportDeploy;
  readonly health?: HealthPlan;
  readonly options?: Readonly<Record<string, string>>;
  readonly migrations?: readonly ServiceMigration[];
  /** The secrets found and where they went. */
  readonly secrets?: ReportSecrets;
  /** Applied to every text of the report: replaces the value of each secret found by `…`. */
  readonly redact?: (text: string) => string;
}

/** The migration report: every input item with its fate and place, the services, the steps left. */
export function buildReport(input: ReportInput): Report {
  const report = buildPlainReport(input);
  return input.redact ? redactReport(report, input.redact) : report;
}

/**
 * Invariant 3 in the report: labels, messages and steps quote the input,
 * and the input held secrets; every text gets them replaced by `…`.
 */
function redactReport(report: Report, redact: (text: string) => string): Report {
  const fate = (f: ReportFate): ReportFate => {
    switch (f.kind) {
      case 'carried':
        return f.note === undefined ? f : { ...f, note: redact(f.note) };
      case 'dropped':
      case 'unsupported':
        return { ...f, reason: redact(f.reason) };
      case 'manual':
        return { ...f, step: redact(f.step) };
      default:
        return f;
    }
  };
  return {
    ...report,
    items: report.items.map((i) => ({ ...i, label: redact(i.label), fate: fate(i.fate) })),
    diagnostics: report.diagnostics.map((d) => ({ ...d, message: redact(d.message), ...(d.hint !== undefined ? { hint: redact(d.hint) } : {}) })),
    manualSteps: report.manualSteps.map((m) => ({ ...m, title: redact(m.title), detail: redact(m.detail) })),
    services: report.services.map((s) => ({ ...s, reason: redact(s.reason) })),
    ...(report.secrets ? { secrets: { ...report.secrets, found: report.secrets.found.map((f) => ({ ...f, what: redact(f.what) })) } } : {}),
  };
}

function buildPlainReport(input: ReportInput): Report {
  const { ledger, plan } = input;
  const fileOfOption = optionFiles(input.tree, input.placement);
  const items: ReportItem[] = [...ledger.items]
    .sort((a, b) => compareOrigins(a.origin, b.origin) || Number(a.id.slice(1)) - Number(b.id.slice(1)))
    .map((item) => {
      const fate: ReportFate = ledger.fate(item) ?? { kind: 'unaccounted' };
      const file = fate.kind === 'carried' ? fileOfOption.get(fate.option) : undefined;
      const { id, kind, label, origin } = item;
      return file ? { id, kind, label, origin, fate, file } : { id, kind, label, origin, fate };
    });

  const diagnostics = sortDiagnostics(ledger.diagnostics);
  return {
    tool: 'nixport',
    version: VERSION,
    status: diagnostics.some((d) => d.severity === 'error') ? 'converted-with-errors' : 'converted',
    host: input.hostName,
    release: input.release,
    inputs: input.host.sources.map((s) => ({ path: s.path, format: s.format })),
    services: plan.services.map((s) => {
      const file = input.placement.get(`services/${s.name}`);
      return { name: s.name, strategy: s.strategy, reason: s.reason, units: s.units.map((u) => u.name), ...(file ? { file } : {}) };
    }),
    coverage: count(items),
    coverageByKind: byKind(items),
    manualSteps: [...ledger.manualSteps].sort((a, b) => a.order - b.order || compareText(a.title, b.title)),
    diagnostics,
    items,
    files: [...input.files].sort(),
    ...(input.vm ? { vm: input.vm } : {}),
    ...(input.deploy ? { deploy: input.deploy } : {}),
    ...(input.health ? { health: input.health } : {}),
    ...(input.options ? { options: input.options } : {}),
    ...(input.migrations && input.migrations.length > 0 ? { migrations: input.migrations } : {}),
    ...(input.secrets && input.secrets.found.length > 0 ? { secrets: input.secrets } : {}),
  };
}

/** The report of input nixport refused (exit 2): the error, nothing else. */
export function invalidInputReport(diagnostic: Diagnostic): Report {
  return {
    tool: 'nixport',
    version: VERSION,
    status: 'invalid-input',
    inputs: [],
    services: [],
    coverage: { items: 0, carried: 0, dropped: 0, unsupported: 0, manual: 0, unaccounted: 0 },
    coverageByKind: {},
    manualSteps: [],
    diagnostics: [diagnostic],
    items: [],
    files: [],
  };
}

/**
 * Option name (and every prefix of it) -> the file of the first definition
 * under it. Prefix names are built one segment at a time, and the names of
 * the prefix a definition shares with the one before it (a unit's options
 * come one after another) are taken over instead of being built again.
 */
function optionFiles(tree: NixosTree, placement: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  let previous: readonly string[] = [];
  let previousNames: readonly string[] = [];
  for (const d of tree.definitions) {
    const file = placement.get(d.owner);
    if (!file) continue;
    const names: string[] = [];
    while (names.length < d.path.length && d.path[names.length] === previous[names.length]) {
      names.push(previousNames[names.length]!);
    }
    for (let n = names.length; n < d.path.length; n++) {
      const segment = optionSegment(d.path[n]!);
      const name = n === 0 ? segment : `${names[n - 1]}.${segment}`;
      names.push(name);
      if (!out.has(name)) out.set(name, file);
    }
    previous = d.path;
    previousNames = names;
  }
  return out;
}

export function count(items: readonly ReportItem[]): Coverage {
  const c = { items: items.length, carried: 0, dropped: 0, unsupported: 0, manual: 0, unaccounted: 0 };
  for (const i of items) c[i.fate.kind]++;
  return c;
}

function byKind(items: readonly ReportItem[]): Partial<Record<ItemKind, Coverage>> {
  const kinds = [...new Set(items.map((i) => i.kind))].sort();
  return Object.fromEntries(kinds.map((k) => [k, count(items.filter((i) => i.kind === k))]));
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.origin && b.origin ? compareOrigins(a.origin, b.origin) : a.origin ? -1 : b.origin ? 1 : 0) ||
      compareText(a.message, b.message),
  );
}

/** Code-point order: locale-independent, so reports are byte-identical everywhere. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
