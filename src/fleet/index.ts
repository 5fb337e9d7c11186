/**
 * Several old hosts into one flake (the post's N8): each host converted on
 * its own, then what they define alike moves to modules/common.nix, and
 * each host keeps the rest under hosts/<name>/. Pure, like `convert`.
 */
import type { OutputFile } from '../layout/index.ts';
import { assertNoSecrets } from '../layout/secrets.ts';
import { defaultTarget, GITIGNORE, layoutHostModules, module, sshOf, type ModuleFile } from '../layout/index.ts';
import { flakeFile, type DeployTool } from '../layout/flake.ts';
import { KEEP_HINT } from '../layout/keep.ts';
import { makefile } from '../layout/makefile.ts';
import { readme } from '../layout/readme.ts';
import type { Diagnostic } from '../model/diagnostic.ts';
import { formatOrigin, type Origin } from '../model/origin.ts';
import { printFile } from '../nix/print.ts';
import { DEFAULT_RELEASE, DEFAULT_SYSTEM, type ConvertOptions } from '../options.ts';
import { runPipeline, type Pipeline } from '../pipeline.ts';
import { invalidInputReport, VERSION } from '../report/build.ts';
import { renderMarkdown } from '../report/markdown.ts';
import type { Coverage, Report } from '../report/types.ts';
import type { InputFile } from '../sources/types.ts';
import { reportOfRun } from '../report/extras.ts';
import { COMMON_OWNER, splitShared, type RequiredShare } from './common.ts';

export { parseFleetFile, type FleetFile, type FleetFileHost } from './file.ts';
export type { RequiredShare } from './common.ts';

export interface FleetHostInput {
  /** The host's name; default: the hostname its inputs give, else `fallbackName`. */
  readonly name?: string;
  /** The name when neither `name` nor the inputs give one (e.g. its directory's name). */
  readonly fallbackName?: string;
  readonly inputs: readonly InputFile[];
  /** SSH destination for deploying; default `<deploy user>@<name>`. */
  readonly target?: string;
  /** Where the host was declared, for errors about it. */
  readonly origin?: Origin;
}

export interface FleetOptions extends Omit<ConvertOptions, 'host' | 'target'> {
  /** Options every host must define alike (the fleet file's `shared:`). */
  readonly shared?: readonly RequiredShare[];
}

export interface FleetHost {
  readonly name: string;
  readonly run: Pipeline;
  readonly report: Report;
  /** The modules nixosSystem evaluates for this host, in order: modules/common.nix first. */
  readonly modules: readonly ModuleFile[];
}

export interface FleetResult {
  /** The flake; empty when the input was refused. */
  readonly files: readonly OutputFile[];
  /** The fleet's report (migration.json at the top): totals, the hosts, every file. */
  readonly report: Report;
  readonly hosts: readonly FleetHost[];
  /** 0 converted, 1 converted with errors in a host's report, 2 input refused. */
  readonly exitCode: 0 | 1 | 2;
}

const COMMON_FILE = 'modules/common.nix';

export function convertFleet(inputs: readonly FleetHostInput[], options: FleetOptions = {}): FleetResult {
  const release = options.release ?? DEFAULT_RELEASE;
  const system = options.system ?? DEFAULT_SYSTEM;
  const deploy: DeployTool = options.deploy ?? 'nixos-rebuild';
  const { shared: required = [], ...convertOptions } = options;

  const runs: { name: string; run: Pipeline; input: FleetHostInput }[] = [];
  for (const input of inputs) {
    let run = runPipeline(input.inputs, { ...convertOptions, ...(input.name ? { host: input.name } : {}) });
    if (!('refused' in run) && !input.name && !run.host.hostname && input.fallbackName) {
      run = runPipeline(input.inputs, { ...convertOptions, host: input.fallbackName });
    }
    if ('refused' in run) return refused(run.refused);
    runs.push({ name: run.hostName, run, input });
  }
  const twin = duplicateName(runs);
  if (twin) return refused(twin);

  const split = splitShared(runs.map((r) => ({ name: r.name, tree: r.run.build.tree })), required);
  if ('conflict' in split) return refused(split.conflict);

  const files: OutputFile[] = [];
  const hasCommon = split.common.definitions.length > 0;
  let commonModule: ModuleFile | undefined;
  if (hasCommon) {
    const expr = module(split.common.moduleBody(COMMON_OWNER));
    commonModule = { path: COMMON_FILE, owner: COMMON_OWNER, expr };
    files.push({
      path: COMMON_FILE,
      content: printFile(expr, [
        `What every host of this fleet defines alike (${runs.map((r) => r.name).join(', ')}), found by comparing their configurations.`,
        `Comments name ${runs[0]!.name}'s inputs. A change here applies to every host.`,
        KEEP_HINT,
      ]),
    });
  }

  const laid: { name: string; run: Pipeline; target: string; placement: Map<string, string>; modules: ModuleFile[] }[] = [];
  for (const [i, { name, run, input }] of runs.entries()) {
    const dir = `hosts/${name}/`;
    const layout = layoutHostModules(split.own[i]!, run.build, {
      hostName: name,
      dir,
      ...(hasCommon ? { headerNote: `What every host shares is in ${COMMON_FILE}.` } : {}),
    });
    const target = input.target ?? defaultTarget(run.build, name);
    files.push(...layout.files);
    const placement = new Map(layout.placement);
    if (hasCommon) placement.set(COMMON_OWNER, COMMON_FILE);
    laid.push({ name, run, target, placement, modules: [...(commonModule ? [commonModule] : []), ...layout.modules] });
  }
  const hostEntries = laid.map((h) => ({ name: h.name, dir: `hosts/${h.name}/`, target: h.target }));
  const description = `NixOS fleet ${runs.map((r) => r.name).join(', ')}, converted by nixport`;
  files.push({
    path: 'flake.nix',
    content: flakeFile({
      description,
      release,
      system,
      deploy,
      // One secrets tool for the flake: --secrets is the same for every host.
      ...(options.secrets !== undefined && options.secrets !== 'files' && runs.some((r) => r.run.build.secrets.files.length > 0) ? { secrets: options.secrets } : {}),
      hosts: laid.map((h) => {
        const own = h.modules.filter((m) => m.owner === 'configuration' || m.owner === 'disko' || m.owner === COMMON_OWNER);
        const entry = own.map((m) => m.path).sort((x, y) => entryRank(x) - entryRank(y));
        return { name: h.name, modules: entry, ...sshOf(h.target, h.name) };
      }),
    }),
  });
  files.push({ path: 'Makefile', content: makefile(hostEntries, deploy, `Commands for the fleet ${runs.map((r) => r.name).join(', ')}`, runs.some((r) => r.run.build.secrets.files.length > 0)) });
  files.push({
    path: 'README.md',
    content: readme({
      hosts: laid.map((h) => ({ name: h.name, dir: `hosts/${h.name}/`, build: h.run.build, target: h.target })),
      deploy,
      release,
      common: { groups: split.groups },
    }),
  });
  files.push({ path: '.gitignore', content: GITIGNORE });

  // Reports last: they list every file of the flake.
  const reportPaths = laid.flatMap(({ name }) => [`hosts/${name}/MIGRATION.md`, `hosts/${name}/migration.json`]);
  const allPaths = [...files.map((f) => f.path), ...reportPaths, 'MIGRATION.md', 'migration.json'].sort();
  const hosts: FleetHost[] = laid.map((h, i) => {
    const { run } = h;
    const report = reportOfRun(run, { deploy, target: h.target }, allPaths, { tree: split.placed[i]!, placement: h.placement });
    files.push({ path: `hosts/${h.name}/MIGRATION.md`, content: renderMarkdown(report) });
    files.push({ path: `hosts/${h.name}/migration.json`, content: `${JSON.stringify(report, null, 2)}\n` });
    return { name: h.name, run, report, modules: h.modules };
  });
  const report = fleetReport(hosts, release, allPaths, split.groups);
  files.push({ path: 'MIGRATION.md', content: fleetMarkdown(report, hosts, split.groups) });
  files.push({ path: 'migration.json', content: `${JSON.stringify(report, null, 2)}\n` });
  assertNoSecrets(files, runs.flatMap((r) => r.run.analysis.secrets.findings));
  return { files, report, hosts, exitCode: report.status === 'converted' ? 0 : 1 };
}

function refused(diagnostic: Diagnostic): FleetResult {
  return { files: [], report: invalidInputReport(diagnostic), hosts: [], exitCode: 2 };
}

/** Two hosts with one name would be one nixosConfigurations entry: refused, naming both. */
function duplicateName(runs: readonly { name: string; run: Pipeline; input: FleetHostInput }[]): Diagnostic | undefined {
  for (let i = 0; i < runs.length; i++) {
    for (let j = 0; j < i; j++) {
      if (runs[i]!.name !== runs[j]!.name) continue;
      const where = (k: number) => runs[k]!.input.origin ?? runs[k]!.run.host.hostname?.item.origin;
      const describe = (k: number) => {
        const origin = where(k);
        return origin ? formatOrigin(origin) : runs[k]!.input.inputs[0]?.path ?? `host ${k + 1}`;
      };
      const origin = where(i);
      return {
        severity: 'error',
        code: 'fleet/duplicate-host',
        message: `two hosts are named ${runs[i]!.name} (${describe(j)} and ${describe(i)}); each needs a name of its own`,
        ...(origin ? { origin } : {}),
        hint: 'name the hosts in a fleet file (`hosts: { a: [...], b: [...] }`), or give one of them another hostname',
      };
    }
  }
  return undefined;
}

function fleetReport(hosts: readonly FleetHost[], release: string, files: readonly string[], groups: readonly string[]): Report {
  const reports = hosts.map((h) => h.report);
  const coverage = sumCoverage(reports.map((r) => r.coverage));
  const byKind: Record<string, Coverage> = {};
  for (const r of reports) {
    for (const [kind, c] of Object.entries(r.coverageByKind) as [string, Coverage][]) byKind[kind] = byKind[kind] ? sumCoverage([byKind[kind]!, c]) : c;
  }
  return {
    tool: 'nixport',
    version: VERSION,
    status: reports.some((r) => r.status !== 'converted') ? 'converted-with-errors' : 'converted',
    release,
    inputs: reports.flatMap((r) => r.inputs),
    services: [],
    coverage,
    coverageByKind: Object.fromEntries(Object.entries(byKind).sort(([a], [b]) => (a < b ? -1 : 1))),
    manualSteps: [],
    diagnostics: groups.length > 0 ? [{ severity: 'info', code: 'fleet/shared', message: `modules/common.nix holds what every host defines alike: ${groups.join(', ')}` }] : [],
    items: [],
    files: [...files],
    fleet: hosts.map((h) => h.name),
  };
}

function sumCoverage(cs: readonly Coverage[]): Coverage {
  const out = { items: 0, carried: 0, dropped: 0, unsupported: 0, manual: 0, unaccounted: 0 };
  for (const c of cs) for (const k of Object.keys(out) as (keyof Coverage)[]) out[k] += c[k];
  return out;
}

function fleetMarkdown(report: Report, hosts: readonly FleetHost[], groups: readonly string[]): string {
  const out = [`# Migration report: fleet ${hosts.map((h) => h.name).join(', ')}`, ''];
  out.push(`nixport ${report.version} converted ${hosts.length} hosts into one NixOS ${report.release ?? ''} flake. Each host's report is in its directory.`, '');
  out.push('| host | services | items | carried | errors | warnings | manual steps | report |', '|---|---|---|---|---|---|---|---|');
  for (const h of hosts) {
    const r = h.report;
    const n = (s: string) => r.diagnostics.filter((d) => d.severity === s).length;
    out.push(
      `| ${h.name} | ${r.services.map((s) => s.name).join(', ')} | ${r.coverage.items} | ${r.coverage.carried} | ${n('error')} | ${n('warning')} | ${r.manualSteps.length} | [hosts/${h.name}/MIGRATION.md](hosts/${h.name}/MIGRATION.md) |`,
    );
  }
  out.push('', '## Shared', '');
  out.push(
    groups.length > 0
      ? `modules/common.nix holds what every host defines alike: ${groups.map((g) => `\`${g}\``).join(', ')}.`
      : 'The hosts define nothing alike, so there is no modules/common.nix.',
    '',
  );
  return out.join('\n');
}

/** nixosSystem's order: the shared module, the disk layout, then the host's configuration. */
function entryRank(path: string): number {
  return path === COMMON_FILE ? 0 : path.endsWith('/disko.nix') ? 1 : 2;
}
