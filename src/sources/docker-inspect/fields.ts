import type { InputItem, Ledger } from '../../model/ledger.ts';
import type { Origin } from '../../model/origin.ts';
import type { JsonDocument, JsonNode, JsonObject } from '../ignition/json.ts';
import type { Argv } from './argv.ts';
import { boolOf, isEmpty, itemsOf, member, membersOf, numberOf, sameJson, stringOf, stringsOf } from './json.ts';

/**
 * The fields of a `docker inspect` record, each turned back into the
 * `docker run` flags that set it (docker/cli `opts.go` parse them into the
 * same fields). A field at Docker's default says nothing and is skipped; a
 * field the image set (when its `docker image inspect` record is given too)
 * is dropped with that reason, so the container does not pin values its
 * image should decide (a version variable, a label). Fields no table knows
 * are reported, not guessed.
 */

export interface FieldContext {
  readonly doc: JsonDocument;
  readonly record: JsonObject;
  /** The `Config` of the image the container ran, when its record is in the input. */
  readonly image?: JsonNode;
  readonly argv: Argv;
  readonly ledger: Ledger;
  readonly item: InputItem;
  /** Container IDs of the other records -> their names (`container:<id>` network modes, links). */
  readonly names: ReadonlyMap<string, string>;
}

type Handler = (node: JsonNode, ctx: FieldContext, path: string) => void;

const origin = (ctx: FieldContext, node: JsonNode): Origin => ctx.doc.origin(node.start);

function flag(ctx: FieldContext, node: JsonNode, name: string, value?: string): void {
  ctx.argv.flag(name, value, origin(ctx, node));
}

/** A field nixport leaves out on purpose, as a ledger item with its reason. */
export function dropField(ctx: FieldContext, path: string, node: JsonNode, reason: string): void {
  const item = ctx.ledger.item('key', path, origin(ctx, node), ctx.item);
  ctx.ledger.dropped(item, reason);
}

function unsupportedField(ctx: FieldContext, path: string, node: JsonNode, reason: string): void {
  const item = ctx.ledger.item('key', path, origin(ctx, node), ctx.item);
  ctx.ledger.unsupported(item, reason);
  ctx.ledger.report('warning', 'docker-inspect/field', `${path}: ${reason}`, item.origin, 'set the equivalent docker run flag in the container\'s extraOptions by hand');
}

/** Each string of a list as one flag. */
const each =
  (name: string): Handler =>
  (node, ctx) => {
    for (const n of itemsOf(node)) if (n.type === 'string') flag(ctx, n, name, n.value);
  };

/** An object's members as `--flag key=value`. */
const pairs =
  (name: string): Handler =>
  (node, ctx) => {
    for (const m of membersOf(node)) flag(ctx, m.value, name, `${m.key}=${scalarText(m.value)}`);
  };

const scalar =
  (name: string, skip: readonly (string | number)[] = []): Handler =>
  (node, ctx) => {
    const text = scalarText(node);
    if (skip.includes(text) || skip.includes(Number(text))) return;
    flag(ctx, node, name, text);
  };

const bool =
  (name: string): Handler =>
  (node, ctx) => {
    if (boolOf(node) === true) flag(ctx, node, name);
  };

/** `[{Path, Rate}]` / `[{Path, Weight}]` as `path:value`. */
const throttles =
  (name: string, key: 'Rate' | 'Weight'): Handler =>
  (node, ctx) => {
    for (const t of itemsOf(node)) flag(ctx, t, name, `${stringOf(member(t, 'Path')) ?? ''}:${scalarText(member(t, key))}`);
  };

function scalarText(node: JsonNode | undefined): string {
  if (node === undefined) return '';
  if (node.type === 'string') return node.value;
  if (node.type === 'number') return node.text;
  if (node.type === 'boolean') return String(node.value);
  return '';
}

/** Byte counts as the flags take them (`268435456` -> `256m`), the way people write them. */
const bytes =
  (name: string, skip: readonly number[] = []): Handler =>
  (node, ctx) => {
    const n = numberOf(node);
    if (n === undefined || skip.includes(n)) return;
    flag(ctx, node, name, bytesText(n));
  };

export function bytesText(n: number): string {
  for (const [unit, size] of [['g', 1024 ** 3], ['m', 1024 ** 2], ['k', 1024]] as const) {
    if (n > 0 && n % size === 0) return `${n / size}${unit}`;
  }
  return String(n);
}

/** Docker prints Go durations as nanoseconds; the flags take Go duration text. */
export function durationText(ns: number): string {
  if (ns % 1e9 === 0) return `${ns / 1e9}s`;
  if (ns % 1e6 === 0) return `${ns / 1e6}ms`;
  return `${ns}ns`;
}

// ---------------------------------------------------------------------------
// HostConfig

const DEFAULT_SHM = 64 * 1024 * 1024;

export const HOST_CONFIG: Readonly<Record<string, Handler | { readonly dropped: string }>> = {
  Binds: each('--volume'),
  ContainerIDFile: scalar('--cidfile'),
  LogConfig: (node, ctx, path) => {
    const type = stringOf(member(node, 'Type')) ?? '';
    const config = member(node, 'Config');
    if ((type === 'json-file' || type === '') && isEmpty(config)) {
      dropField(ctx, path, node, 'json-file was the old daemon\'s default log driver; the containers log to journald on NixOS (the module\'s default)');
      return;
    }
    flag(ctx, node, '--log-driver', type);
    for (const m of membersOf(config)) flag(ctx, m.value, '--log-opt', `${m.key}=${scalarText(m.value)}`);
  },
  NetworkMode: (node, ctx) => {
    const mode = stringOf(node) ?? '';
    if (mode === '' || mode === 'default' || mode === 'bridge') return;
    flag(ctx, node, '--network', containerRef(mode, ctx));
  },
  PortBindings: (node, ctx) => {
    for (const m of membersOf(node)) {
      const [port = '', protocol = 'tcp'] = m.key.split('/');
      const suffix = protocol === 'tcp' ? '' : `/${protocol}`;
      for (const b of itemsOf(m.value)) {
        const ip = stringOf(member(b, 'HostIp')) ?? '';
        const hostPort = stringOf(member(b, 'HostPort')) ?? '';
        const address = ip.includes(':') ? `[${ip}]` : ip;
        const spec = ip !== '' ? `${address}:${hostPort}:${port}` : hostPort !== '' ? `${hostPort}:${port}` : port;
        flag(ctx, b, '--publish', spec + suffix);
      }
    }
  },
  RestartPolicy: (node, ctx) => {
    const name = stringOf(member(node, 'Name')) ?? '';
    if (name === '' || name === 'no') return;
    const retries = numberOf(member(node, 'MaximumRetryCount')) ?? 0;
    flag(ctx, node, '--restart', name === 'on-failure' && retries > 0 ? `on-failure:${retries}` : name);
  },
  AutoRemove: bool('--rm'),
  VolumeDriver: scalar('--volume-driver'),
  VolumesFrom: (node, ctx) => {
    for (const n of itemsOf(node)) if (n.type === 'string') flag(ctx, n, '--volumes-from', containerRef(n.value, ctx));
  },
  ConsoleSize: { dropped: 'the size of a terminal the client had' },
  Annotations: pairs('--annotation'),
  CapAdd: each('--cap-add'),
  CapDrop: each('--cap-drop'),
  CgroupnsMode: { dropped: 'the daemon picks the cgroup namespace mode for its cgroup version (private on NixOS\'s cgroup v2)' },
  Dns: each('--dns'),
  DnsOptions: each('--dns-option'),
  DnsSearch: each('--dns-search'),
  ExtraHosts: each('--add-host'),
  GroupAdd: each('--group-add'),
  IpcMode: scalar('--ipc', ['private', 'shareable']),
  Cgroup: scalar('--cgroup-parent'),
  Links: (node, ctx) => {
    for (const n of itemsOf(node)) {
      if (n.type !== 'string') continue;
      // Docker stores `--link db:alias` as `/db:/<this container>/alias`.
      const [source = '', target = ''] = n.value.split(':');
      const name = source.replace(/^\//, '');
      const alias = target.slice(target.lastIndexOf('/') + 1);
      flag(ctx, n, '--link', alias === name ? name : `${name}:${alias}`);
    }
  },
  OomScoreAdj: scalar('--oom-score-adj'),
  PidMode: (node, ctx) => {
    const mode = stringOf(node) ?? '';
    if (mode !== '') flag(ctx, node, '--pid', containerRef(mode, ctx));
  },
  Privileged: bool('--privileged'),
  PublishAllPorts: bool('--publish-all'),
  ReadonlyRootfs: bool('--read-only'),
  SecurityOpt: each('--security-opt'),
  StorageOpt: pairs('--storage-opt'),
  Tmpfs: (node, ctx) => {
    for (const m of membersOf(node)) {
      const options = stringOf(m.value) ?? '';
      flag(ctx, m.value, '--tmpfs', options === '' ? m.key : `${m.key}:${options}`);
    }
  },
  UTSMode: scalar('--uts'),
  UsernsMode: scalar('--userns'),
  ShmSize: bytes('--shm-size', [DEFAULT_SHM]),
  Sysctls: pairs('--sysctl'),
  Runtime: scalar('--runtime', ['runc']),
  Isolation: scalar('--isolation', ['default']),
  CpuShares: scalar('--cpu-shares'),
  Memory: bytes('--memory'),
  NanoCpus: (node, ctx) => {
    const n = numberOf(node) ?? 0;
    if (n > 0) flag(ctx, node, '--cpus', String(n / 1e9));
  },
  CgroupParent: scalar('--cgroup-parent'),
  BlkioWeight: scalar('--blkio-weight'),
  BlkioWeightDevice: throttles('--blkio-weight-device', 'Weight'),
  BlkioDeviceReadBps: throttles('--device-read-bps', 'Rate'),
  BlkioDeviceWriteBps: throttles('--device-write-bps', 'Rate'),
  BlkioDeviceReadIOps: throttles('--device-read-iops', 'Rate'),
  BlkioDeviceWriteIOps: throttles('--device-write-iops', 'Rate'),
  CpuPeriod: scalar('--cpu-period'),
  CpuQuota: scalar('--cpu-quota'),
  CpuRealtimePeriod: scalar('--cpu-rt-period'),
  CpuRealtimeRuntime: scalar('--cpu-rt-runtime'),
  CpusetCpus: scalar('--cpuset-cpus'),
  CpusetMems: scalar('--cpuset-mems'),
  Devices: (node, ctx) => {
    for (const d of itemsOf(node)) {
      const host = stringOf(member(d, 'PathOnHost')) ?? '';
      const inside = stringOf(member(d, 'PathInContainer')) ?? host;
      const permissions = stringOf(member(d, 'CgroupPermissions')) ?? 'rwm';
      const spec = [host, ...(inside !== host || permissions !== 'rwm' ? [inside] : []), ...(permissions !== 'rwm' ? [permissions] : [])].join(':');
      flag(ctx, d, '--device', spec);
    }
  },
  DeviceCgroupRules: each('--device-cgroup-rule'),
  DeviceRequests: (node, ctx, path) => {
    for (const r of itemsOf(node)) {
      const capabilities = itemsOf(member(r, 'Capabilities')).flatMap((c) => stringsOf(c));
      if (!capabilities.includes('gpu')) {
        unsupportedField(ctx, path, r, 'a device request that is not for GPUs has no docker run flag');
        continue;
      }
      const ids = stringsOf(member(r, 'DeviceIDs'));
      const count = numberOf(member(r, 'Count')) ?? 0;
      flag(ctx, r, '--gpus', ids.length > 0 ? `"device=${ids.join(',')}"` : count < 0 ? 'all' : String(count));
    }
  },
  KernelMemory: bytes('--kernel-memory'),
  KernelMemoryTCP: { dropped: 'the kernel no longer supports kernel memory limits' },
  MemoryReservation: bytes('--memory-reservation'),
  MemorySwap: (node, ctx) => {
    const swap = numberOf(node) ?? 0;
    const memory = numberOf(member(ctx.record, 'HostConfig') && member(member(ctx.record, 'HostConfig'), 'Memory')) ?? 0;
    // Docker fills in twice the memory limit when only --memory was given.
    if (swap === 0 || swap === memory * 2) return;
    flag(ctx, node, '--memory-swap', swap < 0 ? String(swap) : bytesText(swap));
  },
  MemorySwappiness: (node, ctx) => {
    const n = numberOf(node);
    if (n !== undefined && n >= 0) flag(ctx, node, '--memory-swappiness', String(n));
  },
  OomKillDisable: bool('--oom-kill-disable'),
  PidsLimit: scalar('--pids-limit'),
  Ulimits: (node, ctx) => {
    for (const u of itemsOf(node)) {
      const soft = scalarText(member(u, 'Soft'));
      const hard = scalarText(member(u, 'Hard'));
      flag(ctx, u, '--ulimit', `${stringOf(member(u, 'Name')) ?? ''}=${soft}${hard !== soft ? `:${hard}` : ''}`);
    }
  },
  CpuCount: scalar('--cpu-count'),
  CpuPercent: scalar('--cpu-percent'),
  IOMaximumIOps: scalar('--io-maxiops'),
  IOMaximumBandwidth: scalar('--io-maxbandwidth'),
  MaskedPaths: { dropped: 'Docker\'s own list of hidden /proc and /sys paths for unprivileged containers' },
  ReadonlyPaths: { dropped: 'Docker\'s own list of read-only /proc paths for unprivileged containers' },
  Init: bool('--init'),
  Mounts: (node, ctx) => {
    for (const m of itemsOf(node)) flag(ctx, m, '--mount', mountSpec(m));
  },
};

/** `HostConfig.Mounts` entries back as `--mount` values (CSV, quoted where a value has a comma). */
function mountSpec(m: JsonNode): string {
  const fields: string[] = [];
  const add = (key: string, value: string | undefined) => {
    if (value === undefined || value === '') return;
    const field = `${key}=${value}`;
    fields.push(field.includes(',') || field.includes('"') ? `"${field.replace(/"/g, '""')}"` : field);
  };
  add('type', stringOf(member(m, 'Type')));
  add('source', stringOf(member(m, 'Source')));
  add('target', stringOf(member(m, 'Target')));
  if (boolOf(member(m, 'ReadOnly'))) fields.push('readonly');
  add('consistency', stringOf(member(m, 'Consistency')));
  const bind = member(m, 'BindOptions');
  add('bind-propagation', stringOf(member(bind, 'Propagation')));
  if (boolOf(member(bind, 'NonRecursive'))) add('bind-recursive', 'disabled');
  if (boolOf(member(bind, 'CreateMountpoint'))) fields.push('bind-create-src');
  const volume = member(m, 'VolumeOptions');
  if (boolOf(member(volume, 'NoCopy'))) fields.push('volume-nocopy');
  add('volume-subpath', stringOf(member(volume, 'Subpath')));
  add('volume-driver', stringOf(member(member(volume, 'DriverConfig'), 'Name')));
  for (const o of membersOf(member(member(volume, 'DriverConfig'), 'Options'))) add('volume-opt', `${o.key}=${scalarText(o.value)}`);
  for (const l of membersOf(member(volume, 'Labels'))) add('volume-label', `${l.key}=${scalarText(l.value)}`);
  const tmpfs = member(m, 'TmpfsOptions');
  add('tmpfs-size', scalarText(member(tmpfs, 'SizeBytes')) || undefined);
  const mode = numberOf(member(tmpfs, 'Mode'));
  if (mode !== undefined && mode !== 0) add('tmpfs-mode', mode.toString(8));
  return fields.join(',');
}

/** `container:<id>` -> `container:<name>` where the other record is in the input. */
function containerRef(mode: string, ctx: FieldContext): string {
  if (!mode.startsWith('container:')) return ctx.names.get(mode) ?? mode;
  const id = mode.slice('container:'.length);
  return `container:${ctx.names.get(id) ?? id}`;
}

// ---------------------------------------------------------------------------
// Config

/** Docker's PATH for images that set none (and what most base images set). */
const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Labels images set by convention, dropped when the image's own record is missing. */
const IMAGE_LABEL = /^(org\.opencontainers\.image\.|org\.label-schema\.|maintainer$|build_version$)/;

/** Whether the image the container ran sets this field to the same value. */
function fromImage(ctx: FieldContext, key: string, node: JsonNode): boolean {
  return ctx.image !== undefined && sameJson(member(ctx.image, key), node);
}

const unlessImage =
  (key: string, handler: Handler): Handler =>
  (node, ctx, path) => {
    if (fromImage(ctx, key, node)) dropField(ctx, path, node, 'the image sets it (its `docker image inspect` record says so); the container keeps following the image');
    else handler(node, ctx, path);
  };

export const CONFIG: Readonly<Record<string, Handler | { readonly dropped: string }>> = {
  Hostname: (node, ctx) => {
    const hostname = stringOf(node) ?? '';
    const id = stringOf(member(ctx.record, 'Id')) ?? '';
    const mode = stringOf(member(member(ctx.record, 'HostConfig'), 'NetworkMode')) ?? '';
    // Docker names a container's host after its short ID, and after the host on the host network.
    if (hostname === '' || id.startsWith(hostname) || mode === 'host' || mode.startsWith('container:')) return;
    flag(ctx, node, '--hostname', hostname);
  },
  Domainname: scalar('--domainname'),
  User: unlessImage('User', scalar('--user')),
  AttachStdin: { dropped: 'whether a client was attached when it was created' },
  AttachStdout: { dropped: 'whether a client was attached when it was created' },
  AttachStderr: { dropped: 'whether a client was attached when it was created' },
  StdinOnce: { dropped: 'whether a client was attached when it was created' },
  ExposedPorts: (node, ctx, path) => {
    const published = membersOf(member(member(ctx.record, 'HostConfig'), 'PortBindings')).map((m) => m.key);
    const byImage = membersOf(member(ctx.image, 'ExposedPorts')).map((m) => m.key);
    for (const m of membersOf(node)) {
      if (published.includes(m.key)) continue; // `-p` exposes what it publishes
      if (byImage.includes(m.key)) dropField(ctx, `${path} ${m.key}`, m.value, 'the image exposes it (EXPOSE)');
      else if (ctx.image === undefined) dropField(ctx, `${path} ${m.key}`, m.value, 'most likely the image\'s EXPOSE; exposing a port without publishing it changes nothing outside Docker\'s networks');
      else flag(ctx, m.value, '--expose', m.key);
    }
  },
  Tty: bool('--tty'),
  OpenStdin: bool('--interactive'),
  Env: (node, ctx, path) => {
    const byImage = stringsOf(member(ctx.image, 'Env'));
    for (const n of itemsOf(node)) {
      if (n.type !== 'string') continue;
      if (byImage.includes(n.value)) dropField(ctx, `${path} ${n.value.split('=')[0]}`, n, 'the image sets it; the container keeps following the image');
      else if (n.value === DEFAULT_PATH && ctx.image === undefined) dropField(ctx, `${path} PATH`, n, 'Docker\'s default PATH, which the image sets');
      else flag(ctx, n, '--env', n.value);
    }
  },
  Cmd: { dropped: 'read with Entrypoint' },
  Healthcheck: unlessImage('Healthcheck', (node, ctx) => {
    const test = stringsOf(member(node, 'Test'));
    if (test[0] === 'NONE') flag(ctx, node, '--no-healthcheck');
    else if (test[0] === 'CMD-SHELL') flag(ctx, node, '--health-cmd', test.slice(1).join(' '));
    else if (test[0] === 'CMD') flag(ctx, node, '--health-cmd', test.slice(1).join(' '));
    const durations: readonly [string, string][] = [
      ['Interval', '--health-interval'],
      ['Timeout', '--health-timeout'],
      ['StartPeriod', '--health-start-period'],
      ['StartInterval', '--health-start-interval'],
    ];
    for (const [key, name] of durations) {
      const ns = numberOf(member(node, key)) ?? 0;
      if (ns > 0) flag(ctx, member(node, key)!, name, durationText(ns));
    }
    const retries = numberOf(member(node, 'Retries')) ?? 0;
    if (retries > 0) flag(ctx, member(node, 'Retries')!, '--health-retries', String(retries));
  }),
  Image: { dropped: 'read as the image' },
  Volumes: { dropped: 'volume mount points: the image\'s VOLUMEs and anonymous `-v PATH` volumes, read from Mounts' },
  WorkingDir: unlessImage('WorkingDir', scalar('--workdir')),
  Entrypoint: { dropped: 'read with Cmd' },
  OnBuild: { dropped: 'ONBUILD instructions of the image; they run when another image is built from it' },
  Labels: (node, ctx, path) => {
    const byImage = member(ctx.image, 'Labels');
    for (const m of membersOf(node)) {
      const label = `${path} ${m.key}`;
      if (byImage !== undefined && sameJson(member(byImage, m.key), m.value)) dropField(ctx, label, m.value, 'the image sets it');
      else if (m.key.startsWith('com.docker.compose.')) dropField(ctx, label, m.value, 'Docker Compose\'s bookkeeping of the project the container belonged to');
      else if (ctx.image === undefined && IMAGE_LABEL.test(m.key)) dropField(ctx, label, m.value, 'a label images set by convention (add the image\'s `docker image inspect` record to be sure)');
      else flag(ctx, m.value, '--label', `${m.key}=${scalarText(m.value)}`);
    }
  },
  StopSignal: unlessImage('StopSignal', scalar('--stop-signal', ['SIGTERM'])),
  StopTimeout: scalar('--stop-timeout'),
  MacAddress: scalar('--mac-address'),
  ArgsEscaped: { dropped: 'a Windows image detail' },
  NetworkDisabled: { dropped: 'read from HostConfig.NetworkMode' },
};

/**
 * Entrypoint and command: Docker stores the effective ones, the image's
 * included. With the image's record, only what differs is a flag; without
 * it, both are kept (the same for this image, pinned for later ones).
 */
export function entrypointAndCommand(config: JsonNode | undefined, ctx: FieldContext): { readonly cmd: readonly JsonNode[] } {
  const entrypoint = member(config, 'Entrypoint');
  const cmd = member(config, 'Cmd');
  const imageEntrypoint = member(ctx.image, 'Entrypoint');
  const imageCmd = member(ctx.image, 'Cmd');
  const entrypointGiven = ctx.image === undefined ? !isEmpty(entrypoint) : !sameJson(normalised(entrypoint), normalised(imageEntrypoint));
  const cmdGiven = ctx.image === undefined || entrypointGiven ? !isEmpty(cmd) : !sameJson(normalised(cmd), normalised(imageCmd));
  const cmdItems = cmdGiven ? [...itemsOf(cmd)] : [];
  if (entrypoint !== undefined && !entrypointGiven && !isEmpty(entrypoint)) dropField(ctx, 'Config.Entrypoint', entrypoint, 'the image\'s ENTRYPOINT');
  if (cmd !== undefined && !cmdGiven && !isEmpty(cmd)) dropField(ctx, 'Config.Cmd', cmd, 'the image\'s CMD');
  if (!entrypointGiven) return { cmd: cmdItems };
  const words = itemsOf(entrypoint);
  if (words.length === 0) {
    // `--entrypoint ""` resets the image's ENTRYPOINT.
    ctx.argv.flag('--entrypoint', '', origin(ctx, entrypoint ?? ctx.record));
    return { cmd: cmdItems };
  }
  ctx.argv.flag('--entrypoint', scalarText(words[0]), origin(ctx, words[0]!));
  // `--entrypoint` takes one word; the rest of a longer ENTRYPOINT goes before the command.
  return { cmd: [...words.slice(1), ...cmdItems] };
}

function normalised(node: JsonNode | undefined): JsonNode | undefined {
  return node === undefined || isEmpty(node) ? undefined : node;
}
