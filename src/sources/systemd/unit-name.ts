import { UNIT_TYPES, type UnitType } from '../../model/unit.ts';

export type UnitNameCheck =
  | { readonly type: UnitType; readonly template: boolean; readonly instance?: string }
  | { readonly problem: string; readonly hint: string; readonly code: 'systemd/unknown-unit-type' | 'systemd/invalid-unit-name' };

/** systemd's unit name rules (systemd.unit(5), unit_name_is_valid): `prefix[@instance].type`. */
const NAME_CHARS = /^[A-Za-z0-9:_.\\-]+$/;
const MAX_NAME = 255;

export function checkUnitName(name: string): UnitNameCheck {
  const dot = name.lastIndexOf('.');
  const suffix = dot < 0 ? '' : name.slice(dot + 1);
  const type = UNIT_TYPES.find((t) => t === suffix);
  if (type === undefined) {
    return {
      code: 'systemd/unknown-unit-type',
      problem: dot < 0 ? `\`${name}\` has no unit type suffix` : `\`.${suffix}\` is not a systemd unit type`,
      hint: `a unit name ends in one of ${UNIT_TYPES.map((t) => `.${t}`).join(', ')}`,
    };
  }
  const stem = name.slice(0, dot);
  const at = stem.indexOf('@');
  const prefix = at < 0 ? stem : stem.slice(0, at);
  const instance = at < 0 ? undefined : stem.slice(at + 1);
  const bad =
    name.length > MAX_NAME ||
    prefix === '' ||
    !NAME_CHARS.test(prefix) ||
    (instance !== undefined && instance !== '' && !NAME_CHARS.test(instance));
  if (bad) {
    return {
      code: 'systemd/invalid-unit-name',
      problem: `\`${name}\` is not a valid unit name`,
      hint: 'unit names use letters, digits and `:-_.\\`, with at most one `@` before the instance (`getty@tty1.service`)',
    };
  }
  return instance === undefined
    ? { type, template: false }
    : instance === ''
      ? { type, template: true }
      : { type, template: false, instance };
}
