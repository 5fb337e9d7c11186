import type { ComposeDependency, ComposeProject, ComposeRestartLimits } from '../../model/compose.ts';
import type { InputItem, Ledger } from '../../model/ledger.ts';
import type { Origin } from '../../model/origin.ts';
import type { SecretMount } from '../../model/secret.ts';
import type { Argv } from '../docker-inspect/argv.ts';
import type { Lookup } from './interpolate.ts';
import type { CEntry } from './node.ts';

/** A top-level network, volume, secret or config as services refer to it. */
export interface ResourceRef {
  /** The name the engine knows it by: `<project>_<key>`, its `name:`, or the key when external. */
  readonly real: string;
  readonly external: boolean;
}

/** What every service of one project reads while it is translated. */
export interface ProjectScope {
  readonly project: ComposeProject;
  readonly ledger: Ledger;
  /** Active service -> its container's name. */
  readonly containerOf: ReadonlyMap<string, string>;
  /** Services set aside by profiles. */
  readonly inactive: ReadonlySet<string>;
  readonly networks: ReadonlyMap<string, ResourceRef>;
  readonly volumes: ReadonlyMap<string, ResourceRef>;
  /** Top-level secrets and configs by key: the file on the host, where they name one. */
  readonly secrets: ReadonlyMap<string, { readonly name?: string; readonly file?: string; readonly external: boolean }>;
  readonly configs: ReadonlyMap<string, { readonly file?: string; readonly external: boolean }>;
  /** A path written in a Compose file (relative to that file's directory) as a path on the host. */
  readonly hostPath: (written: string, origin: Origin) => string;
  /** Whether a path written in a Compose file names one of nixport's inputs. */
  readonly inputExists: (written: string, origin: Origin) => boolean;
  /** The input a path written in a Compose file names, if it is one. */
  readonly readInput: (written: string, origin: Origin) => { readonly path: string; readonly text: string } | undefined;
  readonly lookup: Lookup;
  /** Keys of the networks and volumes some service uses. */
  readonly usedNetworks: Set<string>;
  readonly usedVolumes: Set<string>;
  /** The default network `<project>_default` is used by some service. */
  defaultNetworkUsed: boolean;
}

/** One service while it is translated: the `docker run` it amounts to, and what no flag says. */
export interface ServiceScope {
  readonly scope: ProjectScope;
  readonly name: string;
  readonly container: string;
  readonly item: InputItem;
  readonly argv: Argv;
  entrypoint?: { readonly words: readonly string[]; readonly origin: Origin };
  command?: { readonly words: readonly string[]; readonly origin: Origin };
  image?: { readonly value: string; readonly origin: Origin };
  /** `network_mode` or `networks` was given: the default network is not joined. */
  networked: boolean;
  healthcheck: boolean;
  restartSet: boolean;
  restartLimits?: ComposeRestartLimits;
  readonly dependsOn: ComposeDependency[];
  readonly volumes: Set<string>;
  readonly secrets: SecretMount[];
  /** Variables the service's `environment:` sets: they win over its env files, as in Compose. */
  readonly environmentNames: ReadonlySet<string>;
  /** deploy.restart_policy is given: it wins over `restart:`, as in Compose. */
  readonly deployRestart: boolean;
  /** The `build:` entry, for the message when there is no image. */
  build?: CEntry;
}
