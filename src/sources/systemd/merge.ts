import type { Ledger } from '../../model/ledger.ts';
import type { Origin } from '../../model/origin.ts';
import { directiveSpec } from '../../model/systemd-directives.ts';
import type { Directive } from '../../model/unit.ts';

/**
 * Applies systemd's rules for repeated assignments to the directives of a
 * unit file followed by its drop-ins, and returns the ones in effect, in
 * order. Every directive that drops out is settled in the ledger with the
 * place that displaced it.
 *
 * - single-valued: a later assignment replaces earlier ones; an empty one
 *   resets the setting to its default.
 * - list: assignments accumulate; an empty one clears the list (for
 *   conditions, timers, listeners and watched paths: the whole group).
 * - append (dependencies): an empty assignment is ignored by systemd.
 *
 * An empty assignment that resets something is itself kept only where it
 * still means something: in a unit given only as drop-ins it resets what the
 * old OS's own unit file set, which nixport cannot see; and `CapabilityBoundingSet=`
 * empty *is* a value (no capabilities). Otherwise its work is done here.
 */
export function mergeDirectives(directives: readonly Directive[], hasBody: boolean, ledger: Ledger): Directive[] {
  const removed = new Set<Directive>();
  const bySlot = new Map<string, Directive[]>();

  const clear = (slot: string, reason: string): void => {
    for (const earlier of bySlot.get(slot) ?? []) {
      removed.add(earlier);
      ledger.dropped(earlier.item, reason);
    }
    bySlot.set(slot, []);
  };
  const keep = (slot: string, d: Directive): void => {
    const list = bySlot.get(slot) ?? [];
    list.push(d);
    bySlot.set(slot, list);
  };
  const drop = (d: Directive, reason: string): void => {
    removed.add(d);
    ledger.dropped(d.item, reason);
  };

  for (const d of directives) {
    // Lines the parser could not read (an unclosed quote) are not assignments systemd applies.
    if (ledger.fate(d.item)?.kind === 'unsupported') {
      removed.add(d);
      continue;
    }
    const spec = directiveSpec(d.section, d.key);
    const slot = spec?.slot ?? `${d.section}.${d.key}`;
    const empty = d.value === '';
    const where = formatLine(d.item.origin);

    if (spec?.ignored) {
      drop(d, `systemd accepts \`${d.key}=\` but ignores it (a removed or compiled-out feature)`);
      ledger.report('info', 'systemd/ignored-key', `systemd ignores \`${d.key}=\`; it is not carried`, d.item.origin);
      continue;
    }
    if (spec === undefined && !d.key.startsWith('X-')) {
      ledger.report(
        'info',
        'systemd/unknown-key',
        `\`[${d.section}] ${d.key}=\` is not in nixport's table of systemd directives; it is kept as a single value`,
        d.item.origin,
        'check the spelling: systemd ignores keys it does not know',
      );
    }

    switch (spec?.accumulation ?? 'single') {
      case 'append':
        if (empty) {
          drop(d, `an empty \`${d.key}=\` does not reset dependencies; systemd ignores it`);
          ledger.report(
            'warning',
            'systemd/empty-dependency',
            `empty \`${d.key}=\` does not remove dependencies set earlier; systemd ignores it`,
            d.item.origin,
            'dependencies can only be added in drop-ins (systemd.unit(5)); to remove one, edit the unit itself',
          );
        } else keep(slot, d);
        break;
      case 'list':
        if (!empty) keep(slot, d);
        else {
          clear(slot, `reset by empty \`${d.key}=\` at ${where}`);
          if (spec?.emptyIsValue || !hasBody) keep(slot, d);
          else drop(d, 'list reset; applied');
        }
        break;
      case 'single':
        if (!empty) {
          clear(slot, `overridden by ${where}`);
          keep(slot, d);
        } else {
          clear(slot, `reset by empty \`${d.key}=\` at ${where}`);
          if (hasBody) drop(d, `resets \`${d.key}=\` to its default; applied`);
          else keep(slot, d);
        }
        break;
    }
  }
  return directives.filter((d) => !removed.has(d));
}

function formatLine(origin: Origin): string {
  return `${origin.file}:${origin.line}`;
}
