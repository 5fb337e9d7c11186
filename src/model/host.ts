import type { NetworkDefinition, StandaloneContainer, VolumeDefinition } from './container.ts';
import type { InputItem } from './ledger.ts';
import type { Origin, PositionMapper } from './origin.ts';
import type { HostSecret } from './secret.ts';
import type { HostStorage, RemoteSource } from './storage.ts';
import type { Located, Unit } from './unit.ts';

/** A file the old host had written at boot (cloud-config `write_files`). */
export interface HostFile {
  readonly path: string;
  /** Decoded content. */
  readonly content: Uint8Array;
  /** The content as text when it is valid UTF-8 without NUL bytes. */
  readonly text?: string;
  /** Maps (line, column) in `text` to the input, where the text is written there as it is (a block scalar, a file beside the config). */
  readonly position?: PositionMapper;
  /** Permission bits, e.g. 0o644. */
  readonly mode?: number;
  readonly owner?: string;
  readonly group?: string;
  /** Ignition: append to the file the OS already has, instead of replacing it. */
  readonly append?: boolean;
  /** Ignition: whether an existing file was replaced (false: left alone). */
  readonly overwrite?: boolean;
  /** Ignition: the content was fetched from a URL at provisioning time; `content` is then empty. */
  readonly remote?: RemoteSource;
  /**
   * Ignition: the entry had no contents at all: an existing file kept its
   * content (only mode and owner were set), a missing one was created empty.
   */
  readonly contentOmitted?: boolean;
  readonly item: InputItem;
}

export interface User {
  readonly name: string;
  readonly item: InputItem;
  readonly gecos?: Located<string>;
  /** Supplementary groups as written on the old host. */
  readonly groups: readonly Located<string>[];
  readonly primaryGroup?: Located<string>;
  readonly home?: Located<string>;
  readonly shell?: Located<string>;
  readonly system?: Located<boolean>;
  readonly noCreateHome?: Located<boolean>;
  readonly passwordHash?: Located<string>;
  readonly uid?: Located<number>;
}

export interface Group {
  readonly name: string;
  readonly item: InputItem;
  readonly gid?: Located<number>;
  readonly members: readonly string[];
}

/** One `authorized_keys` option: `restrict`, `command="..."`, `from="..."`. */
export interface KeyOption {
  readonly name: string;
  /** Unquoted value for `name="value"` options. */
  readonly value?: string;
  /** [start, end) of the option in the line, for rewriting one option in place. */
  readonly start: number;
  readonly end: number;
}

/** One key line, for one user. `line` is kept byte for byte (invariant 4). */
export interface AuthorizedKey {
  readonly user: string;
  readonly line: string;
  readonly options: readonly KeyOption[];
  readonly keyType: string;
  readonly key: string;
  readonly comment?: string;
  readonly item: InputItem;
}

/** The old host's OS update policy (CoreOS update engine and locksmith). */
export interface UpdatePolicy {
  readonly rebootStrategy?: Located<string>;
  readonly group?: Located<string>;
  readonly server?: Located<string>;
  /** locksmith `window-start`, e.g. `Thu 04:00`. */
  readonly windowStart?: Located<string>;
  /** locksmith `window-length`, e.g. `1h`. */
  readonly windowLength?: Located<string>;
}

export type SourceFormat =
  | 'cloud-config'
  | 'butane'
  | 'ignition'
  | 'container-linux-config'
  | 'systemd-unit'
  | 'systemd-drop-in'
  | 'authorized-keys'
  | 'docker-script'
  | 'docker-run'
  | 'docker-inspect'
  | 'compose'
  | 'quadlet';

export interface SourceFile {
  readonly path: string;
  readonly format: SourceFormat;
}

/** The Host IR: everything nixport knows about the old server. */
export interface Host {
  readonly hostname?: Located<string>;
  readonly units: readonly Unit[];
  readonly files: readonly HostFile[];
  readonly users: readonly User[];
  readonly groups: readonly Group[];
  readonly authorizedKeys: readonly AuthorizedKey[];
  readonly update: UpdatePolicy;
  /** Directories, links, file systems, LUKS, disks, RAID, kernel arguments (Ignition/Butane). */
  readonly storage: HostStorage;
  /** Containers described without a unit: `docker run` scripts, `--docker-run`, `docker inspect` records. Absent means none. */
  readonly containers?: readonly StandaloneContainer[];
  /** User-defined networks created by `docker network create` in scripts (or Quadlet `.network` files). Absent means none. */
  readonly networks?: readonly NetworkDefinition[];
  /** Named volumes created with options (Quadlet `.volume` files). Absent means none. */
  readonly volumes?: readonly VolumeDefinition[];
  /** Secrets an input declares by name (Compose `secrets:`). Absent means none. */
  readonly secrets?: readonly HostSecret[];
  readonly sources: readonly SourceFile[];
}

export function originOf(x: { readonly item: InputItem }): Origin {
  return x.item.origin;
}
