import { describe, expect, it } from 'vitest';
import type { DockerInvocation, PortSpec, VolumeSpec } from '../../src/model/docker.ts';
import { Ledger } from '../../src/model/ledger.ts';
import type { InputItem } from '../../src/model/ledger.ts';
import type { Origin } from '../../src/model/origin.ts';
import type { ExecWord } from '../../src/model/unit.ts';
import { recognizeDocker, runsInForeground } from '../../src/sources/docker/index.ts';

/** Words as if the command line were the plain strings joined by single spaces. */
function execWords(values: readonly string[]): ExecWord[] {
  const out: ExecWord[] = [];
  let start = 0;
  for (const value of values) {
    out.push({ value, start, end: start + value.length, offsets: [...value].map((_, k) => start + k) });
    start += value.length + 1;
  }
  return out;
}

const FILE = 'units/test.service';
const at = (offset: number): Origin => ({ file: FILE, line: 3, column: offset + 1 });

function recognize(argv: readonly string[]): { inv: DockerInvocation | undefined; ledger: Ledger; parent: InputItem } {
  const ledger = new Ledger();
  const parent = ledger.item('directive', 'ExecStart=', { file: FILE, line: 3, column: 1 });
  const inv = recognizeDocker(execWords(argv), at, parent, ledger);
  return { inv, ledger, parent };
}

/** `docker run ...` split on single spaces, for cases without spaces inside words. */
const cmd = (line: string): string[] => line.split(' ');

type PortView = Partial<Pick<PortSpec, 'hostIp' | 'hostPort'>> & Pick<PortSpec, 'containerPort' | 'protocol'>;
type VolumeView = Partial<Pick<VolumeSpec, 'source'>> & Pick<VolumeSpec, 'kind' | 'target' | 'readOnly' | 'options'>;

const portView = (p: PortSpec): PortView => ({
  ...(p.hostIp !== undefined ? { hostIp: p.hostIp } : {}),
  ...(p.hostPort !== undefined ? { hostPort: p.hostPort } : {}),
  containerPort: p.containerPort,
  protocol: p.protocol,
});
const volumeView = (v: VolumeSpec): VolumeView => ({
  kind: v.kind,
  ...(v.source !== undefined ? { source: v.source } : {}),
  target: v.target,
  readOnly: v.readOnly,
  options: v.options,
});
const r = (from: number, to = from) => ({ from, to });
const tcp = (container: number, host?: number, hostIp?: string): PortView => ({
  ...(hostIp !== undefined ? { hostIp } : {}),
  ...(host !== undefined ? { hostPort: r(host) } : {}),
  containerPort: r(container),
  protocol: 'tcp',
});
const bind = (source: string, target: string, readOnly = false, options: string[] = []): VolumeView => ({
  kind: 'bind',
  source,
  target,
  readOnly,
  options,
});

interface Case {
  readonly name: string;
  readonly argv: readonly string[];
  readonly verb?: string;
  readonly verbWord?: number;
  /** `null`: the invocation has no image. */
  readonly image?: string | null;
  readonly imageWord?: number;
  readonly args?: readonly string[];
  /** Exactly the flags found: [canonical name, value] (value omitted for bare bools). */
  readonly flags?: readonly (readonly [string, string?])[];
  /** Exactly the ledger labels of the flag items. */
  readonly labels?: readonly string[];
  /** Spellings, in order, when they differ from the canonical names. */
  readonly spelled?: readonly string[];
  /** `null`: no container name. */
  readonly containerName?: string | null;
  readonly network?: string;
  readonly restart?: string;
  readonly publishAll?: boolean;
  readonly ports?: readonly PortView[];
  readonly volumes?: readonly VolumeView[];
  /** Exactly the diagnostics: [severity, code]. Defaults to none. */
  readonly diagnostics?: readonly (readonly [string, string])[];
  /** Labels of the flag items settled as unsupported. Defaults to none. */
  readonly unsupported?: readonly string[];
  readonly foreground?: boolean;
}

const SEED: Case[] = [
  {
    name: 'seed: nginx-healthz with a bound published port and --log-driver=',
    argv: cmd('/usr/bin/docker run --name nginx-healthz --publish 10.0.0.252:8200:80 --log-driver=journald nginx:1'),
    verb: 'run',
    verbWord: 1,
    image: 'nginx:1',
    imageWord: 7,
    args: [],
    flags: [['--name', 'nginx-healthz'], ['--publish', '10.0.0.252:8200:80'], ['--log-driver', 'journald']],
    labels: ['--name nginx-healthz', '--publish 10.0.0.252:8200:80', '--log-driver=journald'],
    containerName: 'nginx-healthz',
    ports: [tcp(80, 8200, '10.0.0.252')],
    volumes: [],
    foreground: true,
  },
  {
    name: 'seed: jellyfin with --net=host, --name= and read-only binds',
    argv: [
      '${pkgs.docker}/bin/docker', 'run', '--rm', '--net=host', '--name=jellyfin', '-e', 'TZ=Europe/Zurich',
      '-v', '/srv/jellyfin/config:/config', '-v', '/srv/data/movies:/data/movies:ro', '-v', '/srv/data/series:/data/series:ro',
      '-v', '/srv/data/mp3:/data/mp3:ro', 'lscr.io/linuxserver/jellyfin:latest',
    ],
    image: 'lscr.io/linuxserver/jellyfin:latest',
    imageWord: 15,
    flags: [
      ['--rm'], ['--network', 'host'], ['--name', 'jellyfin'], ['--env', 'TZ=Europe/Zurich'],
      ['--volume', '/srv/jellyfin/config:/config'], ['--volume', '/srv/data/movies:/data/movies:ro'],
      ['--volume', '/srv/data/series:/data/series:ro'], ['--volume', '/srv/data/mp3:/data/mp3:ro'],
    ],
    spelled: ['--rm', '--net', '--name', '-e', '-v', '-v', '-v', '-v'],
    containerName: 'jellyfin',
    network: 'host',
    ports: [],
    volumes: [
      bind('/srv/jellyfin/config', '/config'),
      bind('/srv/data/movies', '/data/movies', true),
      bind('/srv/data/series', '/data/series', true),
      bind('/srv/data/mp3', '/data/mp3', true),
    ],
  },
  {
    name: 'seed: samba with four ports, --tmpfs=/run, a bind and a command',
    argv: cmd('/usr/bin/docker run -p 137:137 -p 138:138 -p 139:139 -p 445:445 --tmpfs=/run -v /srv/data:/srv/data --name smb -t smb-prepared /usr/sbin/smbd --foreground --debug-stdout --no-process-group'),
    image: 'smb-prepared',
    imageWord: 16,
    args: ['/usr/sbin/smbd', '--foreground', '--debug-stdout', '--no-process-group'],
    labels: ['-p 137:137', '-p 138:138', '-p 139:139', '-p 445:445', '--tmpfs=/run', '-v /srv/data:/srv/data', '--name smb', '-t'],
    containerName: 'smb',
    ports: [tcp(137, 137), tcp(138, 138), tcp(139, 139), tcp(445, 445)],
    volumes: [{ kind: 'tmpfs', target: '/run', readOnly: false, options: [] }, bind('/srv/data', '/srv/data')],
  },
  {
    name: 'seed: samba preparation run with sh -c payload',
    argv: [
      '/usr/bin/docker', 'run', '--name', 'smb-prep', 'stapelberg/docker-samba', 'sh', '-c',
      'adduser --quiet --disabled-password --gecos "" --uid 29901 michael && sed -i "s,x,y,g" /etc/samba/smb.conf',
    ],
    image: 'stapelberg/docker-samba',
    imageWord: 4,
    args: ['sh', '-c', 'adduser --quiet --disabled-password --gecos "" --uid 29901 michael && sed -i "s,x,y,g" /etc/samba/smb.conf'],
    flags: [['--name', 'smb-prep']],
    containerName: 'smb-prep',
  },
  {
    name: 'seed: rrsync forced command with --log-driver none, -i and a bare -e',
    argv: cmd('docker run --log-driver none -i -e SSH_ORIGINAL_COMMAND -v /srv/backup/midna:/srv/backup/midna stapelberg/docker-rsync /srv/backup/midna'),
    image: 'stapelberg/docker-rsync',
    imageWord: 9,
    args: ['/srv/backup/midna'],
    flags: [['--log-driver', 'none'], ['--interactive'], ['--env', 'SSH_ORIGINAL_COMMAND'], ['--volume', '/srv/backup/midna:/srv/backup/midna']],
    volumes: [bind('/srv/backup/midna', '/srv/backup/midna')],
  },
  {
    name: 'seed: sync forced command with five binds, four read-only',
    argv: cmd('docker run --log-driver none -i -e SSH_ORIGINAL_COMMAND -v /srv/data:/srv/data -v /root/.ssh:/root/.ssh:ro -v /etc/ssh:/etc/ssh:ro -v /etc/static/ssh:/etc/static/ssh:ro -v /nix/store:/nix/store:ro stapelberg/docker-sync'),
    image: 'stapelberg/docker-sync',
    args: [],
    volumes: [
      bind('/srv/data', '/srv/data'),
      bind('/root/.ssh', '/root/.ssh', true),
      bind('/etc/ssh', '/etc/ssh', true),
      bind('/etc/static/ssh', '/etc/static/ssh', true),
      bind('/nix/store', '/nix/store', true),
    ],
  },
  { name: 'seed: docker run -ti debian', argv: cmd('docker run -ti debian'), image: 'debian', flags: [['--tty'], ['--interactive']], labels: ['-t', '-i'] },
  { name: 'seed: pull', argv: cmd('/usr/bin/docker pull stapelberg/docker-samba:latest'), verb: 'pull', args: ['stapelberg/docker-samba:latest'], flags: [], image: null, foreground: false },
  { name: 'seed: kill', argv: cmd('/usr/bin/docker kill smb'), verb: 'kill', args: ['smb'], flags: [] },
  { name: 'seed: rm', argv: cmd('/usr/bin/docker rm smb-prep'), verb: 'rm', args: ['smb-prep'], flags: [] },
  { name: 'seed: rm -f', argv: cmd('/usr/bin/docker rm -f nginx-healthz'), verb: 'rm', args: ['nginx-healthz'], flags: [['--force']] },
  { name: 'seed: commit', argv: cmd('/usr/bin/docker commit smb-prep smb-prepared'), verb: 'commit', args: ['smb-prep', 'smb-prepared'], flags: [] },
];

const FLAG_FORMS: Case[] = [
  { name: '--flag=value', argv: cmd('docker run --name=web nginx'), flags: [['--name', 'web']], labels: ['--name=web'], containerName: 'web', image: 'nginx' },
  { name: '--flag value', argv: cmd('docker run --name web nginx'), flags: [['--name', 'web']], labels: ['--name web'], image: 'nginx' },
  { name: '--flag= (empty value)', argv: cmd('docker run --entrypoint= nginx'), flags: [['--entrypoint', '']], image: 'nginx' },
  { name: 'short flag with separate value', argv: cmd('docker run -p 80:80 nginx'), flags: [['--publish', '80:80']], labels: ['-p 80:80'], ports: [tcp(80, 80)] },
  { name: 'short flag with attached value', argv: cmd('docker run -p80:80 nginx'), flags: [['--publish', '80:80']], labels: ['-p80:80'], spelled: ['-p'], ports: [tcp(80, 80)] },
  { name: 'short flag with =value', argv: cmd('docker run -p=8080:80 nginx'), flags: [['--publish', '8080:80']], labels: ['-p=8080:80'], ports: [tcp(80, 8080)] },
  { name: 'combined short bools -it', argv: cmd('docker run -it alpine sh'), flags: [['--interactive'], ['--tty']], image: 'alpine', args: ['sh'] },
  { name: 'combined short bools -dit', argv: cmd('docker run -dit alpine'), flags: [['--detach'], ['--interactive'], ['--tty']], spelled: ['-d', '-i', '-t'], foreground: false },
  {
    name: 'cluster ending in a valued flag, value in the next word',
    argv: cmd('docker run -itp 80:80 nginx'),
    flags: [['--interactive'], ['--tty'], ['--publish', '80:80']],
    labels: ['-i', '-t', '-p 80:80'],
    image: 'nginx',
    imageWord: 4,
  },
  { name: 'cluster ending in a valued flag, value attached', argv: cmd('docker run -itp80 nginx'), flags: [['--interactive'], ['--tty'], ['--publish', '80']], labels: ['-i', '-t', '-p80'], ports: [tcp(80)], imageWord: 3 },
  { name: 'valued short flag mid-cluster takes the rest of the word', argv: cmd('docker run -ew=x alpine'), flags: [['--env', 'w=x']], image: 'alpine' },
  { name: 'bool with =false', argv: cmd('docker run --sig-proxy=false nginx'), flags: [['--sig-proxy', 'false']], image: 'nginx' },
  { name: 'short bool with =false', argv: cmd('docker run -d=false nginx'), flags: [['--detach', 'false']], foreground: true },
  { name: '--rm=true', argv: cmd('docker run --rm=true nginx'), flags: [['--rm', 'true']] },
  {
    name: 'bool flags do not take the next word',
    argv: cmd('docker run --rm --init --privileged --read-only -P --no-healthcheck --oom-kill-disable --use-api-socket alpine true'),
    flags: [['--rm'], ['--init'], ['--privileged'], ['--read-only'], ['--publish-all'], ['--no-healthcheck'], ['--oom-kill-disable'], ['--use-api-socket']],
    publishAll: true,
    image: 'alpine',
    args: ['true'],
  },
  { name: '-P=false keeps publishAll off', argv: cmd('docker run -P=false nginx'), publishAll: false },
  {
    name: 'a value that looks like a flag is still a value',
    argv: cmd('docker run -e FOO=--bar --entrypoint -x alpine'),
    flags: [['--env', 'FOO=--bar'], ['--entrypoint', '-x']],
    image: 'alpine',
  },
  {
    name: 'a value that is exactly a flag name (and no valid container name)',
    argv: cmd('docker run --name --rm nginx'),
    flags: [['--name', '--rm']],
    containerName: null,
    image: 'nginx',
    diagnostics: [['error', 'docker/bad-name']],
    unsupported: ['--name --rm'],
  },
  { name: 'a container name from a systemd specifier is taken as written', argv: cmd('docker run --name web-%i nginx'), containerName: 'web-%i' },
  {
    name: '-- ends the flags before the image',
    argv: cmd('docker run --rm -- alpine ls -la'),
    flags: [['--rm']],
    image: 'alpine',
    imageWord: 4,
    args: ['ls', '-la'],
  },
  {
    name: 'flags after the image belong to the command',
    argv: cmd('docker run alpine --rm -p 80:80 -- x'),
    flags: [],
    image: 'alpine',
    args: ['--rm', '-p', '80:80', '--', 'x'],
    ports: [],
  },
  { name: 'a lone - is a plain word (the image position)', argv: cmd('docker run -i - x'), flags: [['--interactive']], image: '-', diagnostics: [['warning', 'docker/bad-image']] },
  { name: 'deprecated alias --net-alias', argv: cmd('docker run --net-alias=db postgres'), flags: [['--network-alias', 'db']], spelled: ['--net-alias'] },
  { name: 'hidden alias --dns-opt', argv: cmd('docker run --dns-opt ndots:1 alpine'), flags: [['--dns-option', 'ndots:1']] },
  { name: 'short aliases -u -w -h -l -m -c -a', argv: cmd('docker run -u 1000:1000 -w /app -h box -l a=b -m 512m -c 512 -a stdout alpine'), flags: [['--user', '1000:1000'], ['--workdir', '/app'], ['--hostname', 'box'], ['--label', 'a=b'], ['--memory', '512m'], ['--cpu-shares', '512'], ['--attach', 'stdout']], image: 'alpine' },
  { name: '--restart value', argv: cmd('docker run --restart=unless-stopped nginx'), restart: 'unless-stopped' },
  { name: '--restart on-failure:5', argv: cmd('docker run --restart on-failure:5 nginx'), restart: 'on-failure:5' },
  { name: 'the last --name wins', argv: cmd('docker run --name first --name second nginx'), containerName: 'second' },
  { name: 'a one-letter container name is refused, as Docker does', argv: cmd('docker run --name a nginx'), containerName: null, diagnostics: [['error', 'docker/bad-name']], unsupported: ['--name a'] },
  { name: '--network with a user network', argv: cmd('docker run --network backend nginx'), network: 'backend' },
  { name: '--network long syntax names the network', argv: cmd('docker run --network name=backend,alias=web nginx'), network: 'backend' },
  { name: 'the first --network is the network mode', argv: cmd('docker run --network a --network b nginx'), network: 'a', flags: [['--network', 'a'], ['--network', 'b']] },
  { name: '--network container:x', argv: cmd('docker run --net container:vpn nginx'), network: 'container:vpn' },
  {
    name: 'image with registry, port, tag and digest',
    argv: ['docker', 'run', '--rm', `registry:5000/ns/img:tag@sha256:${'a'.repeat(64)}`, 'serve'],
    image: `registry:5000/ns/img:tag@sha256:${'a'.repeat(64)}`,
    imageWord: 3,
    args: ['serve'],
  },
  { name: 'image with a registry host and no tag', argv: cmd('docker run ghcr.io/home-assistant/home-assistant'), image: 'ghcr.io/home-assistant/home-assistant', imageWord: 2 },
  { name: 'image given by a systemd variable is not judged', argv: cmd('docker run --rm ${IMAGE}'), image: '${IMAGE}' },
  { name: 'docker create has the same table', argv: cmd('docker create --name box -v data:/data busybox'), verb: 'create', containerName: 'box', volumes: [{ kind: 'volume', source: 'data', target: '/data', readOnly: false, options: [] }], foreground: false },
  { name: 'container run is normalised to run', argv: cmd('docker container run --rm alpine'), verb: 'run', verbWord: 2, image: 'alpine', imageWord: 4 },
  { name: 'container create is normalised to create', argv: cmd('docker container create alpine'), verb: 'create', verbWord: 2, image: 'alpine' },
  { name: 'a removed flag is kept with its arity and reported', argv: cmd('docker run --cpuset 0-1 nginx'), flags: [['--cpuset', '0-1']], image: 'nginx', diagnostics: [['warning', 'docker/removed-flag']] },
  { name: 'a deprecated flag is reported as info', argv: cmd('docker run --kernel-memory 50m nginx'), image: 'nginx', diagnostics: [['info', 'docker/deprecated-flag']] },
  {
    name: 'ports: ranges, udp, sctp, random host port, IPv6',
    argv: cmd('docker run -p 8000-8010:8000-8010 -p 53:53/udp -p 9:9/SCTP -p 127.0.0.1::80 -p [::1]:8443:443 -p 7000-7005:7000 nginx'),
    ports: [
      { hostPort: r(8000, 8010), containerPort: r(8000, 8010), protocol: 'tcp' },
      { hostPort: r(53), containerPort: r(53), protocol: 'udp' },
      { hostPort: r(9), containerPort: r(9), protocol: 'sctp' },
      { hostIp: '127.0.0.1', containerPort: r(80), protocol: 'tcp' },
      { hostIp: '::1', hostPort: r(8443), containerPort: r(443), protocol: 'tcp' },
      { hostPort: r(7000, 7005), containerPort: r(7000), protocol: 'tcp' },
    ],
  },
  {
    name: 'volumes: named, anonymous, options, --mount and --tmpfs in order',
    argv: cmd('docker run -v pgdata:/var/lib/postgresql/data -v /cache -v /a:/b:ro,z --mount type=bind,src=/etc/x,dst=/x,readonly --mount type=volume,source=v1,target=/v,volume-nocopy --mount type=tmpfs,destination=/tmp,tmpfs-size=64m --tmpfs /run:rw,size=64m postgres'),
    volumes: [
      { kind: 'volume', source: 'pgdata', target: '/var/lib/postgresql/data', readOnly: false, options: [] },
      { kind: 'anonymous', target: '/cache', readOnly: false, options: [] },
      bind('/a', '/b', true, ['z']),
      bind('/etc/x', '/x', true),
      { kind: 'volume', source: 'v1', target: '/v', readOnly: false, options: ['volume-nocopy'] },
      { kind: 'tmpfs', target: '/tmp', readOnly: false, options: ['tmpfs-size=64m'] },
      { kind: 'tmpfs', target: '/run', readOnly: false, options: ['size=64m'] },
    ],
  },
];

const GLOBALS_AND_VERBS: Case[] = [
  {
    name: 'global -H before the verb',
    argv: cmd('docker -H tcp://nas:2375 run --rm alpine'),
    verb: 'run',
    verbWord: 3,
    flags: [['--host', 'tcp://nas:2375'], ['--rm']],
    image: 'alpine',
    imageWord: 5,
  },
  {
    name: 'global -l and -c mean log level and context, not label and cpu shares',
    argv: cmd('docker -l debug -c remote --tlsverify -D run -l x=y -c 2 alpine'),
    verbWord: 7,
    flags: [['--log-level', 'debug'], ['--context', 'remote'], ['--tlsverify'], ['--debug'], ['--label', 'x=y'], ['--cpu-shares', '2']],
    image: 'alpine',
  },
  { name: 'global --config= and --tlscert', argv: cmd('docker --config=/etc/docker-cli --tlscert /c.pem pull nginx'), verb: 'pull', verbWord: 4, flags: [['--config', '/etc/docker-cli'], ['--tlscert', '/c.pem']], args: ['nginx'] },
  { name: 'start -a runs in the foreground', argv: cmd('docker start -a web'), verb: 'start', args: ['web'], flags: [['--attach']], foreground: true },
  { name: 'start without -a returns at once', argv: cmd('docker start web'), verb: 'start', foreground: false },
  { name: 'container start --attach', argv: cmd('docker container start --attach --interactive web'), verb: 'start', verbWord: 2, flags: [['--attach'], ['--interactive']], foreground: true },
  { name: 'stop -t takes a value', argv: cmd('docker stop -t 30 web'), verb: 'stop', flags: [['--timeout', '30']], args: ['web'] },
  { name: 'stop --time (deprecated spelling)', argv: cmd('docker stop --time=5 web'), flags: [['--timeout', '5']], spelled: ['--time'] },
  { name: 'kill -s', argv: cmd('docker kill -s HUP smb'), verb: 'kill', flags: [['--signal', 'HUP']], args: ['smb'] },
  { name: 'rm flags may follow the container (interspersed)', argv: cmd('docker rm smb -fv'), verb: 'rm', flags: [['--force'], ['--volumes']], args: ['smb'] },
  { name: 'rm of several containers', argv: cmd('docker container rm -f a b'), verb: 'rm', args: ['a', 'b'] },
  { name: 'container remove is rm', argv: cmd('docker container remove a'), verb: 'rm' },
  {
    name: 'exec stops at the container: the rest is the command',
    argv: cmd('docker exec -it -u root -e A=1 web sh -c true'),
    verb: 'exec',
    flags: [['--interactive'], ['--tty'], ['--user', 'root'], ['--env', 'A=1']],
    args: ['web', 'sh', '-c', 'true'],
    foreground: false,
  },
  { name: 'logs -f --tail 100', argv: cmd('docker logs -f --tail 100 web'), verb: 'logs', flags: [['--follow'], ['--tail', '100']], args: ['web'] },
  { name: 'wait', argv: cmd('docker wait web'), verb: 'wait', args: ['web'], flags: [] },
  { name: 'commit -c takes a value', argv: ['docker', 'commit', '-c', 'CMD ["x"]', '-m', 'msg', 'c1', 'img'], verb: 'commit', flags: [['--change', 'CMD ["x"]'], ['--message', 'msg']], args: ['c1', 'img'] },
  { name: 'image pull normalises to pull', argv: cmd('docker image pull --platform linux/arm64 nginx'), verb: 'pull', verbWord: 2, flags: [['--platform', 'linux/arm64']], args: ['nginx'] },
  { name: 'image rm normalises to rmi', argv: cmd('docker image rm -f nginx'), verb: 'rmi', flags: [['--force']], args: ['nginx'] },
  {
    name: 'an unknown verb is parsed leniently without warnings',
    argv: cmd('docker network create --driver=bridge --internal backend'),
    verb: 'network create',
    verbWord: 2,
    flags: [['--driver', 'bridge'], ['--internal']],
    args: ['backend'],
  },
  { name: 'compose keeps both words', argv: cmd('docker compose -f /srv/app/compose.yml up'), verb: 'compose', verbWord: 1, flags: [['-f']], args: ['/srv/app/compose.yml', 'up'] },
];

const ERRORS: Case[] = [
  { name: 'run without an image', argv: cmd('docker run --rm'), image: null, args: [], flags: [['--rm']], diagnostics: [['error', 'docker/no-image']] },
  { name: 'run with only flags ending in --', argv: cmd('docker run -d --'), image: null, diagnostics: [['error', 'docker/no-image']] },
  {
    name: 'a valued flag at the end: missing value and no image',
    argv: cmd('docker run --name'),
    image: null,
    flags: [['--name']],
    diagnostics: [['error', 'docker/missing-value'], ['error', 'docker/no-image']],
    unsupported: ['--name'],
  },
  {
    name: 'a bool with a bad value',
    argv: cmd('docker run --rm=yes nginx'),
    flags: [['--rm', 'yes']],
    diagnostics: [['error', 'docker/bad-bool']],
    unsupported: ['--rm=yes'],
  },
  {
    name: 'bad port: not a number',
    argv: cmd('docker run -p 80:http nginx'),
    ports: [],
    diagnostics: [['error', 'docker/bad-port']],
    unsupported: ['-p 80:http'],
  },
  { name: 'bad port: out of range', argv: cmd('docker run -p 70000:80 nginx'), ports: [], diagnostics: [['error', 'docker/bad-port']], unsupported: ['-p 70000:80'] },
  { name: 'bad port: unknown protocol', argv: cmd('docker run -p 80/icmp nginx'), diagnostics: [['error', 'docker/bad-port']], unsupported: ['-p 80/icmp'] },
  { name: 'bad port: ranges of different length', argv: cmd('docker run -p 8000-8002:80-81 nginx'), diagnostics: [['error', 'docker/bad-port']], unsupported: ['-p 8000-8002:80-81'] },
  {
    name: 'a port with a systemd variable is reported, not guessed',
    argv: cmd('docker run -p ${PORT}:80 -p 81:81 nginx'),
    ports: [tcp(81, 81)],
    diagnostics: [['warning', 'docker/variable-value']],
  },
  { name: 'bad volume: relative container path', argv: cmd('docker run -v /a:data nginx'), volumes: [], diagnostics: [['error', 'docker/bad-volume']], unsupported: ['-v /a:data'] },
  { name: 'bad volume: unknown option', argv: cmd('docker run -v /a:/b:rx nginx'), diagnostics: [['error', 'docker/bad-volume']], unsupported: ['-v /a:/b:rx'] },
  { name: 'bad mount: unknown key', argv: cmd('docker run --mount type=bind,src=/a,dst=/b,colour=red nginx'), diagnostics: [['error', 'docker/bad-mount']], unsupported: ['--mount type=bind,src=/a,dst=/b,colour=red'] },
  { name: 'bad tmpfs: relative path', argv: cmd('docker run --tmpfs run nginx'), diagnostics: [['error', 'docker/bad-tmpfs']], unsupported: ['--tmpfs run'] },
  { name: 'relative bind source is a warning', argv: cmd('docker run -v ./conf:/conf nginx'), volumes: [bind('./conf', '/conf')], diagnostics: [['warning', 'docker/relative-bind']] },
  { name: 'bad restart policy', argv: cmd('docker run --restart=always:3 nginx'), diagnostics: [['error', 'docker/bad-restart']], unsupported: ['--restart=always:3'] },
  {
    name: 'unknown long flag with =value is kept with its value',
    argv: cmd('docker run --frobnicate=3 nginx'),
    flags: [['--frobnicate', '3']],
    image: 'nginx',
    diagnostics: [['warning', 'docker/unknown-flag']],
  },
  {
    name: 'unknown long flag without = is guessed to take no value',
    argv: cmd('docker run --frobnicate nginx echo'),
    flags: [['--frobnicate']],
    image: 'nginx',
    args: ['echo'],
    diagnostics: [['warning', 'docker/unknown-flag']],
  },
  { name: 'unknown short flag inside a cluster', argv: cmd('docker run -itx alpine'), flags: [['--interactive'], ['--tty'], ['-x']], image: 'alpine', diagnostics: [['warning', 'docker/unknown-flag']] },
  { name: 'a run-only flag given to create keeps its arity', argv: cmd('docker create -d --detach-keys ctrl-x alpine'), verb: 'create', flags: [['--detach'], ['--detach-keys', 'ctrl-x']], image: 'alpine', diagnostics: [['warning', 'docker/run-only-flag'], ['warning', 'docker/run-only-flag']] },
  { name: 'unknown global flag', argv: cmd('docker --frob run alpine'), verb: 'run', flags: [['--frob']], image: 'alpine', diagnostics: [['warning', 'docker/unknown-flag']] },
  { name: 'unknown flag of a housekeeping verb', argv: cmd('docker rm --frob x'), verb: 'rm', flags: [['--frob']], args: ['x'], diagnostics: [['warning', 'docker/unknown-flag']] },
  { name: 'invalid image reference', argv: cmd('docker run MyImage'), image: 'MyImage', diagnostics: [['warning', 'docker/bad-image']] },
];

describe('recognizeDocker', () => {
  const all = [...SEED, ...FLAG_FORMS, ...GLOBALS_AND_VERBS, ...ERRORS];

  it('has enough cases to mean something', () => {
    expect(all.length).toBeGreaterThanOrEqual(80);
  });

  it.each(all.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { inv, ledger, parent } = recognize(c.argv);
    expect(inv).toBeDefined();
    if (inv === undefined) return;

    if (c.verb !== undefined) expect(inv.verb).toBe(c.verb);
    if (c.verbWord !== undefined) expect(inv.verbWord).toBe(c.verbWord);
    if (c.image === null) expect(inv.image).toBeUndefined();
    else if (c.image !== undefined) expect(inv.image).toBe(c.image);
    if (c.imageWord !== undefined) expect(inv.imageWord).toBe(c.imageWord);
    if (c.args !== undefined) expect(inv.args).toEqual(c.args);
    if (c.flags !== undefined) {
      expect(inv.flags.map((f) => (f.value === undefined ? [f.name] : [f.name, f.value]))).toEqual(c.flags);
    }
    if (c.spelled !== undefined) expect(inv.flags.map((f) => f.spelled)).toEqual(c.spelled);
    if (c.labels !== undefined) expect(inv.flags.map((f) => f.item.label)).toEqual(c.labels);
    if (c.containerName === null) expect(inv.containerName).toBeUndefined();
    else if (c.containerName !== undefined) expect(inv.containerName).toBe(c.containerName);
    if (c.network !== undefined) expect(inv.network).toBe(c.network);
    if (c.restart !== undefined) expect(inv.restart).toBe(c.restart);
    if (c.publishAll !== undefined) expect(inv.publishAll).toBe(c.publishAll);
    if (c.ports !== undefined) expect(inv.ports.map(portView)).toEqual(c.ports);
    if (c.volumes !== undefined) expect(inv.volumes.map(volumeView)).toEqual(c.volumes);
    if (c.foreground !== undefined) expect(runsInForeground(inv)).toBe(c.foreground);

    expect(ledger.diagnostics.map((d) => [d.severity, d.code])).toEqual(c.diagnostics ?? []);
    for (const d of ledger.diagnostics) {
      expect(d.origin?.file).toBe(FILE);
    }
    const unsupported = ledger.items.filter((i) => ledger.fate(i)?.kind === 'unsupported').map((i) => i.label);
    expect(unsupported).toEqual(c.unsupported ?? []);
    // Only parse failures are settled here; the strategies settle the rest.
    expect(ledger.fates.size).toBe(unsupported.length);

    // Every flag is one ledger item under the directive, and nothing else was registered.
    const flagItems = ledger.items.filter((i) => i.kind === 'flag');
    expect(flagItems.map((i) => i.id)).toEqual(inv.flags.map((f) => f.item.id));
    expect(ledger.items.length).toBe(flagItems.length + 1);
    for (const item of flagItems) expect(item.parent).toBe(parent.id);
    // A port or volume points back at its flag.
    for (const p of inv.ports) expect(inv.flags).toContain(p.flag);
    for (const v of inv.volumes) expect(inv.flags).toContain(v.flag);
  });
});

describe('recognizeDocker: origins', () => {
  it('places each flag item at its word, and cluster members at their letter', () => {
    // offsets:   0      7   11  15
    const { inv } = recognize(cmd('docker run -it --name xy alpine'));
    expect(inv?.flags.map((f) => [f.spelled, f.item.origin.column, f.word])).toEqual([
      ['-i', 12, 2],
      ['-t', 14, 2],
      ['--name', 16, 3],
    ]);
  });

  it('points a bad port diagnostic at the value, in the next word or after =', () => {
    const separate = recognize(cmd('docker run -p 80:x nginx'));
    expect(separate.ledger.diagnostics[0]?.origin).toEqual({ file: FILE, line: 3, column: 15 });
    const inline = recognize(cmd('docker run --publish=80:x nginx'));
    expect(inline.ledger.diagnostics[0]?.origin).toEqual({ file: FILE, line: 3, column: 22 });
  });

  it('follows ExecWord offsets for escaped words', () => {
    // The raw text is `docker run --name "a b" nginx`: the value `a b` starts after the quote.
    const words: ExecWord[] = [
      { value: 'docker', start: 0, end: 6, offsets: [0, 1, 2, 3, 4, 5] },
      { value: 'run', start: 7, end: 10, offsets: [7, 8, 9] },
      { value: '--publish=80:x', start: 11, end: 27, offsets: [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25] },
      { value: 'nginx', start: 28, end: 33, offsets: [28, 29, 30, 31, 32] },
    ];
    const ledger = new Ledger();
    const parent = ledger.item('directive', 'ExecStart=', { file: FILE, line: 3, column: 1 });
    recognizeDocker(words, at, parent, ledger);
    // The flag is at the word's start (the quote); the value at its first character's offset.
    expect(ledger.items[1]?.origin.column).toBe(12);
    expect(ledger.diagnostics[0]?.origin?.column).toBe(23);
  });

  it('points a missing image at the verb', () => {
    const { ledger } = recognize(cmd('docker -D run --rm'));
    expect(ledger.diagnostics[0]?.origin).toEqual({ file: FILE, line: 3, column: 11 });
  });
});

describe('recognizeDocker: what it is not', () => {
  it.each([
    ['a different program', cmd('/usr/bin/nerdctl run alpine')],
    ['docker-compose', cmd('docker-compose up')],
    ['a shell', ['/bin/sh', '-c', 'docker run alpine']],
    ['an empty command line', []],
  ])('returns undefined for %s and registers nothing', (_name, argv) => {
    const { inv, ledger } = recognize(argv);
    expect(inv).toBeUndefined();
    expect(ledger.items.length).toBe(1);
    expect(ledger.diagnostics).toEqual([]);
  });

  it('warns about docker without a verb and returns undefined', () => {
    const { inv, ledger } = recognize(cmd('docker --version'));
    expect(inv).toBeUndefined();
    expect(ledger.items.length).toBe(1);
    expect(ledger.diagnostics.map((d) => d.code)).toEqual(['docker/no-verb']);
  });

  it('recognises docker by basename anywhere', () => {
    for (const program of ['docker', '/usr/bin/docker', '${pkgs.docker}/bin/docker', '/nix/store/abc-docker-27/bin/docker']) {
      expect(recognize([program, 'ps']).inv?.verb).toBe('ps');
    }
  });
});

describe('recognizeDocker: messages', () => {
  it('says what it guessed about an unknown flag, and how to make it unambiguous', () => {
    const { ledger } = recognize(cmd('docker run --frobnicate nginx'));
    const d = ledger.diagnostics[0];
    expect(d?.message).toContain('`--frobnicate`');
    expect(d?.message).toContain('assumed it takes no value');
    expect(d?.message).toContain('`nginx` was read as the image');
    expect(d?.hint).toContain('--frobnicate=VALUE');
  });

  it('names run-only flags given to create', () => {
    const { ledger } = recognize(cmd('docker create --sig-proxy=false alpine'));
    expect(ledger.diagnostics[0]?.message).toContain('`docker create` does not accept `--sig-proxy`, a `docker run` flag');
  });

  it('explains a bad port', () => {
    const { ledger } = recognize(cmd('docker run -p 1.2.3:80:80 nginx'));
    expect(ledger.diagnostics[0]?.message).toContain('`1.2.3` is not an IP address');
    expect(ledger.diagnostics[0]?.hint).toBeDefined();
  });
});

describe('recognizeDocker: podman', () => {
  // The Fedora CoreOS example unit (Butane docs): housekeeping around `podman run`.
  const FCOS = ['/bin/podman', 'run', '--name', 'busybox1', '-p', '8080:80', '-v', '/var/srv:/srv:z', 'busybox', '/bin/sh', '-c', 'echo hi'];

  it('reads podman by basename, with Docker\'s flags, and records the engine', () => {
    const { inv, ledger } = recognize(FCOS);
    expect(inv).toMatchObject({ engine: 'podman', verb: 'run', image: 'busybox', containerName: 'busybox1', args: ['/bin/sh', '-c', 'echo hi'] });
    expect(inv!.ports.map(portView)).toEqual([tcp(80, 8080)]);
    expect(inv!.volumes.map(volumeView)).toEqual([bind('/var/srv', '/srv', false, ['z'])]);
    expect(ledger.diagnostics).toEqual([]);
    for (const verb of ['kill', 'rm', 'pull']) expect(recognize(['/usr/bin/podman', verb, 'busybox1']).inv).toMatchObject({ engine: 'podman', verb, args: ['busybox1'] });
    expect(recognize(cmd('docker run alpine')).inv?.engine).toBe('docker');
  });

  it('knows podman\'s own run flags and their arity: the image is where podman finds it', () => {
    const argv = cmd(
      'podman run --pod web --userns keep-id --systemd always --sdnotify conmon --rootfs --pidfile /run/a.pid --uidmap 0:100000:5000 --gidmap 0:100000:5000 --subuidname app --group-add keep-groups --hostuser app --passwd-entry x --http-proxy --image-volume tmpfs --personality LINUX32 --preserve-fds 2 --requires db --secret tok,type=env --tz local --umask 0027 --unsetenv PATH --variant v7 --arch arm --os linux --env-host --env-merge P=${P}:/x --gpus all --label-file /etc/l --log-opt max-size=1m -d nginx:1',
    );
    const { inv, ledger } = recognize(argv);
    expect(inv).toMatchObject({ engine: 'podman', image: 'nginx:1', args: [] });
    expect(ledger.diagnostics).toEqual([]);
    expect(inv!.flags.find((f) => f.name === '--userns')?.value).toBe('keep-id');
  });

  it('reads podman-only volume options and mount types without complaint', () => {
    const { inv, ledger } = recognize(cmd('podman run -v /srv/a:/a:U,O -v /srv/b:/b:idmap,noexec --mount type=image,source=alpine,target=/img --mount type=devpts,destination=/dev/pts alpine'));
    expect(ledger.diagnostics).toEqual([]);
    expect(inv!.volumes.map((v) => v.source)).toEqual(['/srv/a', '/srv/b']);
    // Docker refuses them, and says so.
    expect(recognize(cmd('docker run -v /srv/a:/a:U alpine')).ledger.diagnostics.map((d) => d.code)).toEqual(['docker/bad-volume']);
  });

  it('warns about a Docker flag podman refuses, keeping its arity', () => {
    const { inv, ledger } = recognize(cmd('podman run --link db:db nginx'));
    expect(inv?.image).toBe('nginx');
    expect(ledger.diagnostics.map((d) => [d.code, d.message])).toEqual([['podman/docker-only-flag', expect.stringContaining('`podman run` does not accept `--link`')]]);
  });

  it('names podman in its messages, and reads podman\'s global flags', () => {
    expect(recognize(cmd('podman run --frobnicate nginx')).ledger.diagnostics[0]?.message).toContain('`podman run` has no flag `--frobnicate`');
    expect(recognize(cmd('podman create --rmi alpine')).ledger.diagnostics[0]?.message).toContain('`podman create` does not accept `--rmi`');
    const global = recognize(cmd('podman --root /srv/containers --log-level debug run alpine'));
    expect(global.inv).toMatchObject({ verb: 'run', verbWord: 5, image: 'alpine' });
    expect(global.ledger.diagnostics).toEqual([]);
    expect(recognize(cmd('podman pod create --name web')).inv?.verb).toBe('pod create');
    expect(recognize(cmd('podman rm --ignore -f web')).ledger.diagnostics).toEqual([]);
  });
});
