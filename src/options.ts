export interface ConvertOptions {
  /** Host name for `nixosConfigurations.<host>`; defaults to the input's hostname. */
  readonly host?: string;
  /** NixOS release the flake pins (`nixos-<release>`) and `system.stateVersion`. */
  readonly release?: string;
  /** Nix system of the host. */
  readonly system?: string;
}

/** The current stable NixOS release at the time of writing (26.05, May 2026). */
export const DEFAULT_RELEASE = '26.05';
export const DEFAULT_SYSTEM = 'x86_64-linux';
