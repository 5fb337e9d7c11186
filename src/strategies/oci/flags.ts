import type { DockerFlag, VolumeSpec } from '../../model/docker.ts';
import type { Ledger } from '../../model/ledger.ts';
import type { Backend, ContainerPlan } from '../../plan/types.ts';
import { ociFlag, ociMapping, type OciOption } from '../../sources/docker/oci-flags.ts';
import { parsePortSpec } from '../../sources/docker/ports.ts';
import { parseBool } from '../../sources/docker/scan.ts';
import { optionName, optionSegment } from '../context.ts';
import type { SecretFinding } from '../../model/secret.ts';
import { isSecretAssignment, scanFormats } from '../../passes/secrets/index.ts';

/**
 * A container's `docker run` flags, read into virtualisation.oci-containers
 * options by the table in src/sources/docker/oci-flags.ts. Every flag item
 * is settled here: carried at the option it went to, or dropped with the
 * table's reason. The result is plain data; container.ts writes it.
 */
export interface MappedContainer {
  readonly image: string;
  readonly cmd: readonly string[];
  entrypoint?: string;
  /** In order; a later value of a name wins, as with `-e`. */
  readonly environment: Map<string, string>;
  readonly environmentFiles: string[];
  readonly ports: string[];
  readonly volumes: string[];
  user?: string;
  workdir?: string;
  hostname?: string;
  readonly labels: Map<string, string>;
  readonly networks: string[];
  privileged: boolean;
  readonly capabilities: Map<string, boolean>;
  readonly devices: string[];
  logDriver?: string;
  pull?: string;
  /** Why the pull policy is what it is, when it came from the unit's `docker pull`. */
  pullComment?: string;
  autoRemoveOnStop?: boolean;
  /** podman's `--sdnotify`, where it is not the module's default. */
  sdnotify?: string;
  readonly extraOptions: string[];
  /** `--restart`, for the unit's Restart= where the unit says nothing. */
  restart?: { readonly value: string; readonly flag: DockerFlag };
  /** `--stop-timeout`: the unit must wait at least this long for `docker stop`. */
  stopTimeout?: number;
  /** Containers this one needs running or existing (`--link`, `--volumes-from`, `--network container:X`). */
  readonly needs: { readonly name: string; readonly flag: DockerFlag }[];
  /** `-e NAME=value` holding a secret: they go to an environment file, not the store. */
  readonly secrets: { readonly name: string; readonly value: string; readonly flag: DockerFlag; readonly finding?: SecretFinding }[];
  /** `-e NAME` passed from the unit's environment (EnvironmentFile=). */
  readonly passedThrough: { readonly name: string; readonly flag: DockerFlag }[];
  /** Named volumes (`-v data:/x`, `--mount type=volume,src=data`). */
  readonly namedVolumes: VolumeSpec[];
}

export interface MapContext {
  readonly plan: ContainerPlan;
  readonly backend: Backend;
  readonly ledger: Ledger;
  /** The container's option path, `virtualisation.oci-containers.containers.<name>`. */
  readonly base: readonly string[];
  /** Whether `-e NAME` can still be passed from the unit's environment (a unit with EnvironmentFile=). */
  readonly unitEnvironment: boolean;
  /** The secrets pass's verdict on `-e NAME=value` flags; without it, the name and value decide. */
  readonly secretFlags?: ReadonlyMap<DockerFlag, SecretFinding>;
}

export function mapFlags(ctx: MapContext): MappedContainer {
  const { plan, ledger } = ctx;
  const out: MappedContainer = {
    image: plan.image,
    cmd: plan.args,
    environment: new Map(),
    environmentFiles: [],
    ports: [],
    volumes: [],
    labels: new Map(),
    networks: [],
    privileged: false,
    capabilities: new Map(),
    devices: [],
    extraOptions: [],
    needs: [],
    secrets: [],
    passedThrough: [],
    namedVolumes: plan.invocation.volumes.filter((v) => v.kind === 'volume'),
  };
  const prefix = optionName(ctx.base);
  const at = (option: OciOption | string) => `${prefix}.${optionSegment(option)}`;
  const volumeOf = new Map(plan.invocation.volumes.map((v) => [v.flag, v] as const));

  for (const flag of plan.invocation.flags) {
    // Flags of `docker` itself keep the unit at stage 1; flags settled already (a value that could not be read) stay out.
    if (flag.word < plan.invocation.verbWord || ledger.fate(flag.item)) continue;
    const generated = plan.generated?.flags.get(flag);
    if (generated !== undefined) {
      ledger.dropped(flag.item, generated);
      continue;
    }
    const value = plan.values.get(flag) ?? flag.value;
    const carried = (option: OciOption | string, note?: string) => ledger.carried(flag.item, at(option), note);
    const keep = (spelled: string = flag.name, note?: string) => {
      out.extraOptions.push(value === undefined ? spelled : `${spelled}=${value}`);
      carried('extraOptions', note);
    };
    const spec = ociFlag(flag.name);
    if (!spec) {
      // The plan let it through: its value is known (`--flag=value`), so it is kept as written.
      keep(flag.spelled, 'a flag nixport does not know, kept as written');
      continue;
    }
    const mapping = ociMapping(spec, ctx.backend);
    switch (mapping.kind) {
      case 'dropped':
        ledger.dropped(flag.item, mapping.reason);
        break;
      case 'stage1':
        // Only a container without a unit gets here (a unit stays at stage 1): left out, reported by the plan.
        ledger.unsupported(flag.item, mapping.reason);
        break;
      case 'name':
        ledger.carried(flag.item, optionName(ctx.base), 'the container\'s name is the attribute name');
        break;
      case 'unit':
        if (value !== undefined) out.restart = { value, flag };
        break;
      case 'extra':
        extra(flag, value, mapping.spelled, mapping.note, out, keep, carried, ledger);
        break;
      case 'option':
        option(mapping.option, flag, value, volumeOf.get(flag), out, ctx, carried, keep);
        break;
    }
  }
  return out;
}

function extra(
  flag: DockerFlag,
  value: string | undefined,
  spelled: string | undefined,
  note: string | undefined,
  out: MappedContainer,
  keep: (spelled?: string, note?: string) => void,
  carried: (option: string, note?: string) => void,
  ledger: Ledger,
): void {
  if (flag.name === '--networking') {
    // `--networking=false` was `--network none`; plain `--networking` was the default.
    if (value !== undefined && parseBool(value) === false) {
      out.extraOptions.push('--network=none');
      carried('extraOptions', note);
    } else ledger.dropped(flag.item, 'networking on was the default');
    return;
  }
  if (flag.name === '--stop-timeout' && value !== undefined && /^[0-9]+$/.test(value)) out.stopTimeout = Number(value);
  if (flag.name === '--link' || flag.name === '--volumes-from') {
    const other = (value ?? '').split(':')[0]!.replace(/^\//, '');
    if (other !== '') out.needs.push({ name: other, flag });
  }
  // podman's `--requires a,b`: both must run first.
  if (flag.name === '--requires') for (const other of (value ?? '').split(',')) if (other !== '') out.needs.push({ name: other, flag });
  keep(spelled ?? flag.name, note);
}

function option(
  name: OciOption,
  flag: DockerFlag,
  value: string | undefined,
  volume: VolumeSpec | undefined,
  out: MappedContainer,
  ctx: MapContext,
  carried: (option: string, note?: string) => void,
  keep: (spelled?: string, note?: string) => void,
): void {
  const { ledger } = ctx;
  const bool = value === undefined ? true : parseBool(value);
  switch (name) {
    case 'environment':
      return environment(flag, value ?? '', out, ctx, carried);
    case 'environmentFiles':
      out.environmentFiles.push(value ?? '');
      if (!(value ?? '').startsWith('/')) {
        ledger.report('warning', 'oci/relative-env-file', `\`${flag.item.label}\`: a relative path, resolved against the directory the docker command ran in`, flag.item.origin, 'write the absolute path of the file');
      }
      return carried('environmentFiles');
    case 'ports': {
      // The long syntax (`published=8080,target=80`) is written the short way, which the option takes.
      const raw = value ?? '';
      const parsed = raw.includes('=') ? parsePortSpec(raw) : undefined;
      out.ports.push(parsed?.ok ? shortPort(parsed.port) : raw);
      return carried('ports');
    }
    case 'volumes':
      out.volumes.push(value ?? '');
      return carried('volumes', volume?.kind === 'volume' ? `named volume \`${volume.source ?? ''}\`; its data stays in the container engine's volume directory` : undefined);
    case 'user':
      out.user = value ?? '';
      return carried('user');
    case 'workdir':
      out.workdir = value ?? '';
      return carried('workdir');
    case 'hostname':
      out.hostname = value ?? '';
      return carried('hostname');
    case 'entrypoint':
      out.entrypoint = value ?? '';
      return carried('entrypoint');
    case 'labels': {
      const text = value ?? '';
      const eq = text.indexOf('=');
      out.labels.set(eq < 0 ? text : text.slice(0, eq), eq < 0 ? '' : text.slice(eq + 1));
      return carried('labels');
    }
    case 'networks': {
      const network = ctx.backend === 'podman' ? podmanNetwork(value ?? '') : (value ?? '');
      out.networks.push(network);
      if (network.startsWith('container:')) out.needs.push({ name: network.slice('container:'.length), flag });
      return carried('networks');
    }
    case 'privileged':
      if (bool === true) {
        out.privileged = true;
        return carried('privileged');
      }
      return ledger.dropped(flag.item, '`--privileged=false` is the default');
    case 'capabilities':
      return capability(flag, value ?? '', out, carried, keep);
    case 'devices':
      out.devices.push(value ?? '');
      return carried('devices');
    case 'log-driver':
      out.logDriver = value ?? '';
      return carried('log-driver', value === 'journald' ? 'the module\'s default' : undefined);
    case 'pull':
      return pull(flag, value ?? '', out, ctx, carried);
    case 'podman.sdnotify':
      return sdnotify(flag, value ?? '', out, ctx, carried);
    case 'autoRemoveOnStop':
      if (bool === false) {
        out.autoRemoveOnStop = false;
        return carried('autoRemoveOnStop');
      }
      return carried('autoRemoveOnStop', 'the module\'s default (true)');
    default:
      return keep();
  }
}

function environment(flag: DockerFlag, text: string, out: MappedContainer, ctx: MapContext, carried: (option: string, note?: string) => void): void {
  const { ledger, plan } = ctx;
  const eq = text.indexOf('=');
  if (eq > 0) {
    const name = text.slice(0, eq);
    const value = text.slice(eq + 1);
    const finding = ctx.secretFlags?.get(flag);
    if (finding !== undefined || (ctx.secretFlags === undefined && holdsSecret(name, value))) {
      out.secrets.push({ name, value, flag, ...(finding ? { finding } : {}) });
      return;
    }
    out.environment.set(name, value);
    return carried('environment');
  }
  // `-e NAME`: Docker passed the value the docker command had.
  const known = plan.environment.get(text);
  if (known !== undefined && !holdsSecret(text, known)) {
    out.environment.set(text, known);
    return carried('environment', 'the value of the unit\'s Environment=');
  }
  if (known !== undefined) {
    out.secrets.push({ name: text, value: known, flag });
    return;
  }
  if (plan.unit !== undefined) {
    // The container's unit keeps the old unit's environment (EnvironmentFile= too), so docker still finds it.
    out.extraOptions.push(`--env=${text}`);
    out.passedThrough.push({ name: text, flag });
    if (!ctx.unitEnvironment) {
      ledger.report(
        'warning',
        'oci/env-unset',
        `\`-e ${text}\` passes ${text} from the docker command's environment, but the unit sets no such variable: the container did not get it on the old host either`,
        flag.item.origin,
        `set environment.${text} if the container needs it`,
      );
    }
    return carried('extraOptions', ctx.unitEnvironment ? 'docker takes the value from its unit\'s EnvironmentFile=, as before' : 'kept as it was');
  }
  ledger.unsupported(flag.item, `the value of \`${text}\` came from the shell that ran docker, which nixport does not know`);
  ledger.report('error', 'oci/env-unknown', `\`-e ${text}\` passed the variable from the shell that ran docker; its value is unknown`, flag.item.origin, `set environment.${text} (or an environment file for a secret) by hand`);
}

/** `NAME=value` whose name says secret, or whose value is a credential of a known format. */
function holdsSecret(name: string, value: string): boolean {
  return isSecretAssignment(name, value) || scanFormats(value).length > 0;
}

function capability(flag: DockerFlag, cap: string, out: MappedContainer, carried: (option: string, note?: string) => void, keep: () => void): void {
  const add = flag.name === '--cap-add';
  const seen = out.capabilities.get(cap);
  if (seen !== undefined && seen !== add) {
    // The same capability added and dropped: the attribute set holds one; Docker gets both as written.
    keep();
    return;
  }
  out.capabilities.set(cap, add);
  carried('capabilities');
}

/** podman's `--sdnotify` onto `podman.sdnotify` (an enum of conmon, healthy, container; docs/nixos-facts.md §16). */
function sdnotify(flag: DockerFlag, mode: string, out: MappedContainer, ctx: MapContext, carried: (option: string, note?: string) => void): void {
  if (mode === 'conmon') return carried('podman.sdnotify', 'the module\'s default');
  if (mode === 'healthy' || mode === 'container') {
    out.sdnotify = mode;
    return carried('podman.sdnotify');
  }
  // The plan keeps a unit with `--sdnotify=ignore` at stage 1; a container without one is left without it.
  ctx.ledger.unsupported(flag.item, `\`--sdnotify=${mode}\` has no podman.sdnotify value; the module's unit is Type=notify and needs a notification`);
  ctx.ledger.report('error', 'oci/sdnotify', `\`${flag.item.label}\`: the podman backend's unit waits for a readiness notification; podman.sdnotify takes conmon, healthy or container`, flag.item.origin);
}

const PULL_POLICIES = new Set(['always', 'missing', 'never']);

function pull(flag: DockerFlag, policy: string, out: MappedContainer, ctx: MapContext, carried: (option: string, note?: string) => void): void {
  if (PULL_POLICIES.has(policy) || (policy === 'newer' && ctx.backend === 'podman')) {
    out.pull = policy;
    return carried('pull');
  }
  ctx.ledger.unsupported(flag.item, `pull policy \`${policy}\` is not one the ${ctx.backend} backend takes`);
  ctx.ledger.report('error', 'oci/bad-pull', `\`${flag.item.label}\`: the ${ctx.backend} backend takes always, missing or never${ctx.backend === 'podman' ? ' or newer' : ''}`, flag.item.origin);
}

/** `8080:80/udp` from the parts of a port. */
function shortPort(port: { readonly hostIp?: string; readonly hostPort?: { from: number; to: number }; readonly containerPort: { from: number; to: number }; readonly protocol: string }): string {
  const range = (r: { from: number; to: number }) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`);
  const ip = port.hostIp === undefined ? '' : port.hostIp.includes(':') ? `[${port.hostIp}]:` : `${port.hostIp}:`;
  const host = port.hostPort === undefined ? (ip === '' ? '' : ':') : `${range(port.hostPort)}:`;
  return `${ip}${host}${range(port.containerPort)}${port.protocol === 'tcp' ? '' : `/${port.protocol}`}`;
}

/**
 * Docker's long form `name=back,alias=db,ip=10.0.0.2` in podman's spelling,
 * `back:alias=db,ip=10.0.0.2` (podman-run(1), --network); `mac-address=` is
 * podman's `mac=`.
 */
function podmanNetwork(value: string): string {
  if (!value.startsWith('name=')) return value;
  const fields = value.split(',');
  const name = fields[0]!.slice('name='.length);
  const options = fields.slice(1).map((f) => f.replace(/^mac-address=/, 'mac='));
  return options.length > 0 ? `${name}:${options.join(',')}` : name;
}
