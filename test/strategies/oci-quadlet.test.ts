import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ConvertOptions } from '../../src/options.ts';
import { convertFiles, fateOf, type Converted } from './convert-helpers.ts';

/**
 * Quadlet `.container` files convert like a `podman run` line, at stage 2
 * (no stage 1: podman's generator made the unit) or through the recipes;
 * their [Unit]/[Service]/[Install] sections land on the container's unit,
 * `.network` and `.volume` files become the oneshots that create them.
 */

const DIR = 'test/fixtures/podman/quadlet';
const stack = (options: ConvertOptions = {}) => convertFiles(Object.fromEntries(readdirSync(DIR).map((f) => [`${DIR}/${f}`, readFileSync(`${DIR}/${f}`, 'utf8')])), options);
const containerOf = (c: Converted, name: string, ...path: string[]) => c.option('virtualisation', 'oci-containers', 'containers', name, ...path);
const serviceOf = (c: Converted, name: string, ...path: string[]) => c.option('systemd', 'services', name, ...path);
const codes = (c: Converted) => c.report.diagnostics.map((d) => d.code);

describe('the web and db stack of test/fixtures/podman/quadlet', () => {
  const c = stack();

  it('declares both containers on the podman backend, whatever the stage asked', () => {
    expect(c.option('virtualisation', 'oci-containers', 'backend')).toBe('podman');
    expect(c.report.services.map((s) => [s.name, s.strategy])).toEqual([
      ['systemd-db', 'oci'],
      ['web', 'oci'],
    ]);
    expect(containerOf(c, 'web')).toEqual({
      image: 'docker.io/library/nginx:1.27',
      cmd: ['nginx', '-g', 'daemon off;'],
      ports: ['8080:80', '127.0.0.1:8443:443'],
      volumes: ['/srv/web/html:/usr/share/nginx/html:ro,Z', 'web-cache:/var/cache/nginx'],
      networks: ['systemd-app'],
      environment: { TZ: 'Europe/Berlin', NGINX_ENTRYPOINT_QUIET_LOGS: '1' },
      labels: { 'org.example.team': 'web', 'io.containers.autoupdate': 'registry' },
      capabilities: { NET_BIND_SERVICE: true, CHOWN: true, ALL: false },
      dependsOn: ['systemd-db'],
      extraOptions: ['--network-alias=frontend', '--read-only', '--tmpfs=/run', '--health-cmd=curl -fsS http://localhost/ || exit 1', '--health-interval=30s', '--tz=local', '--memory=512m', '--pids-limit=200'],
    });
    expect(containerOf(c, 'systemd-db')).toMatchObject({
      user: '999:999',
      environmentFiles: ['/etc/web/db.env'],
      volumes: ['systemd-db-data:/var/lib/postgresql/data:Z'],
      podman: { sdnotify: 'healthy' },
    });
  });

  it('carries the files\' [Unit], [Service] and [Install] onto the containers\' units', () => {
    expect(serviceOf(c, 'podman-web')).toEqual({
      description: 'Web front end',
      after: ['podman-systemd-db.service', 'network-online.target'],
      wants: ['network-online.target'],
      serviceConfig: { Restart: 'always', TimeoutStartSec: '900' },
      startLimitIntervalSec: 0,
      aliases: ['web.service'],
    });
    expect(fateOf(c.report, '[Unit] Requires=')).toBe('carried: virtualisation.oci-containers.containers.web.dependsOn');
    // No Restart= in db.container: Quadlet's unit did not restart it, and neither does the new one.
    expect(serviceOf(c, 'podman-systemd-db', 'serviceConfig', 'Restart')).toBe('no');
    expect(serviceOf(c, 'podman-systemd-db', 'aliases')).toEqual(['db.service']);
  });

  it('creates the network and the volumes as the .network and .volume files did, before the containers', () => {
    expect(serviceOf(c, 'podman-network-systemd-app', 'script')).toBe('podman network inspect systemd-app >/dev/null 2>&1 || podman network create --subnet=10.89.1.0/24 --gateway=10.89.1.1 --label=org.example.stack=web systemd-app');
    expect(serviceOf(c, 'podman-network-systemd-app', 'requiredBy')).toEqual(['podman-systemd-db.service', 'podman-web.service']);
    expect(serviceOf(c, 'podman-volume-systemd-db-data', 'script')).toBe('podman volume inspect systemd-db-data >/dev/null 2>&1 || podman volume create --opt=device=/dev/disk/by-label/pgdata --opt=type=ext4 systemd-db-data');
    expect(serviceOf(c, 'podman-volume-web-cache', 'before')).toEqual(['podman-web.service']);
  });

  it('opens the published port that is not bound to loopback', () => {
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toEqual([8080]);
  });

  it('accounts for every line, each flag at its key', () => {
    expect(c.report.items.filter((i) => i.fate.kind === 'unaccounted')).toEqual([]);
    expect(fateOf(c.report, '[Container] PodmanArgs=')).toBe('carried: virtualisation.oci-containers.containers.web.extraOptions');
    const publish = c.report.items.find((i) => i.label === '--publish=8080:80');
    expect(publish?.origin).toEqual({ file: `${DIR}/web.container`, line: 10, column: 13 });
    expect(codes(c)).not.toContain('quadlet/container');
  });
});

describe('stages and backends', () => {
  it('has no stage 1, and says so when asked for one', () => {
    const c = stack({ strategies: { web: 'docker' } });
    expect(c.report.services.find((s) => s.name === 'web')?.strategy).toBe('oci');
    expect(c.report.diagnostics.find((d) => d.code === 'plan/no-stage-1')?.message).toContain('a Quadlet container has no stage 1');
  });

  it('runs with docker when asked, podman-only flags kept out with the reason', () => {
    const c = convertFiles({ 'web.container': '[Container]\nImage=nginx:1\nPublishPort=80:80\nTimezone=local\n\n[Install]\nWantedBy=multi-user.target\n' }, { backend: 'docker' });
    expect(containerOf(c, 'systemd-web')).toBeUndefined();
    expect(c.report.diagnostics.find((d) => d.code === 'plan/container-not-converted')?.message).toContain('--tz=local');
  });

  it('is not started at boot without an [Install] section, as Quadlet did not', () => {
    const c = convertFiles({ 'web.container': '[Container]\nImage=nginx:1\n\n[Quadlet]\nDefaultDependencies=false\n' });
    expect(containerOf(c, 'systemd-web', 'autoStart')).toBe(false);
    expect(serviceOf(c, 'podman-systemd-web', 'after')).toBeUndefined();
  });

  it('goes through the recipes at stage 3 like any container', () => {
    const c = convertFiles(
      { 'jellyfin.container': '[Container]\nImage=docker.io/jellyfin/jellyfin:10.9\nPublishPort=8096:8096\nVolume=/srv/jellyfin/config:/config\nVolume=/srv/jellyfin/cache:/cache\nVolume=/srv/media:/media:ro\n\n[Install]\nWantedBy=multi-user.target\n' },
      { stage: 'native' },
    );
    expect(c.report.services.find((s) => s.name === 'systemd-jellyfin')?.strategy).toBe('native');
    expect(c.option('services', 'jellyfin', 'enable')).toBe(true);
    expect(c.report.items.filter((i) => i.fate.kind === 'unaccounted')).toEqual([]);
  });
});

describe('what a Quadlet file must not lose or leak', () => {
  it('keeps a secret in Environment= out of the Nix store', () => {
    const c = convertFiles({ 'db.container': '[Container]\nImage=postgres:16\nEnvironment=POSTGRES_PASSWORD=hunter2secretvalue TZ=UTC\n\n[Install]\nWantedBy=multi-user.target\n' });
    expect(containerOf(c, 'systemd-db')).toEqual({ image: 'postgres:16', environment: { TZ: 'UTC' }, environmentFiles: ['/var/lib/secrets/systemd-db.env'] });
    expect(c.run.layout.files.filter((f) => f.content.toString().includes('hunter2secretvalue')).map((f) => f.path)).toEqual(['secrets.local/systemd-db.env']);
  });

  it('applies systemd\'s rules to repeated lines, and reports [Service] lines the module owns', () => {
    const c = convertFiles({
      'web.container': '[Unit]\nDescription=first\nDescription=second\nX-Note=a\n\n[Container]\nImage=nginx\n\n[Service]\nEnvironment=A=1\nEnvironment=A=2\nUser=web\nNotifyAccess=all\n\n[Install]\nWantedBy=multi-user.target\n',
    });
    expect(serviceOf(c, 'podman-systemd-web', 'description')).toBe('second');
    expect(serviceOf(c, 'podman-systemd-web', 'environment')).toEqual({ A: '2' });
    expect(serviceOf(c, 'podman-systemd-web', 'serviceConfig', 'User')).toBeUndefined();
    expect(c.report.diagnostics.find((d) => d.code === 'quadlet/service-not-carried')?.message).toContain('User=web');
    expect(fateOf(c.report, '[Service] NotifyAccess=')).toBe('dropped: the podman backend\'s unit sets NotifyAccess= itself');
    expect(c.report.items.filter((i) => i.fate.kind === 'unaccounted')).toEqual([]);
  });
});
