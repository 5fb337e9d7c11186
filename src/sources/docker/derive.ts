import type { ContainerEngine, DockerFlag, PortSpec, VolumeSpec } from '../../model/docker.ts';
import type { Ledger } from '../../model/ledger.ts';
import type { Origin } from '../../model/origin.ts';
import { parsePortSpec } from './ports.ts';
import { parseBool } from './scan.ts';
import type { VolumeParse } from './volumes.ts';
import { parseMountFlag, parseTmpfsFlag, parseVolumeFlag, podmanOnlyMountType } from './volumes.ts';

/**
 * The fields of a `run`/`create` invocation the passes need, read from its
 * flags: name, ports, volumes, network, restart policy. A value that cannot
 * be read is reported with its origin and its flag settled as unsupported.
 */

export interface Derived {
  readonly containerName?: string;
  readonly ports: readonly PortSpec[];
  readonly publishAll: boolean;
  readonly volumes: readonly VolumeSpec[];
  readonly network?: string;
  readonly restart?: string;
}

/** A flag with where its value starts, for pointing at bad values. */
export interface FlagWithOrigin {
  readonly flag: DockerFlag;
  readonly valueOrigin: Origin;
}

export function deriveFields(flags: readonly FlagWithOrigin[], ledger: Ledger, engine: ContainerEngine = 'docker'): Derived {
  let containerName: string | undefined;
  let publishAll = false;
  let network: string | undefined;
  let restart: string | undefined;
  const ports: PortSpec[] = [];
  const volumes: VolumeSpec[] = [];

  for (const { flag, valueOrigin } of flags) {
    const value = flag.value;
    if (flag.name === '--publish-all') {
      publishAll = value === undefined ? true : (parseBool(value) ?? publishAll);
      continue;
    }
    if (value === undefined) continue;
    switch (flag.name) {
      case '--name':
        if (isContainerName(value)) {
          containerName = value;
        } else {
          bad(ledger, flag, valueOrigin, 'docker/bad-name', `\`${value}\` is not a container name Docker accepts`, 'Container names start with a letter or digit and use only letters, digits, `_`, `.` and `-`.');
        }
        break;
      case '--restart':
        if (isRestartPolicy(value)) {
          restart = value;
        } else {
          bad(ledger, flag, valueOrigin, 'docker/bad-restart', `restart policy \`${value}\` is not one Docker knows`, 'Use no, always, unless-stopped, on-failure or on-failure:N.');
        }
        break;
      case '--network':
        // Docker uses the first network as the container's network mode.
        network ??= networkName(value);
        break;
      case '--publish': {
        if (usesVariable(flag, valueOrigin, ledger, 'port')) break;
        const parsed = parsePortSpec(value);
        if (parsed.ok) ports.push(portWithFlag(parsed.port, flag));
        else bad(ledger, flag, valueOrigin, 'docker/bad-port', `cannot read port mapping \`${value}\`: ${parsed.error}`, 'Docker expects [ip:][hostPort:]containerPort[/tcp|udp|sctp], e.g. 127.0.0.1:8080:80.');
        break;
      }
      case '--volume':
        addVolume(parseVolumeFlag(value, engine), flag, valueOrigin, ledger, volumes, 'docker/bad-volume', 'Docker expects [source:]target[:options], e.g. /srv/data:/data:ro.');
        break;
      case '--mount':
        // podman's image, devpts, glob, ramfs and artifact mounts are passed on as written; no volume to model.
        if (engine === 'podman' && podmanOnlyMountType(value) !== undefined) break;
        addVolume(parseMountFlag(value), flag, valueOrigin, ledger, volumes, 'docker/bad-mount', 'Docker expects type=bind|volume|tmpfs,source=...,target=...[,readonly].');
        break;
      case '--tmpfs':
        addVolume(parseTmpfsFlag(value), flag, valueOrigin, ledger, volumes, 'docker/bad-tmpfs', 'Docker expects path[:options], e.g. /run:rw,size=64m.');
        break;
    }
  }

  // Field by field rather than from spreads of the optional ones: an object literal that
  // starts with a spread is slow to build in V8, and this runs for every `docker run`.
  const derived: { -readonly [K in keyof Derived]: Derived[K] } =
    containerName !== undefined ? { containerName, ports, publishAll, volumes } : { ports, publishAll, volumes };
  if (network !== undefined) derived.network = network;
  if (restart !== undefined) derived.restart = restart;
  return derived;
}

function addVolume(
  parsed: VolumeParse,
  flag: DockerFlag,
  valueOrigin: Origin,
  ledger: Ledger,
  volumes: VolumeSpec[],
  code: string,
  hint: string,
): void {
  if (usesVariable(flag, valueOrigin, ledger, 'mount')) return;
  if (!parsed.ok) {
    bad(ledger, flag, valueOrigin, code, `cannot read \`${flag.spelled}\` value \`${flag.value ?? ''}\`: ${parsed.error}`, hint);
    return;
  }
  for (const warning of parsed.warnings) {
    ledger.report('warning', 'docker/relative-bind', warning, valueOrigin, 'Write the absolute host path.');
  }
  volumes.push(volumeWithFlag(parsed.volume, flag));
}

// The two below are written out rather than `{ ...parsed, flag }`: V8 gives
// each object built by spreading another and then adding a field a hidden
// class of its own, and every pass that later reads ports and volumes slowed
// down on thousands of shapes.

function portWithFlag(port: Omit<PortSpec, 'flag'>, flag: DockerFlag): PortSpec {
  const { raw, hostIp, hostPort, containerPort, protocol } = port;
  if (hostIp !== undefined && hostPort !== undefined) return { raw, hostIp, hostPort, containerPort, protocol, flag };
  if (hostIp !== undefined) return { raw, hostIp, containerPort, protocol, flag };
  if (hostPort !== undefined) return { raw, hostPort, containerPort, protocol, flag };
  return { raw, containerPort, protocol, flag };
}

function volumeWithFlag(volume: Omit<VolumeSpec, 'flag'>, flag: DockerFlag): VolumeSpec {
  const { raw, kind, source, target, readOnly, options } = volume;
  if (source !== undefined) return { raw, kind, source, target, readOnly, options, flag };
  return { raw, kind, target, readOnly, options, flag };
}

function bad(ledger: Ledger, flag: DockerFlag, origin: Origin, code: string, message: string, hint: string): void {
  ledger.report('error', code, message, origin, hint);
  ledger.unsupported(flag.item, message);
}

/**
 * systemd expands `$VAR` in command lines at run time, so a value with one
 * cannot be read now. Reported, and left out of ports/volumes; the flag
 * itself stays for the strategies.
 */
function usesVariable(flag: DockerFlag, origin: Origin, ledger: Ledger, what: string): boolean {
  if (!(flag.value ?? '').includes('$')) return false;
  ledger.report(
    'warning',
    'docker/variable-value',
    `\`${flag.spelled} ${flag.value ?? ''}\` uses an environment variable, so nixport cannot read the ${what} it sets up`,
    origin,
    'Write the value literally if the firewall and mount ordering should account for it.',
  );
  return true;
}

/** `no`, `always`, `unless-stopped`, `on-failure`, `on-failure:N` (Docker refuses a count on the others). */
export function isRestartPolicy(value: string): boolean {
  if (value === 'no' || value === 'always' || value === 'unless-stopped' || value === 'on-failure') return true;
  return /^on-failure:[0-9]+$/.test(value);
}

// Docker's rule for container names (the daemon's RestrictedNamePattern, an optional leading `/`).
const CONTAINER_NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/**
 * Names with systemd variables or specifiers (`$NAME`, `web-%i`) are resolved
 * at run time; they are taken as written.
 */
function isContainerName(value: string): boolean {
  return /[$%]/.test(value) || CONTAINER_NAME.test(value);
}

/** `--network name=web,alias=x` (Docker's long form) names the network in `name=`. */
export function networkName(value: string): string {
  if (!/\w+=\w+(,\w+=\w+)*/.test(value)) return value;
  for (const field of value.split(',')) {
    const [key, ...rest] = field.split('=');
    if (key?.trim().toLowerCase() === 'name') return rest.join('=').trim();
  }
  return value;
}
