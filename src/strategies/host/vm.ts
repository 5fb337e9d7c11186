/**
 * `make vm`: the configuration boots in QEMU on the workstation, without the
 * real machine (the post, "Prototyping in a VM"). Everything the VM changes
 * lives in `virtualisation.vmVariant` (vm.nix), which NixOS evaluates only
 * for `system.build.vm`; the real machine's system never sees it
 * (docs/nixos-facts.md, "The VM of `make vm`").
 *
 * What the VM cannot have, and what stands in for it:
 *
 * - the data disks: QEMU's module replaces every `fileSystems` entry with
 *   its own (`virtualisation.fileSystems`, at VM priority), so nixport adds
 *   one per data file system back, a bind mount of a directory on the VM's
 *   disk. The mount units keep existing, so services that require them or
 *   have `RequiresMountsFor` them still start, and the data survives VM
 *   restarts as the VM's disk image does;
 * - the units that prepared those disks (the `x-systemd.requires=` of the
 *   mounts: LUKS unlock, `vgchange`): they succeed without doing anything,
 *   rather than being masked, because services `Requires=` them;
 * - LUKS volumes opened from /etc/crypttab, Clevis in the initrd, swap:
 *   off (QEMU's module already drops boot.initrd.luks.devices and swap);
 * - automatic upgrades: off, the VM has no flake to upgrade from;
 * - the network: QEMU's user networking, with every published port
 *   forwarded from the workstation (a port below 1024 to port + 10000, so
 *   QEMU needs no privileges); an address a port was bound to on the old
 *   host is added to the VM's interface so the service can still bind it.
 *
 * A user `tester` with password `test` logs in on the console.
 */
import { attrs, bind, bool, int, list, pkg, str, v, apply, select, type NixExpr } from '../../nix/ast.ts';
import type { OpenPort } from '../../model/analysis.ts';
import { OWNER, type BuildContext } from '../context.ts';
import { definesAt, definesBelow } from './tree-query.ts';

/** Host ports below this are privileged on the workstation; the VM forwards them to port + VM_PORT_OFFSET. */
export const PRIVILEGED_BELOW = 1024;
export const VM_PORT_OFFSET = 10000;
/** Ranges longer than this are not forwarded port by port. */
const MAX_FORWARDED_RANGE = 16;
/** The console user of the VM; its password is in the Nix store and in this table, on purpose. */
export const VM_USER = { name: 'tester', password: 'test' } as const;
/** Where the stand-ins for the data file systems live on the VM's disk. */
export const VM_DATA_DIR = '/var/lib/nixport-vm';
const VM_DATA_UNIT = 'nixport-vm-data';

export interface VmForward {
  readonly proto: 'tcp' | 'udp';
  readonly guestPort: number;
  readonly hostPort: number;
  /** The unit that published the port, or `sshd` for SSH. */
  readonly unit: string;
  /** The guest address the port was bound to on the old host, when not all addresses. */
  readonly guestAddress?: string;
}

export interface VmSkipped {
  readonly proto: 'tcp' | 'udp';
  readonly ports: string;
  readonly unit: string;
  readonly reason: string;
}

/** What the VM differs in, for vm.nix, the README and MIGRATION.md. */
export interface VmPlan {
  readonly memoryMiB: number;
  readonly cores: number;
  readonly diskMiB?: number;
  readonly forwards: readonly VmForward[];
  readonly skipped: readonly VmSkipped[];
  /** Data file systems and the directory on the VM's disk that stands in for each. */
  readonly dataDirs: readonly { readonly mountPoint: string; readonly dir: string }[];
  /** Data file systems NixOS mounts in the initrd: in the VM they are plain directories of its root disk. */
  readonly onRootDisk: readonly string[];
  /** Units that prepared the data disks; in the VM they succeed without doing anything. */
  readonly stubbedUnits: readonly string[];
  /** Other things switched off in the VM, as option names. */
  readonly disabled: readonly string[];
  /** IPv4 addresses added to the VM's interface. */
  readonly addresses: readonly string[];
  readonly user: { readonly name: string; readonly password: string };
}

const MEMORY_MIB = 2048;
const CORES = 2;
/** Container images need room; QEMU's default disk is 1 GiB. */
const DOCKER_DISK_MIB = 8192;

const EXEC_KEYS = ['ExecCondition', 'ExecStartPre', 'ExecStartPost', 'ExecReload', 'ExecStop', 'ExecStopPost'];

export function buildVm(ctx: BuildContext, usesDocker: boolean): VmPlan {
  const { tree } = ctx;
  const base = ['virtualisation', 'vmVariant'];
  const define = (path: readonly string[], value: NixExpr, comments?: readonly string[]) => tree.define(OWNER.vm, [...base, ...path], value, comments);

  define(['virtualisation', 'memorySize'], int(MEMORY_MIB), ['QEMU settings of the VM only; the real machine is not affected by anything in this file.']);
  define(['virtualisation', 'cores'], int(CORES));
  if (usesDocker) define(['virtualisation', 'diskSize'], int(DOCKER_DISK_MIB), ['Room for the container images (MiB).']);

  const mountPoints = dataMountPoints(ctx);
  // NixOS mounts these in the initrd (nixos/lib/utils.nix, pathsNeededForBoot), before a
  // directory could be made for them; the VM's root disk has them as directories.
  const onRootDisk = mountPoints.filter((m) => BOOT_PATHS.includes(m) || VM_DATA_DIR.startsWith(`${m}/`));
  const dataDirs = standInFileSystems(mountPoints.filter((m) => !onRootDisk.includes(m)), define);
  const stubbedUnits = stubPreparingUnits(ctx, define);
  const disabled = disableHardwareParts(ctx, define);
  const { forwards, skipped, addresses } = forwardPorts(ctx, define);

  define(['users', 'users', VM_USER.name], attrs([
    bind(['isNormalUser'], bool(true)),
    bind(['extraGroups'], list([str('wheel')])),
    bind(['initialPassword'], str(VM_USER.password)),
  ]), [`Log in on the VM's console as ${VM_USER.name} / ${VM_USER.password} (sudo works). Only the VM has this user.`]);

  return {
    memoryMiB: MEMORY_MIB,
    cores: CORES,
    ...(usesDocker ? { diskMiB: DOCKER_DISK_MIB } : {}),
    forwards,
    skipped,
    dataDirs,
    onRootDisk,
    stubbedUnits,
    disabled,
    addresses,
    user: VM_USER,
  };
}

type Define = (path: readonly string[], value: NixExpr, comments?: readonly string[]) => void;

const mkVMOverride = (value: NixExpr): NixExpr => apply(select(v('lib'), 'mkVMOverride'), value);

/** The mount points the configuration declares, in the order of the tree. */
function dataMountPoints(ctx: BuildContext): string[] {
  const seen = new Set<string>();
  for (const d of ctx.tree.definitions) if (d.path[0] === 'fileSystems' && d.path.length >= 2) seen.add(d.path[1]!);
  return [...seen];
}

/** nixos/lib/utils.nix: file systems at these paths are mounted in the initrd. */
const BOOT_PATHS = ['/', '/nix', '/nix/store', '/var', '/var/log', '/var/lib', '/var/lib/nixos', '/etc', '/usr'];

function standInFileSystems(mountPoints: readonly string[], define: Define): VmPlan['dataDirs'] {
  if (mountPoints.length === 0) return [];
  const dirs = mountPoints.map((mountPoint) => ({ mountPoint, dir: `${VM_DATA_DIR}${mountPoint === '/' ? '/root' : mountPoint}` }));
  dirs.forEach(({ mountPoint, dir }, i) => {
    define(['virtualisation', 'fileSystems', mountPoint], attrs([
      bind(['device'], str(dir)),
      bind(['fsType'], str('none')),
      bind(['options'], list([str('bind'), str(`x-systemd.requires=${VM_DATA_UNIT}.service`)])),
    ]), i === 0 ? ['The data disks: a directory on the VM\'s disk for each file system (storage.nix).'] : undefined);
  });
  define(['systemd', 'services', VM_DATA_UNIT], attrs([
    bind(['description'], str('Directories that stand in for the data disks in the VM')),
    bind(['unitConfig', 'DefaultDependencies'], bool(false)),
    bind(['serviceConfig', 'Type'], str('oneshot')),
    bind(['serviceConfig', 'RemainAfterExit'], bool(true)),
    bind(['serviceConfig', 'ExecStart'], str(pkg('coreutils'), `/bin/mkdir -p ${dirs.map((d) => d.dir).join(' ')}`)),
  ]));
  return dirs;
}

/** `x-systemd.requires=` units of the declared file systems that the configuration defines as services. */
function preparingUnits(ctx: BuildContext): string[] {
  const names: string[] = [];
  for (const d of ctx.tree.definitions) {
    if (d.path[0] !== 'fileSystems' || d.path[2] !== 'options' || d.value.kind !== 'list') continue;
    for (const item of d.value.items) {
      const text = plainString(item);
      const m = text === undefined ? null : /^x-systemd\.requires=(.+)\.service$/.exec(text);
      if (m && !names.includes(m[1]!)) names.push(m[1]!);
    }
  }
  return names.filter((name) => definesBelow(ctx.tree, 'systemd', 'services', name));
}

function stubPreparingUnits(ctx: BuildContext, define: Define): string[] {
  const units = preparingUnits(ctx);
  for (const name of units) {
    const keys = new Set<string>();
    for (const d of ctx.tree.definitions) {
      if (d.path[0] === 'systemd' && d.path[1] === 'services' && d.path[2] === name && d.path[3] === 'serviceConfig' && d.path[4] !== undefined) {
        keys.add(d.path[4]);
      }
    }
    const at = ['systemd', 'services', name, 'serviceConfig'];
    define([...at, 'Type'], mkVMOverride(str('oneshot')), [
      `${name}.service prepared the data disks; the VM has none, so it succeeds without doing anything`,
      '(services that require it still start).',
    ]);
    define([...at, 'RemainAfterExit'], mkVMOverride(bool(true)));
    define([...at, 'ExecStart'], mkVMOverride(list([str(pkg('coreutils'), '/bin/true')])));
    for (const key of EXEC_KEYS) if (keys.has(key)) define([...at, key], mkVMOverride(list([])));
  }
  return units.map((n) => `${n}.service`);
}

function disableHardwareParts(ctx: BuildContext, define: Define): string[] {
  const has = (...prefix: string[]) => definesBelow(ctx.tree, ...prefix);
  const off: { path: string[]; why: string }[] = [];
  if (has('environment', 'etc', 'crypttab')) off.push({ path: ['environment', 'etc', 'crypttab', 'enable'], why: 'No LUKS volumes to open in the VM.' });
  if (has('boot', 'initrd', 'clevis')) off.push({ path: ['boot', 'initrd', 'clevis', 'enable'], why: 'QEMU drops boot.initrd.luks.devices, which Clevis needs.' });
  if (has('system', 'autoUpgrade', 'enable')) off.push({ path: ['system', 'autoUpgrade', 'enable'], why: 'The VM has no flake to upgrade from.' });
  if (has('systemd', 'services', 'nixport-health-check')) {
    // health.nix adds steps to nixos-upgrade.service; without the upgrade there is nothing to check.
    off.push({ path: ['systemd', 'services', 'nixos-upgrade', 'enable'], why: 'No upgrades, so no health check around them (health.nix).' });
    off.push({ path: ['systemd', 'services', 'nixport-health-check', 'enable'], why: 'No upgrades, so no health check around them (health.nix).' });
  }
  for (const { path, why } of off) define(path, mkVMOverride(bool(false)), [why]);
  return off.map((o) => o.path.join('.'));
}

interface Forwarding {
  readonly forwards: VmForward[];
  readonly skipped: VmSkipped[];
  readonly addresses: string[];
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function forwardPorts(ctx: BuildContext, define: Define): Forwarding {
  const out: Forwarding = { forwards: [], skipped: [], addresses: [] };
  const ssh = definesAt(ctx.tree, 'services', 'openssh', 'enable');
  const ports: OpenPort[] = [...ctx.analysis.firewall.ports];
  const taken = new Set<string>();
  const add = (proto: 'tcp' | 'udp', guestPort: number, unit: string, guestAddress?: string) => {
    const hostPort = guestPort < PRIVILEGED_BELOW ? guestPort + VM_PORT_OFFSET : guestPort;
    const key = `${proto}/${hostPort}`;
    if (taken.has(key)) {
      out.skipped.push({ proto, ports: String(guestPort), unit, reason: `host port ${hostPort} is already forwarded` });
      return;
    }
    taken.add(key);
    out.forwards.push({ proto, guestPort, hostPort, unit, ...(guestAddress ? { guestAddress } : {}) });
  };
  if (ssh) add('tcp', 22, 'sshd');
  for (const port of ports) {
    const span = port.from === port.to ? String(port.from) : `${port.from}-${port.to}`;
    const bound = port.boundTo?.replace(/^\[|\]$/g, '');
    if (bound !== undefined && bound !== '0.0.0.0' && !IPV4.test(bound)) {
      out.skipped.push({ proto: port.protocol, ports: span, unit: port.unit, reason: `bound to ${bound}; QEMU forwards IPv4 only` });
      continue;
    }
    if (bound !== undefined && bound.startsWith('127.')) {
      out.skipped.push({ proto: port.protocol, ports: span, unit: port.unit, reason: `bound to ${bound}, reachable from inside the VM only` });
      continue;
    }
    if (port.to - port.from + 1 > MAX_FORWARDED_RANGE) {
      out.skipped.push({ proto: port.protocol, ports: span, unit: port.unit, reason: `a range of more than ${MAX_FORWARDED_RANGE} ports` });
      continue;
    }
    const address = bound !== undefined && bound !== '0.0.0.0' ? bound : undefined;
    if (address && !out.addresses.includes(address)) out.addresses.push(address);
    for (let p = port.from; p <= port.to; p++) add(port.protocol, p, port.unit, address);
  }
  if (out.forwards.length > 0) {
    define(['virtualisation', 'forwardPorts'], list(out.forwards.map(forwardExpr)), [
      `Published ports, reachable on the workstation: ports below ${PRIVILEGED_BELOW} at port + ${VM_PORT_OFFSET} (see README.md).`,
    ]);
  }
  if (out.addresses.length > 0) {
    define(['networking', 'interfaces', 'eth0', 'ipv4', 'addresses'], list(out.addresses.map((a) => attrs([bind(['address'], str(a)), bind(['prefixLength'], int(32))]))), [
      'Addresses services were bound to on the old host, so they can bind them in the VM too.',
    ]);
    // A static address turns DHCP off for the interface unless it is asked for (docs/nixos-facts.md, "The VM of `make vm`").
    define(['networking', 'interfaces', 'eth0', 'useDHCP'], bool(true));
  }
  return out;
}

function forwardExpr(f: VmForward): NixExpr {
  return attrs([
    bind(['from'], str('host')),
    ...(f.proto === 'udp' ? [bind(['proto'], str('udp'))] : []),
    bind(['host', 'port'], int(f.hostPort)),
    ...(f.guestAddress ? [bind(['guest', 'address'], str(f.guestAddress))] : []),
    bind(['guest', 'port'], int(f.guestPort)),
  ]);
}

/** The text of a string expression without interpolations. */
export function plainString(expr: NixExpr): string | undefined {
  if (expr.kind === 'commented') return plainString(expr.expr);
  if (expr.kind !== 'string') return undefined;
  return expr.parts.every((p) => typeof p === 'string') ? expr.parts.join('') : undefined;
}
