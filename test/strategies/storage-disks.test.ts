import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/pipeline.ts';
import { configOf } from '../fixtures/ignition/helpers.ts';
import { convertFiles, fateOf } from './convert-helpers.ts';

const ignition = (sections: object, version = '3.4.0') => ({ 'config.ign': JSON.stringify({ ignition: { version }, ...sections }, null, 2) });
const butane = (...lines: string[]) => ({ 'host/config.bu': ['variant: fcos', 'version: 1.5.0', ...lines, ''].join('\n') });
const output = (c: ReturnType<typeof convertFiles>) => c.run.layout.files.map((f) => String(f.content)).join('\n');
const codes = (c: ReturnType<typeof convertFiles>) => c.report.diagnostics.map((d) => d.code);
const step = (c: ReturnType<typeof convertFiles>, title: string) => c.run.ledger.manualSteps.find((s) => s.title.startsWith(title))?.detail ?? '';

describe('file systems', () => {
  it('mounts a file system through the mount unit Butane generated (with_mount_unit)', () => {
    const c = convertFiles(
      butane('storage:', '  filesystems:', '    - device: /dev/disk/by-label/data', '      format: ext4', '      path: /var/srv', '      with_mount_unit: true', '      mount_options: [noatime]'),
    );
    expect(c.option('fileSystems', '/var/srv')).toEqual({ device: '/dev/disk/by-label/data', fsType: 'ext4', options: ['noatime'] });
    expect(fateOf(c.report, 'storage.filesystems[0] (/var/srv)')).toBe('carried: fileSystems."/var/srv"');
    expect(fateOf(c.report, 'storage.filesystems[0].with_mount_unit (var-srv.mount)')).toBe('carried: fileSystems."/var/srv"');
    expect(codes(c)).not.toContain('storage/mounted-now');
  });

  it('takes fsType from the format when the mount unit does not name it (fsType has no default in 26.05)', () => {
    const c = convertFiles(
      ignition({
        storage: { filesystems: [{ device: '/dev/disk/by-label/media', format: 'xfs', label: 'media' }] },
        systemd: { units: [{ name: 'srv.mount', enabled: true, contents: '[Mount]\nWhat=LABEL=media\nWhere=/srv\n[Install]\nWantedBy=local-fs.target\n' }] },
      }),
    );
    expect(c.option('fileSystems', '/srv', 'fsType')).toBe('xfs');
    expect(c.run.ledger.manualSteps.map((s) => s.title)).not.toContain('Check the file system type of /srv');
    expect(fateOf(c.report, /storage\.filesystems\[0\]/)).toBe('carried: fileSystems."/srv"');
  });

  it('mounts a file system with a path but no unit with nofail, and says the old host did not', () => {
    const c = convertFiles(ignition({ storage: { filesystems: [{ device: '/dev/sdb1', format: 'btrfs', path: '/data', mountOptions: ['compress=zstd'] }] } }));
    expect(c.option('fileSystems', '/data')).toEqual({ device: '/dev/sdb1', fsType: 'btrfs', options: ['compress=zstd', 'nofail'] });
    expect(codes(c)).toContain('storage/mounted-now');
  });

  it('writes fsType "auto" with a step to check it when no format is known', () => {
    const c = convertFiles(ignition({ storage: { filesystems: [{ device: '/dev/sdb1', path: '/data' }] } }));
    expect(c.option('fileSystems', '/data', 'fsType')).toBe('auto');
    expect(c.run.ledger.manualSteps.map((s) => s.title)).toContain('Check the file system type of /data');
  });

  it('reports file systems only created, and leaves root and boot to hardware-configuration.nix', () => {
    const c = convertFiles(
      ignition({
        storage: {
          filesystems: [
            { device: '/dev/sdc1', format: 'ext4', label: 'scratch', wipeFilesystem: true },
            { device: '/dev/disk/by-partlabel/root', format: 'xfs', label: 'root', wipeFilesystem: true },
            { device: '/dev/disk/by-partlabel/boot', format: 'ext4', path: '/boot' },
          ],
        },
      }),
    );
    expect(c.option('fileSystems')).toBeUndefined();
    expect(fateOf(c.report, /\(\/dev\/sdc1\)/)).toMatch(/^dropped: Ignition created this file system while provisioning/);
    expect(fateOf(c.report, /partlabel\/root/)).toBe('dropped: the root file system: hardware-configuration.nix declares it on the new host');
    expect(fateOf(c.report, /\(\/boot\)/)).toMatch(/^dropped: the boot file system/);
    expect(fateOf(c.report, 'storage.filesystems[0].wipeFilesystem')).toMatch(/^dropped: Ignition wiped the device/);
  });

  it('activates swap Ignition made through the .swap unit as swapDevices', () => {
    const c = convertFiles(butane('storage:', '  filesystems:', '    - device: /dev/disk/by-partlabel/swap', '      format: swap', '      with_mount_unit: true'));
    expect(c.option('swapDevices')).toEqual([{ device: '/dev/disk/by-partlabel/swap' }]);
    expect(codes(c)).not.toContain('storage/unit-not-carried');
    const unused = convertFiles(ignition({ storage: { filesystems: [{ device: '/dev/sdd', format: 'swap' }] } }));
    expect(unused.option('swapDevices')).toBeUndefined();
    expect(fateOf(unused.report, /sdd/)).toMatch(/^dropped: a swap area Ignition created/);
  });
});

describe('LUKS', () => {
  const KEY = 'correct-horse-battery-staple';

  it('opens volumes after the root from /etc/crypttab, as Ignition did, and never writes a key into the flake', () => {
    const c = convertFiles(
      ignition({
        storage: {
          luks: [
            { name: 'data', device: '/dev/disk/by-partlabel/data', keyFile: { source: `data:,${KEY}` }, discard: true },
            { name: 'tpm', device: '/dev/sdc', uuid: '4a3b2c1d-0000-4000-8000-000000000001', clevis: { tpm2: true } },
            { name: 'net', device: '/dev/sdd', clevis: { tang: [{ url: 'http://tang.lan', thumbprint: 't' }] } },
          ],
        },
      }),
    );
    expect(c.option('environment', 'etc', 'crypttab')).toEqual({
      mode: '0600',
      text:
        'data /dev/disk/by-partlabel/data /etc/luks/data luks,discard\n' +
        'tpm UUID=4a3b2c1d-0000-4000-8000-000000000001 none luks,tpm2-device=auto\n' +
        'net /dev/sdd none luks,_netdev\n',
    });
    expect(output(c)).not.toContain(KEY);
    expect(JSON.stringify(c.report)).not.toContain(KEY);
    expect(codes(c)).toContain('storage/luks-key-in-config');
    expect(step(c, 'Copy the key of LUKS volume data')).toContain('/etc/luks/data');
    expect(step(c, 'Set up automatic unlocking of tpm')).toContain('systemd-cryptenroll --tpm2-device=auto /dev/sdc');
    expect(step(c, 'Set up automatic unlocking of net')).toContain('tang http://tang.lan');
    expect(fateOf(c.report, 'storage.luks[0] (data)')).toBe('carried: environment.etc.crypttab');
  });

  it('opens the volume of the root file system in the initrd, with boot.initrd.clevis for its Clevis binding', () => {
    const c = convertFiles(
      ignition({
        storage: {
          luks: [
            {
              name: 'root',
              device: '/dev/disk/by-partlabel/root',
              label: 'luks-root',
              discard: true,
              clevis: { tang: [{ url: 'http://tang1', thumbprint: 'a' }, { url: 'http://tang2', thumbprint: 'b' }], tpm2: true, threshold: 2 },
            },
          ],
          filesystems: [{ device: '/dev/mapper/root', format: 'xfs', label: 'root', wipeFilesystem: true }],
        },
      }),
    );
    expect(c.option('boot', 'initrd', 'luks', 'devices', 'root')).toEqual({ device: '/dev/disk/by-partlabel/root', allowDiscards: true });
    expect(c.option('boot', 'initrd', 'clevis')).toEqual({ enable: true, useTang: true, devices: { root: { secretFile: '/etc/clevis/root.jwe' } } });
    expect(c.option('environment', 'etc', 'crypttab')).toBeUndefined();
    expect(step(c, 'Make the Clevis secret for root')).toContain(`clevis encrypt sss '{"t":2,"pins":{"tang":[{"url":"http://tang1","thp":"a"},{"url":"http://tang2","thp":"b"}],"tpm2":[{}]}}'`);
    expect(step(c, 'Check that the root volume root is opened once')).toContain('hardware-configuration.nix');
  });
});

describe('kernel arguments', () => {
  it('adds shouldExist to boot.kernelParams and explains shouldNotExist', () => {
    const c = convertFiles(ignition({ kernelArguments: { shouldExist: ['mitigations=auto', 'quiet', 'foo="a b"', 'bad arg'], shouldNotExist: ['loglevel=7', 'console=tty0'] } }));
    expect(c.option('boot', 'kernelParams')).toEqual(['mitigations=auto', 'quiet', 'foo="a b"']);
    expect(fateOf(c.report, 'kernelArguments.shouldExist[3]')).toMatch(/^unsupported: `bad arg` is not one kernel argument/);
    expect(fateOf(c.report, 'kernelArguments.shouldNotExist[0]')).toMatch(/^unsupported: NixOS adds `loglevel=` itself; boot.consoleLogLevel/);
    expect(fateOf(c.report, 'kernelArguments.shouldNotExist[1]')).toBe('dropped: NixOS does not put `console=tty0` on the kernel command line; nothing to remove');
  });
});

describe('disks, RAID and the boot device', () => {
  it('leaves disks alone and writes their layout down as a disko declaration for new disks', () => {
    const c = convertFiles(
      ignition({
        storage: {
          disks: [
            {
              device: '/dev/disk/by-id/nvme-A',
              wipeTable: true,
              partitions: [
                { label: 'esp', number: 1, sizeMiB: 512, typeGuid: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B' },
                { label: 'md-a', number: 2 },
              ],
            },
            { device: '/dev/disk/by-id/nvme-B', partitions: [{ label: 'md-b', number: 1 }] },
          ],
          raid: [{ name: 'fast', level: 'raid1', devices: ['/dev/disk/by-partlabel/md-a', '/dev/disk/by-partlabel/md-b'] }],
          filesystems: [
            { device: '/dev/disk/by-partlabel/esp', format: 'vfat', label: 'ESP' },
            { device: '/dev/md/fast', format: 'ext4', path: '/var/lib/fast' },
          ],
        },
      }),
    );
    for (const label of ['storage.disks[0] (/dev/disk/by-id/nvme-A)', 'storage.disks[0].partitions[1] (md-a)', 'storage.raid[0] (fast)']) {
      expect(fateOf(c.report, label)).toBe('manual: Recreate the disk layout only on new disks');
    }
    const layout = step(c, 'Recreate the disk layout');
    expect(layout).toContain('disko.devices');
    expect(layout).toContain('device = "/dev/disk/by-id/nvme-A";');
    expect(layout).toMatch(/partitions\.esp = \{\s+size = "512M";\s+type = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";/);
    expect(layout).toMatch(/content = \{\s+type = "mdraid";\s+name = "fast";/);
    expect(layout).toMatch(/mdadm\.fast = \{\s+type = "mdadm";\s+level = 1;/);
    expect(layout).toContain('mountpoint = "/var/lib/fast";');
    expect(codes(c).filter((x) => x === 'storage/disk-layout')).toHaveLength(2);
    expect(codes(c)).toContain('storage/raid');
  });

  it('turns Butane boot_device into a manual step for the install', () => {
    const c = convertFiles(butane('boot_device:', '  layout: x86_64', '  luks:', '    tpm2: true', '  mirror:', '    devices: [/dev/sda, /dev/sdb]'));
    expect(fateOf(c.report, 'boot_device')).toBe('manual: Set up the boot disk as the old host had it');
    const detail = step(c, 'Set up the boot disk');
    expect(detail).toContain('unlocked by the TPM2');
    expect(detail).toContain('mirrored (RAID1) across /dev/sda, /dev/sdb');
    expect(codes(c)).toContain('storage/boot-device');
  });
});

describe('any config the keys of the spec can make', () => {
  it('converts without a crash, and every item ends with a fate', () => {
    fc.assert(
      fc.property(fc.constantFrom('2.3.0', '3.4.0', '3.6.0'), configOf('Config', 5), (version, body) => {
        const ignition = { ...(typeof body.ignition === 'object' && body.ignition ? body.ignition : {}), version };
        const run = runPipeline([{ path: 'c.ign', content: JSON.stringify({ ...body, ignition }) }]);
        if ('refused' in run) return;
        expect(run.ledger.items.filter((i) => !run.ledger.fate(i)).map((i) => i.label)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});
