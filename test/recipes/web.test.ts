import { describe, expect, it } from 'vitest';
import { convertFiles, fateOf } from '../strategies/convert-helpers.ts';
import { containerUnit, migrationOf, nativeDockerRun, nativeUnits, unaccounted } from './helpers.ts';

/** The post's N3 unit: nginx answering once /srv is mounted. */
const HEALTHZ = [
  '[Unit]',
  'Description=nginx for /srv health check',
  'Wants=network.target',
  'After=srv.mount',
  'Requires=srv.mount',
  'StartLimitInterval=0',
  '',
  '[Service]',
  'Restart=always',
  "ExecStartPre=/bin/sh -c 'systemctl is-active docker.service'",
  'ExecStartPre=/usr/bin/docker pull nginx:1',
  'ExecStartPre=-/usr/bin/docker kill nginx-healthz',
  'ExecStartPre=-/usr/bin/docker rm -f nginx-healthz',
  'ExecStart=/usr/bin/docker run --name nginx-healthz --publish 10.0.0.252:8200:80 --log-driver=journald nginx:1',
].join('\n');
const MOUNT = '[Unit]\n[Mount]\nWhat=/dev/mapper/data-data\nWhere=/srv\nType=ext4';

describe('caddy-health recipe (an nginx that only answers)', () => {
  it('becomes a Caddy virtual host that responds "ok" on the old address and port, bound there, after the mount', () => {
    const c = nativeUnits({ 'healthz.service': HEALTHZ, 'srv.mount': MOUNT });
    expect(c.option('services', 'caddy')).toEqual({
      enable: true,
      virtualHosts: { 'http://10.0.0.252:8200': { extraConfig: 'respond "ok"\n', listenAddresses: ['10.0.0.252'] } },
    });
    expect(c.option('systemd', 'services', 'caddy')).toMatchObject({
      unitConfig: { RequiresMountsFor: ['/srv'] },
      wantedBy: ['srv.mount'],
      startLimitIntervalSec: 0,
      serviceConfig: { Restart: 'always' },
    });
    // srv.mount is covered by RequiresMountsFor; the readiness check of Docker goes with Docker.
    expect(c.option('systemd', 'services', 'caddy', 'after')).toBeUndefined();
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toEqual([8200]);
    expect(migrationOf(c, 'healthz').health).toBe('curl -fsS http://10.0.0.252:8200/');
    expect(unaccounted(c)).toEqual([]);
  });

  it('overrides caddy.service\'s own start limit and restart policy with lib.mkForce', () => {
    const c = nativeUnits({ 'healthz.service': HEALTHZ, 'srv.mount': MOUNT });
    const text = String(c.run.layout.files.find((f) => f.path === 'services/healthz.nix')!.content);
    expect(text).toContain('startLimitIntervalSec = lib.mkForce 0;');
    expect(text).toContain('serviceConfig.Restart = lib.mkForce "always";');
  });

  it('two health checks share services.caddy, one virtual host each', () => {
    const c = nativeDockerRun(['docker run -d --name health-a -p 8200:80 nginx:1', 'docker run -d --name health-b -p 8201:80 nginx:alpine']);
    expect(Object.keys(c.option('services', 'caddy', 'virtualHosts') as object)).toEqual(['http://:8200', 'http://:8201']);
    expect(c.run.plan.services.map((s) => s.strategy)).toEqual(['native', 'native']);
  });
});

describe('nginx recipe (its own configuration)', () => {
  it('carries a conf.d file from write_files into appendHttpConfig, with container paths made host paths', () => {
    const top = [
      'write_files:',
      '  - path: /srv/web/conf.d/site.conf',
      '    content: |',
      '      server {',
      '        listen 80;',
      '        root /usr/share/nginx/html;',
      '      }',
    ].join('\n');
    const unit = containerUnit('--name web -p 8080:80 -v /srv/web/conf.d:/etc/nginx/conf.d:ro -v /srv/web/html:/usr/share/nginx/html:ro nginx:1.27');
    const c = convertFiles({ 'cloud-config.yml': `#cloud-config\n${top}\ncoreos:\n  units:\n    - name: web.service\n      command: start\n      content: |\n${unit.split('\n').map((l) => `        ${l}`).join('\n')}\n` }, { stage: 'native' });
    expect(c.option('services', 'nginx')).toEqual({ enable: true, appendHttpConfig: 'server {\n  listen 80;\n  root /srv/web/html;\n}\n' });
    const m = migrationOf(c, 'web');
    expect(m.differences.join('\n')).toContain('listens on 80, which was published as 8080');
    expect(m.differences.join('\n')).toContain('/usr/share/nginx/html is /srv/web/html on the host now');
    expect(fateOf(c.report, '-v /srv/web/conf.d:/etc/nginx/conf.d:ro')).toMatch(/^carried: services\.nginx\.appendHttpConfig/);
    expect(unaccounted(c)).toEqual([]);
  });

  it('content only: a default virtual host on the published port', () => {
    const c = nativeDockerRun(['docker run -d --name site -p 8080:80 -v /srv/site:/usr/share/nginx/html:ro nginx']);
    expect(c.option('services', 'nginx', 'virtualHosts', 'default')).toEqual({ root: '/srv/site', default: true, listen: [{ addr: '0.0.0.0', port: 8080 }] });
  });

  it('a whole nginx.conf is reported, not guessed', () => {
    const c = nativeDockerRun(['docker run -d --name site -p 80:80 -v /srv/nginx.conf:/etc/nginx/nginx.conf:ro nginx']);
    expect(fateOf(c.report, '-v /srv/nginx.conf:/etc/nginx/nginx.conf:ro')).toMatch(/^unsupported: a whole nginx\.conf/);
  });
});
