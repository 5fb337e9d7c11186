import type { DockerInvocation, VolumeSpec } from '../model/docker.ts';
import type { Directive } from '../model/unit.ts';
import { apply, list, pkg, str } from '../nix/ast.ts';
import { readShell } from '../passes/shell-words.ts';
import type { ModuleRecipe, RecipeContext } from './types.ts';

/**
 * Samba (post, M3 and N5). nixpkgs: nixos/modules/services/network-filesystems/samba.nix.
 * `settings` is smb.conf as INI (`global` first, every other attribute a
 * share); openFirewall opens TCP 139/445 and UDP 137/138; smbd runs as
 * samba-smbd.service (`smbd --foreground --no-process-group` plus
 * smbd.extraArgs), beside samba-nmbd and samba-winbindd, which are on by
 * default. There is no declarative Samba password: `smbpasswd` is
 * imperative, so the passwords are set from secret files before smbd
 * starts, as the post does with sops-nix.
 *
 * What a container's smb.conf said comes from three places: the image
 * (not in the input: shares are named after their directories), a
 * preparing container that edits it (`sed` lines adding `key = value` under
 * `[global]` are read), and dperson/samba's `-s`/`-u`/`-g` arguments (or
 * SHARE/USER/GLOBAL variables).
 */

/** Where the passwords go on the new host: sops-nix's default path for a secret named `samba_passwords/<user>`. */
export const SAMBA_PASSWORD_DIR = '/run/secrets/samba_passwords';

export const samba: ModuleRecipe = {
  kind: 'module',
  app: 'samba',
  title: 'Samba file server (SMB/CIFS)',
  images: ['stapelberg/docker-samba', 'dperson/samba', 'servercontainers/samba', 'ghcr.io/servercontainers/samba', 'crazymax/samba', 'dockurr/samba'],
  commands: ['smbd'],
  module: 'services.samba',
  unit: { name: 'samba-smbd', others: ['samba-nmbd', 'samba-winbindd'] },
  ports: [
    { container: 137, protocol: 'udp', what: 'NetBIOS name service (nmbd)', port: 137 },
    { container: 138, protocol: 'udp', what: 'NetBIOS datagrams (nmbd)', port: 138 },
    { container: 139, what: 'SMB over NetBIOS', port: 139 },
    { container: 445, what: 'SMB', port: 445 },
  ],
  firewall: { option: 'openFirewall', tcp: [139, 445], udp: [137, 138] },
  volumes: [
    { target: '/var/lib/samba', holds: 'the password database (passdb.tdb) and secrets', defaultDir: '/var/lib/samba' },
    { target: '/etc/samba', holds: 'smb.conf', drop: 'smb.conf is services.samba.settings now; carry its shares and [global] keys there by hand' },
    { target: '/run', drop: 'runtime files of the container' , holds: 'runtime files' },
  ],
  args: { programs: ['smbd', '/usr/sbin/smbd', '/usr/bin/smbd'], implied: ['--foreground', '-F', '--no-process-group'], extraOption: 'smbd.extraArgs' },
  differences: [
    'the module also runs nmbd (NetBIOS names, answering on the published 137/138 UDP) and winbindd; the container ran smbd alone. Set services.samba.nmbd.enable / winbindd.enable = false to match',
    'Samba users are the host\'s users now; their passwords are set from secret files before smbd starts (samba-smbd.service ExecStartPre)',
    'settings.global keeps the module\'s defaults: security = user, invalid users = root, passwd program = /run/wrappers/bin/passwd %u',
  ],
  reconfigure: ['Clients keep the share names; if a share was renamed, re-map it on the clients'],
  extra: sambaExtra,
};

function sambaExtra(r: RecipeContext): void {
  const users = new Map<string, { uid?: number; password?: string }>();
  const globals = new Map<string, string>();
  const shares = new Map<string, Record<string, string>>();
  const dperson = isDperson(r);

  for (const line of r.input.prepare) readPrepareLine(r, line, users, globals);
  if (dperson) readDperson(r, users, globals, shares);
  sharesFromVolumes(r, shares);

  if (globals.size > 0) r.set('settings.global', Object.fromEntries(globals), 'What the old container added to [global] of its smb.conf.');
  for (const [name, share] of shares) r.set(`settings.${name}`, share);
  if (shares.size === 0) {
    r.report('warning', 'samba/no-shares', `${r.service}: no share was found (no host directory was mounted into the container)`, undefined, 'declare the shares in services.samba.settings.<name> (path, read only, guest ok, ...)');
  }
  if (users.size > 0) passwords(r, users);
}

function isDperson(r: RecipeContext): boolean {
  const name = r.input.reference?.name ?? '';
  return name.endsWith('/dperson/samba');
}

/** A bind volume is a share named after its directory, read-only when the volume was. */
function sharesFromVolumes(r: RecipeContext, shares: Map<string, Record<string, string>>): void {
  const before = shares.size;
  for (const v of r.input.volumes) {
    if (v.kind !== 'bind' || v.source === undefined || isStateVolume(v)) continue;
    // A directory a dperson `-s` share already names.
    if ([...shares.values()].some((s) => s['path'] !== undefined && (s['path'] === v.source || s['path'].startsWith(`${v.source}/`)))) continue;
    const name = shareName(v.target, shares);
    const share: Record<string, string> = { path: v.source, 'read only': v.readOnly ? 'yes' : 'no' };
    shares.set(name, share);
    r.claim(v.flag, `services.samba.settings.${optionKey(name)}`, `the share ${name}${v.readOnly ? ', read-only as the volume was' : ''}`);
    if (v.source !== v.target) {
      r.report('info', 'samba/share-path', `${r.service}: share ${name} is the host directory ${v.source} (the container saw it at ${v.target})`, v.flag.item.origin);
    }
  }
  if (shares.size > before) {
    r.report(
      'warning',
      'samba/share-settings',
      `${r.service}: the share names and settings (comment, guest ok, masks, valid users) were in the image's smb.conf, which is not in the input; nixport names each share after its directory (${[...shares.keys()].join(', ')})`,
      r.input.volumes[0]?.flag.item.origin,
      `compare with \`docker run --rm ${r.input.base?.name ?? r.input.image} cat /etc/samba/smb.conf\` on the old host and add its keys to services.samba.settings`,
    );
  }
}

function isStateVolume(v: VolumeSpec): boolean {
  return ['/var/lib/samba', '/etc/samba', '/run'].some((t) => v.target === t || v.target.startsWith(`${t}/`));
}

function shareName(target: string, taken: ReadonlyMap<string, unknown>): string {
  const base = target.replace(/\/+$/, '').split('/').pop() || 'share';
  let name = base;
  for (let n = 2; taken.has(name) || name === 'global'; n++) name = `${base}${n}`;
  return name;
}

function optionKey(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) ? name : JSON.stringify(name);
}

/**
 * A `docker run` that prepared the image: `adduser --uid N USER`,
 * `smbpasswd -a USER` (with the password from a mounted file or a literal),
 * and `sed` lines that add `key = value` under `[global]`.
 */
function readPrepareLine(r: RecipeContext, line: Directive, users: Map<string, { uid?: number; password?: string }>, globals: Map<string, string>): void {
  const docker = line.exec?.docker;
  if (!docker || docker.verb !== 'run') return;
  const payload = shellPayload(docker);
  if (payload === undefined) return;
  const read: string[] = [];
  const script = readShell(payload);
  // Words after the payload (a quote closed too early, as in the post's unit) are part of what was meant.
  const whole = docker.args.slice(2).join(' ');
  if (!script.commands.some((c) => c.words[0]?.literal?.split('/').pop() === 'smbpasswd')) {
    const m = /\bsmbpasswd\s+(?:-\S+\s+)*([A-Za-z_][\w.-]*)/.exec(whole);
    if (m) {
      users.set(m[1]!, { ...users.get(m[1]!), password: passwordSource(whole, docker) });
      read.push(`smbpasswd ${m[1]!}`);
    }
  }
  for (const command of script.commands) {
    const words = command.words.map((w) => w.literal ?? w.text);
    const program = words[0]?.split('/').pop();
    if (program === 'adduser' || program === 'useradd') {
      const user = words.filter((w, i) => i > 0 && !w.startsWith('-') && !isOptionValue(words, i)).pop();
      const uidAt = words.indexOf('--uid') >= 0 ? words.indexOf('--uid') : words.indexOf('-u');
      const uid = uidAt > 0 ? Number(words[uidAt + 1]) : undefined;
      if (user) users.set(user, { ...users.get(user), ...(uid !== undefined && Number.isInteger(uid) ? { uid } : {}) });
      read.push(`${program} ${user ?? ''}`.trim());
    } else if (program === 'smbpasswd') {
      const user = words.filter((w, i) => i > 0 && !w.startsWith('-')).pop();
      if (user) users.set(user, { ...users.get(user), password: passwordSource(payload, docker) });
      read.push(`smbpasswd ${user ?? ''}`.trim());
    } else if (program === 'sed' && words.some((w) => w.endsWith('smb.conf'))) {
      const added = globalLines(words.join(' '));
      for (const [k, v] of added) globals.set(k, v);
      read.push(added.length > 0 ? `sed (${added.map(([k]) => k).join(', ')})` : 'sed (nothing recognised)');
      if (added.length === 0) {
        r.report('warning', 'samba/sed-unread', `${r.service}: a \`sed\` on smb.conf in the preparing container is not understood and not carried`, line.item.origin, 'carry its change into services.samba.settings by hand');
      }
    } else if (program !== 'cat' && program !== 'tee' && program !== 'echo' && program !== 'printf') {
      r.report('warning', 'samba/prepare-unread', `${r.service}: the preparing container also ran \`${words.join(' ')}\`, which is not carried`, line.item.origin, 'do by hand on NixOS what it did inside the image, if it still matters');
    }
  }
  if (read.length > 0) r.consume(line, 'services.samba', `read: ${read.join('; ')}`);
}

/** The `sh -c` payload of a `docker run ... IMAGE sh -c '...'`. */
function shellPayload(docker: DockerInvocation): string | undefined {
  const at = docker.args.indexOf('-c');
  const shell = docker.args[0]?.split('/').pop();
  if (at !== 1 || (shell !== 'sh' && shell !== 'bash')) return undefined;
  return docker.args[2];
}

function isOptionValue(words: readonly string[], i: number): boolean {
  const previous = words[i - 1];
  return previous !== undefined && ['--uid', '-u', '--gid', '-g', '--gecos', '--home', '-d', '--shell', '-s', '--ingroup', '-G'].includes(previous);
}

/** `[global]\nkey = value\nkey2 = value2` in a sed replacement (with `\n` written as backslash-n). */
export function globalLines(text: string): [string, string][] {
  const at = text.indexOf('[global]\\n');
  if (at < 0) return [];
  const out: [string, string][] = [];
  for (const part of text.slice(at + '[global]\\n'.length).split('\\n')) {
    const m = /^\s*([A-Za-z][A-Za-z0-9 :_-]*?)\s*=\s*([^,/"']*?)\s*(?:[,/"'].*)?$/.exec(part);
    if (!m) break;
    out.push([m[1]!, m[2]!]);
    if (/[,/"']/.test(part)) break;
  }
  return out;
}

/** Where smbpasswd's input came from: a file mounted into the preparing container, or text in the old unit. */
function passwordSource(payload: string, docker: DockerInvocation): string | undefined {
  const cat = /\bcat\s+(\/[^\s;)|]+)/.exec(payload);
  if (cat) {
    const inContainer = cat[1]!;
    const v = docker.volumes.find((x) => x.kind === 'bind' && (x.target === inContainer || inContainer.startsWith(`${x.target}/`)));
    if (v?.source !== undefined) return `the file ${v.source}${inContainer.slice(v.target.length)}`;
    return `${inContainer} inside the prepared image`;
  }
  if (/\becho\b|\bprintf\b/.test(payload)) return 'text written in the old unit (a password in a unit file: change it)';
  return undefined;
}

/** dperson/samba: `-s "name;/path;browse;readonly;guest;users;admins;writelist;comment"`, `-u "user;password"`, `-g "key = value"`, and SHARE/USER/GLOBAL. */
function readDperson(r: RecipeContext, users: Map<string, { uid?: number; password?: string }>, globals: Map<string, string>, shares: Map<string, Record<string, string>>): void {
  const args = r.input.args;
  const values: { flag: string; value: string }[] = [];
  for (let i = 0; i < args.length; i++) {
    if (/^-[sugn]$/.test(args[i]!) && args[i + 1] !== undefined) values.push({ flag: args[i]!, value: args[++i]! });
  }
  r.claimArgs(args.length);
  for (const [name, value] of r.input.environment) {
    const m = /^(SHARE|USER|GLOBAL)\d*$/.exec(name);
    if (m) values.push({ flag: m[1] === 'SHARE' ? '-s' : m[1] === 'USER' ? '-u' : '-g', value });
  }
  for (const { flag, value } of values) {
    if (flag === '-g') {
      const eq = value.indexOf('=');
      if (eq > 0) globals.set(value.slice(0, eq).trim(), value.slice(eq + 1).trim());
    } else if (flag === '-u') {
      const user = value.split(';')[0]!;
      users.set(user, { ...users.get(user), password: 'the `-u`/USER argument of the old container (a password in a unit file: change it)' });
    } else if (flag === '-s') {
      const [name = 'share', path = '/', browse, readonly, guest, valid, admins, writelist, comment] = value.split(';');
      const volume = r.input.volumes.find((v) => v.kind === 'bind' && (v.target === path || path.startsWith(`${v.target}/`)));
      const hostPath = volume?.source !== undefined ? `${volume.source}${path.slice(volume.target.length)}` : path;
      const share: Record<string, string> = { path: hostPath, browseable: yesNo(browse, 'yes'), 'read only': yesNo(readonly, 'yes'), 'guest ok': yesNo(guest, 'yes') };
      if (valid && valid !== 'all') share['valid users'] = valid.replace(/,/g, ' ');
      if (admins && admins !== 'none') share['admin users'] = admins.replace(/,/g, ' ');
      if (writelist && writelist !== 'none') share['write list'] = writelist.replace(/,/g, ' ');
      if (comment) share['comment'] = comment;
      if (volume?.readOnly) share['read only'] = 'yes';
      shares.set(name, share);
      if (volume) r.claim(volume.flag, `services.samba.settings.${optionKey(name)}`, `the share ${name}`);
    } else if (flag === '-n') {
      r.report('info', 'samba/nmbd', `${r.service}: \`-n\` started nmbd in the container; the module runs samba-nmbd by default`);
    }
  }
}

function yesNo(value: string | undefined, fallback: string): string {
  return value === undefined || value === '' ? fallback : value;
}

/**
 * Passwords are imperative (smbpasswd): a script sets each one from
 * /run/secrets/samba_passwords/<user> before smbd starts (the post's
 * sops-nix variant: the secrets helper's files, never a value in Nix).
 */
function passwords(r: RecipeContext, users: ReadonlyMap<string, { uid?: number; password?: string }>): void {
  const names = [...users.keys()];
  const script = [
    'set -euo pipefail',
    `for user in ${names.join(' ')}; do`,
    `  smb_password="$(cat ${SAMBA_PASSWORD_DIR}/$user)"`,
    `  printf '%s\\n%s\\n' "$smb_password" "$smb_password" | `,
  ];
  const expr = apply(pkg('writeShellScript'), str('samba-set-passwords'), str(`${script.join('\n')}`, pkg('samba'), '/bin/smbpasswd -a -s "$user"\ndone\n'));
  r.setExpr(
    'systemd.services.samba-smbd.serviceConfig.ExecStartPre',
    list([str(expr)]),
    [`Samba passwords are imperative: set from ${SAMBA_PASSWORD_DIR}/<user> (secret files, outside the store) before smbd starts.`].join(' '),
  );
  const known = new Set(r.input.users.map((u) => u.name));
  for (const [user, facts] of users) {
    r.set(`users.groups.${optionKey(user)}`, {}, 'A group of the user\'s own, which NixOS does not make (post, N5).');
    if (!known.has(user)) {
      r.set(`users.users.${optionKey(user)}`, { isSystemUser: true, group: user, ...(facts.uid !== undefined ? { uid: facts.uid } : {}) }, 'A Samba user of the old container; smbpasswd needs a Unix account.');
    } else if (facts.uid !== undefined) {
      r.report('info', 'samba/uid', `${r.service}: the container's ${user} had uid ${facts.uid}; files it wrote through Samba belong to that uid`, undefined, `chown -R ${user} the shares, or set users.users.${user}.uid = ${facts.uid}`);
    }
    r.step(
      `Place the Samba password of ${user}`,
      `Write it to ${SAMBA_PASSWORD_DIR}/${user} (mode 0400, root), e.g. as the sops-nix secret \`samba_passwords/${user}\`; on the old host it came from ${facts.password ?? 'an unknown source'}. samba-smbd.service runs \`smbpasswd -a\` with it at every start.`,
    );
  }
  r.report(
    'warning',
    'samba/passwords',
    `${r.service}: Samba passwords of ${names.join(', ')} are not in the configuration (secrets never reach the Nix store); samba-smbd.service reads them from ${SAMBA_PASSWORD_DIR}/<user>`,
    undefined,
    'create those files (sops-nix: sops.secrets."samba_passwords/<user>" with restartUnits = [ "samba-smbd.service" ])',
  );
}
