/**
 * `nixport convert --fleet fleet.yml -o DIR` and `nixport convert
 * --each-host a/ b/ -o DIR`: several hosts into one flake. Without either,
 * all inputs are one host, as always.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { convertFleet, type FleetHostInput, type FleetOptions } from '../fleet/index.ts';
import { parseFleetFile } from '../fleet/file.ts';
import { InputError } from '../model/diagnostic.ts';
import type { ConvertOptions } from '../options.ts';
import type { Report } from '../report/types.ts';
import { HOST_LABEL } from '../strategies/host/system.ts';
import { reportNixCheck } from './check.ts';
import { gatherNamedInputs, MAX_INPUT_BYTES, requireReadableDirectories, type GatheredInputs } from './inputs.ts';
import { formatDiagnostic, printDiagnostics } from './summary.ts';
import { describeUpdate, updateOutput } from './update.ts';
import { UsageError } from './usage-error.ts';
import { writeOutput } from './write.ts';

export interface FleetFlags {
  readonly out: string;
  readonly fleet?: string;
  readonly eachHost?: boolean;
  readonly force?: boolean;
  readonly check?: boolean;
  readonly update?: boolean;
  readonly json?: boolean;
  readonly target?: string;
  readonly dockerRun?: readonly string[];
}

/** Runs a fleet conversion; returns the exit code (0, 1, 2, or 3 for generated Nix that does not parse). */
export async function convertFleetCommand(inputs: readonly string[], flags: FleetFlags, options: ConvertOptions): Promise<number> {
  if (flags.fleet !== undefined && flags.eachHost) throw new UsageError('--fleet and --each-host both say which inputs make up the hosts', 'use one of them');
  if (options.host !== undefined) throw new UsageError('--host names one host; in a fleet each host is named by its inputs or the fleet file', 'leave out --host');
  if (flags.target !== undefined) throw new UsageError('--target is for one host; a fleet file gives each host its `target:`', 'leave out --target');
  if ((flags.dockerRun ?? []).length > 0) throw new UsageError('--docker-run is an input of one host; in a fleet, put the command into a script among a host\'s inputs', 'leave out --docker-run');

  const hosts: (FleetHostInput & { gathered: GatheredInputs })[] = [];
  const fleetOptions: { -readonly [K in keyof FleetOptions]: FleetOptions[K] } = { ...withoutHost(options) };
  const inputPaths: string[] = [];
  if (flags.fleet !== undefined) {
    if (inputs.length > 0) throw new UsageError('--fleet takes the inputs from the fleet file; name no inputs besides it', `move ${inputs.join(' ')} into the fleet file`);
    const text = await readFleetFile(flags.fleet);
    let spec;
    try {
      spec = parseFleetFile(flags.fleet, text);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      process.stderr.write(formatDiagnostic(e.diagnostic));
      return 2;
    }
    const base = dirname(flags.fleet);
    for (const host of spec.hosts) {
      const paths = host.inputs.map((p) => join(base, p));
      const gathered = await gatherNamedInputs(paths, flags.out);
      inputPaths.push(...gathered.files.map((f) => f.path));
      hosts.push({ name: host.name, inputs: gathered.files, origin: host.origin, gathered, ...(host.target ? { target: host.target } : {}) });
    }
    inputPaths.push(flags.fleet);
    if (spec.shared.length > 0) fleetOptions.shared = spec.shared;
    if (spec.deploy && fleetOptions.deploy === undefined) fleetOptions.deploy = spec.deploy;
    if (spec.release && fleetOptions.release === undefined) fleetOptions.release = spec.release;
  } else {
    if (inputs.length === 0) throw new UsageError('--each-host needs the inputs of each host', 'e.g. nixport convert --each-host storage2/ storage3/ -o fleet');
    for (const path of inputs) {
      const gathered = await gatherNamedInputs([path], flags.out);
      inputPaths.push(...gathered.files.map((f) => f.path));
      const fallback = basename(path.replace(/\/+$/, '')).replace(/\.[^.]*$/, '');
      hosts.push({ inputs: gathered.files, gathered, ...(HOST_LABEL.test(fallback) ? { fallbackName: fallback } : {}) });
    }
  }

  const result = convertFleet(hosts, fleetOptions);
  if (result.exitCode === 2) {
    printDiagnostics(result.report);
    return 2;
  }
  result.hosts.forEach((h, i) => requireReadableDirectories(hosts[i]!.gathered, h.report));
  let exit: number = result.exitCode;
  if (flags.check) exit = reportNixCheck(result.files, exit);
  const names = result.hosts.map((h) => h.name).join(', ');
  if (flags.update) {
    const plan = await updateOutput(flags.out, result.files);
    for (const h of result.hosts) printDiagnostics(h.report);
    if (flags.json) process.stdout.write(`${JSON.stringify(result.report, null, 2)}\n`);
    else process.stdout.write(describeUpdate(plan, flags.out, `fleet ${names}`));
    return exit;
  }
  await writeOutput(flags.out, result.files, { force: flags.force === true, inputs: inputPaths });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result.report, null, 2)}\n`);
  } else {
    for (const h of result.hosts) printDiagnostics(h.report);
    process.stdout.write(fleetSummary(result.hosts, flags.out));
  }
  return exit;
}

function withoutHost(options: ConvertOptions): FleetOptions {
  const { host: _host, target: _target, ...rest } = options;
  return rest;
}

async function readFleetFile(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (!info || !info.isFile()) throw new UsageError(`${path}: no such fleet file`, 'name a YAML file that lists the hosts and their inputs (see `nixport convert --help`)');
  if (info.size > MAX_INPUT_BYTES) throw new UsageError(`${path}: ${info.size} bytes is too large for a fleet file`, 'a fleet file names hosts and paths');
  return readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`${path}: cannot read (${e.code ?? e.message})`, 'check the permissions');
  });
}

function fleetSummary(hosts: readonly { name: string; report: Report }[], outDir: string): string {
  const out = outDir.replace(/(.)\/+$/, '$1');
  const lines = [`nixport: converted ${hosts.length} hosts -> ${out}/ (NixOS ${hosts[0]?.report.release ?? ''})`];
  for (const { name, report } of hosts) {
    const n = (s: string) => report.diagnostics.filter((d) => d.severity === s).length;
    lines.push(
      `  ${name}: ${report.services.map((s) => s.name).join(', ') || 'no services'}; ${report.coverage.items} items, ${n('error')} error(s), ${n('warning')} warning(s), ${report.manualSteps.length} manual step(s)`,
    );
  }
  lines.push(`  next:     read ${out}/MIGRATION.md and ${out}/README.md, then \`make -C ${out} vm-${hosts[0]?.name ?? '<host>'}\``);
  return `${lines.join('\n')}\n`;
}
