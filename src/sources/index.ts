import { InputError } from '../model/diagnostic.ts';
import type { AuthorizedKey, Group, Host, HostFile, SourceFile, UpdatePolicy, User } from '../model/host.ts';
import type { Ledger } from '../model/ledger.ts';
import { fileMapper } from '../model/origin.ts';
import { EMPTY_STORAGE, type HostStorage } from '../model/storage.ts';
import type { Located } from '../model/unit.ts';
import { readAuthorizedKeys } from './authorized-keys.ts';
import { readCloudConfig } from './cloud-config/index.ts';
import { decodeInput } from './decode.ts';
import { detect } from './detect.ts';
import { readUnits } from './systemd/index.ts';
import type { Contribution, InputFile, UnitText } from './types.ts';

export type { InputFile } from './types.ts';

/**
 * Reads every input into one Host. Throws InputError for input that cannot
 * be read at all; everything else becomes ledger items and diagnostics.
 */
export function readInputs(inputs: readonly InputFile[], ledger: Ledger): Host {
  if (inputs.length === 0) {
    throw new InputError({
      code: 'input/none',
      message: 'no input files',
      hint: 'name a cloud-config, unit files, authorized_keys files, or a directory holding them',
    });
  }
  const sorted = [...inputs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const contributions: Contribution[] = [];
  const sources: SourceFile[] = [];
  for (const input of sorted) {
    const contribution = readOne(input, ledger);
    if (!contribution) continue;
    contributions.push(contribution);
    sources.push({ path: input.path, format: contribution.format });
  }
  return assemble(contributions, sources, ledger);
}

function readOne(input: InputFile, ledger: Ledger): Contribution | undefined {
  const text = decodeInput(input.path, input.content);
  const found = detect(input.path, text);
  const origin = { file: input.path, line: 1, column: 1 };
  switch (found.kind) {
    case 'cloud-config':
      return readCloudConfig(input.path, text, ledger);
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
          hint:
            'nixport reads cloud-configs (first line `#cloud-config`), systemd units (*.service, *.timer, ...), ' +
            'drop-ins (<unit>.d/*.conf) and authorized_keys files',
        });
      }
      const item = ledger.item('file', input.path, origin);
      ledger.unsupported(item, 'not a cloud-config, unit, drop-in or authorized_keys file; not read');
      ledger.report('warning', 'input/skipped', `${input.path} was skipped: nixport does not know this kind of file`, origin);
      return undefined;
    }
  }
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
        ledger.dropped(user.item, `user \`${user.name}\` is declared again; the first declaration is used`);
        ledger.report('warning', 'host/user-twice', `user \`${user.name}\` is declared twice`, user.item.origin);
      }
    }
    for (const group of part.groups ?? []) {
      if (!groups.has(group.name)) groups.set(group.name, group);
      else ledger.dropped(group.item, `group \`${group.name}\` is declared again; the first declaration is used`);
    }
    keys.push(...(part.authorizedKeys ?? []));
    if (part.update) update = mergeUpdate(update, part.update, ledger);
    if (part.storage) storage = mergeStorage(storage, part.storage);
  }

  return {
    ...(hostname ? { hostname } : {}),
    units: readUnits(unitTexts, ledger),
    files: dedupeFiles(files, ledger),
    users: [...users.values()],
    groups: [...groups.values()],
    authorizedKeys: keys,
    update,
    storage,
    sources,
  };
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
