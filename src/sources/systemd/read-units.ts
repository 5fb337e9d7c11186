import type { Ledger } from '../../model/ledger.ts';
import type { Origin } from '../../model/origin.ts';
import { SECTIONS_BY_UNIT_TYPE } from '../../model/systemd-directives.ts';
import { originAt, type Directive, type DropIn, type ExecCommand, type Unit, type UnitType } from '../../model/unit.ts';
import { recognizeDocker } from '../docker/index.ts';
import type { UnitText } from '../types.ts';
import { mergeDirectives } from './merge.ts';
import { parseUnitText, type ParsedUnitText } from './parse-unit.ts';
import { checkUnitName } from './unit-name.ts';

/**
 * Turns unit files and drop-ins into Units: each unit's file first, then its
 * drop-ins sorted by file name (as systemd orders them), merged by systemd's
 * rules for repeated and empty assignments. Units come out sorted by name.
 */
export function readUnits(texts: readonly UnitText[], ledger: Ledger): Unit[] {
  const byName = new Map<string, UnitText[]>();
  for (const t of texts) {
    const list = byName.get(t.unit) ?? [];
    list.push(t);
    byName.set(t.unit, list);
  }
  const units: Unit[] = [];
  for (const name of [...byName.keys()].sort(compareCodeUnits)) {
    const unit = readUnit(name, byName.get(name) ?? [], ledger);
    if (unit) units.push(unit);
  }
  return units;
}

function readUnit(name: string, texts: readonly UnitText[], ledger: Ledger): Unit | undefined {
  const first = texts[0];
  if (first === undefined) return undefined;

  const checked = checkUnitName(name);
  if ('problem' in checked) {
    ledger.report('error', checked.code, `${checked.problem}; the unit is not converted`, first.item.origin, checked.hint);
    for (const t of texts) ledger.unsupported(t.item, checked.problem);
    return undefined;
  }

  const entry = lastOfEach(texts.filter((t) => t.dropIn === undefined), () => name, ledger)[0];
  // A cloud-config entry without `content:` wrote no file: it only started, enabled or masked the OS's unit.
  const body = entry && entry.text !== '' ? entry : undefined;
  const dropIns = lastOfEach(
    texts.filter((t) => t.dropIn !== undefined),
    (t) => t.dropIn ?? '',
    ledger,
  ).sort((a, b) => compareCodeUnits(a.dropIn ?? '', b.dropIn ?? ''));

  const parsed = [...(body ? [body] : []), ...dropIns].map((t) => parseUnitText(t, ledger));
  const read = parsed.flatMap((p) => keepReadSections(p, checked.type, ledger));
  const merged = mergeDirectives(read, body !== undefined, ledger);
  const directives = merged.map((d) => withDocker(d, ledger));
  if (body) checkSingleExecStart(name, checked.type, directives, ledger);

  const item = entry?.item ?? ledger.item('unit', name, first.item.origin);
  const activation = entry?.activation ?? dropIns.find((t) => t.activation)?.activation ?? {};
  return {
    name,
    type: checked.type,
    item,
    origin: item.origin,
    directives,
    dropIns: dropIns.map((t): DropIn => ({ name: t.dropIn ?? '', item: t.item })),
    hasBody: body !== undefined,
    activation,
  };
}

/**
 * Of texts with the same file name, the later one wins, as when a
 * cloud-config writes the same file twice; the earlier are settled dropped.
 */
function lastOfEach(texts: readonly UnitText[], nameOf: (t: UnitText) => string, ledger: Ledger): UnitText[] {
  const last = new Map<string, UnitText>();
  for (const t of texts) {
    const seen = last.get(nameOf(t));
    if (seen) {
      const where = formatLine(t.item.origin);
      const reason = `replaced by the later ${nameOf(t)} at ${where}`;
      ledger.dropped(seen.item, reason);
      // Its `command:`/`enable:`/`mask:` went with it.
      for (const a of Object.values(seen.activation ?? {})) ledger.dropped(a.item, reason);
      ledger.report(
        'warning',
        t.dropIn ? 'systemd/duplicate-drop-in' : 'systemd/duplicate-unit',
        `${nameOf(t)} is given twice; the one at ${where} replaces the one at ${formatLine(seen.item.origin)}`,
        t.item.origin,
        'keep one of them',
      );
    }
    last.set(nameOf(t), t);
  }
  return [...last.values()];
}

/** Directives in sections systemd does not read for this unit type are dropped, as systemd drops them. */
function keepReadSections(parsed: ParsedUnitText, type: UnitType, ledger: Ledger): Directive[] {
  const read = SECTIONS_BY_UNIT_TYPE[type];
  const reported = new Set<string>();
  return parsed.directives.filter((d) => {
    if (read.includes(d.section)) return true;
    const extension = d.section.startsWith('X-');
    ledger.dropped(
      d.item,
      extension
        ? `section [${d.section}] is for other tools; systemd ignores it`
        : `systemd does not read section [${d.section}] in .${type} units`,
    );
    if (!reported.has(d.section)) {
      reported.add(d.section);
      ledger.report(
        extension ? 'info' : 'warning',
        'systemd/ignored-section',
        extension
          ? `[${d.section}] in ${parsed.source} is read by other tools (fleet, for X-Fleet), not by systemd; it is not carried`
          : `systemd ignores section [${d.section}] in a .${type} unit; its settings are not carried`,
        d.item.origin,
        extension ? undefined : `a .${type} unit reads ${read.map((s) => `[${s}]`).join(', ')}`,
      );
    }
    return false;
  });
}

/** Attaches the `docker` invocation an exec line runs, if any. */
function withDocker(d: Directive, ledger: Ledger): Directive {
  if (!d.exec || d.exec.words.length === 0) return d;
  const docker = recognizeDocker(d.exec.words, (offset) => originAt(d, offset), d.item, ledger);
  if (!docker) return d;
  // Written out, not `{ ...d, exec: { ...d.exec, docker } }`: V8 builds an object that spreads
  // another and then adds fields many times slower. An exec line has no `assignments`.
  const { prefixes, words, shellPayload } = d.exec;
  const exec: ExecCommand = shellPayload === undefined ? { prefixes, words, docker } : { prefixes, words, shellPayload, docker };
  const { section, key, raw, value, position, item, source } = d;
  return { section, key, raw, value, position, item, source, exec };
}

/** systemd refuses to load a service with several ExecStart= commands unless it is Type=oneshot. */
function checkSingleExecStart(name: string, type: UnitType, directives: readonly Directive[], ledger: Ledger): void {
  if (type !== 'service') return;
  const starts = directives.filter((d) => d.section === 'Service' && d.key === 'ExecStart' && d.value !== '');
  const second = starts[1];
  if (second === undefined) return;
  const serviceType = directives.filter((d) => d.section === 'Service' && d.key === 'Type').at(-1)?.value;
  if (serviceType === 'oneshot') return;
  ledger.report(
    'error',
    'systemd/multiple-exec-start',
    `${name} has ${starts.length} \`ExecStart=\` commands but is \`Type=${serviceType ?? 'simple'}\`; systemd refuses to load it`,
    second.item.origin,
    'set `Type=oneshot` if the commands run one after another, or move the extra ones to `ExecStartPre=`/`ExecStartPost=`',
  );
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function formatLine(origin: Origin): string {
  return `${origin.file}:${origin.line}`;
}
