/**
 * Where the programs of a container-era host live on NixOS: one entry per
 * nixpkgs package (or setuid wrapper), listing the program names it covers.
 * This table drives the binaries pass and the support matrix in the docs.
 *
 * Facts, checked in nixpkgs (2025 master unless said otherwise):
 * - Every output's `sbin/` is moved into `bin/` by the stdenv hook
 *   `pkgs/build-support/setup-hooks/move-sbin.sh`, so programs are always
 *   under `<output>/bin/`.
 * - `${pkgs.x}` is the package's first output. Where the programs live in
 *   another output (lvm2: outputs out, dev, man, bin, lib) the attribute
 *   path names it: `pkgs.lvm2.bin`.
 * - Default setuid wrappers in /run/wrappers/bin:
 *   `nixos/modules/security/wrappers/default.nix` (mount, umount, fusermount,
 *   fusermount3), `nixos/modules/programs/shadow.nix` (su, sg, newgrp,
 *   newuidmap, newgidmap; passwd and chsh only with `users.mutableUsers`),
 *   `security.sudo` (sudo, sudoedit; enabled by default).
 * - ping is NOT wrapped since NixOS 23.11 (nixpkgs PR #253764): NixOS sets
 *   `net.ipv4.ping_group_range` so the plain iputils binary works.
 * - iputils installs no `ping6` (`ping/meson.build` builds one `ping`), so
 *   `ping6` becomes `ping -6`.
 *
 * `verified` says how an entry was checked: `source` (the package or module
 * file was read), `usage` (the exact `${pkgs.x}/bin/y` form is common in
 * public NixOS configurations), or absent (unverified: from general knowledge).
 */

/** What a program path becomes on NixOS. */
export type BinaryTarget =
  /** `${pkgs.<attr>}/bin/<program>`, then `args` (a word inserted after the program). */
  | { readonly kind: 'package'; readonly attr: readonly string[]; readonly program?: string; readonly args?: string }
  /** `/run/wrappers/bin/<name>`: a setuid or capability wrapper NixOS creates. */
  | { readonly kind: 'wrapper'; readonly needs?: string }
  /** A fixed path every NixOS host has (`/bin/sh`). */
  | { readonly kind: 'path'; readonly path: string };

/**
 * Programs that run another program given later on their command line
 * (`env FOO=1 docker ...`, `nohup docker ...`): the next program word after
 * their options is rewritten too.
 */
export interface RunsNext {
  /** Options that take the following word as their value. */
  readonly optionsWithValue?: readonly string[];
  /** `NAME=value` words before the program (env). */
  readonly assignments?: boolean;
  /** Plain arguments before the program (timeout's duration). */
  readonly positionals?: number;
}

export interface BinaryEntry {
  /** Program names (basenames) this entry covers. */
  readonly names: readonly string[];
  readonly target: BinaryTarget;
  readonly runs?: RunsNext;
  /** Reported (info) wherever the program is rewritten: what else the user must know. */
  readonly note?: string;
  readonly verified?: 'source' | 'usage';
}

const NODE_NOTE = 'pkgs.nodejs is the current LTS of the release; if the app needs the major version it ran on, use pkgs.nodejs_<major>';

function pkg(attr: string | readonly string[], extra: Omit<Extract<BinaryTarget, { kind: 'package' }>, 'kind' | 'attr'> = {}): BinaryTarget {
  return { kind: 'package', attr: typeof attr === 'string' ? [attr] : attr, ...extra };
}

const COREUTILS = [
  '[', 'arch', 'b2sum', 'base32', 'base64', 'basename', 'basenc', 'cat', 'chcon', 'chgrp', 'chmod', 'chown',
  'chroot', 'cksum', 'comm', 'cp', 'csplit', 'cut', 'date', 'dd', 'df', 'dir', 'dircolors', 'dirname', 'du',
  'echo', 'env', 'expand', 'expr', 'factor', 'false', 'fmt', 'fold', 'groups', 'head', 'hostid', 'id',
  'install', 'join', 'kill', 'link', 'ln', 'logname', 'ls', 'md5sum', 'mkdir', 'mkfifo', 'mknod', 'mktemp', 'mv',
  'nice', 'nl', 'nohup', 'nproc', 'numfmt', 'od', 'paste', 'pathchk', 'pinky', 'pr', 'printenv', 'printf',
  'ptx', 'pwd', 'readlink', 'realpath', 'rm', 'rmdir', 'runcon', 'seq', 'sha1sum', 'sha224sum', 'sha256sum',
  'sha384sum', 'sha512sum', 'shred', 'shuf', 'sleep', 'sort', 'split', 'stat', 'stdbuf', 'stty', 'sum',
  'sync', 'tac', 'tail', 'tee', 'test', 'timeout', 'touch', 'tr', 'true', 'truncate', 'tsort', 'tty', 'uname',
  'unexpand', 'uniq', 'unlink', 'users', 'vdir', 'wc', 'who', 'whoami', 'yes',
];

/** Wrapper rules of the coreutils programs that run another program. */
const COREUTILS_RUNNERS: Readonly<Record<string, RunsNext>> = {
  env: { assignments: true, optionsWithValue: ['-u', '--unset', '-C', '--chdir'] },
  nice: { optionsWithValue: ['-n', '--adjustment'] },
  nohup: {},
  stdbuf: { optionsWithValue: ['-i', '-o', '-e', '--input', '--output', '--error'] },
  timeout: { optionsWithValue: ['-s', '--signal', '-k', '--kill-after'], positionals: 1 },
};

export const BINARY_TABLE: readonly BinaryEntry[] = [
  // --- Shells -------------------------------------------------------------
  { names: ['sh'], target: { kind: 'path', path: '/bin/sh' }, verified: 'source' },
  { names: ['bash'], target: pkg('bash'), verified: 'usage' },
  { names: ['dash'], target: pkg('dash') },
  { names: ['zsh'], target: pkg('zsh') },

  // --- Base tools: coreutils is also in every NixOS unit's PATH -------------
  { names: COREUTILS.filter((name) => !(name in COREUTILS_RUNNERS)), target: pkg('coreutils'), verified: 'usage' },
  ...Object.entries(COREUTILS_RUNNERS).map(
    ([name, runs]): BinaryEntry => ({ names: [name], target: pkg('coreutils'), runs, verified: 'usage' }),
  ),
  { names: ['find'], target: pkg('findutils'), verified: 'usage' },
  {
    names: ['xargs'],
    target: pkg('findutils'),
    verified: 'usage',
    runs: {
      optionsWithValue: ['-a', '--arg-file', '-d', '--delimiter', '-E', '-I', '-L', '--max-lines', '-n', '--max-args', '-P', '--max-procs', '-s', '--max-chars'],
    },
  },
  { names: ['grep', 'egrep', 'fgrep'], target: pkg('gnugrep'), verified: 'usage' },
  { names: ['sed'], target: pkg('gnused'), verified: 'usage' },
  { names: ['awk', 'gawk'], target: pkg('gawk'), verified: 'usage' },
  { names: ['diff', 'cmp'], target: pkg('diffutils') },
  { names: ['which'], target: pkg('which') },
  { names: ['setsid'], target: pkg('util-linux'), runs: {}, verified: 'source' },
  {
    names: [
      'flock', 'logger', 'blkid', 'lsblk', 'findmnt', 'losetup', 'wipefs', 'mkswap', 'swapon', 'swapoff', 'fdisk',
      'sfdisk', 'blockdev', 'nsenter', 'unshare', 'mountpoint', 'fstrim', 'hwclock', 'rfkill', 'dmesg', 'ionice',
      'taskset', 'chrt', 'uuidgen', 'partx',
    ],
    target: pkg('util-linux'),
    verified: 'source',
  },
  {
    names: ['fsck', 'mkfs'],
    target: pkg('util-linux'),
    verified: 'source',
    note: 'it runs the fsck.<type>/mkfs.<type> helper it finds in /run/current-system/sw/bin: add the file-system package to environment.systemPackages',
  },
  { names: ['ps', 'pgrep', 'pkill', 'free', 'uptime', 'sysctl', 'top', 'watch', 'vmstat', 'pidof'], target: pkg('procps'), verified: 'usage' },
  { names: ['modprobe', 'insmod', 'rmmod', 'lsmod', 'modinfo', 'depmod'], target: pkg('kmod'), verified: 'usage' },

  // --- systemd: also in every unit's PATH ----------------------------------
  {
    names: [
      'systemctl', 'journalctl', 'systemd-run', 'systemd-notify', 'systemd-escape', 'systemd-cat', 'systemd-tmpfiles',
      'udevadm', 'loginctl', 'hostnamectl', 'timedatectl', 'busctl', 'networkctl', 'resolvectl', 'machinectl',
    ],
    target: pkg('systemd'),
    verified: 'usage',
  },

  // --- Setuid wrappers ------------------------------------------------------
  { names: ['mount', 'umount', 'fusermount', 'fusermount3'], target: { kind: 'wrapper' }, verified: 'source' },
  { names: ['su', 'sg', 'newgrp', 'newuidmap', 'newgidmap'], target: { kind: 'wrapper' }, verified: 'source' },
  { names: ['passwd', 'chsh'], target: { kind: 'wrapper', needs: 'users.mutableUsers = true (the default)' }, verified: 'source' },
  {
    // security.sudo (nixos/modules/security/sudo.nix, not read): enabled by default, wraps sudo and sudoedit.
    names: ['sudo', 'sudoedit'],
    target: { kind: 'wrapper', needs: 'security.sudo.enable (the default)' },
    runs: {
      optionsWithValue: ['-u', '--user', '-g', '--group', '-C', '--close-from', '-D', '--chdir', '-h', '--host', '-p', '--prompt', '-r', '--role', '-t', '--type', '-U', '--other-user'],
    },
  },

  // --- Containers -----------------------------------------------------------
  {
    names: ['docker'],
    target: pkg('docker'),
    verified: 'usage',
    note: 'the Docker daemon must run on the new host: virtualisation.docker.enable = true',
  },
  { names: ['docker-compose'], target: pkg('docker-compose'), verified: 'usage' },
  { names: ['podman'], target: pkg('podman') },

  // --- Storage --------------------------------------------------------------
  { names: ['cryptsetup', 'veritysetup', 'integritysetup'], target: pkg('cryptsetup'), verified: 'source' },
  {
    // lvm2's configure puts bindir and sbindir in the `bin` output; `${pkgs.lvm2}` (out) has no bin/.
    names: [
      'lvm', 'vgchange', 'vgscan', 'vgs', 'vgcreate', 'vgextend', 'vgreduce', 'vgremove', 'vgrename', 'vgdisplay',
      'vgimport', 'vgexport', 'vgck', 'lvchange', 'lvscan', 'lvs', 'lvcreate', 'lvextend', 'lvreduce', 'lvresize',
      'lvremove', 'lvrename', 'lvdisplay', 'pvscan', 'pvs', 'pvcreate', 'pvremove', 'pvresize', 'pvdisplay', 'pvmove',
      'dmsetup',
    ],
    target: pkg(['lvm2', 'bin']),
    verified: 'source',
  },
  {
    names: [
      'mke2fs', 'mkfs.ext2', 'mkfs.ext3', 'mkfs.ext4', 'e2fsck', 'fsck.ext2', 'fsck.ext3', 'fsck.ext4', 'tune2fs',
      'resize2fs', 'dumpe2fs', 'e2label', 'debugfs', 'chattr', 'lsattr',
    ],
    target: pkg('e2fsprogs'),
    verified: 'source',
  },
  { names: ['btrfs', 'mkfs.btrfs', 'fsck.btrfs', 'btrfstune'], target: pkg('btrfs-progs'), verified: 'usage' },
  { names: ['mkfs.xfs', 'xfs_repair', 'xfs_growfs', 'xfs_admin', 'xfs_info', 'xfs_scrub', 'fsck.xfs'], target: pkg('xfsprogs'), verified: 'usage' },
  { names: ['mkfs.vfat', 'mkfs.fat', 'mkfs.msdos', 'fsck.vfat', 'fsck.fat', 'fatlabel'], target: pkg('dosfstools'), verified: 'usage' },
  {
    names: ['zfs', 'zpool', 'zdb'],
    target: pkg('zfs'),
    verified: 'usage',
    note: 'on NixOS, ZFS comes with boot.supportedFilesystems = [ "zfs" ] and networking.hostId',
  },
  { names: ['mdadm'], target: pkg('mdadm'), verified: 'usage' },
  { names: ['smartctl', 'smartd'], target: pkg('smartmontools'), verified: 'usage' },
  { names: ['hdparm'], target: pkg('hdparm'), verified: 'usage' },

  // --- Network --------------------------------------------------------------
  { names: ['ping', 'arping', 'tracepath', 'clockdiff'], target: pkg('iputils'), verified: 'source' },
  { names: ['ping6'], target: pkg('iputils', { program: 'ping', args: '-6' }), verified: 'source' },
  { names: ['ip', 'tc', 'ss', 'bridge'], target: pkg('iproute2'), verified: 'usage' },
  { names: ['iptables', 'ip6tables', 'iptables-save', 'iptables-restore', 'ip6tables-save', 'ip6tables-restore'], target: pkg('iptables') },
  { names: ['nft'], target: pkg('nftables') },
  { names: ['ethtool'], target: pkg('ethtool') },
  { names: ['wg', 'wg-quick'], target: pkg('wireguard-tools') },
  { names: ['curl'], target: pkg('curl'), verified: 'source' },
  { names: ['wget'], target: pkg('wget'), verified: 'usage' },
  { names: ['nc'], target: pkg('netcat'), verified: 'usage' },
  { names: ['socat'], target: pkg('socat') },
  { names: ['ssh', 'scp', 'sftp', 'ssh-keygen', 'ssh-keyscan', 'ssh-add', 'ssh-agent', 'sshd'], target: pkg('openssh') },
  { names: ['rsync'], target: pkg('rsync'), verified: 'usage' },
  { names: ['rrsync'], target: pkg('rrsync'), verified: 'source' },
  { names: ['openssl'], target: pkg('openssl'), verified: 'usage' },
  { names: ['git'], target: pkg('git') },

  // --- Data tools and interpreters -------------------------------------------
  { names: ['jq'], target: pkg('jq'), verified: 'usage' },
  { names: ['gzip', 'gunzip', 'zcat'], target: pkg('gzip') },
  { names: ['bzip2', 'bunzip2', 'bzcat'], target: pkg('bzip2') },
  { names: ['xz', 'unxz', 'xzcat'], target: pkg('xz') },
  { names: ['zstd', 'unzstd', 'zstdcat'], target: pkg('zstd') },
  { names: ['tar'], target: pkg('gnutar') },
  { names: ['unzip'], target: pkg('unzip') },
  { names: ['perl'], target: pkg('perl'), verified: 'usage' },
  { names: ['python3'], target: pkg('python3') },
  // Interpreters of apps run from a directory of the old host: the default version of nixpkgs may be another major.
  { names: ['node', 'npm', 'npx'], target: pkg('nodejs'), note: NODE_NOTE },
  // Debian's name for node.
  { names: ['nodejs'], target: pkg('nodejs', { program: 'node' }), note: NODE_NOTE },
  { names: ['ruby', 'gem'], target: pkg('ruby'), note: 'pkgs.ruby is the default Ruby of the release; gems the app needs must come from its Gemfile (bundlerEnv) or be installed into its directory' },
  { names: ['php'], target: pkg('php'), note: 'pkgs.php is the default PHP of the release, with its default extensions; add others with php.withExtensions' },
  { names: ['lsof'], target: pkg('lsof') },
];

/**
 * nixpkgs attributes NixOS puts in the PATH of every systemd service
 * (`nixos/lib/systemd-lib.nix`: coreutils, findutils, gnugrep, gnused,
 * systemd). A shell payload may call their programs by bare name.
 */
export const UNIT_PATH_PACKAGES: readonly string[] = ['coreutils', 'findutils', 'gnugrep', 'gnused', 'systemd'];

/** Directories a container-era host keeps its OS programs in: their programs come from the table. */
export const SYSTEM_BIN_DIRS: readonly string[] = ['/bin', '/sbin', '/usr/bin', '/usr/sbin'];

/** Paths that already work on NixOS and are left alone. */
export const NIXOS_PATH_PREFIXES: readonly string[] = [
  '/nix/store/',
  '/run/current-system/',
  '/run/booted-system/',
  '/run/wrappers/',
  '/etc/profiles/',
];

/** Names the shell itself runs: never looked up in the table. */
export const SHELL_BUILTINS: ReadonlySet<string> = new Set([
  ':', '.', '[[', ']]', 'alias', 'bg', 'bind', 'break', 'builtin', 'caller', 'cd', 'command', 'compgen',
  'complete', 'continue', 'declare', 'dirs', 'disown', 'echo', 'enable', 'eval', 'exec', 'exit', 'export',
  'false', 'fc', 'fg', 'getopts', 'hash', 'help', 'history', 'jobs', 'kill', 'let', 'local', 'logout',
  'mapfile', 'popd', 'printf', 'pushd', 'pwd', 'read', 'readarray', 'readonly', 'return', 'set', 'shift',
  'shopt', 'source', 'suspend', 'test', '[', 'time', 'times', 'trap', 'true', 'type', 'typeset', 'ulimit',
  'umask', 'unalias', 'unset', 'wait',
]);

/** Shell builtins that run the program after them. */
export const SHELL_RUNNERS: Readonly<Record<string, RunsNext>> = {
  exec: { optionsWithValue: ['-a'] },
  command: {},
  time: {},
};

const BY_NAME: ReadonlyMap<string, BinaryEntry> = (() => {
  const map = new Map<string, BinaryEntry>();
  for (const entry of BINARY_TABLE) for (const name of entry.names) if (!map.has(name)) map.set(name, entry);
  return map;
})();

export function lookupBinary(name: string): BinaryEntry | undefined {
  return BY_NAME.get(name);
}

/** What a program becomes, as text: `${pkgs.lvm2.bin}/bin/vgchange`, `/run/wrappers/bin/mount`. For docs and reports. */
export function describeTarget(entry: BinaryEntry, name: string): string {
  const t = entry.target;
  if (t.kind === 'wrapper') return `/run/wrappers/bin/${name}`;
  if (t.kind === 'path') return t.path;
  return `\${pkgs.${t.attr.join('.')}}/bin/${t.program ?? name}${t.args === undefined ? '' : ` ${t.args}`}`;
}

/** Whether a bare name in a unit's shell payload is found through the unit's default PATH. */
export function inUnitPath(entry: BinaryEntry): boolean {
  return entry.target.kind === 'package' && entry.target.attr.length === 1 && UNIT_PATH_PACKAGES.includes(entry.target.attr[0]!);
}
