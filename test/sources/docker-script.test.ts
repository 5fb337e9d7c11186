import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/model/ledger.ts';
import { detect } from '../../src/sources/detect.ts';
import { readDockerScript, splitShell } from '../../src/sources/docker-script/index.ts';
import { runPipeline } from '../../src/pipeline.ts';
import { convertFiles, fateOf } from '../strategies/convert-helpers.ts';

const words = (script: string) => splitShell(script).map((c) => c.words.map((w) => w.value));

describe('detecting docker run scripts by content', () => {
  it.each([
    ['run.sh', '#!/bin/sh\ndocker run -d nginx:1\n', 'docker-script'],
    ['start-containers', '#!/usr/bin/env bash\nset -e\nsudo docker run -d nginx:1\n', 'docker-script'],
    ['containers.txt', '# started by hand\n\n$ docker run -d --name web nginx:1\n', 'docker-script'],
    ['commands', 'docker run -d --name web nginx:1\n', 'docker-script'],
    ['notes', 'remember to run docker run -d nginx\n', 'unknown'],
    ['README.md', 'docker run -d nginx:1\n', 'unknown'],
    ['setup.sh', '#!/bin/sh\nmkdir -p /srv\n', 'unknown'],
    ['cloud-config.yml', '#cloud-config\nruncmd:\n  - docker run -d nginx:1\n', 'cloud-config'],
    ['web.service', '[Service]\nExecStart=/usr/bin/docker run nginx:1\n', 'unit'],
    ['authorized_keys', 'command="docker run -i x" ssh-ed25519 AAAA k\n', 'authorized-keys'],
    ['user-data', '#!/bin/sh\ndocker run -d nginx:1\n', 'cloud-config'],
    ['--docker-run', 'docker run nginx:1', 'docker-run'],
    ['--docker-run#2', 'docker run nginx:1', 'docker-run'],
    ['run-podman.sh', '#!/bin/bash\npodman run -d --name web nginx:1\n', 'docker-script'],
    ['podman-commands', '$ sudo podman create --name web nginx:1\n', 'docker-script'],
  ])('%s is %s', (path, text, kind) => {
    expect(detect(path, text).kind).toBe(kind);
  });
});

describe('splitting a script into commands', () => {
  it('joins continuation lines and splits at operators', () => {
    expect(words('docker run \\\n  -d \\\n  nginx:1 && echo ok; docker ps\n')).toEqual([['docker', 'run', '-d', 'nginx:1'], ['echo', 'ok'], ['docker', 'ps']]);
  });

  it('reads single, double and $\'...\' quotes, and escapes', () => {
    expect(words(`docker run -e 'A=$X y' -e "B=\\"q\\"" -e $'C=a\\tb' -e D=e\\ f img`)[0]).toEqual(['docker', 'run', '-e', 'A=$X y', '-e', 'B="q"', '-e', 'C=a\tb', '-e', 'D=e f', 'img']);
  });

  it('skips comments, redirections and here-documents', () => {
    expect(words('# comment\ncat <<EOF > /tmp/x\ndocker run not-a-command\nEOF\ndocker rm -f web 2>/dev/null || true\n')).toEqual([['cat'], ['docker', 'rm', '-f', 'web'], ['true']]);
  });

  it('expands the script\'s own variables, with field splitting where unquoted', () => {
    const [cmd] = splitShell('IMG=nginx:1\nOPTS="-p 80:80 -d"\ndocker run $OPTS "$OPTS" ${IMG}\n');
    expect(cmd!.words.map((w) => w.value)).toEqual(['docker', 'run', '-p', '80:80', '-d', '-p 80:80 -d', 'nginx:1']);
    expect(cmd!.resolved.map((r) => r.text)).toEqual(['$OPTS', '$OPTS', '${IMG}']);
  });

  it('takes ${X:-default} where the script does not set X', () => {
    expect(words('docker run ${TAG:-latest}\n')[0]).toEqual(['docker', 'run', 'latest']);
  });

  it('leaves command substitutions and unknown variables as written, and lists them', () => {
    const [cmd] = splitShell('docker run -v $(pwd)/data:/data -e HOME=$HOME `which img`\n');
    expect(cmd!.unresolved.map((u) => u.text)).toEqual(['$(pwd)', '$HOME', '`which img`']);
  });

  it('marks commands inside if, loops and functions', () => {
    const nested = splitShell('if true; then\n  docker run a\nfi\nstart() { docker run b; }\ndocker run c\n').map((c) => [c.words[2]?.value, c.nested]);
    expect(nested).toEqual([
      [undefined, true],
      ['a', true],
      ['b', true],
      ['c', false],
    ]);
  });

  it('throws for an unclosed quote, pointing at the quote', () => {
    expect(() => splitShell('docker run \\\n  -e "A=1 img\n')).toThrow(/the quote `"` is never closed/);
    try {
      splitShell('docker run -e "A=1 img\n');
    } catch (e) {
      expect((e as { offset: number }).offset).toBe(14);
    }
  });
});

describe('reading a script', () => {
  const read = (text: string, path = 'run.sh') => {
    const ledger = new Ledger();
    const c = readDockerScript(path, text, ledger, 'docker-script');
    return { c, ledger, codes: ledger.diagnostics.map((d) => d.code) };
  };

  it('an unclosed quote refuses the file, with line and column', () => {
    const run = runPipeline([{ path: 'run.sh', content: '#!/bin/sh\ndocker run -d \\\n  -e "TZ=UTC nginx:1\n' }]);
    expect(run).toMatchObject({ refused: { code: 'docker-script/syntax', origin: { file: 'run.sh', line: 3, column: 6 } } });
  });

  it('a one-off command is not a service', () => {
    const r = read('#!/bin/sh\ndocker run --rm -v /srv:/srv alpine chown -R 1000 /srv\n');
    expect(r.c.containers).toEqual([]);
    expect(r.codes).toContain('docker-script/one-off');
  });

  it('an image it cannot know is an error: no container', () => {
    const r = read('#!/bin/sh\ndocker run -d --name web $IMAGE\n');
    expect(r.c.containers).toEqual([]);
    const d = r.ledger.diagnostics.find((x) => x.code === 'docker-script/not-converted')!;
    expect(d.message).toBe('the image is the variable `$IMAGE`, which the script does not set; the container is not converted');
    expect(d.origin).toEqual({ file: 'run.sh', line: 2, column: 26 });
  });

  it('a command from a substitution is an error: no container', () => {
    const r = read('#!/bin/sh\ndocker run -d --name web alpine:3 echo $(date)\n');
    expect(r.c.containers).toEqual([]);
  });

  it('a flag value it cannot know is left out, as an error with its column', () => {
    const c = convertFiles({ 'run.sh': '#!/bin/sh\ndocker run -d --name web -e TZ=$TZ -p 80:80 nginx:1\n' });
    expect(c.option('virtualisation', 'oci-containers', 'containers', 'web')).toEqual({ image: 'nginx:1', ports: ['80:80'] });
    const d = c.report.diagnostics.find((x) => x.code === 'docker-script/unresolved')!;
    expect(d.origin).toMatchObject({ line: 2, column: 32 });
    expect(fateOf(c.report, '-e TZ=$TZ')).toBe('unsupported: its value uses the variable `$TZ`, which the script does not set');
  });

  it('reports other commands, and drops what only steers the script', () => {
    const c = convertFiles({ 'run.sh': '#!/bin/sh\nset -e\nmkdir -p /srv/www\ndocker run -d --name web nginx:1\n' });
    expect(fateOf(c.report, 'set -e')).toMatch(/^dropped: /);
    expect(fateOf(c.report, 'mkdir -p /srv/www')).toMatch(/^unsupported: `mkdir` is not a docker or podman command/);
    expect(c.report.diagnostics.map((d) => d.code)).toContain('docker-script/not-docker');
  });

  it('warns about a container started inside a conditional', () => {
    const c = convertFiles({ 'run.sh': '#!/bin/sh\nif ! docker ps | grep -q web; then\n  docker run -d --name web nginx:1\nfi\n' });
    expect(c.report.diagnostics.map((d) => d.code)).toContain('docker-script/conditional');
    expect(c.option('virtualisation', 'oci-containers', 'containers', 'web', 'image')).toBe('nginx:1');
  });

  it('a second container with the same name is dropped', () => {
    const r = read('#!/bin/sh\ndocker run -d --name web nginx:1\ndocker run -d --name web nginx:2\n');
    expect(r.c.containers?.map((c) => c.invocation.image)).toEqual(['nginx:1']);
    expect(r.codes).toContain('docker-script/same-name');
  });

  it('names unnamed containers after their images, uniquely', () => {
    const r = read('#!/bin/sh\ndocker run -d nginx:1\ndocker run -d nginx:2\ndocker run -d ghcr.io/a/b-c:1\n');
    expect(r.c.containers?.map((c) => [c.name, c.nameGuessed])).toEqual([
      ['nginx', true],
      ['nginx-2', true],
      ['b-c', true],
    ]);
  });

  it('reads commands copied from a terminal, with their prompts', () => {
    const c = convertFiles({ 'commands.txt': '# what I ran\n$ docker run -d --name web -p 80:80 nginx:1\n' });
    expect(c.option('virtualisation', 'oci-containers', 'containers', 'web', 'ports')).toEqual(['80:80']);
  });

  it('reads podman lines with the podman flag table and engine', () => {
    const script = '#!/bin/sh\npodman network create media\npodman run -d --name db --network media --userns=keep-id -p 5432:5432 postgres:16\npodman pod create web\n';
    const c = convertFiles({ 'run.sh': script });
    expect(c.option('virtualisation', 'oci-containers', 'backend')).toBe('podman');
    expect(c.option('virtualisation', 'oci-containers', 'containers', 'db')).toMatchObject({
      image: 'postgres:16',
      ports: ['5432:5432'],
      networks: ['media'],
      extraOptions: ['--userns=keep-id'],
    });
    expect(c.run.host.containers?.[0]?.invocation.engine).toBe('podman');
    expect(fateOf(c.report, '--userns=keep-id')).toBe('carried: virtualisation.oci-containers.containers.db.extraOptions');
    expect(fateOf(c.report, 'podman pod create web')).toMatch(/^unsupported: `podman pod create` is not part of running a container/);
    expect(c.report.diagnostics.map((d) => d.code)).not.toContain('docker-script/podman');
    expect(c.report.items.filter((i) => i.fate.kind === 'unaccounted')).toEqual([]);
  });

  it('reads a podman --docker-run command as podman', () => {
    const c = convertFiles({ '--docker-run': 'podman run -d --name web --tz=local -p 8080:80 nginx:1' }, { stage: 'oci' });
    expect(c.option('virtualisation', 'oci-containers', 'containers', 'web')).toEqual({ image: 'nginx:1', ports: ['8080:80'], extraOptions: ['--tz=local'] });
    expect(c.option('virtualisation', 'oci-containers', 'backend')).toBe('podman');
  });

  it('keeps podman-only flags out of a docker backend, with the reason', () => {
    const c = convertFiles({ 'run.sh': '#!/bin/sh\npodman run -d --name web --tz=local nginx:1\n' }, { backend: 'docker' });
    expect(c.option('virtualisation', 'oci-containers', 'containers', 'web')).toBeUndefined();
    expect(c.report.diagnostics.find((d) => d.code === 'plan/container-not-converted')?.message).toContain('--tz=local');
  });
});

describe('the storage2 script', () => {
  const c = convertFiles({ 'storage2-run.sh': readFileSync('test/fixtures/docker/storage2-run.sh', 'utf8') });
  const containers = c.option('virtualisation', 'oci-containers', 'containers') as Record<string, Record<string, unknown>>;

  it('declares each container it started', () => {
    expect(Object.keys(containers)).toEqual(['nginx-healthz', 'jellyfin', 'node-exporter', 'db', 'photos']);
    expect(c.report.services.every((s) => s.strategy === 'oci')).toBe(true);
  });

  it('resolves the script\'s variables', () => {
    expect(containers['jellyfin']).toMatchObject({
      environment: { TZ: 'Europe/Zurich' },
      volumes: ['/srv/jellyfin/config:/config', '/srv/data/movies:/data/movies:ro', '/srv/data/series:/data/series:ro', '/srv/data/mp3:/data/mp3:ro'],
    });
    expect(containers['db']).toMatchObject({ networks: ['media'] });
  });

  it('creates the network as the script did', () => {
    expect(c.option('systemd', 'services', 'docker-network-media', 'script')).toBe(
      'docker network inspect media >/dev/null 2>&1 || docker network create --driver bridge --subnet 172.30.0.0/24 media',
    );
    expect(c.option('systemd', 'services', 'docker-network-media', 'requiredBy')).toEqual(['docker-db.service', 'docker-photos.service']);
  });

  it('orders the app after its database (--link)', () => {
    expect(containers['photos']).toMatchObject({ dependsOn: ['db'] });
  });

  it('restarts where the restart policies did, forever', () => {
    expect(c.option('systemd', 'services', 'docker-jellyfin')).toEqual({ serviceConfig: { Restart: 'always' }, startLimitIntervalSec: 0 });
  });

  it('accounts for every command of the script', () => {
    expect(c.report.items.filter((i) => i.fate.kind === 'unaccounted')).toEqual([]);
    expect(c.report.coverageByKind.command?.items).toBe(11);
    expect(fateOf(c.report, 'docker pull lscr.io/linuxserver/jellyfin:latest')).toMatch(/^dropped: the container's unit pulls its image/);
  });
});

describe('a script that a unit runs', () => {
  it('is read, and the double is said', () => {
    const c = convertFiles({
      'opt/start-web.sh': '#!/bin/sh\nexec docker run --name web -p 80:80 nginx:1\n',
      'web.service': '[Service]\nExecStart=/opt/bin/start-web.sh\n[Install]\nWantedBy=multi-user.target\n',
    });
    const d = c.report.diagnostics.find((x) => x.code === 'containers/script-run-by-unit')!;
    expect(d.message).toBe('web.service runs start-web.sh, whose containers are declared from the script as well; the unit still runs it');
    expect(d.origin).toMatchObject({ file: 'web.service', line: 2 });
  });
});
