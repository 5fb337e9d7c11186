export interface ConvertOptions {
  /** Host name for `nixosConfigurations.<host>`; defaults to the input's hostname. */
  readonly host?: string;
  /** NixOS release the flake pins (`nixos-<release>`) and `system.stateVersion`. */
  readonly release?: string;
  /** Nix system of the host. */
  readonly system?: string;
  /** Stage of every service not named in `strategies`: docker (stage 1, the default) or oci (stage 2). */
  readonly stage?: 'docker' | 'oci';
  /** Service (module) name -> its stage, as `--strategy NAME=docker|oci` gives it. */
  readonly strategies?: Readonly<Record<string, 'docker' | 'oci'>>;
  /** The virtualisation.oci-containers backend: docker (default, as the old host ran Docker) or podman. */
  readonly backend?: 'docker' | 'podman';
  /** How the flake is deployed: nixos-rebuild (default), or the outputs of colmena or deploy-rs. */
  readonly deploy?: 'nixos-rebuild' | 'colmena' | 'deploy-rs';
  /** SSH destination `user@host` for deploying; default: the deploy user nixport picks, at the host name. */
  readonly target?: string;
}

/** The current stable NixOS release at the time of writing (26.05, May 2026). */
export const DEFAULT_RELEASE = '26.05';
export const DEFAULT_SYSTEM = 'x86_64-linux';
