import { describe, expect, it } from 'vitest';
import { BINARY_TABLE, inUnitPath, lookupBinary, SHELL_BUILTINS } from '../../src/passes/binary-table.ts';

describe('binary table', () => {
  it('names every program once', () => {
    const names = BINARY_TABLE.flatMap((e) => e.names);
    const twice = names.filter((n, i) => names.indexOf(n) !== i);
    expect(twice).toEqual([]);
  });

  it('has well-formed entries', () => {
    for (const entry of BINARY_TABLE) {
      for (const name of entry.names) expect(name).toMatch(/^[A-Za-z0-9[][\w.+-]*$/);
      if (entry.target.kind === 'package') {
        expect(entry.target.attr.length).toBeGreaterThan(0);
        for (const part of entry.target.attr) expect(part).toMatch(/^[A-Za-z_][\w-]*$/);
      }
      if (entry.target.kind === 'path') expect(entry.target.path).toMatch(/^\//);
    }
  });

  it.each([
    // lvm2's programs are in its `bin` output (pkgs/os-specific/linux/lvm2/common.nix)
    ['vgchange', { kind: 'package', attr: ['lvm2', 'bin'] }],
    ['lvm', { kind: 'package', attr: ['lvm2', 'bin'] }],
    ['cryptsetup', { kind: 'package', attr: ['cryptsetup'] }],
    // iputils installs no ping6; NixOS does not wrap ping since 23.11
    ['ping6', { kind: 'package', attr: ['iputils'], program: 'ping', args: '-6' }],
    ['ping', { kind: 'package', attr: ['iputils'] }],
    ['mount', { kind: 'wrapper' }],
    ['fusermount', { kind: 'wrapper' }],
    ['su', { kind: 'wrapper' }],
    ['sh', { kind: 'path', path: '/bin/sh' }],
    ['rrsync', { kind: 'package', attr: ['rrsync'] }],
    ['smartctl', { kind: 'package', attr: ['smartmontools'] }],
    ['nc', { kind: 'package', attr: ['netcat'] }],
    ['tar', { kind: 'package', attr: ['gnutar'] }],
    ['awk', { kind: 'package', attr: ['gawk'] }],
    ['systemctl', { kind: 'package', attr: ['systemd'] }],
    ['mkfs.ext4', { kind: 'package', attr: ['e2fsprogs'] }],
    ['fsck', { kind: 'package', attr: ['util-linux'] }],
  ])('%s -> %j', (name, target) => {
    expect(lookupBinary(name)?.target).toEqual(target);
  });

  it('knows which programs the unit PATH of NixOS already has', () => {
    const inPath = (n: string) => inUnitPath(lookupBinary(n)!);
    expect(['sleep', 'env', 'grep', 'sed', 'find', 'xargs', 'systemctl'].filter(inPath)).toHaveLength(7);
    expect(['awk', 'docker', 'vgchange', 'mount', 'sh', 'bash'].filter(inPath)).toEqual([]);
  });

  it('does not shadow shell builtins with programs that run others', () => {
    const runners = BINARY_TABLE.filter((e) => e.runs).flatMap((e) => e.names);
    expect(runners.filter((n) => SHELL_BUILTINS.has(n))).toEqual([]);
  });
});
