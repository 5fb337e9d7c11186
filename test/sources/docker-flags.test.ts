import { describe, expect, it } from 'vitest';
import {
  CREATE_FLAGS,
  GLOBAL_FLAGS,
  RUN_FLAGS,
  VERBS,
  normaliseVerb,
  parseImageReference,
  runFlag,
  statusOf,
  takesValue,
} from '../../src/sources/docker/index.ts';
import type { FlagSpec } from '../../src/sources/docker/index.ts';

/**
 * The options table of `docker run` in the Docker CLI reference
 * (docs/reference/commandline/container_run.md), with its short forms and
 * value types, written down independently of the table under test.
 */
const REFERENCE: readonly (readonly [string, string | undefined, string])[] = [
  ['--add-host', undefined, 'list'], ['--annotation', undefined, 'map'], ['--attach', '-a', 'list'],
  ['--blkio-weight', undefined, 'uint16'], ['--blkio-weight-device', undefined, 'list'], ['--cap-add', undefined, 'list'],
  ['--cap-drop', undefined, 'list'], ['--cgroup-parent', undefined, 'string'], ['--cgroupns', undefined, 'string'],
  ['--cidfile', undefined, 'string'], ['--cpu-count', undefined, 'int64'], ['--cpu-percent', undefined, 'int64'],
  ['--cpu-period', undefined, 'int64'], ['--cpu-quota', undefined, 'int64'], ['--cpu-rt-period', undefined, 'int64'],
  ['--cpu-rt-runtime', undefined, 'int64'], ['--cpu-shares', '-c', 'int64'], ['--cpus', undefined, 'decimal'],
  ['--cpuset-cpus', undefined, 'string'], ['--cpuset-mems', undefined, 'string'], ['--detach', '-d', 'bool'],
  ['--detach-keys', undefined, 'string'], ['--device', undefined, 'list'], ['--device-cgroup-rule', undefined, 'list'],
  ['--device-read-bps', undefined, 'list'], ['--device-read-iops', undefined, 'list'], ['--device-write-bps', undefined, 'list'],
  ['--device-write-iops', undefined, 'list'], ['--dns', undefined, 'list'], ['--dns-option', undefined, 'list'],
  ['--dns-search', undefined, 'list'], ['--domainname', undefined, 'string'], ['--entrypoint', undefined, 'string'],
  ['--env', '-e', 'list'], ['--env-file', undefined, 'list'], ['--expose', undefined, 'list'],
  ['--gpus', undefined, 'gpu-request'], ['--group-add', undefined, 'list'], ['--health-cmd', undefined, 'string'],
  ['--health-interval', undefined, 'duration'], ['--health-retries', undefined, 'int'], ['--health-start-interval', undefined, 'duration'],
  ['--health-start-period', undefined, 'duration'], ['--health-timeout', undefined, 'duration'], ['--help', undefined, 'bool'],
  ['--hostname', '-h', 'string'], ['--init', undefined, 'bool'], ['--interactive', '-i', 'bool'],
  ['--io-maxbandwidth', undefined, 'bytes'], ['--io-maxiops', undefined, 'uint64'], ['--ip', undefined, 'ip'],
  ['--ip6', undefined, 'ip'], ['--ipc', undefined, 'string'], ['--isolation', undefined, 'string'],
  ['--label', '-l', 'list'], ['--label-file', undefined, 'list'], ['--link', undefined, 'list'],
  ['--link-local-ip', undefined, 'list'], ['--log-driver', undefined, 'string'], ['--log-opt', undefined, 'list'],
  ['--mac-address', undefined, 'string'], ['--memory', '-m', 'bytes'], ['--memory-reservation', undefined, 'bytes'],
  ['--memory-swap', undefined, 'bytes'], ['--memory-swappiness', undefined, 'int64'], ['--mount', undefined, 'mount'],
  ['--name', undefined, 'string'], ['--network', undefined, 'network'], ['--network-alias', undefined, 'list'],
  ['--no-healthcheck', undefined, 'bool'], ['--oom-kill-disable', undefined, 'bool'], ['--oom-score-adj', undefined, 'int'],
  ['--pid', undefined, 'string'], ['--pids-limit', undefined, 'int64'], ['--platform', undefined, 'string'],
  ['--privileged', undefined, 'bool'], ['--publish', '-p', 'list'], ['--publish-all', '-P', 'bool'],
  ['--pull', undefined, 'string'], ['--quiet', '-q', 'bool'], ['--read-only', undefined, 'bool'],
  ['--restart', undefined, 'string'], ['--rm', undefined, 'bool'], ['--runtime', undefined, 'string'],
  ['--security-opt', undefined, 'list'], ['--shm-size', undefined, 'bytes'], ['--sig-proxy', undefined, 'bool'],
  ['--stop-signal', undefined, 'string'], ['--stop-timeout', undefined, 'int'], ['--storage-opt', undefined, 'list'],
  ['--sysctl', undefined, 'map'], ['--tmpfs', undefined, 'list'], ['--tty', '-t', 'bool'],
  ['--ulimit', undefined, 'ulimit'], ['--use-api-socket', undefined, 'bool'], ['--user', '-u', 'string'],
  ['--userns', undefined, 'string'], ['--uts', undefined, 'string'], ['--volume', '-v', 'list'],
  ['--volume-driver', undefined, 'string'], ['--volumes-from', undefined, 'list'], ['--workdir', '-w', 'string'],
];

/** Flags `docker run --help` hides but still accepts (deprecated or hidden spellings). */
const HIDDEN: Readonly<Record<string, string>> = {
  '--net': '--network',
  '--net-alias': '--network-alias',
  '--dns-opt': '--dns-option',
};

const REPEATABLE_TYPES = new Set(['list', 'map', 'mount', 'ulimit', 'network', 'gpu-request', 'stringSlice']);

function spellings(specs: readonly FlagSpec[]): string[] {
  return specs.flatMap((s) => [s.name, ...(s.short !== undefined ? [s.short] : []), ...(s.aliases ?? [])]);
}

describe('the docker run flag table', () => {
  it.each(REFERENCE.map((entry) => [entry[0], entry] as const))('has %s as the reference documents it', (_name, [name, short, type]) => {
    const spec = runFlag(name);
    expect(spec).toBeDefined();
    expect(spec?.short).toBe(short);
    expect(spec?.type).toBe(type);
    expect(takesValue(spec as FlagSpec)).toBe(type !== 'bool');
  });

  it('has nothing current that the reference lacks', () => {
    const documented = new Set(REFERENCE.map(([name]) => name));
    const extra = RUN_FLAGS.filter((s) => !documented.has(s.name)).map((s) => [s.name, statusOf(s)]);
    // Only flags the reference hides: deprecated ones, and ones removed before the current CLI.
    expect(extra).toEqual([
      ['--disable-content-trust', 'deprecated'],
      ['--kernel-memory', 'deprecated'],
      ['--cpuset', 'removed'],
      ['--lxc-conf', 'removed'],
      ['--networking', 'removed'],
    ]);
  });

  it.each(Object.entries(HIDDEN))('reads the hidden spelling %s as %s', (alias, name) => {
    expect(runFlag(name)?.aliases).toContain(alias);
  });

  it('spells every flag once', () => {
    const all = spellings(RUN_FLAGS);
    expect(new Set(all).size).toBe(all.length);
    const globals = spellings(GLOBAL_FLAGS);
    expect(new Set(globals).size).toBe(globals.length);
  });

  it('marks multi-valued types repeatable and the rest single', () => {
    for (const spec of [...RUN_FLAGS, ...GLOBAL_FLAGS, ...VERBS.flatMap((v) => v.flags)]) {
      expect([spec.name, spec.repeatable]).toEqual([spec.name, REPEATABLE_TYPES.has(spec.type)]);
    }
  });

  it('describes every flag and explains every deprecation', () => {
    for (const spec of [...RUN_FLAGS, ...GLOBAL_FLAGS, ...VERBS.flatMap((v) => v.flags)]) {
      expect(spec.description.length).toBeGreaterThan(10);
      expect(spec.name).toMatch(/^--[a-z0-9-]+$/);
      if (spec.short !== undefined) expect(spec.short).toMatch(/^-[a-zA-Z]$/);
      if (statusOf(spec) === 'deprecated' || statusOf(spec) === 'removed') expect(spec.note).toBeDefined();
    }
  });

  it('is sorted by name within current flags, so the matrix reads in order', () => {
    const current = RUN_FLAGS.filter((s) => statusOf(s) !== 'removed').map((s) => s.name);
    expect(current).toEqual([...current].sort());
  });

  it('leaves the run-only flags out of create', () => {
    const runOnly = RUN_FLAGS.filter((s) => !CREATE_FLAGS.includes(s)).map((s) => s.name);
    expect(runOnly).toEqual(['--detach', '--detach-keys', '--sig-proxy']);
  });

  it('knows the global flags that may precede the verb', () => {
    expect(GLOBAL_FLAGS.map((s) => [s.name, s.short, s.type])).toEqual([
      ['--config', undefined, 'string'],
      ['--context', '-c', 'string'],
      ['--debug', '-D', 'bool'],
      ['--help', undefined, 'bool'],
      ['--host', '-H', 'list'],
      ['--log-level', '-l', 'string'],
      ['--tls', undefined, 'bool'],
      ['--tlscacert', undefined, 'string'],
      ['--tlscert', undefined, 'string'],
      ['--tlskey', undefined, 'string'],
      ['--tlsverify', undefined, 'bool'],
      ['--version', '-v', 'bool'],
    ]);
  });
});

describe('verbs', () => {
  it.each([
    ['container', 'run', 'run'],
    ['container', 'start', 'start'],
    ['container', 'ls', 'ps'],
    ['container', 'remove', 'rm'],
    ['container', 'prune', 'container prune'],
    ['image', 'pull', 'pull'],
    ['image', 'rm', 'rmi'],
    ['image', 'prune', 'image prune'],
    ['network', 'create', 'network create'],
    ['volume', 'rm', 'volume rm'],
  ])('%s %s is %s', (group, sub, verb) => {
    expect(normaliseVerb(group, sub)).toBe(verb);
  });

  it('lists housekeeping verbs with their interspersing rule', () => {
    expect(VERBS.filter((v) => !v.interspersed).map((v) => v.verb)).toEqual(['run', 'create', 'exec', 'commit']);
  });
});

describe('parseImageReference', () => {
  const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
  it.each([
    ['nginx', { domain: 'docker.io', path: 'library/nginx', name: 'docker.io/library/nginx' }],
    ['nginx:1', { domain: 'docker.io', path: 'library/nginx', tag: '1' }],
    ['stapelberg/docker-samba:latest', { domain: 'docker.io', path: 'stapelberg/docker-samba', tag: 'latest' }],
    ['lscr.io/linuxserver/jellyfin:latest', { domain: 'lscr.io', path: 'linuxserver/jellyfin', tag: 'latest', name: 'lscr.io/linuxserver/jellyfin' }],
    ['registry:5000/ns/img', { domain: 'registry:5000', path: 'ns/img' }],
    [`registry:5000/ns/img:tag@${digest}`, { domain: 'registry:5000', path: 'ns/img', tag: 'tag', digest }],
    [`alpine@${digest}`, { domain: 'docker.io', path: 'library/alpine', digest }],
    ['localhost/app', { domain: 'localhost', path: 'app' }],
    ['index.docker.io/library/debian', { domain: 'docker.io', path: 'library/debian' }],
    ['[::1]:5000/x', { domain: '[::1]:5000', path: 'x' }],
  ])('%s', (raw, expected) => {
    const ref = parseImageReference(raw);
    expect(ref).toMatchObject({ raw, ...expected });
    if (!('tag' in expected)) expect(ref?.tag).toBeUndefined();
  });

  it.each(['MyImage', 'nginx:', 'nginx:bad tag', 'a//b', `x@sha256:abc`, '', 'ns/-x'])('refuses %j', (raw) => {
    expect(parseImageReference(raw)).toBeUndefined();
  });
});
