/**
 * health.nix: the evaluated configuration of the health check around
 * system.autoUpgrade (the script's decisions are in health-script.test.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convert } from '../../src/index.ts';
import { HEALTH_SCRIPT } from '../../src/strategies/host/health-script.ts';
import { evalModules, skipWithoutNix } from '../helpers/nix.ts';
import { builderStorePath, mergeModulesJson, moduleToJson, packageStorePath } from '../helpers/nix-json.ts';
import { pipelineFor } from '../e2e/fixtures.ts';
import { cloudConfig, convertFiles } from './convert-helpers.ts';

const SCRIPT = '/etc/nixport/health-check.sh';

describe('the health check of the example NAS', async () => {
  const run = await pipelineFor(['examples/storage2']);
  const config = mergeModulesJson(run.layout.modules.map((m) => moduleToJson(m.expr))) as Record<string, any>;
  const services = config['systemd']['services'];

  it('keeps system.autoUpgrade from the locksmith policy, rebuilding from the flake the host carries', () => {
    expect(config['system']['autoUpgrade']).toEqual({
      enable: true,
      flake: '/etc/nixport/flake#storage2',
      flags: ['--update-input', 'nixpkgs', '--no-write-lock-file', '-L'],
      upgrade: false,
      allowReboot: true,
      dates: 'Sun 04:00',
      rebootWindow: { lower: '04:00', upper: '05:00' },
    });
  });

  it('probes what nixport knows for sure: SSH, each long-running unit, each published TCP port at its address', () => {
    expect(config['environment']['etc']['nixport/health-probes']['text']).toBe(
      [
        'sshd unit sshd.service',
        'sshd tcp 127.0.0.1 22',
        'healthz unit healthz.service',
        'jellyfin unit jellyfin.service',
        'node-exporter unit node-exporter.service',
        'samba unit samba.service',
        'unlock unit unlock.service',
        'samba tcp 127.0.0.1 139',
        'samba tcp 127.0.0.1 445',
        'healthz tcp 10.0.0.252 8200',
        '',
      ].join('\n'),
    );
    // sync.service runs from its timer: not expected to be active. UDP ports cannot be probed.
    expect(config['environment']['etc']['nixport/health-probes']['text']).not.toMatch(/sync|137|138/);
  });

  it('installs the script as written, through writeShellScript', () => {
    expect(config['environment']['etc']['nixport/health-check.sh']).toEqual({
      source: builderStorePath('writeShellScript', 'nixport-health-check', HEALTH_SCRIPT),
    });
  });

  it('runs the check after each successful upgrade and at boot, without being restarted by a switch', () => {
    expect(services['nixport-health-check']).toEqual({
      description: 'Roll back an automatic upgrade that broke a service',
      after: ['multi-user.target'],
      wantedBy: ['multi-user.target'],
      path: [packageStorePath(['bash']), packageStorePath(['curl']), packageStorePath(['nix'])],
      environment: { NIXPORT_HEALTH_TRIES: '10', NIXPORT_HEALTH_INTERVAL: '30' },
      serviceConfig: { Type: 'oneshot', ExecStart: `${SCRIPT} check` },
      restartIfChanged: false,
      unitConfig: { 'X-StopOnRemoval': false },
    });
  });

  it('wraps nixos-upgrade.service: skip while held, record before, forget a failed upgrade, check after success', () => {
    expect(services['nixos-upgrade']).toEqual({
      path: [packageStorePath(['bash']), packageStorePath(['curl']), packageStorePath(['nix'])],
      serviceConfig: {
        ExecCondition: `${SCRIPT} may-upgrade`,
        ExecStartPre: [`${SCRIPT} record`],
        ExecStopPost: [`${SCRIPT} settle`],
      },
      // A list, so it merges with the auto-upgrade module's own unitConfig.OnSuccess.
      unitConfig: { OnSuccess: ['nixport-health-check.service'] },
    });
    expect(run.build.health).toMatchObject({ tries: 10, intervalSec: 30, holdFile: '/var/lib/nixport-health/hold' });
  });

  it('explains the rollback in MIGRATION.md and README.md', () => {
    const migration = String(convert([{ path: 'cloud-config.yml', content: readFileSync('examples/storage2/cloud-config.yml', 'utf8') }]).files.find((f) => f.path === 'MIGRATION.md')!.content);
    expect(migration).toContain('## Updates and rollback');
    expect(migration).toContain('| samba | tcp 127.0.0.1 445 |');
    expect(migration).toContain('/var/lib/nixport-health/hold');
    const readme = String(run.layout.files.find((f) => f.path === 'README.md')!.content);
    expect(readme).toContain('## Updates and rollback');
    expect(readme).toContain('/var/lib/nixport-health/hold');
    expect(readme).toContain('samba tcp 127.0.0.1 445');
  });

  it.skipIf(skipWithoutNix())('the real Nix agrees, including the store path of the script text', async () => {
    const files = Object.fromEntries(run.layout.files.filter((f) => f.path.endsWith('.nix')).map((f) => [f.path, String(f.content)]));
    const evaluated = (await evalModules(files, run.layout.modules.map((m) => m.path))) as Record<string, any>;
    expect(evaluated['environment']['etc']['nixport/health-check.sh']).toEqual({
      source: builderStorePath('writeShellScript', 'nixport-health-check', HEALTH_SCRIPT),
    });
    expect(evaluated['systemd']['services']['nixos-upgrade']).toEqual(services['nixos-upgrade']);
  });
});

describe('stage 2 services', () => {
  it('are probed by the unit virtualisation.oci-containers runs them in, unless a timer starts them', async () => {
    const run = await pipelineFor(['examples/storage2'], { stage: 'oci' });
    const units = run.build.health!.probes.filter((p) => p.kind === 'unit').map((p) => `${p.service}: ${p.args[0]}`);
    expect(units).toContain('jellyfin: docker-jellyfin.service');
    expect(units).toContain('healthz: docker-nginx-healthz.service');
    expect(units.filter((u) => u.startsWith('sync'))).toEqual([]);
  });
});

describe('hosts that did not update themselves', () => {
  it('get no health check, since nothing upgrades them', () => {
    const c = convertFiles({ 'a.yml': cloudConfig({ 'web.service': { extra: 'command: start', content: '[Service]\nExecStart=/usr/bin/docker run -p 80:80 nginx' } }) });
    expect(c.run.build.health).toBeUndefined();
    expect(c.run.layout.files.map((f) => f.path)).not.toContain('health.nix');
    expect(c.option('systemd', 'services', 'nixos-upgrade')).toBeUndefined();
  });
});

describe('what counts as long-running', () => {
  it('skips oneshots that exit, units started by timers and units not started at boot', () => {
    const unit = (name: string, body: string, extra = '') =>
      `    - name: ${name}\n${extra ? `      ${extra}\n` : ''}      content: |\n${body.split('\n').map((l) => `        ${l}`).join('\n')}\n`;
    const c = convertFiles({
      'a.yml': [
        '#cloud-config',
        'coreos:',
        '  update:',
        '    reboot-strategy: off',
        '  units:',
        unit('job.service', '[Service]\nType=oneshot\nExecStart=/bin/true'),
        unit('job.timer', '[Timer]\nOnCalendar=daily\n[Install]\nWantedBy=timers.target', 'command: start'),
        unit('prep.service', '[Service]\nType=oneshot\nExecStart=/bin/true', 'command: start'),
        unit('keep.service', '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true', 'command: start'),
        unit('idle.service', '[Service]\nExecStart=/bin/sleep infinity'),
        unit('web.service', '[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target', 'enable: true'),
      ].join('\n'),
    });
    expect(c.run.build.health?.probes.filter((p) => p.kind === 'unit').map((p) => p.args[0])).toEqual(['sshd.service', 'keep.service', 'web.service']);
  });
});
