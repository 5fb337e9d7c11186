import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import fc from 'fast-check';
import { InputError } from '../../src/model/diagnostic.ts';
import { Ledger } from '../../src/model/ledger.ts';
import { convert } from '../../src/index.ts';
import { safeRelative } from '../../src/cli/write.ts';
import { readInputs } from '../../src/sources/index.ts';
import { dockerRunPath } from '../../src/sources/docker-script/detect.ts';
import { RUN_FLAGS } from '../../src/sources/docker/run-flags.ts';
import { CONTAINER_KEYS } from '../../src/sources/quadlet/container-keys.ts';

/**
 * The fuzz targets: one entry per reader. Each names the input path that
 * makes detection pick its reader, seed inputs to mutate (the fixtures),
 * a dictionary of tokens the reader cares about (spliced into mutations),
 * and a generator of fresh inputs. Adding a reader is adding an entry.
 */
export interface FuzzTarget {
  readonly name: string;
  /** The input's path: detection picks the reader from it (and from the text). */
  readonly path: string;
  /** A first line every input keeps (`#cloud-config`): without it the input is another kind. */
  readonly header?: string;
  readonly seeds: readonly string[];
  readonly dictionary: readonly string[];
  readonly generate: fc.Arbitrary<string>;
}

const ROOT = new URL('../../', import.meta.url).pathname;

/** Text files under `dir` (relative to the repository), filtered by name. */
function files(dir: string, pick: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: string[];
    try {
      entries = readdirSync(join(ROOT, d)).sort();
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e);
      if (statSync(join(ROOT, p)).isDirectory()) walk(p);
      else if (pick(e)) out.push(readFileSync(join(ROOT, p), 'utf8'));
    }
  };
  walk(dir);
  return out;
}

const withoutHeader = (text: string, header: string) => (text.startsWith(header) ? text.slice(header.length) : text);

const word = fc.stringMatching(/^[A-Za-z0-9_./:=@-]{1,12}$/);
const line = (parts: fc.Arbitrary<string>[]) => fc.tuple(...parts).map((p) => p.join(''));
const KEY_BLOB = 'AAAAC3NzaC1lZDI1NTE5AAAAIGq3xJ0tGJYfsrhLAo8aHeD0qLyqGx7U8mRWv2QyRtHb';

/** A YAML document from JSON-like values: any structure, with the reader's keys mixed in. */
function yamlOf(keys: readonly string[]): fc.Arbitrary<string> {
  const key = fc.oneof(fc.constantFrom(...keys), word);
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), word), fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(key, tie('tree'), { maxKeys: 5 })),
  }));
  return fc.dictionary(key, tree, { maxKeys: 6 }).map((o) => stringify(o));
}

const CLOUD_CONFIG_KEYS = ['hostname', 'users', 'name', 'passwd', 'groups', 'ssh_authorized_keys', 'ssh-authorized-keys', 'write_files', 'path', 'content', 'permissions', 'encoding', 'owner', 'coreos', 'units', 'command', 'enable', 'runtime', 'mask', 'drop-ins', 'update', 'reboot-strategy', 'locksmith', 'window-start', 'homedir', 'system', 'uid'];
const BUTANE_KEYS = ['variant', 'version', 'storage', 'files', 'path', 'contents', 'inline', 'local', 'mode', 'systemd', 'units', 'name', 'enabled', 'contents', 'passwd', 'users', 'ssh_authorized_keys', 'password_hash', 'directories', 'links', 'target', 'filesystems', 'device', 'format', 'luks', 'disks', 'raid', 'kernel_arguments', 'trees', 'dropins'];
const CLC_KEYS = ['storage', 'files', 'filesystem', 'path', 'contents', 'inline', 'remote', 'url', 'verification', 'hash', 'function', 'sum', 'compression', 'mode', 'user', 'group', 'append', 'systemd', 'units', 'name', 'enable', 'enabled', 'mask', 'dropins', 'passwd', 'users', 'groups', 'ssh_authorized_keys', 'password_hash', 'directories', 'links', 'target', 'hard', 'filesystems', 'mount', 'device', 'format', 'disks', 'partitions', 'size', 'start', 'type_guid', 'raid', 'networkd', 'update', 'locksmith', 'reboot_strategy', 'window_start', 'window_length', 'docker', 'flags', 'etcd', 'flannel'];
const UNIT_KEYS = ['Description', 'After', 'Requires', 'Wants', 'ExecStart', 'ExecStartPre', 'ExecStop', 'Environment', 'EnvironmentFile', 'User', 'Restart', 'RestartSec', 'Type', 'WantedBy', 'What', 'Where', 'Options', 'OnCalendar', 'ListenStream', 'StartLimitInterval', 'RemainAfterExit', 'SetCredential', 'RequiresMountsFor'];
const SECTIONS = ['Unit', 'Service', 'Install', 'Timer', 'Mount', 'Socket', 'Path', 'X-Fleet'];
const EXEC_WORDS = ['/usr/bin/docker', 'docker', 'run', '-d', '--rm', '-p', '127.0.0.1:80:80', '-v', '/a:/b:ro', '-e', 'PASSWORD=x', '--name', 'web', 'nginx', '/bin/sh', '-c', '"echo hi | smbpasswd -a -s u"', "'x y'", '$VAR', '${VAR}', '%n', '\\', '-', '@', ':', '+', '!', 'mount', '/dev/sda1', '/srv', 'sleep', '1'];
const KEY_OPTIONS = ['restrict', 'no-pty', 'no-port-forwarding', 'command="/usr/bin/docker run -i x"', 'from="10.0.0.0/8"', 'environment="A=b"', 'permitopen="host:22"', 'cert-authority', 'principals="a,b"', 'expiry-time="20300101"', 'command="a \\" b"'];
const KEY_TYPES = ['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'sk-ssh-ed25519@openssh.com', 'ssh-dss'];

const units = fc
  .array(fc.tuple(fc.constantFrom(...SECTIONS), fc.array(fc.tuple(fc.constantFrom(...UNIT_KEYS), fc.array(fc.oneof(fc.constantFrom(...EXEC_WORDS), word), { maxLength: 8 })), { minLength: 1, maxLength: 6 })), { minLength: 1, maxLength: 4 })
  .map((sections) => sections.map(([s, lines]) => `[${s}]\n${lines.map(([k, ws]) => `${k}=${ws.join(' ')}`).join('\n')}\n`).join('\n'));

const dockerFlags = RUN_FLAGS.flatMap((f) => [f.name, ...(f.short ? [f.short] : [])]);
const dockerRun = fc
  .array(fc.oneof(fc.constantFrom(...dockerFlags), fc.constantFrom(...EXEC_WORDS), word), { maxLength: 14 })
  .map((ws) => `docker run ${ws.join(' ')}`);

const keyLines = fc
  .array(fc.tuple(fc.array(fc.constantFrom(...KEY_OPTIONS), { maxLength: 4 }), fc.constantFrom(...KEY_TYPES), fc.oneof(fc.constant(KEY_BLOB), word), fc.option(word)), { maxLength: 5 })
  .map((ls) => ls.map(([o, t, k, c]) => `${o.length > 0 ? `${o.join(',')} ` : ''}${t} ${k}${c ? ` ${c}` : ''}`).join('\n') + '\n');

/** JSON from any values, the reader's keys mixed in, with the version that makes it an Ignition config. */
function ignitionOf(version: string): fc.Arbitrary<string> {
  const keys = ['ignition', 'version', 'storage', 'files', 'path', 'contents', 'source', 'mode', 'systemd', 'units', 'name', 'enabled', 'contents', 'dropins', 'passwd', 'users', 'sshAuthorizedKeys', 'passwordHash', 'directories', 'links', 'filesystems', 'device', 'format', 'luks', 'disks', 'raid', 'kernelArguments', 'overwrite', 'append', 'user', 'group', 'id'];
  const key = fc.oneof(fc.constantFrom(...keys), word);
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small' }, fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(key, tie('tree'), { maxKeys: 5 })),
  }));
  return fc.dictionary(key, tree, { maxKeys: 6 }).map((o) => JSON.stringify({ ...o, ignition: { version } }));
}

const inspectRecords = fc
  .array(
    fc.record({
      Id: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 12, maxLength: 12 }),
      Name: word.map((w) => `/${w}`),
      Config: fc.record({ Image: word, Env: fc.array(fc.oneof(fc.constant('PASSWORD=x'), word), { maxLength: 3 }), Cmd: fc.option(fc.array(word, { maxLength: 3 })), Labels: fc.dictionary(word, word, { maxKeys: 2 }) }, { requiredKeys: [] }),
      HostConfig: fc.record({ Binds: fc.array(fc.constantFrom('/a:/b:ro', '/srv:/srv', 'vol:/data'), { maxLength: 2 }), PortBindings: fc.dictionary(fc.constantFrom('80/tcp', '53/udp'), fc.array(fc.record({ HostIp: fc.constantFrom('', '127.0.0.1'), HostPort: fc.constantFrom('8080', '') }), { maxLength: 2 }), { maxKeys: 2 }), RestartPolicy: fc.record({ Name: fc.constantFrom('always', 'no', 'on-failure') }) }, { requiredKeys: [] }),
    }, { requiredKeys: ['Id', 'Config'] }),
    { minLength: 1, maxLength: 3 },
  )
  .map((r) => JSON.stringify(r, null, 2));

/** Values that make readers branch: secrets, paths, modes, odd scalars. */
const value = fc.oneof(word, word, fc.string({ maxLength: 12 }), fc.constantFrom('0644', '0600', 0o644, 420, 'yes', 'off', '~', '', 'root:root', '/etc/x.conf', '/srv/data', '$6$salt$hashhashhashhashhashhash', 'PASSWORD=hunter2', 'ghp_0123456789abcdefghijABCDEFGHIJ012345', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n'));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
const anyExtra = fc.dictionary(word, value, { maxKeys: 2 });
const unitName = fc.oneof(fc.constantFrom('web.service', 'db.service', 'srv-data.mount', 'job.timer', 'x@1.service', 'a.socket', 'bad name', '../x.service'), word.map((w) => `${w}.service`));
const keyLine = keyLines.map((t) => t.split('\n')[0] ?? '');

const cloudConfigDoc = fc
  .record({
    hostname: maybe(value),
    users: maybe(fc.array(fc.record({ name: value, passwd: maybe(value), groups: maybe(fc.array(value, { maxLength: 3 })), 'ssh-authorized-keys': maybe(fc.array(keyLine, { maxLength: 2 })), system: maybe(fc.boolean()), uid: maybe(fc.integer({ min: -1, max: 70000 })) }, { requiredKeys: [] }), { maxLength: 3 })),
    ssh_authorized_keys: maybe(fc.array(keyLine, { maxLength: 3 })),
    write_files: maybe(fc.array(fc.record({ path: value, content: maybe(value), permissions: maybe(value), owner: maybe(value), encoding: maybe(fc.constantFrom('b64', 'base64', 'gzip+b64', 'gz', 'nope')) }, { requiredKeys: [] }), { maxLength: 3 })),
    coreos: maybe(fc.record({ units: fc.array(fc.record({ name: unitName, command: maybe(fc.constantFrom('start', 'stop', 'restart', 'bogus')), enable: maybe(fc.boolean()), mask: maybe(fc.boolean()), content: maybe(units), 'drop-ins': maybe(fc.array(fc.record({ name: word.map((w) => `${w}.conf`), content: units }), { maxLength: 2 })) }, { requiredKeys: ['name'] }), { maxLength: 4 }), update: maybe(fc.record({ 'reboot-strategy': value, group: value }, { requiredKeys: [] })) }, { requiredKeys: [] })),
  }, { requiredKeys: [] })
  .chain((doc) => anyExtra.map((extra) => stringify({ ...extra, ...doc })));

const butaneDoc = fc
  .tuple(
    fc.constantFrom(['fcos', '1.5.0'], ['fcos', '1.4.0'], ['fcos', '1.6.0'], ['flatcar', '1.1.0'], ['flatcar', '1.0.0'], ['fcos', '9.9.9']),
    fc.record({
      storage: maybe(fc.record({ files: maybe(fc.array(fc.record({ path: value, mode: maybe(value), overwrite: maybe(fc.boolean()), append: maybe(fc.array(fc.record({ inline: value }), { maxLength: 1 })), contents: maybe(fc.record({ inline: maybe(value), source: maybe(value), local: maybe(value) }, { requiredKeys: [] })), user: maybe(fc.record({ name: value }, { requiredKeys: [] })) }, { requiredKeys: [] }), { maxLength: 3 })), directories: maybe(fc.array(fc.record({ path: value, mode: maybe(value) }, { requiredKeys: [] }), { maxLength: 2 })), links: maybe(fc.array(fc.record({ path: value, target: value }, { requiredKeys: [] }), { maxLength: 2 })) }, { requiredKeys: [] })),
      systemd: maybe(fc.record({ units: fc.array(fc.record({ name: unitName, enabled: maybe(fc.boolean()), mask: maybe(fc.boolean()), contents: maybe(units), dropins: maybe(fc.array(fc.record({ name: value, contents: units }), { maxLength: 1 })) }, { requiredKeys: ['name'] }), { maxLength: 3 }) })),
      passwd: maybe(fc.record({ users: fc.array(fc.record({ name: value, password_hash: maybe(value), ssh_authorized_keys: maybe(fc.array(keyLine, { maxLength: 2 })), groups: maybe(fc.array(value, { maxLength: 2 })) }, { requiredKeys: [] }), { maxLength: 2 }) })),
    }, { requiredKeys: [] }),
  )
  .map(([[variant, version], doc]) => stringify({ variant, version, ...doc }));

/** A Container Linux Config: ct's sections at the top, so detection picks its reader. */
const clcDoc = fc
  .record({
    storage: maybe(fc.record({ files: maybe(fc.array(fc.record({ filesystem: maybe(fc.constantFrom('root', 'data', '')), path: value, mode: maybe(value), append: maybe(fc.boolean()), contents: maybe(fc.record({ inline: maybe(value), local: maybe(value), remote: maybe(fc.record({ url: value, compression: maybe(fc.constantFrom('gzip', '', 'xz')), verification: maybe(fc.record({ hash: fc.record({ function: value, sum: value }) })) }, { requiredKeys: [] })) }, { requiredKeys: [] })), user: maybe(fc.record({ id: maybe(fc.integer({ min: -1, max: 70000 })), name: maybe(value) }, { requiredKeys: [] })) }, { requiredKeys: [] }), { maxLength: 3 })), disks: maybe(fc.array(fc.record({ device: value, partitions: fc.array(fc.record({ label: maybe(value), size: maybe(fc.oneof(value, fc.constantFrom('2GiB', '512MiB', '1KiB', '0', 'big'))), type_guid: maybe(fc.constantFrom('raid_partition', 'swap_partition', 'x')) }, { requiredKeys: [] }), { maxLength: 2 }) }, { requiredKeys: [] }), { maxLength: 1 })) }, { requiredKeys: [] })),
    systemd: maybe(fc.record({ units: fc.array(fc.record({ name: unitName, enable: maybe(fc.boolean()), enabled: maybe(fc.boolean()), mask: maybe(fc.boolean()), contents: maybe(units), dropins: maybe(fc.array(fc.record({ name: value, contents: units }), { maxLength: 1 })) }, { requiredKeys: ['name'] }), { maxLength: 3 }) })),
    passwd: maybe(fc.record({ users: fc.array(fc.record({ name: value, password_hash: maybe(value), ssh_authorized_keys: maybe(fc.array(keyLine, { maxLength: 2 })), groups: maybe(fc.array(value, { maxLength: 2 })), uid: maybe(value) }, { requiredKeys: [] }), { maxLength: 2 }) })),
    docker: maybe(fc.record({ flags: fc.array(value, { maxLength: 3 }) })),
    update: maybe(fc.record({ group: maybe(value), server: maybe(value), download_password: maybe(value) }, { requiredKeys: [] })),
    locksmith: maybe(fc.record({ reboot_strategy: maybe(fc.oneof(value, fc.constantFrom('reboot', 'off', 'etcd-lock', 'best-effort'))), window_start: maybe(value), window_length: maybe(value), etcd_endpoints: maybe(value) }, { requiredKeys: [] })),
    etcd: maybe(fc.dictionary(word, value, { maxKeys: 2 })),
  }, { requiredKeys: [] })
  .map((doc) => stringify({ storage: {}, ...doc }));

const ignitionDoc = fc
  .tuple(
    fc.constantFrom('2.2.0', '2.3.0', '3.0.0', '3.3.0', '3.4.0', '3.5.0', '9.9.9'),
    fc.record({
      storage: maybe(fc.record({ files: maybe(fc.array(fc.record({ path: value, mode: maybe(fc.oneof(fc.integer({ min: -1, max: 0o7777 }), value)), filesystem: maybe(value), overwrite: maybe(fc.boolean()), contents: maybe(fc.record({ source: maybe(fc.oneof(value, fc.constantFrom('data:,hello', 'data:;base64,aGVsbG8=', 'data:text/plain;charset=utf-8,%41', 'https://user:pw@example.com/x', 'data:,%zz'))), compression: maybe(fc.constantFrom('gzip', '', 'zstd')) }, { requiredKeys: [] })) }, { requiredKeys: [] }), { maxLength: 3 })), directories: maybe(fc.array(fc.record({ path: value }, { requiredKeys: [] }), { maxLength: 2 })) }, { requiredKeys: [] })),
      systemd: maybe(fc.record({ units: fc.array(fc.record({ name: unitName, enabled: maybe(fc.boolean()), enable: maybe(fc.boolean()), contents: maybe(units), dropins: maybe(fc.array(fc.record({ name: value, contents: units }), { maxLength: 1 })) }, { requiredKeys: [] }), { maxLength: 3 }) })),
      passwd: maybe(fc.record({ users: fc.array(fc.record({ name: value, passwordHash: maybe(value), sshAuthorizedKeys: maybe(fc.array(keyLine, { maxLength: 2 })) }, { requiredKeys: [] }), { maxLength: 2 }) })),
    }, { requiredKeys: [] }),
  )
  .map(([version, doc]) => JSON.stringify({ ignition: { version }, ...doc }));

const QUADLET_KEYS = Object.keys(CONTAINER_KEYS);
const QUADLET_VALUES = ['docker.io/library/nginx:1', '8080:80', '127.0.0.1:53:53/udp', '/srv:/srv:ro,Z', 'data.volume:/data', 'app.network', 'db.container', 'NAME=value PASSWORD=hunter2', 'true', 'no', 'healthy', '-/dev/dri', 'keep-id', '--memory=1g --pids-limit 5', 'nginx -g "daemon off;"', 'x.image', 'type=volume,source=data.volume,target=/d', '%n', '\\', '"a b"', ''];
const quadletDoc = fc
  .array(
    fc.tuple(
      fc.constantFrom('Container', 'Container', 'Unit', 'Service', 'Install', 'Quadlet', 'X-Other'),
      fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUADLET_KEYS, 'After', 'Requires', 'Restart', 'WantedBy', 'DefaultDependencies', 'Type', 'ExecStartPre'), word), fc.oneof(fc.constantFrom(...QUADLET_VALUES), word)), { minLength: 1, maxLength: 8 }),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((sections) => `[Container]\nImage=nginx\n${sections.map(([s, lines]) => `[${s}]\n${lines.map(([k, v]) => `${k}=${v}`).join('\n')}\n`).join('\n')}`);

const composeDoc = fc
  .record({
    services: fc.dictionary(
      fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/),
      fc.record({
        image: maybe(value),
        ports: maybe(fc.array(fc.oneof(fc.constantFrom('80', '127.0.0.1:8080:80', '10.0.0.2:53:53/udp', '8000-8002:8000-8002'), value), { maxLength: 3 })),
        volumes: maybe(fc.array(fc.oneof(fc.constantFrom('./data:/data', '/srv:/srv:ro', 'named:/x', '/a:/b:ro,z'), value), { maxLength: 3 })),
        environment: maybe(fc.oneof(fc.dictionary(fc.oneof(word, fc.constantFrom('DB_PASSWORD', 'API_TOKEN')), value, { maxKeys: 3 }), fc.array(fc.oneof(fc.constantFrom('DB_PASSWORD=hunter2', 'TZ=UTC', 'X'), value), { maxLength: 3 }))),
        command: maybe(fc.oneof(value, fc.array(value, { maxLength: 3 }))),
        user: maybe(value),
        restart: maybe(fc.constantFrom('always', 'no', 'unless-stopped', 'on-failure:3', 'bogus')),
        secrets: maybe(fc.array(fc.constantFrom('db', 'missing'), { maxLength: 2 })),
        depends_on: maybe(fc.array(word, { maxLength: 2 })),
        network_mode: maybe(fc.constantFrom('host', 'bridge', 'none')),
      }, { requiredKeys: [] }),
      { minKeys: 1, maxKeys: 3 },
    ),
    secrets: maybe(fc.record({ db: fc.oneof(fc.record({ file: fc.constantFrom('./db.txt', '/etc/x') }), fc.record({ environment: fc.constant('DB_PW') })) })),
    volumes: maybe(fc.dictionary(word, fc.constant(null), { maxKeys: 2 })),
  }, { requiredKeys: ['services'] })
  .map((doc) => stringify(doc));

export const TARGETS: readonly FuzzTarget[] = [
  {
    name: 'cloud-config',
    path: 'cloud-config.yml',
    header: '#cloud-config\n',
    seeds: [...files('examples', (n) => n.endsWith('.yml')), ...files('test/fixtures/cloud-config', (n) => n.endsWith('.yml')), ...files('test/fixtures/fleet', (n) => n === 'cloud-config.yml')].map((t) => withoutHeader(t, '#cloud-config\n')),
    dictionary: [...CLOUD_CONFIG_KEYS.map((k) => `${k}: `), '\n  - ', '&a ', '*a', '!!binary ', '|\n', '>-\n', '0644', '[', ']', '{', '}', '"', "'", '\t', '#', '---\n', ': ', '\n    '],
    generate: fc.oneof({ weight: 3, arbitrary: cloudConfigDoc }, { weight: 1, arbitrary: yamlOf(CLOUD_CONFIG_KEYS) }),
  },
  {
    name: 'systemd unit',
    path: 'fuzz.service',
    seeds: [...files('test/fixtures/units', (n) => n.endsWith('.service')), ...files('test/fixtures/hosts', (n) => /\.(service|timer|mount)$/.test(n))],
    dictionary: [...UNIT_KEYS.map((k) => `\n${k}=`), ...SECTIONS.map((s) => `\n[${s}]\n`), ...EXEC_WORDS.map((w) => ` ${w}`), '\\\n', '"', "'", '$$', '%%', ';', '#', '\n'],
    generate: units,
  },
  {
    name: 'systemd drop-in',
    path: 'fuzz.service.d/10-fuzz.conf',
    seeds: files('test/fixtures/hosts', (n) => n.endsWith('.conf')),
    dictionary: [...UNIT_KEYS.map((k) => `\n${k}=`), ...SECTIONS.map((s) => `\n[${s}]\n`), '\\\n', '"'],
    generate: units,
  },
  {
    name: 'authorized_keys',
    path: 'home/fuzz/.ssh/authorized_keys',
    seeds: [...files('examples', (n) => n === 'authorized_keys'), ...files('test/fixtures/hosts', (n) => n === 'authorized_keys')],
    dictionary: [...KEY_OPTIONS.map((o) => `${o},`), ...KEY_TYPES.map((t) => ` ${t} `), KEY_BLOB, '"', '\\"', ',', ' ', '\n', '#'],
    generate: keyLines,
  },
  {
    name: 'docker run',
    path: dockerRunPath(0),
    seeds: files('test/fixtures/docker', (n) => n.endsWith('.sh')).flatMap((t) => t.split(/\n(?=docker )/).filter((l) => l.startsWith('docker run'))).slice(0, 20),
    dictionary: [...dockerFlags.map((f) => ` ${f} `), ...EXEC_WORDS.map((w) => ` ${w}`), '=', '"', "'", '\\\n', '$(', ')', '`'],
    generate: dockerRun,
  },
  {
    name: 'docker script',
    path: 'run-containers.sh',
    header: '#!/bin/sh\n',
    seeds: files('test/fixtures/docker', (n) => n.endsWith('.sh')).map((t) => withoutHeader(t, '#!/bin/sh\n')),
    dictionary: [...dockerFlags.map((f) => ` ${f} `), 'docker run ', 'docker network create ', '\\\n', '$(', ')', '`', '"', "'", '&&', ';', '|', 'if ', 'fi', '<<EOF\n', '\nEOF\n', 'VAR=1 '],
    generate: fc.array(dockerRun, { maxLength: 4 }).map((ls) => ls.join('\n')),
  },
  {
    name: 'docker inspect',
    path: 'inspect.json',
    seeds: files('test/fixtures/docker', (n) => n.endsWith('.json')),
    dictionary: ['"Config": {', '"HostConfig": {', '"Env": [', '"Binds": [', '"PortBindings": {', '"Mounts": [', '"Image": "', 'null', '[]', '{}', ',', '"', '\\u0000', '1e999', '-0'],
    generate: inspectRecords,
  },
  {
    name: 'Butane',
    path: 'config.bu',
    seeds: [...files('test/fixtures/butane', (n) => n.endsWith('.bu')), ...files('test/fixtures/podman', (n) => n.endsWith('.bu'))],
    dictionary: [...BUTANE_KEYS.map((k) => `${k}: `), '\n  - ', '&a ', '*a', '|\n', '0644', '[', ']', '{', '}', 'variant: fcos\n', 'variant: flatcar\n', 'version: 1.5.0\n', 'version: 1.1.0\n'],
    generate: fc.oneof({ weight: 3, arbitrary: butaneDoc }, { weight: 1, arbitrary: fc.tuple(fc.constantFrom('fcos', 'flatcar'), fc.constantFrom('1.0.0', '1.4.0', '1.5.0', '1.6.0', '1.1.0', '9.9.9'), yamlOf(BUTANE_KEYS)).map(([v, n, body]) => `variant: ${v}\nversion: ${n}\n${body}`) }),
  },
  {
    name: 'Container Linux Config',
    path: 'config.clc',
    seeds: files('test/fixtures/clc', (n) => n.endsWith('.yml')),
    dictionary: [...CLC_KEYS.map((k) => `${k}: `), '\n  - ', '&a ', '*a', '|\n', '0644', '[', ']', '{', '}', 'filesystem: root\n', 'size: 2GiB\n'],
    generate: fc.oneof({ weight: 3, arbitrary: clcDoc }, { weight: 1, arbitrary: yamlOf(CLC_KEYS).map((body) => `storage: {}\n${body}`) }),
  },
  {
    name: 'Ignition',
    path: 'config.ign',
    seeds: files('test/fixtures/ignition', (n) => n.endsWith('.ign')),
    dictionary: ['"version": "3.4.0"', '"version": "2.2.0"', '"files": [', '"units": [', '"contents": {', '"source": "data:,x"', '"source": "data:;base64,AAA="', '"mode": 420', 'null', '[]', '{}', ',', '"', '\\u0000', '\\n', '1e999'],
    generate: fc.oneof({ weight: 3, arbitrary: ignitionDoc }, { weight: 1, arbitrary: fc.constantFrom('2.2.0', '2.3.0', '3.0.0', '3.3.0', '3.4.0', '3.5.0', '3.6.0-experimental').chain(ignitionOf) }),
  },
  {
    name: 'Quadlet',
    path: 'fuzz.container',
    seeds: files('test/fixtures/podman/quadlet', (n) => n.endsWith('.container')),
    dictionary: [...QUADLET_KEYS.map((k) => `\n${k}=`), '\n[Container]\n', '\n[Unit]\n', '\n[Service]\n', '\n[Install]\n', '\n[Quadlet]\n', ...QUADLET_VALUES, '\\\n', '"', "'", ';', '#', '='],
    generate: quadletDoc,
  },
  {
    name: 'Compose',
    path: 'compose.yaml',
    seeds: [...files('test/fixtures/compose', (n) => /\.ya?ml$/.test(n)), 'services:\n  web:\n    image: nginx:1\n    ports: ["127.0.0.1:8080:80"]\n    volumes: ["/srv/www:/usr/share/nginx/html:ro"]\n    environment:\n      DB_PASSWORD: hunter2xyz\n    user: "1000"\n    secrets: [db]\nsecrets:\n  db:\n    file: ./db.txt\n'],
    dictionary: ['services:\n', '  web:\n', '    image: ', '    ports: ["127.0.0.1:80:80"]\n', '    volumes: ["./a:/b:ro"]\n', '    environment:\n      PASSWORD: x\n', '    secrets: [db]\n', 'secrets:\n  db:\n    file: ./db.txt\n', '${VAR:-x}', '$$', 'x-', '<<: *a', '&a ', 'extends: ', 'depends_on: ', 'networks: '],
    generate: composeDoc,
  },
];

/**
 * Runs an input through a reader (`read`) or the whole conversion
 * (`convert`). A result or an InputError is fine; anything else thrown is
 * a crash, and propagates.
 */
export function runInput(target: FuzzTarget, text: string, level: 'read' | 'convert'): void {
  const content = (target.header ?? '') + text;
  const inputs = [{ path: target.path, content }];
  if (level === 'convert') {
    // convert turns InputError into a refused report itself; it must never throw, and whatever the
    // input names, every output path stays inside the output directory.
    for (const f of convert(inputs, {}).files) safeRelative(f.path);
    return;
  }
  try {
    readInputs(inputs, new Ledger());
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
  }
}
