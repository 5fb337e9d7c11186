import { describe, expect, it } from 'vitest';
import { cloudConfig, convertFiles, fateOf } from './convert-helpers.ts';

describe('carrying a unit 1:1 (stage 1)', () => {
  it('maps [Unit] lists and Description onto first-class options, the rest onto unitConfig', () => {
    const c = convertFiles({
      'a.service': '[Unit]\nDescription=A\nAfter=network-online.target docker.service\nWants=network-online.target\nConditionPathExists=/etc/a\n[Service]\nExecStart=/usr/bin/docker run --rm alpine true\n',
    });
    expect(c.option('systemd', 'services', 'a')).toMatchObject({
      description: 'A',
      after: ['network-online.target', 'docker.service'],
      wants: ['network-online.target'],
      unitConfig: { ConditionPathExists: '/etc/a' },
    });
    expect(fateOf(c.report, '[Unit] ConditionPathExists=')).toBe('carried: systemd.services.a.unitConfig.ConditionPathExists');
  });

  it('turns Environment= assignments into `environment`, unquoted as systemd does', () => {
    const c = convertFiles({ 'a.service': '[Service]\nEnvironment="A=1 2" B=x\nEnvironment=C=\\x41\nExecStart=/bin/sh -c true\n' });
    expect(c.option('systemd', 'services', 'a', 'environment')).toEqual({ A: '1 2', B: 'x', C: 'A' });
  });

  it('prints one ExecStart as a string and ExecStartPre as a list, with prefixes kept', () => {
    const c = convertFiles({
      'a.service': '[Service]\nExecStartPre=-/usr/bin/docker rm -f a\nExecStart=/usr/bin/docker run --name a nginx\n',
    });
    const exec = c.option('systemd', 'services', 'a', 'serviceConfig') as Record<string, unknown>;
    expect(exec.ExecStartPre).toEqual([expect.stringMatching(/^-\/nix\/store\/\w{32}-docker\/bin\/docker rm -f a$/)]);
    expect(exec.ExecStart).toMatch(/^\/nix\/store\/\w{32}-docker\/bin\/docker run --name a nginx$/);
  });

  it('adds after/requires docker.service when a unit runs docker without saying so', () => {
    const c = convertFiles({ 'a.service': '[Service]\nExecStart=/usr/bin/docker run nginx\n' });
    expect(c.option('systemd', 'services', 'a', 'after')).toEqual(['docker.service']);
    expect(c.option('systemd', 'services', 'a', 'requires')).toEqual(['docker.service']);
    expect(c.report.diagnostics.map((d) => d.code)).toContain('docker/ordering-added');
  });

  it('starts `command: start` units at boot and links [Install] only with `enable: true`', () => {
    const c = convertFiles({
      'cc.yml': cloudConfig({
        'a.service': { extra: 'command: start', content: '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=default.target' },
        'b.service': { extra: 'command: start\nenable: true', content: '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target' },
        'c.service': { extra: 'command: stop', content: '[Service]\nExecStart=/bin/true' },
        'd.service': { extra: 'enable: false', content: '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target' },
      }),
    });
    expect(c.option('systemd', 'services', 'a', 'wantedBy')).toEqual(['multi-user.target']);
    expect(fateOf(c.report, '[Install] WantedBy=')).toMatch(/^dropped: the old host never ran `systemctl enable`/);
    expect(c.option('systemd', 'services', 'b', 'wantedBy')).toEqual(['multi-user.target']);
    expect(c.option('systemd', 'services', 'c', 'wantedBy')).toBeUndefined();
    expect(c.option('systemd', 'services', 'd', 'wantedBy')).toBeUndefined();
    expect(c.report.coverage.unaccounted).toBe(0);
  });

  it('masks masked units and amends OS units given without content', () => {
    const c = convertFiles({
      'cc.yml': cloudConfig({
        'rpcbind.service': { extra: 'command: stop\nmask: true' },
        'docker.service': { extra: 'drop-ins:\n  - name: 10-after.conf\n    content: |\n      [Unit]\n      After=network-online.target' },
      }),
    });
    expect(c.option('systemd', 'services', 'rpcbind')).toEqual({ enable: false });
    expect(c.option('systemd', 'services', 'docker')).toEqual({ after: ['network-online.target'] });
    expect(c.report.diagnostics.map((d) => d.code)).toContain('unit/amends-os-unit');
    expect(c.report.coverage.unaccounted).toBe(0);
  });

  it('drops CoreOS machinery units with the NixOS way named', () => {
    const c = convertFiles({ 'cc.yml': cloudConfig({ 'update-engine.service': { extra: 'command: stop\nmask: true' } }) });
    expect(c.option('systemd', 'services', 'update-engine')).toBeUndefined();
    expect(fateOf(c.report, /\(update-engine\.service\)/)).toMatch(/^dropped: CoreOS updates; NixOS updates through system.autoUpgrade/);
  });

  it('puts a timer with its service in one module, wanted once by timers.target', () => {
    const c = convertFiles({
      'cc.yml': cloudConfig({
        'backup.service': { content: '[Service]\nType=oneshot\nExecStart=/usr/bin/rsync -a /a /b' },
        'backup.timer': { extra: 'command: start\nenable: true', content: '[Timer]\nOnCalendar=daily\n[Install]\nWantedBy=timers.target' },
      }),
    });
    expect(c.run.plan.services.map((s) => [s.name, s.units.map((u) => u.name)])).toEqual([['backup', ['backup.service', 'backup.timer']]]);
    expect(c.option('systemd', 'timers', 'backup')).toEqual({ wantedBy: ['timers.target'], timerConfig: { OnCalendar: 'daily' } });
    expect(c.option('systemd', 'services', 'backup', 'serviceConfig', 'ExecStart')).toMatch(/-rsync\/bin\/rsync -a \/a \/b$/);
  });

  it('sets startLimitIntervalSec = 0 for Restart=always and moves [Service] StartLimit* to the unit (N1)', () => {
    const c = convertFiles({ 'a.service': '[Service]\nRestart=always\nStartLimitBurst=3\nExecStart=/bin/true\n' });
    expect(c.option('systemd', 'services', 'a')).toMatchObject({ startLimitBurst: 3, serviceConfig: { Restart: 'always' } });
    expect(c.option('systemd', 'services', 'a', 'serviceConfig', 'StartLimitBurst')).toBeUndefined();
    expect(fateOf(c.report, '[Service] StartLimitBurst=')).toMatch(/^carried: systemd\.services\.a\.start/);
  });

  it('merges a unit\'s own RequiresMountsFor= with the mounts it needs, each path once', () => {
    const c = convertFiles({
      'srv-data.mount': '[Mount]\nWhat=/dev/sdb1\nWhere=/srv/data\nType=ext4\n',
      'web.service': '[Unit]\nRequiresMountsFor=/srv/data /var/lib/web\n[Service]\nExecStart=/usr/bin/docker run -v /srv/data/x:/x nginx\n',
    });
    expect(c.option('systemd', 'services', 'web', 'unitConfig', 'RequiresMountsFor')).toEqual(['/srv/data', '/var/lib/web']);
    expect(c.option('fileSystems', '/srv/data')).toEqual({ device: '/dev/sdb1', fsType: 'ext4' });
  });

  it('reports scope and device units as not carried, every part of them accounted for', () => {
    const c = convertFiles({ 'cc.yml': cloudConfig({ 'x.scope': { extra: 'command: start', content: '[Scope]\nSlice=a.slice' } }) });
    expect(fateOf(c.report, /\(x\.scope\)$/)).toMatch(/^unsupported: scope units are created at run time/);
    expect(c.report.coverage.unaccounted).toBe(0);
  });

  it('turns DOCKER_OPTS of a docker.service drop-in into virtualisation.docker.extraOptions', () => {
    const c = convertFiles({
      'docker.service.d/10-opts.conf': '[Service]\nEnvironment="DOCKER_OPTS=--data-root=/data/docker --log-level=warn" HTTP_PROXY=http://proxy:3128\n',
      'docker.service.d/20-bip.conf': '[Service]\nEnvironment=DOCKER_OPT_BIP=--bip=10.1.0.1/24\n',
    });
    expect(c.option('virtualisation', 'docker', 'extraOptions')).toBe('--data-root=/data/docker --log-level=warn --bip=10.1.0.1/24');
    expect(c.option('systemd', 'services', 'docker', 'environment')).toEqual({ HTTP_PROXY: 'http://proxy:3128' });
    expect(fateOf(c.report, '[Service] Environment=')).toMatch(/^carried: virtualisation\.docker\.extraOptions/);
  });

  it('accounts for the activation of a unit that a later input replaces', () => {
    const unit = { 'a.service': { extra: 'command: start\nenable: true', content: '[Service]\nExecStart=/bin/true' } };
    const c = convertFiles({ 'one.yml': cloudConfig(unit), 'two.yml': cloudConfig(unit) });
    expect(c.report.coverage.unaccounted).toBe(0);
    expect(c.report.items.filter((i) => i.fate.kind === 'dropped').map((i) => i.origin.file)).toEqual(['one.yml', 'one.yml', 'one.yml']);
  });
});
