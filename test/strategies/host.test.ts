import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { evalModules, skipWithoutNix } from '../helpers/nix.ts';
import { convertFiles, fateOf } from './convert-helpers.ts';

const cc = (body: string) => ({ 'cc.yml': `#cloud-config\n${body}` });

describe('users', () => {
  it('maps CoreOS groups and shells, and gives each user its own group', () => {
    const c = convertFiles(
      cc(`users:
  - name: anna
    groups: [sudo, docker, portage, media]
    shell: /usr/bin/zsh
  - name: svc
    system: true
    shell: /sbin/nologin
`),
    );
    expect(c.option('users', 'users', 'anna')).toMatchObject({ isNormalUser: true, group: 'anna', extraGroups: ['wheel', 'docker', 'media'] });
    expect(c.option('users', 'users', 'anna', 'shell')).toMatch(/-zsh$/);
    expect(c.option('programs', 'zsh', 'enable')).toBe(true);
    expect(c.option('users', 'users', 'svc')).toMatchObject({ isSystemUser: true, group: 'svc', shell: '/run/current-system/sw/bin/nologin' });
    // No unit runs Docker here, so NixOS has no docker group: it is declared to keep the membership.
    expect(c.option('users', 'groups')).toEqual({ anna: {}, docker: {}, media: {}, svc: {} });
    expect(fateOf(c.report, 'users[0].groups[2]')).toMatch(/^dropped: group `portage`/);
  });

  it('refuses a normal user uid below 1000 with a re-own step, and gives top-level keys to `core`', () => {
    const c = convertFiles(
      cc(`users:
  - name: old
    uid: 500
ssh_authorized_keys:
  - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq3xJ0tGJYfsrhLAo8aHeD0qLyqGx7U8mRWv2QyRtHb me@laptop
`),
    );
    expect(c.option('users', 'users', 'old', 'uid')).toBeUndefined();
    expect(c.run.ledger.manualSteps.map((s) => s.title)).toContain('Re-own the files of old');
    expect(c.option('users', 'users', 'core')).toMatchObject({
      isNormalUser: true,
      extraGroups: ['wheel', 'docker'],
      openssh: { authorizedKeys: { keys: [expect.stringMatching(/^ssh-ed25519 \S+ me@laptop$/)] } },
    });
  });
});

describe('write_files', () => {
  it('puts /etc files into environment.etc with mode and owner, binary ones beside the module', () => {
    const gz = gzipSync(Buffer.from([0, 1, 2, 255])).toString('base64');
    const c = convertFiles(
      cc(`write_files:
  - path: /etc/app/app.conf
    permissions: 0640
    owner: app:app
    content: "a=1\\n"
  - path: /etc/app/blob.bin
    encoding: gz+b64
    content: ${gz}
  - path: /etc/hosts
    content: "10.0.0.1 nas\\n"
`),
    );
    expect(c.option('environment', 'etc', 'app/app.conf')).toEqual({ text: 'a=1\n', mode: '0640', user: 'app', group: 'app' });
    expect(c.option('environment', 'etc', 'app/blob.bin')).toEqual({ source: 'path:files/etc/app/blob.bin' });
    expect(c.run.build.assets).toEqual([{ path: 'files/etc/app/blob.bin', content: new Uint8Array([0, 1, 2, 255]) }]);
    expect(c.option('environment', 'etc', 'hosts')).toBeUndefined();
    expect(fateOf(c.report, /\(\/etc\/hosts\)$/)).toMatch(/^unsupported: NixOS generates \/etc\/hosts; set networking.hosts/);
  });

  it('links files outside /etc from the store with tmpfiles, executable when they were', () => {
    const c = convertFiles(cc(`write_files:\n  - path: /opt/bin/hello\n    permissions: "0755"\n    content: "#!/bin/sh\\necho hi\\n"\n`));
    expect(c.option('systemd', 'tmpfiles', 'settings', 'nixport-write-files', '/opt/bin/hello', 'L+', 'argument')).toMatch(/^\/nix\/store\/\w{32}-hello$/);
    expect(JSON.stringify(c.run.layout.files.find((f) => f.path === 'files.nix')?.content)).toContain('pkgs.writeScript \\"hello\\"');
  });
});

describe('scripts a unit runs', () => {
  const script = '#!/bin/bash\nset -e\n/usr/bin/docker exec db pg_dumpall > /srv/dump.sql\ncurl -fsS https://hc-ping.com/x\n';
  const files = () => {
    const c = convertFiles(
      cc(
        [
          'write_files:',
          '  - path: /opt/bin/backup.sh',
          '    permissions: "0755"',
          '    content: |',
          ...script.trimEnd().split('\n').map((l) => `      ${l}`),
          'coreos:',
          '  units:',
          '    - name: backup.service',
          '      content: |',
          '        [Service]',
          '        Type=oneshot',
          '        ExecStart=/opt/bin/backup.sh',
        ].join('\n') + '\n',
      ),
    );
    return { c, nix: String(c.run.layout.files.find((f) => f.path === 'files.nix')!.content) };
  };

  it('run on NixOS: the interpreter and programs are store paths (NixOS has no /bin/bash, a unit\'s PATH no docker or curl)', () => {
    const { nix } = files();
    expect(nix).toContain('#!${pkgs.bash}/bin/bash');
    expect(nix).toContain('${pkgs.docker}/bin/docker exec db pg_dumpall > /srv/dump.sql');
    expect(nix).toContain('${pkgs.curl}/bin/curl -fsS https://hc-ping.com/x');
  });

  it.skipIf(skipWithoutNix())('parse and evaluate with the real Nix as nixport built them', async () => {
    const { c } = files();
    const sources = Object.fromEntries(c.run.layout.files.filter((f) => f.path.endsWith('.nix')).map((f) => [f.path, String(f.content)]));
    const evaluated = await evalModules(sources, ['files.nix']);
    const argument = (evaluated as { systemd: { tmpfiles: { settings: Record<string, Record<string, { 'L+': { argument: string } }>> } } }).systemd.tmpfiles.settings['nixport-write-files']!['/opt/bin/backup.sh']!['L+'].argument;
    expect(argument).toBe(c.option('systemd', 'tmpfiles', 'settings', 'nixport-write-files', '/opt/bin/backup.sh', 'L+', 'argument'));
  });
});

describe('updates', () => {
  it.each([
    ['reboot', true],
    ['off', false],
    ['etcd-lock', true],
    ['best-effort', true],
  ])('reboot-strategy %s maps onto allowReboot %s', (strategy, reboots) => {
    const c = convertFiles(cc(`coreos:\n  update:\n    reboot-strategy: ${strategy}\n`));
    expect(c.option('system', 'autoUpgrade')).toMatchObject({ enable: true, allowReboot: reboots, upgrade: false, flake: '/etc/nixport/flake#nixos' });
  });

  it('turns the locksmith window into the upgrade time and reboot window, across midnight', () => {
    const c = convertFiles(cc(`coreos:\n  update:\n    reboot-strategy: reboot\n  locksmith:\n    window_start: "23:30"\n    window_length: 1h30m\n`));
    expect(c.option('system', 'autoUpgrade')).toMatchObject({ dates: '23:30', rebootWindow: { lower: '23:30', upper: '01:00' } });
  });
});

describe('data on the old root disk', () => {
  it('lists bind-mounted paths outside the data file systems, and named volumes, to copy', () => {
    const c = convertFiles({
      'data.mount': '[Mount]\nWhat=/dev/sdb1\nWhere=/data\nType=ext4\n',
      'app.service':
        '[Service]\nExecStart=/usr/bin/docker run -v /data/app:/app -v /var/lib/app:/state -v appcache:/cache -v /var/run/docker.sock:/var/run/docker.sock img\n',
    });
    const steps = c.run.ledger.manualSteps;
    expect(steps.find((s) => s.title === 'Copy service data from the old root disk')?.detail).toContain('`/var/lib/app` (app.service)');
    expect(steps.find((s) => s.title === 'Copy service data from the old root disk')?.detail).not.toMatch(/\/data\/app|docker\.sock/);
    expect(steps.find((s) => s.title === 'Copy named Docker volumes')?.detail).toContain('`appcache` (app.service)');
  });

  it('lists the environment files and working directories carried units read, outside the data file systems', () => {
    const c = convertFiles({
      'data.mount': '[Mount]\nWhat=/dev/sdb1\nWhere=/data\nType=ext4\n',
      'app.service': '[Service]\nEnvironmentFile=-/etc/default/app\nEnvironmentFile=/data/app.env\nWorkingDirectory=/opt/app\nExecStart=/opt/app/run\n',
    });
    const detail = c.run.ledger.manualSteps.find((s) => s.title === 'Copy service data from the old root disk')?.detail;
    expect(detail).toContain('`/etc/default/app` (app.service, EnvironmentFile=)');
    expect(detail).toContain('`/opt/app` (app.service, WorkingDirectory=)');
    expect(detail).not.toContain('/data/app.env');
  });
});

describe('service accounts', () => {
  it('declares the user and group a carried unit runs as, when the input does not, with a step to re-own their files', () => {
    const c = convertFiles({
      'app.service': '[Service]\nUser=myapp\nGroup=myapp\nExecStart=/opt/app/run\n',
      'worker.service': '[Service]\nUser=myapp\nExecStart=/opt/app/work\n',
      'other.service': '[Service]\nUser=helper\nGroup=users\nExecStart=/opt/app/other\n',
    });
    expect(c.option('users', 'users', 'myapp')).toEqual({ isSystemUser: true, group: 'myapp' });
    expect(c.option('users', 'users', 'helper')).toEqual({ isSystemUser: true, group: 'users' });
    expect(c.option('users', 'groups', 'myapp')).toEqual({});
    // `users` exists on every NixOS system.
    expect(c.option('users', 'groups', 'users')).toBeUndefined();
    expect(c.run.ledger.manualSteps.find((s) => s.title === 'Re-own the files of the service accounts')?.detail).toContain('myapp, helper');
  });

  it('leaves root, numeric ids, DynamicUser= and accounts the input declares alone', () => {
    const c = convertFiles({
      'a.service': '[Service]\nUser=root\nExecStart=/bin/true\n',
      'b.service': '[Service]\nUser=1005\nExecStart=/bin/true\n',
      'c.service': '[Service]\nDynamicUser=yes\nUser=dyn\nExecStart=/bin/true\n',
    });
    expect(Object.keys((c.option('users', 'users') as object | undefined) ?? {})).toEqual([]);
    expect(c.run.ledger.manualSteps.map((s) => s.title)).not.toContain('Re-own the files of the service accounts');
  });
});

describe('the firewall note on published ports', () => {
  const note = (files: Record<string, string>) => convertFiles(files).report.diagnostics.filter((d) => d.code === 'firewall/docker-bypass');

  it('is given when a container publishes a port, in words that fit podman too', () => {
    expect(note({ 'a.service': '[Service]\nExecStart=/usr/bin/podman run -p 8080:80 img\n' }).map((d) => d.message)).toEqual([expect.stringContaining('Docker and podman add their own forwarding rules')]);
  });

  it('is not given when only a socket unit listens: systemd listens, and the firewall governs it', () => {
    expect(note({ 'web.socket': '[Socket]\nListenStream=8080\n' })).toEqual([]);
  });
});
