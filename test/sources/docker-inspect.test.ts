import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detect } from '../../src/sources/detect.ts';
import { runPipeline } from '../../src/pipeline.ts';
import { convertFiles, fateOf, type Converted } from '../strategies/convert-helpers.ts';

const INSPECT = readFileSync('test/fixtures/docker/storage2-inspect.json', 'utf8');
const SCRIPT = readFileSync('test/fixtures/docker/storage2-run.sh', 'utf8');
const records = JSON.parse(INSPECT) as Record<string, unknown>[];
const containerRecords = records.filter((r) => 'HostConfig' in r);
const imageRecords = records.filter((r) => !('HostConfig' in r));

const containers = (c: Converted) => c.option('virtualisation', 'oci-containers', 'containers') as Record<string, unknown>;
const units = (c: Converted, names: readonly string[]) => Object.fromEntries(names.map((n) => [n, c.option('systemd', 'services', `docker-${n}`)]));

describe('detecting docker inspect output', () => {
  it.each([
    ['inspect.json', INSPECT, 'docker-inspect'],
    ['one.json', JSON.stringify(containerRecords[0]), 'docker-inspect'],
    ['containers', INSPECT, 'docker-inspect'],
    ['config.ign', '{"ignition": {"version": "3.4.0"}}', 'ignition'],
    ['host.json', '{"ignition": {"version": "3.4.0"}, "storage": {}}', 'ignition'],
    ['package.json', '{"name": "x", "Config": {}}', 'unknown'],
    ['images.json', JSON.stringify(imageRecords), 'unknown'],
  ])('%s is %s', (path, text, kind) => {
    expect(detect(path, text).kind).toBe(kind);
  });
});

describe('docker inspect records convert to the same containers as the docker run lines', () => {
  const fromScript = convertFiles({ 'storage2-run.sh': SCRIPT });
  const fromInspect = convertFiles({ 'storage2-inspect.json': INSPECT });
  const names = ['nginx-healthz', 'jellyfin', 'node-exporter', 'db', 'photos'];

  for (const name of names) {
    it(`${name}: the same container`, () => {
      expect(containers(fromInspect)[name]).toEqual(containers(fromScript)[name]);
      expect(containers(fromInspect)[name]).toBeDefined();
    });
  }

  it('the same units: restarts, start limits', () => {
    expect(units(fromInspect, names)).toEqual(units(fromScript, names));
  });

  it('the same firewall', () => {
    expect(fromInspect.option('networking', 'firewall')).toEqual(fromScript.option('networking', 'firewall'));
  });

  it('the network is created with defaults, and that is said', () => {
    expect(fromInspect.option('systemd', 'services', 'docker-network-media', 'script')).toBe('docker network inspect media >/dev/null 2>&1 || docker network create media');
    expect(fromInspect.report.diagnostics.map((d) => d.code)).toContain('oci/network-defaults');
  });

  it('drops what the image sets, with that reason', () => {
    expect(fateOf(fromInspect.report, 'Config.Env NGINX_VERSION')).toBe('dropped: the image sets it; the container keeps following the image');
    expect(fateOf(fromInspect.report, 'Config.Entrypoint')).toBe("dropped: the image's ENTRYPOINT");
    expect(fateOf(fromInspect.report, 'Config.User')).toMatch(/^dropped: the image sets it/);
    expect(fateOf(fromInspect.report, /^Config\.Labels org\.opencontainers\.image\.title/)).toBe('dropped: the image sets it');
  });

  it('drops Docker\'s runtime state, and settles every item', () => {
    expect(fateOf(fromInspect.report, 'State')).toBe("dropped: the container's run state");
    expect(fateOf(fromInspect.report, 'GraphDriver')).toMatch(/^dropped: /);
    expect(fromInspect.report.items.filter((i) => i.fate.kind === 'unaccounted')).toEqual([]);
  });

  it('points each flag at the JSON it came from', () => {
    const port = fromInspect.report.items.find((i) => i.label === '--publish 10.0.0.252:8200:80')!;
    expect(port.origin.file).toBe('storage2-inspect.json');
    expect(INSPECT.split('\n').slice(port.origin.line - 1, port.origin.line + 1).join('\n')).toContain('"HostIp": "10.0.0.252"');
  });

  it('keeps the password out of the report', () => {
    expect(JSON.stringify(fromInspect.report)).not.toContain('hunter2');
  });
});

describe('without the image records', () => {
  const c = convertFiles({ 'inspect.json': JSON.stringify(containerRecords, null, 2) });

  it('pins the image\'s settings, and says so', () => {
    expect(containers(c)['nginx-healthz']).toMatchObject({
      entrypoint: '/docker-entrypoint.sh',
      cmd: ['nginx', '-g', 'daemon off;'],
      environment: { NGINX_VERSION: '1.27.0' },
    });
    expect(c.report.diagnostics.filter((d) => d.code === 'docker-inspect/image-settings')).toHaveLength(5);
  });

  it('still leaves out Docker\'s default PATH and the images\' conventional labels', () => {
    expect(JSON.stringify(containers(c)['nginx-healthz'])).not.toContain('PATH');
    expect(containers(c)['jellyfin']).not.toHaveProperty('labels');
  });

  it('splits a longer ENTRYPOINT into --entrypoint and the command', () => {
    expect(containers(c)['photos']).toMatchObject({ entrypoint: 'tini', cmd: ['--', '/bin/bash', 'start.sh', 'immich'] });
  });
});

describe('one record at a time', () => {
  const record = (patch: (r: Record<string, unknown>) => void) => {
    const r = structuredClone(containerRecords[0]!);
    patch(r);
    return convertFiles({ 'inspect.json': JSON.stringify([r, imageRecords[0]], null, 2) });
  };
  const config = (r: Record<string, unknown>) => r['Config'] as Record<string, unknown>;
  const host = (r: Record<string, unknown>) => r['HostConfig'] as Record<string, unknown>;
  const web = (c: Converted) => containers(c)['nginx-healthz'] as Record<string, unknown>;

  it('an anonymous volume becomes a named one, with a manual step for its data', () => {
    const c = record((r) => {
      r['Mounts'] = [{ Type: 'volume', Name: 'a'.repeat(64), Source: `/var/lib/docker/volumes/${'a'.repeat(64)}/_data`, Destination: '/var/cache/nginx', Driver: 'local', Mode: '', RW: true, Propagation: '' }];
    });
    expect(web(c)['volumes']).toEqual(['nginx-healthz-var-cache-nginx:/var/cache/nginx']);
    expect(c.report.manualSteps.map((s) => s.title)).toContain("Copy the data of nginx-healthz's volume at /var/cache/nginx");
    expect(fateOf(c.report, 'Mounts[0] /var/cache/nginx')).toMatch(/^manual: copy \/var\/lib\/docker\/volumes\/a+\/_data/);
  });

  it('devices, capabilities, tmpfs, ulimits, sysctls, resources come back as flags', () => {
    const c = record((r) => {
      Object.assign(host(r), {
        Devices: [{ PathOnHost: '/dev/dri', PathInContainer: '/dev/dri', CgroupPermissions: 'rwm' }],
        CapAdd: ['NET_ADMIN'],
        CapDrop: ['MKNOD'],
        Tmpfs: { '/run': 'rw,size=64m' },
        Ulimits: [{ Name: 'nofile', Hard: 2048, Soft: 1024 }],
        Sysctls: { 'net.core.somaxconn': '1024' },
        Memory: 1073741824,
        MemorySwap: 2147483648,
        NanoCpus: 1500000000,
        PidsLimit: 100,
        Privileged: true,
        Init: true,
        SecurityOpt: ['no-new-privileges'],
        ExtraHosts: ['nas:10.0.0.252'],
        Dns: ['1.1.1.1'],
      });
    });
    expect(web(c)).toMatchObject({
      devices: ['/dev/dri'],
      capabilities: { NET_ADMIN: true, MKNOD: false },
      privileged: true,
      extraOptions: expect.arrayContaining(['--tmpfs=/run:rw,size=64m', '--ulimit=nofile=1024:2048', '--sysctl=net.core.somaxconn=1024', '--memory=1g', '--cpus=1.5', '--pids-limit=100', '--init', '--security-opt=no-new-privileges', '--add-host=nas:10.0.0.252', '--dns=1.1.1.1']),
    });
    expect(web(c)['extraOptions']).not.toContain('--memory-swap=2g');
  });

  it('a log driver and its options', () => {
    const c = record((r) => {
      host(r)['LogConfig'] = { Type: 'json-file', Config: { 'max-size': '10m' } };
    });
    expect(web(c)).toMatchObject({ 'log-driver': 'json-file', extraOptions: ['--log-opt=max-size=10m'] });
  });

  it('Docker\'s old default log driver is dropped with the reason', () => {
    const c = record((r) => {
      host(r)['LogConfig'] = { Type: 'json-file', Config: {} };
    });
    expect(web(c)).not.toHaveProperty('log-driver');
    expect(fateOf(c.report, 'HostConfig.LogConfig')).toMatch(/^dropped: json-file was the old daemon's default log driver/);
  });

  it('a hostname that is not the container ID is kept', () => {
    const c = record((r) => {
      config(r)['Hostname'] = 'web1';
    });
    expect(web(c)['hostname']).toBe('web1');
  });

  it('on-failure with retries', () => {
    const c = record((r) => {
      host(r)['RestartPolicy'] = { Name: 'on-failure', MaximumRetryCount: 3 };
    });
    expect(c.report.diagnostics.map((d) => d.code)).toContain('oci/restart-retries');
  });

  it('a field nixport does not know is reported, not guessed', () => {
    const c = record((r) => {
      host(r)['FancyNewThing'] = { on: true };
    });
    expect(fateOf(c.report, 'HostConfig.FancyNewThing')).toBe('unsupported: a field nixport does not know');
    expect(c.report.diagnostics.map((d) => d.code)).toContain('docker-inspect/field');
  });

  it('--mount entries come back as --mount', () => {
    const c = record((r) => {
      host(r)['Mounts'] = [{ Type: 'bind', Source: '/srv/a', Target: '/a', ReadOnly: true, BindOptions: { Propagation: 'rslave' } }];
    });
    expect(web(c)['extraOptions']).toEqual(['--mount=type=bind,source=/srv/a,target=/a,readonly,bind-propagation=rslave']);
  });

  it('a record without an image is an error', () => {
    const c = record((r) => {
      delete config(r)['Image'];
    });
    expect(c.report.diagnostics.map((d) => d.code)).toContain('docker-inspect/no-image');
    expect(containers(c)).toBeUndefined();
  });
});

describe('bad JSON', () => {
  it('is refused with line and column', () => {
    const run = runPipeline([{ path: 'inspect.json', content: '[\n  {\n    "Id": "x",\n    "Config": {},\n    "HostConfig": {,}\n  }\n]\n' }]);
    expect(run).toMatchObject({ refused: { code: 'docker-inspect/json', origin: { file: 'inspect.json', line: 5, column: 20 } } });
  });
});

describe('a unit and an inspect record of the same container', () => {
  const unit = `[Unit]\nAfter=docker.service\n[Service]\nRestart=always\nExecStart=/usr/bin/docker run --name nginx-healthz --publish 10.0.0.252:8200:80 --log-driver=journald -e MODE=prod nginx:1\n[Install]\nWantedBy=multi-user.target\n`;
  const c = convertFiles({ 'healthz.service': unit, 'inspect.json': JSON.stringify([containerRecords[0], imageRecords[0]], null, 2) }, { stage: 'oci' });

  it('converts the unit and only compares the record', () => {
    expect(Object.keys(containers(c))).toEqual(['nginx-healthz']);
    expect(c.report.services.map((s) => s.name)).toEqual(['healthz']);
    expect(fateOf(c.report, '[0] container nginx-healthz')).toMatch(/^dropped: healthz\.service describes the same container; this record was compared with it \(2 difference\(s\)\)/);
  });

  it('reports where they differ', () => {
    const messages = c.report.diagnostics.filter((d) => d.code === 'containers/inspect-differs').map((d) => d.message);
    expect(messages).toEqual([
      'container `nginx-healthz`: the environment differs: healthz.service says `MODE=prod`, the running container (docker inspect) had nothing',
      'container `nginx-healthz`: the restart policy differs: healthz.service says nothing, the running container (docker inspect) had `always`',
    ]);
  });

  it('settles every item', () => {
    expect(c.report.items.filter((i) => i.fate.kind === 'unaccounted')).toEqual([]);
  });
});
