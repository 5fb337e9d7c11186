import type { ContainerAnalysis } from '../model/analysis.ts';
import type { StandaloneContainer } from '../model/container.ts';
import type { DockerInvocation } from '../model/docker.ts';
import type { Host } from '../model/host.ts';
import type { Ledger } from '../model/ledger.ts';
import type { Origin } from '../model/origin.ts';
import { flagsNamed, isEnabled, lastValue } from '../sources/docker/query.ts';

/**
 * A `docker inspect` record tells what a container really ran with; a unit
 * or a script line tells what its owner wrote. Where both describe one
 * container (the same name), the written one is converted and the record
 * is compared with it: every difference is reported, with both origins, so
 * a setting changed by hand on the old host (`docker update`, a container
 * started from an older unit) is not lost unnoticed.
 */
export function analyseContainers(host: Host, ledger: Ledger): ContainerAnalysis {
  const compared = new Map<StandaloneContainer, string>();
  const written = new Map<string, { readonly invocation: DockerInvocation; readonly what: string; readonly origin: Origin }>();
  for (const unit of host.units) {
    for (const d of unit.directives) {
      const docker = d.exec?.docker;
      if (d.key !== 'ExecStart' || docker?.verb !== 'run' || docker.containerName === undefined) continue;
      written.set(docker.containerName.replace(/^\//, ''), { invocation: docker, what: unit.name, origin: d.item.origin });
    }
  }
  for (const c of host.containers ?? []) {
    if (c.source !== 'docker-inspect' && !written.has(c.name)) written.set(c.name, { invocation: c.invocation, what: `${c.item.origin.file}:${c.item.origin.line}`, origin: c.item.origin });
  }
  runByUnits(host, ledger);
  for (const c of host.containers ?? []) {
    if (c.source !== 'docker-inspect') continue;
    const other = written.get(c.name);
    if (!other) continue;
    compared.set(c, other.what);
    const differences = compare(other.invocation, c.invocation);
    for (const d of differences) {
      ledger.report(
        'warning',
        'containers/inspect-differs',
        `container \`${c.name}\`: ${d.field} differs: ${other.what} says ${d.written}, the running container (docker inspect) had ${d.inspected}`,
        c.item.origin,
        `${other.what} is what is converted; make it say what the container should run`,
      );
    }
    if (differences.length === 0) {
      ledger.report('info', 'containers/inspect-agrees', `container \`${c.name}\`: the docker inspect record agrees with ${other.what}`, c.item.origin);
    }
    ledger.settleTree(c.item, { kind: 'dropped', reason: `${other.what} describes the same container; this record was compared with it (${differences.length} difference(s))` });
  }
  return { compared };
}

/**
 * A script a unit runs (`ExecStart=/opt/bin/start-web.sh`) is read for its
 * containers too; the unit, carried at stage 1, would still run the script.
 * Said once per script, so the owner removes one of the two.
 */
function runByUnits(host: Host, ledger: Ledger): void {
  const scripts = new Set<string>();
  for (const c of host.containers ?? []) if (c.source === 'docker-script') scripts.add(c.item.origin.file);
  for (const file of scripts) {
    const base = file.slice(file.lastIndexOf('/') + 1);
    for (const unit of host.units) {
      const d = unit.directives.find((x) => x.exec && x.exec.words.some((w) => w.value === base || w.value.endsWith(`/${base}`)));
      if (!d) continue;
      ledger.report(
        'warning',
        'containers/script-run-by-unit',
        `${unit.name} runs ${base}, whose containers are declared from the script as well; the unit still runs it`,
        d.item.origin,
        `leave ${file} out of the inputs to keep the unit, or remove the unit once the containers run from oci-containers`,
      );
    }
  }
}

interface Difference {
  readonly field: string;
  readonly written: string;
  readonly inspected: string;
}

/** What two command lines mean for the container, field by field, order-insensitive where Docker is. */
function compare(written: DockerInvocation, inspected: DockerInvocation): Difference[] {
  const out: Difference[] = [];
  for (const [field, read] of FIELDS) {
    const a = read(written);
    const b = read(inspected);
    if (a !== b) out.push({ field, written: a === '' ? 'nothing' : `\`${a}\``, inspected: b === '' ? 'nothing' : `\`${b}\`` });
  }
  return out;
}

const set = (values: readonly string[]): string => [...new Set(values)].sort().join(' ');
const values = (name: string) => (i: DockerInvocation) => set(flagsNamed(i, name).map((f) => f.value ?? ''));
/** Env values, with `-e K` (taken from the caller) and `-e K=V` kept apart. */
const envs = (i: DockerInvocation) => set(flagsNamed(i, '--env').map((f) => f.value ?? ''));

const FIELDS: readonly (readonly [string, (i: DockerInvocation) => string])[] = [
  ['the image', (i) => i.image ?? ''],
  ['the command', (i) => i.args.join(' ')],
  ['the entrypoint', (i) => lastValue(i, '--entrypoint') ?? ''],
  ['the published ports', (i) => set(i.ports.map((p) => `${p.hostIp ?? ''}:${p.hostPort ? `${p.hostPort.from}-${p.hostPort.to}` : ''}:${p.containerPort.from}-${p.containerPort.to}/${p.protocol}`.replace(/(\d+)-\1\b/g, '$1')))],
  ['the mounts', (i) => set(i.volumes.map((v) => `${v.kind} ${v.source ?? ''}:${v.target}${v.readOnly ? ':ro' : ''}`))],
  ['the environment', envs],
  ['the network', (i) => (i.network === 'default' || i.network === 'bridge' ? '' : (i.network ?? ''))],
  ['the restart policy', (i) => (i.restart === 'no' ? '' : (i.restart ?? ''))],
  ['the labels', values('--label')],
  ['the user', (i) => lastValue(i, '--user') ?? ''],
  ['the working directory', (i) => lastValue(i, '--workdir') ?? ''],
  ['privileged', (i) => (isEnabled(i, '--privileged') ? 'true' : '')],
  ['added capabilities', values('--cap-add')],
  ['dropped capabilities', values('--cap-drop')],
  ['the devices', values('--device')],
  ['the log driver', (i) => (lastValue(i, '--log-driver') ?? 'journald').replace(/^json-file$/, 'journald')],
];
