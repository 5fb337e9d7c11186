import { describe, expect, it } from 'vitest';
import { parseMountArgs } from '../../src/passes/mount-args.ts';
import { analyseMounts } from '../../src/passes/mounts.ts';
import { Builder, codes } from './build.ts';
import { seedHost } from './seed.ts';

function mounts(units: Record<string, string>) {
  const b = new Builder();
  const list = Object.entries(units).map(([name, text]) => b.unit(name, text));
  const result = analyseMounts(b.host(list), b.ledger);
  const summary = result.fileSystems.map((f) => ({
    mountPoint: f.mountPoint,
    device: f.device,
    fsType: f.fsType,
    options: f.options,
  }));
  return { ...result, summary, needs: Object.fromEntries(result.needs), ledger: b.ledger, units: list };
}

const ONESHOT = '[Service]\nType=oneshot\nRemainAfterExit=yes\n';

describe('mount pass: the seed NAS (post, M2 and N2)', () => {
  it("turns unlock's mount step into fileSystems./srv that requires unlock.service", () => {
    const { host, ledger, units } = seedHost();
    const result = analyseMounts(host, ledger);
    const step = units.unlock.directives.find((d) => d.value === '/bin/mount /dev/mapper/data-data /srv')!;
    expect(result.fileSystems).toEqual([
      {
        mountPoint: '/srv',
        device: '/dev/mapper/data-data',
        options: ['nofail', 'x-systemd.requires=unlock.service'],
        from: step,
        origin: step.item.origin,
      },
    ]);
    expect([...result.removedExecs]).toEqual([step]);
    expect(ledger.fate(step.item)).toEqual({
      kind: 'carried',
      option: 'fileSystems."/srv"',
      note: expect.stringContaining('after unlock.service'),
    });
  });

  it('lets the services whose data lives on /srv need it, but not unlock itself', () => {
    const { host, ledger } = seedHost();
    const { needs } = analyseMounts(host, ledger);
    expect(Object.fromEntries(needs)).toEqual({
      'healthz.service': ['/srv'], // Requires=srv.mount
      'samba.service': ['/srv'], // -v /srv/data:/srv/data
      'jellyfin.service': ['/srv'], // -v /srv/jellyfin/config:/config ...
    });
  });

  it("warns that samba's Requires=unlock.mount names a mount nobody defines", () => {
    const { host, ledger } = seedHost();
    analyseMounts(host, ledger);
    expect(ledger.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'mounts/unknown-mount-unit',
        message: expect.stringContaining('Requires=unlock.mount'),
        hint: 'did it mean unlock.service?',
      }),
    ]);
  });
});

describe('mount pass: steps', () => {
  it('reads -t, -o, -r and keeps nofail first', () => {
    const { summary } = mounts({ 'prep.service': `${ONESHOT}ExecStart=/bin/mount -t ext4 -o noatime,nofail -r /dev/sdb1 /data/` });
    expect(summary).toEqual([
      { mountPoint: '/data', device: '/dev/sdb1', fsType: 'ext4', options: ['nofail', 'x-systemd.requires=prep.service', 'noatime', 'ro'] },
    ]);
  });

  it('reads a mount that is the whole payload of sh -c', () => {
    const { summary, removedExecs } = mounts({ 'prep.service': `${ONESHOT}ExecStart=/bin/sh -c "mount LABEL=data /srv"` });
    expect(summary).toEqual([
      { mountPoint: '/srv', device: '/dev/disk/by-label/data', fsType: undefined, options: ['nofail', 'x-systemd.requires=prep.service'] },
    ]);
    expect(removedExecs.size).toBe(1);
  });

  it('leaves mount alone inside a larger script', () => {
    const { summary, ledger } = mounts({ 'prep.service': `${ONESHOT}ExecStart=/bin/sh -c "mountpoint -q /srv || mount /dev/sdb1 /srv"` });
    expect(summary).toEqual([]);
    expect(ledger.diagnostics).toEqual([]);
  });

  it('keeps a step in a long-running service: systemd could only mount after it started', () => {
    const { summary, removedExecs, ledger } = mounts({
      'app.service': '[Service]\nExecStartPre=/bin/mount /dev/sdb1 /srv\nExecStart=/usr/bin/docker run -v /srv/x:/x img\n',
    });
    expect([summary, removedExecs.size]).toEqual([[], 0]);
    expect(codes(ledger)).toEqual(['warning mounts/step-kept']);
  });

  it('keeps a step that a later step of the same unit relies on', () => {
    const { summary, ledger } = mounts({
      'prep.service': `${ONESHOT}ExecStart=/bin/mount /dev/sdb1 /srv\nExecStartPost=/bin/chown -R 1000 /srv/data\n`,
    });
    expect(summary).toEqual([]);
    expect(ledger.diagnostics[0]?.message).toMatch(/a later step \(ExecStartPost= at line 5\) uses \/srv/);
  });

  it.each([
    ['mount /srv', /fstab/],
    ['mount --move /a /srv', /--move/],
    ['mount -a', /`-a` is not a flag/],
    ['mount /dev/$DISK /srv', /variables/],
    ['mount /dev/sdb1 relative', /not an absolute mount point/],
  ])('keeps `%s` as a command, with a reason', (command, reason) => {
    const { summary, ledger } = mounts({ 'prep.service': `${ONESHOT}ExecStart=/bin/${command}` });
    expect(summary).toEqual([]);
    expect(ledger.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(reason)]);
  });

  it('removes the matching umount from ExecStop=: systemd unmounts it now', () => {
    const { removedExecs, ledger, units } = mounts({
      'prep.service': `${ONESHOT}ExecStart=/bin/mount /dev/sdb1 /srv\nExecStop=/bin/umount /srv\nExecStop=/bin/umount /other\n`,
    });
    const keys = [...removedExecs].map((d) => `${d.key}=${d.value}`);
    expect(keys).toEqual(['ExecStart=/bin/mount /dev/sdb1 /srv', 'ExecStop=/bin/umount /srv']);
    const stop = units[0]!.directives.find((d) => d.value === '/bin/umount /srv')!;
    expect(ledger.fate(stop.item)).toMatchObject({ kind: 'carried', option: 'fileSystems."/srv"' });
  });

  it('plans a mount point once', () => {
    const { summary, ledger } = mounts({
      'a.service': `${ONESHOT}ExecStart=/bin/mount /dev/sdb1 /srv`,
      'b.service': `${ONESHOT}ExecStart=/bin/mount /dev/sdc1 /srv`,
    });
    expect(summary.map((s) => s.device)).toEqual(['/dev/sdb1']);
    expect(codes(ledger)).toEqual(['warning mounts/duplicate']);
  });
});

describe('mount pass: .mount units', () => {
  it('turns What/Where/Type/Options into a fileSystems entry', () => {
    const { fileSystems, summary, units } = mounts({
      'srv-my\\x2ddata.mount': '[Mount]\nWhat=/dev/disk/by-label/data\nWhere=/srv/my-data\nType=xfs\nOptions=noatime,nofail\n',
    });
    expect(summary).toEqual([{ mountPoint: '/srv/my-data', device: '/dev/disk/by-label/data', fsType: 'xfs', options: ['noatime', 'nofail'] }]);
    expect(fileSystems[0]!.from).toBe(units[0]);
  });

  it('warns when the unit name does not match Where=', () => {
    const { ledger } = mounts({ 'data.mount': '[Mount]\nWhat=/dev/sdb1\nWhere=/srv\n' });
    expect(codes(ledger)).toEqual(['warning mounts/unit-name']);
  });

  it('reports a mount unit without Where=', () => {
    const { summary, ledger } = mounts({ 'srv.mount': '[Mount]\nWhat=/dev/sdb1\n' });
    expect(summary).toEqual([]);
    expect(codes(ledger)).toEqual(['error mounts/incomplete-unit']);
  });
});

describe('mount pass: needs', () => {
  const DISKS = {
    'srv.mount': '[Mount]\nWhat=/dev/sdb1\nWhere=/srv\n',
    'srv-media.mount': '[Mount]\nWhat=/dev/sdc1\nWhere=/srv/media\n',
  };

  it('picks the longest mount point for each path', () => {
    const { needs } = mounts({
      ...DISKS,
      'a.service': '[Service]\nExecStart=/usr/bin/docker run -v /srv/media/films:/films -v /srv/db:/db img\n',
    });
    expect(needs).toEqual({ 'a.service': ['/srv', '/srv/media'] });
  });

  it.each([
    ['WorkingDirectory', '[Service]\nWorkingDirectory=-/srv/app\n'],
    ['ReadWritePaths', '[Service]\nReadWritePaths=/var/lib/x -/srv/app\n'],
    ['BindPaths', '[Service]\nBindPaths=/srv/app:/app\n'],
    ['RequiresMountsFor', '[Unit]\nRequiresMountsFor=/srv/app\n'],
    ['an absolute path argument', '[Service]\nExecStart=/usr/bin/rsync -a /srv/app/ backup:/\n'],
    ['an --option=/path argument', '[Service]\nExecStart=/usr/bin/tool --data=/srv/app\n'],
    ['a path with a specifier', '[Service]\nExecStart=/usr/bin/tool /srv/%i/data\n'],
    ['a path in a shell payload', '[Service]\nExecStart=/bin/sh -c "cd /srv/app && ./run"\n'],
    ['a -v source in a shell payload', '[Service]\nExecStart=/bin/sh -c "docker run -v /srv/app:/app img /data"\n'],
    ['After=srv.mount', '[Unit]\nAfter=srv.mount\n'],
    ['Requires=srv.mount', '[Unit]\nRequires=srv.mount\n'],
  ])('counts %s', (_, text) => {
    expect(mounts({ ...DISKS, 'a.service': text }).needs).toEqual({ 'a.service': ['/srv'] });
  });

  it.each([
    ['container paths after the image', '[Service]\nExecStart=/usr/bin/docker run img /srv/app\n'],
    ['named volumes', '[Service]\nExecStart=/usr/bin/docker run -v srv:/srv img\n'],
    ['paths that only share a prefix', '[Service]\nWorkingDirectory=/srvdata\n'],
    ['the root bind of a node exporter', '[Service]\nExecStart=/usr/bin/docker run -v /:/host:ro img\n'],
  ])('does not count %s', (_, text) => {
    expect(mounts({ ...DISKS, 'a.service': text }).needs).toEqual({});
  });
});

describe('parseMountArgs', () => {
  it.each([
    [['/dev/sdb1', '/srv'], { device: '/dev/sdb1', mountPoint: '/srv', options: [] }],
    [['-t', 'ext4', '/dev/sdb1', '/srv'], { device: '/dev/sdb1', mountPoint: '/srv', fsType: 'ext4', options: [] }],
    [['-text4', '-onoatime', '/dev/sdb1', '/srv'], { device: '/dev/sdb1', mountPoint: '/srv', fsType: 'ext4', options: ['noatime'] }],
    [['--types=nfs', '--options=ro,soft', 'nas:/x', '/srv'], { device: 'nas:/x', mountPoint: '/srv', fsType: 'nfs', options: ['ro', 'soft'] }],
    [['--bind', '/srv/a', '/b'], { device: '/srv/a', mountPoint: '/b', options: ['bind'] }],
    [['-L', 'data', '/srv'], { device: '/dev/disk/by-label/data', mountPoint: '/srv', options: [] }],
    [['UUID=1234', '/srv'], { device: '/dev/disk/by-uuid/1234', mountPoint: '/srv', options: [] }],
    [['-v', '-o', 'ro', '-r', '/dev/sdb1', '/srv'], { device: '/dev/sdb1', mountPoint: '/srv', options: ['ro'] }],
  ])('%j', (args, mount) => {
    expect(parseMountArgs(args)).toEqual({ ok: true, mount });
  });

  it.each([[['-t']], [['-f', '/a', '/b']], [['/a', '/b', '/c']]])('refuses %j', (args) => {
    expect(parseMountArgs(args).ok).toBe(false);
  });
});
