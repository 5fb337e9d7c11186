import type { UnitType } from '../model/unit.ts';

/**
 * How each part of a unit file lands in NixOS's `systemd.*` options: the
 * first-class options where NixOS has them, `<section>Config` for the rest.
 * Option names were checked against nixos/lib/systemd-unit-options.nix
 * (see docs/nixos-facts.md).
 */

/** Where units of each type live in NixOS, and which section their `*Config` holds. */
export const UNIT_KINDS: Readonly<Partial<Record<UnitType, { readonly collection: string; readonly section?: string; readonly config?: string }>>> = {
  service: { collection: 'services', section: 'Service', config: 'serviceConfig' },
  timer: { collection: 'timers', section: 'Timer', config: 'timerConfig' },
  socket: { collection: 'sockets', section: 'Socket', config: 'socketConfig' },
  path: { collection: 'paths', section: 'Path', config: 'pathConfig' },
  slice: { collection: 'slices', section: 'Slice', config: 'sliceConfig' },
  target: { collection: 'targets' },
};

/** `[Unit]` keys with a first-class NixOS option taking a list of unit names (or URLs). */
export const UNIT_LIST_OPTIONS: Readonly<Record<string, string>> = {
  Requires: 'requires',
  Wants: 'wants',
  After: 'after',
  Before: 'before',
  BindsTo: 'bindsTo',
  PartOf: 'partOf',
  Conflicts: 'conflicts',
  Requisite: 'requisite',
  OnFailure: 'onFailure',
  OnSuccess: 'onSuccess',
  Upholds: 'upholds',
  Documentation: 'documentation',
};

/** `[Install]` keys: NixOS links units statelessly through these options. */
export const INSTALL_OPTIONS: Readonly<Record<string, string>> = {
  WantedBy: 'wantedBy',
  RequiredBy: 'requiredBy',
  UpheldBy: 'upheldBy',
  Alias: 'aliases',
};

/** `[Install]` keys NixOS has no use for, with the reason the report gives. */
export const INSTALL_DROPPED: Readonly<Record<string, string>> = {
  Also: 'NixOS enables every unit it defines through wantedBy; `Also=` only mattered to `systemctl enable`',
  DefaultInstance: 'NixOS does not run `systemctl enable`; enable the instance by defining `<name>@<instance>` with wantedBy',
};

/** `[Socket]` keys with first-class list options. */
export const SOCKET_LIST_OPTIONS: Readonly<Record<string, string>> = {
  ListenStream: 'listenStreams',
  ListenDatagram: 'listenDatagrams',
};

/** The target a `command: start` unit of each type is wanted by, so it starts at boot as it did. */
export const BOOT_TARGET: Readonly<Partial<Record<UnitType, string>>> = {
  service: 'multi-user.target',
  target: 'multi-user.target',
  timer: 'timers.target',
  socket: 'sockets.target',
  path: 'paths.target',
  slice: 'multi-user.target',
};

/** cloud-config `command:` values that leave the unit running after boot. */
export const STARTING_COMMANDS = new Set(['start', 'restart', 'try-restart', 'reload-or-restart', 'reload-or-try-restart']);

/** Exec keys that hold one command per line; all but ExecStart print as lists. */
export const EXEC_KEYS = new Set([
  'ExecStart',
  'ExecStartPre',
  'ExecStartPost',
  'ExecStop',
  'ExecStopPre',
  'ExecStopPost',
  'ExecReload',
  'ExecCondition',
]);
