/**
 * `systemd.units` (and 2.x `networkd.units`): each entry becomes the text of
 * a unit and of its drop-ins for the systemd reader, with positions mapped
 * into the config, so a directive's origin is its line in the JSON or YAML.
 *
 * Ignition's `enabled` is `systemctl enable` (presets, in fact): `true`
 * applies the [Install] section, `false` leaves the unit unlinked, and
 * without it the unit is left as the OS presets have it (Fedora CoreOS
 * disables what it does not know). nixport carries a unit file's [Install]
 * section as enabled, as for unit files, so a unit with an [Install] section
 * and no `enabled` is reported.
 */
import type { InputItem } from '../../../model/ledger.ts';
import type { PositionMapper } from '../../../model/origin.ts';
import { UNIT_TYPES, type Located, type UnitActivation } from '../../../model/unit.ts';
import type { UnitText } from '../../types.ts';
import type { ConfigNode } from '../node.ts';
import { Rejected, unlessRejected, type Fields } from '../walker.ts';
import type { ReaderContext } from './context.ts';

/** systemd-networkd files: not units, though 2.x had them under `networkd.units`. */
const NETWORKD_SUFFIXES = ['network', 'netdev', 'link'];

export function readUnits(ctx: ReaderContext, nodes: readonly ConfigNode[]): UnitText[] {
  const seen = new Map<string, UnitText>();
  return nodes.flatMap((node) => {
    const texts = unlessRejected(() => readUnit(ctx, node)) ?? [];
    const unit = texts[0];
    if (!unit) return [];
    const first = seen.get(unit.unit);
    if (first) {
      // Ignition refuses a config with two units of one name; keep the first.
      ctx.w.reject(unit.item, 'duplicate-unit', `${node.where}: ${unit.unit} is declared again (first at ${first.item.origin.line}:${first.item.origin.column})`, unit.item.origin, 'Ignition refuses such a config; merge the two entries.');
      for (const t of texts.slice(1)) ctx.ledger.settleTree(t.item, { kind: 'unsupported', reason: `part of a second ${unit.unit}` });
      return [];
    }
    seen.set(unit.unit, unit);
    return texts;
  });
}

type Activation = { -readonly [K in keyof UnitActivation]: UnitActivation[K] };

function readUnit(ctx: ReaderContext, node: ConfigNode): UnitText[] {
  const { w, ledger } = ctx;
  const item = w.entryItem('unit', node, w.peek(node, 'name'));
  const f = w.fields(node, 'Unit', item);
  const name = requiredName(ctx, f, item, 'Add `name` with the unit file name, e.g. `app.service`.');
  checkUnitName(ctx, item, name, node);
  const contents = readContents(ctx, f, item);

  const activation: Activation = {};
  const enable = f.located<boolean>(f.has('enabled') ? 'enabled' : 'enable', 'bool');
  if (enable) activation.enable = enable;
  if (f.has('enabled') && f.has('enable')) {
    const old = f.located<boolean>('enable', 'bool');
    if (old) ledger.dropped(old.item, '`enable` is the deprecated spelling; `enabled` is given too and wins');
  }
  const mask = f.located<boolean>('mask', 'bool');
  if (mask?.value === true) activation.mask = mask;
  else if (mask) ledger.dropped(mask.item, '`mask: false` only removes a mask the old OS had; a new NixOS host has none');

  if (!enable && !mask?.value && /^\s*\[Install\]\s*$/m.test(contents.text)) {
    ledger.report(
      'warning',
      w.code('unit-not-enabled'),
      `${name} has an [Install] section but no \`${w.spelled('enabled')}\`: ${w.tool === 'ct' ? 'Ignition' : w.tool} left it as the OS presets had it (usually disabled), while nixport starts it as its [Install] section says`,
      item.origin,
      `Add \`${w.spelled('enabled')}: true\` if it ran on the old host, or \`${w.spelled('enabled')}: false\` to keep it off.`,
    );
  }

  const dropIns = f.list('dropins').flatMap((d) => unlessRejected(() => readDropIn(ctx, d, name, item)) ?? []);
  return [{ unit: name, text: contents.text, position: contents.position, item, activation }, ...dropIns];
}

function readDropIn(ctx: ReaderContext, node: ConfigNode, unit: string, parent: InputItem): UnitText[] {
  const { w, ledger } = ctx;
  const spelled = w.peek(node, 'name');
  const item = w.entryItem('drop-in', node, spelled === undefined ? undefined : `${unit}.d/${spelled}`, parent);
  const f = w.fields(node, 'Dropin', item);
  const name = requiredName(ctx, f, item, 'Add `name` with the drop-in file name, e.g. `10-override.conf`.');
  const contents = readContents(ctx, f, item);
  if (!name.endsWith('.conf') || name.includes('/')) {
    w.reject(item, 'invalid-value', `${node.where}: drop-in \`${name}\` must end in .conf`, item.origin, 'systemd reads only *.conf files in <unit>.d/; rename it.');
    return [];
  }
  if (contents.text === '') {
    ledger.dropped(item, 'no contents: the drop-in file is empty');
    return [];
  }
  return [{ unit, dropIn: name, text: contents.text, position: contents.position, item }];
}

/** 2.x `networkd.units`: systemd-networkd files, not migrated yet. */
export function readNetworkdUnits(ctx: ReaderContext, nodes: readonly ConfigNode[]): void {
  const { w, ledger } = ctx;
  for (const node of nodes) {
    unlessRejected(() => {
      const name = w.peek(node, 'name');
      const item = w.entryItem('unit', node, name);
      w.fields(node, 'NetworkdUnit', item);
      const suffix = /\.([a-z]+)$/.exec(name ?? '')?.[1] ?? 'network';
      const reason = 'systemd-networkd files are not migrated yet';
      ledger.unsupported(item, reason);
      ledger.report(
        'warning',
        w.code('networkd-unit'),
        `${node.where} (${name ?? 'no name'}): ${reason}`,
        node.origin,
        `NixOS declares them as systemd.network.${NETWORKD_SUFFIXES.includes(suffix) ? suffix : 'network'}s."${(name ?? 'name').replace(/\.[a-z]+$/, '')}" (with systemd.network.enable = true); port this file there by hand.`,
      );
    });
  }
}

function requiredName(ctx: ReaderContext, f: Fields, item: InputItem, hint: string): string {
  const name = f.string('name');
  if (name === undefined || name === '') {
    ctx.w.reject(item, 'missing-key', `${f.node.where} has no \`name\``, f.node.origin, hint);
    throw new Rejected();
  }
  return name;
}

function checkUnitName(ctx: ReaderContext, item: InputItem, name: string, node: ConfigNode): void {
  const { w, ledger } = ctx;
  const suffix = /^[^/\s]+\.([A-Za-z]+)$/.exec(name)?.[1] ?? '';
  if ((UNIT_TYPES as readonly string[]).includes(suffix)) return;
  if (NETWORKD_SUFFIXES.includes(suffix)) {
    const reason = `systemd-networkd files (.${suffix}) are not migrated yet`;
    ledger.unsupported(item, reason);
    ledger.report(
      'warning',
      w.code('networkd-unit'),
      `${node.where} (${name}): ${reason}`,
      node.origin,
      `NixOS declares them as systemd.network.${suffix}s."${name.slice(0, -suffix.length - 1)}"; port this file there by hand.`,
    );
    throw new Rejected();
  }
  w.reject(item, 'invalid-value', `${node.where}: \`${name}\` is not a unit name`, node.origin, `A unit name ends in its type: ${UNIT_TYPES.map((t) => `.${t}`).join(', ')}.`);
  throw new Rejected();
}

/** `contents`, or Butane's `contents_local` read from the inputs. */
function readContents(ctx: ReaderContext, f: Fields, item: InputItem): { text: string; position: PositionMapper } {
  const { w } = ctx;
  const local = f.string('contentsLocal');
  const inline = f.string('contents');
  if (local !== undefined && inline !== undefined) {
    w.reject(item, 'invalid-value', `${f.node.where} sets both \`contents\` and \`contents_local\``, f.node.origin, 'Keep one of them.');
    throw new Rejected();
  }
  if (local !== undefined) {
    const found = ctx.locals?.file(local);
    if (!found || !found.found) {
      const title = `Copy ${local} into ${item.label}`;
      ctx.ledger.settle(item, { kind: 'manual', step: title });
      ctx.ledger.report(
        'warning',
        w.code('local-missing'),
        `${f.label('contentsLocal')}: \`${local}\` is not among the inputs (${found?.reason ?? 'no files directory'})`,
        f.value('contentsLocal')!.origin,
        'Give nixport the directory that holds the Butane config and its files.',
      );
      ctx.ledger.manual({
        order: 40,
        title,
        detail: `The unit's text was in \`${local}\` beside the Butane config; nixport was not given that file. Convert it separately (nixport reads unit files) or declare the unit by hand.`,
        origin: item.origin,
      });
      throw new Rejected();
    }
    const text = new TextDecoder().decode(found.file.content).replace(/\r\n/g, '\n');
    const path = found.file.path;
    return { text, position: (line, column) => ({ file: path, line, column }) };
  }
  const node = f.value('contents');
  if (inline === undefined || !node) {
    const at = item.origin;
    return { text: '', position: () => at };
  }
  return { text: inline, position: node.position() };
}

/** A unit Butane generates (`with_mount_unit`), registered as an item at the key that asked for it. */
export function generatedUnit(
  ctx: ReaderContext,
  name: string,
  text: string,
  at: ConfigNode,
  label: string,
  enabled: boolean,
): UnitText {
  const item = ctx.ledger.item('unit', `${label} (${name})`, at.origin);
  const enable: Located<boolean> = { value: enabled, item: ctx.ledger.item('key', `${label} (enabled)`, at.origin, item) };
  const origin = at.origin;
  // Generated text has no place in the file: every position is the key that generated it.
  return { unit: name, text, position: () => origin, item, activation: { enable } };
}
