import type { AuthorizedKey, User } from '../../model/host.ts';
import { attrs, bool, int, list, pkg, str, type NixExpr } from '../../nix/ast.ts';
import { OWNER, optionName, type BuildContext } from '../context.ts';
import { originComment, templateToNix } from '../values.ts';
import { buildServiceAccounts } from './service-accounts.ts';

/** Groups that exist on every NixOS system (static ids, or created by systemd). */
const NIXOS_GROUPS = new Set([
  'root', 'wheel', 'disk', 'kmem', 'tty', 'floppy', 'uucp', 'lp', 'cdrom', 'tape', 'audio', 'video',
  'dialout', 'nogroup', 'users', 'nixbld', 'utmp', 'adm', 'input', 'kvm', 'render', 'sgx', 'shadow',
  'systemd-journal',
]);

/** CoreOS group names and what they become on NixOS. */
const GROUP_RENAMES: Readonly<Record<string, string>> = { sudo: 'wheel' };

/** CoreOS groups that belonged to tools NixOS does not have, with the reason. */
const COREOS_ONLY_GROUPS: Readonly<Record<string, string>> = {
  portage: 'the Gentoo package manager CoreOS was built with; NixOS has none',
  rkt: 'rkt is not on NixOS',
  'rkt-admin': 'rkt is not on NixOS',
  fleet: 'fleet is not on NixOS',
  etcd: 'etcd clusters are not migrated',
};

/** Login shells by file name: the package NixOS takes, and whether `programs.<x>.enable` must be on. */
const SHELLS: Readonly<Record<string, { readonly attr: string; readonly program?: string }>> = {
  bash: { attr: 'bashInteractive' },
  sh: { attr: 'bashInteractive' },
  zsh: { attr: 'zsh', program: 'zsh' },
  fish: { attr: 'fish', program: 'fish' },
};
const NOLOGIN = new Set(['nologin', 'false']);

/** Users, groups and their SSH keys (users.nix). */
export function buildUsers(ctx: BuildContext, dockerGroupExists: boolean): void {
  const { host, ledger, tree } = ctx;
  const o = OWNER.users;
  const declared = new Set(host.users.map((u) => u.name));
  const neededGroups = new Map<string, string>(); // group -> why

  for (const user of host.users) carryUser(user, ctx, neededGroups);
  // Accounts only the old host's /etc/passwd had, that carried units run as.
  for (const [group, why] of buildServiceAccounts(ctx, new Set([...declared, ...host.authorizedKeys.map((k) => k.user)]))) if (!neededGroups.has(group)) neededGroups.set(group, why);

  // Keys of users the inputs never declared: root exists; CoreOS's `core` and others get an account.
  const keysByUser = groupBy(host.authorizedKeys, (k) => k.user);
  for (const [name, keys] of keysByUser) {
    if (!declared.has(name) && name !== 'root') {
      const path = ['users', 'users', name];
      const coreos = name === 'core';
      tree.define(o, path, attrs([]), [
        coreos
          ? "CoreOS's default user, which held the top-level ssh_authorized_keys."
          : `Declared because ${originComment(keys[0]!.item.origin)} holds keys for it.`,
      ]);
      tree.define(o, [...path, 'isNormalUser'], bool(true));
      if (coreos) tree.define(o, [...path, 'extraGroups'], list([str('wheel'), str('docker')]));
      ledger.report('info', 'users/implied', `user \`${name}\` is created for its SSH keys`, keys[0]!.item.origin);
    }
    carryKeys(name, keys, ctx);
  }

  for (const group of host.groups) {
    const path = ['users', 'groups', group.name];
    tree.define(o, path, attrs([]), [`group, from ${originComment(group.item.origin)}`]);
    if (group.gid) {
      tree.define(o, [...path, 'gid'], int(group.gid.value));
      ledger.carried(group.gid.item, optionName([...path, 'gid']));
    }
    if (group.members.length > 0) tree.define(o, [...path, 'members'], list(group.members.map((m) => str(m))));
    ledger.carried(group.item, optionName(path));
    neededGroups.delete(group.name);
  }

  for (const [group, why] of [...neededGroups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (NIXOS_GROUPS.has(group) || (group === 'docker' && dockerGroupExists)) continue;
    tree.define(o, ['users', 'groups', group], attrs([]), [why]);
  }
}

function carryUser(user: User, ctx: BuildContext, neededGroups: Map<string, string>): void {
  const { ledger, tree } = ctx;
  const o = OWNER.users;
  const path = ['users', 'users', user.name];
  const at = (...rest: string[]) => [...path, ...rest];
  const system = user.system?.value === true;

  tree.define(o, path, attrs([]), [`user, from ${originComment(user.item.origin)}`]);
  tree.define(o, at(system ? 'isSystemUser' : 'isNormalUser'), bool(true));
  ledger.carried(user.item, optionName(path));
  if (user.system) ledger.carried(user.system.item, optionName(at(system ? 'isSystemUser' : 'isNormalUser')));

  if (user.gecos) {
    tree.define(o, at('description'), str(user.gecos.value));
    ledger.carried(user.gecos.item, optionName(at('description')));
  }
  if (user.uid && !system && user.uid.value < 1000) {
    // NixOS rejects normal users below 1000 (CoreOS's `core` was 500).
    ledger.unsupported(user.uid.item, 'NixOS requires uid >= 1000 for normal users');
    ledger.manual({
      order: 45,
      title: `Re-own the files of ${user.name}`,
      detail: `${user.name} had uid ${user.uid.value} on the old host; NixOS gives normal users uids from 1000. After the first boot run \`find / -xdev -uid ${user.uid.value} -exec chown -h ${user.name} {} +\` on the data disks.`,
      origin: user.uid.item.origin,
    });
  } else if (user.uid) {
    tree.define(o, at('uid'), int(user.uid.value));
    ledger.carried(user.uid.item, optionName(at('uid')));
  }

  // useradd on CoreOS gave each user a group of its own name; NixOS does not (post, N5).
  const primary = user.primaryGroup?.value ?? user.name;
  tree.define(o, at('group'), str(primary), user.primaryGroup ? [] : ['A group of its own, as useradd made on CoreOS.']);
  if (user.primaryGroup) ledger.carried(user.primaryGroup.item, optionName(at('group')));
  neededGroups.set(primary, `primary group of ${user.name}`);

  const extra: NixExpr[] = [];
  for (const g of user.groups) {
    const dropped = COREOS_ONLY_GROUPS[g.value];
    if (dropped) {
      ledger.dropped(g.item, `group \`${g.value}\`: ${dropped}`);
      continue;
    }
    const name = GROUP_RENAMES[g.value] ?? g.value;
    extra.push(str(name));
    ledger.carried(g.item, optionName(at('extraGroups')), name !== g.value ? `\`${g.value}\` is \`${name}\` on NixOS` : undefined);
    if (!neededGroups.has(name)) neededGroups.set(name, `used by ${user.name}`);
  }
  if (extra.length > 0) tree.define(o, at('extraGroups'), list(extra));

  if (user.home) {
    tree.define(o, at('home'), str(user.home.value));
    ledger.carried(user.home.item, optionName(at('home')));
  }
  if (user.noCreateHome) {
    if (user.noCreateHome.value) tree.define(o, at('createHome'), bool(false));
    ledger.carried(user.noCreateHome.item, optionName(at('createHome')));
  }
  if (user.shell) carryShell(user, at, ctx);
  if (user.passwordHash) carryPasswordHash(user, at, ctx);
}

/**
 * A password hash is a secret too: the store is world-readable, and a
 * crypt(3) hash can be cracked offline. It goes to a file NixOS reads
 * while it creates the users (hashedPasswordFile); a locked password
 * (`!`, `*`) is no secret and stays in hashedPassword.
 */
function carryPasswordHash(user: User, at: (...rest: string[]) => string[], ctx: BuildContext): void {
  const { ledger, tree } = ctx;
  const hash = user.passwordHash!;
  const finding = ctx.analysis.secrets.users.get(user);
  if (!finding) {
    tree.define(OWNER.users, at('hashedPassword'), str(hash.value), ['Not a crypt(3) hash (a locked password, say): nothing to keep secret.']);
    ledger.carried(hash.item, optionName(at('hashedPassword')));
    return;
  }
  const option = optionName(at('hashedPasswordFile'));
  const file = ctx.secrets.add({
    name: `${user.name}.password-hash`,
    content: `${hash.value}\n`,
    format: 'raw',
    neededForUsers: true,
    purpose: `the password hash of ${user.name}`,
    findings: [finding],
    origin: hash.item.origin,
  });
  tree.define(OWNER.users, at('hashedPasswordFile'), str(file.path), ['The crypt(3) hash from the old host, outside the world-readable store (MIGRATION.md, "Secrets").']);
  ledger.carried(hash.item, option, `the hash went to ${file.path}, outside the Nix store`);
  ctx.secrets.moved(finding, option, file);
}

function carryShell(user: User, at: (...rest: string[]) => string[], ctx: BuildContext): void {
  const shell = user.shell!;
  const base = shell.value.split('/').pop() ?? '';
  const known = SHELLS[base];
  const o = OWNER.users;
  if (known) {
    ctx.tree.define(o, at('shell'), pkg(known.attr));
    if (known.program) ctx.tree.define(OWNER.configuration, ['programs', known.program, 'enable'], bool(true));
    ctx.ledger.carried(shell.item, optionName(at('shell')), `\`${shell.value}\` is pkgs.${known.attr}`);
  } else if (NOLOGIN.has(base)) {
    ctx.tree.define(o, at('shell'), str('/run/current-system/sw/bin/nologin'));
    ctx.ledger.carried(shell.item, optionName(at('shell')));
  } else {
    ctx.ledger.unsupported(shell.item, `no package is known for the shell \`${shell.value}\``);
    ctx.ledger.report(
      'warning',
      'users/unknown-shell',
      `shell \`${shell.value}\` of \`${user.name}\` is not carried; NixOS gives the default shell`,
      shell.item.origin,
      'set users.users.<name>.shell to the shell package',
    );
  }
}

/**
 * Keys keep every option byte for byte; only a forced command's program
 * becomes a store path. A key whose options hold a secret (a password in
 * its forced command, a token in `environment=`) cannot be carried without
 * changing them, so it is left out, with an error: better no access than a
 * loosened restriction or a secret in the store.
 */
function carryKeys(user: string, keys: readonly AuthorizedKey[], ctx: BuildContext): void {
  const path = ['users', 'users', user, 'openssh', 'authorizedKeys', 'keys'];
  const withheld = keys.filter((k) => ctx.analysis.secrets.keys.has(k));
  for (const k of withheld) {
    const what = ctx.analysis.secrets.keys.get(k)!.map((f) => f.what).join(', ');
    ctx.ledger.unsupported(k.item, `its options hold a secret (${what}); carrying it would put the secret into the world-readable store`);
    ctx.ledger.report(
      'error',
      'users/key-with-secret',
      `a key of \`${user}\` is not carried: its options hold a secret (${what})`,
      k.item.origin,
      'make the forced command read the secret from a file on the host (e.g. a script outside the store), then add the key to users.users.<name>.openssh.authorizedKeys.keys',
    );
    ctx.ledger.manual({
      order: 45,
      title: `Add the withheld key of ${user}`,
      detail: `The key at ${originComment(k.item.origin)} was left out because its options hold a secret. Rewrite its forced command to read the secret from a root-only file, then add it to users.nix.`,
      origin: k.item.origin,
    });
  }
  const carried = keys.filter((k) => !ctx.analysis.secrets.keys.has(k));
  if (carried.length === 0) return;
  const values = carried.map((k) => templateToNix(ctx.keyCommands?.get(k)?.template ?? ctx.analysis.binaries.keys.get(k) ?? [k.line]));
  ctx.tree.define(OWNER.users, path, list(values));
  for (const k of carried) {
    const rewritten = ctx.analysis.binaries.keys.has(k);
    const native = ctx.keyCommands?.get(k);
    ctx.ledger.carried(k.item, optionName(path), native ? `forced command runs ${native.note} instead of a container; the other options are kept byte for byte` : rewritten ? 'forced command now runs the program from the Nix store' : undefined);
  }
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = out.get(k);
    if (list) list.push(x);
    else out.set(k, [x]);
  }
  return out;
}
