import { editDistance } from '../../model/edit-distance.ts';

/**
 * Every cloud-config key nixport knows, where it may appear, and what the
 * reader does with it. The reader looks keys up here; the support matrix is
 * generated from here. Keys follow coreos-cloudinit (the CoreOS/Flatcar
 * implementation), which reads `-` and `_` in key names alike: the table uses
 * the `_` spelling.
 */

/** Where a key appears: the top level, or the path of the mapping that holds it (`[]`: any list entry). */
export type KeyContext =
  | ''
  | 'coreos'
  | 'coreos.units[]'
  | 'coreos.units[].drop_ins[]'
  | 'coreos.update'
  | 'coreos.locksmith'
  | 'users[]'
  | 'write_files[]';

/**
 * read: the reader puts the value into the model (`into` names where); later
 *   stages settle its item.
 * dropped: settled here; the old host did nothing NixOS lacks (`reason`).
 * unsupported: settled here with a warning; the user must act (`hint`).
 */
export type KeySupport =
  | { readonly kind: 'read'; readonly into: string }
  | { readonly kind: 'dropped'; readonly reason: string }
  | { readonly kind: 'unsupported'; readonly reason: string; readonly hint: string };

export interface CloudConfigKey {
  readonly context: KeyContext;
  readonly key: string;
  readonly support: KeySupport;
}

const read = (into: string): KeySupport => ({ kind: 'read', into });
const dropped = (reason: string): KeySupport => ({ kind: 'dropped', reason });
const unsupported = (reason: string, hint: string): KeySupport => ({ kind: 'unsupported', reason, hint });

/** Keys that cloud-init (Ubuntu's) reads but coreos-cloudinit ignored with a warning. */
const cloudInitOnly = (what: string, hint: string): KeySupport =>
  unsupported(`${what}; this is a cloud-init key that coreos-cloudinit ignored, so the old host did not apply it`, hint);

export const CLOUD_CONFIG_KEYS: readonly CloudConfigKey[] = [
  { context: '', key: 'hostname', support: read('Host.hostname') },
  { context: '', key: 'users', support: read('Host.users') },
  { context: '', key: 'ssh_authorized_keys', support: read('Host.authorizedKeys (user core)') },
  { context: '', key: 'write_files', support: read('Host.files') },
  { context: '', key: 'coreos', support: read('units and update policy') },
  {
    context: '',
    key: 'manage_etc_hosts',
    support: unsupported(
      'coreos-cloudinit wrote /etc/hosts with the hostname on localhost; NixOS generates /etc/hosts itself',
      'NixOS already maps the host name to a loopback address; add other entries with networking.hosts.',
    ),
  },

  { context: 'coreos', key: 'units', support: read('Host.units') },
  { context: 'coreos', key: 'update', support: read('Host.update') },
  { context: 'coreos', key: 'locksmith', support: read('Host.update (reboot window)') },
  {
    context: 'coreos',
    key: 'etcd',
    support: unsupported(
      'etcd (v0.4) clusters are not migrated',
      'NixOS has services.etcd; port the cluster settings by hand and plan the data migration.',
    ),
  },
  {
    context: 'coreos',
    key: 'etcd2',
    support: unsupported(
      'etcd clusters are not migrated',
      'NixOS has services.etcd; port its settings (name, advertise and listen URLs, initial cluster) by hand.',
    ),
  },
  {
    context: 'coreos',
    key: 'fleet',
    support: unsupported(
      'fleet (the CoreOS cluster scheduler) is not migrated; NixOS has no fleet',
      'Run the units fleet scheduled as plain systemd units on each host, or move to another scheduler.',
    ),
  },
  {
    context: 'coreos',
    key: 'flannel',
    support: unsupported(
      'flannel overlay networks are not migrated',
      'NixOS has services.flannel; port its settings (etcd prefix, interface) by hand.',
    ),
  },
  {
    context: 'coreos',
    key: 'oem',
    support: unsupported(
      'OEM identification (/etc/oem-release) describes the CoreOS image, not the host',
      'Nothing to port unless a script read /etc/oem-release.',
    ),
  },

  { context: 'coreos.units[]', key: 'name', support: read('UnitText.unit') },
  { context: 'coreos.units[]', key: 'content', support: read('UnitText.text') },
  { context: 'coreos.units[]', key: 'command', support: read('UnitActivation.command') },
  { context: 'coreos.units[]', key: 'enable', support: read('UnitActivation.enable') },
  { context: 'coreos.units[]', key: 'runtime', support: read('UnitActivation.runtime') },
  { context: 'coreos.units[]', key: 'mask', support: read('UnitActivation.mask') },
  { context: 'coreos.units[]', key: 'drop_ins', support: read('UnitText (drop-ins)') },
  { context: 'coreos.units[].drop_ins[]', key: 'name', support: read('UnitText.dropIn') },
  { context: 'coreos.units[].drop_ins[]', key: 'content', support: read('UnitText.text') },

  { context: 'coreos.update', key: 'reboot_strategy', support: read('UpdatePolicy.rebootStrategy') },
  { context: 'coreos.update', key: 'group', support: read('UpdatePolicy.group') },
  { context: 'coreos.update', key: 'server', support: read('UpdatePolicy.server') },

  { context: 'coreos.locksmith', key: 'window_start', support: read('UpdatePolicy.windowStart') },
  { context: 'coreos.locksmith', key: 'window_length', support: read('UpdatePolicy.windowLength') },
  ...['endpoint', 'etcd_cafile', 'etcd_certfile', 'etcd_keyfile', 'group'].map(
    (key): CloudConfigKey => ({
      context: 'coreos.locksmith',
      key,
      support: unsupported(
        'locksmith coordinated reboots through etcd; NixOS has no reboot lock',
        'system.autoUpgrade.rebootWindow limits when a host reboots; stagger the windows to keep a cluster available.',
      ),
    }),
  ),

  { context: 'users[]', key: 'name', support: read('User.name') },
  { context: 'users[]', key: 'gecos', support: read('User.gecos') },
  { context: 'users[]', key: 'groups', support: read('User.groups') },
  { context: 'users[]', key: 'primary_group', support: read('User.primaryGroup') },
  { context: 'users[]', key: 'homedir', support: read('User.home') },
  { context: 'users[]', key: 'shell', support: read('User.shell') },
  { context: 'users[]', key: 'system', support: read('User.system') },
  { context: 'users[]', key: 'no_create_home', support: read('User.noCreateHome') },
  { context: 'users[]', key: 'passwd', support: read('User.passwordHash') },
  { context: 'users[]', key: 'uid', support: read('User.uid') },
  { context: 'users[]', key: 'ssh_authorized_keys', support: read('Host.authorizedKeys') },
  {
    context: 'users[]',
    key: 'no_user_group',
    support: dropped(
      'NixOS never creates a group named after each user, which is what no_user_group asked for; ' +
        'users without it had such a group on the old host',
    ),
  },
  {
    context: 'users[]',
    key: 'no_log_init',
    support: dropped('it only kept useradd from adding the user to the lastlog and faillog databases'),
  },
  ...['coreos_ssh_import_github', 'coreos_ssh_import_github_users', 'coreos_ssh_import_url'].map(
    (key): CloudConfigKey => ({
      context: 'users[]',
      key,
      support: unsupported(
        'keys fetched from GitHub or a URL at boot are not migrated (coreos-cloudinit deprecated this too)',
        'Fetch the keys now (e.g. https://github.com/<user>.keys) and list them under ssh_authorized_keys.',
      ),
    }),
  ),
  {
    context: 'users[]',
    key: 'lock_passwd',
    support: cloudInitOnly(
      'lock_passwd locks password login',
      'On NixOS, set users.users.<name>.hashedPassword = "!" to lock the password.',
    ),
  },
  {
    context: 'users[]',
    key: 'sudo',
    support: cloudInitOnly('sudo rules are not migrated', 'Use security.sudo.extraRules, or add the user to wheel.'),
  },
  {
    context: 'users[]',
    key: 'inactive',
    support: cloudInitOnly(
      'inactive (account expiry) is not migrated',
      'NixOS has users.users.<name>.expires for account expiry.',
    ),
  },
  {
    context: 'users[]',
    key: 'expiredate',
    support: cloudInitOnly(
      'expiredate is not migrated',
      'NixOS has users.users.<name>.expires (a YYYY-MM-DD date).',
    ),
  },
  {
    context: 'users[]',
    key: 'plain_text_passwd',
    support: cloudInitOnly(
      'a plain-text password is not carried (it would land in the world-readable Nix store)',
      'Remove it from the file; set users.users.<name>.hashedPasswordFile to a secret with a hash made by mkpasswd.',
    ),
  },
  {
    context: 'users[]',
    key: 'hashed_passwd',
    support: cloudInitOnly('hashed_passwd is not carried', 'Use passwd (the coreos-cloudinit key) or set hashedPasswordFile.'),
  },

  { context: 'write_files[]', key: 'path', support: read('HostFile.path') },
  { context: 'write_files[]', key: 'content', support: read('HostFile.content') },
  { context: 'write_files[]', key: 'encoding', support: read('HostFile.content (decoded)') },
  { context: 'write_files[]', key: 'permissions', support: read('HostFile.mode') },
  { context: 'write_files[]', key: 'owner', support: read('HostFile.owner, HostFile.group') },
  {
    context: 'write_files[]',
    key: 'append',
    support: cloudInitOnly('append adds to an existing file', 'Check whether the old host really had this content; declare the whole file.'),
  },
  {
    context: 'write_files[]',
    key: 'defer',
    support: cloudInitOnly('defer writes the file late in boot', 'Nothing to port; NixOS writes files at activation.'),
  },
];

/** coreos-cloudinit replaces `-` by `_` in every key before reading it. */
export function normalizeKey(key: string): string {
  return key.replace(/-/g, '_');
}

export function lookupKey(context: KeyContext, key: string): CloudConfigKey | undefined {
  return CLOUD_CONFIG_KEYS.find((k) => k.context === context && k.key === key);
}

/** The known key closest to an unknown one, for "did you mean" hints. */
export function closestKey(context: KeyContext, key: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const known of CLOUD_CONFIG_KEYS) {
    if (known.context !== context) continue;
    const d = editDistance(key.toLowerCase(), known.key);
    if (d < bestDistance) {
      best = known.key;
      bestDistance = d;
    }
  }
  return best;
}
