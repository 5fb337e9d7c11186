/** Where files go on NixOS: the /etc files NixOS generates itself, and nixport's tmpfiles rules. */

/** /etc paths that NixOS generates itself; a file written there would clash with a module. */
export const NIXOS_MANAGED_ETC: Readonly<Record<string, string>> = {
  hostname: 'networking.hostName',
  hosts: 'networking.hosts / networking.extraHosts',
  'resolv.conf': 'networking.nameservers',
  passwd: 'users.users',
  group: 'users.groups',
  shadow: 'users.users',
  'ssh/sshd_config': 'services.openssh.settings',
  fstab: 'fileSystems',
  'systemd/timesyncd.conf': 'services.timesyncd',
  'sysctl.d': 'boot.kernel.sysctl',
  'modules-load.d': 'boot.kernelModules',
};

/** The NixOS option that owns an /etc path, when NixOS generates that file itself. */
export function nixosManaged(path: string): readonly [string, string] | undefined {
  if (!path.startsWith('/etc/')) return undefined;
  const rel = path.slice('/etc/'.length);
  return Object.entries(NIXOS_MANAGED_ETC).find(([p]) => rel === p || rel.startsWith(`${p}/`));
}

/** The tmpfiles.d file (systemd.tmpfiles.settings.<name>) nixport's file rules go into. */
export const FILES_TMPFILES = 'nixport-write-files';

/** `0o644` as tmpfiles and environment.etc take it: `"0644"`. */
export function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}
