import { Buffer } from 'node:buffer';
import { InputError } from '../model/diagnostic.ts';
import type { NetworkDefinition, StandaloneContainer, VolumeDefinition } from '../model/container.ts';
import type { HostSecret } from '../model/secret.ts';
import type { AuthorizedKey, Group, Host, HostFile, SourceFile, SourceFormat, UpdatePolicy, User } from '../model/host.ts';
import type { InputItem, Ledger } from '../model/ledger.ts';
import { fileMapper } from '../model/origin.ts';
import { EMPTY_STORAGE, type HostStorage } from '../model/storage.ts';
import type { Located } from '../model/unit.ts';
import { readAuthorizedKeys } from './authorized-keys.ts';
import { readButane } from './butane/index.ts';
import { readContainerLinuxConfig } from './clc/index.ts';
import { readCloudConfig } from './cloud-config/index.ts';
import { readComposeInputs, type ComposeOptions } from './compose/index.ts';
import { decodeInput } from './decode.ts';
import { detect, INPUT_KINDS_HINT } from './detect.ts';
import { readDockerInspect } from './docker-inspect/index.ts';
import { readDockerScript } from './docker-script/index.ts';
import { readIgnition } from './ignition/index.ts';
import { localFilesFor } from './local-files.ts';
import { QUADLET_HINTS, quadletHostFiles, quadletKind, readQuadlets, type QuadletText } from './quadlet/index.ts';
import { readUnits } from './systemd/index.ts';
import type { Contribution, InputFile, UnitText } from './types.ts';

export type { InputFile } from './types.ts';

/** What the readers take from the conversion's options. */
export interface ReadOptions {
  readonly compose?: ComposeOptions;
}

/**
 * Reads every input into one Host. Throws InputError for input that cannot
 * be read at all; everything else becomes ledger items and diagnostics.
 */
export function readInputs(inputs: readonly InputFile[], ledger: Ledger, options: ReadOptions = {}): Host {
  if (inputs.length === 0) {
    throw new InputError({
      code: 'input/none',
      message: 'no input files',
      hint: 'name a cloud-config, unit files, authorized_keys files, or a directory holding them',
    });
  }
  const sorted = [...inputs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // Butane configs (and Container Linux Configs with `local` contents) first: the
  // files beside them that they embed (`local`, `contents_local`, `trees`) are
  // read as part of them, not as inputs of their own.
  const used = new Set<string>();
  const butane = new Map<string, Contribution>();
  for (const input of sorted) {
    if (used.has(input.path) || !(mentions(input.content, 'variant') || mentions(input.content, 'local'))) continue;
    const text = decodeQuietly(input);
    const kind = text === undefined ? undefined : detect(input.path, text).kind;
    if (text === undefined || (kind !== 'butane' && kind !== 'container-linux-config')) continue;
    const read = kind === 'butane' ? readButane : readContainerLinuxConfig;
    butane.set(input.path, read(input.path, text, ledger, localFilesFor(input.path, sorted, used)));
  }
  const usedBy = new Map<string, SourceFormat>([...used].map((p) => [p, 'butane'] as const));
  // Compose projects next: override files, .env files and the files `extends` and `include` name are read as part of a project.
  const compose = readComposeInputs(sorted, ledger, used, options.compose);
  for (const p of used) if (!usedBy.has(p)) usedBy.set(p, 'compose');
  const contributions: Contribution[] = [];
  const sources: SourceFile[] = [];
  for (const input of sorted) {
    const project = compose.get(input.path);
    if (project) {
      contributions.push(project);
      sources.push({ path: input.path, format: 'compose' });
      continue;
    }
    if (used.has(input.path)) {
      sources.push({ path: input.path, format: usedBy.get(input.path) ?? 'butane' });
      continue;
    }
    const contribution = butane.get(input.path) ?? readOne(input, ledger);
    if (!contribution) continue;
    contributions.push(contribution);
    sources.push({ path: input.path, format: contribution.format });
  }
  return assemble(contributions, sources, ledger);
}

/** A cheap test on the raw input, so only Butane candidates are decoded twice. */
function mentions(content: Uint8Array | string, word: string): boolean {
  return typeof content === 'string' ? content.includes(word) : Buffer.from(content.buffer, content.byteOffset, content.byteLength).includes(word);
}

/** The input as text, or undefined where decoding fails (readOne reports that when it reads the file). */
function decodeQuietly(input: InputFile): string | undefined {
  try {
    return decodeInput(input.path, input.content);
  } catch (error) {
    if (error instanceof InputError) return undefined;
    throw error;
  }
}

function readOne(input: InputFile, ledger: Ledger): Contribution | undefined {
  const text = decodeInput(input.path, input.content);
  const found = detect(input.path, text);
  const origin = { file: input.path, line: 1, column: 1 };
  switch (found.kind) {
    case 'cloud-config':
      return readCloudConfig(input.path, text, ledger);
    case 'butane':
      return readButane(input.path, text, ledger);
    case 'ignition':
      return readIgnition(input.path, text, ledger);
    case 'container-linux-config':
      return readContainerLinuxConfig(input.path, text, ledger);
    case 'docker-script':
    case 'docker-run':
      return readDockerScript(input.path, text, ledger, found.kind);
    case 'docker-inspect':
      return readDockerInspect(input.path, text, ledger);
    case 'quadlet':
      return quadletInput(input.path, text, ledger);
    case 'env-file': {
      const item = ledger.item('file', input.path, origin);
      ledger.dropped(item, 'an env file no Compose project among the inputs reads');
      ledger.report('warning', 'compose/env-file-not-read', `${input.path} looks like an env file, but no Compose project reads it; it is not converted`, origin, 'give it with --env-file, or name it in a service\'s env_file');
      return undefined;
    }
    case 'compose': {
      // A Compose file no project took: a second main file of a directory, or an override file without one.
      const item = ledger.item('file', input.path, origin);
      ledger.dropped(item, 'a Compose file that is not part of a project: Docker Compose would not read it without -f');
      ledger.report('warning', 'compose/file-not-read', `${input.path} is a Compose file that no project reads; it is not converted`, origin, 'name it with -f to merge it into the project');
      return undefined;
    }
    case 'unit': {
      const item = ledger.item('unit', found.unit, origin);
      return { format: 'systemd-unit', units: [{ unit: found.unit, text, position: fileMapper(input.path), item }] };
    }
    case 'drop-in': {
      const item = ledger.item('drop-in', `${found.unit}.d/${found.name}`, origin);
      const unit: UnitText = { unit: found.unit, dropIn: found.name, text, position: fileMapper(input.path), item };
      return { format: 'systemd-drop-in', units: [unit] };
    }
    case 'authorized-keys':
      if (found.userGuessed) {
        ledger.report(
          'warning',
          'authorized-keys/user-guessed',
          `${input.path} names no user; its keys go to \`${found.user}\`, CoreOS's default user`,
          origin,
          'put the file at <user>/.ssh/authorized_keys or name it authorized_keys.<user> to choose the user',
        );
      }
      return readAuthorizedKeys(input.path, text, found.user, ledger);
    case 'unknown': {
      if (!input.discovered) {
        throw new InputError({
          code: 'input/unknown-format',
          message: `cannot tell what ${input.path} is`,
          origin,
          hint: INPUT_KINDS_HINT,
        });
      }
      const item = ledger.item('file', input.path, origin);
      ledger.unsupported(item, 'not a kind of input nixport reads; not read');
      ledger.report('warning', 'input/skipped', `${input.path} was skipped: nixport does not know this kind of file`, origin);
      return undefined;
    }
  }
}

/** A Quadlet file named as an input: `.container`, `.network` and `.volume` are read with the others; the other kinds are reported. */
function quadletInput(path: string, text: string, ledger: Ledger): Contribution | undefined {
  const origin = { file: path, line: 1, column: 1 };
  const item = ledger.item('file', path, origin);
  const kind = quadletKind(path);
  if (kind === 'container' || kind === 'network' || kind === 'volume') return { format: 'quadlet', quadlets: [{ path, text, position: fileMapper(path), item }] };
  const reason = `a Quadlet .${kind ?? ''} file, which nixport does not convert`;
  ledger.unsupported(item, reason);
  ledger.report('warning', 'quadlet/not-read', `${path} is ${reason}`, origin, QUADLET_HINTS[kind ?? ''] ?? 'declare what it made by hand');
  return undefined;
}

/** Joins what the readers found; where two inputs disagree, the first (by path) wins and the rest is reported. */
function assemble(parts: readonly Contribution[], sources: readonly SourceFile[], ledger: Ledger): Host {
  let hostname: Located<string> | undefined;
  const unitTexts: UnitText[] = [];
  const files: HostFile[] = [];
  const users = new Map<string, User>();
  const groups = new Map<string, Group>();
  const keys: AuthorizedKey[] = [];
  let update: UpdatePolicy = {};
  let storage: HostStorage = EMPTY_STORAGE;
  const containers = new Map<string, StandaloneContainer>();
  const networks: NetworkDefinition[] = [];
  const volumes: VolumeDefinition[] = [];
  const quadlets: QuadletText[] = [];
  const secrets: HostSecret[] = [];

  for (const part of parts) {
    if (part.hostname) {
      if (!hostname) hostname = part.hostname;
      else if (hostname.value !== part.hostname.value) {
        ledger.dropped(part.hostname.item, `another input already set the hostname to \`${hostname.value}\``);
        ledger.report(
          'warning',
          'host/hostname-conflict',
          `hostname \`${part.hostname.value}\` conflicts with \`${hostname.value}\` set earlier; keeping the first`,
          part.hostname.item.origin,
          'pass --host to choose the name',
        );
      }
    }
    unitTexts.push(...(part.units ?? []));
    files.push(...(part.files ?? []));
    for (const user of part.users ?? []) {
      const seen = users.get(user.name);
      if (!seen) users.set(user.name, user);
      else {
        dropWithFields(ledger, user.item, `user \`${user.name}\` is declared again; the first declaration is used`);
        ledger.report('warning', 'host/user-twice', `user \`${user.name}\` is declared twice`, user.item.origin);
      }
    }
    for (const group of part.groups ?? []) {
      if (!groups.has(group.name)) groups.set(group.name, group);
      else dropWithFields(ledger, group.item, `group \`${group.name}\` is declared again; the first declaration is used`);
    }
    keys.push(...(part.authorizedKeys ?? []));
    if (part.update) update = mergeUpdate(update, part.update, ledger);
    if (part.storage) storage = mergeStorage(storage, part.storage);
    for (const c of part.containers ?? []) addContainer(containers, c, ledger);
    networks.push(...(part.networks ?? []));
    volumes.push(...(part.volumes ?? []));
    quadlets.push(...(part.quadlets ?? []));
    secrets.push(...(part.secrets ?? []));
  }
  // Quadlet files, named as inputs or written by a config: what they declare replaces the files themselves.
  let hostFiles = dedupeFiles(files, ledger);
  const written = quadletHostFiles(hostFiles);
  if (quadlets.length > 0 || written.size > 0) {
    const read = readQuadlets([...quadlets, ...written.keys()], ledger);
    const consumed = new Set([...written].filter(([q]) => read.read.has(q)).map(([, f]) => f));
    hostFiles = hostFiles.filter((f) => !consumed.has(f));
    for (const c of read.containers) addContainer(containers, c, ledger);
    networks.push(...read.networks);
    volumes.push(...read.volumes);
  }

  return {
    ...(hostname ? { hostname } : {}),
    units: readUnits(unitTexts, ledger),
    files: hostFiles,
    users: [...users.values()],
    groups: [...groups.values()],
    authorizedKeys: keys,
    update,
    storage: dedupeStorage(storage, ledger),
    ...(containers.size > 0 ? { containers: [...containers.values()] } : {}),
    ...(networks.length > 0 ? { networks } : {}),
    ...(volumes.length > 0 ? { volumes } : {}),
    ...(secrets.length > 0 ? { secrets } : {}),
    sources,
  };
}

/**
 * Containers from several inputs: one name, one container per kind of
 * input. A `docker inspect` record may describe the same container as a
 * script line or a unit; both are kept, and the analysis compares them.
 */
function addContainer(containers: Map<string, StandaloneContainer>, c: StandaloneContainer, ledger: Ledger): void {
  const key = `${c.source === 'docker-inspect' ? 'inspect' : 'run'}\0${c.name}`;
  const seen = containers.get(key);
  if (!seen) {
    containers.set(key, c);
    return;
  }
  const reason = `${seen.item.origin.file}:${seen.item.origin.line} already describes the container \`${c.name}\``;
  ledger.settleTree(c.item, { kind: 'dropped', reason });
  ledger.report('warning', 'host/container-twice', `the container \`${c.name}\` is described twice; ${reason}, so this one is not converted`, c.item.origin);
}

/**
 * Ignition refuses two entries for one path, device or name; across inputs
 * they can still meet. The first (by input path, then position) is used.
 */
function dedupeStorage(storage: HostStorage, ledger: Ledger): HostStorage {
  const unique = <T extends { readonly item: InputItem }>(entries: readonly T[], keys: (t: T) => readonly (string | undefined)[], what: string): T[] => {
    const seen = new Map<string, T>();
    return entries.filter((entry) => {
      const names = keys(entry).filter((k): k is string => k !== undefined);
      const first = names.map((n) => seen.get(n)).find((t) => t !== undefined);
      if (first) {
        const reason = `${what} ${names.find((n) => seen.get(n) === first)} is declared again; the first declaration (${first.item.origin.file}:${first.item.origin.line}) is used`;
        dropWithFields(ledger, entry.item, reason);
        ledger.report('warning', 'host/storage-twice', `${entry.item.label}: ${reason}`, entry.item.origin, 'Ignition refuses a config with both; remove one.');
        return false;
      }
      for (const n of names) seen.set(n, entry);
      return true;
    });
  };
  return {
    ...storage,
    directories: unique(storage.directories, (d) => [d.path], 'the directory'),
    links: unique(storage.links, (l) => [l.path], 'the link'),
    filesystems: unique(storage.filesystems, (f) => [`device ${f.device}`, f.path === undefined ? undefined : `mount point ${f.path}`], 'the file system with'),
    luks: unique(storage.luks, (l) => [l.name], 'the LUKS volume'),
    disks: unique(storage.disks, (d) => [d.device], 'the disk'),
    raid: unique(storage.raid, (r) => [r.name], 'the RAID array'),
  };
}

/**
 * Drops a user or group declared again, and the fields read below it (they
 * have nothing to go to). Its SSH keys stay: keys go to the user by name.
 */
function dropWithFields(ledger: Ledger, item: InputItem, reason: string): void {
  ledger.dropped(item, reason);
  const walk = (parent: InputItem) => {
    for (const child of ledger.childrenOf(parent)) {
      if (child.kind === 'authorized-key') continue;
      ledger.dropped(child, reason);
      walk(child);
    }
  };
  walk(item);
}

/** Storage entries from several inputs add up; the first boot_device wins. */
function mergeStorage(a: HostStorage, b: Partial<HostStorage>): HostStorage {
  return {
    directories: [...a.directories, ...(b.directories ?? [])],
    links: [...a.links, ...(b.links ?? [])],
    filesystems: [...a.filesystems, ...(b.filesystems ?? [])],
    luks: [...a.luks, ...(b.luks ?? [])],
    disks: [...a.disks, ...(b.disks ?? [])],
    raid: [...a.raid, ...(b.raid ?? [])],
    kernelArguments: {
      shouldExist: [...a.kernelArguments.shouldExist, ...(b.kernelArguments?.shouldExist ?? [])],
      shouldNotExist: [...a.kernelArguments.shouldNotExist, ...(b.kernelArguments?.shouldNotExist ?? [])],
    },
    ...((a.bootDevice ?? b.bootDevice) ? { bootDevice: (a.bootDevice ?? b.bootDevice)! } : {}),
  };
}

const UPDATE_KEYS = ['rebootStrategy', 'group', 'server', 'windowStart', 'windowLength'] as const;

function mergeUpdate(a: UpdatePolicy, b: UpdatePolicy, ledger: Ledger): UpdatePolicy {
  const out: { -readonly [K in keyof UpdatePolicy]: UpdatePolicy[K] } = { ...a };
  for (const key of UPDATE_KEYS) {
    const value = b[key];
    if (!value) continue;
    const seen = out[key];
    if (!seen) out[key] = value;
    else ledger.dropped(value.item, `update setting given again; the first (${seen.value}) is used`);
  }
  return out;
}

/** Two write_files entries for one path: the later one wins, as on the old host. */
function dedupeFiles(files: readonly HostFile[], ledger: Ledger): HostFile[] {
  const byPath = new Map<string, HostFile>();
  for (const file of files) {
    const seen = byPath.get(file.path);
    if (seen) ledger.dropped(seen.item, `\`${file.path}\` is written again at ${file.item.origin.line}; the later content wins`);
    byPath.set(file.path, file);
  }
  return [...byPath.values()];
}
