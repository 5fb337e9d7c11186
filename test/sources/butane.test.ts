import { describe, expect, it } from 'vitest';
import { BUTANE_SPECS } from '../../src/sources/ignition/index.ts';
import { at, diagnostics, fate, file, inputError, onlyDiagnostic, textAt, unit, unsettled, user } from '../fixtures/cloud-config/helpers.ts';
import { bu, readBu } from '../fixtures/ignition/helpers.ts';

const files = (path: string, ...lines: string[]) => ['storage:', '  files:', `    - path: ${path}`, ...lines.map((l) => `      ${l}`)];

describe('variants and versions', () => {
  it.each(BUTANE_SPECS.map((s) => [s.variant, s.version]))('reads %s %s', (variant, version) => {
    const r = readBu(bu(variant, version, ...files('/etc/motd', 'contents:', '  inline: hi')));
    expect(r.c.format).toBe('butane');
    expect(file(r.c, '/etc/motd').text).toBe('hi');
    expect(r.ledger.diagnostics).toEqual([]);
  });

  it.each([
    ['fcos', '1.8.0-experimental', 'Experimental specs change'],
    ['fcos', '2.0.0', 'The fcos variant has versions 1.0.0, 1.1.0'],
    ['flatcar', '1.2.0', 'The flatcar variant has versions 1.0.0, 1.1.0.'],
    ['openshift', '4.14.0', 'Set `variant:` to fcos or flatcar'],
  ])('refuses %s %s (exit 2) with the versions it has', (variant, version, hint) => {
    const d = inputError(() => readBu(bu(variant, version)));
    expect(d.code).toBe('butane/unknown-version');
    expect(d.hint).toContain(hint);
  });

  it('points at the version it refuses', () => {
    const d = inputError(() => readBu('variant: fcos\nversion: 9.9.9\n'));
    expect(at(d.origin)).toBe('2:10');
    expect(d.message).toBe('version `9.9.9` is not a fcos spec nixport reads');
  });

  it('refuses YAML that is not a mapping, and bad YAML with its position', () => {
    expect(inputError(() => readBu('- variant: fcos\n')).code).toBe('butane/not-a-mapping');
    const d = inputError(() => readBu('variant: fcos\nversion: 1.5.0\nstorage:\n\tfiles: []\n'));
    expect([d.code, at(d.origin)]).toEqual(['butane/yaml', '4:1']);
  });
});

describe('keys per variant and version', () => {
  it('reports keys the spec version does not have, with the spelling Butane uses', () => {
    const r = readBu(bu('fcos', '1.0.0', 'storage:', '  luks: []', '  filesystems:', '    - device: /dev/sdb', '      format: ext4', '      with_mount_unit: true'));
    const messages = diagnostics(r.ledger, 'butane/unknown-key').map((d) => d.message);
    expect(messages).toEqual([
      '`storage.luks` is not a key of Butane fcos 1.0.0; Butane ignored it with a warning',
      '`storage.filesystems[0].with_mount_unit` is not a key of Butane fcos 1.0.0; Butane ignored it with a warning',
    ]);
    expect(diagnostics(r.ledger, 'butane/unknown-key')[0]!.hint).toContain('3.2.0–3.6.0');
  });

  it('knows the camelCase of Ignition is not Butane', () => {
    const r = readBu(bu('fcos', '1.4.0', 'kernelArguments:', '  shouldExist: [quiet]'));
    expect(onlyDiagnostic(r.ledger, 'butane/unknown-key').hint).toBe('Did you mean `kernel_arguments`?');
  });

  it('knows the fcos-only keys: boot_device from 1.3, grub from 1.5, none in flatcar', () => {
    expect(diagnostics(readBu(bu('fcos', '1.2.0', 'boot_device:', '  mirror:', '    devices: [/dev/sda, /dev/sdb]')).ledger, 'butane/unknown-key')).toHaveLength(1);
    expect(diagnostics(readBu(bu('flatcar', '1.1.0', 'boot_device: {}')).ledger, 'butane/unknown-key')).toHaveLength(1);
    const grub = readBu(bu('fcos', '1.5.0', 'grub:', '  users:', '    - name: root', '      password_hash: grub.pbkdf2.sha512.x'));
    expect(fate(grub.ledger, 'grub')?.kind).toBe('unsupported');
    const boot = readBu(bu('fcos', '1.5.0', 'boot_device:', '  layout: x86_64', '  luks:', '    tpm2: true', '    discard: true', '  mirror:', '    devices: [/dev/sda, /dev/sdb]'));
    expect(boot.c.storage?.bootDevice).toMatchObject({ layout: 'x86_64', luks: { tpm2: true, discard: true, tang: [] }, mirrorDevices: ['/dev/sda', '/dev/sdb'] });
  });

  it('refuses clevis in the flatcar variant, as Butane does', () => {
    const r = readBu(bu('flatcar', '1.1.0', 'storage:', '  luks:', '    - name: d', '      device: /dev/sdb', '      clevis:', '        tpm2: true'));
    const d = onlyDiagnostic(r.ledger, 'butane/forbidden-key');
    expect(d.message).toContain('`storage.luks[0].clevis`');
    expect(r.c.storage?.luks?.[0]?.clevis).toBeUndefined();
  });
});

describe('scalars as go-yaml v3 reads them into typed fields', () => {
  it.each([
    ['0644', 0o644],
    ['0o644', 0o644],
    ['0x1a4', 0o644],
    ['420', 0o644],
    ['0755', 0o755],
    ['01777', 0o1777],
    ['0_644', 0o644],
  ])('mode: %s is %o', (written, mode) => {
    const r = readBu(bu('fcos', '1.5.0', ...files('/var/x', `mode: ${written}`, 'contents:', '  inline: x')));
    expect(file(r.c, '/var/x').mode).toBe(mode);
  });

  it('warns about `mode: 644` (decimal 644 is 01204), as Butane does', () => {
    const r = readBu(bu('fcos', '1.5.0', ...files('/var/x', 'mode: 644', 'contents:', '  inline: x')));
    expect(onlyDiagnostic(r.ledger, 'butane/decimal-mode').message).toBe('`storage.files[0].mode` is 644, which is 01204 (an unusual mode); 0644 was probably meant');
    expect(file(r.c, '/var/x').mode).toBe(644);
  });

  it('rejects a quoted mode: go-yaml does not put a string into an int', () => {
    const r = readBu(bu('fcos', '1.5.0', ...files('/var/x', 'mode: "0644"')));
    expect(onlyDiagnostic(r.ledger, 'butane/wrong-type').message).toBe('`storage.files[0].mode` must be an integer, found a quoted string');
    expect(r.c.files).toEqual([]);
  });

  it('reads YAML 1.1 booleans into bool fields, and any scalar into string fields as written', () => {
    const r = readBu(
      bu('fcos', '1.5.0', 'systemd:', '  units:', '    - name: a.service', '      enabled: yes', '      contents: "[Service]\\nExecStart=/bin/true\\n"', '    - name: b.service', '      mask: on', 'passwd:', '  users:', '    - name: 0644', '      no_create_home: n'),
    );
    expect(unit(r.c, 'a.service').activation?.enable?.value).toBe(true);
    expect(unit(r.c, 'b.service').activation?.mask?.value).toBe(true);
    expect(user(r.c, '0644').noCreateHome?.value).toBe(false);
  });
});

describe('contents: inline, local, source', () => {
  it('reads inline text and local files beside the config', () => {
    const r = readBu(
      bu('fcos', '1.4.0', 'storage:', '  files:', '    - path: /etc/a.conf', '      contents:', '        inline: |', '          x = 1', '    - path: /etc/b.conf', '      contents:', '        local: conf/b.conf'),
      { 'conf/b.conf': 'y = 2\n' },
    );
    expect(file(r.c, '/etc/a.conf').text).toBe('x = 1\n');
    expect(file(r.c, '/etc/b.conf').text).toBe('y = 2\n');
    expect(r.used).toEqual(new Set(['host/conf/b.conf']));
  });

  it('makes a manual step when a local file is not among the inputs, and refuses paths leaving the directory', () => {
    const r = readBu(
      bu('fcos', '1.4.0', 'storage:', '  files:', '    - path: /etc/a', '      contents:', '        local: missing.conf', '    - path: /etc/b', '      contents:', '        local: ../../etc/shadow'),
    );
    const ds = diagnostics(r.ledger, 'butane/local-missing').map((d) => d.message);
    expect(ds[0]).toContain('`missing.conf` is not among the inputs (host/missing.conf is not among the inputs)');
    expect(ds[1]).toContain('leaves the directory of the Butane config');
    expect(fate(r.ledger, 'storage.files[0] (/etc/a)')?.kind).toBe('manual');
    expect(r.c.files).toEqual([]);
  });

  it('refuses two of inline, local and source at once', () => {
    const r = readBu(bu('fcos', '1.4.0', ...files('/etc/a', 'contents:', '  inline: x', '  source: data:,y')));
    expect(onlyDiagnostic(r.ledger, 'butane/invalid-value').message).toBe('`storage.files[0].contents` sets source and inline; only one of them may be set');
  });

  it('reads contents_local units and ssh_authorized_keys_local keys', () => {
    const r = readBu(
      bu('flatcar', '1.1.0', 'systemd:', '  units:', '    - name: x.service', '      contents_local: units/x.service', '      dropins:', '        - name: 10-a.conf', '          contents_local: units/10-a.conf', 'passwd:', '  users:', '    - name: core', '      ssh_authorized_keys_local: [keys/core.pub]'),
      {
        'units/x.service': '[Service]\nExecStart=/bin/x\n',
        'units/10-a.conf': '[Service]\nNice=1\n',
        'keys/core.pub': '# comment\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq3xJ0tGJYfsrhLAo8aHeD0qLyqGx7U8mRWv2QyRtHb a@b\n\n',
      },
    );
    const x = unit(r.c, 'x.service');
    expect(x.text).toBe('[Service]\nExecStart=/bin/x\n');
    expect(x.position(2, 1)).toEqual({ file: 'host/units/x.service', line: 2, column: 1 });
    expect(unit(r.c, 'x.service', '10-a.conf').text).toContain('Nice=1');
    expect(r.c.authorizedKeys?.map((k) => [k.comment, at(k.item.origin), k.item.origin.file])).toEqual([['a@b', '2:1', 'host/keys/core.pub']]);
  });

  it('embeds trees, with files entries overriding the mode of a tree file', () => {
    const r = readBu(
      bu('fcos', '1.5.0', 'storage:', '  trees:', '    - local: tree', '      path: /etc/app', '  files:', '    - path: /etc/app/secret.conf', '      mode: 0600'),
      { 'tree/a.conf': 'a\n', 'tree/bin/run': '#!/bin/sh\n', 'tree/secret.conf': 'k\n' },
    );
    // As in Butane's output: the overridden file keeps the place of its files entry, the others follow.
    expect(r.c.files?.map((f) => [f.path, f.mode?.toString(8), f.text, f.item.label])).toEqual([
      ['/etc/app/secret.conf', '600', 'k\n', 'storage.files[0] (/etc/app/secret.conf)'],
      ['/etc/app/a.conf', '644', 'a\n', 'storage.trees[0] (/etc/app/a.conf)'],
      ['/etc/app/bin/run', '755', '#!/bin/sh\n', 'storage.trees[0] (/etc/app/bin/run)'],
    ]);
  });
});

describe('with_mount_unit', () => {
  it('generates the unit Butane generates, text for text, at the key that asked for it', () => {
    const r = readBu(
      bu(
        'fcos',
        '1.5.0',
        'storage:',
        '  luks:',
        '    - name: data',
        '      device: /dev/sdb',
        '      clevis:',
        '        tang:',
        '          - url: http://tang',
        '            thumbprint: x',
        '  filesystems:',
        '    - device: /dev/mapper/data',
        '      format: xfs',
        '      path: /var/data',
        '      with_mount_unit: true',
        '      mount_options: [noatime]',
        '    - device: /dev/disk/by-label/swap',
        '      format: swap',
        '      with_mount_unit: true',
      ),
    );
    const mount = unit(r.c, 'var-data.mount');
    expect(mount.text).toBe(
      '# Generated by Butane\n[Unit]\nRequires=systemd-fsck@dev-mapper-data.service\nAfter=systemd-fsck@dev-mapper-data.service\n\n' +
        '[Mount]\nWhere=/var/data\nWhat=/dev/mapper/data\nType=xfs\nOptions=noatime,_netdev\n\n[Install]\nRequiredBy=remote-fs.target',
    );
    expect(mount.activation?.enable?.value).toBe(true);
    expect(textAt(r.text, mount.item.origin)).toBe('true');
    expect(unit(r.c, 'dev-disk-by\\x2dlabel-swap.swap').text).toBe('# Generated by Butane\n[Swap]\nWhat=/dev/disk/by-label/swap\n\n[Install]\nRequiredBy=swap.target');
  });

  it('merges a generated unit with a unit of the same name in systemd.units, as Butane does', () => {
    const r = readBu(
      bu('fcos', '1.5.0', 'storage:', '  filesystems:', '    - device: /dev/sdb', '      format: ext4', '      path: /var/b', '      with_mount_unit: true', 'systemd:', '  units:', '    - name: var-b.mount', '      dropins:', '        - name: 10-x.conf', '          contents: "[Mount]\\nTimeoutSec=5\\n"'),
    );
    const merged = unit(r.c, 'var-b.mount');
    expect(merged.item.label).toBe('systemd.units[0] (var-b.mount)');
    expect(merged.text).toContain('Where=/var/b');
    expect(merged.activation?.enable?.value).toBe(true);
    expect(unit(r.c, 'var-b.mount', '10-x.conf').text).toContain('TimeoutSec=5');
    expect(fate(r.ledger, 'storage.filesystems[0].with_mount_unit (var-b.mount)')?.kind).toBe('dropped');
  });

  it('needs a format and a path, as Butane does', () => {
    const r = readBu(bu('fcos', '1.5.0', 'storage:', '  filesystems:', '    - device: /dev/sdb', '      with_mount_unit: true'));
    expect(onlyDiagnostic(r.ledger, 'butane/invalid-value').message).toBe('`storage.filesystems[0].with_mount_unit`: a mount unit needs `format`');
    expect(r.c.units).toEqual([]);
  });
});

describe('the ledger', () => {
  it('settles what it does not hand on, in a config with a bit of everything', () => {
    const r = readBu(
      bu('fcos', '1.6.0', 'ignition:', '  config:', '    merge:', '      - inline: "{}"', '  timeouts:', '    http_total: 5', 'storage:', '  disks:', '    - device: /dev/sdb', '      wipe_table: true', '      partitions:', '        - label: x', '          size_mib: 10', 'kernel_arguments:', '  should_not_exist: [quiet]', 'nonsense: 1'),
    );
    expect(fate(r.ledger, 'ignition.config.merge[0]')?.kind).toBe('manual');
    expect(r.ledger.manualSteps[0]!.detail).toContain('embedded in the Butane config (`inline`)');
    expect(fate(r.ledger, 'storage.disks[0].wipe_table')?.kind).toBe('dropped');
    const settledLater = new Set(['storage.disks[0] (/dev/sdb)', 'storage.disks[0].partitions[0] (x)', 'kernel_arguments.should_not_exist[0]']);
    expect(unsettled(r.ledger).map((i) => i.label).filter((l) => !settledLater.has(l))).toEqual([]);
    expect(fate(r.ledger, 'nonsense')?.kind).toBe('unsupported');
  });
});
