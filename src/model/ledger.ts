import type { Diagnostic, Severity } from './diagnostic.ts';
import type { Origin } from './origin.ts';

/**
 * The ledger is how nixport keeps invariant 1 ("nothing is lost silently").
 * Readers register every input item they see; later stages record each
 * item's fate. The report lists every item with its fate and counts the
 * ones that have none, which tests require to be zero.
 */

export type ItemKind =
  | 'file' // an input file, or a file to write (write_files)
  | 'key' // a key of a structured input (cloud-config, Butane, Compose)
  | 'unit' // a systemd unit
  | 'drop-in' // a unit drop-in
  | 'directive' // one `Key=value` line of a unit
  | 'flag' // one flag of a `docker run` command line
  | 'command' // one command of a shell script, or a `--docker-run` command line
  | 'user'
  | 'group'
  | 'authorized-key'; // one line of an authorized_keys list

export interface ItemRef {
  readonly id: string;
}

export interface InputItem extends ItemRef {
  readonly kind: ItemKind;
  /** Short human label: `ExecStart=`, `--publish 8200:80`, `users[0]`. */
  readonly label: string;
  readonly origin: Origin;
  readonly parent?: string;
}

/**
 * carried: present in the output at `option` (a NixOS option path such as
 *   `systemd.services.unlock.serviceConfig.ExecStart`), perhaps rewritten.
 * dropped: deliberately not carried; `reason` says why that is safe.
 * unsupported: nixport cannot carry it; the user must act (see diagnostics).
 * manual: carried as a manual step in the report.
 */
export type Fate =
  | { readonly kind: 'carried'; readonly option: string; readonly note?: string }
  | { readonly kind: 'dropped'; readonly reason: string }
  | { readonly kind: 'unsupported'; readonly reason: string }
  | { readonly kind: 'manual'; readonly step: string };

export interface ManualStep {
  /** Lower runs first: 10 before switching, 50 at switch, 90 after. */
  readonly order: number;
  readonly title: string;
  readonly detail: string;
  readonly origin?: Origin;
}

export class Ledger {
  readonly items: InputItem[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly manualSteps: ManualStep[] = [];
  /**
   * Fates and children of the items, at the items' index (`i7` is items[6]).
   * Each item is looked up several times; with tens of thousands of items,
   * arrays do that several times faster than maps keyed by id.
   */
  private readonly fateAt: (Fate | undefined)[] = [];
  private readonly childrenAt: (InputItem[] | undefined)[] = [];
  private next = 1;

  item(kind: ItemKind, label: string, origin: Origin, parent?: ItemRef): InputItem {
    const id = `i${this.next++}`;
    // Two literals rather than a spread of the optional field: this runs for every input item.
    const item: InputItem = parent ? { id, kind, label, origin, parent: parent.id } : { id, kind, label, origin };
    this.items.push(item);
    this.fateAt.push(undefined);
    this.childrenAt.push(undefined);
    if (parent) {
      const p = this.indexOf(parent);
      const siblings = this.childrenAt[p];
      if (siblings) siblings.push(item);
      else this.childrenAt[p] = [item];
    }
    return item;
  }

  /** Every settled item's fate, by id, in the order of the items. */
  get fates(): ReadonlyMap<string, Fate> {
    const out = new Map<string, Fate>();
    this.items.forEach((item, i) => {
      const fate = this.fateAt[i];
      if (fate) out.set(item.id, fate);
    });
    return out;
  }

  childrenOf(item: ItemRef): readonly InputItem[] {
    return this.childrenAt[this.indexOf(item)] ?? NO_ITEMS;
  }

  /** Settles an item and, where still open, all items below it (a directive's docker flags, say). */
  settleTree(item: ItemRef, fate: Fate): void {
    this.settle(item, fate);
    for (const child of this.childrenOf(item)) this.settleTree(child, fate);
  }

  /** Records an item's fate. The first fate recorded wins; later stages refine by using `refine`. */
  settle(item: ItemRef, fate: Fate): void {
    const n = this.indexOf(item);
    if (!this.fateAt[n]) this.fateAt[n] = fate;
  }

  /** Replaces an item's fate: used when a later stage moves an item (a mount step leaving its oneshot). */
  refine(item: ItemRef, fate: Fate): void {
    this.fateAt[this.indexOf(item)] = fate;
  }

  carried(item: ItemRef, option: string, note?: string): void {
    this.settle(item, note === undefined ? { kind: 'carried', option } : { kind: 'carried', option, note });
  }

  /** Settles an item as carried, and its open children with it (a directive's docker flags). */
  carriedTree(item: ItemRef, option: string, note?: string): void {
    this.settleTree(item, note === undefined ? { kind: 'carried', option } : { kind: 'carried', option, note });
  }

  dropped(item: ItemRef, reason: string): void {
    this.settle(item, { kind: 'dropped', reason });
  }

  unsupported(item: ItemRef, reason: string): void {
    this.settle(item, { kind: 'unsupported', reason });
  }

  fate(item: ItemRef): Fate | undefined {
    return this.fateAt[this.indexOf(item)];
  }

  report(severity: Severity, code: string, message: string, origin?: Origin, hint?: string): void {
    this.diagnostics.push({
      severity,
      code,
      message,
      ...(origin ? { origin } : {}),
      ...(hint ? { hint } : {}),
    });
  }

  manual(step: ManualStep): void {
    this.manualSteps.push(step);
  }

  /** Where an item of this ledger is in `items` (`i7` -> 6), read from its id without slicing it. */
  private indexOf(ref: ItemRef): number {
    const id = ref.id;
    let n = 0;
    for (let i = 1; i < id.length; i++) n = n * 10 + (id.charCodeAt(i) - 48);
    if (this.items[n - 1]?.id !== id) throw new Error(`nixport bug: ${id} is not an item of this ledger`);
    return n - 1;
  }
}

const NO_ITEMS: readonly InputItem[] = [];
