/**
 * Walking an Ignition-shaped config against the spec table, and keeping the
 * ledger while doing so. Which values become ledger items follows the
 * cloud-config reader:
 *
 * - Containers (`storage`, `storage.files`, `passwd.users`, ...) are not
 *   items; each entry of a list that becomes a model object is one item
 *   (`file`, `unit`, `user`, `group`, `key` for storage entries) and its
 *   fields belong to it: a file is written with its mode or not at all.
 * - A field that becomes a `Located` value (a user's `shell`, a kernel
 *   argument) is a `key` item of its own, left for the stage that carries it.
 * - Everything else is settled here: keys that are not in the spec version
 *   (an error: Ignition and Butane ignored them), keys that only mattered
 *   while provisioning (dropped) or that nixport cannot carry (unsupported),
 *   with their whole subtree, and `null` values.
 *
 * A value of the wrong type rejects the entry it belongs to: the reader
 * throws `Rejected` after reporting, and the entry's reader returns nothing.
 */
import type { InputItem, ItemKind, ItemRef, Ledger } from '../../model/ledger.ts';
import type { Origin } from '../../model/origin.ts';
import type { Located } from '../../model/unit.ts';
import { childLabel, type ConfigEntry, type ConfigNode } from './node.ts';
import {
  closestKey,
  describeVersions,
  keyElsewhere,
  lookupKey,
  spelledKey,
  type Dialect,
  type SpecKey,
  type SpecType,
  type ValueType,
} from './spec.ts';
import { versionName } from './versions.ts';

/** Thrown after an entry was rejected (reported and settled); the entry's reader catches it. */
export class Rejected extends Error {
  constructor() {
    super('entry rejected');
    this.name = 'Rejected';
  }
}

/** Runs an entry's reader; a rejected entry yields undefined. */
export function unlessRejected<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof Rejected) return undefined;
    throw error;
  }
}

export interface Field {
  readonly spec: SpecKey;
  readonly entry: ConfigEntry;
  /** `storage.files[0].mode` */
  readonly label: string;
}

const EXPECTED: Readonly<Record<ValueType['kind'], string>> = {
  string: 'a string',
  int: 'an integer',
  bool: 'true or false',
  strings: 'a list of strings',
  map: 'an object (a mapping of keys)',
  list: 'a list',
};

export class SpecWalker {
  constructor(
    readonly dialect: Dialect,
    readonly ledger: Ledger,
  ) {}

  /** Diagnostic codes start with the dialect: `ignition/unknown-key`, `butane/unknown-key`. */
  code(suffix: string): string {
    return `${this.dialect.name}/${suffix}`;
  }

  /** `Ignition spec 3.4.0`, `Butane fcos 1.5.0`, `a Container Linux Config`. */
  get specName(): string {
    const d = this.dialect;
    if (d.name === 'clc') return 'a Container Linux Config';
    return d.name === 'ignition' ? `Ignition spec ${versionName(d.version)}` : `Butane ${d.variant} 1.${d.minor}.0`;
  }

  /** The tool that read the config on the old host's side: Ignition, Butane, or Flatcar's ct. */
  get tool(): string {
    return { ignition: 'Ignition', butane: 'Butane', clc: 'ct' }[this.dialect.name];
  }

  spelled(key: string): string {
    return spelledKey(key, this.dialect);
  }

  /**
   * The entries of a map that the spec knows, with the fields the readers
   * take. Unknown, dropped and unsupported keys, and null values, are
   * registered and settled here (below `parent`).
   */
  fields(node: ConfigNode, type: SpecType, parent: ItemRef | undefined): Fields {
    const known = new Map<string, Field>();
    for (const entry of node.entries()) {
      const label = childLabel(node.label, entry.spelled);
      const spec = lookupKey(type, entry.spelled, this.dialect);
      if (!spec) {
        this.unknownKey(type, entry, label, parent);
        continue;
      }
      const forbidden = spec.forbiddenIn?.find((f) => f.variant === this.dialect.variant && this.dialect.name === 'butane');
      if (forbidden) {
        const item = this.ledger.item('key', label, entry.origin, parent);
        this.reject(item, 'forbidden-key', `${entry.value.where}: ${forbidden.reason}`, entry.origin, 'Remove it, or port the configuration to the fcos variant.');
        continue;
      }
      if (spec.support.kind !== 'read') {
        const item = this.ledger.item('key', label, entry.origin, parent);
        const support = spec.support;
        if (support.kind === 'dropped') {
          this.ledger.dropped(item, support.reason);
          this.ledger.report('info', this.code('dropped-key'), `${entry.value.where} is not carried: ${support.reason}`, entry.origin, support.hint);
        } else {
          this.ledger.unsupported(item, support.reason);
          this.ledger.report('warning', this.code('unsupported-key'), `${entry.value.where}: ${support.reason}`, entry.origin, support.hint);
        }
        // Dropped keys stay readable: the disk layout suggestion still wants wipe flags and mkfs options.
        known.set(spec.key, { spec, entry, label });
        continue;
      }
      if (entry.value.shape === 'null') {
        const item = this.ledger.item('key', label, entry.origin, parent);
        this.ledger.dropped(item, `null: ${this.tool} reads it as unset`);
        continue;
      }
      // JSON allows a key twice; Go's decoder (Ignition's) keeps the last. YAML refuses it when parsed.
      const twice = known.get(spec.key);
      if (twice) {
        const item = this.ledger.item('key', twice.label, twice.entry.origin, parent);
        const reason = `given again at ${entry.origin.line}:${entry.origin.column}; Ignition reads the last one`;
        this.ledger.dropped(item, reason);
        this.ledger.report('warning', this.code('duplicate-key'), `${twice.entry.value.where} is ${reason}`, twice.entry.origin, 'Remove one of the two.');
      }
      known.set(spec.key, { spec, entry, label });
    }
    return new Fields(this, node, known, parent);
  }

  private unknownKey(type: SpecType, entry: ConfigEntry, label: string, parent: ItemRef | undefined): void {
    const item = this.ledger.item('key', label, entry.origin, parent);
    const reason = `not a key of ${this.specName}; ${this.tool} ignored it with a warning`;
    this.ledger.unsupported(item, reason);
    const elsewhere = keyElsewhere(type, entry.spelled, this.dialect);
    const near = closestKey(type, entry.spelled, this.dialect);
    let hint: string;
    if (elsewhere.length > 0) {
      const versions = describeVersions(elsewhere.flatMap((k) => k.versions));
      const where = elsewhere.some((k) => k.fcosSince !== undefined) ? 'in later fcos versions' : `in spec ${versions}`;
      hint = `\`${entry.spelled}\` exists ${where}; ${near ? `did you mean \`${near}\`, or ` : ''}raise the config's version if you meant it.`;
    } else if (near) {
      hint = `Did you mean \`${near}\`?`;
    } else {
      hint = 'Check the spelling against the spec; nixport leaves this key out.';
    }
    // ct warns about an unknown key ("Config has unrecognized key") and goes on
    // without it, so for a Container Linux Config it is a warning here too: the
    // old host ran without it. Ignition and Butane keep their error.
    this.ledger.report(this.dialect.name === 'clc' ? 'warning' : 'error', this.code('unknown-key'), `${entry.value.where} is ${reason}`, entry.origin, hint);
  }

  /**
   * Settles an item that cannot be carried because its input is wrong, with
   * an error diagnostic; the items already read below it go with it.
   */
  reject(item: InputItem, code: string, message: string, origin: Origin, hint: string): void {
    this.ledger.report('error', this.code(code), message, origin, hint);
    this.ledger.settleTree(item, { kind: 'unsupported', reason: message });
  }

  /** Rejects `item` because `node` has the wrong type, and throws Rejected. */
  wrongType(item: InputItem, node: ConfigNode, expected: string): never {
    this.reject(
      item,
      'wrong-type',
      `${node.where} must be ${expected}, found ${node.describe()}`,
      node.origin,
      'Fix the value in the input; nixport leaves this entry out until then.',
    );
    throw new Rejected();
  }

  /** A string field read before the entry's item exists (for its label); undefined when absent or not a string. */
  peek(node: ConfigNode, key: string): string | undefined {
    const spelled = this.spelled(key);
    return node.entries().find((e) => e.spelled === spelled)?.value.asString();
  }

  /**
   * The item for one entry of a list: registered here, with its identifying
   * field in the label (`storage.files[0] (/etc/motd)`). An entry that is not
   * a map is rejected.
   */
  entryItem(kind: ItemKind, node: ConfigNode, name: string | undefined, parent?: ItemRef): InputItem {
    const item = this.ledger.item(kind, name ? `${node.label} (${name})` : node.label, node.origin, parent);
    if (node.shape !== 'map') this.wrongType(item, node, 'an object (a mapping of keys)');
    return item;
  }

  /** The entries of a list-valued field, or a container item carrying the error when it is not a list. */
  listOf(field: Field | undefined, parent: ItemRef | undefined): readonly ConfigNode[] {
    if (!field) return [];
    const value = field.entry.value;
    if (value.shape === 'list') return value.items();
    const item = this.ledger.item('key', field.label, field.entry.origin, parent);
    this.reject(item, 'wrong-type', `${value.where} must be a list, found ${value.describe()}`, value.origin, 'Write it as a list (`[...]` in JSON, `- ` entries in YAML).');
    return [];
  }

  /** A map-valued container field, or undefined (after reporting) when it is not a map. */
  mapOf(field: Field | undefined, parent: ItemRef | undefined): ConfigNode | undefined {
    if (!field) return undefined;
    const value = field.entry.value;
    if (value.shape === 'map') return value;
    const item = this.ledger.item('key', field.label, field.entry.origin, parent);
    this.reject(item, 'wrong-type', `${value.where} must be ${EXPECTED.map}, found ${value.describe()}`, value.origin, 'Fix the value in the input.');
    return undefined;
  }
}

/** The known fields of one map. Typed reads of fields that belong to `item` reject it on a wrong type. */
export class Fields {
  constructor(
    readonly w: SpecWalker,
    readonly node: ConfigNode,
    private readonly known: ReadonlyMap<string, Field>,
    readonly item: ItemRef | undefined,
  ) {}

  has(key: string): boolean {
    return this.known.has(key);
  }

  field(key: string): Field | undefined {
    return this.known.get(key);
  }

  value(key: string): ConfigNode | undefined {
    return this.known.get(key)?.entry.value;
  }

  /** The label a field has, present or not: `storage.files[0].mode`. */
  label(key: string): string {
    return this.known.get(key)?.label ?? childLabel(this.node.label, this.w.spelled(key));
  }

  private rejectField(key: string, expected: string): never {
    const value = this.value(key)!;
    if (!this.item || !isInputItem(this.item)) {
      const item = this.w.ledger.item('key', this.label(key), this.known.get(key)!.entry.origin, this.item);
      this.w.wrongType(item, value, expected);
    }
    this.w.wrongType(this.item, value, expected);
  }

  string(key: string): string | undefined {
    const value = this.value(key);
    if (!value || value.shape === 'null') return undefined;
    const s = value.asString();
    if (s === undefined) this.rejectField(key, EXPECTED.string);
    return s;
  }

  int(key: string): number | undefined {
    const value = this.value(key);
    if (!value || value.shape === 'null') return undefined;
    const n = value.asInt();
    if (n === undefined) this.rejectField(key, EXPECTED.int);
    return n;
  }

  bool(key: string): boolean | undefined {
    const value = this.value(key);
    if (!value || value.shape === 'null') return undefined;
    const b = value.asBool();
    if (b === undefined) this.rejectField(key, EXPECTED.bool);
    return b;
  }

  /** A list of strings, each with its node (for positions). */
  strings(key: string): { readonly value: string; readonly node: ConfigNode }[] {
    const value = this.value(key);
    if (!value || value.shape === 'null') return [];
    if (value.shape !== 'list') this.rejectField(key, EXPECTED.strings);
    return value.items().map((node) => {
      const s = node.asString();
      if (s === undefined) {
        const item = this.item && isInputItem(this.item) ? this.item : this.w.ledger.item('key', node.label, node.origin, this.item);
        this.w.wrongType(item, node, EXPECTED.string);
      }
      return { value: s, node };
    });
  }

  /** A map-valued field that belongs to the entry. */
  map(key: string): ConfigNode | undefined {
    const value = this.value(key);
    if (!value || value.shape === 'null') return undefined;
    if (value.shape !== 'map') this.rejectField(key, EXPECTED.map);
    return value;
  }

  /** A list-valued field that belongs to the entry. */
  list(key: string): readonly ConfigNode[] {
    const value = this.value(key);
    if (!value || value.shape === 'null') return [];
    if (value.shape !== 'list') this.rejectField(key, EXPECTED.list);
    return value.items();
  }

  /**
   * A field that becomes a `Located` value: a `key` item of its own below
   * the entry. A wrong type rejects only that item.
   */
  located<T extends string | number | boolean>(key: string, kind: 'string' | 'int' | 'bool'): Located<T> | undefined {
    const field = this.known.get(key);
    if (!field) return undefined;
    const item = this.w.ledger.item('key', field.label, field.entry.origin, this.item);
    const value = field.entry.value;
    const read = kind === 'string' ? value.asString() : kind === 'int' ? value.asInt() : value.asBool();
    if (read === undefined) {
      this.w.reject(item, 'wrong-type', `${value.where} must be ${EXPECTED[kind]}, found ${value.describe()}`, value.origin, 'Fix the value in the input.');
      return undefined;
    }
    return { value: read as T, item };
  }
}

function isInputItem(ref: ItemRef): ref is InputItem {
  return 'kind' in ref;
}
