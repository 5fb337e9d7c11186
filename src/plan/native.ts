import type { StandaloneContainer } from '../model/container.ts';
import type { DockerInvocation, PortSpec, VolumeSpec } from '../model/docker.ts';
import type { Host, HostFile } from '../model/host.ts';
import type { Ledger } from '../model/ledger.ts';
import { directivesOf, type Unit } from '../model/unit.ts';
import { RECIPES } from '../recipes/index.ts';
import { closestRecipes, imageMatches, matchModuleRecipe } from '../recipes/match.ts';
import type { Companion, ModuleRecipe, RecipeInput, ScriptRecipe, ShippedScript } from '../recipes/types.ts';
import { parseImageReference, type ImageReference } from '../sources/docker/image-ref.ts';
import { parsePortSpec } from '../sources/docker/ports.ts';
import { flagsNamed, globalFlags } from '../sources/docker/query.ts';
import { parseVolumeFlag } from '../sources/docker/volumes.ts';
import { classifyStep } from './housekeeping.ts';
import { environmentOf, expandAll, unitContainerPlan, writtenName } from './oci.ts';
import type { ContainerPlan, PlannedStep } from './types.ts';

/**
 * Stage 3: whether a service's container can become a NixOS module, and
 * through which recipe. The unit must run one container (as for stage 2),
 * but lines that prepared it (a helper container, `docker commit`) do not
 * stand in the way: the recipe reads what they did, and whatever it cannot
 * read is reported. The image a committed container came from counts for
 * matching (`smb-prepared`, committed from `stapelberg/docker-samba`).
 */

export interface NativePlan {
  readonly recipe: ModuleRecipe | ScriptRecipe;
  /** How the recipe matched: `image docker.io/library/nginx`. */
  readonly by: string;
  readonly input: RecipeInput;
  /** Script recipes: the script the container ran. */
  readonly script?: ShippedScript;
  /** A companion container (Immich's database): the module of another service runs it. */
  readonly companionOf?: { readonly service: string; readonly role: string };
  /** The companions this service's module absorbed, by role: the service, its unit (if it had one) and its container. */
  readonly companions?: ReadonlyMap<string, { readonly service: string; readonly unit?: string; readonly input: RecipeInput }>;
}

export type NativeVerdict =
  | { readonly ok: true; readonly container: ContainerPlan; readonly native: NativePlan }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly container: boolean;
      /** When a container was found but no recipe takes it: what a companion check reads, and the nearest recipes. */
      readonly input?: RecipeInput;
      readonly plan?: ContainerPlan;
      readonly closest?: readonly string[];
    };

/** A unit group's container, planned for a recipe. */
export function planUnitNative(units: readonly Unit[], host: Host, ledger: Ledger): NativeVerdict {
  const found = unitContainer(units, ledger);
  if (!found.ok) return found;
  return withRecipe(found.plan, host);
}

/** A container without a unit (script, `--docker-run`, `docker inspect`). */
export function planStandaloneNative(container: StandaloneContainer, host: Host): NativeVerdict {
  const docker = container.invocation;
  const plan: ContainerPlan = {
    name: container.name,
    invocation: docker,
    image: docker.image ?? '',
    args: docker.args,
    values: new Map(),
    steps: [],
    activators: [],
    environment: new Map(),
    standalone: container,
  };
  return withRecipe(plan, host);
}

function withRecipe(plan: ContainerPlan, host: Host): NativeVerdict {
  const input = recipeInput(plan, host);
  const match = matchModuleRecipe(RECIPES, input);
  if ('recipe' in match) return { ok: true, container: plan, native: { recipe: match.recipe, by: match.by, input } };
  for (const recipe of RECIPES) {
    if (recipe.kind !== 'script') continue;
    const script = recipe.detect(input);
    if (script) return { ok: true, container: plan, native: { recipe, by: `it runs ${script.file.path} from write_files`, input, script } };
  }
  const rejected = match.rejected.length > 0 ? ` (${match.rejected.join('; ')})` : '';
  return { ok: false, reason: `no recipe converts the image \`${plan.image}\`${rejected}`, container: true, input, plan, closest: closestRecipes(RECIPES.filter((r) => r.kind === 'module'), input.base?.name ?? plan.image) };
}

/**
 * The container a unit runs, as stage 2 reads it, except that lines doing
 * more than housekeeping are kept for the recipe (`prepare`) or carried
 * onto the native unit (programs other than docker).
 */
function unitContainer(units: readonly Unit[], ledger: Ledger): { readonly ok: true; readonly plan: ContainerPlan } | { readonly ok: false; readonly reason: string; readonly container: boolean } {
  const no = (reason: string, container = true) => ({ ok: false as const, reason, container });
  const services = units.filter((u) => u.type === 'service');
  const owner = services[0];
  if (!owner || !owner.directives.some((d) => d.exec?.docker)) return no('it runs no container (a plain systemd unit)', false);
  if (services.length > 1) return no('it groups several services');
  if (owner.name.includes('@')) return no('a template unit runs one container per instance');
  if (owner.activation.mask?.value) return no('the unit is masked');
  if (!owner.hasBody) return no('only drop-ins were given: they amend a unit the old OS shipped');
  const socket = units.find((u) => u.type === 'socket');
  if (socket) return no(`${socket.name} hands a socket to the unit, which the module's own unit cannot take over`);

  const starts = directivesOf(owner, 'Service', 'ExecStart').filter((d) => (d.exec?.words.length ?? 0) > 0);
  if (starts.length !== 1) return no(`it has ${starts.length} ExecStart= lines; a container's unit has one`);
  const run = starts[0]!;
  const docker = run.exec?.docker;
  if (!docker) return no('its ExecStart= runs docker inside another command (a shell, a wrapper)');
  if (docker.verb !== 'run') return no(`its ExecStart= runs \`docker ${docker.verb}\`, not \`docker run\``);
  if (globalFlags(docker)[0]) return no(`its \`docker run\` talks to another Docker daemon (${globalFlags(docker)[0]!.spelled})`);
  if (docker.image === undefined) return no('its `docker run` names no image');
  for (const flag of docker.flags) {
    const fate = ledger.fate(flag.item);
    if (fate?.kind === 'unsupported') return no(`\`${flag.item.label}\` could not be read (${fate.reason})`);
  }

  const environment = environmentOf(owner);
  const expanded = expandAll(docker, environment, owner.name);
  if ('reason' in expanded) return no(expanded.reason);
  const written = writtenName(docker, expanded.values);
  const steps: PlannedStep[] = [];
  for (const d of owner.directives) {
    if (!d.exec || d === run || d.exec.words.length === 0) continue;
    const c = classifyStep(d, { invocation: docker, ...(written !== undefined ? { name: written } : {}), image: expanded.image, networks: [], backend: 'docker' });
    if (!('blocked' in c)) steps.push({ directive: d, role: c.role === 'network' ? 'housekeeping' : c.role, reason: c.reason });
    else if (d.exec.docker) steps.push({ directive: d, role: 'prepare', reason: c.blocked });
    else steps.push({ directive: d, role: 'carried', reason: 'a program of the host, kept on the native unit' });
  }
  return { ok: true, plan: unitContainerPlan({ units, owner, run, docker, expanded, environment, steps, written }) };
}

/** What the recipe reads, from a planned container. */
export function recipeInput(plan: ContainerPlan, host: Host): RecipeInput {
  const docker = plan.invocation;
  const reference = parseImageReference(plan.image);
  const base = committedFrom(plan, reference);
  const value = (flag: { readonly value?: string } & object) => plan.values.get(flag as never) ?? flag.value;
  const ports = docker.ports.map((p): PortSpec => {
    const v = value(p.flag);
    if (v === undefined || v === p.raw) return p;
    const parsed = parsePortSpec(v);
    return parsed.ok ? { ...parsed.port, flag: p.flag } : p;
  });
  const volumes = docker.volumes.map((x): VolumeSpec => {
    const v = value(x.flag);
    if (v === undefined || v === x.raw || x.flag.name !== '--volume') return x;
    const parsed = parseVolumeFlag(v);
    return parsed.ok ? { ...parsed.volume, flag: x.flag } : x;
  });
  const environment = new Map<string, string>();
  for (const flag of flagsNamed(docker, '--env')) {
    const text = value(flag) ?? '';
    const eq = text.indexOf('=');
    if (eq > 0) environment.set(text.slice(0, eq), text.slice(eq + 1));
    else {
      const known = plan.environment.get(text);
      if (known !== undefined) environment.set(text, known);
    }
  }
  const entrypoint = flagsNamed(docker, '--entrypoint').at(-1);
  const files = new Map<string, HostFile>();
  for (const f of host.files) files.set(f.path, f);
  return {
    image: plan.image,
    ...(reference ? { reference } : {}),
    ...(base ? { base } : {}),
    name: plan.name,
    aliases: flagsNamed(docker, '--network-alias').map((f) => value(f) ?? '').filter((a) => a !== ''),
    args: plan.args,
    ...(entrypoint ? { entrypoint: value(entrypoint) ?? '' } : {}),
    ports,
    volumes,
    environment,
    ...(docker.network !== undefined ? { network: docker.network } : {}),
    files,
    users: host.users,
    prepare: plan.steps.filter((s) => s.role === 'prepare').map((s) => s.directive),
  };
}

/**
 * The repository a committed image came from: `docker run --name X IMAGE`
 * then `docker commit X TARGET` makes TARGET come from IMAGE (and from
 * whatever IMAGE came from), in the order the unit ran them.
 */
function committedFrom(plan: ContainerPlan, reference: ImageReference | undefined): ImageReference | undefined {
  const origin = new Map<string, string>();
  const ranImage = new Map<string, string>();
  const resolve = (image: string) => origin.get(image) ?? image;
  for (const step of plan.steps) {
    const docker: DockerInvocation | undefined = step.directive.exec?.docker;
    if (!docker) continue;
    if (docker.verb === 'run' && docker.containerName !== undefined && docker.image !== undefined) {
      ranImage.set(docker.containerName.replace(/^\//, ''), resolve(docker.image));
    } else if (docker.verb === 'commit' && docker.args.length >= 2) {
      const from = ranImage.get(docker.args[0]!.replace(/^\//, ''));
      if (from !== undefined) origin.set(docker.args[1]!, from);
    }
  }
  const base = origin.get(plan.image);
  if (base === undefined) return undefined;
  const ref = parseImageReference(base);
  return ref && ref.name !== reference?.name ? ref : undefined;
}

/**
 * Companions: another service's container that the module of a native
 * service runs itself (Immich's machine learning, database and Redis).
 * Specific images count always; generic ones (`redis`, `postgres`) only
 * when the main container names them in its host variable.
 */
export function companionRole(main: NativePlan, other: RecipeInput): Companion | undefined {
  if (main.recipe.kind !== 'module') return undefined;
  for (const companion of main.recipe.companions ?? []) {
    if (!imageMatches(companion.images, other.reference) && !imageMatches(companion.images, other.base)) continue;
    if (companion.hostVariable && !isSpecific(companion, other)) {
      const named = main.input.environment.get(companion.hostVariable.name) ?? companion.hostVariable.default;
      const host = hostNamed(named);
      if (host !== other.name && !(other.aliases ?? []).includes(host)) continue;
    }
    return companion;
  }
  return undefined;
}

/**
 * The host a host variable names: the variable itself (`DB_HOSTNAME=db`),
 * the host of a URL (`PAPERLESS_REDIS=redis://broker:6379`,
 * `DATABASE_URL=postgres://u:p@db/miniflux`) or of a libpq key-value
 * string (`host=db dbname=miniflux`).
 */
export function hostNamed(value: string): string {
  const url = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(value);
  if (url) return url[1]!;
  const keyValue = /(?:^|\s)host=(\S+)/.exec(value);
  return keyValue ? keyValue[1]! : value;
}

/** An image of the companion list that only this app uses (its first entries, before the generic ones). */
function isSpecific(companion: Companion, other: RecipeInput): boolean {
  const generic = new Set(['postgres', 'redis', 'valkey/valkey', 'bitnami/redis']);
  return companion.images.filter((i) => !generic.has(i)).some((i) => imageMatches([i], other.reference) || imageMatches([i], other.base));
}
