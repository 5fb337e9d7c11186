import type { Analysis } from '../model/analysis.ts';
import type { AuthorizedKey, Host } from '../model/host.ts';
import type { Template } from '../model/template.ts';
import type { Ledger } from '../model/ledger.ts';
import type { NixosTree } from '../nix/tree.ts';
import type { Plan } from '../plan/types.ts';
import type { SecretStore } from '../passes/secrets/index.ts';

/** A file the build adds to the flake beside the modules (a binary write_files payload). */
export interface Asset {
  readonly path: string;
  readonly content: Uint8Array;
}

/** What every builder reads and writes. */
export interface BuildContext {
  readonly host: Host;
  readonly analysis: Analysis;
  readonly plan: Plan;
  readonly ledger: Ledger;
  readonly tree: NixosTree;
  readonly assets: Asset[];
  /** Host name of the new system (`nixosConfigurations.<host>`). */
  readonly hostName: string;
  readonly release: string;
  /** The secret files consumers read instead of holding the secrets (invariant 3; --secrets decides where). */
  readonly secrets: SecretStore;
  /** Stage 3: keys whose forced command runs a program from the store instead of a container (rrsync), with why. */
  readonly keyCommands?: ReadonlyMap<AuthorizedKey, { readonly template: Template; readonly note: string }>;
}

/** Module owners; the layout maps each to a file. */
export const OWNER = {
  configuration: 'configuration',
  users: 'users',
  files: 'files',
  storage: 'storage',
  /** `virtualisation.vmVariant`: what `make vm` changes (vm.nix). */
  vm: 'vm',
  /** The post-upgrade health check and rollback (health.nix). */
  health: 'health',
  /** The system disk layout for the first install (disko.nix). */
  disko: 'disko',
  /** sops.secrets / age.secrets, or the tmpfiles rules of plain secret files (secrets.nix). */
  secrets: 'secrets',
  service: (name: string) => `services/${name}`,
} as const;

/** An option path as the report shows it: `systemd.services.unlock.serviceConfig.ExecStart`. */
export function optionName(path: readonly string[]): string {
  return path.map(optionSegment).join('.');
}

/** One attribute of an option name: bare when it is an identifier, else quoted. */
export function optionSegment(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) ? name : JSON.stringify(name);
}
