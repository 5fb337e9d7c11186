/**
 * Who deploys. `make deploy` runs `nixos-rebuild switch --target-host`
 * from the workstation over SSH, as the post does: as an administrator
 * who logs in with a key and becomes root with sudo, or as root. The
 * system closure is copied to the host as that user, and Nix accepts
 * unsigned store paths only from trusted users, so a non-root deploy user
 * goes into nix.settings.trusted-users (the post adds `michael` for the
 * same reason; NixOS's own default, root, stays: the option's definitions
 * are lists that concatenate, docs/nixos-facts.md, "Installing and deploying"). A trusted user can
 * do as root through Nix what wheel can already do with sudo.
 */
import { list, str } from '../../nix/ast.ts';
import { OWNER, type BuildContext } from '../context.ts';

export interface DeployAccess {
  /** The SSH user on the host. */
  readonly user: string;
  /** Why this user, for the README. */
  readonly reason: string;
}

const ADMIN_GROUPS = new Set(['wheel', 'sudo']);

export function buildDeployAccess(ctx: BuildContext): DeployAccess {
  const { host } = ctx;
  // Keys that may run any command: a forced command= key only runs that command.
  const loginKeys = new Set(host.authorizedKeys.filter((k) => !k.options.some((o) => o.name === 'command')).map((k) => k.user));
  const admins = host.users.filter((u) => u.name !== 'root' && u.groups.some((g) => ADMIN_GROUPS.has(g.value)) && loginKeys.has(u.name));
  const declared = new Set(host.users.map((u) => u.name));
  let access: DeployAccess;
  if (admins[0]) {
    access = { user: admins[0].name, reason: `${admins[0].name} is an administrator (wheel) who logs in with an SSH key` };
  } else if (loginKeys.has('core') && !declared.has('core')) {
    access = { user: 'core', reason: "core, CoreOS's default administrator, logs in with an SSH key" };
  } else if (loginKeys.has('root')) {
    access = { user: 'root', reason: 'root logs in with an SSH key' };
  } else {
    ctx.ledger.manual({
      order: 75,
      title: 'Give yourself an SSH login for deploying',
      detail:
        'No user of the old host logs in with an SSH key that may run any command, so `make deploy` has nobody to log in as. ' +
        'Add your key to an administrator (users.users.<name>.openssh.authorizedKeys.keys, extraGroups = [ "wheel" ]) and set TARGET in the Makefile, ' +
        'or to root (then set SUDO to nothing).',
    });
    return { user: 'root', reason: 'no user logs in with an unrestricted SSH key; root is the fallback' };
  }
  if (access.user !== 'root') {
    ctx.tree.define(OWNER.configuration, ['nix', 'settings', 'trusted-users'], list([str(access.user)]), [
      `\`make deploy\` copies the system to this host over SSH as ${access.user}; Nix takes unsigned store paths only from trusted users.`,
    ]);
  }
  return access;
}
