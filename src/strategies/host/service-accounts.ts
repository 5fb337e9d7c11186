import { lastValue, type Directive, type Unit } from '../../model/unit.ts';
import { attrs, bool, str } from '../../nix/ast.ts';
import { OWNER, type BuildContext } from '../context.ts';
import { originComment } from '../values.ts';

/** Accounts every NixOS system has. */
const NIXOS_USERS = new Set(['root', 'nobody']);

/** systemd's words for yes (systemd.syntax(7)). */
const YES = new Set(['1', 'yes', 'y', 'true', 't', 'on']);

/**
 * The accounts the old host's carried units run as (`User=`, `Group=`).
 * The old host had them in /etc/passwd, which no input holds; NixOS
 * declares every account, and a unit whose user does not exist never
 * starts. Each becomes a system user with its group. Their files on the
 * data disks keep the old numeric ids, so a manual step says to re-own
 * them. Returns the groups to declare (group -> why).
 */
export function buildServiceAccounts(ctx: BuildContext, declaredUsers: ReadonlySet<string>): Map<string, string> {
  const groups = new Map<string, string>();
  const accounts = new Map<string, { readonly units: string[]; readonly origin: Directive }>();
  for (const unit of carriedUnits(ctx)) {
    if (YES.has(lastValue(unit, 'Service', 'DynamicUser')?.value.toLowerCase() ?? '')) continue;
    const user = lastValue(unit, 'Service', 'User');
    const group = lastValue(unit, 'Service', 'Group');
    if (group && isName(group.value)) groups.set(group.value, `the group ${unit.name} runs as (Group=)`);
    if (!user || !isName(user.value) || NIXOS_USERS.has(user.value) || declaredUsers.has(user.value)) continue;
    const seen = accounts.get(user.value);
    if (seen) seen.units.push(unit.name);
    else {
      accounts.set(user.value, { units: [unit.name], origin: user });
      const primary = group && isName(group.value) ? group.value : user.value;
      const path = ['users', 'users', user.value];
      ctx.tree.define(OWNER.users, path, attrs([]), [`The account ${unit.name} runs as (User=, ${originComment(user.item.origin)}); the old host had it, the input does not say more.`]);
      ctx.tree.define(OWNER.users, [...path, 'isSystemUser'], bool(true));
      ctx.tree.define(OWNER.users, [...path, 'group'], str(primary));
      if (!groups.has(primary)) groups.set(primary, `the group of ${user.value}`);
    }
  }
  if (accounts.size > 0) {
    const listed = [...accounts].map(([name, a]) => `${name} (${a.units.join(', ')})`).join(', ');
    ctx.ledger.report('info', 'users/service-account', `declared as system users, because units run as them and NixOS creates only declared accounts: ${listed}`, [...accounts.values()][0]!.origin.item.origin);
    ctx.ledger.manual({
      order: 46,
      title: 'Re-own the files of the service accounts',
      detail: `NixOS gives ${[...accounts.keys()].join(', ')} new user and group ids, so the files they own on disks that come along (and what you copy over) still carry the old ids. After the first boot, for each account run \`chown -R NAME:GROUP\` on its directories (WorkingDirectory=, data paths), or set users.users.NAME.uid and users.groups.GROUP.gid to the old ids (\`id NAME\` on the old host).`,
      origin: [...accounts.values()][0]!.origin.item.origin,
    });
  }
  return groups;
}

/** Units carried 1:1 (stage 1): a native module brings its own account, an oci container runs as root's client. */
function carriedUnits(ctx: BuildContext): Unit[] {
  return ctx.plan.services.filter((s) => s.strategy === 'docker').flatMap((s) => s.units);
}

/** A plain account name: not a number (systemd takes uids as they are), no specifier or variable. */
function isName(value: string): boolean {
  return /^[a-z_][a-z0-9_.-]*\$?$/i.test(value);
}
