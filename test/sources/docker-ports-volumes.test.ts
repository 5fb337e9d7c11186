import { describe, expect, it } from 'vitest';
import { isHostPathSource, isRestartPolicy, parseMountFlag, parsePortSpec, parseTmpfsFlag, parseVolumeFlag } from '../../src/sources/docker/index.ts';

const r = (from: number, to = from) => ({ from, to });

describe('parsePortSpec', () => {
  it.each([
    ['80', { containerPort: r(80), protocol: 'tcp' }],
    ['8080:80', { hostPort: r(8080), containerPort: r(80), protocol: 'tcp' }],
    ['8080:80/udp', { hostPort: r(8080), containerPort: r(80), protocol: 'udp' }],
    ['5000:5000/sctp', { hostPort: r(5000), containerPort: r(5000), protocol: 'sctp' }],
    ['53:53/UDP', { hostPort: r(53), containerPort: r(53), protocol: 'udp' }],
    ['127.0.0.1:8080:80', { hostIp: '127.0.0.1', hostPort: r(8080), containerPort: r(80), protocol: 'tcp' }],
    ['127.0.0.1::80', { hostIp: '127.0.0.1', containerPort: r(80), protocol: 'tcp' }],
    ['10.0.0.252:8200:80', { hostIp: '10.0.0.252', hostPort: r(8200), containerPort: r(80), protocol: 'tcp' }],
    ['[::1]:8080:80', { hostIp: '::1', hostPort: r(8080), containerPort: r(80), protocol: 'tcp' }],
    ['::1:8080:80', { hostIp: '::1', hostPort: r(8080), containerPort: r(80), protocol: 'tcp' }],
    ['[2001:db8::33]::443/udp', { hostIp: '2001:db8::33', containerPort: r(443), protocol: 'udp' }],
    ['8000-8010:8000-8010', { hostPort: r(8000, 8010), containerPort: r(8000, 8010), protocol: 'tcp' }],
    ['8000-8010:80', { hostPort: r(8000, 8010), containerPort: r(80), protocol: 'tcp' }],
    ['7000-7001', { containerPort: r(7000, 7001), protocol: 'tcp' }],
    ['80-80:80', { hostPort: r(80), containerPort: r(80), protocol: 'tcp' }],
    [':80', { containerPort: r(80), protocol: 'tcp' }],
    ['published=8080,target=80', { hostPort: r(8080), containerPort: r(80), protocol: 'tcp' }],
    ['target=53,published=5353,protocol=udp', { hostPort: r(5353), containerPort: r(53), protocol: 'udp' }],
  ])('reads %s', (raw, expected) => {
    const parsed = parsePortSpec(raw);
    expect(parsed).toEqual({ ok: true, port: { raw, ...expected } });
  });

  it.each([
    ['', 'no container port'],
    ['8080:', 'no container port'],
    ['http', 'not a number'],
    ['80/icmp', 'unknown protocol'],
    ['65536', 'out of range'],
    ['1.2.3.4.5:80:80', 'not an IP address'],
    ['localhost:80:80', 'not an IP address'],
    ['[::1:80:80', 'not an IP address'],
    ['8000-8002:80-81', 'differ in length'],
    ['90-80', 'ends before it starts'],
    ['80-:80', 'host port'],
    ['x=1', 'no container port'],
    ['published=1,,target=2', 'not name=value'],
  ])('refuses %j (%s)', (raw, reason) => {
    const parsed = parsePortSpec(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(reason);
  });
});

describe('parseVolumeFlag (-v)', () => {
  it.each([
    ['/srv/data:/srv/data', { kind: 'bind', source: '/srv/data', target: '/srv/data', readOnly: false, options: [] }],
    ['/srv/data/movies:/data/movies:ro', { kind: 'bind', source: '/srv/data/movies', target: '/data/movies', readOnly: true, options: [] }],
    ['/a:/b:ro,z', { kind: 'bind', source: '/a', target: '/b', readOnly: true, options: ['z'] }],
    ['/a:/b:rshared,Z,rw', { kind: 'bind', source: '/a', target: '/b', readOnly: false, options: ['rshared', 'Z'] }],
    ['/a:/b:ro,rw', { kind: 'bind', source: '/a', target: '/b', readOnly: false, options: [] }],
    ['./conf:/conf', { kind: 'bind', source: './conf', target: '/conf', readOnly: false, options: [] }],
    ['~/x:/x', { kind: 'bind', source: '~/x', target: '/x', readOnly: false, options: [] }],
    ['data:/var/lib/x', { kind: 'volume', source: 'data', target: '/var/lib/x', readOnly: false, options: [] }],
    ['my_vol.1-a:/v:nocopy', { kind: 'volume', source: 'my_vol.1-a', target: '/v', readOnly: false, options: ['nocopy'] }],
    ['/data', { kind: 'anonymous', target: '/data', readOnly: false, options: [] }],
  ])('reads %s', (raw, expected) => {
    const parsed = parseVolumeFlag(raw);
    expect(parsed.ok && parsed.volume).toEqual({ raw, ...expected });
  });

  it('warns about relative and ~ bind sources, not absolute ones', () => {
    const warningsOf = (raw: string) => {
      const parsed = parseVolumeFlag(raw);
      return parsed.ok ? parsed.warnings.length : -1;
    };
    expect([warningsOf('./conf:/conf'), warningsOf('~/x:/x'), warningsOf('/x:/x'), warningsOf('vol:/x')]).toEqual([1, 1, 0, 0]);
  });

  it.each([
    ['', 'empty'],
    ['data', 'must be absolute'],
    ['/a:b', 'must be absolute'],
    ['/a::/b', 'empty part'],
    ['/a:/b:ro:z', 'too many colons'],
    ['/a:/b:rx', 'unknown option'],
    ['/data:ro', 'anonymous volume'],
    ['x:/data', 'valid volume name'],
    ['-bad:/data', 'valid volume name'],
  ])('refuses %j (%s)', (raw, reason) => {
    const parsed = parseVolumeFlag(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(reason);
  });

  it.each([
    ['/srv', true],
    ['./x', true],
    ['~/x', true],
    ['..', true],
    ['data', false],
    ['srv/data', false],
  ])('treats %s as a host path: %s', (source, expected) => {
    expect(isHostPathSource(source)).toBe(expected);
  });
});

describe('parseMountFlag (--mount)', () => {
  it.each([
    ['type=bind,source=/a,target=/b', { kind: 'bind', source: '/a', target: '/b', readOnly: false, options: [] }],
    ['type=bind,src=/a,dst=/b,readonly', { kind: 'bind', source: '/a', target: '/b', readOnly: true, options: [] }],
    ['type=bind,src=/a,destination=/b,ro=true,bind-propagation=rslave', { kind: 'bind', source: '/a', target: '/b', readOnly: true, options: ['bind-propagation=rslave'] }],
    ['type=bind,src=/a,dst=/b,readonly=0', { kind: 'bind', source: '/a', target: '/b', readOnly: false, options: [] }],
    ['src=vol,dst=/v', { kind: 'volume', source: 'vol', target: '/v', readOnly: false, options: [] }],
    ['type=volume,target=/v', { kind: 'anonymous', target: '/v', readOnly: false, options: [] }],
    [
      'type=volume,src=nfs,dst=/mnt,volume-driver=local,volume-opt=type=nfs,"volume-opt=o=addr=10.0.0.1,rw"',
      { kind: 'volume', source: 'nfs', target: '/mnt', readOnly: false, options: ['volume-driver=local', 'volume-opt=type=nfs', 'volume-opt=o=addr=10.0.0.1,rw'] },
    ],
    ['type=tmpfs,dst=/cache,tmpfs-size=64m,tmpfs-mode=1770', { kind: 'tmpfs', target: '/cache', readOnly: false, options: ['tmpfs-size=64m', 'tmpfs-mode=1770'] }],
    ['Type=BIND,Source=/a,Target=/b', { kind: 'bind', source: '/a', target: '/b', readOnly: false, options: [] }],
  ])('reads %s', (raw, expected) => {
    const parsed = parseMountFlag(raw);
    expect(parsed.ok && parsed.volume).toEqual({ raw, ...expected });
  });

  it.each([
    ['', 'empty'],
    ['type=bind,dst=/b', 'needs a source'],
    ['type=bind,src=/a', 'no target'],
    ['type=tmpfs,src=/a,dst=/b', 'takes no source'],
    ['type=image,src=alpine,dst=/b', 'cannot be represented'],
    ['type=weird,dst=/b', 'unknown mount type'],
    ['type=volume,src=v,dst=/b,bind-propagation=shared', 'does not apply'],
    ['type=bind,src=/a,dst=/b,tmpfs-size=1m', 'does not apply'],
    ['type=bind,src=/a,dst=/b,colour=red', 'unknown option'],
    ['type=bind,src=/a,dst=/b,readonly=maybe', 'takes true'],
    ['type=bind,src,dst=/b', 'key=value'],
    ['type=bind,src=,dst=/b', 'empty value'],
    ['type=bind,src=/a,dst=/b,bind-nonrecursive', 'bind-recursive=disabled'],
    ['type=bind,src=/a,dst=b', 'must be absolute'],
    ['"type=bind,src=/a', 'unbalanced quotes'],
  ])('refuses %j (%s)', (raw, reason) => {
    const parsed = parseMountFlag(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(reason);
  });
});

describe('parseTmpfsFlag (--tmpfs)', () => {
  it.each([
    ['/run', { kind: 'tmpfs', target: '/run', readOnly: false, options: [] }],
    ['/run:rw,size=64m', { kind: 'tmpfs', target: '/run', readOnly: false, options: ['size=64m'] }],
    ['/tmp:ro,noexec,mode=1777', { kind: 'tmpfs', target: '/tmp', readOnly: true, options: ['noexec', 'mode=1777'] }],
    ['/run:', { kind: 'tmpfs', target: '/run', readOnly: false, options: [] }],
  ])('reads %s', (raw, expected) => {
    const parsed = parseTmpfsFlag(raw);
    expect(parsed.ok && parsed.volume).toEqual({ raw, ...expected });
  });

  it.each(['', ':size=1m', 'run'])('refuses %j', (raw) => {
    expect(parseTmpfsFlag(raw).ok).toBe(false);
  });
});

describe('isRestartPolicy', () => {
  it.each([
    ['no', true],
    ['always', true],
    ['unless-stopped', true],
    ['on-failure', true],
    ['on-failure:3', true],
    ['always:3', false],
    ['on-failure:x', false],
    ['sometimes', false],
    ['', false],
  ])('%s -> %s', (value, expected) => {
    expect(isRestartPolicy(value)).toBe(expected);
  });
});
