import { containerKey } from '../../model/container.ts';
import type { DockerFlag, PortSpec, VolumeSpec } from '../../model/docker.ts';
import { bool, list, int } from '../../nix/ast.ts';
import type { ContainerPlan, NativePlan, ServicePlan } from '../../plan/index.ts';
import { isLoopback } from '../../passes/firewall.ts';
import { environmentFile } from '../../passes/secrets/index.ts';
import { isSecretName } from '../../sources/docker/secrets.ts';
import type { EnvRule, ModuleRecipe, PortRule, VolumeRule } from '../../recipes/types.ts';
import { OWNER, type BuildContext } from '../context.ts';
import { originComment } from '../values.ts';
import { nativeFlag } from './flags.ts';
import { RecipeSession } from './session.ts';
import { migrationSteps, type StateMove } from './steps.ts';
import type { FirewallHandled, ServiceMigration } from './types.ts';
import { carryModuleUnit } from './unit.ts';

/**
 * Applies a module recipe to one container: `enable`, the recipe's own
 * mapping (`extra`), then its tables for ports, volumes and the
 * environment, then the generic fate of every other flag (flags.ts), the
 * old unit's lessons on the module's unit (unit.ts), and the migration
 * steps (steps.ts). Every flag and line of the container is settled here,
 * carried or reported with its origin.
 */
export function buildModuleService(service: ServicePlan, ctx: BuildContext, handled: FirewallHandled, renames: ReadonlyMap<string, string | undefined>): ServiceMigration {
  const plan = service.container!;
  const native = service.native!;
  const recipe = native.recipe as ModuleRecipe;
  const owner = OWNER.service(service.name);
  const s = new RecipeSession(ctx, owner, recipe, native.input, service.name, plan);
  s.companionRoles = new Set(native.companions?.keys() ?? []);
  const from = plan.unit ? `${plan.unit.name}, from ${originComment(plan.unit.item.origin)}` : `the container ${plan.name}, from ${originComment(plan.standalone!.item.origin)}`;
  ctx.tree.define(owner, [...s.base, 'enable'], bool(true), [`${from}: ${recipe.title}, as a NixOS module (the container ran ${plan.image}).`]);
  for (const [option, value] of Object.entries(recipe.fixed ?? {})) s.set(option, value);
  companionOptions(s, native);

  recipe.extra?.(s);
  const listening: Listening[] = [];
  mapPorts(s, listening);
  const state: StateMove[] = [];
  const media: VolumeSpec[] = [];
  mapVolumes(s, state, media);
  mapEnvironment(s, plan, ctx);
  mapArgs(s);
  mapOtherFlags(s, plan);
  firewall(s, plan, listening, handled, ctx);
  mediaNotes(s, media);

  const unitName = `${recipe.unit.name}.service`;
  carryModuleUnit({ ctx, s, plan, recipe, owner, renames, key: plan.unit?.name ?? containerKey(plan.standalone!) });
  settleRun(s, plan, ctx);

  const health = healthCommand(recipe, listening, s);
  return {
    service: service.name,
    app: recipe.app,
    target: recipe.module,
    unit: unitName,
    steps: migrationSteps({ service, recipe, input: native.input, state, session: s, unit: unitName, ...(health ? { health } : {}), companions: native.companions }),
    differences: [...(recipe.differences ?? []), ...s.differences],
    reconfigure: [...(recipe.reconfigure ?? []), ...s.reconfigures],
    ...(health ? { health } : {}),
  };
}

/** A port the app listens on natively, and the published port it replaces. */
interface Listening {
  readonly port: number;
  readonly protocol: 'tcp' | 'udp';
  readonly address?: string;
  readonly published?: PortSpec;
  readonly rule: PortRule;
}

/** Companions the module runs itself (machine learning), or does not (its default would start one). */
function companionOptions(s: RecipeSession, native: NativePlan): void {
  for (const companion of s.recipe.companions ?? []) {
    const present = native.companions?.has(companion.role) ?? false;
    const options = present ? companion.present : companion.absent;
    for (const [option, value] of Object.entries(options ?? {})) {
      s.set(option, value, present ? `The old host ran ${companion.role} as the container ${native.companions!.get(companion.role)!.input.name}.` : `The old host ran no ${companion.role} container.`);
    }
  }
}

function mapPorts(s: RecipeSession, listening: Listening[]): void {
  const rules = s.recipe.ports ?? [];
  if (s.input.network === 'host') {
    // Every port the app opened was reachable on the host's addresses, as it is natively.
    for (const rule of rules) {
      if (rule.address && rule.address.any !== rule.address.default && s.valueOf(rule.address.option) === undefined) {
        s.set(rule.address.option, rule.address.any, 'The container ran on the host network: reachable on every address, as before.');
      }
      listening.push({ port: portOf(s, rule), protocol: rule.protocol ?? 'tcp', rule });
    }
  }
  for (const p of s.input.ports) {
    if (s.claimed.has(p.flag)) {
      // Mapped by the recipe itself (a virtual host on the published port).
      const rule = rules.find((r) => containerPortOf(r, s.input) === p.containerPort.from && (r.protocol ?? 'tcp') === p.protocol);
      const bound = p.hostIp !== undefined && p.hostIp !== '0.0.0.0' && p.hostIp !== '::' ? p.hostIp : undefined;
      if (rule && p.hostPort) listening.push({ port: p.hostPort.from, protocol: p.protocol === 'udp' ? 'udp' : 'tcp', ...(bound ? { address: bound } : {}), published: p, rule });
      continue;
    }
    const rule = rules.find((r) => containerPortOf(r, s.input) === p.containerPort.from && (r.protocol ?? 'tcp') === p.protocol);
    if (!rule) {
      s.unsupported(p.flag, `container port ${p.containerPort.from}/${p.protocol} is not one the ${s.recipe.app} recipe knows; the app's ports are set in its own configuration`, 'open the port the app listens on in networking.firewall');
      continue;
    }
    if (!p.hostPort || p.hostPort.from !== p.hostPort.to || p.containerPort.from !== p.containerPort.to) {
      s.unsupported(p.flag, p.hostPort ? 'a port range' : 'Docker picked a random host port, which no module option can say', 'publish one port as HOST:CONTAINER');
      continue;
    }
    const hostPort = p.hostPort.from;
    let port = rule.port;
    if (rule.option) {
      if (hostPort !== rule.port) s.set(rule.option, hostPort, `Published as ${p.raw} on the old host.`);
      port = hostPort;
    } else if (hostPort !== rule.port) {
      s.difference(`${rule.what} was published on port ${hostPort}; the app listens on ${rule.port} (set inside the app, not by NixOS): clients must use ${rule.port}, or change it in the app`);
    }
    const bound = p.hostIp !== undefined && p.hostIp !== '0.0.0.0' && p.hostIp !== '::' && p.hostIp !== '[::]' ? p.hostIp : undefined;
    if (rule.address) {
      const address = bound ?? rule.address.any;
      if (address !== rule.address.default) s.set(rule.address.option, address, bound ? `The old container was bound to ${bound}.` : 'Published on every address of the old host.');
    } else if (bound !== undefined && !isLoopback(bound)) {
      s.report(
        'error',
        'native/bind-address',
        `${s.service}: \`${p.flag.item.label}\` was bound to ${bound}; ${s.recipe.module} has no option for the listen address, so the app listens on every address`,
        p.flag.item.origin,
        `open the port only on that interface (networking.firewall.interfaces.<name>.allowed${p.protocol.toUpperCase()}Ports), or set the address inside the app`,
      );
    }
    s.claim(p.flag, s.optionName(rule.option ?? 'enable'), `${rule.what}${rule.option ? '' : `: the module listens on ${rule.port}`}`);
    listening.push({ port, protocol: p.protocol === 'udp' ? 'udp' : 'tcp', ...(bound ? { address: bound } : {}), published: p, rule });
  }
}

/** The container port the app listened on: the image variable's value (`WEBUI_PORT=8090`), or the rule's port. */
function containerPortOf(rule: PortRule, input: RecipeSession['input']): number {
  const set = rule.containerEnv === undefined ? undefined : Number(input.environment.get(rule.containerEnv));
  return set !== undefined && Number.isInteger(set) && set > 0 ? set : rule.container;
}

function portOf(s: RecipeSession, rule: PortRule): number {
  const set = rule.option ? s.valueOf(rule.option) : undefined;
  return typeof set === 'number' ? set : rule.port;
}

function mapVolumes(s: RecipeSession, state: StateMove[], media: VolumeSpec[]): void {
  for (const v of s.input.volumes) {
    if (s.claimed.has(v.flag)) continue;
    if (v.kind === 'tmpfs') {
      s.drop(v.flag, 'a tmpfs of the container; the module\'s unit has its own private /tmp and runtime directory');
      continue;
    }
    const rule = volumeRule(s, v);
    if (rule?.drop !== undefined) {
      s.drop(v.flag, rule.drop);
      continue;
    }
    const source = v.kind === 'bind' ? v.source : v.kind === 'volume' ? `/var/lib/docker/volumes/${v.source ?? ''}/_data` : undefined;
    if (rule && source !== undefined) {
      const options: string[] = [];
      // A named volume lived in Docker's own directory: its data moves to where the module keeps it by default.
      const sets = v.kind === 'volume' && rule.defaultDir !== undefined ? {} : (rule.set ?? {});
      for (const [option, derive] of Object.entries(sets)) {
        s.set(option, derive(source), `${v.target} of the old container (${v.raw}): ${rule.holds}.`);
        options.push(option);
      }
      const target = (options.length > 0 ? rule.at?.(source) : undefined) ?? (options.length > 0 ? String(s.valueOf(options[0]!)) : rule.defaultDir ?? rule.at?.(source) ?? source);
      state.push({ rule, source, target, volume: v });
      s.claim(v.flag, options.length > 0 ? s.optionName(options[0]!) : s.optionName('enable'), `${rule.holds}${options.length === 0 ? `; the module keeps it in ${target}` : ''}`);
      if (v.kind === 'volume') s.difference(`the named volume ${v.source} was Docker's (${source}); its data moves to ${target}`);
      continue;
    }
    if (s.recipe.mediaVolumes && v.kind === 'bind' && v.source !== undefined) {
      media.push(v);
      continue;
    }
    if (v.kind === 'anonymous') {
      s.unsupported(v.flag, `an anonymous volume at ${v.target}: its data lived only in Docker's volume directory`, 'copy it from /var/lib/docker/volumes/<id>/_data if the app needs it');
      continue;
    }
    s.unsupported(v.flag, `the ${s.recipe.app} recipe does not know what ${v.target} holds`, `the app now sees the host directly: point it at ${v.source ?? 'the data'} in its settings, or add a systemd.services.${s.recipe.unit.name}.serviceConfig.BindPaths entry`);
  }
}

function volumeRule(s: RecipeSession, v: VolumeSpec): VolumeRule | undefined {
  const image = s.input.base ?? s.input.reference;
  return (s.recipe.volumes ?? []).find((r) => {
    if (v.target !== r.target && !v.target.startsWith(`${r.target.replace(/\/+$/, '')}/`)) return false;
    return r.images === undefined || r.images.some((prefix) => imagePrefix(prefix, image?.name));
  });
}

/** `lscr.io/linuxserver/` or `linuxserver/` (Docker Hub) against a fully qualified repository name. */
function imagePrefix(prefix: string, name: string | undefined): boolean {
  if (name === undefined) return false;
  const first = prefix.split('/')[0]!;
  const qualified = first.includes('.') || first.includes(':') ? prefix : `docker.io/${prefix}`;
  return name.startsWith(qualified);
}

/** Media libraries (post, N4): their paths live in the app's database; the old container paths must be re-pointed or bound. */
function mediaNotes(s: RecipeSession, media: readonly VolumeSpec[]): void {
  if (media.length === 0) return;
  const moved = media.filter((v) => v.source !== v.target);
  // What the container could only read, the service can only read: systemd's ReadOnlyPaths= keeps invariant 4.
  const readOnly = media.filter((v) => v.readOnly).map((v) => v.source!);
  const readOnlyOption = `systemd.services.${s.recipe.unit.name}.serviceConfig.ReadOnlyPaths`;
  if (readOnly.length > 0) s.set(readOnlyOption, [...new Set(readOnly)], 'Mounted read-only into the old container: the service may read these, never write them.');
  for (const v of media) {
    if (v.readOnly) s.claim(v.flag, s.optionName(readOnlyOption), `a media library: the app reads ${v.source}, read-only as before (the module's user needs read access)`);
    else s.claim(v.flag, s.optionName('enable'), `a media library: the app reads ${v.source}`);
  }
  if (moved.length === 0) return;
  const key = moved.map((v) => `${v.target} → ${v.source}`).join(', ');
  // Bind each old path as it was mounted: a library the app writes to (sonarr moves files in) must stay writable.
  const bindOption = (readOnly: boolean) => {
    const list = moved.filter((v) => v.readOnly === readOnly).map((v) => `"${v.source}:${v.target}"`);
    return list.length === 0 ? [] : [`systemd.services.${s.recipe.unit.name}.serviceConfig.${readOnly ? 'BindReadOnlyPaths' : 'BindPaths'} = [ ${list.join(' ')} ]`];
  };
  const binds = [...bindOption(true), ...bindOption(false)].join(' and ');
  s.report(
    'warning',
    'native/media-paths',
    `${s.service}: the libraries in ${s.recipe.app}'s database name the old container paths (${key}); natively the app sees the host paths`,
    moved[0]!.flag.item.origin,
    `re-point each library to its host path in the app, or keep the old paths with ${binds}`,
  );
  s.reconfigure(`Re-point the media libraries from the container paths to the host paths: ${key} (or bind the old paths into the unit, see the warning)`);
}

const LINUXSERVER_IDS = /^(PUID|PGID|UMASK|UMASK_SET|DOCKER_MODS|S6_.*)$/;

function mapEnvironment(s: RecipeSession, plan: ContainerPlan, ctx: BuildContext): void {
  const rules = s.recipe.environment ?? [];
  const secrets: { readonly name: string; readonly value: string; readonly flag: DockerFlag }[] = [];
  for (const flag of plan.invocation.flags) {
    if (flag.name !== '--env' || s.claimed.has(flag) || s.isSettled(flag)) continue;
    const text = plan.values.get(flag) ?? flag.value ?? '';
    const eq = text.indexOf('=');
    const name = eq < 0 ? text : text.slice(0, eq);
    const value = eq < 0 ? s.input.environment.get(name) : text.slice(eq + 1);
    const rule = rules.find((r) => (typeof r.name === 'string' ? r.name === name : r.name.test(name)));
    if (rule?.drop !== undefined) {
      s.drop(flag, rule.drop);
    } else if (rule?.file && value !== undefined && value !== '') {
      const option = envOption(rule, name);
      if (option !== undefined) s.secretFile({ name: name.toLowerCase(), content: value, purpose: `${name} of ${s.service}`, option, flags: [flag] });
      else s.unsupported(flag, `a secret no option of ${s.recipe.module} reads (the app does not read the variable natively)`, 'put it into the app\'s configuration by hand, from a file outside the Nix store');
    } else if ((isSecretName(name) || ctx.analysis.secrets.flags.has(flag) || rule?.secret === true) && value !== undefined && value !== '') {
      secrets.push({ name, value, flag });
    } else if (rule) {
      envByRule(s, flag, rule, name, value);
    } else if (name === 'TZ') {
      s.drop(flag, 'the host\'s time zone (time.timeZone) applies to the service');
      if (value !== undefined) s.difference(`the container's TZ=${value}: the app follows the host's time zone now (time.timeZone)`);
    } else if (LINUXSERVER_IDS.test(name)) {
      s.drop(flag, `container-image machinery: the module runs the app as ${s.recipe.user ? `\`${s.recipe.user.user}\`` : 'its own user'}`);
    } else if (value === undefined) {
      s.unsupported(flag, `\`-e ${name}\` passed a value of the old docker command's environment, which nixport does not know`, `set it in systemd.services.${s.recipe.unit.name}.environment`);
    } else {
      s.set(`systemd.services.${s.recipe.unit.name}.environment.${name}`, value);
      s.claim(flag, s.optionName(`systemd.services.${s.recipe.unit.name}.environment`), 'passed to the app as before; check the app still reads it natively');
    }
  }
  if (secrets.length > 0) secretEnvironment(s, secrets, ctx);
}

/**
 * Secret `-e` values (invariant 3): one environment file outside the store
 * (the secrets store decides where, by --secrets), read by the module's
 * secret-file option or the unit's EnvironmentFile.
 */
function secretEnvironment(s: RecipeSession, secrets: readonly { readonly name: string; readonly value: string; readonly flag: DockerFlag }[], ctx: BuildContext): void {
  const unit = `${s.recipe.unit.name}.service`;
  const findings = secrets.map((x) => ctx.analysis.secrets.flags.get(x.flag)).filter((f) => f !== undefined);
  const file = ctx.secrets.add({
    name: `${s.service}.env`,
    content: environmentFile('systemd-env', secrets) ?? '',
    format: 'systemd-env',
    purpose: `the environment of ${unit}`,
    restartUnits: [unit],
    findings,
    origin: secrets[0]!.flag.item.origin,
  });
  const option = s.recipe.secretsFile ?? `systemd.services.${s.recipe.unit.name}.serviceConfig.EnvironmentFile`;
  s.set(option, s.recipe.secretsFile ? file.path : [file.path], `${secrets.map((x) => x.name).join(', ')}: secrets, read from a file outside the Nix store.`);
  const name = s.optionName(option);
  for (const x of secrets) {
    s.claim(x.flag, name, `the value went to ${file.path}, outside the Nix store`);
    const finding = ctx.analysis.secrets.flags.get(x.flag);
    if (finding) ctx.secrets.moved(finding, name, file);
  }
  s.difference(`${secrets.map((x) => x.name).join(', ')} ${secrets.length === 1 ? 'is' : 'are'} read from ${file.path} (a secret file, not the configuration); check the app reads ${secrets.length === 1 ? 'it' : 'them'} natively under the same name`);
}

function envByRule(s: RecipeSession, flag: DockerFlag, rule: EnvRule, name: string, value: string | undefined): void {
  if (rule.drop !== undefined) {
    s.drop(flag, rule.drop);
    return;
  }
  const option = envOption(rule, name);
  if (option === undefined) {
    s.unsupported(flag, `\`-e ${name}\` has no option in ${s.recipe.module}`, `set it in systemd.services.${s.recipe.unit.name}.environment if the app reads it`);
    return;
  }
  if (value === undefined) {
    s.unsupported(flag, `\`-e ${name}\` has no value nixport knows`);
    return;
  }
  s.set(option, rule.value ? rule.value(value) : value);
  s.claim(flag, s.optionName(option));
}

/** The option a variable goes to: `environment.*` names it after the variable; a function decides. */
function envOption(rule: EnvRule, name: string): string | undefined {
  if (typeof rule.option === 'function') return rule.option(name);
  if (rule.option === undefined) return undefined;
  return rule.option.endsWith('.*') ? `${rule.option.slice(0, -2)}.${JSON.stringify(name)}` : rule.option;
}

/** The container's command: the program the module runs itself, the words it passes itself, the rest as extra arguments. */
function mapArgs(s: RecipeSession): void {
  const words = s.input.args.slice(s.argsClaimed);
  if (words.length === 0) return;
  const rule = s.recipe.args;
  const rest = [...words];
  if (rule?.programs && rest[0] !== undefined && rule.programs.includes(rest[0])) rest.shift();
  const kept = rest.filter((w) => !(rule?.implied ?? []).includes(w));
  if (kept.length === 0) return;
  if (rule?.extraOption) {
    s.set(rule.extraOption, kept, 'The old container\'s command line, beyond what the module passes itself.');
    return;
  }
  s.report('warning', 'native/command', `${s.service}: the container's command \`${kept.join(' ')}\` is not carried: ${s.recipe.module} runs the app itself`, undefined, 'carry what it set into the module\'s options by hand');
}

function mapOtherFlags(s: RecipeSession, plan: ContainerPlan): void {
  for (const flag of plan.invocation.flags) {
    if (flag.word < plan.invocation.verbWord || s.claimed.has(flag) || s.isSettled(flag)) continue;
    if (flag.name === '--restart' || flag.name === '--publish' || flag.name === '--volume' || flag.name === '--mount' || flag.name === '--tmpfs' || flag.name === '--env') continue;
    if (flag.name === '--network') {
      networkFlag(s, flag);
      continue;
    }
    const fate = nativeFlag(flag.name);
    if (!fate) s.unsupported(flag, `a container setting the ${s.recipe.app} recipe cannot express`, `add its equivalent to systemd.services.${s.recipe.unit.name}.serviceConfig if the app needs it`);
    else if (fate.fate === 'dropped') s.drop(flag, fate.reason);
    else s.unsupported(flag, fate.reason, fate.hint?.replace('<unit>', s.recipe.unit.name));
  }
}

function networkFlag(s: RecipeSession, flag: DockerFlag): void {
  const network = flag.value ?? '';
  if (network === 'host') s.drop(flag, 'the app runs in the host\'s network, as the container did');
  else if (network === 'bridge' || network === 'default') s.drop(flag, 'no container network: the app listens on the host\'s addresses');
  else if (network === 'none') s.unsupported(flag, 'the container had no network; the app has the host\'s', `set systemd.services.${s.recipe.unit.name}.serviceConfig.PrivateNetwork = true if it must stay offline`);
  else {
    s.drop(flag, `no container network: other containers on ${network} reached it by name; natively it is the host's address (or localhost)`);
    s.difference(`the container was on the network ${network}; whatever reached it by its container name must use the host's address now`);
  }
}

/**
 * The module's own openFirewall, when it opens nothing the old host kept
 * closed (a host-network container had everything reachable; a published
 * container only its ports); the passes' entries it covers are not opened
 * again. Ports the app listens on elsewhere than it was published are
 * opened explicitly, and the stale entry goes.
 */
function firewall(s: RecipeSession, plan: ContainerPlan, listening: readonly Listening[], handled: FirewallHandled, ctx: BuildContext): void {
  const key = plan.unit?.name ?? containerKey(plan.standalone!);
  const old = ctx.analysis.firewall.ports.filter((p) => p.unit === key);
  const hostNetwork = ctx.analysis.firewall.hostNetwork.some((h) => h.unit === key);
  const rule = s.recipe.firewall;
  const resolve = (ports: readonly (number | { option: string; default: number })[]) => ports.map((p) => (typeof p === 'number' ? p : (s.valueOf(p.option) as number | undefined) ?? p.default));
  const moduleTcp = rule ? resolve(rule.tcp) : [];
  const moduleUdp = rule ? resolve(rule.udp) : [];
  // Reachable before: on the host network, or published (not on loopback: the firewall pass opened those).
  const reachable = (port: number, protocol: 'tcp' | 'udp') => hostNetwork || old.some((o) => o.protocol === protocol && o.from <= port && port <= o.to);
  const fits = rule !== undefined && [...moduleTcp.map((p) => [p, 'tcp'] as const), ...moduleUdp.map((p) => [p, 'udp'] as const)].every(([p, proto]) => reachable(p, proto));
  const opened = (port: number, protocol: 'tcp' | 'udp') => fits && (protocol === 'tcp' ? moduleTcp : moduleUdp).includes(port);
  if (fits) {
    s.set(rule.option, true, hostNetwork ? 'The container ran on the host network, so these ports were reachable; the module opens them.' : 'Opens exactly the ports the old container published.');
    if (hostNetwork) handled.hostNetwork.add(key);
  } else if (rule && hostNetwork) {
    handled.hostNetwork.add(key);
  }
  for (const o of old) {
    const l = listening.find((x) => x.published && x.published.hostPort?.from === o.from && x.protocol === o.protocol);
    const nowAt = l?.port;
    if (opened(o.from, o.protocol) && o.from === o.to) handled.ports.add(o);
    else if (nowAt !== undefined && nowAt !== o.from) handled.ports.add(o);
  }
  for (const l of listening) {
    if (!l.published || opened(l.port, l.protocol)) continue;
    if (l.published.hostPort?.from === l.port) continue; // the firewall pass opens it, as before
    ctx.tree.define(s.owner, ['networking', 'firewall', `allowed${l.protocol.toUpperCase()}Ports`], list([int(l.port)]), [`${s.recipe.app} listens on ${l.port}/${l.protocol} (it was published as ${l.published.raw}).`]);
  }
  if (!fits && rule && hostNetwork) {
    s.report('info', 'native/firewall', `${s.service}: the container ran on the host network; open the ports ${s.recipe.app} listens on in networking.firewall`, undefined, `${s.recipe.module}.${rule.option} opens ${[...moduleTcp.map((p) => `${p}/tcp`), ...moduleUdp.map((p) => `${p}/udp`)].join(', ')}`);
  }
}

/** The run line: carried as the module; any flag still open is reported (never silent). */
function settleRun(s: RecipeSession, plan: ContainerPlan, ctx: BuildContext): void {
  const item = plan.run?.item ?? plan.standalone!.item;
  for (const flag of plan.invocation.flags) {
    if (!ctx.ledger.fate(flag.item) && !s.claimed.has(flag)) s.unsupported(flag, 'nixport has no mapping for it in a NixOS module');
  }
  ctx.ledger.carriedTree(item, s.optionName('enable'), `the ${s.recipe.app} module runs the app as ${s.recipe.unit.name}.service`);
}

function healthCommand(recipe: ModuleRecipe, listening: readonly Listening[], s: RecipeSession): string | undefined {
  const health = recipe.health;
  if (!health) return undefined;
  const l = listening.find((x) => x.rule.container === health.port);
  const port = l?.port ?? recipe.ports?.find((r) => r.container === health.port)?.port ?? health.port;
  const configured = recipe.ports?.find((r) => r.container === health.port)?.address;
  const set = configured ? (s.valueOf(configured.option) as string | undefined) : undefined;
  let address = l?.address ?? set ?? '127.0.0.1';
  if (address === '0.0.0.0' || address === '' || address === 'localhost') address = '127.0.0.1';
  if (address === '::' || address === '[::]') address = '[::1]';
  if (address.includes(':') && !address.startsWith('[')) address = `[${address}]`;
  return `curl -fsS http://${address}:${port}${health.path}`;
}
