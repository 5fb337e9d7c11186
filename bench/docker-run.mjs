// `docker run` parsing benchmark: the same list of varied command lines
// through nixport (reader, plan checks and flag table, to the oci-containers
// options) and, when it is installed, through composerize (docker run to a
// Compose service). composerize is a dev dependency of this benchmark only:
//   npm install --save-dev --save-exact composerize@1.7.6
// Without it, nixport's numbers are printed alone. Run with `npm run bench`
// (it builds dist/ first) or `node bench/docker-run.mjs` after a build.
import { performance } from 'node:perf_hooks';
import { dockerRunToContainer } from '../dist/index.js';

/** Flags and values as people write them, each a list to pick from. */
const IMAGES = [
  'nginx:1',
  'lscr.io/linuxserver/jellyfin:latest',
  'postgres:16',
  'redis:7-alpine',
  'ghcr.io/immich-app/immich-server:v1.106.4',
  'quay.io/prometheus/node-exporter:v1.8.2',
  'traefik:v3.0',
  'grafana/grafana-oss:11.0.0',
  'registry:5000/team/app:2024.06',
  'eclipse-mosquitto@sha256:9c367186df9a6b18c6735357b8eb7f407347e84aea09beb184961cb83543d46e',
];
const PORTS = ['-p 80:80', '-p 8080:80', '--publish 10.0.0.252:8200:80', '-p 127.0.0.1:5432:5432', '-p 53:53/udp', '-p 8000-8010:8000-8010', '-p [::1]:9000:9000', '--publish=443:443/tcp', '-p 3000'];
const VOLUMES = [
  '-v /srv/data:/data',
  '-v /srv/config:/config:ro',
  '--volume=/etc/localtime:/etc/localtime:ro',
  '-v pgdata:/var/lib/postgresql/data',
  '-v /srv/media:/media:ro,z',
  '--mount type=bind,src=/srv/a,dst=/a,readonly',
  '--mount type=volume,source=cache,target=/cache',
  '--tmpfs /run:rw,size=64m',
  '-v /var/run/docker.sock:/var/run/docker.sock',
];
const ENV = ['-e TZ=Europe/Zurich', '-e PUID=1000 -e PGID=1000', '--env LOG_LEVEL=info', "-e 'JAVA_OPTS=-Xmx512m -Xms256m'", '--env-file /etc/app.env', '-e POSTGRES_PASSWORD=hunter2', '-e "GREETING=hello world"'];
const MISC = [
  '--restart=always',
  '--restart unless-stopped',
  '--restart on-failure:3',
  '--net=host',
  '--network web',
  '--network-alias api',
  '--cap-add NET_ADMIN',
  '--cap-drop ALL --cap-add NET_BIND_SERVICE',
  '--device /dev/dri:/dev/dri',
  '--privileged',
  '--memory 512m --cpus 1.5',
  '--shm-size=256m',
  '--ulimit nofile=65536:65536',
  '--health-cmd "curl -f http://localhost/ || exit 1" --health-interval 30s',
  '--log-driver journald',
  '--log-opt max-size=10m',
  '--add-host host.docker.internal:host-gateway',
  '--dns 1.1.1.1',
  '-u 1000:1000',
  '-w /app',
  '--hostname web1',
  '-l traefik.enable=true',
  "--label 'traefik.http.routers.web.rule=Host(`example.org`)'",
  '--init',
  '--read-only',
  '--security-opt no-new-privileges',
  '--sysctl net.core.somaxconn=1024',
  '--pids-limit 200',
  '--stop-timeout 30',
  '--pull always',
  '--gpus all',
  '-it',
  '--rm',
];
const COMMANDS = ['', '', '', 'nginx -g "daemon off;"', '--path.rootfs=/host --collector.systemd', 'sh -c "exec app --port 8080"', 'postgres -c shared_buffers=256MB'];

/** A deterministic pseudo-random pick, so every run parses the same list. */
function picker(seed) {
  let x = seed;
  return (list) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return list[x % list.length];
  };
}

export function commands(count) {
  const pick = picker(42);
  const out = [];
  for (let i = 0; i < count; i++) {
    const parts = ['docker run -d', `--name app${i}`];
    const flags = 2 + (i % 7);
    for (let k = 0; k < flags; k++) parts.push(pick(pick([PORTS, VOLUMES, ENV, MISC, MISC])));
    parts.push(pick(IMAGES));
    const cmd = pick(COMMANDS);
    if (cmd) parts.push(cmd);
    // Every third command is written over several lines, as in scripts.
    out.push(i % 3 === 0 ? parts.filter(Boolean).join(' \\\n  ') : parts.filter(Boolean).join(' '));
  }
  return out;
}

function time(fn, list, rounds) {
  for (const c of list) fn(c); // warm up the JIT
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (const c of list) fn(c);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const list = commands(240);
const converted = list.filter((c) => dockerRunToContainer(c).container !== undefined).length;
const nixportMs = time((c) => dockerRunToContainer(c), list, 15);
const perSecond = (ms) => Math.round((list.length / ms) * 1000);
console.log(`docker run parsing: ${list.length} varied commands (${converted} converted to containers)`);
console.log(`  nixport:     ${nixportMs.toFixed(1).padStart(7)} ms per pass, ${perSecond(nixportMs).toLocaleString('en')} commands/s`);

let composerize;
try {
  const mod = await import('composerize');
  composerize = mod.default ?? mod;
  if (typeof composerize !== 'function') composerize = composerize.default;
} catch {
  composerize = undefined;
}
if (typeof composerize !== 'function') {
  console.log('  composerize: not installed (npm install --save-dev --save-exact composerize@1.7.6), nixport alone');
} else {
  // composerize reads one line; continuation lines are joined for it.
  const flat = list.map((c) => c.replace(/ \\\n\s*/g, ' '));
  const ok = flat.filter((c) => {
    try {
      composerize(c);
      return true;
    } catch {
      return false;
    }
  }).length;
  const guard = (c) => {
    try {
      composerize(c);
    } catch {
      // counted above
    }
  };
  const composerizeMs = time(guard, flat, 15);
  console.log(`  composerize: ${composerizeMs.toFixed(1).padStart(7)} ms per pass, ${perSecond(composerizeMs).toLocaleString('en')} commands/s (${ok} converted)`);
  console.log(`  ratio:       nixport is ${(composerizeMs / nixportMs).toFixed(1)}x composerize's throughput (target >= 10x)`);
}
