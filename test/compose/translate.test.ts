import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { codes, container, convertCompose, unit } from './helpers.ts';

const compose = (body: string) => ({ 'stack/compose.yml': body });

describe('a Compose service becomes an oci-containers container', () => {
  const c = convertCompose(
    compose(
      [
        'name: media',
        'services:',
        '  web:',
        '    image: nginx:1.27',
        '    container_name: web',
        '    command: nginx -g "daemon off;"',
        '    entrypoint: ["/docker-entrypoint.sh", "--verbose"]',
        '    environment:',
        '      - TZ=Europe/Berlin',
        '      - PLACEHOLDER',
        '    ports:',
        '      - "8080:80"',
        '      - target: 443',
        '        published: "8443"',
        '        host_ip: 127.0.0.1',
        '        protocol: tcp',
        '      - "5000-5002:5000-5002/udp"',
        '    expose: ["9000"]',
        '    volumes:',
        '      - ./html:/usr/share/nginx/html:ro',
        '      - cache:/var/cache/nginx',
        '      - type: bind',
        '        source: /srv/certs',
        '        target: /certs',
        '        read_only: true',
        '        bind: { create_host_path: false }',
        '      - type: volume',
        '        source: cache',
        '        target: /sub',
        '        volume: { subpath: nested, nocopy: true }',
        '      - type: tmpfs',
        '        target: /run/tmp',
        '        tmpfs: { size: 64m, mode: 1777 }',
        '      - /anonymous',
        '    tmpfs: /tmp',
        '    user: "1000:1000"',
        '    working_dir: /srv',
        '    hostname: webhost',
        '    labels: ["traefik.enable=true"]',
        '    cap_add: [NET_ADMIN]',
        '    cap_drop: [ALL]',
        '    devices: ["/dev/dri:/dev/dri"]',
        '    sysctls: { net.core.somaxconn: 1024 }',
        '    ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: 512 }',
        '    shm_size: 256m',
        '    init: true',
        '    read_only: true',
        '    security_opt: ["no-new-privileges:true"]',
        '    privileged: false',
        '    extra_hosts: ["db.local=10.0.0.5", "v6:::1"]',
        '    dns: 1.1.1.1',
        '    logging: { driver: json-file, options: { max-size: 10m } }',
        '    stop_signal: SIGQUIT',
        '    stop_grace_period: 1m30s',
        '    restart: unless-stopped',
        '    x-notes: ignored',
        'volumes:',
        '  cache: {}',
        '',
      ].join('\n'),
    ),
    { compose: { projectDirectory: '/srv/media' } },
  );
  const web = container(c, 'web');

  it('keeps the image, splits the command as Compose does, and puts the entrypoint\'s first word in entrypoint', () => {
    expect(web['image']).toBe('nginx:1.27');
    expect(web['entrypoint']).toBe('/docker-entrypoint.sh');
    expect(web['cmd']).toEqual(['--verbose', 'nginx', '-g', 'daemon off;']);
  });
  it('publishes ports, the long syntax written short, ranges and protocols kept', () => {
    expect(web['ports']).toEqual(['8080:80', '127.0.0.1:8443:443', '5000-5002:5000-5002/udp']);
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toEqual([8080]);
    expect(c.option('networking', 'firewall', 'allowedUDPPortRanges')).toEqual([{ from: 5000, to: 5002 }]);
  });
  it('resolves relative bind mounts against the project directory, names volumes with the project prefix, and names an anonymous volume', () => {
    expect(web['volumes']).toEqual(['/srv/media/html:/usr/share/nginx/html:ro', 'media_cache:/var/cache/nginx', 'web-anonymous:/anonymous']);
    expect(web['extraOptions']).toEqual(
      expect.arrayContaining([
        '--mount=type=bind,source=/srv/certs,target=/certs,readonly',
        '--mount=type=volume,source=media_cache,target=/sub,volume-subpath=nested,volume-nocopy',
        '--tmpfs=/run/tmp:size=64m,mode=1777',
        '--tmpfs=/tmp',
      ]),
    );
  });
  it('maps the remaining keys onto options and flags', () => {
    expect(web).toMatchObject({ user: '1000:1000', workdir: '/srv', hostname: 'webhost', labels: { 'traefik.enable': 'true' }, capabilities: { NET_ADMIN: true, ALL: false }, devices: ['/dev/dri:/dev/dri'], 'log-driver': 'json-file', environment: { TZ: 'Europe/Berlin' } });
    expect(web['extraOptions']).toEqual(
      expect.arrayContaining([
        '--expose=9000',
        '--sysctl=net.core.somaxconn=1024',
        '--ulimit=nofile=1024:2048',
        '--ulimit=nproc=512',
        '--shm-size=256m',
        '--init',
        '--read-only',
        '--security-opt=no-new-privileges:true',
        '--add-host=db.local:10.0.0.5',
        '--add-host=v6:::1',
        '--dns=1.1.1.1',
        '--log-opt=max-size=10m',
        '--stop-signal=SIGQUIT',
        '--stop-timeout=90',
        '--network-alias=web',
      ]),
    );
    expect(web['privileged']).toBeUndefined();
    expect(web['networks']).toEqual(['media_default']);
  });
  it('settles every item: nothing is lost silently', () => {
    expect(c.report.items.filter((i) => i.fate.kind === 'unaccounted').map((i) => i.label)).toEqual([]);
    expect(fateOf(c.report, 'services.web.privileged')).toMatch(/^dropped: `privileged: false` is Docker's default/);
    expect(fateOf(c.report, 'services.web.x-notes')).toMatch(/^dropped: an extension field/);
    expect(fateOf(c.report, 'services.web.environment.PLACEHOLDER')).toMatch(/^dropped: no value/);
  });
  it('creates the default network and the volume before the container, and starts the stack from one target', () => {
    const u = unit(c, 'docker-web');
    expect(u['partOf']).toEqual(['docker-compose-media-root.target']);
    expect(u['wantedBy']).toEqual(['docker-compose-media-root.target']);
    expect(u['requires']).toEqual(['docker-volume-media_cache.service']);
    expect(unit(c, 'docker-network-media_default')['requiredBy']).toEqual(['docker-web.service']);
    expect(unit(c, 'docker-volume-media_cache')['script']).toBe('docker volume inspect media_cache >/dev/null 2>&1 || docker volume create media_cache');
    expect(c.option('systemd', 'targets', 'docker-compose-media-root', 'wantedBy')).toEqual(['multi-user.target']);
    expect(web['autoStart']).toBe(false);
  });
  it('restarts like Docker: Restart=always with backoff, and no start limit (N1)', () => {
    const u = unit(c, 'docker-web') as { serviceConfig: Record<string, unknown>; startLimitIntervalSec: number };
    expect(u.serviceConfig['RestartSteps']).toBe(9);
    expect(u.serviceConfig['RestartMaxDelaySec']).toBe('1min');
    expect(u.startLimitIntervalSec).toBe(0);
  });
});

describe('depends_on', () => {
  const body = [
    'name: app',
    'services:',
    '  db:',
    '    image: postgres:16',
    '    healthcheck: { test: ["CMD-SHELL", "pg_isready"], interval: 5s }',
    '  migrate:',
    '    image: app',
    '    command: migrate',
    '  cache: { image: redis }',
    '  web:',
    '    image: app',
    '    depends_on:',
    '      db: { condition: service_healthy, restart: true }',
    '      migrate: { condition: service_completed_successfully }',
    '      cache: { condition: service_started, required: false }',
    '',
  ].join('\n');

  it('docker backend: dependsOn, and a health gate on the dependency (postStart polls docker inspect)', () => {
    const c = convertCompose(compose(body));
    expect(container(c, 'app-web')['dependsOn']).toEqual(['app-db', 'app-migrate']);
    const db = unit(c, 'docker-app-db');
    expect(db['postStart']).toContain(`docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' app-db`);
    expect(db['postStart']).toContain('healthy) exit 0');
    const web = unit(c, 'docker-app-web');
    expect(web['preStart']).toContain('systemctl show --property=ActiveState --value docker-app-migrate.service');
    expect(web['wants']).toEqual(['docker-app-cache.service']);
    expect(web['after']).toEqual(['docker-app-cache.service']);
    expect(fateOf(c.report, 'services.web.depends_on.cache')).toMatch(/^carried: systemd\.services\.docker-app-web\.wants/);
    expect(fateOf(c.report, 'services.web.depends_on.db')).toMatch(/^carried: virtualisation\.oci-containers\.containers\.app-web\.dependsOn/);
  });

  it('podman backend: the dependency is ready only when healthy (podman.sdnotify = "healthy")', () => {
    const c = convertCompose(compose(body), { backend: 'podman' });
    expect(container(c, 'app-db')['podman']).toEqual({ sdnotify: 'healthy' });
    expect(unit(c, 'podman-app-db')['postStart']).toBeUndefined();
  });

  it('warns when a service waits for health that its dependency does not define', () => {
    const c = convertCompose(compose('services:\n  a: { image: a }\n  b:\n    image: b\n    depends_on: { a: { condition: service_healthy } }\n'));
    expect(codes(c)).toContain('compose/no-healthcheck');
  });
});

describe('restart policies', () => {
  it('Compose\'s default is `no`', () => {
    const c = convertCompose(compose('name: p\nservices:\n  a: { image: a }\n'));
    expect((unit(c, 'docker-p-a') as { serviceConfig: Record<string, unknown> }).serviceConfig['Restart']).toBe('no');
  });
  it('on-failure:N and deploy.restart_policy bound the restarts; deploy wins over restart', () => {
    const c = convertCompose(
      compose(
        'name: p\nservices:\n  a: { image: a, restart: "on-failure:3" }\n  b:\n    image: b\n    restart: always\n    deploy: { restart_policy: { condition: on-failure, max_attempts: 5, window: 2m, delay: 5s } }\n',
      ),
    );
    expect(unit(c, 'docker-p-a')).toMatchObject({ startLimitBurst: 4, unitConfig: { StartLimitIntervalSec: 'infinity' } });
    expect(unit(c, 'docker-p-b')).toMatchObject({ startLimitBurst: 6, startLimitIntervalSec: 120, serviceConfig: { RestartSec: '5s' } });
    expect(fateOf(c.report, 'services.b.restart')).toMatch(/^dropped: deploy\.restart_policy is given/);
  });
});

describe('networks', () => {
  const c = convertCompose(
    compose(
      [
        'name: net',
        'services:',
        '  proxy:',
        '    image: traefik',
        '    networks:',
        '      front:',
        '        aliases: [edge]',
        '        ipv4_address: 10.5.0.10',
        '      back:',
        '  helper:',
        '    image: busybox',
        '    network_mode: service:proxy',
        '  hostnet: { image: x, network_mode: host }',
        'networks:',
        '  front:',
        '    driver: macvlan',
        '    driver_opts: { parent: eth0 }',
        '    ipam: { config: [{ subnet: 10.5.0.0/24, gateway: 10.5.0.1 }] }',
        '  back: { internal: true, enable_ipv6: true }',
        '  outside: { external: true }',
        '',
      ].join('\n'),
    ),
  );
  it('joins the first network with aliases and a fixed address, the others with Docker\'s long form', () => {
    const proxy = container(c, 'net-proxy');
    expect(proxy['networks']).toEqual(['net_back', 'name=net_front,alias=proxy,alias=edge,ip=10.5.0.10']);
    expect(proxy['extraOptions']).toEqual(['--network-alias=proxy']);
  });
  it('creates each network with its driver, IPAM and flags', () => {
    expect(unit(c, 'docker-network-net_front')['script']).toBe(
      "docker network inspect net_front >/dev/null 2>&1 || docker network create --driver=macvlan --opt=parent=eth0 --subnet=10.5.0.0/24 --gateway=10.5.0.1 net_front",
    );
    expect(unit(c, 'docker-network-net_back')['script']).toContain('docker network create --internal --ipv6 net_back');
    expect(unit(c, 'docker-network-net_back')['partOf']).toEqual(['docker-compose-net-root.target']);
  });
  it('shares the network stack of another service (service:x) and uses the host network', () => {
    expect(container(c, 'net-helper')['networks']).toEqual(['container:net-proxy']);
    expect(container(c, 'net-helper')['dependsOn']).toEqual(['net-proxy']);
    expect(container(c, 'net-hostnet')['networks']).toEqual(['host']);
  });
  it('does not create unused networks', () => {
    expect(fateOf(c.report, 'networks.outside')).toMatch(/^dropped: no converted service uses it/);
  });
});

describe('images Compose built', () => {
  it('runs the image Compose named and reports the build with a hint (dockerTools)', () => {
    const c = convertCompose(compose('name: b\nservices:\n  app:\n    build: ./app\n    ports: ["80:80"]\n'));
    expect(container(c, 'b-app')).toMatchObject({ image: 'b-app', pull: 'never', ports: ['80:80'] });
    const d = c.report.diagnostics.find((x) => x.code === 'compose/build')!;
    expect(d.severity).toBe('error');
    expect(d.hint).toMatch(/dockerTools/);
    expect(c.report.status).not.toBe('converted');
  });
});

describe('env files', () => {
  it('given among the inputs, are read: variables into the environment, secrets to a secret file; an optional missing one is dropped', () => {
    const c = convertCompose(
      {
        '/opt/stack/compose.yml': 'name: e\nservices:\n  a:\n    image: a\n    environment:\n      MODE: from-compose\n    env_file:\n      - ./app.env\n      - path: ./local.env\n        required: false\n',
        '/opt/stack/app.env': 'DB_PASSWORD=hunter2\nTZ=Europe/Berlin\nMODE=from-file\n',
      },
    );
    // Compose: `environment:` wins over the env file.
    expect(container(c, 'e-a')['environment']).toEqual({ MODE: 'from-compose', TZ: 'Europe/Berlin' });
    expect(container(c, 'e-a')['environmentFiles']).toEqual(['/var/lib/secrets/e-a.env']);
    expect(c.run.layout.files.filter((f) => String(f.content).includes('hunter2')).map((f) => f.path)).toEqual(['secrets.local/e-a.env']);
    expect(fateOf(c.report, 'services.a.env_file ./app.env')).toBe("carried: the container's environment");
    expect(fateOf(c.report, 'services.a.env_file ./local.env')).toMatch(/^dropped: optional/);
  });

  it('shared by several services: a random-looking value is warned about once, a long path never', () => {
    const c = convertCompose({
      '/opt/stack/compose.yml': 'name: e\nservices:\n  a:\n    image: a\n    env_file: .env\n  b:\n    image: b\n    env_file: .env\n',
      '/opt/stack/.env': 'UPLOAD_LOCATION=/mnt/user/data/photos/library\nINSTANCE=Zx9Qm2Lp7Vb4Nc8Kd1Tg5Yh3Wr6\n',
    });
    expect(c.report.diagnostics.filter((d) => d.code === 'secrets/random-value').map((d) => d.message.split(' ')[0])).toEqual(['`INSTANCE`']);
  });

  it('not among the inputs, keep their place on the host, with a warning to copy them', () => {
    const c = convertCompose({ '/opt/stack/compose.yml': 'name: e\nservices:\n  a:\n    image: a\n    env_file: ./app.env\n' });
    expect(container(c, 'e-a')['environmentFiles']).toEqual(['/opt/stack/app.env']);
    expect(codes(c)).toContain('compose/env-file-not-given');
  });
  it('say where relative paths went when the project was named by a relative path', () => {
    const c = convertCompose({ 'stack/compose.yml': 'services:\n  a:\n    image: a\n    volumes: ["./data:/data"]\n' });
    expect(container(c, 'stack-a')['volumes']).toEqual(['/srv/compose/stack/data:/data']);
    expect(codes(c)).toContain('compose/project-directory');
  });
});

describe('podman', () => {
  it('writes the other networks in podman\'s spelling (name:alias=...)', () => {
    const c = convertCompose(compose('name: n\nservices:\n  a:\n    image: a\n    networks: { one: {}, two: { aliases: [x] } }\nnetworks: { one: {}, two: {} }\n'), { backend: 'podman' });
    expect(container(c, 'n-a')['networks']).toEqual(['n_one', 'n_two:alias=a,alias=x']);
    expect(unit(c, 'podman-network-n_two')['requiredBy']).toEqual(['podman-n-a.service']);
  });
});

describe('secrets and configs', () => {
  it('mounts secrets from files outside the Nix store, configs from their file, read-only', () => {
    const c = convertCompose({
      '/opt/s/compose.yml':
        'name: s\nservices:\n  db:\n    image: postgres\n    secrets: [dbpw, { source: api, target: /etc/api.key }]\n    configs: [nginx]\nsecrets:\n  dbpw: { file: ./dbpw.txt }\n  api: { environment: API_KEY }\nconfigs:\n  nginx: { file: ./nginx.conf }\n',
      '/opt/s/dbpw.txt': 'hunter2\n',
      '/opt/s/.env': 'API_KEY=sk-abc123\n',
    });
    const volumes = container(c, 's-db')['volumes'] as string[];
    expect(volumes).toContain('/opt/s/nginx.conf:/nginx:ro');
    expect(volumes.some((v) => v.endsWith(':/run/secrets/dbpw:ro'))).toBe(true);
    expect(volumes.some((v) => v.endsWith(':/etc/api.key:ro'))).toBe(true);
    const nix = c.run.layout.files.filter((f) => f.path.endsWith('.nix')).map((f) => String(f.content)).join('\n');
    expect(nix).not.toContain('hunter2');
    expect(nix).not.toContain('sk-abc123');
    expect(c.report.items.filter((i) => i.fate.kind === 'unaccounted')).toEqual([]);
  });
});
