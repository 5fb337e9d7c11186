import { describe, expect, it } from 'vitest';
import { convertFiles, fateOf, type Converted } from './convert-helpers.ts';

/**
 * Units whose job is one `docker run` move to virtualisation.oci-containers
 * with `--stage oci`: the housekeeping around the run goes, the unit's other
 * settings land on `<backend>-<name>.service`, and a unit that does more
 * than run a container stays at stage 1 with the reason in the report.
 */

const oci = { stage: 'oci' } as const;
const INSTALL = '[Install]\nWantedBy=multi-user.target\n';

function unit(service: string, body: string, options: Parameters<typeof convertFiles>[1] = oci, extra: Record<string, string> = {}): Converted {
  return convertFiles({ [`${service}.service`]: body, ...extra }, options);
}

const containerOf = (c: Converted, name: string, ...path: string[]) => c.option('virtualisation', 'oci-containers', 'containers', name, ...path);
const serviceOf = (c: Converted, name: string, ...path: string[]) => c.option('systemd', 'services', name, ...path);
const stageOf = (c: Converted, name: string) => c.report.services.find((s) => s.name === name);

describe('a unit that only runs a container', () => {
  const web = unit(
    'web',
    `[Unit]
Description=web server
After=docker.service network-online.target
Requires=docker.service
Wants=network-online.target

[Service]
Restart=always
RestartSec=5
TimeoutStartSec=300
ExecStartPre=-/usr/bin/docker kill web
ExecStartPre=-/usr/bin/docker rm -f web
ExecStartPre=/usr/bin/docker pull nginx:1
ExecStart=/usr/bin/docker run --rm --name web -p 8080:80 -v /srv/www:/usr/share/nginx/html:ro nginx:1
ExecStop=/usr/bin/docker stop web
${INSTALL}`,
  );

  it('becomes a container named like the old one', () => {
    expect(containerOf(web, 'web')).toEqual({
      image: 'nginx:1',
      ports: ['8080:80'],
      volumes: ['/srv/www:/usr/share/nginx/html:ro'],
      pull: 'always',
    });
    expect(stageOf(web, 'web')).toMatchObject({ strategy: 'oci', reason: expect.stringContaining('virtualisation.oci-containers.containers.web') });
  });

  it('leaves no housekeeping behind, each line dropped with a reason', () => {
    expect(JSON.stringify(serviceOf(web, 'docker-web'))).not.toContain('docker ');
    expect(serviceOf(web, 'web')).toBeUndefined();
    expect(fateOf(web.report, '[Service] ExecStartPre=')).toMatch(/^dropped: the module stops and removes the old container/);
    expect(fateOf(web.report, '-f')).toMatch(/^dropped: the module removes the old container before it starts one/);
    expect(fateOf(web.report, '[Service] ExecStop=')).toMatch(/^dropped: the module stops the container when its unit stops/);
  });

  it('turns the pull before every start into pull = "always"', () => {
    const pull = web.report.items.find((i) => i.kind === 'directive' && i.label === '[Service] ExecStartPre=' && i.origin.line === 13)!;
    expect(pull.fate).toMatchObject({ kind: 'carried', option: 'virtualisation.oci-containers.containers.web.pull' });
  });

  it('keeps the unit\'s settings on docker-web.service, over the module\'s where it sets its own', () => {
    expect(serviceOf(web, 'docker-web')).toMatchObject({
      description: 'web server',
      after: ['network-online.target'],
      wants: ['network-online.target'],
      startLimitIntervalSec: 0,
      serviceConfig: { Restart: 'always', RestartSec: '5', TimeoutStartSec: '300' },
    });
    expect(serviceOf(web, 'docker-web', 'requires')).toBeUndefined();
    expect(serviceOf(web, 'docker-web', 'aliases')).toEqual(['web.service']);
    expect(fateOf(web.report, '[Unit] Requires=')).toMatch(/^dropped: docker\.service left out/);
  });

  it('writes Restart with lib.mkForce, since the module sets on-failure', () => {
    const module = String(web.run.layout.files.find((f) => f.path === 'services/web.nix')!.content);
    expect(module).toContain('Restart = lib.mkForce "always";');
    expect(module).toContain('TimeoutStartSec = lib.mkForce "300";');
  });

  it('opens the published port and needs no Docker daemon of its own', () => {
    expect(web.option('networking', 'firewall', 'allowedTCPPorts')).toEqual([8080]);
    expect(web.option('virtualisation', 'docker', 'enable')).toBeUndefined();
    expect(web.option('virtualisation', 'oci-containers', 'backend')).toBe('docker');
  });

  it('accounts for every item', () => {
    expect(web.report.items.filter((i) => i.fate.kind === 'unaccounted')).toEqual([]);
  });
});

describe('what the unit knew', () => {
  it('takes `-e NAME` from Environment=', () => {
    const c = unit('app', `[Service]\nEnvironment=TZ=Europe/Zurich "GREETING=hi there"\nExecStart=/usr/bin/docker run --name app -e TZ -e GREETING alpine:3\n${INSTALL}`);
    expect(containerOf(c, 'app', 'environment')).toEqual({ TZ: 'Europe/Zurich', GREETING: 'hi there' });
    expect(fateOf(c.report, '-e TZ')).toBe('carried: virtualisation.oci-containers.containers.app.environment');
    expect(serviceOf(c, 'docker-app', 'environment')).toEqual({ TZ: 'Europe/Zurich', GREETING: 'hi there' });
  });

  it('passes `-e NAME` from EnvironmentFile= on, as docker did', () => {
    const c = unit('app', `[Service]\nEnvironmentFile=/etc/app.env\nExecStart=/usr/bin/docker run --name app -e DB_URL alpine:3\n${INSTALL}`);
    expect(containerOf(c, 'app', 'extraOptions')).toEqual(['--env=DB_URL']);
    expect(serviceOf(c, 'docker-app', 'serviceConfig', 'EnvironmentFile')).toBe('/etc/app.env');
  });

  it('expands ${VAR} and a whole-word $VAR from Environment=', () => {
    const c = unit('app', `[Service]\nEnvironment=TAG=3.20 PORT=8080\nExecStart=/usr/bin/docker run --name app -p \${PORT}:80 alpine:\${TAG} $PORT\n${INSTALL}`);
    expect(containerOf(c, 'app')).toMatchObject({ image: 'alpine:3.20', ports: ['8080:80'], cmd: ['8080'] });
  });

  it('fills in %n and %p', () => {
    const c = unit('app', `[Service]\nExecStart=/usr/bin/docker run --name %p -l unit=%n alpine:3\n${INSTALL}`);
    expect(containerOf(c, 'app', 'labels')).toEqual({ unit: 'app.service' });
  });

  it('keeps `-e SECRET=...` out of the store, in an environment file', () => {
    const c = unit('db', `[Service]\nExecStart=/usr/bin/docker run --name db -e POSTGRES_PASSWORD=hunter2 postgres:16\n${INSTALL}`);
    expect(containerOf(c, 'db', 'environmentFiles')).toEqual(['/var/lib/secrets/db.env']);
    // The value is only in secrets.local/, the plaintext folder the manual steps empty.
    expect(c.run.layout.files.filter((f) => String(f.content).includes('hunter2')).map((f) => f.path)).toEqual(['secrets.local/db.env']);
    expect(JSON.stringify(c.report)).not.toContain('hunter2');
    expect(c.report.manualSteps.map((s) => s.title)).toContain('Copy the secrets to /var/lib/secrets on the new host');
  });
});

describe('ordering between containers', () => {
  const files = {
    'db.service': `[Service]\nExecStart=/usr/bin/docker run --name db postgres:16\n${INSTALL}`,
    'app.service': `[Unit]\nAfter=db.service docker.service\nRequires=db.service\n[Service]\nExecStart=/usr/bin/docker run --name app --link db alpine:3\n${INSTALL}`,
    'cache.service': `[Unit]\nAfter=db.service\n[Service]\nExecStart=/usr/bin/docker run --name cache redis:7\n${INSTALL}`,
    'backup.service': `[Unit]\nAfter=db.service\nRequires=db.service\n[Service]\nType=oneshot\nExecStart=/usr/bin/pg_dumpall\n`,
  };
  const c = convertFiles(files, oci);

  it('After= and Requires= on another container become dependsOn', () => {
    expect(containerOf(c, 'app', 'dependsOn')).toEqual(['db']);
    expect(serviceOf(c, 'docker-app', 'after')).toBeUndefined();
    expect(fateOf(c.report, '[Unit] Requires=')).toBe('carried: virtualisation.oci-containers.containers.app.dependsOn');
  });

  it('mere ordering names the container\'s new unit', () => {
    expect(serviceOf(c, 'docker-cache', 'after')).toEqual(['docker-db.service']);
    expect(containerOf(c, 'cache', 'dependsOn')).toBeUndefined();
  });

  it('a stage-1 unit that names a converted one still finds it, through an alias', () => {
    expect(serviceOf(c, 'docker-db', 'aliases')).toEqual(['db.service']);
    expect(serviceOf(c, 'backup', 'requires')).toEqual(['db.service']);
  });
});

describe('timers and boot', () => {
  const c = convertFiles(
    {
      'sync.service': `[Service]\nType=oneshot\nExecStart=/usr/bin/docker run --rm --name sync -v /srv/data:/data:ro alpine:3 sync.sh\n`,
      'sync.timer': `[Timer]\nOnCalendar=daily\n[Install]\nWantedBy=timers.target\n`,
    },
    oci,
  );

  it('a job started by its timer is not started at boot, and the timer starts the container\'s unit', () => {
    expect(containerOf(c, 'sync', 'autoStart')).toBe(false);
    expect(c.option('systemd', 'timers', 'sync')).toMatchObject({ timerConfig: { Unit: 'docker-sync.service', OnCalendar: 'daily' }, wantedBy: ['timers.target'] });
    expect(fateOf(c.report, '[Service] Type=')).toMatch(/^dropped: the module runs the container in the foreground/);
  });

  it('keeps the job from being restarted, as systemd did not restart it', () => {
    expect(serviceOf(c, 'docker-sync', 'serviceConfig', 'Restart')).toBe('no');
    expect(c.report.diagnostics.map((d) => d.code)).toContain('oci/no-restart');
  });

  it('a unit without [Install] or command: start is not started at boot', () => {
    const manual = unit('tool', `[Service]\nExecStart=/usr/bin/docker run --name tool alpine:3\n`);
    expect(containerOf(manual, 'tool', 'autoStart')).toBe(false);
  });

  it('`docker run -d` in a Type=oneshot RemainAfterExit unit runs in the foreground now', () => {
    const d = unit('web', `[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/usr/bin/docker run -d --name web nginx:1\nExecStop=/usr/bin/docker stop web\n${INSTALL}`);
    expect(containerOf(d, 'web')).toEqual({ image: 'nginx:1' });
    expect(fateOf(d.report, '-d')).toMatch(/^dropped: the module runs `docker run` in the foreground/);
    expect(fateOf(d.report, '[Service] RemainAfterExit=')).toMatch(/^dropped: /);
  });
});

describe('the mount lessons (post, N2)', () => {
  const c = convertFiles(
    {
      'srv.mount': '[Mount]\nWhat=/dev/mapper/data\nWhere=/srv\nType=ext4\n',
      'media.service': `[Unit]\nAfter=srv.mount\nRequires=srv.mount\n[Service]\nRestart=always\nExecStart=/usr/bin/docker run --name media -v /srv/media:/media:ro jellyfin/jellyfin:10.9\n${INSTALL}`,
    },
    oci,
  );

  it('the container\'s unit requires the mount and starts when it appears', () => {
    expect(serviceOf(c, 'docker-media')).toMatchObject({
      unitConfig: { RequiresMountsFor: ['/srv'] },
      wantedBy: ['srv.mount'],
      after: ['srv.mount'],
      requires: ['srv.mount'],
      startLimitIntervalSec: 0,
    });
  });
});

describe('stays at stage 1, with the reason', () => {
  const stays = (name: string, body: string, reason: RegExp, options: Parameters<typeof convertFiles>[1] = oci) => {
    const c = unit(name, body, options);
    const s = stageOf(c, name)!;
    expect(s.strategy).toBe('docker');
    expect(s.reason).toMatch(reason);
    expect(c.report.diagnostics.find((d) => d.code === 'plan/stays-stage-1')?.message).toMatch(reason);
    expect(containerOf(c, name)).toBeUndefined();
    expect(serviceOf(c, name, 'serviceConfig', 'ExecStart')).toBeDefined();
    return c;
  };

  it('a unit that builds its image with docker commit (the post\'s samba)', () => {
    stays(
      'samba',
      `[Service]\nExecStartPre=/usr/bin/docker run --name prep samba sh -c 'adduser x'\nExecStartPre=/usr/bin/docker commit prep samba-prepared\nExecStart=/usr/bin/docker run --name smb samba-prepared\n${INSTALL}`,
      /runs a second container/,
    );
  });

  it('docker commit alone', () => {
    stays('img', `[Service]\nExecStartPre=/usr/bin/docker commit base img\nExecStart=/usr/bin/docker run --name img img\n${INSTALL}`, /docker commit/);
  });

  it('a shell pipeline around docker run', () => {
    stays('pipe', `[Service]\nExecStart=/bin/sh -c "docker run --name pipe alpine:3 | logger"\n${INSTALL}`, /runs docker inside another command/);
  });

  it('a step that is no housekeeping', () => {
    stays('web', `[Service]\nExecStartPre=/usr/bin/mkdir -p /srv/www\nExecStart=/usr/bin/docker run --name web nginx:1\n${INSTALL}`, /mkdir -p \/srv\/www` does more than run the container/);
  });

  it('a pull of another image than the one it runs', () => {
    stays('web', `[Service]\nExecStartPre=/usr/bin/docker pull nginx:2\nExecStart=/usr/bin/docker run --name web nginx:1\n${INSTALL}`, /pulls `nginx:2`, but the unit runs `nginx:1`/);
  });

  it('removing another container', () => {
    stays('web', `[Service]\nExecStartPre=-/usr/bin/docker rm -f other\nExecStart=/usr/bin/docker run --name web nginx:1\n${INSTALL}`, /acts on `other`/);
  });

  it('a template unit', () => {
    const c = convertFiles({ 'web@.service': `[Service]\nExecStart=/usr/bin/docker run --name web-%i nginx:1\n` }, oci);
    expect(c.report.services[0]).toMatchObject({ strategy: 'docker', reason: expect.stringMatching(/template unit/) });
  });

  it('a variable from EnvironmentFile=', () => {
    stays('web', `[Service]\nEnvironmentFile=/etc/web.env\nExecStart=/usr/bin/docker run --name web nginx:\${TAG}\n${INSTALL}`, /`\$\{TAG\}` is not set by the unit's Environment=/);
  });

  it('a specifier only known at run time', () => {
    stays('web', `[Service]\nExecStart=/usr/bin/docker run --name web -h %H nginx:1\n${INSTALL}`, /`%H`/);
  });

  it('an unknown flag whose arity is unknown', () => {
    stays('web', `[Service]\nExecStart=/usr/bin/docker run --name web --made-up x nginx:1\n${INSTALL}`, /cannot tell whether the next word is its value/);
  });

  it('a Type the container\'s unit cannot have', () => {
    stays('web', `[Service]\nType=notify\nExecStart=/usr/bin/docker run --name web nginx:1\n${INSTALL}`, /Type=notify/);
  });

  it('User= with the podman backend', () => {
    stays('web', `[Service]\nUser=web\nExecStart=/usr/bin/docker run --name web nginx:1\n${INSTALL}`, /User= conflicts with the podman backend/, { stage: 'oci', backend: 'podman' });
  });

  it('docker -H, another daemon', () => {
    stays('web', `[Service]\nExecStart=/usr/bin/docker -H tcp://nas:2375 run --name web nginx:1\n${INSTALL}`, /another Docker daemon/);
  });

  it('two units running the same container name: the second stays', () => {
    const c = convertFiles(
      { 'a.service': `[Service]\nExecStart=/usr/bin/docker run --name web nginx:1\n${INSTALL}`, 'b.service': `[Service]\nExecStart=/usr/bin/docker run --name web nginx:1\n${INSTALL}` },
      oci,
    );
    expect(c.report.services.map((s) => [s.name, s.strategy])).toEqual([
      ['a', 'oci'],
      ['b', 'docker'],
    ]);
  });

  it('a plain unit is carried 1:1, without a warning', () => {
    const c = unit('plain', `[Service]\nExecStart=/usr/bin/true\n${INSTALL}`);
    expect(stageOf(c, 'plain')).toMatchObject({ strategy: 'docker', reason: 'stage 1: it runs no container (a plain systemd unit), carried 1:1' });
    expect(c.report.diagnostics.map((d) => d.code)).not.toContain('plan/stays-stage-1');
  });
});

describe('choosing the stage per service', () => {
  const files = {
    'a.service': `[Service]\nExecStart=/usr/bin/docker run --name alpha nginx:1\n${INSTALL}`,
    'b.service': `[Service]\nExecStart=/usr/bin/docker run --name beta nginx:1\n${INSTALL}`,
  };

  it('stage 1 by default', () => {
    expect(convertFiles(files).report.services.map((s) => s.strategy)).toEqual(['docker', 'docker']);
  });

  it('--strategy NAME=oci moves one service', () => {
    const c = convertFiles(files, { strategies: { b: 'oci' } });
    expect(c.report.services.map((s) => [s.name, s.strategy])).toEqual([
      ['a', 'docker'],
      ['b', 'oci'],
    ]);
    expect(c.option('virtualisation', 'docker', 'enable')).toBe(true);
  });

  it('--strategy NAME=docker keeps one back from --stage oci', () => {
    const c = convertFiles(files, { stage: 'oci', strategies: { a: 'docker' } });
    expect(c.report.services.map((s) => [s.name, s.strategy])).toEqual([
      ['a', 'docker'],
      ['b', 'oci'],
    ]);
  });

  it('a name that is no service is reported', () => {
    const c = convertFiles(files, { strategies: { nope: 'oci' } });
    expect(c.report.diagnostics.find((d) => d.code === 'plan/unknown-service')?.hint).toBe('the services are: a, b');
  });
});

describe('networks', () => {
  it('a network the unit created is created by a oneshot, with the same flags, before the container', () => {
    const c = unit(
      'app',
      `[Service]\nExecStartPre=-/usr/bin/docker network create --subnet 10.5.0.0/24 appnet\nExecStart=/usr/bin/docker run --name app --network appnet --ip 10.5.0.10 alpine:3\n${INSTALL}`,
    );
    expect(containerOf(c, 'app', 'networks')).toEqual(['appnet']);
    expect(serviceOf(c, 'docker-network-appnet')).toMatchObject({
      before: ['docker-app.service'],
      requiredBy: ['docker-app.service'],
      serviceConfig: { Type: 'oneshot', RemainAfterExit: true },
      script: 'docker network inspect appnet >/dev/null 2>&1 || docker network create --subnet 10.5.0.0/24 appnet',
    });
    expect(fateOf(c.report, '[Service] ExecStartPre=')).toBe('carried: systemd.services.docker-network-appnet.script');
  });

  it('with podman, the oneshot uses podman and waits for no daemon', () => {
    const c = unit('app', `[Service]\nExecStart=/usr/bin/docker run --name app --network appnet alpine:3\n${INSTALL}`, { stage: 'oci', backend: 'podman' });
    expect(serviceOf(c, 'podman-network-appnet', 'script')).toBe('podman network inspect appnet >/dev/null 2>&1 || podman network create appnet');
    expect(serviceOf(c, 'podman-network-appnet', 'after')).toBeUndefined();
    expect(serviceOf(c, 'podman-network-appnet', 'before')).toEqual(['podman-app.service']);
  });
});

describe('podman and the pull the unit ignored', () => {
  it('`-docker pull` maps onto podman\'s newer, which also ignores a failed pull', () => {
    const c = unit('web', `[Service]\nExecStartPre=-/usr/bin/docker pull nginx:1\nExecStart=/usr/bin/docker run --name web nginx:1\n${INSTALL}`, { stage: 'oci', backend: 'podman' });
    expect(containerOf(c, 'web', 'pull')).toBe('newer');
  });

  it('with docker it is always, and the difference is said', () => {
    const c = unit('web', `[Service]\nExecStartPre=-/usr/bin/docker pull nginx:1\nExecStart=/usr/bin/docker run --name web nginx:1\n${INSTALL}`);
    expect(containerOf(c, 'web', 'pull')).toBe('always');
    expect(c.report.diagnostics.map((d) => d.code)).toContain('oci/pull-failure');
  });
});

describe('`-e NAME` nobody sets', () => {
  it('is kept as it was, with a warning', () => {
    const c = unit('app', `[Service]\nExecStart=/usr/bin/docker run --name app -e NOWHERE alpine:3\n${INSTALL}`);
    expect(containerOf(c, 'app', 'extraOptions')).toEqual(['--env=NOWHERE']);
    expect(c.report.diagnostics.find((d) => d.code === 'oci/env-unset')?.hint).toBe('set environment.NOWHERE if the container needs it');
  });
});
