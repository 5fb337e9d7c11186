import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IGNITION_VERSIONS } from '../../src/sources/ignition/index.ts';
import { at, diagnostics, fate, file, handedOn, inputError, item, onlyDiagnostic, textAt, unit, unsettled, user } from '../fixtures/cloud-config/helpers.ts';
import { configOf, ign, readIgn } from '../fixtures/ignition/helpers.ts';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq3xJ0tGJYfsrhLAo8aHeD0qLyqGx7U8mRWv2QyRtHb me@laptop';

describe('spec versions', () => {
  it.each(IGNITION_VERSIONS)('reads spec %s', (version) => {
    const r = readIgn(ign(version, { systemd: { units: [{ name: 'a.service', contents: '[Service]\nExecStart=/bin/true\n' }] } }));
    expect(r.c.format).toBe('ignition');
    expect(unit(r.c, 'a.service').text).toContain('ExecStart');
    expect(r.ledger.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it.each([
    ['3.7.0-experimental', 'Experimental specs change'],
    ['3.4', 'nixport reads Ignition spec 2.0.0'],
    ['1.0.0', 'nixport reads Ignition spec'],
  ])('refuses version %s with the supported versions as hint (exit 2)', (version, hint) => {
    const d = inputError(() => readIgn(ign(version)));
    expect(d.code).toBe('ignition/unknown-version');
    expect(d.message).toContain(`\`${version}\``);
    expect(d.hint).toContain(hint);
    expect(d.hint).toContain('3.6.0');
  });

  it('refuses a config without a version, a spec 1 config and a JSON array', () => {
    expect(inputError(() => readIgn({ storage: {} })).message).toBe('the config has no `ignition` object, so its spec version is unknown');
    expect(inputError(() => readIgn({ ignitionVersion: 1, storage: {} })).message).toContain('spec 1 config');
    expect(inputError(() => readIgn({ ignition: { version: 3 } })).message).toBe('/ignition/version must be a string such as "3.4.0", found the number 3');
    expect(inputError(() => readIgn('[1]')).code).toBe('ignition/not-an-object');
  });
});

describe('keys per spec version', () => {
  it('reports a key of another version with its JSON pointer, origin and the versions that have it', () => {
    const r = readIgn(ign('3.1.0', { storage: { luks: [{ name: 'x', device: '/dev/sdb' }] } }));
    const d = onlyDiagnostic(r.ledger, 'ignition/unknown-key');
    expect(d.severity).toBe('error');
    expect(d.message).toBe('`/storage/luks` is not a key of Ignition spec 3.1.0; Ignition ignored it with a warning');
    expect(textAt(r.text, d.origin!)).toMatch(/^"luks"/);
    expect(d.hint).toContain('3.2.0–3.6.0');
    expect(fate(r.ledger, 'storage.luks')).toMatchObject({ kind: 'unsupported' });
    expect(r.c.storage?.luks).toEqual([]);
  });

  it.each([
    ['2.1.0', { storage: { files: [{ filesystem: 'root', path: '/a', contents: { source: 'data:,a' }, append: true }] } }, '/storage/files/0/append', null],
    ['3.0.0', { systemd: { units: [{ name: 'a.service', enable: true }] } }, '/systemd/units/0/enable', 'enabled'],
    ['3.0.0', { ignition: { version: '3.0.0', proxy: {} } }, '/ignition/proxy', null],
    ['2.0.0', { storage: { directories: [] } }, '/storage/directories', null],
    ['3.2.0', { kernelArguments: {} }, '/kernelArguments', null],
    ['3.4.0', { networkd: {} }, '/networkd', null],
    ['3.4.0', { storage: { files: [{ path: '/a', Mode: 420 }] } }, '/storage/files/0/Mode', 'mode'],
  ])('spec %s: %j has a key the spec does not', (version, sections, pointer, near) => {
    const r = readIgn({ ignition: { version }, ...sections });
    const d = diagnostics(r.ledger, 'ignition/unknown-key').find((x) => x.message.startsWith(`\`${pointer}\``));
    expect(d, JSON.stringify(r.ledger.diagnostics)).toBeDefined();
    if (near) expect(d!.hint).toContain(`\`${near}\``);
  });

  it('settles the keys that served Ignition only while provisioning, without fetching anything', () => {
    const r = readIgn(
      ign('3.4.0', {
        ignition: {
          version: '3.4.0',
          timeouts: { httpTotal: 10 },
          proxy: { httpsProxy: 'http://proxy:3128' },
          security: { tls: { certificateAuthorities: [{ source: 'https://ca.example.com/ca.pem' }] } },
        },
      }),
    );
    expect(fate(r.ledger, 'ignition.timeouts')?.kind).toBe('dropped');
    expect(fate(r.ledger, 'ignition.proxy')?.kind).toBe('dropped');
    expect(fate(r.ledger, 'ignition.security')?.kind).toBe('dropped');
    expect(diagnostics(r.ledger, 'ignition/dropped-key').map((d) => d.hint)).toEqual([
      undefined,
      'For the host itself, set networking.proxy.default and networking.proxy.noProxy.',
      'If services on the host need them, add the certificates to security.pki.certificates.',
    ]);
    expect(unsettled(r.ledger)).toEqual([]);
  });

  it('makes a manual step of every merged, appended or replacing config, naming URL and hash', () => {
    const r = readIgn(
      ign('3.3.0', {
        ignition: {
          version: '3.3.0',
          config: { merge: [{ source: 'https://cfg.example.com/a.ign', verification: { hash: 'sha512-abc' } }], replace: { source: 'data:,%7B%7D' } },
        },
      }),
    );
    expect(fate(r.ledger, 'ignition.config.merge[0] (https://cfg.example.com/a.ign)')).toEqual({ kind: 'manual', step: 'Convert the config that was merged into config.ign' });
    expect(r.ledger.manualSteps.map((s) => s.detail).join('\n')).toContain('at https://cfg.example.com/a.ign (sha512-abc)');
    expect(r.ledger.manualSteps.map((s) => s.detail).join('\n')).toContain('embedded as a data: URL');
    expect(diagnostics(r.ledger, 'ignition/remote-config')).toHaveLength(2);
    const v2 = readIgn(ign('2.1.0', { ignition: { version: '2.1.0', config: { append: [{ source: 'tftp://boot/x.ign' }] } } }));
    expect(fate(v2.ledger, 'ignition.config.append[0] (tftp://boot/x.ign)')?.kind).toBe('manual');
  });
});

describe('storage.files', () => {
  it('decodes %-escaped and base64 data: URLs with media types and charsets, and gzip', () => {
    const gz = gzipSync(Buffer.from('compressed\n')).toString('base64');
    const r = readIgn(
      ign('3.4.0', {
        storage: {
          files: [
            { path: '/etc/a', contents: { source: 'data:,a%20b%0A+c' } },
            { path: '/etc/b', contents: { source: 'data:text/plain;charset=utf-8;base64,w7w=' } },
            { path: '/etc/c', contents: { source: `data:;base64,${gz}`, compression: 'gzip' } },
            { path: '/etc/d', contents: { source: 'data:text/plain;charset="iso-8859-1",%FC' } },
            { path: '/etc/e', contents: { source: '' } },
          ],
        },
      }),
    );
    expect(file(r.c, '/etc/a').text).toBe('a b\n+c');
    expect(file(r.c, '/etc/b').text).toBe('ü');
    expect(file(r.c, '/etc/c').text).toBe('compressed\n');
    expect([...file(r.c, '/etc/d').content]).toEqual([0xfc]);
    expect(file(r.c, '/etc/d').text).toBeUndefined();
    expect(file(r.c, '/etc/e').content).toHaveLength(0);
    expect(file(r.c, '/etc/e').contentOmitted).toBeUndefined();
  });

  it.each([
    ['data:,a b', 'a space must be written as %20', 'data:,a'.length],
    ['data:,100%', '`%` must be followed by two hex digits', 'data:,100'.length],
    ['data:;base64,Zm9v!', 'is not a base64 character', 'data:;base64,Zm9v'.length],
    ['data:;base64,Zm9', 'not a multiple of 4', 'data:;base64,Zm9'.length],
    ['data:text;base64,Zm9v', 'needs a `/`', 'data:text'.length],
    ['data:;charset=utf-8', 'no `,` before the data', 'data:;charset=utf-8'.length],
    ['data:;foo,x', 'final `;base64`', 'data:;'.length],
  ])('rejects the invalid data: URL %j with the position of the problem', (source, message, offset) => {
    const r = readIgn(ign('3.4.0', { storage: { files: [{ path: '/etc/x', contents: { source } }] } }));
    const d = onlyDiagnostic(r.ledger, 'ignition/bad-data-url');
    expect(d.message).toContain('`/storage/files/0/contents/source` is not a valid data: URL');
    expect(d.message).toContain(message);
    // The column of the character in the JSON string (after the opening quote).
    const line = r.text.split('\n').findIndex((l) => l.includes('"source"'));
    expect(at(d.origin)).toBe(`${line + 1}:${r.text.split('\n')[line]!.indexOf(source) + 1 + offset}`);
    expect(fate(r.ledger, 'storage.files[0] (/etc/x)')?.kind).toBe('unsupported');
    expect(r.c.files).toEqual([]);
  });

  it('checks verification hashes of data as Ignition does, and refuses a mismatch', () => {
    const sha = createHash('sha512').update('ok\n').digest('hex');
    const r = readIgn(
      ign('3.1.0', {
        storage: {
          files: [
            { path: '/etc/good', contents: { source: 'data:,ok%0A', verification: { hash: `sha512-${sha}` } } },
            { path: '/etc/bad', contents: { source: 'data:,ko%0A', verification: { hash: `sha512-${sha}` } } },
          ],
        },
      }),
    );
    expect(file(r.c, '/etc/good').text).toBe('ok\n');
    expect(onlyDiagnostic(r.ledger, 'ignition/hash-mismatch').message).toContain('`/storage/files/1/contents/verification`');
    expect(r.c.files?.map((f) => f.path)).toEqual(['/etc/good']);
  });

  it('never fetches a remote source: the file keeps the URL, hash and header names for a manual step', () => {
    const r = readIgn(
      ign('3.4.0', {
        storage: {
          files: [
            {
              path: '/opt/app.tgz',
              mode: 420,
              contents: { source: 'https://example.com/app.tgz', verification: { hash: 'sha256-00ff' }, httpHeaders: [{ name: 'Authorization', value: 'Bearer SECRET' }] },
            },
            { path: '/opt/b', contents: { source: 's3://bucket/b' } },
            { path: '/opt/c', contents: { source: 'ftp://host/c' } },
          ],
        },
      }),
    );
    const f = file(r.c, '/opt/app.tgz');
    expect(f.remote).toEqual({ url: 'https://example.com/app.tgz (with HTTP headers Authorization)', verification: 'sha256-00ff' });
    expect(f.content).toHaveLength(0);
    expect(JSON.stringify(r.c)).not.toContain('SECRET');
    expect(file(r.c, '/opt/b').remote?.url).toBe('s3://bucket/b');
    expect(onlyDiagnostic(r.ledger, 'ignition/invalid-value').message).toContain('scheme `ftp`');
  });

  it('reads mode (decimal), owner and group by id or name, overwrite and 3.x append fragments', () => {
    const r = readIgn(
      ign('3.4.0', {
        storage: {
          files: [
            { path: '/etc/x.conf', mode: 416, user: { name: 'app' }, group: { id: 1200, name: 'ignored' }, overwrite: true, contents: { source: 'data:,a%0A' }, append: [{ source: 'data:,b%0A' }] },
            { path: '/etc/profile', append: [{ source: 'data:,export%20A%3D1%0A' }] },
            { path: '/var/lib/x/state', mode: 384 },
          ],
        },
      }),
    );
    const x = file(r.c, '/etc/x.conf');
    expect([x.mode, x.owner, x.group, x.overwrite, x.text, x.append]).toEqual([0o640, 'app', '1200', true, 'a\nb\n', undefined]);
    expect(file(r.c, '/etc/profile')).toMatchObject({ append: true, text: 'export A=1\n', overwrite: false });
    expect(file(r.c, '/var/lib/x/state')).toMatchObject({ contentOmitted: true, mode: 0o600 });
    expect(r.ledger.items.filter((i) => i.kind === 'file')).toHaveLength(3);
  });

  it('warns about a mode written in decimal by mistake, as Butane does', () => {
    const r = readIgn(ign('3.4.0', { storage: { files: [{ path: '/etc/x', mode: 644, contents: { source: 'data:,x' } }] } }));
    const d = onlyDiagnostic(r.ledger, 'ignition/decimal-mode');
    expect(d.message).toBe('`/storage/files/0/mode` is 644, which is 01204 (an unusual mode); 0644 was probably meant');
    expect(d.hint).toContain('0644 is 420');
  });

  it('spec 2.x: reads files of the root file system, refuses other file systems and reads append as a flag', () => {
    const r = readIgn(
      ign('2.2.0', {
        storage: {
          files: [
            { filesystem: 'root', path: '/etc/a', contents: { source: 'data:,a' }, mode: 420, user: { id: 0 }, group: { name: 'wheel' } },
            { filesystem: 'root', path: '/etc/b', append: true, contents: { source: 'data:,b' } },
            { filesystem: 'data', path: '/c', contents: { source: 'data:,c' } },
            { path: '/d', contents: { source: 'data:,d' } },
          ],
        },
      }),
    );
    expect(file(r.c, '/etc/a')).toMatchObject({ owner: '0', group: 'wheel', mode: 0o644, overwrite: true });
    expect(file(r.c, '/etc/b')).toMatchObject({ append: true, text: 'b' });
    expect(onlyDiagnostic(r.ledger, 'ignition/other-filesystem').message).toContain('`/storage/files/2/filesystem` is `data`');
    expect(onlyDiagnostic(r.ledger, 'ignition/missing-key').message).toBe('`/storage/files/3` has no `filesystem`');
  });

  it('reads a key given twice as Ignition does (the last one wins), with a warning', () => {
    const r = readIgn('{"ignition": {"version": "3.4.0"}, "storage": {"files": [{"path": "/etc/a", "path": "/etc/b", "contents": {"source": "data:,x"}}]}}');
    expect(r.c.files?.map((f) => f.path)).toEqual(['/etc/b']);
    expect(onlyDiagnostic(r.ledger, 'ignition/duplicate-key').message).toBe('`/storage/files/0/path` is given again at 1:77; Ignition reads the last one');
    expect(unsettled(r.ledger).map((i) => i.kind)).toEqual(['file']);
  });

  it('rejects relative paths, wrong types and two sources', () => {
    const r = readIgn(
      ign('3.4.0', {
        storage: {
          files: [
            { path: 'etc/x', contents: { source: 'data:,x' } },
            { path: '/etc/y', mode: '0644' },
            { path: '/etc/z', contents: { source: 'data:,z', compression: 'bzip2' } },
          ],
        },
      }),
    );
    expect(r.ledger.diagnostics.map((d) => d.message)).toEqual([
      '`/storage/files/0/path` must be an absolute path, found `etc/x`',
      '`/storage/files/1/mode` must be an integer, found a string',
      '`/storage/files/2/contents/compression` must be `gzip` or empty, found `bzip2`',
    ]);
    expect(r.c.files).toEqual([]);
    expect(unsettled(r.ledger)).toEqual([]);
  });

  it('reads /etc/hostname as the host name', () => {
    const r = readIgn(ign('3.4.0', { storage: { files: [{ path: '/etc/hostname', contents: { source: 'data:,nas%0A' }, mode: 420 }] } }));
    expect(r.c.hostname?.value).toBe('nas');
    expect(r.c.files).toEqual([]);
  });

  it("reads Flatcar's update.conf as the update policy", () => {
    const conf = encodeURIComponent('GROUP=beta\nREBOOT_STRATEGY="off"\nLOCKSMITHD_REBOOT_WINDOW_START=Thu 04:00\nDOWNLOAD_PASSWORD=hunter2\n');
    const r = readIgn(ign('3.3.0', { storage: { files: [{ path: '/etc/flatcar/update.conf', contents: { source: `data:,${conf}` } }] } }));
    expect(r.c.update?.group?.value).toBe('beta');
    expect(r.c.update?.rebootStrategy?.value).toBe('off');
    expect(r.c.update?.windowStart?.value).toBe('Thu 04:00');
    expect(fate(r.ledger, 'storage.files[0] (/etc/flatcar/update.conf) DOWNLOAD_PASSWORD')?.kind).toBe('unsupported');
    expect(JSON.stringify(r.ledger.diagnostics)).not.toContain('hunter2');
  });
});

describe('directories and links', () => {
  it('reads them with mode, owner, hard and overwrite (its default depends on the spec)', () => {
    const r = readIgn(
      ign('3.0.0', {
        storage: {
          directories: [{ path: '/srv/a', mode: 493, user: { name: 'app' } }],
          links: [
            { path: '/srv/l', target: '/srv/a' },
            { path: '/srv/h', target: '/srv/a/f', hard: true, overwrite: true },
            { path: '/srv/broken' },
          ],
        },
      }),
    );
    expect(r.c.storage?.directories?.[0]).toMatchObject({ path: '/srv/a', mode: 0o755, owner: 'app' });
    expect(r.c.storage?.links?.map((l) => [l.path, l.hard, l.overwrite])).toEqual([
      ['/srv/l', false, false],
      ['/srv/h', true, true],
    ]);
    expect(onlyDiagnostic(r.ledger, 'ignition/missing-key').message).toBe('`/storage/links/2` has no `target`');
    const v2 = readIgn(ign('2.1.0', { storage: { links: [{ filesystem: 'root', path: '/a', target: '/b' }] } }));
    expect(v2.c.storage?.links?.[0]?.overwrite).toBe(true);
  });
});

describe('systemd and networkd units', () => {
  it('maps contents into the JSON string, and reads enabled, enable (2.x), mask and drop-ins', () => {
    const r = readIgn(
      ign('2.3.0', {
        systemd: {
          units: [
            { name: 'a.service', enabled: true, contents: '[Service]\nExecStart=/bin/true\n\n[Install]\nWantedBy=multi-user.target\n', dropins: [{ name: '10-x.conf', contents: '[Service]\nNice=5\n' }] },
            { name: 'b.service', enable: true, contents: '[Service]\nExecStart=/bin/b\n' },
            { name: 'c.service', mask: true },
            { name: 'd.service', mask: false },
            { name: 'eth0.network', contents: '[Match]\nName=eth0\n' },
          ],
        },
        networkd: { units: [{ name: '00-eth0.network', contents: '[Match]\nName=eth0\n' }] },
      }),
    );
    const a = unit(r.c, 'a.service');
    expect(a.activation?.enable?.value).toBe(true);
    expect(textAt(r.text, a.position(2, 1))).toMatch(/^ExecStart=\/bin\/true\\n/);
    expect(unit(r.c, 'a.service', '10-x.conf').text).toBe('[Service]\nNice=5\n');
    expect(unit(r.c, 'b.service').activation?.enable?.item.label).toBe('systemd.units[1].enable');
    expect(unit(r.c, 'c.service').activation?.mask?.value).toBe(true);
    expect(fate(r.ledger, 'systemd.units[3].mask')?.kind).toBe('dropped');
    expect(diagnostics(r.ledger, 'ignition/networkd-unit').map((d) => d.hint)).toEqual([
      'NixOS declares them as systemd.network.networks."eth0"; port this file there by hand.',
      'NixOS declares them as systemd.network.networks."00-eth0" (with systemd.network.enable = true); port this file there by hand.',
    ]);
    expect(fate(r.ledger, 'networkd.units[0] (00-eth0.network)')?.kind).toBe('unsupported');
  });

  it('warns when a unit with an [Install] section has no `enabled`: presets decided, nixport enables it', () => {
    const r = readIgn(ign('3.4.0', { systemd: { units: [{ name: 'x.service', contents: '[Service]\nExecStart=/bin/x\n[Install]\nWantedBy=multi-user.target\n' }] } }));
    expect(onlyDiagnostic(r.ledger, 'ignition/unit-not-enabled').hint).toBe('Add `enabled: true` if it ran on the old host, or `enabled: false` to keep it off.');
  });
});

describe('passwd', () => {
  it('reads users with keys at their positions, 2.0 `create`, shouldExist and groups', () => {
    const r = readIgn(
      ign('2.1.0', {
        passwd: {
          users: [
            { name: 'core', sshAuthorizedKeys: [KEY] },
            { name: 'ci', create: { uid: 1600, groups: ['docker'], shell: '/bin/bash' }, gecos: 'CI', noUserGroup: true },
          ],
          groups: [{ name: 'share', gid: 1200, passwordHash: 'x', system: true }],
        },
      }),
    );
    const [key] = r.c.authorizedKeys!;
    expect(key?.user).toBe('core');
    expect(textAt(r.text, key!.item.origin)).toBe(`${KEY}"`);
    const ci = user(r.c, 'ci');
    expect([ci.uid?.value, ci.groups.map((g) => g.value), ci.shell?.value, ci.gecos?.value]).toEqual([1600, ['docker'], '/bin/bash', 'CI']);
    expect(ci.uid?.item.label).toBe('passwd.users[1].create.uid');
    expect(fate(r.ledger, 'passwd.users[1].noUserGroup')?.kind).toBe('dropped');
    expect(r.c.groups?.[0]).toMatchObject({ name: 'share', gid: { value: 1200 } });
    expect(fate(r.ledger, 'passwd.groups[0].passwordHash')?.kind).toBe('unsupported');
    expect(fate(r.ledger, 'passwd.groups[0].system')?.kind).toBe('dropped');
  });

  it('drops users and groups Ignition deleted (shouldExist: false)', () => {
    const r = readIgn(ign('3.2.0', { passwd: { users: [{ name: 'old', shouldExist: false, uid: 1000 }], groups: [{ name: 'g', shouldExist: false }] } }));
    expect(r.c.users).toEqual([]);
    expect(r.c.groups).toEqual([]);
    expect(fate(r.ledger, 'passwd.users[0] (old)')?.kind).toBe('dropped');
    expect(unsettled(r.ledger)).toEqual([]);
  });
});

describe('storage below the file level', () => {
  it('reads file systems, LUKS with key file and clevis, disks, partitions and RAID', () => {
    const r = readIgn(
      ign('3.4.0', {
        storage: {
          filesystems: [{ device: '/dev/mapper/data', format: 'xfs', path: '/srv', label: 'data', mountOptions: ['noatime'], wipeFilesystem: true, options: ['-m', 'crc=1'] }],
          luks: [
            { name: 'data', device: '/dev/sdb', keyFile: { source: 'data:,s3cret' }, discard: true, openOptions: ['--perf-no_read_workqueue'] },
            { name: 'root', device: '/dev/sda4', clevis: { tang: [{ url: 'http://tang', thumbprint: 'abc' }], tpm2: true, threshold: 2 }, label: 'luks-root' },
          ],
          disks: [{ device: '/dev/sdb', wipeTable: true, partitions: [{ label: 'data', number: 1, sizeMiB: 100, typeGuid: 'X' }] }],
          raid: [{ name: 'md0', level: 'raid1', devices: ['/dev/sdc', '/dev/sdd'], spares: 1 }],
        },
      }),
    );
    const s = r.c.storage!;
    expect(s.filesystems?.[0]).toMatchObject({ device: '/dev/mapper/data', format: 'xfs', path: '/srv', wipe: true, mountOptions: ['noatime'] });
    expect(text(s.luks![0]!.keyFile!.inline!)).toBe('s3cret');
    expect(s.luks![0]).toMatchObject({ discard: true, openOptions: ['--perf-no_read_workqueue'] });
    expect(s.luks![1]!.clevis).toEqual({ tang: [{ url: 'http://tang', thumbprint: 'abc' }], tpm2: true, threshold: 2 });
    expect(s.disks?.[0]?.partitions[0]).toMatchObject({ label: 'data', number: 1, sizeMiB: 100, typeGuid: 'X' });
    expect(s.raid?.[0]).toMatchObject({ name: 'md0', level: 'raid1', devices: ['/dev/sdc', '/dev/sdd'], spares: 1 });
    expect(fate(r.ledger, 'storage.filesystems[0].wipeFilesystem')?.kind).toBe('dropped');
    expect(fate(r.ledger, 'storage.filesystems[0].options')?.kind).toBe('dropped');
    expect(fate(r.ledger, 'storage.luks[0].openOptions')?.kind).toBe('dropped');
    expect(JSON.stringify(r.ledger.diagnostics)).not.toContain('s3cret');
  });

  it('reads 2.x file systems from `mount`, and partition sizes in sectors', () => {
    const r = readIgn(
      ign('2.1.0', {
        storage: {
          filesystems: [{ name: 'data', mount: { device: '/dev/sdb1', format: 'ext4', label: 'DATA', create: { force: true } } }, { name: 'root', path: '/sysroot' }],
          disks: [{ device: '/dev/sdb', partitions: [{ label: 'DATA', number: 1, size: 2097152, start: 2048 }] }],
        },
      }),
    );
    expect(r.c.storage?.filesystems).toEqual([expect.objectContaining({ device: '/dev/sdb1', format: 'ext4', label: 'DATA', mountOptions: [] })]);
    expect(r.c.storage?.filesystems?.[0]?.path).toBeUndefined();
    expect(fate(r.ledger, 'storage.filesystems[1] (root)')?.kind).toBe('dropped');
    expect(fate(r.ledger, 'storage.filesystems[0].mount.create')?.kind).toBe('dropped');
    expect(r.c.storage?.disks?.[0]?.partitions[0]).toMatchObject({ sizeMiB: 1024, startMiB: 1 });
  });

  it('reads kernel arguments, each a key item', () => {
    const r = readIgn(ign('3.3.0', { kernelArguments: { shouldExist: ['quiet', 'console=ttyS0'], shouldNotExist: ['mitigations=auto,nosmt'] } }));
    expect(r.c.storage?.kernelArguments?.shouldExist.map((a) => a.value)).toEqual(['quiet', 'console=ttyS0']);
    expect(item(r.ledger, 'kernelArguments.shouldNotExist[0]').kind).toBe('key');
  });

  it('rejects unknown formats and reports cex (IBM Z) as unsupported', () => {
    const r = readIgn(
      ign('3.5.0', {
        storage: {
          filesystems: [{ device: '/dev/sdb', format: 'zfs' }],
          luks: [{ name: 'z', device: '/dev/dasdb', cex: { enabled: true } }],
        },
      }),
    );
    expect(onlyDiagnostic(r.ledger, 'ignition/invalid-value').message).toContain('must be one of ext4, btrfs, xfs, vfat, swap, none, found `zfs`');
    expect(fate(r.ledger, 'storage.luks[0].cex')?.kind).toBe('unsupported');
  });
});

describe('the ledger', () => {
  it('hands every item it does not settle to the model', () => {
    const r = readIgn(
      ign('3.4.0', {
        passwd: { users: [{ name: 'a', shell: '/bin/bash', groups: ['x'], sshAuthorizedKeys: [KEY] }] },
        storage: { files: [{ path: '/etc/a', contents: { source: 'data:,a' } }] },
        systemd: { units: [{ name: 'a.service', enabled: true, contents: '[Service]\nExecStart=/bin/true\n' }] },
      }),
    );
    const handed = new Set(handedOn(r.c).map((i) => i.id));
    expect(unsettled(r.ledger).filter((i) => !handed.has(i.id))).toEqual([]);
  });
});

describe('any JSON where the spec wants something else', () => {
  it('is reported or read, never a crash, and every item read is settled or handed on', () => {
    const sections = ['storage', 'systemd', 'passwd', 'kernelArguments', 'ignition', 'networkd'];
    fc.assert(
      fc.property(
        fc.constantFrom('2.3.0', '3.4.0'),
        fc.oneof(fc.dictionary(fc.constantFrom(...sections, 'x'), fc.jsonValue({ maxDepth: 4 })), configOf('Config', 4)),
        (version, body) => {
          // The section's own keys are fuzzed too; only the version is fixed.
          const config = { ...body, ignition: { ...(typeof body.ignition === 'object' && body.ignition ? body.ignition : {}), version } };
          try {
            const r = readIgn(config);
            const handed = new Set(handedOn(r.c).map((i) => i.id));
            const storage = r.c.storage;
            for (const list of [storage?.directories, storage?.links, storage?.filesystems, storage?.luks, storage?.disks, storage?.raid]) {
              for (const x of list ?? []) handed.add(x.item.id);
            }
            for (const d of storage?.disks ?? []) for (const p of d.partitions) handed.add(p.item.id);
            for (const a of [...(storage?.kernelArguments?.shouldExist ?? []), ...(storage?.kernelArguments?.shouldNotExist ?? [])]) handed.add(a.item.id);
            if (storage?.bootDevice) handed.add(storage.bootDevice.item.id);
            for (const g of r.c.groups ?? []) for (const x of [g, g.gid]) if (x) handed.add(x.item.id);
            expect(unsettled(r.ledger).filter((i) => !handed.has(i.id))).toEqual([]);
          } catch (error) {
            if (!(error instanceof Error) || error.name !== 'InputError') throw error;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
