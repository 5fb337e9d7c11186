import type { InputItem } from './ledger.ts';

/** One flag of a Docker CLI command line, kept with its origin. */
export interface DockerFlag {
  /** Canonical name from the flag table: the long form (`--publish`), or the short one where none exists. */
  readonly name: string;
  /** As written: `-p`, `--publish`, `-it`'s `-t`. */
  readonly spelled: string;
  /** The value, for flags that take one (`--publish=8080:80` and `-p 8080:80` alike). */
  readonly value?: string;
  /** Index of the exec word that holds the flag (the value may be the next word). */
  readonly word: number;
  readonly item: InputItem;
}

export type PortProtocol = 'tcp' | 'udp' | 'sctp';

/** `-p [ip:][hostPort:]containerPort[/proto]`, ranges kept as `from-to`. */
export interface PortSpec {
  readonly raw: string;
  readonly hostIp?: string;
  /** Missing when docker picks a random host port (`-p 80`). */
  readonly hostPort?: PortRange;
  readonly containerPort: PortRange;
  readonly protocol: PortProtocol;
  readonly flag: DockerFlag;
}

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

export type VolumeKind = 'bind' | 'volume' | 'anonymous' | 'tmpfs';

/** `-v`, `--mount`, `--tmpfs`. */
export interface VolumeSpec {
  readonly raw: string;
  readonly kind: VolumeKind;
  /** Host path (bind) or volume name (volume); absent for anonymous and tmpfs. */
  readonly source?: string;
  readonly target: string;
  readonly readOnly: boolean;
  /** Remaining options as written (`z`, `rshared`, `nocopy`, ...). */
  readonly options: readonly string[];
  readonly flag: DockerFlag;
}

/** Which container CLI ran the command: their flags and daemons differ. */
export type ContainerEngine = 'docker' | 'podman';

/** A Docker (or podman) CLI invocation found in a command line. */
export interface DockerInvocation {
  /** The CLI that ran it: podman reads Docker's flags and more of its own, and has no daemon. */
  readonly engine: ContainerEngine;
  /** `run`, `create`, `start`, `pull`, `kill`, `rm`, `stop`, `commit`, ... (`container run` normalised to `run`). */
  readonly verb: string;
  /** Index of the exec word holding the verb. */
  readonly verbWord: number;
  /** Flags of `run`/`create` (and of the other verbs, parsed leniently). */
  readonly flags: readonly DockerFlag[];
  /** `run`/`create`: the image reference as written. */
  readonly image?: string;
  readonly imageWord?: number;
  /** Words after the image (`run`) or after the flags (other verbs). */
  readonly args: readonly string[];
  // What the passes need, derived from the flags:
  readonly containerName?: string;
  readonly ports: readonly PortSpec[];
  /** `-P`: every exposed port to a random host port. */
  readonly publishAll: boolean;
  readonly volumes: readonly VolumeSpec[];
  /** `--network`/`--net`: `host`, `none`, `bridge`, `container:x`, or a user network. */
  readonly network?: string;
  /** `--restart` as written: `no`, `always`, `unless-stopped`, `on-failure[:n]`. */
  readonly restart?: string;
}
