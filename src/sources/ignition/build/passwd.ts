/**
 * `passwd.users` and `passwd.groups`. They fill the same model as
 * cloud-config `users`, so the users builder carries both alike. Ignition
 * put `sshAuthorizedKeys` into `~/.ssh/authorized_keys.d/ignition`, which
 * sshd read as the user's keys.
 */
import type { AuthorizedKey, Group, User } from '../../../model/host.ts';
import type { InputItem } from '../../../model/ledger.ts';
import type { Located } from '../../../model/unit.ts';
import { readKeyLine } from '../../authorized-keys.ts';
import type { ConfigNode } from '../node.ts';
import { Rejected, unlessRejected, type Fields } from '../walker.ts';
import type { ReaderContext } from './context.ts';

export interface PasswdRead {
  readonly users: User[];
  readonly groups: Group[];
  readonly keys: AuthorizedKey[];
}

type UserFields = { -readonly [K in keyof User]?: User[K] };

export function readPasswd(ctx: ReaderContext, node: ConfigNode): PasswdRead {
  const out: PasswdRead = { users: [], groups: [], keys: [] };
  const f = ctx.w.fields(node, 'Passwd', undefined);
  for (const u of ctx.w.listOf(f.field('users'), undefined)) unlessRejected(() => readUser(ctx, u, out));
  for (const g of ctx.w.listOf(f.field('groups'), undefined)) {
    const group = unlessRejected(() => readGroup(ctx, g));
    if (group) out.groups.push(group);
  }
  return out;
}

function readUser(ctx: ReaderContext, node: ConfigNode, out: PasswdRead): void {
  const { w, ledger } = ctx;
  const item = w.entryItem('user', node, w.peek(node, 'name'));
  const f = w.fields(node, 'PasswdUser', item);
  const name = f.string('name');
  if (name === undefined || name === '') {
    w.reject(item, 'missing-key', `${node.where} has no \`name\``, node.origin, 'Add `name` with the login name.');
    throw new Rejected();
  }
  const shouldExist = f.located<boolean>('shouldExist', 'bool');
  if (shouldExist?.value === false) {
    const reason = `Ignition deleted the user \`${name}\` (${w.spelled('shouldExist')}: false); NixOS does not create it`;
    ledger.settleTree(item, { kind: 'dropped', reason });
    return;
  }
  if (shouldExist) ledger.dropped(shouldExist.item, 'the user exists on NixOS because it is declared');

  const fields: UserFields = {};
  const groups: Located<string>[] = [];
  readUserFields(ctx, f, item, fields, groups);
  // Spec 2.0's spelling: the same settings below `create`.
  const create = f.map('create');
  if (create) readUserFields(ctx, w.fields(create, 'UserCreate', item), item, fields, groups);

  const hash = f.located<string>('passwordHash', 'string');
  if (hash && hash.value !== '') fields.passwordHash = hash;
  else if (hash) ledger.dropped(hash.item, 'an empty password hash sets no password');

  for (const key of f.strings('sshAuthorizedKeys')) {
    const line = key.value.replace(/\n+$/, '');
    const read = readKeyLine(ledger, line, name, (offset) => key.node.at(offset), key.node.label, item);
    if (read) out.keys.push(read);
  }
  for (const local of f.strings('sshAuthorizedKeysLocal')) readLocalKeys(ctx, local.value, local.node, name, item, out);
  out.users.push({ ...fields, name, item, groups });
}

function readUserFields(ctx: ReaderContext, f: Fields, parent: InputItem, fields: UserFields, groups: Located<string>[]): void {
  // 2.x may give a setting both on the user and below `create`; the later one wins.
  const set = <K extends 'gecos' | 'primaryGroup' | 'home' | 'shell' | 'uid' | 'system' | 'noCreateHome'>(into: K, value: UserFields[K]) => {
    const old = fields[into];
    if (old) ctx.ledger.dropped(old.item, `given again at ${f.node.where}; that value wins`);
    fields[into] = value;
  };
  const string = (key: string, into: 'gecos' | 'primaryGroup' | 'home' | 'shell') => {
    const value = f.located<string>(key, 'string');
    if (value && value.value !== '') set(into, value);
    else if (value) ctx.ledger.dropped(value.item, 'empty: read as unset');
  };
  string('gecos', 'gecos');
  string('primaryGroup', 'primaryGroup');
  string('homeDir', 'home');
  string('shell', 'shell');
  const uid = f.located<number>('uid', 'int');
  if (uid) set('uid', uid);
  const system = f.located<boolean>('system', 'bool');
  if (system) set('system', system);
  const noCreateHome = f.located<boolean>('noCreateHome', 'bool');
  if (noCreateHome) set('noCreateHome', noCreateHome);
  for (const g of f.strings('groups')) {
    groups.push({ value: g.value, item: ctx.ledger.item('key', g.node.label, g.node.origin, parent) });
  }
}

function readGroup(ctx: ReaderContext, node: ConfigNode): Group | undefined {
  const { w, ledger } = ctx;
  const item = w.entryItem('group', node, w.peek(node, 'name'));
  const f = w.fields(node, 'PasswdGroup', item);
  const name = f.string('name');
  if (name === undefined || name === '') {
    w.reject(item, 'missing-key', `${node.where} has no \`name\``, node.origin, 'Add `name` with the group name.');
    throw new Rejected();
  }
  const shouldExist = f.located<boolean>('shouldExist', 'bool');
  if (shouldExist?.value === false) {
    ledger.settleTree(item, { kind: 'dropped', reason: `Ignition deleted the group \`${name}\`; NixOS does not create it` });
    return undefined;
  }
  if (shouldExist) ledger.dropped(shouldExist.item, 'the group exists on NixOS because it is declared');
  const gid = f.located<number>('gid', 'int');
  return { name, item, ...(gid ? { gid } : {}), members: [] };
}

/** Butane `ssh_authorized_keys_local`: files beside the config, one key per line. */
function readLocalKeys(ctx: ReaderContext, relative: string, node: ConfigNode, user: string, parent: InputItem, out: PasswdRead): void {
  const found = ctx.locals?.file(relative);
  if (!found || !found.found) {
    const item = ctx.ledger.item('authorized-key', `${node.label} (${relative})`, node.origin, parent);
    const title = `Add the SSH keys of ${user} from ${relative}`;
    ctx.ledger.settle(item, { kind: 'manual', step: title });
    ctx.ledger.report(
      'warning',
      ctx.w.code('local-missing'),
      `${node.where}: \`${relative}\` is not among the inputs (${found?.reason ?? 'no files directory'})`,
      node.origin,
      'Give nixport the directory that holds the Butane config and its files.',
    );
    ctx.ledger.manual({
      order: 40,
      title,
      detail: `The keys of ${user} were in \`${relative}\` beside the Butane config. Add them to users.users.${user}.openssh.authorizedKeys.keys.`,
      origin: node.origin,
    });
    return;
  }
  const path = found.file.path;
  new TextDecoder()
    .decode(found.file.content)
    .split('\n')
    .forEach((raw, index) => {
      const line = raw.replace(/\r$/, '');
      if (line.trim() === '' || line.trimStart().startsWith('#')) return;
      const key = readKeyLine(ctx.ledger, line, user, (offset) => ({ file: path, line: index + 1, column: offset + 1 }), `${path} line ${index + 1}`, parent);
      if (key) out.keys.push(key);
    });
}
