import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PODMAN_OCI_FLAGS } from '../../src/sources/docker/oci-flags.ts';
import { PODMAN_ONLY_FLAGS } from '../../src/sources/docker/podman-flags.ts';
import { takesValue } from '../../src/sources/docker/flag-spec.ts';
import { convertFiles, fateOf, type Converted } from './convert-helpers.ts';

/**
 * Fedora CoreOS runs containers with podman. Its units convert like the
 * docker ones: stage 1 keeps running podman (and enables it, with no daemon
 * to order after), stage 2 defaults to the podman backend, and podman's own
 * flags go to extraOptions there, or keep the unit at stage 1 with docker.
 */

const INSTALL = '[Install]\nWantedBy=multi-user.target\n';
/** The Butane documentation's example unit. */
const FCOS = `[Unit]
Description=MyApp
After=network-online.target
Wants=network-online.target

[Service]
TimeoutStartSec=0
ExecStartPre=-/bin/podman kill busybox1
ExecStartPre=-/bin/podman rm busybox1
ExecStartPre=/bin/podman pull busybox
ExecStart=/bin/podman run --name busybox1 -p 8080:80 -v /var/srv:/srv:z busybox /bin/sh -c "while true; do echo Hello World; sleep 1; done"

${INSTALL}`;
const MOUNT = '[Mount]\nWhat=/dev/sdb1\nWhere=/var/srv\nType=ext4\n\n[Install]\nWantedBy=local-fs.target\n';

const containerOf = (c: Converted, name: string, ...path: string[]) => c.option('virtualisation', 'oci-containers', 'containers', name, ...path);
const serviceOf = (c: Converted, name: string, ...path: string[]) => c.option('systemd', 'services', name, ...path);
const codes = (c: Converted) => c.report.diagnostics.map((d) => d.code);
const podmanUnit = (run: string) => `[Service]\nExecStart=/usr/bin/podman run --name app ${run} alpine:3\n${INSTALL}`;

describe('stage 1: a unit that runs podman', () => {
  const c = convertFiles({ 'hello.service': FCOS, 'var-srv.mount': MOUNT });

  it('keeps running podman from the store, with podman enabled and no Docker daemon', () => {
    expect(serviceOf(c, 'hello', 'serviceConfig', 'ExecStart')).toMatch(/^\/nix\/store\/[^ ]*\/bin\/podman run --name busybox1/);
    expect(c.option('virtualisation', 'podman', 'enable')).toBe(true);
    expect(c.option('virtualisation', 'docker')).toBeUndefined();
    expect(serviceOf(c, 'hello', 'after')).toEqual(['network-online.target']);
    expect(serviceOf(c, 'hello', 'requires')).toBeUndefined();
    expect(codes(c)).not.toContain('docker/ordering-added');
  });

  it('opens its published port and waits for the mount its bind lives on', () => {
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toEqual([8080]);
    expect(serviceOf(c, 'hello', 'unitConfig', 'RequiresMountsFor')).toEqual(['/var/srv']);
    expect(serviceOf(c, 'hello', 'wantedBy')).toContain('var-srv.mount');
    expect(c.report.items.filter((i) => i.fate.kind === 'unaccounted')).toEqual([]);
  });

  it('enables both engines for a host that used both, and says so', () => {
    const both = convertFiles({ 'hello.service': FCOS, 'web.service': `[Service]\nExecStart=/usr/bin/docker run --name web -p 80:80 nginx\n${INSTALL}` });
    expect(both.option('virtualisation', 'podman', 'enable')).toBe(true);
    expect(both.option('virtualisation', 'docker', 'enable')).toBe(true);
    expect(serviceOf(both, 'web', 'requires')).toEqual(['docker.service']);
    expect(serviceOf(both, 'hello', 'requires')).toBeUndefined();
    expect(codes(both)).toContain('host/docker-and-podman');
    expect([...(both.option('networking', 'firewall', 'allowedTCPPorts') as number[])].sort((a, b) => a - b)).toEqual([80, 8080]);
  });
});

describe('stage 2: a unit that runs podman', () => {
  const c = convertFiles({ 'hello.service': FCOS }, { stage: 'oci' });

  it('becomes a container like a docker unit, on the podman backend the host used', () => {
    expect(containerOf(c, 'busybox1')).toEqual({
      image: 'busybox',
      cmd: ['/bin/sh', '-c', 'while true; do echo Hello World; sleep 1; done'],
      ports: ['8080:80'],
      volumes: ['/var/srv:/srv:z'],
      pull: 'always',
    });
    expect(c.option('virtualisation', 'oci-containers', 'backend')).toBe('podman');
    expect(serviceOf(c, 'podman-busybox1', 'aliases')).toEqual(['hello.service']);
    expect(fateOf(c.report, '[Service] ExecStartPre=')).toMatch(/^dropped: the module stops and removes the old container/);
    expect(c.report.diagnostics.find((d) => d.code === 'oci/backend')?.message).toContain('podman: the old host ran its containers with podman');
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toEqual([8080]);
    expect(c.report.items.filter((i) => i.fate.kind === 'unaccounted')).toEqual([]);
  });

  it('takes --backend docker when asked, the container unchanged', () => {
    const d = convertFiles({ 'hello.service': FCOS }, { stage: 'oci', backend: 'docker' });
    expect(d.option('virtualisation', 'oci-containers', 'backend')).toBe('docker');
    expect(containerOf(d, 'busybox1', 'ports')).toEqual(['8080:80']);
    expect(codes(d)).not.toContain('oci/backend');
  });

  it('keeps docker for a host that used both, and says so', () => {
    const both = convertFiles({ 'hello.service': FCOS, 'web.service': `[Service]\nExecStart=/usr/bin/docker run --name web nginx\n${INSTALL}` }, { stage: 'oci' });
    expect(both.option('virtualisation', 'oci-containers', 'backend')).toBe('docker');
    expect(Object.keys(both.option('virtualisation', 'oci-containers', 'containers') as object).sort()).toEqual(['busybox1', 'web']);
    expect(codes(both)).toContain('plan/backend-mixed');
  });

  it('passes podman-only flags verbatim with the podman backend', () => {
    const p = convertFiles({ 'app.service': podmanUnit('--userns=keep-id --tz=local --secret tok,type=env --pod web') }, { stage: 'oci' });
    expect(containerOf(p, 'app', 'extraOptions')).toEqual(['--userns=keep-id', '--tz=local', '--secret=tok,type=env', '--pod=web']);
    expect(fateOf(p.report, '--tz=local')).toBe('carried: virtualisation.oci-containers.containers.app.extraOptions');
  });

  it('keeps a unit with podman-only flags or values at stage 1 with the docker backend, with the reason', () => {
    for (const [run, reason] of [
      ['--tz=local', 'podman only'],
      ['--userns=keep-id', 'user namespace mode `keep-id` is podman\'s'],
      ['-v /srv/a:/a:U', 'volume option `U` is podman\'s'],
      ['--network=pasta', 'network mode `pasta` is podman\'s'],
    ] as const) {
      const d = convertFiles({ 'app.service': podmanUnit(run) }, { stage: 'oci', backend: 'docker' });
      expect(d.report.services.find((s) => s.name === 'app')?.strategy, run).toBe('docker');
      expect(d.report.diagnostics.find((x) => x.code === 'plan/stays-stage-1')?.message, run).toContain(reason);
      expect(d.option('virtualisation', 'podman', 'enable')).toBe(true);
    }
  });

  it('maps --sdnotify onto podman.sdnotify, and keeps `ignore` at stage 1', () => {
    const healthy = convertFiles({ 'app.service': podmanUnit('--sdnotify=healthy --health-cmd=true') }, { stage: 'oci' });
    expect(containerOf(healthy, 'app', 'podman')).toEqual({ sdnotify: 'healthy' });
    const conmon = convertFiles({ 'app.service': podmanUnit('--sdnotify=conmon') }, { stage: 'oci' });
    expect(containerOf(conmon, 'app', 'podman')).toBeUndefined();
    expect(fateOf(conmon.report, '--sdnotify=conmon')).toMatch(/^carried: .*podman\.sdnotify/);
    const ignore = convertFiles({ 'app.service': podmanUnit('--sdnotify=ignore') }, { stage: 'oci' });
    expect(ignore.report.services.find((s) => s.name === 'app')?.strategy).toBe('docker');
  });

  it('does not mix engines: `docker pull` before `podman run` keeps the unit at stage 1', () => {
    const m = convertFiles({ 'app.service': `[Service]\nExecStartPre=/usr/bin/docker pull alpine:3\n${podmanUnit('').replace('[Service]\n', '')}` }, { stage: 'oci' });
    expect(m.report.diagnostics.find((x) => x.code === 'plan/stays-stage-1')?.message).toContain('runs docker, but the container runs with podman');
  });
});

describe('the podman flag table', () => {
  it('maps every podman-only flag, and nothing else', () => {
    const names = PODMAN_ONLY_FLAGS.map((f) => f.name);
    expect(names.filter((n) => PODMAN_OCI_FLAGS[n] === undefined)).toEqual([]);
    expect(Object.keys(PODMAN_OCI_FLAGS).filter((n) => !names.includes(n))).toEqual([]);
  });

  it('does with each flag what the table says, through the pipeline', () => {
    const problems: string[] = [];
    for (const spec of PODMAN_ONLY_FLAGS) {
      const written = takesValue(spec) ? `${spec.name}=${spec.name === '--sdnotify' ? 'healthy' : 'x'}` : spec.name;
      const c = convertFiles({ 'app.service': podmanUnit(written) }, { stage: 'oci' });
      const mapping = PODMAN_OCI_FLAGS[spec.name]!.podman ?? PODMAN_OCI_FLAGS[spec.name]!.mapping;
      const fate = fateOf(c.report, written);
      const strategy = c.report.services.find((s) => s.name === 'app')?.strategy;
      const ok =
        mapping.kind === 'extra'
          ? fate === 'carried: virtualisation.oci-containers.containers.app.extraOptions' && (containerOf(c, 'app', 'extraOptions') as string[]).includes(written)
          : mapping.kind === 'stage1'
            ? strategy === 'docker'
            : mapping.kind === 'dropped'
              ? fate.startsWith('dropped: ')
              : fate.startsWith('carried: ');
      if (!ok) problems.push(`${written}: ${mapping.kind}, got ${fate} (${strategy ?? '?'})`);
    }
    expect(problems).toEqual([]);
  });
});

describe('Quadlet files', () => {
  const butane = `variant: fcos
version: 1.5.0
storage:
  files:
    - path: /etc/containers/systemd/web.container
      contents:
        inline: |
          [Container]
          Image=docker.io/library/nginx:latest
          PublishPort=8081:80
          Volume=/var/www:/usr/share/nginx/html:ro
          [Install]
          WantedBy=multi-user.target
`;

  it('convert to containers, and are no longer reported or written as files', () => {
    const c = convertFiles({ 'config.bu': butane });
    expect(c.report.diagnostics.map((d) => d.code)).not.toContain('quadlet/container');
    expect(containerOf(c, 'systemd-web')).toEqual({ image: 'docker.io/library/nginx:latest', ports: ['8081:80'], volumes: ['/var/www:/usr/share/nginx/html:ro'] });
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toEqual([8081]);
    expect(c.option('environment', 'etc')).toBeUndefined();
  });

  it('are still reported with their ports and volumes where they stay files (a rootless user\'s)', () => {
    const c = convertFiles({ 'config.bu': butane.replace('/etc/containers/systemd/web.container', '/var/home/core/.config/containers/systemd/web.container') });
    const warning = c.report.diagnostics.find((d) => d.code === 'quadlet/container');
    expect(warning?.severity).toBe('warning');
    expect(warning?.message).toContain('`PublishPort=8081:80`, which the NixOS firewall blocks');
    expect(warning?.message).toContain('`Volume=/var/www:/usr/share/nginx/html:ro`');
    expect(warning?.hint).toContain('podman.user');
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toBeUndefined();
  });

  it('are recognised by where podman looks for them', async () => {
    const { isQuadletContainer } = await import('../../src/passes/quadlet.ts');
    expect(['/etc/containers/systemd/a.container', '/etc/containers/systemd/sub/a.container', '/home/core/.config/containers/systemd/a.container'].every(isQuadletContainer)).toBe(true);
    expect(['/etc/containers/systemd/a.volume', '/etc/systemd/system/a.container'].some(isQuadletContainer)).toBe(false);
  });
});

describe('a unit `podman generate systemd --new` wrote', () => {
  const generated = readFileSync('test/fixtures/podman/container-web.service', 'utf8');
  const c = convertFiles({ 'container-web.service': generated }, { stage: 'oci' });

  it('becomes a container on the podman backend, its housekeeping dropped with reasons', () => {
    expect(c.report.services.find((s) => s.name === 'container-web')?.strategy).toBe('oci');
    expect(containerOf(c, 'web')).toEqual({
      image: 'docker.io/library/nginx:1.25',
      environment: { TZ: 'Europe/Berlin' },
      ports: ['8080:80'],
      volumes: ['/srv/web:/usr/share/nginx/html:ro,Z'],
    });
    expect(c.option('virtualisation', 'oci-containers', 'backend')).toBe('podman');
    expect(fateOf(c.report, '--cidfile=%t/%n.ctr-id')).toMatch(/^dropped: the ID file of the generated unit; the podman backend writes its own/);
    expect(fateOf(c.report, '--cgroups=no-conmon')).toMatch(/^dropped: the generated unit kept conmon/);
    expect(fateOf(c.report, '[Service] Type=')).toMatch(/^dropped: the generated unit waited for podman's notification/);
    expect(fateOf(c.report, '[Service] NotifyAccess=')).toBe('dropped: the podman backend\'s unit sets NotifyAccess=all itself');
    expect(fateOf(c.report, '[Service] Environment=')).toMatch(/PODMAN_SYSTEMD_UNIT=%n itself$/);
    expect(fateOf(c.report, '[Service] ExecStartPre=')).toMatch(/^dropped: removed the ID file of the generated unit/);
    expect(fateOf(c.report, '[Service] ExecStop=')).toMatch(/^dropped: the module stops the container when its unit stops \(podman: `podman stop --ignore --cidfile=…`/);
    expect(fateOf(c.report, '[Service] ExecStopPost=')).toMatch(/^dropped: the module removes the container after it stops/);
    expect(fateOf(c.report, '[Unit] RequiresMountsFor=')).toMatch(/^dropped: podman's runtime directory/);
    expect(c.report.items.filter((i) => i.fate.kind === 'unaccounted')).toEqual([]);
  });

  it('keeps the rest of the unit on the module\'s unit, under its old name', () => {
    expect(serviceOf(c, 'podman-web')).toEqual({
      description: 'Podman container-web.service',
      documentation: ['man:podman-generate-systemd(1)'],
      after: ['network-online.target'],
      wants: ['network-online.target'],
      serviceConfig: { TimeoutStopSec: '70' },
      aliases: ['container-web.service'],
    });
    expect(fateOf(c.report, '[Service] Restart=')).toMatch(/^carried: systemd\.services\.podman-web\.serviceConfig\.Restart/);
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toEqual([8080]);
  });

  it('moves to the docker backend too, where the podman-only flags are the generator\'s', () => {
    const d = convertFiles({ 'container-web.service': generated }, { stage: 'oci', backend: 'docker' });
    expect(d.report.services.find((s) => s.name === 'container-web')?.strategy).toBe('oci');
    expect(containerOf(d, 'web', 'ports')).toEqual(['8080:80']);
    expect(fateOf(d.report, '--sdnotify=conmon')).toMatch(/^dropped: /);
  });

  it('stays at stage 1 by default, running podman as generated', () => {
    const s = convertFiles({ 'container-web.service': generated });
    expect(serviceOf(s, 'container-web', 'serviceConfig', 'Type')).toBe('notify');
    expect(serviceOf(s, 'container-web', 'serviceConfig', 'ExecStart')).toMatch(/\/bin\/podman run \\\n\t--cidfile=%t\/%n\.ctr-id/);
  });

  it('stays at stage 1 when a line does more than the generator\'s housekeeping, or Type=notify has no --cidfile', () => {
    const more = convertFiles({ 'container-web.service': generated.replace('ExecStartPre=/bin/rm', 'ExecStartPre=/usr/bin/mkdir -p /srv/web\nExecStartPre=/bin/rm') }, { stage: 'oci' });
    expect(more.report.services.find((s) => s.name === 'container-web')?.strategy).toBe('docker');
    expect(more.report.diagnostics.find((d) => d.code === 'plan/stays-stage-1')?.message).toContain('mkdir -p /srv/web');
    const notify = convertFiles({ 'app.service': `[Service]\nType=notify\nExecStart=/usr/bin/podman run --name app --sdnotify=conmon alpine:3\n${INSTALL}` }, { stage: 'oci' });
    expect(notify.report.diagnostics.find((d) => d.code === 'plan/stays-stage-1')?.message).toContain('Type=notify has no meaning');
  });
});
