import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/model/ledger.ts';
import { fileMapper, formatOrigin } from '../../src/model/origin.ts';
import { detect } from '../../src/sources/detect.ts';
import { PODMAN_RUN_FLAGS } from '../../src/sources/docker/podman-flags.ts';
import { CONTAINER_KEYS, NETWORK_KEYS, readQuadlets, VOLUME_KEYS, type QuadletText } from '../../src/sources/quadlet/index.ts';
import { convertFiles, fateOf } from '../strategies/convert-helpers.ts';

/** Reads in-memory Quadlet files together, as readInputs does. */
function read(files: Readonly<Record<string, string>>) {
  const ledger = new Ledger();
  const texts: QuadletText[] = Object.entries(files).map(([path, text]) => ({ path, text, position: fileMapper(path), item: ledger.item('file', path, { file: path, line: 1, column: 1 }) }));
  return { ledger, ...readQuadlets(texts, ledger) };
}

const flagsOf = (r: ReturnType<typeof read>, i = 0) => r.containers[i]!.invocation.flags.map((f) => `${f.item.label} @${formatOrigin(f.item.origin)}`);
const codes = (ledger: Ledger) => ledger.diagnostics.map((d) => d.code);

describe('detecting Quadlet files', () => {
  it.each([
    ['web.container', '[Container]\nImage=nginx\n', 'quadlet'],
    ['etc/containers/systemd/app.network', '[Network]\nSubnet=10.0.0.0/24\n', 'quadlet'],
    ['data.volume', '[Volume]\n', 'quadlet'],
    ['web.pod', '[Pod]\n', 'quadlet'],
    ['notes.container', 'remember the container\n', 'unknown'],
    // systemd-networkd's .network files have [Match]: not Quadlet's.
    ['10-lan.network', '[Match]\nName=eth0\n\n[Network]\nDHCP=yes\n', 'unknown'],
    ['web.service', '[Container]\nImage=nginx\n', 'unit'],
  ])('%s is %s', (path, text, kind) => {
    expect(detect(path, text).kind).toBe(kind);
  });
});

describe('the [Container] table', () => {
  it('names only flags podman run has', () => {
    const known = new Set(PODMAN_RUN_FLAGS.flatMap((f) => [f.name, ...(f.aliases ?? [])]));
    const missing = Object.entries(CONTAINER_KEYS).flatMap(([key, rule]) => ('flag' in rule && !known.has(rule.flag) ? [`${key}: ${rule.flag}`] : []));
    expect(missing).toEqual([]);
  });

  it('has every key of podman-systemd.unit(5) for the three kinds it reads', () => {
    expect(Object.keys(CONTAINER_KEYS)).toEqual(expect.arrayContaining(['Image', 'ContainerName', 'PublishPort', 'Volume', 'Mount', 'Environment', 'EnvironmentFile', 'Exec', 'Entrypoint', 'User', 'Group', 'UserNS', 'Network', 'NetworkAlias', 'HostName', 'Label', 'Annotation', 'AddCapability', 'DropCapability', 'AddDevice', 'ReadOnly', 'ReadOnlyTmpfs', 'Tmpfs', 'Secret', 'PodmanArgs', 'Timezone', 'HealthCmd', 'HealthInterval', 'Pull', 'Notify', 'WorkingDir', 'ShmSize', 'Sysctl', 'Ulimit', 'LogDriver', 'AutoUpdate', 'StopTimeout']));
    expect(Object.keys(NETWORK_KEYS)).toEqual(expect.arrayContaining(['NetworkName', 'Subnet', 'Gateway', 'Driver', 'Internal', 'IPv6']));
    expect(Object.keys(VOLUME_KEYS)).toEqual(expect.arrayContaining(['VolumeName', 'Device', 'Type', 'Options', 'Driver']));
  });
});

describe('reading a .container file', () => {
  it('becomes the podman run the generator writes, each flag at its key', () => {
    const r = read({
      'web.container': '[Container]\nImage=nginx:1\nPublishPort=8080:80\nVolume=/srv:/srv:ro\nEnvironment=A=1 "B=two words"\nAddCapability=NET_ADMIN SYS_TIME\nReadOnly=yes\nUser=1000\nGroup=100\nExec=nginx -g "daemon off;"\n',
    });
    expect(r.containers[0]).toMatchObject({ name: 'systemd-web', source: 'quadlet', nameGuessed: false });
    expect(r.containers[0]!.invocation).toMatchObject({ engine: 'podman', verb: 'run', image: 'nginx:1', args: ['nginx', '-g', 'daemon off;'] });
    expect(flagsOf(r)).toEqual([
      '--publish=8080:80 @web.container:3:13',
      '--volume=/srv:/srv:ro @web.container:4:8',
      '--env=A=1 @web.container:5:13',
      '--env=B=two words @web.container:5:17',
      '--cap-add=NET_ADMIN @web.container:6:15',
      '--cap-add=SYS_TIME @web.container:6:25',
      '--read-only @web.container:7:10',
      '--user=1000:100 @web.container:8:6',
    ]);
    expect(r.containers[0]!.quadlet?.service).toBe('web.service');
  });

  it('resolves the .network, .volume and .container files it names', () => {
    const r = read({
      'app.container': '[Container]\nImage=app\nNetwork=back.network\nVolume=data.volume:/data:Z\nMount=type=volume,source=data.volume,target=/more\n',
      'side.container': '[Container]\nImage=side\nNetwork=app.container\nContainerName=helper\n',
      'back.network': '[Network]\nNetworkName=backend\nSubnet=10.5.0.0/16\nInternal=true\n',
      'data.volume': '[Volume]\nDevice=/dev/sdb1\nType=ext4\n',
    });
    const byName = new Map(r.containers.map((c) => [c.name, c.invocation.flags.map((f) => f.item.label)]));
    expect(byName.get('systemd-app')).toEqual(['--network=backend', '--volume=systemd-data:/data:Z', '--mount=type=volume,source=systemd-data,target=/more']);
    expect(byName.get('helper')).toEqual(['--network=container:systemd-app', '--name=helper']);
    expect(r.networks).toMatchObject([{ name: 'backend', options: ['--subnet=10.5.0.0/16', '--internal'] }]);
    expect(r.volumes).toMatchObject([{ name: 'systemd-data', options: ['--opt=device=/dev/sdb1', '--opt=type=ext4'] }]);
  });

  it('reports unknown keys and sections, with their origin, instead of dropping them', () => {
    const r = read({ 'web.container': '[Container]\nImage=nginx\nFrobnicate=yes\n\n[X-Extra]\nA=b\n' });
    const unknown = r.ledger.diagnostics.find((d) => d.code === 'quadlet/unknown-key');
    expect(unknown?.severity).toBe('warning');
    expect(formatOrigin(unknown!.origin!)).toBe('web.container:3:1');
    expect(codes(r.ledger)).toContain('quadlet/unknown-section');
    const frob = r.ledger.items.find((i) => i.label === '[Container] Frobnicate=')!;
    expect(r.ledger.fate(frob)).toEqual({ kind: 'unsupported', reason: 'a [Container] key nixport does not know' });
  });

  it('refuses what the generator refuses, with the line at fault', () => {
    const noImage = read({ 'web.container': '[Container]\nPublishPort=80\n' });
    expect(noImage.containers).toEqual([]);
    expect(noImage.ledger.diagnostics.find((d) => d.code === 'quadlet/not-converted')?.message).toContain('it names no image');
    const built = read({ 'web.container': '[Container]\nImage=web.build\n' });
    expect(built.ledger.diagnostics.find((d) => d.code === 'quadlet/not-converted')?.message).toContain('`web.build`');
    const group = read({ 'web.container': '[Container]\nImage=nginx\nGroup=100\n' });
    expect(group.ledger.diagnostics.find((d) => d.code === 'quadlet/bad-value')?.message).toContain('Group= without User=');
    const bool = read({ 'web.container': '[Container]\nImage=nginx\nReadOnly=maybe\n' });
    expect(formatOrigin(bool.ledger.diagnostics.find((d) => d.code === 'quadlet/bad-value')!.origin!)).toBe('web.container:3:10');
    const missing = read({ 'web.container': '[Container]\nImage=nginx\nNetwork=gone.network\n' });
    expect(missing.ledger.diagnostics.find((d) => d.code === 'quadlet/missing-file')?.message).toContain('`gone.network`');
    const template = read({ 'web@.container': '[Container]\nImage=nginx\n' });
    expect(template.containers).toEqual([]);
  });

  it('maps Notify=, AutoUpdate=, Timezone= and PodmanArgs= onto podman\'s flags', () => {
    const r = read({ 'web.container': '[Container]\nImage=nginx\nNotify=healthy\nAutoUpdate=registry\nTimezone=local\nPodmanArgs=--memory 1g --pids-limit=5\nAddDevice=-/dev/dri\n' });
    expect(r.containers[0]!.invocation.flags.map((f) => `${f.name}=${f.value ?? ''}`)).toEqual([
      '--sdnotify=healthy',
      '--label=io.containers.autoupdate=registry',
      '--tz=local',
      '--device=/dev/dri',
      '--memory=1g',
      '--pids-limit=5',
    ]);
    expect(codes(r.ledger)).toEqual(expect.arrayContaining(['quadlet/auto-update', 'quadlet/optional-device']));
  });
});

describe('Quadlet files a Butane config writes', () => {
  const butane = readFileSync('test/fixtures/podman/quadlet-butane/config.bu', 'utf8');
  const c = convertFiles({ 'config.bu': butane });

  it('point each flag at its line of the Butane file', () => {
    expect(c.report.items.find((i) => i.label === '--publish=8081:80')?.origin).toEqual({ file: 'config.bu', line: 23, column: 23 });
  });

  it('are no longer written to environment.etc once converted; the others still are, reported', () => {
    expect(Object.keys(c.option('environment', 'etc') as object)).toEqual(['containers/systemd/monitoring.kube']);
    expect(c.report.diagnostics.find((d) => d.code === 'quadlet/not-converted')?.message).toContain('monitoring.kube is a Quadlet .kube file');
    const rootless = c.report.diagnostics.find((d) => d.code === 'quadlet/container');
    expect(rootless?.message).toContain('/home/core/.config/containers/systemd/notes.container');
    expect(rootless?.message).toContain('a rootless Quadlet of a user');
    expect(fateOf(c.report, /storage\.files\[0\]/)).toBe('carried: virtualisation.oci-containers.containers.systemd-photos');
  });
});

describe('a Quadlet file named as an input, of a kind nixport does not convert', () => {
  it('is reported with a hint', () => {
    const c = convertFiles({ 'web.pod': '[Pod]\nPublishPort=8080:80\n', 'web.container': '[Container]\nImage=nginx\n' });
    const d = c.report.diagnostics.find((x) => x.code === 'quadlet/not-read');
    expect(d?.hint).toContain('oci-containers has no pods');
    expect(fateOf(c.report, 'web.pod')).toMatch(/^unsupported: a Quadlet \.pod file/);
  });
});

describe('Quadlet files a cloud-config writes', () => {
  it('convert too, each flag at its line of the cloud-config', () => {
    const cc = '#cloud-config\nwrite_files:\n  - path: /etc/containers/systemd/web.container\n    content: |\n      [Container]\n      Image=nginx:1\n      PublishPort=8080:80\n';
    const c = convertFiles({ 'cloud-config.yml': cc });
    expect(c.option('virtualisation', 'oci-containers', 'containers', 'systemd-web', 'ports')).toEqual(['8080:80']);
    expect(c.report.items.find((i) => i.label === '--publish=8080:80')?.origin).toEqual({ file: 'cloud-config.yml', line: 7, column: 19 });
    expect(c.option('environment', 'etc')).toBeUndefined();
  });
});

describe('systemd specifiers in a .container file', () => {
  it('fills in the unit\'s own names and leaves out a flag with any other, with an error', () => {
    const r = read({ 'web.container': '[Container]\nImage=nginx\nHostName=%N\nLabel=unit=%n\nVolume=%h/data:/data\nPodmanArgs=--env-file %t/web.env\n' });
    const c = r.containers[0]!;
    expect(c.invocation.flags.map((f) => f.item.label)).toEqual(['--hostname=web', '--label=unit=web.service', '--volume=%h/data:/data', '--env-file %t/web.env']);
    expect([...(c.leftOut ?? [])].map((f) => f.item.label)).toEqual(['--volume=%h/data:/data', '--env-file %t/web.env']);
    expect(r.ledger.diagnostics.filter((d) => d.code === 'quadlet/specifier').map((d) => formatOrigin(d.origin!))).toEqual(['web.container:5:8', 'web.container:6:12']);
  });

  it('refuses a container whose image or command needs one', () => {
    const r = read({ 'web.container': '[Container]\nImage=nginx\nExec=serve %h\n' });
    expect(r.containers).toEqual([]);
    expect(r.ledger.diagnostics.find((d) => d.code === 'quadlet/not-converted')?.message).toContain('its command uses a systemd specifier');
  });
});

describe('relative paths in a .container file', () => {
  it('resolve against the directory the file was written to, or the rootful default for an input', () => {
    const written = read({ '/etc/containers/systemd/apps/web.container': '[Container]\nImage=nginx\nVolume=./html:/usr/share/nginx/html\nEnvironmentFile=web.env\n' });
    expect(written.containers[0]!.invocation.flags.map((f) => f.item.label)).toEqual(['--volume=/etc/containers/systemd/apps/html:/usr/share/nginx/html', '--env-file=/etc/containers/systemd/apps/web.env']);
    const input = read({ 'quadlets/web.container': '[Container]\nImage=nginx\nVolume=./html:/srv\n' });
    expect(input.containers[0]!.invocation.flags.map((f) => f.item.label)).toEqual(['--volume=/etc/containers/systemd/html:/srv']);
    expect(input.ledger.diagnostics.find((d) => d.code === 'quadlet/relative-path')?.hint).toBe('check the path against the old host');
  });
});
