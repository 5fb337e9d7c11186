import type { Severity } from '../model/diagnostic.ts';
import type { DockerFlag, PortSpec, VolumeSpec } from '../model/docker.ts';
import type { HostFile, User } from '../model/host.ts';
import type { Origin } from '../model/origin.ts';
import type { Directive } from '../model/unit.ts';
import type { NixExpr } from '../nix/ast.ts';
import type { ImageReference } from '../sources/docker/image-ref.ts';

/**
 * The recipe format (stage 3): one small file per app says, as data, which
 * images it takes, how a container's ports, volumes and environment map
 * onto the NixOS module's options, what cannot be mapped and why, and how
 * the state moves. The engine in src/strategies/native/ applies it; a
 * recipe only needs code (`extra`) for what no table can say.
 *
 * Option names are relative to the recipe's `module` (`dataDir` is
 * `services.jellyfin.dataDir`) unless they start with a top-level name
 * (`systemd.`, `users.`, `networking.`). Every option a recipe can emit is
 * listed in src/recipes/catalog.ts with the nixpkgs source it was read from.
 */
export type Recipe = ModuleRecipe | ScriptRecipe | KeyRecipe;

/** A container that becomes a NixOS module (`services.jellyfin`). */
export interface ModuleRecipe {
  readonly kind: 'module';
  /** Short name, as `nixport recipes` lists it and `--strategy` errors suggest it. */
  readonly app: string;
  readonly title: string;
  /** Repositories it converts, without tag or digest: `lscr.io/linuxserver/jellyfin`, `jellyfin/jellyfin`. */
  readonly images: readonly string[];
  /** Programs a container of another image may run to be this app (`smbd`). */
  readonly commands?: readonly string[];
  /** A last check after the image matched: true, or why not (the next recipe is tried). */
  readonly accepts?: (input: RecipeInput) => true | string;
  /** The module's option prefix, dotted: `services.jellyfin`. */
  readonly module: string;
  /** More than one container may use the module (each gets its own part, e.g. a virtual host). Default: one. */
  readonly shared?: boolean;
  /** The unit the module runs the app as, and the settings of it that the old unit's lessons touch. */
  readonly unit: ModuleUnit;
  /** The system user and group the module runs the app as (for `chown`). */
  readonly user?: { readonly user: string; readonly group: string };
  /** Options set whenever the recipe applies (after `enable = true`). */
  readonly fixed?: Readonly<Record<string, unknown>>;
  readonly ports?: readonly PortRule[];
  readonly firewall?: FirewallRule;
  readonly volumes?: readonly VolumeRule[];
  /** Bind volumes no rule names are media libraries the app reads (their paths live in the app's database). */
  readonly mediaVolumes?: boolean;
  readonly environment?: readonly EnvRule[];
  /**
   * The option that takes an environment file of secrets (`secretsFile`,
   * `environmentFile`): secret `-e` values no rule drops go into one such
   * file outside the store. Default: the unit's serviceConfig.EnvironmentFile.
   */
  readonly secretsFile?: string;
  /** The container's command after the image: the options it may carry. */
  readonly args?: ArgsRule;
  readonly health?: HealthCheck;
  /** Containers of the same app the module runs itself (Immich's machine learning, database, cache). */
  readonly companions?: readonly Companion[];
  /** Migration steps beyond copying the state volumes, in order. */
  readonly steps?: readonly StepText[];
  /** What the module does differently from the container, for the report. */
  readonly differences?: readonly string[];
  /** What to set again inside the app after the move. */
  readonly reconfigure?: readonly string[];
  /** App-specific mapping the tables cannot express; it runs before the tables and may claim flags. */
  readonly extra?: (r: RecipeContext) => void;
}

/** A container that only ran a script shipped with the host: it becomes the script, built into the store. */
export interface ScriptRecipe {
  readonly kind: 'script';
  readonly app: string;
  readonly title: string;
  /** What the recipe looks for, for `nixport recipes`. */
  readonly detects: string;
  /** The script the container ran, when it is one this recipe writes. */
  readonly detect: (input: RecipeInput) => ShippedScript | undefined;
}

/** A forced command in authorized_keys that ran a container: it becomes the program from the store. */
export interface KeyRecipe {
  readonly kind: 'key';
  readonly app: string;
  readonly title: string;
  readonly images: readonly string[];
  /** The program the image runs as its entrypoint (`rrsync`); another image whose command is this matches too. */
  readonly program: string;
  /** The store path of the program: `pkgs.rrsync` + `/bin/rrsync`. */
  readonly attr: readonly string[];
  readonly bin: string;
  /** Program options that are no paths (`-ro`, `-wo`, `-no-del`): kept as written. */
  readonly options: readonly string[];
  /** The option that makes the program refuse writes, added when the container's volume was read-only. */
  readonly readOnlyOption?: string;
}

export interface ShippedScript {
  /** The host file the container ran (a write_files entry). */
  readonly file: HostFile;
  /** Where the container saw it (its command). */
  readonly containerPath: string;
  readonly language: 'perl';
}

export interface ModuleUnit {
  /** `jellyfin` for jellyfin.service. */
  readonly name: string;
  /**
   * Settings the module itself gives the unit and that the old unit's
   * restart lessons may change: `plain` definitions need `lib.mkForce`,
   * `default` ones (mkDefault) are overridden by a plain definition.
   * Keys: Restart, RestartSec (serviceConfig), startLimitIntervalSec, startLimitBurst, or
   * unitConfig.StartLimitIntervalSec / unitConfig.StartLimitBurst when the module writes
   * the start limit into unitConfig itself (the old unit's limit then goes there).
   */
  readonly sets?: Readonly<Record<string, { readonly value: string | number; readonly priority: 'plain' | 'default' }>>;
  /** Other units of the module (`samba-nmbd`), for the report. */
  readonly others?: readonly string[];
}

/** A container port the app listens on. */
export interface PortRule {
  readonly container: number;
  /** An image variable that moves the app to another container port (`WEBUI_PORT`); `container` when unset. */
  readonly containerEnv?: string;
  readonly protocol?: 'tcp' | 'udp';
  /** What it serves: `web UI`. */
  readonly what: string;
  /** The option that sets the port on the host; absent when the port is set inside the app. */
  readonly option?: string;
  /** The port the module listens on when the option is not set. */
  readonly port: number;
  /** The option that sets the listen address, and its default. */
  readonly address?: { readonly option: string; readonly default: string; readonly any: string };
}

/** The module's own `openFirewall`: used only when it opens nothing the old host kept closed. */
export interface FirewallRule {
  readonly option: string;
  readonly tcp: readonly (number | PortFromOption)[];
  readonly udp: readonly (number | PortFromOption)[];
}

/** A port the firewall option opens that is itself an option (`port`, default 2283). */
export interface PortFromOption {
  readonly option: string;
  readonly default: number;
}

export interface VolumeRule {
  /** The container path; a volume at or below it matches. */
  readonly target: string;
  /** Only for images whose repository starts with one of these (image layouts differ). */
  readonly images?: readonly string[];
  /** What the directory holds, for the report. */
  readonly holds: string;
  /** Options set from the host path (the volume's source). */
  readonly set?: Readonly<Record<string, (source: string) => string>>;
  /** Where the data lives natively: default, the value of the first option set (or `defaultDir`). */
  readonly at?: (source: string) => string;
  /**
   * Where the module keeps this data when no option is set (the copy step's
   * target). A named volume's data (in Docker's own directory) is copied
   * here too, and `set` is not applied.
   */
  readonly defaultDir?: string;
  /** Moves inside the state after copying, relative paths: from the old layout to the module's. */
  readonly moves?: readonly { readonly from: string; readonly to: string }[];
  /** The data is not kept: why (a cache, the time zone). */
  readonly drop?: string;
}

export interface EnvRule {
  /** The variable, or a pattern of names. */
  readonly name: string | RegExp;
  /**
   * The option the value goes to (`environment.*`: under the variable's own
   * name), or a function of the name (`secrets.database.PASSWD` from
   * `FORGEJO__database__PASSWD`; undefined: no option takes it), and how it is read.
   */
  readonly option?: string | ((name: string) => string | undefined);
  readonly value?: (text: string) => unknown;
  /** The value is a secret the option reads from a file: it goes to its own file outside the store, the option takes the path. */
  readonly file?: boolean;
  /** The value is secret whatever its name says (an API key in `HOMEPAGE_VAR_*`): it goes to the secrets file with the others. */
  readonly secret?: boolean;
  /** Why the module does not need it. */
  readonly drop?: string;
}

/** What the container's command after the image means. */
export interface ArgsRule {
  /** Words the module passes itself (`--foreground`), dropped. */
  readonly implied?: readonly string[];
  /** The program word(s) at the start (`/usr/sbin/smbd`), dropped: the module runs the program. */
  readonly programs?: readonly string[];
  /** The option (list of str) the other words go to, e.g. `smbd.extraArgs`. */
  readonly extraOption?: string;
}

export interface HealthCheck {
  /** The path on the app's HTTP port to probe. */
  readonly path: string;
  /** The port rule (container port) it answers on. */
  readonly port: number;
}

export interface Companion {
  /** `machine-learning`, `database`, `redis`. */
  readonly role: string;
  readonly images: readonly string[];
  /** Generic images (`redis`, `postgres`) count only when the main container names them in this variable (or by this default); a URL names its host. */
  readonly hostVariable?: { readonly name: string; readonly default: string };
  /** Options set when the companion ran. */
  readonly present?: Readonly<Record<string, unknown>>;
  /** Options set when it did not run (the module's default differs). */
  readonly absent?: Readonly<Record<string, unknown>>;
  readonly note: string;
  readonly steps?: readonly StepText[];
}

/**
 * A migration step's text. `{<role>.name}` and `{<role>.user}` are filled
 * from a companion container (its name; its POSTGRES_USER or the main
 * container's DB_USERNAME). `phase` places it: while the old containers
 * still run, or after the switch (default: with the old ones stopped).
 */
export interface StepText {
  readonly title: string;
  readonly detail: string;
  readonly phase?: 'running' | 'switched';
}

/** What a recipe reads: the container as the old host ran it. */
export interface RecipeInput {
  /** The image as run, and the repository it was built from (through `docker commit`). */
  readonly image: string;
  readonly reference?: ImageReference;
  readonly base?: ImageReference;
  /** The container's name on the old host. */
  readonly name: string;
  /** Other names containers reached it by: `--network-alias` (a Compose service's name), `--link` aliases. */
  readonly aliases?: readonly string[];
  readonly args: readonly string[];
  readonly entrypoint?: string;
  readonly ports: readonly PortSpec[];
  readonly volumes: readonly VolumeSpec[];
  /** `-e` values after expansion, in order (a later one wins). */
  readonly environment: ReadonlyMap<string, string>;
  readonly network?: string;
  /** Files the old host was provisioned with (write_files), by path. */
  readonly files: ReadonlyMap<string, HostFile>;
  readonly users: readonly User[];
  /** Lines of the old unit that prepared the container (`docker run` of a helper, `docker commit`). */
  readonly prepare: readonly Directive[];
}

/** What a recipe's `extra` may do while the engine applies it. */
export interface RecipeContext {
  readonly input: RecipeInput;
  /** The service (module file) name. */
  readonly service: string;
  /** Sets an option under the module (or a top-level one, see above). */
  set(option: string, value: unknown, comment?: string): void;
  /** Sets an option to a Nix expression (store paths, scripts). */
  setExpr(option: string, value: NixExpr, comment?: string): void;
  /** A flag the recipe mapped; the engine will not map it again. */
  claim(flag: DockerFlag, option: string, note?: string): void;
  /** A flag the recipe read but the module does not need. */
  drop(flag: DockerFlag, reason: string): void;
  /** A flag the recipe cannot express: reported with its origin, never silent. */
  unsupported(flag: DockerFlag, reason: string, hint?: string): void;
  /** A prepare line the recipe read (settled as carried into `option`). */
  consume(line: Directive, option: string, note?: string): void;
  /** Words of the container's command the recipe read. */
  claimArgs(count: number): void;
  report(severity: Severity, code: string, message: string, origin?: Origin, hint?: string): void;
  /** A migration step of this service, in order with the engine's; `phase` places it as StepText's does. */
  step(title: string, detail: string, phase?: StepText['phase']): void;
  /** A difference or a thing to re-configure, for the report. */
  difference(text: string): void;
  reconfigure(text: string): void;
  /** Ports the module opens itself; the firewall pass does not open them again. */
  firewallHandled(port: PortSpec): void;
  /** The container's `-e NAME` flag (the last one), to claim or drop it. */
  envFlag(name: string): DockerFlag | undefined;
  /**
   * A secret the recipe puts together (a JSON credentials file) or moves
   * alone: stored through the secrets store, outside the Nix store, and the
   * flags it came from are claimed by `option`. Returns the file's path on the host.
   */
  secretFile(spec: RecipeSecret): string;
  /** Whether the old host ran this companion (`database`) for the app: its container goes with the module. */
  hasCompanion(role: string): boolean;
}

export interface RecipeSecret {
  /** The file's name, made unique per service: `credentials.json`. */
  readonly name: string;
  /** Absent when the input did not hold the secret: the user writes the file (the report says so). */
  readonly content?: string;
  /** What reads it, for people: `transmission's credentialsFile`. */
  readonly purpose: string;
  /** The option that takes the path (relative to the module, as `set`); absent when the recipe puts the path into a larger value itself (a list entry). */
  readonly option?: string;
  /** The `-e` flags its value came from (none when it came from elsewhere: the command, a provisioned file). */
  readonly flags: readonly DockerFlag[];
}
