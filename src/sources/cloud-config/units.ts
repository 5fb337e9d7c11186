/**
 * `coreos.units`: each entry becomes the text of a unit (and of its drop-ins)
 * for the systemd reader, with a position mapper into the cloud-config so
 * that a directive's origin is its line in this file.
 *
 * A unit entry without `content` still yields a UnitText, with `text: ''`:
 * coreos-cloudinit wrote no unit file then (it skips empty content) and only
 * ran `command`/`enable`/`mask` on a unit the OS shipped, so such a unit has
 * no body of its own.
 */
import { isMap, isScalar } from 'yaml';
import type { YAMLMap } from 'yaml';
import type { InputItem } from '../../model/ledger.ts';
import type { Origin, PositionMapper } from '../../model/origin.ts';
import { UNIT_TYPES } from '../../model/unit.ts';
import type { UnitActivation } from '../../model/unit.ts';
import type { UnitText } from '../types.ts';
import { describe, scalarPosition, scalarText } from '../yaml.ts';
import type { YamlEntry } from '../yaml.ts';
import { partOfEntry } from './walker.ts';
import type { CloudConfigWalker, ListEntry } from './walker.ts';

/** `command:` values coreos-cloudinit accepts (it runs `systemctl <command> <unit>`). */
export const UNIT_COMMANDS: readonly string[] = [
  'start',
  'stop',
  'restart',
  'reload',
  'try-restart',
  'reload-or-restart',
  'reload-or-try-restart',
];

/** systemd-networkd files, which coreos-cloudinit also took under `coreos.units`. */
const NETWORKD_SUFFIXES = ['network', 'netdev', 'link'];

export function readUnits(w: CloudConfigWalker, entry: YamlEntry, label: string): UnitText[] {
  const entries = w.list(entry, label, undefined) ?? [];
  return entries.flatMap((e) => readUnit(w, e));
}

type Activation = { -readonly [K in keyof UnitActivation]: UnitActivation[K] };

function readUnit(w: CloudConfigWalker, entry: ListEntry): UnitText[] {
  const { value: map, origin, label } = entry;
  if (!isMap(map)) {
    const item = w.ledger.item('unit', label, origin);
    w.wrongType(item, label, 'a mapping with `name` and `content`', map);
    return [];
  }
  const spelled = w.text(map, 'name');
  const item = w.ledger.item('unit', spelled ? `${label} (${spelled})` : label, origin);
  const name = w.required(map, 'name', item, label, 'coreos-cloudinit skipped units without a name; add `name: <unit>.service`.');
  if (name === undefined || !checkUnitName(w, item, name, label, origin)) return [];
  const content = readText(w, map, item, label);
  if (content === undefined) return [];

  const activation: Activation = {};
  let dropIns: UnitText[] = [];
  w.walk(map, 'coreos.units[]', label, item, {
    name: partOfEntry,
    content: partOfEntry,
    command: (e, l) => {
      const command = w.string(e, l, item);
      if (command && !UNIT_COMMANDS.includes(command.value)) {
        w.reject(
          command.item,
          'cloud-config/invalid-value',
          `\`${l}\` must be one of ${UNIT_COMMANDS.join(', ')}, found \`${command.value}\``,
          e.origin,
          'Use `start` to start the unit at boot.',
        );
      } else if (command) {
        activation.command = command;
      }
    },
    enable: (e, l) => set(activation, 'enable', w.bool(e, l, item)),
    runtime: (e, l) => set(activation, 'runtime', w.bool(e, l, item)),
    mask: (e, l) => set(activation, 'mask', w.bool(e, l, item)),
    drop_ins: (e, l) => {
      dropIns = (w.list(e, l, item) ?? []).flatMap((d) => readDropIn(w, d, name, item));
    },
  });
  return [{ unit: name, text: content.text, position: content.position, item, activation }, ...dropIns];
}

function set<K extends keyof Activation>(activation: Activation, key: K, value: Activation[K] | undefined): void {
  if (value !== undefined) activation[key] = value;
}

function checkUnitName(w: CloudConfigWalker, item: InputItem, name: string, label: string, origin: Origin): boolean {
  const suffix = /^[^/\s]+\.([A-Za-z]+)$/.exec(name)?.[1] ?? '';
  if ((UNIT_TYPES as readonly string[]).includes(suffix)) return true;
  if (NETWORKD_SUFFIXES.includes(suffix)) {
    const reason = `systemd-networkd files (.${suffix}) are not migrated yet`;
    w.ledger.unsupported(item, reason);
    w.ledger.report(
      'warning',
      'cloud-config/networkd-unit',
      `\`${label}\` (${name}): ${reason}`,
      origin,
      `NixOS declares them as systemd.network.${suffix}s."${name.slice(0, -suffix.length - 1)}"; port this file there by hand.`,
    );
    return false;
  }
  w.reject(
    item,
    'cloud-config/invalid-value',
    `\`${label}\`: \`${name}\` is not a unit name`,
    origin,
    `A unit name ends in its type: ${UNIT_TYPES.map((t) => `.${t}`).join(', ')}.`,
  );
  return false;
}

/** The `content` of a unit or drop-in: its text ('' when absent) and where each position of it is. */
function readText(w: CloudConfigWalker, map: YAMLMap, item: InputItem, label: string): { text: string; position: PositionMapper } | undefined {
  const entry = w.find(map, 'content');
  const value = entry?.value;
  if (value === undefined || value === null) {
    const at = item.origin;
    return { text: '', position: () => at };
  }
  if (!isScalar(value) || value.value instanceof Uint8Array) {
    w.reject(
      item,
      'cloud-config/wrong-type',
      `\`${label}.content\` must be text, found ${describe(value)}`,
      w.origin(value),
      'Write the unit file as a block scalar: `content: |` followed by its lines, indented.',
    );
    return undefined;
  }
  return { text: scalarText(value), position: scalarPosition(w.src, value).position };
}

function readDropIn(w: CloudConfigWalker, entry: ListEntry, unit: string, parent: InputItem): UnitText[] {
  const { value: map, origin, label } = entry;
  if (!isMap(map)) {
    const item = w.ledger.item('drop-in', label, origin, parent);
    w.wrongType(item, label, 'a mapping with `name` and `content`', map);
    return [];
  }
  const spelled = w.text(map, 'name');
  const item = w.ledger.item('drop-in', spelled ? `${label} (${unit}.d/${spelled})` : label, origin, parent);
  const name = w.required(map, 'name', item, label, 'coreos-cloudinit skipped drop-ins without a name; add `name: 10-<what>.conf`.');
  if (name === undefined) return [];
  const content = readText(w, map, item, label);
  if (content === undefined) return [];
  w.walk(map, 'coreos.units[].drop_ins[]', label, item, { name: partOfEntry, content: partOfEntry });
  if (content.text === '') {
    w.ledger.dropped(item, 'empty content: coreos-cloudinit wrote no drop-in file');
    return [];
  }
  if (!name.endsWith('.conf') || name.includes('/')) {
    const reason = `systemd reads only *.conf files in ${unit}.d/, so the old host ignored this drop-in`;
    w.ledger.dropped(item, reason);
    const hint = 'Rename it to end in .conf if it was meant to apply.';
    w.ledger.report('warning', 'cloud-config/ignored-drop-in', `\`${label}\` (${name}): ${reason}`, origin, hint);
    return [];
  }
  return [{ unit, dropIn: name, text: content.text, position: content.position, item }];
}
