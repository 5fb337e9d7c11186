import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/model/ledger.ts';
import { readContainerLinuxConfig } from '../../src/sources/clc/index.ts';
import { detect } from '../../src/sources/detect.ts';
import type { Pipeline } from '../../src/pipeline.ts';
import { config, convert, modelOf } from './equivalence.ts';
import { at, diagnostics, fate, file, inputError, onlyDiagnostic, unit, unsettled, user } from '../fixtures/cloud-config/helpers.ts';

const readClc = (...lines: string[]) => {
  const ledger = new Ledger();
  const c = readContainerLinuxConfig('host.clc', lines.join('\n') + '\n', ledger);
  return { c, ledger };
};

describe('a Container Linux Config and the Ignition 2.3.0 JSON ct makes of it', () => {
  // test/fixtures/clc/webhost.ign is written by hand as `ct` writes it (config/types/*.go):
  // data: URLs, default modes, update.conf from update/locksmith, docker.service with DOCKER_OPTS.
  it('give the same NixOS configuration, model, manual steps and kinds of diagnostics', async () => {
    const clc = await convert(['test/fixtures/clc/webhost.yml']);
    const ignition = await convert(['test/fixtures/clc/webhost.ign']);
    expect(clc.host.sources).toEqual([{ path: 'test/fixtures/clc/webhost.yml', format: 'container-linux-config' }]);
    expect(config(clc)).toEqual(config(ignition));
    expect(modelOf(clc.host)).toEqual(modelOf(ignition.host));
    const titles = (run: Pipeline) => run.ledger.manualSteps.map((s) => s.title).sort();
    expect(titles(clc)).toEqual(titles(ignition));
    // ct always writes the (empty) `ignition.timeouts` and `ignition.security` the CLC does not have.
    const ctSections = (message: string) => message.startsWith('`/ignition/');
    const codes = (run: Pipeline) =>
      run.ledger.diagnostics
        .filter((d) => !ctSections(d.message))
        .map((d) => d.code.replace(/^(clc|ignition)\//, 'reader/'))
        .sort();
    expect(codes(clc)).toEqual(codes(ignition));
    expect(clc.ledger.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('carries the host: users, disk, files, units, DOCKER_OPTS and the reboot window', async () => {
    const run = await convert(['test/fixtures/clc/webhost.yml']);
    const nix = config(run) as Record<string, any>;
    expect(nix['networking']['hostName']).toBe('web1');
    expect(nix['users']['users']['deploy']).toMatchObject({ uid: 1500, extraGroups: ['docker', 'www'], home: '/home/deploy' });
    expect(nix['users']['users']['www']).toMatchObject({ isSystemUser: true, uid: 1600, group: 'www', createHome: false });
    expect(nix['users']['groups']['www']).toEqual({ gid: 1600 });
    expect(nix['fileSystems']['/srv/www']).toMatchObject({ device: '/dev/disk/by-label/WWW', fsType: 'ext4' });
    expect(nix['virtualisation']['docker']['extraOptions']).toBe('--log-driver=journald --live-restore');
    expect(nix['system']['autoUpgrade']).toMatchObject({ allowReboot: true, dates: 'Sun 03:00', rebootWindow: { lower: '03:00', upper: '04:00' } });
    expect(Object.keys(nix['systemd']['services'])).toContain('nginx');
    expect(run.host.files.find((f) => f.path === '/etc/nginx/conf.d/site.conf')?.mode).toBe(0o644);
    expect(run.host.storage.disks[0]?.partitions[0]).toMatchObject({ label: 'WWW', sizeMiB: 0, typeGuid: '0fc63daf-8483-4772-8e79-3d69d8477de4' });
    expect(diagnostics(run.ledger, 'clc/networkd-unit')).toHaveLength(1);
    expect(unsettled(run.ledger)).toEqual([]);
  });
});

describe('detection', () => {
  it('takes YAML of CLC sections only, with no header and no variant, whatever the name', () => {
    expect(detect('user-data', 'passwd:\n  users:\n    - name: core\nlocksmith:\n  reboot_strategy: reboot\n').kind).toBe('container-linux-config');
    expect(detect('web.yml', '# provisioned with ct\nstorage: {}\nupdate:\n  group: stable\n').kind).toBe('container-linux-config');
    expect(detect('host.yml', '#cloud-config\ncoreos:\n  update:\n    group: stable\n').kind).toBe('cloud-config');
    expect(detect('host.bu', 'variant: flatcar\nversion: 1.1.0\nstorage: {}\n').kind).toBe('butane');
    // A cloud-config missing its header is still a cloud-config (the reader says to add it).
    expect(detect('host.yml', 'hostname: a\nstorage: {}\n').kind).toBe('cloud-config');
    expect(detect('compose.yml', 'services:\n  web:\n    image: nginx\n').kind).toBe('compose');
  });
});

describe('keys', () => {
  it('warns about an unknown key with its position and a did-you-mean, as ct does', () => {
    const r = readClc('systemd:', '  units:', '    - name: a.service', '      enable: true', '      content: "[Service]\\nExecStart=/bin/true"');
    const d = onlyDiagnostic(r.ledger, 'clc/unknown-key');
    expect(d.severity).toBe('warning');
    expect([d.message, at(d.origin), d.hint]).toEqual([
      '`systemd.units[0].content` is not a key of a Container Linux Config; ct ignored it with a warning',
      '5:7',
      'Did you mean `contents`?',
    ]);
    expect(fate(r.ledger, 'systemd.units[0].content')?.kind).toBe('unsupported');
  });

  it('knows ct spells Ignition keys its own way: no size_mib, no source on files', () => {
    const r = readClc('storage:', '  files:', '    - path: /a', '      filesystem: root', '      contents:', '        source: "data:,x"');
    expect(diagnostics(r.ledger, 'clc/unknown-key').map((d) => d.message)).toEqual([
      '`storage.files[0].contents.source` is not a key of a Container Linux Config; ct ignored it with a warning',
    ]);
  });

  it('reports etcd and flannel as not migrated, with the reason and a hint', () => {
    const r = readClc('etcd:', '  version: 3.3.25', '  name: "{HOSTNAME}"', 'flannel:', '  network_config: "{}"');
    expect(fate(r.ledger, 'etcd')).toMatchObject({ kind: 'unsupported', reason: 'etcd clusters are not migrated' });
    expect(fate(r.ledger, 'flannel')).toMatchObject({ kind: 'unsupported', reason: 'flannel overlay networks are not migrated' });
    expect(diagnostics(r.ledger, 'clc/unsupported-key').map((d) => at(d.origin))).toEqual(['1:1', '4:1']);
    expect(unsettled(r.ledger)).toEqual([]);
  });

  it('never echoes the update server password, and settles every update key', () => {
    const r = readClc('update:', '  group: beta', '  download_user: flatcar', '  download_password: hunter2', '  machine_alias: web1');
    expect(r.c.update?.group?.value).toBe('beta');
    expect(JSON.stringify(r.ledger.diagnostics)).not.toContain('hunter2');
    expect(fate(r.ledger, 'update.download_password')?.kind).toBe('unsupported');
    expect(fate(r.ledger, 'update.machine_alias')?.kind).toBe('dropped');
  });
});

describe('storage', () => {
  it('reads modes in octal as go-yaml does, and gives files without one 0644 as ct does', () => {
    const r = readClc('storage:', '  files:', '    - path: /a', '      filesystem: root', '      mode: 0600', '    - path: /b', '      filesystem: root', '  directories:', '    - path: /d', '      filesystem: root');
    expect([file(r.c, '/a').mode, file(r.c, '/b').mode, r.c.storage?.directories?.[0]?.mode]).toEqual([0o600, 0o644, 0o755]);
    // ct writes `data:,` for a file with no contents: an empty file.
    expect(file(r.c, '/b').text).toBe('');
    expect(file(r.c, '/b').contentOmitted).toBeUndefined();
  });

  it('keeps a remote file with its hash as `<function>-<sum>` for the manual step', () => {
    const r = readClc('storage:', '  files:', '    - path: /opt/x', '      filesystem: root', '      contents:', '        remote:', '          url: https://e.example/x', '          verification:', '            hash:', '              function: sha512', '              sum: abc');
    expect(file(r.c, '/opt/x').remote).toEqual({ url: 'https://e.example/x', verification: 'sha512-abc' });
  });

  it('refuses a file with both inline and remote contents, as ct does', () => {
    const r = readClc('storage:', '  files:', '    - path: /x', '      filesystem: root', '      contents:', '        inline: a', '        remote:', '          url: https://e.example/x');
    expect(onlyDiagnostic(r.ledger, 'clc/invalid-value').message).toContain('sets remote.url and inline');
    expect(r.c.files).toEqual([]);
  });

  it('reads partition sizes with units, and refuses what ct refuses', () => {
    const r = readClc('storage:', '  disks:', '    - device: /dev/sdb', '      partitions:', '        - label: A', '          size: 2GiB', '          start: 1MiB', '        - label: B', '          size: 1GiB512MiB', '        - label: C', '          size: 100KiB', '          type_guid: raid_partition');
    const parts = r.c.storage?.disks?.[0]?.partitions ?? [];
    expect(parts.map((p) => [p.label, p.sizeMiB, p.startMiB])).toEqual([
      ['A', 2048, 1],
      ['B', 1536, undefined],
    ]);
    const d = onlyDiagnostic(r.ledger, 'clc/invalid-value');
    expect([at(d.origin), d.message]).toEqual(['11:17', '`storage.disks[0].partitions[2].size` must be a size in whole MiB with a unit (e.g. `512MiB`, `2GiB`), found `100KiB`']);
  });
});

describe('update, locksmith and docker', () => {
  it('map onto the update policy as cloud-config does, the group in lower case as ct writes it', () => {
    const r = readClc('update:', '  group: Stable', '  server: https://u.example/v1/update/', 'locksmith:', '  reboot_strategy: etcd-lock', '  window_start: Thu 04:00', '  window_length: 2h', '  etcd_endpoints: http://10.0.0.1:2379');
    const u = r.c.update!;
    expect([u.group?.value, u.server?.value, u.rebootStrategy?.value, u.windowStart?.value, u.windowLength?.value]).toEqual([
      'stable',
      'https://u.example/v1/update/',
      'etcd-lock',
      'Thu 04:00',
      '2h',
    ]);
    expect(at(u.rebootStrategy?.item.origin)).toBe('5:3');
    expect(fate(r.ledger, 'locksmith.etcd_endpoints')?.kind).toBe('unsupported');
  });

  it('refuses a reboot strategy ct refuses, and a window with only its start', () => {
    const r = readClc('locksmith:', '  reboot_strategy: best-effort', '  window_start: Thu 04:00');
    expect(r.c.update?.rebootStrategy).toBeUndefined();
    expect(diagnostics(r.ledger, 'clc/invalid-value').map((d) => at(d.origin))).toEqual(['2:20', '3:3']);
  });

  it('writes docker.flags as ct does: a DOCKER_OPTS drop-in, added to a docker.service the config has', () => {
    const alone = readClc('docker:', '  flags:', '    - --iptables=false', '    - --log-opt max-size=10m');
    expect(unit(alone.c, 'docker.service', '20-clct-docker.conf').text).toBe('[Service]\nEnvironment="DOCKER_OPTS=--iptables=false --log-opt max-size=10m"');
    expect(unit(alone.c, 'docker.service').activation?.enable?.value).toBe(true);
    const both = readClc('systemd:', '  units:', '    - name: docker.service', '      enabled: true', 'docker:', '  flags: [--debug]');
    expect(both.c.units?.filter((u) => u.unit === 'docker.service').map((u) => u.dropIn)).toEqual([undefined, '20-clct-docker.conf']);
  });
});

describe('passwd', () => {
  it('reads users as Ignition 2.3 has them', () => {
    const r = readClc('passwd:', '  users:', '    - name: ops', '      password_hash: "$6$x$y"', '      uid: 1001', '      primary_group: staff', '      groups: [wheel]', '      no_create_home: true');
    const ops = user(r.c, 'ops');
    expect([ops.uid?.value, ops.primaryGroup?.value, ops.groups?.map((g) => g.value), ops.noCreateHome?.value]).toEqual([1001, 'staff', ['wheel'], true]);
    expect(ops.passwordHash?.value).toBe('$6$x$y');
  });
});

describe('bad input', () => {
  it('refuses a config that is not a mapping, and YAML errors, with the position', () => {
    expect(inputError(() => readClc('- storage: {}')).code).toBe('clc/not-a-mapping');
    const d = inputError(() => readClc('storage:', '\tfiles: []'));
    expect([d.code, at(d.origin)]).toEqual(['clc/yaml', '2:1']);
  });
});
