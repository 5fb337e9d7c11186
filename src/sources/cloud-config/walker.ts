/**
 * Walking a cloud-config tree and keeping the ledger while doing so.
 *
 * Which nodes become ledger items (invariant 1):
 * - Pure containers (the root, `coreos`, `coreos.units`, `users`,
 *   `write_files`, `coreos.update`, a `groups` or `ssh_authorized_keys` list)
 *   are not items: each of their entries is one, so a container item would
 *   only count the same thing twice.
 * - A list entry that becomes a model object is one item of the model's kind
 *   (`unit`, `drop-in`, `user`, `file`, `authorized-key`). The fields it is
 *   made of (a unit's `name` and `content`, a file's `path`, `content`,
 *   `encoding`, `permissions`, `owner`, a user's `name`) belong to that item:
 *   they cannot have a fate apart from it (a file is written with its mode or
 *   not at all). Later stages settle these items.
 * - A key whose value becomes a `Located` value (`hostname`, `users[0].shell`,
 *   `coreos.units[0].command`, `coreos.update.group`, each group of a user) is
 *   a `key` item, left for the stage that carries it.
 * - Everything else is settled here: unknown and unsupported keys (with their
 *   whole subtree), empty values, and values of the wrong shape. A container of
 *   the wrong shape becomes an item just to carry its error.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Node, YAMLMap } from 'yaml';
import type { InputItem, ItemRef, Ledger } from '../../model/ledger.ts';
import type { Origin } from '../../model/origin.ts';
import type { Located } from '../../model/unit.ts';
import { deref, describe, mapEntries, originOf, scalarText } from '../yaml.ts';
import type { YamlEntry, YamlSource, YamlValue } from '../yaml.ts';
import { closestKey, lookupKey, normalizeKey } from './keys.ts';
import type { KeyContext } from './keys.ts';

export type KeyHandler = (entry: YamlEntry, label: string) => void;

/** For fields that belong to their entry's item (read before the walk). */
export const partOfEntry: KeyHandler = () => {};

export interface ListEntry {
  readonly value: YamlValue | null;
  readonly origin: Origin;
  readonly label: string;
}

export class CloudConfigWalker {
  /**
   * The entries of each mapping, worked out once: a list entry's mapping is
   * read for its name, its content and then walked, and the entries of a
   * mapping never change (mapEntries is pure).
   */
  private readonly entriesOf = new Map<YAMLMap, readonly YamlEntry[]>();

  constructor(
    readonly src: YamlSource,
    readonly ledger: Ledger,
  ) {}

  origin(node: Node): Origin {
    return originOf(this.src, node);
  }

  entries(map: YAMLMap): readonly YamlEntry[] {
    let entries = this.entriesOf.get(map);
    if (entries === undefined) {
      entries = mapEntries(this.src, map, normalizeKey, 'cloud-config');
      this.entriesOf.set(map, entries);
    }
    return entries;
  }

  find(map: YAMLMap, key: string): YamlEntry | undefined {
    return this.entries(map).find((e) => e.key === key);
  }

  /**
   * Visits every key of a mapping. Keys the table reads go to their handler;
   * every other key is registered and settled here.
   */
  walk(
    map: YAMLMap,
    context: KeyContext,
    prefix: string,
    parent: ItemRef | undefined,
    handlers: Readonly<Record<string, KeyHandler>>,
  ): void {
    for (const entry of this.entries(map)) {
      const label = prefix === '' ? entry.spelled : `${prefix}.${entry.spelled}`;
      const known = lookupKey(context, entry.key);
      const support = known?.support;
      if (support?.kind === 'read') {
        const handler = handlers[entry.key];
        if (!handler) throw new Error(`cloud-config reader: no handler for ${context}.${entry.key}`);
        handler(entry, label);
        continue;
      }
      const item = this.ledger.item('key', label, entry.origin, parent);
      if (support === undefined) {
        const near = closestKey(context, entry.key);
        const reason = 'not a coreos-cloudinit key; coreos-cloudinit ignored it with a warning';
        this.ledger.unsupported(item, reason);
        this.ledger.report(
          'warning',
          'cloud-config/unknown-key',
          `\`${label}\` is ${reason}`,
          entry.origin,
          near
            ? `Did you mean \`${near}\`?`
            : 'Check the spelling; if another tool read this key, port what it did by hand.',
        );
      } else if (support.kind === 'unsupported') {
        this.ledger.unsupported(item, support.reason);
        const message = `\`${label}\`: ${support.reason}`;
        this.ledger.report('warning', 'cloud-config/unsupported-key', message, entry.origin, support.hint);
      } else {
        this.ledger.dropped(item, support.reason);
        this.ledger.report('info', 'cloud-config/dropped-key', `\`${label}\` is not carried: ${support.reason}`, entry.origin);
      }
    }
  }

  /** Settles an item that cannot be carried because its input is wrong, with an error diagnostic. */
  reject(item: InputItem, code: string, message: string, origin: Origin, hint: string): void {
    this.ledger.report('error', code, message, origin, hint);
    this.ledger.unsupported(item, message);
  }

  /** Registers a leaf key; settles and skips an empty value (coreos-cloudinit reads it as unset). */
  leaf(entry: YamlEntry, label: string, parent: ItemRef | undefined): { item: InputItem; value: YamlValue } | undefined {
    const item = this.ledger.item('key', label, entry.origin, parent);
    if (entry.value === null) {
      this.ledger.dropped(item, 'empty value; coreos-cloudinit reads it as unset');
      return undefined;
    }
    return { item, value: entry.value };
  }

  /** A string leaf. Any scalar counts, spelled as written (coreos-cloudinit decodes into strings). */
  string(entry: YamlEntry, label: string, parent: ItemRef | undefined): Located<string> | undefined {
    const leaf = this.leaf(entry, label, parent);
    if (!leaf) return undefined;
    if (!isScalar(leaf.value) || leaf.value.value instanceof Uint8Array) {
      this.wrongType(leaf.item, label, 'a string', leaf.value);
      return undefined;
    }
    return { value: scalarText(leaf.value), item: leaf.item };
  }

  /** A boolean leaf: YAML 1.1 booleans (`true`, `yes`, `on`, ...). */
  bool(entry: YamlEntry, label: string, parent: ItemRef | undefined): Located<boolean> | undefined {
    const leaf = this.leaf(entry, label, parent);
    if (!leaf) return undefined;
    if (!isScalar(leaf.value) || typeof leaf.value.value !== 'boolean') {
      this.wrongType(leaf.item, label, 'true or false', leaf.value);
      return undefined;
    }
    return { value: leaf.value.value, item: leaf.item };
  }

  /** A non-negative integer leaf, written in decimal (quoted or not). */
  uint(entry: YamlEntry, label: string, parent: ItemRef | undefined): Located<number> | undefined {
    const leaf = this.leaf(entry, label, parent);
    if (!leaf) return undefined;
    const text = isScalar(leaf.value) ? scalarText(leaf.value) : '';
    if (!/^\d{1,10}$/.test(text)) {
      this.wrongType(leaf.item, label, 'a number such as 1000', leaf.value);
      return undefined;
    }
    return { value: Number(text), item: leaf.item };
  }

  /** A mapping-valued key. Not an item unless it is empty or of the wrong shape. */
  mapping(entry: YamlEntry, label: string, parent: ItemRef | undefined): YAMLMap | undefined {
    if (isMap(entry.value)) return entry.value;
    const leaf = this.leaf(entry, label, parent);
    if (leaf) this.wrongType(leaf.item, label, 'a mapping of keys', leaf.value);
    return undefined;
  }

  /** A list-valued key. Not an item unless it is empty or of the wrong shape. */
  list(entry: YamlEntry, label: string, parent: ItemRef | undefined): ListEntry[] | undefined {
    if (isSeq(entry.value)) {
      return entry.value.items.map((raw, i) => ({
        value: deref(this.src, raw),
        origin: this.origin(raw as Node),
        label: `${label}[${i}]`,
      }));
    }
    const leaf = this.leaf(entry, label, parent);
    if (leaf) this.wrongType(leaf.item, label, 'a list (entries starting with `-`)', leaf.value);
    return undefined;
  }

  wrongType(item: InputItem, label: string, expected: string, found: YamlValue | null): void {
    const origin = found === null ? item.origin : this.origin(found);
    this.reject(
      item,
      'cloud-config/wrong-type',
      `\`${label}\` must be ${expected}, found ${describe(found)}`,
      origin,
      'Fix the value in the input; nixport leaves this item out until then.',
    );
  }

  /** The text of an entry's field, when it is a scalar (for labels and the checks before a walk). */
  text(map: YAMLMap, key: string): string | undefined {
    const value = this.find(map, key)?.value;
    return isScalar(value) && !(value.value instanceof Uint8Array) ? scalarText(value) : undefined;
  }

  /**
   * A field the entry cannot do without (a unit's or user's `name`, a file's
   * `path`): its text, or undefined after rejecting the entry's item.
   */
  required(map: YAMLMap, key: string, item: InputItem, label: string, hint: string): string | undefined {
    const entry = this.find(map, key);
    const text = this.text(map, key);
    if (text !== undefined && text !== '') return text;
    if (entry?.value != null && text === undefined) {
      this.wrongType(item, `${label}.${entry.spelled}`, 'a string', entry.value);
    } else {
      this.reject(item, 'cloud-config/missing-key', `\`${label}\` has no \`${key}\``, item.origin, hint);
    }
    return undefined;
  }
}
