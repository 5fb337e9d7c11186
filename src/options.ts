import type { ComposeOptions } from './sources/compose/load.ts';

export interface ConvertOptions {
  /** Host name for `nixosConfigurations.<host>`; defaults to the input's hostname. */
  readonly host?: string;
  /** NixOS release the flake pins (`nixos-<release>`) and `system.stateVersion`. */
  readonly release?: string;
  /** Nix system of the host. */
  readonly system?: string;
  /** Stage of every service not named in `strategies`: docker (stage 1, the default), oci (stage 2) or native (stage 3: a NixOS module where a recipe exists). */
  readonly stage?: 'docker' | 'oci' | 'native';
  /** Service (module) name -> its stage, as `--strategy NAME=docker|oci|native` gives it. */
  readonly strategies?: Readonly<Record<string, 'docker' | 'oci' | 'native'>>;
  /** The virtualisation.oci-containers backend; by default the engine the old host ran its containers with (podman only when all ran with podman). */
  readonly backend?: 'docker' | 'podman';
  /** How the flake is deployed: nixos-rebuild (default), or the outputs of colmena or deploy-rs. */
  readonly deploy?: 'nixos-rebuild' | 'colmena' | 'deploy-rs';
  /** SSH destination `user@host` for deploying; default: the deploy user nixport picks, at the host name. */
  readonly target?: string;
  /** Compose projects: `-f` files, `--env-file`, `--profile`, `-p`, `--project-directory`. */
  readonly compose?: ComposeOptions;
  /**
   * Where secrets found in the input go (invariant 3): `files` (default,
   * plain files under /var/lib/secrets), `sops` (sops-nix) or `agenix`.
   * Their plaintext is written to secrets.local/ only.
   */
  readonly secrets?: 'files' | 'sops' | 'agenix';
}

/** The current stable NixOS release at the time of writing (26.05, May 2026). */
export const DEFAULT_RELEASE = '26.05';
export const DEFAULT_SYSTEM = 'x86_64-linux';
