import { list, str, type NixExpr } from '../nix/ast.ts';
import type { NixosTree } from '../nix/tree.ts';
import { optionName } from './context.ts';

/**
 * Writes one unit's definitions under `systemd.<kind>.<name>`. List options
 * written from several places (wantedBy from `[Install]`, from `command:
 * start` and from a mount) keep each value once, with the first reason.
 */
export class UnitWriter {
  private readonly listed = new Map<string, Set<string>>();

  constructor(
    private readonly tree: NixosTree,
    private readonly owner: string,
    readonly base: readonly string[],
  ) {}

  at(...rest: string[]): string[] {
    return [...this.base, ...rest];
  }

  option(...rest: string[]): string {
    return optionName(this.at(...rest));
  }

  define(rest: readonly string[], value: NixExpr, comments?: readonly string[]): void {
    this.tree.define(this.owner, [...this.base, ...rest], value, comments);
  }

  /** Adds values to a list option (`wantedBy`, `unitConfig.RequiresMountsFor`), skipping ones already there. */
  addNames(option: readonly string[], values: readonly string[], comments?: readonly string[]): void {
    const key = option.join('\0');
    const seen = this.listed.get(key) ?? new Set<string>();
    this.listed.set(key, seen);
    const fresh = values.filter((v) => !seen.has(v));
    for (const v of fresh) seen.add(v);
    if (fresh.length > 0) this.define(option, list(fresh.map((v) => str(v))), comments);
  }

  has(option: readonly string[]): boolean {
    return (this.listed.get(option.join('\0'))?.size ?? 0) > 0;
  }
}
