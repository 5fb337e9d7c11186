/**
 * `users` and `ssh_authorized_keys`. coreos-cloudinit added the top-level
 * `ssh_authorized_keys` to the built-in user `core`.
 */
import { isMap, isScalar } from 'yaml';
import type { AuthorizedKey, User } from '../../model/host.ts';
import type { InputItem } from '../../model/ledger.ts';
import type { Located } from '../../model/unit.ts';
import { readKeyLine } from '../authorized-keys.ts';
import { scalarOffsets, scalarText } from '../yaml.ts';
import type { YamlEntry } from '../yaml.ts';
import { partOfEntry } from './walker.ts';
import type { CloudConfigWalker, ListEntry } from './walker.ts';

/** The user coreos-cloudinit gave the top-level `ssh_authorized_keys` to. */
export const CORE_USER = 'core';

export interface UsersRead {
  readonly users: User[];
  readonly keys: AuthorizedKey[];
}

export function readUsers(w: CloudConfigWalker, entry: YamlEntry, label: string): UsersRead {
  const out: UsersRead = { users: [], keys: [] };
  for (const e of w.list(entry, label, undefined) ?? []) readUser(w, e, out);
  return out;
}

type UserFields = { -readonly [K in keyof User]?: User[K] };

function readUser(w: CloudConfigWalker, entry: ListEntry, out: UsersRead): void {
  const { value: map, origin, label } = entry;
  if (!isMap(map)) {
    const item = w.ledger.item('user', label, origin);
    w.wrongType(item, label, 'a mapping with `name` and the user\'s settings', map);
    return;
  }
  const spelled = w.text(map, 'name');
  const item = w.ledger.item('user', spelled ? `${label} (${spelled})` : label, origin);
  const name = w.required(map, 'name', item, label, 'coreos-cloudinit skipped users without a name; add `name: <login>`.');
  if (name === undefined) return;
  const fields: UserFields = {};
  let groups: Located<string>[] = [];
  const string = (key: 'gecos' | 'primaryGroup' | 'home' | 'shell' | 'passwordHash') => (e: YamlEntry, l: string) => {
    const value = w.string(e, l, item);
    if (value) fields[key] = value;
  };
  const bool = (key: 'system' | 'noCreateHome') => (e: YamlEntry, l: string) => {
    const value = w.bool(e, l, item);
    if (value) fields[key] = value;
  };
  w.walk(map, 'users[]', label, item, {
    name: partOfEntry,
    gecos: string('gecos'),
    primary_group: string('primaryGroup'),
    homedir: string('home'),
    shell: string('shell'),
    passwd: string('passwordHash'),
    system: bool('system'),
    no_create_home: bool('noCreateHome'),
    uid: (e, l) => {
      const uid = w.uint(e, l, item);
      if (uid) fields.uid = uid;
    },
    groups: (e, l) => {
      groups = readGroups(w, e, l, item);
    },
    ssh_authorized_keys: (e, l) => {
      out.keys.push(...readAuthorizedKeyList(w, e, l, name, item));
    },
  });
  out.users.push({ ...fields, name, item, groups });
}

/** `groups: [a, b]`, or the comma-separated string cloud-init also accepts (`groups: "a, b"`). */
function readGroups(w: CloudConfigWalker, entry: YamlEntry, label: string, parent: InputItem): Located<string>[] {
  if (isScalar(entry.value) && !(entry.value.value instanceof Uint8Array)) {
    const node = entry.value;
    const text = scalarText(node);
    const at = scalarOffsets(w.src, node);
    const groups: Located<string>[] = [];
    let offset = 0;
    for (const part of text.split(',')) {
      const name = part.trim();
      if (name !== '') {
        const origin = at(offset + part.indexOf(name));
        groups.push({ value: name, item: w.ledger.item('key', `${label}[${groups.length}]`, origin, parent) });
      }
      offset += part.length + 1;
    }
    if (groups.length === 0) w.leaf({ ...entry, value: null }, label, parent);
    return groups;
  }
  const groups: Located<string>[] = [];
  for (const e of w.list(entry, label, parent) ?? []) {
    const group = w.string({ key: '', spelled: '', value: e.value, origin: e.origin }, e.label, parent);
    if (group) groups.push(group);
  }
  return groups;
}

/** An `ssh_authorized_keys` list: each entry is one authorized_keys line. */
export function readAuthorizedKeyList(
  w: CloudConfigWalker,
  entry: YamlEntry,
  label: string,
  user: string,
  parent: InputItem | undefined,
): AuthorizedKey[] {
  const keys: AuthorizedKey[] = [];
  for (const e of w.list(entry, label, parent) ?? []) {
    const node = e.value;
    if (!isScalar(node) || node.value instanceof Uint8Array) {
      const item = w.ledger.item('authorized-key', e.label, e.origin, parent);
      w.wrongType(item, e.label, 'a key line such as `ssh-ed25519 AAAA... me@laptop`', node);
      continue;
    }
    // A block scalar's final newline is YAML layout, not part of the key line.
    const line = scalarText(node).replace(/\n+$/, '');
    const key = readKeyLine(w.ledger, line, user, scalarOffsets(w.src, node), e.label, parent);
    if (key) keys.push(key);
  }
  return keys;
}
