import type { OutputFile } from '../../src/layout/index.ts';
import { isSecretPath } from '../../src/layout/secrets.ts';
import type { DockerInvocation } from '../../src/model/docker.ts';
import type { ItemRef } from '../../src/model/ledger.ts';
import { needles } from '../../src/passes/secrets/index.ts';
import type { Pipeline } from '../../src/pipeline.ts';
import type { Report } from '../../src/report/types.ts';
import { mergeModulesJson, moduleToJson } from '../helpers/nix-json.ts';

/**
 * Invariants 3 and 4, checked on a finished conversion: what the input
 * held (secrets; forced commands and other key options, read-only volumes,
 * bind addresses, `User=`) against what the output says. Each restriction
 * either survives in the option its item was carried to, or the report has
 * an error for that item.
 */
export interface Violation {
  readonly invariant: string;
  readonly item: string;
  readonly detail: string;
}

export function violations(run: Pipeline, files: readonly OutputFile[], report: Report): Violation[] {
  const config = mergeModulesJson(run.layout.modules.map((m) => moduleToJson(m.expr)));
  const out: Violation[] = [];
  out.push(...secrets(run, files));
  out.push(...keys(run, config, report));
  out.push(...containers(run, config, report));
  out.push(...users(run, config, report));
  return out;
}

/** Invariant 3: no secret's needle (its value, or its context when the value alone is too plain) outside secrets.local/. */
function secrets(run: Pipeline, files: readonly OutputFile[]): Violation[] {
  const out: Violation[] = [];
  const list = needles(run.analysis.secrets.findings);
  for (const f of files) {
    if (isSecretPath(f.path)) continue;
    const text = typeof f.content === 'string' ? f.content : new TextDecoder().decode(f.content);
    for (const n of list) if (text.includes(n.text)) out.push({ invariant: 'secret', item: n.finding.what, detail: `in ${f.path}` });
  }
  return out;
}

/** A line of the output with store paths of programs left out, and the same for the input: `docker run ...`. */
export function programless(line: string): string {
  return line
    .replace(/\/nix\/store\/[0-9a-z]+-[^/"'\s]+\/s?bin\//g, '')
    .replace(/\/run\/wrappers\/bin\//g, '')
    .replace(/(^|[="'\s;|&(`])\/(?:usr\/)?(?:local\/)?s?bin\//g, '$1');
}

/** Invariant 4: every option of an authorized key, byte for byte (a forced command's program may be a store path now). */
function keys(run: Pipeline, config: unknown, report: Report): Violation[] {
  const out: Violation[] = [];
  for (const key of run.host.authorizedKeys) {
    const fate = run.ledger.fate(key.item);
    if (fate?.kind !== 'carried') {
      if (!errorAbout(report, key.item, run) && fate?.kind !== 'dropped') out.push({ invariant: 'key', item: key.line, detail: `not carried (${fate?.kind}) and no error says so` });
      continue;
    }
    const lines = strings(at(config, fate.option));
    const line = lines.find((l) => programless(l) === programless(key.line));
    if (!line) {
      out.push({ invariant: 'key', item: key.line, detail: `no line at ${fate.option} equals it (programs aside)` });
      continue;
    }
    for (const o of key.options) {
      if (o.name.toLowerCase() === 'command') continue;
      const written = key.line.slice(o.start, o.end);
      if (!line.includes(written)) out.push({ invariant: 'key', item: key.line, detail: `option ${written} changed` });
    }
  }
  return out;
}

/** Invariant 4: read-only volumes stay read-only, published ports stay bound to their address. */
function containers(run: Pipeline, config: unknown, report: Report): Violation[] {
  const out: Violation[] = [];
  const invocations: { readonly invocation: DockerInvocation; readonly parent: ItemRef }[] = [];
  for (const unit of run.host.units) for (const d of unit.directives) if (d.exec?.docker?.verb === 'run' || d.exec?.docker?.verb === 'create') invocations.push({ invocation: d.exec.docker, parent: d.item });
  for (const c of run.host.containers ?? []) invocations.push({ invocation: c.invocation, parent: c.item });
  for (const { invocation, parent } of invocations) {
    for (const v of invocation.volumes) {
      if (!v.readOnly) continue;
      const fate = run.ledger.fate(v.flag.item);
      if (fate?.kind !== 'carried') {
        if (fate?.kind === 'dropped' && run.ledger.fate(parent)?.kind !== 'carried') continue;
        if (!errorAbout(report, v.flag.item, run)) out.push({ invariant: 'read-only volume', item: v.raw, detail: `not carried (${fate?.kind}) and no error says so` });
        continue;
      }
      const values = strings(at(config, fate.option));
      // Stage 3 has no container: the service reads the host's path, which systemd keeps read-only for it.
      const readOnlyPaths = /\.(ReadOnlyPaths|BindReadOnlyPaths)$/.test(fate.option) && v.source !== undefined && values.includes(v.source);
      const kept = readOnlyPaths || values.some((s) => s.includes(v.raw) || readOnlyVolume(s, v.target));
      if (!kept) out.push({ invariant: 'read-only volume', item: v.raw, detail: `${fate.option} does not mount ${v.target} read-only` });
    }
    for (const p of invocation.ports) {
      if (p.hostIp === undefined || p.hostIp === '0.0.0.0' || p.hostIp === '::' || p.hostIp === '') continue;
      const fate = run.ledger.fate(p.flag.item);
      if (fate?.kind !== 'carried') {
        if (fate?.kind === 'dropped' && run.ledger.fate(parent)?.kind !== 'carried') continue;
        if (!errorAbout(report, p.flag.item, run)) out.push({ invariant: 'bound port', item: p.raw, detail: `not carried (${fate?.kind}) and no error says so` });
        continue;
      }
      // The address may be in the option's name too (a virtual host `http://10.0.0.2:8200`).
      const values = [fate.option, ...strings(at(config, fate.option))];
      if (!values.some((s) => s.includes(p.raw) || s.includes(`${p.hostIp}:`) || s.includes(`[${p.hostIp}]:`))) {
        out.push({ invariant: 'bound port', item: p.raw, detail: `${fate.option} does not bind it to ${p.hostIp}` });
      }
    }
    for (const f of invocation.flags) {
      if (f.name !== '--user' || f.value === undefined) continue;
      const fate = run.ledger.fate(f.item);
      if (fate?.kind === 'carried' && !strings(at(config, fate.option)).some((s) => s.includes(f.value!))) {
        out.push({ invariant: 'user', item: `${f.spelled} ${f.value}`, detail: `${fate.option} does not say ${f.value}` });
      }
    }
  }
  return out;
}

/** `src:target:ro,z`, or a `--mount` with `readonly`, for this target. */
function readOnlyVolume(s: string, target: string): boolean {
  const parts = s.split(':');
  if (parts[1] === target && (parts[2] ?? '').split(',').some((o) => o === 'ro' || o === 'readonly')) return true;
  return s.includes(`target=${target}`) && /(^|,)(readonly|ro)(=true|=1)?(,|$)/.test(s.replace(/^--mount[= ]/, ''));
}

/** Invariant 4: a unit's User= stays. */
function users(run: Pipeline, config: unknown, report: Report): Violation[] {
  const out: Violation[] = [];
  for (const unit of run.host.units) {
    for (const d of unit.directives) {
      if (d.key !== 'User' || d.section !== 'Service') continue;
      const fate = run.ledger.fate(d.item);
      if (fate?.kind === 'carried') {
        if (!strings(at(config, fate.option)).includes(d.value)) out.push({ invariant: 'User=', item: `${unit.name} User=${d.value}`, detail: `${fate.option} does not say ${d.value}` });
      } else if (fate?.kind !== 'dropped' && !errorAbout(report, d.item, run)) {
        out.push({ invariant: 'User=', item: `${unit.name} User=${d.value}`, detail: `not carried (${fate?.kind}) and no error says so` });
      }
    }
  }
  return out;
}

function errorAbout(report: Report, item: ItemRef, run: Pipeline): boolean {
  const origin = run.ledger.items.find((i) => i.id === item.id)?.origin;
  return report.diagnostics.some((d) => d.severity === 'error' && d.origin !== undefined && origin !== undefined && d.origin.file === origin.file && d.origin.line === origin.line);
}

/** The value at an option name (`systemd.services."a.b".serviceConfig.User`). */
export function at(config: unknown, option: string): unknown {
  let value = config;
  for (const segment of optionPath(option)) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
  return value;
}

function optionPath(option: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|([^.]+)/g;
  for (let m = re.exec(option); m !== null; m = re.exec(option)) out.push(m[1] !== undefined ? (JSON.parse(`"${m[1]}"`) as string) : m[2]!);
  return out;
}

/** Every string inside a value (lists, sets, overrides), numbers as text. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}
