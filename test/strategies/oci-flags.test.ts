import { describe, expect, it } from 'vitest';
import { OCI_FLAGS } from '../../src/sources/docker/oci-flags.ts';
import { RUN_FLAGS } from '../../src/sources/docker/run-flags.ts';
import { takesValue } from '../../src/sources/docker/flag-spec.ts';
import { convertFiles, fateOf, type Converted } from './convert-helpers.ts';

/**
 * The `docker run` flag table of stage 2, case by case: each command line
 * goes through the whole pipeline (as `--docker-run`), and each case checks
 * the evaluated container and the report line of the flag.
 */

const C = 'virtualisation.oci-containers.containers.web';

function run(flags: string, options: Parameters<typeof convertFiles>[1] = {}): Converted {
  return convertFiles({ '--docker-run': `docker run -d --name web ${flags} nginx:1` }, options);
}

const container = (c: Converted, ...path: string[]) => c.option('virtualisation', 'oci-containers', 'containers', 'web', ...path);

describe('the flag table', () => {
  it('maps every docker run flag: an option, extraOptions, dropped or stage 1', () => {
    const missing = RUN_FLAGS.filter((f) => OCI_FLAGS[f.name] === undefined).map((f) => f.name);
    expect(missing).toEqual([]);
    expect(RUN_FLAGS.length).toBeGreaterThan(100);
  });

  it('has no entry for a flag Docker does not have', () => {
    const names = new Set(RUN_FLAGS.map((f) => f.name));
    expect(Object.keys(OCI_FLAGS).filter((n) => !names.has(n))).toEqual([]);
  });

  it('gives every dropped and stage-1 entry a reason', () => {
    for (const [name, entry] of Object.entries(OCI_FLAGS)) {
      for (const m of [entry.mapping, entry.podman].filter((x) => x !== undefined)) {
        if (m.kind === 'dropped' || m.kind === 'stage1') expect(m.reason.length, name).toBeGreaterThan(10);
      }
    }
  });
});

/** A value each flag accepts, for running every flag of the table. */
const SAMPLE: Readonly<Record<string, string>> = {
  '--add-host': 'nas:10.0.0.252',
  '--annotation': 'a=b',
  '--attach': 'stdout',
  '--blkio-weight': '500',
  '--blkio-weight-device': '/dev/sda:200',
  '--cap-add': 'NET_ADMIN',
  '--cap-drop': 'MKNOD',
  '--cgroup-parent': 'docker.slice',
  '--cgroupns': 'private',
  '--cidfile': '/run/web.cid',
  '--cpu-count': '2',
  '--cpu-percent': '50',
  '--cpu-period': '100000',
  '--cpu-quota': '50000',
  '--cpu-rt-period': '1000',
  '--cpu-rt-runtime': '950',
  '--cpu-shares': '512',
  '--cpus': '1.5',
  '--cpuset-cpus': '0-1',
  '--cpuset-mems': '0',
  '--detach-keys': 'ctrl-x',
  '--device': '/dev/dri:/dev/dri',
  '--device-cgroup-rule': 'c 1:3 mr',
  '--device-read-bps': '/dev/sda:1mb',
  '--device-read-iops': '/dev/sda:1000',
  '--device-write-bps': '/dev/sda:1mb',
  '--device-write-iops': '/dev/sda:1000',
  '--dns': '1.1.1.1',
  '--dns-option': 'ndots:2',
  '--dns-search': 'example.org',
  '--domainname': 'example.org',
  '--entrypoint': '/bin/sh',
  '--env': 'A=1',
  '--env-file': '/etc/web.env',
  '--expose': '9000',
  '--gpus': 'all',
  '--group-add': 'video',
  '--health-cmd': 'true',
  '--health-interval': '30s',
  '--health-retries': '3',
  '--health-start-interval': '5s',
  '--health-start-period': '1m',
  '--health-timeout': '10s',
  '--hostname': 'web1',
  '--io-maxbandwidth': '10m',
  '--io-maxiops': '100',
  '--ip': '172.30.0.5',
  '--ip6': 'fd00::5',
  '--ipc': 'host',
  '--isolation': 'default',
  '--kernel-memory': '10m',
  '--label': 'a=b',
  '--label-file': '/etc/web.labels',
  '--link': 'db',
  '--link-local-ip': '169.254.1.1',
  '--log-driver': 'none',
  '--log-opt': 'max-size=1m',
  '--mac-address': '02:42:ac:11:00:02',
  '--memory': '1g',
  '--memory-reservation': '512m',
  '--memory-swap': '2g',
  '--memory-swappiness': '10',
  '--mount': 'type=bind,src=/srv/a,dst=/a',
  '--name': 'web',
  '--network': 'web-net',
  '--network-alias': 'www',
  '--oom-score-adj': '100',
  '--pid': 'host',
  '--pids-limit': '100',
  '--platform': 'linux/amd64',
  '--publish': '8080:80',
  '--pull': 'never',
  '--restart': 'on-failure',
  '--runtime': 'runc',
  '--security-opt': 'no-new-privileges',
  '--shm-size': '1g',
  '--stop-signal': 'SIGINT',
  '--stop-timeout': '30',
  '--storage-opt': 'size=1G',
  '--sysctl': 'net.core.somaxconn=1024',
  '--tmpfs': '/run',
  '--ulimit': 'nofile=1024:2048',
  '--user': '1000:1000',
  '--userns': 'host',
  '--uts': 'host',
  '--volume': '/srv/web:/data',
  '--volume-driver': 'local',
  '--volumes-from': 'data',
  '--workdir': '/app',
  '--cpuset': '0-1',
  '--lxc-conf': 'lxc.aa_profile=unconfined',
};

/** Where each table entry shows in the evaluated container, for flags mapped onto an option. */
const OPTION_VALUE: Readonly<Record<string, [string[], unknown]>> = {
  '--cap-add': [['capabilities'], { NET_ADMIN: true }],
  '--cap-drop': [['capabilities'], { MKNOD: false }],
  '--device': [['devices'], ['/dev/dri:/dev/dri']],
  '--entrypoint': [['entrypoint'], '/bin/sh'],
  '--env': [['environment'], { A: '1' }],
  '--env-file': [['environmentFiles'], ['/etc/web.env']],
  '--hostname': [['hostname'], 'web1'],
  '--label': [['labels'], { a: 'b' }],
  '--log-driver': [['log-driver'], 'none'],
  '--network': [['networks'], ['web-net']],
  '--privileged': [['privileged'], true],
  '--publish': [['ports'], ['8080:80']],
  '--pull': [['pull'], 'never'],
  '--user': [['user'], '1000:1000'],
  '--volume': [['volumes'], ['/srv/web:/data']],
  '--workdir': [['workdir'], '/app'],
};

describe('every flag of the table, through the pipeline', () => {
  for (const spec of RUN_FLAGS) {
    const entry = OCI_FLAGS[spec.name]!;
    const mapping = entry.mapping;
    if (spec.name === '--name' || spec.name === '--detach') continue; // every case has them
    const written = takesValue(spec) ? `${spec.name} ${shellQuote(SAMPLE[spec.name] ?? 'x')}` : spec.name;
    const label = takesValue(spec) ? `${spec.name} ${SAMPLE[spec.name] ?? 'x'}` : spec.name;
    it(`${written}: ${mapping.kind}`, () => {
      const c = run(written);
      const fate = fateOf(c.report, label);
      switch (mapping.kind) {
        case 'extra': {
          const spelled = mapping.spelled ?? spec.name;
          if (spec.name === '--networking') {
            expect(fate).toBe('dropped: networking on was the default');
            break;
          }
          expect(container(c, 'extraOptions')).toContain(takesValue(spec) ? `${spelled}=${SAMPLE[spec.name]}` : spelled);
          expect(fate).toBe(`carried: ${C}.extraOptions`);
          break;
        }
        case 'dropped':
          expect(fate).toBe(`dropped: ${mapping.reason}`);
          expect(JSON.stringify(container(c))).not.toContain(spec.name);
          break;
        case 'stage1':
          expect(container(c)).toBeUndefined();
          expect(fate).toBe(`unsupported: \`${label}\`: ${mapping.reason}`);
          expect(c.report.diagnostics.map((d) => d.code)).toContain('plan/container-not-converted');
          break;
        case 'unit':
          expect(c.option('systemd', 'services', 'docker-web', 'serviceConfig', 'Restart')).toBeUndefined(); // on-failure: the module's own
          expect(fate).toBe(`carried: systemd.services.docker-web.serviceConfig.Restart`);
          break;
        case 'option': {
          const expected = OPTION_VALUE[spec.name];
          if (expected) expect(container(c, ...expected[0])).toEqual(expected[1]);
          expect(fate.startsWith(`carried: ${C}.`)).toBe(true);
          break;
        }
        case 'name':
          break;
      }
      expect(c.report.items.filter((i) => i.fate.kind === 'unaccounted')).toEqual([]);
    });
  }
});

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value}'`;
}

interface FormCase {
  readonly flags: string;
  /** Path below the container and the value it must have. */
  readonly at?: readonly string[];
  readonly value?: unknown;
  /** Label of the flag item and its fate (`carried: <option>` or `dropped: ...`); `@` stands for the container path. */
  readonly fate?: readonly [string, string];
  /** A diagnostic code the case must report. */
  readonly code?: string;
}

const PORTS: readonly FormCase[] = [
  { flags: '-p 80', at: ['ports'], value: ['80'], fate: ['-p 80', 'carried: @.ports'], code: 'firewall/random-host-port' },
  { flags: '-p 8080:80', at: ['ports'], value: ['8080:80'], fate: ['-p 8080:80', 'carried: @.ports'] },
  { flags: '-p8080:80', at: ['ports'], value: ['8080:80'], fate: ['-p8080:80', 'carried: @.ports'] },
  { flags: '-p=8080:80', at: ['ports'], value: ['8080:80'], fate: ['-p=8080:80', 'carried: @.ports'] },
  { flags: '--publish 8080:80', at: ['ports'], value: ['8080:80'], fate: ['--publish 8080:80', 'carried: @.ports'] },
  { flags: '--publish=8080:80', at: ['ports'], value: ['8080:80'], fate: ['--publish=8080:80', 'carried: @.ports'] },
  { flags: '-p 8080:80/udp', at: ['ports'], value: ['8080:80/udp'], fate: ['-p 8080:80/udp', 'carried: @.ports'] },
  { flags: '-p 8080:80/tcp', at: ['ports'], value: ['8080:80/tcp'] },
  { flags: '-p 5000:5000/sctp', at: ['ports'], value: ['5000:5000/sctp'], code: 'firewall/sctp' },
  { flags: '-p 127.0.0.1:8080:80', at: ['ports'], value: ['127.0.0.1:8080:80'], code: 'firewall/loopback' },
  { flags: '-p 10.0.0.252:8080:80', at: ['ports'], value: ['10.0.0.252:8080:80'] },
  { flags: '-p 10.0.0.252::80', at: ['ports'], value: ['10.0.0.252::80'], code: 'firewall/random-host-port' },
  { flags: '-p [::1]:8080:80', at: ['ports'], value: ['[::1]:8080:80'], code: 'firewall/loopback' },
  { flags: '-p 8000-8010:8000-8010', at: ['ports'], value: ['8000-8010:8000-8010'] },
  { flags: '-p 8000-8010:80', at: ['ports'], value: ['8000-8010:80'] },
  { flags: '-p 8080:80 -p 8443:443', at: ['ports'], value: ['8080:80', '8443:443'] },
  { flags: '-p published=8080,target=80', at: ['ports'], value: ['8080:80'] },
  { flags: '-p published=53,target=53,protocol=udp', at: ['ports'], value: ['53:53/udp'] },
  { flags: '-P', at: ['extraOptions'], value: ['--publish-all'], fate: ['-P', 'carried: @.extraOptions'], code: 'firewall/publish-all' },
  { flags: '--publish-all', at: ['extraOptions'], value: ['--publish-all'] },
  { flags: '--expose 9000', at: ['extraOptions'], value: ['--expose=9000'] },
];

const VOLUMES: readonly FormCase[] = [
  { flags: '-v /srv/a:/a', at: ['volumes'], value: ['/srv/a:/a'], fate: ['-v /srv/a:/a', 'carried: @.volumes'] },
  { flags: '-v /srv/a:/a:ro', at: ['volumes'], value: ['/srv/a:/a:ro'] },
  { flags: '-v /srv/a:/a:ro,z', at: ['volumes'], value: ['/srv/a:/a:ro,z'] },
  { flags: '-v /srv/a:/a:Z', at: ['volumes'], value: ['/srv/a:/a:Z'] },
  { flags: '-v /srv/a:/a:rshared', at: ['volumes'], value: ['/srv/a:/a:rshared'] },
  { flags: '--volume=/srv/a:/a', at: ['volumes'], value: ['/srv/a:/a'] },
  { flags: '-v data:/var/lib/data', at: ['volumes'], value: ['data:/var/lib/data'], code: 'oci/named-volume' },
  { flags: '-v data:/var/lib/data:nocopy', at: ['volumes'], value: ['data:/var/lib/data:nocopy'], code: 'oci/named-volume' },
  { flags: '-v /cache', at: ['volumes'], value: ['/cache'] },
  { flags: '-v ./data:/data', at: ['volumes'], value: ['./data:/data'], code: 'docker/relative-bind' },
  { flags: '--mount type=bind,src=/srv/a,dst=/a', at: ['extraOptions'], value: ['--mount=type=bind,src=/srv/a,dst=/a'], fate: ['--mount type=bind,src=/srv/a,dst=/a', 'carried: @.extraOptions'] },
  { flags: '--mount type=bind,source=/srv/a,target=/a,readonly', at: ['extraOptions'], value: ['--mount=type=bind,source=/srv/a,target=/a,readonly'] },
  { flags: '--mount type=bind,src=/srv/a,dst=/a,bind-propagation=rslave', at: ['extraOptions'], value: ['--mount=type=bind,src=/srv/a,dst=/a,bind-propagation=rslave'] },
  { flags: '--mount type=volume,src=data,dst=/data', at: ['extraOptions'], value: ['--mount=type=volume,src=data,dst=/data'], code: 'oci/named-volume' },
  { flags: '--mount type=volume,src=data,dst=/data,volume-nocopy', at: ['extraOptions'], value: ['--mount=type=volume,src=data,dst=/data,volume-nocopy'] },
  { flags: '--mount type=volume,dst=/data', at: ['extraOptions'], value: ['--mount=type=volume,dst=/data'] },
  { flags: '--mount type=tmpfs,dst=/tmp,tmpfs-size=64m', at: ['extraOptions'], value: ['--mount=type=tmpfs,dst=/tmp,tmpfs-size=64m'] },
  { flags: '--mount type=tmpfs,dst=/tmp,tmpfs-mode=1770', at: ['extraOptions'], value: ['--mount=type=tmpfs,dst=/tmp,tmpfs-mode=1770'] },
  { flags: '--tmpfs /run', at: ['extraOptions'], value: ['--tmpfs=/run'], fate: ['--tmpfs /run', 'carried: @.extraOptions'] },
  { flags: '--tmpfs=/run:rw,size=64m', at: ['extraOptions'], value: ['--tmpfs=/run:rw,size=64m'] },
  { flags: '--volumes-from data', at: ['extraOptions'], value: ['--volumes-from=data'], code: 'oci/needs-container' },
  { flags: '--volumes-from data:ro', at: ['extraOptions'], value: ['--volumes-from=data:ro'] },
  { flags: '--volume-driver local', at: ['extraOptions'], value: ['--volume-driver=local'] },
  { flags: '--read-only', at: ['extraOptions'], value: ['--read-only'] },
  { flags: '--storage-opt size=10G', at: ['extraOptions'], value: ['--storage-opt=size=10G'] },
];

const ENV: readonly FormCase[] = [
  { flags: '-e TZ=Europe/Zurich', at: ['environment'], value: { TZ: 'Europe/Zurich' }, fate: ['-e TZ=Europe/Zurich', 'carried: @.environment'] },
  { flags: '--env TZ=UTC', at: ['environment'], value: { TZ: 'UTC' } },
  { flags: '--env=TZ=UTC', at: ['environment'], value: { TZ: 'UTC' } },
  { flags: '-e A=1 -e B=2', at: ['environment'], value: { A: '1', B: '2' } },
  { flags: '-e A=1 -e A=2', at: ['environment'], value: { A: '2' } },
  { flags: '-e EMPTY=', at: ['environment'], value: { EMPTY: '' } },
  { flags: "-e 'GREETING=hello world'", at: ['environment'], value: { GREETING: 'hello world' } },
  { flags: '-e URL=http://x/?a=b', at: ['environment'], value: { URL: 'http://x/?a=b' } },
  { flags: "-e 'RAW=${HOME}'", at: ['environment'], value: { RAW: '${HOME}' } },
  { flags: '-e DB_PASSWORD=hunter2', at: ['environmentFiles'], value: ['/var/lib/secrets/web.env'], fate: ['-e DB_PASSWORD=…', 'carried: @.environmentFiles'], code: 'oci/secret-env' },
  { flags: '-e API_TOKEN=abc', at: ['environmentFiles'], value: ['/var/lib/secrets/web.env'], code: 'oci/secret-env' },
  { flags: '-e SECRET_KEY=abc', at: ['environmentFiles'], value: ['/var/lib/secrets/web.env'], code: 'oci/secret-env' },
  { flags: '-e AWS_ACCESS_KEY=abc', at: ['environmentFiles'], value: ['/var/lib/secrets/web.env'] },
  // A path to the secret (Docker's `_FILE` convention) is no secret itself.
  { flags: '-e PASSWORD_FILE=/run/secrets/pw', at: ['environment'], value: { PASSWORD_FILE: '/run/secrets/pw' } },
  { flags: '--env-file /etc/web.env', at: ['environmentFiles'], value: ['/etc/web.env'], fate: ['--env-file /etc/web.env', 'carried: @.environmentFiles'] },
  { flags: '--env-file /etc/a.env --env-file /etc/b.env', at: ['environmentFiles'], value: ['/etc/a.env', '/etc/b.env'] },
  { flags: '--env-file web.env', at: ['environmentFiles'], value: ['web.env'], code: 'oci/relative-env-file' },
  { flags: '-e TZ', at: ['environment'], value: undefined, fate: ['-e TZ', 'unsupported: the value of `TZ` came from the shell that ran docker, which nixport does not know'], code: 'oci/env-unknown' },
];

const PROCESS: readonly FormCase[] = [
  { flags: '--entrypoint /bin/sh', at: ['entrypoint'], value: '/bin/sh', fate: ['--entrypoint /bin/sh', 'carried: @.entrypoint'] },
  { flags: "--entrypoint ''", at: ['entrypoint'], value: '' },
  { flags: '--entrypoint=-x', at: ['entrypoint'], value: '-x' },
  { flags: '-u 1000', at: ['user'], value: '1000', fate: ['-u 1000', 'carried: @.user'] },
  { flags: '--user 1000:1000', at: ['user'], value: '1000:1000' },
  { flags: '--user=www-data:www-data', at: ['user'], value: 'www-data:www-data' },
  { flags: '-w /app', at: ['workdir'], value: '/app', fate: ['-w /app', 'carried: @.workdir'] },
  { flags: '--workdir=/srv', at: ['workdir'], value: '/srv' },
  { flags: '-h web1', at: ['hostname'], value: 'web1', fate: ['-h web1', 'carried: @.hostname'] },
  { flags: '--hostname=web1.example.org', at: ['hostname'], value: 'web1.example.org' },
  { flags: '--domainname example.org', at: ['extraOptions'], value: ['--domainname=example.org'] },
  { flags: '-l app=web', at: ['labels'], value: { app: 'web' }, fate: ['-l app=web', 'carried: @.labels'] },
  { flags: "--label traefik.enable=true --label 'traefik.http.routers.web.rule=Host(`web`)'", at: ['labels'], value: { 'traefik.enable': 'true', 'traefik.http.routers.web.rule': 'Host(`web`)' } },
  { flags: '--label flag', at: ['labels'], value: { flag: '' } },
  { flags: '--label-file /etc/web.labels', at: ['extraOptions'], value: ['--label-file=/etc/web.labels'] },
  { flags: '-i', at: ['extraOptions'], value: undefined, fate: ['-i', 'dropped: a service has no stdin to keep open: systemd gives the docker client /dev/null'] },
  { flags: '-t', at: ['extraOptions'], value: ['--tty'], fate: ['-t', 'carried: @.extraOptions'] },
  { flags: '-it', at: ['extraOptions'], value: ['--tty'] },
  { flags: '--tty=false', at: ['extraOptions'], value: ['--tty=false'] },
  { flags: '--init', at: ['extraOptions'], value: ['--init'] },
  { flags: '--stop-signal SIGINT', at: ['extraOptions'], value: ['--stop-signal=SIGINT'] },
];

const NETWORK: readonly FormCase[] = [
  { flags: '--net=host', at: ['networks'], value: ['host'], fate: ['--net=host', 'carried: @.networks'] },
  { flags: '--network host', at: ['networks'], value: ['host'] },
  { flags: '--network none', at: ['networks'], value: ['none'] },
  { flags: '--network bridge', at: ['networks'], value: ['bridge'] },
  { flags: '--network web-net', at: ['networks'], value: ['web-net'], code: 'oci/network-defaults' },
  { flags: '--network web-net --network-alias www', at: ['extraOptions'], value: ['--network-alias=www'] },
  { flags: '--network web-net --ip 172.30.0.5', at: ['extraOptions'], value: ['--ip=172.30.0.5'] },
  { flags: '--network container:vpn', at: ['networks'], value: ['container:vpn'], code: 'oci/needs-container' },
  { flags: '--link db:database', at: ['extraOptions'], value: ['--link=db:database'], code: 'oci/needs-container' },
  { flags: '--dns 1.1.1.1 --dns 9.9.9.9', at: ['extraOptions'], value: ['--dns=1.1.1.1', '--dns=9.9.9.9'] },
  { flags: '--dns-option ndots:2', at: ['extraOptions'], value: ['--dns-option=ndots:2'] },
  { flags: '--dns-opt ndots:2', at: ['extraOptions'], value: ['--dns-option=ndots:2'] },
  { flags: '--dns-search example.org', at: ['extraOptions'], value: ['--dns-search=example.org'] },
  { flags: '--add-host nas:10.0.0.252', at: ['extraOptions'], value: ['--add-host=nas:10.0.0.252'] },
  { flags: '--add-host=host.docker.internal:host-gateway', at: ['extraOptions'], value: ['--add-host=host.docker.internal:host-gateway'] },
  { flags: '--mac-address 02:42:ac:11:00:02', at: ['extraOptions'], value: ['--mac-address=02:42:ac:11:00:02'] },
  { flags: '--pid=host', at: ['extraOptions'], value: ['--pid=host'] },
  { flags: '--ipc=host', at: ['extraOptions'], value: ['--ipc=host'] },
  { flags: '--uts=host', at: ['extraOptions'], value: ['--uts=host'] },
  { flags: '--userns=host', at: ['extraOptions'], value: ['--userns=host'] },
  { flags: '--cgroupns=host', at: ['extraOptions'], value: ['--cgroupns=host'] },
];

const SECURITY: readonly FormCase[] = [
  { flags: '--privileged', at: ['privileged'], value: true, fate: ['--privileged', 'carried: @.privileged'] },
  { flags: '--privileged=true', at: ['privileged'], value: true },
  { flags: '--privileged=false', at: ['privileged'], value: undefined, fate: ['--privileged=false', 'dropped: `--privileged=false` is the default'] },
  { flags: '--cap-add NET_ADMIN', at: ['capabilities'], value: { NET_ADMIN: true }, fate: ['--cap-add NET_ADMIN', 'carried: @.capabilities'] },
  { flags: '--cap-add=SYS_ADMIN --cap-add=NET_RAW', at: ['capabilities'], value: { SYS_ADMIN: true, NET_RAW: true } },
  { flags: '--cap-drop ALL --cap-add NET_BIND_SERVICE', at: ['capabilities'], value: { ALL: false, NET_BIND_SERVICE: true } },
  { flags: '--cap-add NET_ADMIN --cap-drop NET_ADMIN', at: ['extraOptions'], value: ['--cap-drop=NET_ADMIN'] },
  { flags: '--device /dev/dri', at: ['devices'], value: ['/dev/dri'], fate: ['--device /dev/dri', 'carried: @.devices'] },
  { flags: '--device=/dev/ttyUSB0:/dev/ttyACM0:rw', at: ['devices'], value: ['/dev/ttyUSB0:/dev/ttyACM0:rw'] },
  { flags: "--device-cgroup-rule='c 189:* rmw'", at: ['extraOptions'], value: ['--device-cgroup-rule=c 189:* rmw'] },
  { flags: '--security-opt no-new-privileges', at: ['extraOptions'], value: ['--security-opt=no-new-privileges'] },
  { flags: '--security-opt seccomp=unconfined --security-opt apparmor=unconfined', at: ['extraOptions'], value: ['--security-opt=seccomp=unconfined', '--security-opt=apparmor=unconfined'] },
  { flags: '--security-opt label=disable', at: ['extraOptions'], value: ['--security-opt=label=disable'] },
  { flags: '--group-add video', at: ['extraOptions'], value: ['--group-add=video'] },
  { flags: '--sysctl net.ipv4.ip_forward=1', at: ['extraOptions'], value: ['--sysctl=net.ipv4.ip_forward=1'] },
];

const RESOURCES: readonly FormCase[] = [
  { flags: '-m 1g', at: ['extraOptions'], value: ['--memory=1g'], fate: ['-m 1g', 'carried: @.extraOptions'] },
  { flags: '--memory=512m --memory-swap=1g', at: ['extraOptions'], value: ['--memory=512m', '--memory-swap=1g'] },
  { flags: '--memory-reservation 256m', at: ['extraOptions'], value: ['--memory-reservation=256m'] },
  { flags: '--cpus 1.5', at: ['extraOptions'], value: ['--cpus=1.5'] },
  { flags: '-c 512', at: ['extraOptions'], value: ['--cpu-shares=512'] },
  { flags: '--cpuset-cpus 0-3', at: ['extraOptions'], value: ['--cpuset-cpus=0-3'] },
  { flags: '--cpuset 0-3', at: ['extraOptions'], value: ['--cpuset-cpus=0-3'], code: 'docker/removed-flag' },
  { flags: '--pids-limit 200', at: ['extraOptions'], value: ['--pids-limit=200'] },
  { flags: '--shm-size 1g', at: ['extraOptions'], value: ['--shm-size=1g'] },
  { flags: '--shm-size=256m', at: ['extraOptions'], value: ['--shm-size=256m'] },
  { flags: '--ulimit nofile=1024:2048', at: ['extraOptions'], value: ['--ulimit=nofile=1024:2048'] },
  { flags: '--ulimit nofile=1024:2048 --ulimit nproc=512', at: ['extraOptions'], value: ['--ulimit=nofile=1024:2048', '--ulimit=nproc=512'] },
  { flags: '--gpus all', at: ['extraOptions'], value: ['--gpus=all'] },
  { flags: "--gpus '\"device=0,1\"'", at: ['extraOptions'], value: ['--gpus="device=0,1"'] },
  { flags: '--oom-kill-disable', at: ['extraOptions'], value: ['--oom-kill-disable'] },
  { flags: '--oom-score-adj -500', at: ['extraOptions'], value: ['--oom-score-adj=-500'] },
  { flags: '--blkio-weight 300', at: ['extraOptions'], value: ['--blkio-weight=300'] },
  { flags: '--kernel-memory 50m', at: ['extraOptions'], value: undefined, fate: ['--kernel-memory 50m', 'dropped: the kernel no longer supports kernel memory limits; Docker ignores the flag'] },
  { flags: '--cpu-count 2', at: ['extraOptions'], value: undefined, fate: ['--cpu-count 2', 'dropped: meaningful only for Windows containers; Docker on Linux ignores it'] },
];

const HEALTH_AND_LOGS: readonly FormCase[] = [
  { flags: "--health-cmd 'curl -f http://localhost/ || exit 1'", at: ['extraOptions'], value: ['--health-cmd=curl -f http://localhost/ || exit 1'] },
  { flags: '--health-cmd=true --health-interval=30s --health-timeout=5s --health-retries=3', at: ['extraOptions'], value: ['--health-cmd=true', '--health-interval=30s', '--health-timeout=5s', '--health-retries=3'] },
  { flags: '--health-start-period=1m --health-start-interval=5s', at: ['extraOptions'], value: ['--health-start-period=1m', '--health-start-interval=5s'] },
  { flags: '--no-healthcheck', at: ['extraOptions'], value: ['--no-healthcheck'] },
  { flags: '--log-driver=journald', at: ['log-driver'], value: undefined, fate: ['--log-driver=journald', 'carried: @.log-driver'] },
  { flags: '--log-driver none', at: ['log-driver'], value: 'none' },
  { flags: '--log-driver json-file --log-opt max-size=10m --log-opt max-file=3', at: ['log-driver'], value: 'json-file' },
  { flags: '--log-driver syslog --log-opt tag=web', at: ['extraOptions'], value: ['--log-opt=tag=web'] },
];

const LIFECYCLE: readonly FormCase[] = [
  { flags: '--rm', at: ['autoRemoveOnStop'], value: undefined, fate: ['--rm', 'carried: @.autoRemoveOnStop'] },
  { flags: '--rm=false', at: ['autoRemoveOnStop'], value: false },
  { flags: '--pull always', at: ['pull'], value: 'always', fate: ['--pull always', 'carried: @.pull'] },
  { flags: '--pull=missing', at: ['pull'], value: 'missing' },
  { flags: '--pull never', at: ['pull'], value: 'never' },
  { flags: '--pull newer', at: ['pull'], value: undefined, code: 'oci/bad-pull' },
  { flags: '--platform linux/arm64', at: ['extraOptions'], value: ['--platform=linux/arm64'] },
  { flags: '-q', at: ['extraOptions'], value: undefined, fate: ['-q', 'dropped: it only hid the pull progress'] },
  { flags: '--sig-proxy=false', at: ['extraOptions'], value: undefined },
  { flags: '-a stdout', at: ['extraOptions'], value: undefined },
  { flags: '--detach-keys ctrl-x', at: ['extraOptions'], value: undefined },
  { flags: '--disable-content-trust', at: ['extraOptions'], value: undefined, code: 'docker/deprecated-flag' },
  { flags: '--stop-timeout 30', at: ['extraOptions'], value: ['--stop-timeout=30'] },
  { flags: '--runtime runsc', at: ['extraOptions'], value: ['--runtime=runsc'] },
  { flags: '--cidfile /run/web.cid', at: ['extraOptions'], value: ['--cidfile=/run/web.cid'] },
  { flags: '--annotation io.katacontainers.x=1', at: ['extraOptions'], value: ['--annotation=io.katacontainers.x=1'] },
  { flags: '--networking=false', at: ['extraOptions'], value: ['--network=none'] },
  { flags: '--cgroup-parent=web.slice', at: ['extraOptions'], value: ['--cgroup-parent=web.slice'] },
  { flags: '--use-api-socket', at: ['extraOptions'], value: ['--use-api-socket'] },
];

const UNKNOWN: readonly FormCase[] = [
  { flags: '--gpus=all --foo=bar', at: ['extraOptions'], value: ['--gpus=all', '--foo=bar'], fate: ['--foo=bar', 'carried: @.extraOptions'], code: 'docker/unknown-flag' },
  { flags: '--made-up=1', at: ['extraOptions'], value: ['--made-up=1'], code: 'docker/unknown-flag' },
  { flags: "--label 'rule=Host(`web`)'", at: ['labels'], value: { rule: 'Host(`web`)' } },
];

describe.each([
  ['ports', PORTS],
  ['volumes and mounts', VOLUMES],
  ['environment', ENV],
  ['the process', PROCESS],
  ['networking', NETWORK],
  ['security', SECURITY],
  ['resources', RESOURCES],
  ['health checks and logs', HEALTH_AND_LOGS],
  ['lifecycle', LIFECYCLE],
  ['unknown flags of known arity', UNKNOWN],
])('%s', (_, cases) => {
  for (const c of cases) {
    it(`docker run ${c.flags}`, () => {
      const r = run(c.flags);
      expect(container(r, 'image')).toBe('nginx:1');
      if (c.at) expect(container(r, ...c.at)).toEqual(c.value);
      if (c.fate) expect(fateOf(r.report, c.fate[0])).toBe(c.fate[1].replace('@', C));
      if (c.code) expect(r.report.diagnostics.map((d) => d.code)).toContain(c.code);
      expect(r.report.items.filter((i) => i.fate.kind === 'unaccounted')).toEqual([]);
    });
  }
});

describe('the command and the image', () => {
  it('keeps the words after the image as cmd', () => {
    const r = convertFiles({ '--docker-run': 'docker run -d --name web nginx:1 nginx -g "daemon off;"' });
    expect(container(r, 'cmd')).toEqual(['nginx', '-g', 'daemon off;']);
  });

  it('keeps a digest-pinned image as written', () => {
    const image = 'nginx@sha256:9c367186df9a6b18c6735357b8eb7f407347e84aea09beb184961cb83543d46e';
    const r = convertFiles({ '--docker-run': `docker run -d --name web ${image}` });
    expect(container(r, 'image')).toBe(image);
  });

  it('reads `docker container run` and `docker create` too', () => {
    expect(container(convertFiles({ '--docker-run': 'docker container run -d --name web nginx:1' }), 'image')).toBe('nginx:1');
    expect(container(convertFiles({ '--docker-run': 'docker create --name web nginx:1' }), 'image')).toBe('nginx:1');
  });

  it('names a container without --name after its image, and says so', () => {
    const r = convertFiles({ '--docker-run': 'docker run -d lscr.io/linuxserver/jellyfin:latest' });
    expect(r.option('virtualisation', 'oci-containers', 'containers', 'jellyfin', 'image')).toBe('lscr.io/linuxserver/jellyfin:latest');
  });

  it('takes the name from --name as the attribute, and reports where it went', () => {
    const r = convertFiles({ '--docker-run': 'docker run -d --name=my.web_1 nginx:1' });
    expect(r.option('virtualisation', 'oci-containers', 'containers', 'my.web_1', 'image')).toBe('nginx:1');
    expect(fateOf(r.report, '--name=my.web_1')).toBe('carried: virtualisation.oci-containers.containers."my.web_1"');
  });
});

describe('restart policies onto the unit', () => {
  const restart = (flags: string) => {
    const r = run(flags);
    return {
      restart: r.option('systemd', 'services', 'docker-web', 'serviceConfig', 'Restart'),
      limit: r.option('systemd', 'services', 'docker-web', 'startLimitIntervalSec'),
      fate: (label: string) => fateOf(r.report, label),
      codes: r.report.diagnostics.map((d) => d.code),
    };
  };

  it.each([
    ['--restart always', 'always', 0],
    ['--restart=always', 'always', 0],
    ['--restart unless-stopped', 'always', 0],
    ['--restart on-failure', undefined, undefined],
    ['--restart on-failure:5', undefined, undefined],
    ['--restart no', 'no', undefined],
  ])('%s: Restart=%s', (flags, expected, limit) => {
    const r = restart(flags);
    expect(r.restart).toBe(expected);
    expect(r.limit).toBe(limit);
    expect(r.fate(flags)).toBe('carried: systemd.services.docker-web.serviceConfig.Restart');
  });

  it('says that on-failure:N is bounded by systemd\'s start limit instead', () => {
    expect(restart('--restart on-failure:5').codes).toContain('oci/restart-retries');
  });

  it('says that --restart no did not bring the container back after a reboot', () => {
    expect(restart('--restart no').codes).toContain('oci/autostart');
  });

  it('says the module restarts a container that had no policy', () => {
    expect(restart('').codes).toContain('oci/default-restart');
  });

  it('waits longer than a long --stop-timeout', () => {
    const r = run('--stop-timeout 300');
    expect(r.option('systemd', 'services', 'docker-web', 'serviceConfig', 'TimeoutStopSec')).toBe(330);
  });

  it('an unknown restart policy is an error and the container is not made', () => {
    const r = run('--restart sometimes');
    expect(container(r)).toBeUndefined();
    expect(r.report.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['docker/bad-restart', 'plan/container-not-converted']));
  });
});

describe('bad input', () => {
  it('an unknown flag whose arity is unknown is not guessed into extraOptions: the container is not made', () => {
    const r = run('--made-up x');
    expect(container(r)).toBeUndefined();
    const d = r.report.diagnostics.find((x) => x.code === 'plan/container-not-converted')!;
    expect(d.message).toContain('`--made-up` is no docker run flag nixport knows');
    expect(r.report.diagnostics.map((x) => x.code)).toContain('docker/unknown-flag');
  });

  it('a bad port is an error with its column, and the container is not made', () => {
    const r = convertFiles({ '--docker-run': 'docker run -d --name web -p 99999:80 nginx:1' });
    const d = r.report.diagnostics.find((x) => x.code === 'docker/bad-port')!;
    expect(d.origin).toEqual({ file: '--docker-run', line: 1, column: 29 });
    expect(container(r)).toBeUndefined();
  });

  it('a run without an image is an error', () => {
    const r = convertFiles({ '--docker-run': 'docker run -d --name web' });
    expect(r.report.diagnostics.map((d) => d.code)).toContain('docker/no-image');
    expect(r.report.status).toBe('converted-with-errors');
    expect(r.option('virtualisation', 'oci-containers')).toBeUndefined();
  });

  it('a flag that swallowed the image leaves no image: an error', () => {
    const r = convertFiles({ '--docker-run': 'docker run -d --name web -p nginx:1' });
    expect(r.report.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['docker/no-image']));
  });

  it('an unclosed quote refuses the input, with the column of the quote', () => {
    expect(() => convertFiles({ '--docker-run': "docker run -d --name web -e 'A=1 nginx:1" })).toThrow(/refused: cannot read the command line: the quote `'` is never closed/);
  });

  it('--help is no container: it stays out, with the reason', () => {
    const r = run('--help');
    expect(container(r)).toBeUndefined();
    expect(fateOf(r.report, '--help')).toBe('unsupported: `--help`: `--help` prints the usage instead of running a container');
  });

  it('--lxc-conf has no meaning any more: the container is not made', () => {
    const r = run('--lxc-conf lxc.aa_profile=unconfined');
    expect(container(r)).toBeUndefined();
    expect(r.report.diagnostics.map((d) => d.code)).toContain('plan/container-not-converted');
  });
});

describe('podman backend', () => {
  it('writes the backend and keeps the container the same', () => {
    const r = run('-p 8080:80', { backend: 'podman' });
    expect(r.option('virtualisation', 'oci-containers', 'backend')).toBe('podman');
    expect(container(r, 'ports')).toEqual(['8080:80']);
    expect(r.option('systemd', 'services', 'podman-web', 'startLimitIntervalSec')).toBeUndefined();
    expect(r.report.diagnostics.map((d) => d.code)).toContain('oci/podman');
  });

  it('takes `--pull newer`', () => {
    expect(container(run('--pull newer', { backend: 'podman' }), 'pull')).toBe('newer');
  });

  it('refuses --cidfile, which the podman backend sets itself', () => {
    const r = run('--cidfile /run/web.cid', { backend: 'podman' });
    expect(container(r)).toBeUndefined();
  });

  it('writes docker as the backend by default, whatever the module would pick', () => {
    expect(run('').option('virtualisation', 'oci-containers', 'backend')).toBe('docker');
  });
});
