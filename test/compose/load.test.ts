import { describe, expect, it } from 'vitest';
import { load, loadError } from './helpers.ts';

const svc = (js: Record<string, unknown>, name: string) => (js['services'] as Record<string, Record<string, unknown>>)[name]!;

describe('merging Compose files (compose-spec 13-merge.md)', () => {
  const base = [
    'services:',
    '  web:',
    '    image: nginx:1',
    '    command: ["nginx", "-g", "daemon off;"]',
    '    environment:',
    '      - A=1',
    '      - B=2',
    '    labels: { keep: "yes" }',
    '    dns: [1.1.1.1]',
    '    ports: ["8080:80", "127.0.0.1:9000:9000"]',
    '    volumes: ["data:/data", "./conf:/etc/conf:ro"]',
    '    healthcheck: { test: ["CMD", "true"], interval: 10s }',
    '    logging: { driver: json-file, options: { max-size: 10m } }',
    'volumes: { data: {} }',
    '',
  ].join('\n');
  const override = [
    'services:',
    '  web:',
    '    image: nginx:2',
    '    command: nginx -T',
    '    environment: { B: "20", C: "3" }',
    '    dns: [8.8.8.8, 1.1.1.1]',
    '    ports: ["8080:80", "443:443"]',
    '    volumes: ["other:/data"]',
    '    healthcheck: { test: ["CMD", "false"] }',
    '    logging: { driver: journald }',
    'volumes: { other: {} }',
    '',
  ].join('\n');
  const merged = load({ 'compose.yml': base, 'compose.override.yml': override }, ['compose.yml', 'compose.override.yml']);
  const web = svc(merged.js, 'web');

  it('replaces scalars', () => expect(web['image']).toBe('nginx:2'));
  it('replaces command, entrypoint and healthcheck.test whole', () => {
    expect(web['command']).toBe('nginx -T');
    expect(web['healthcheck']).toEqual({ test: ['CMD', 'false'], interval: '10s' });
  });
  it('merges environment by name, list and mapping forms alike', () => expect(web['environment']).toEqual({ A: '1', B: '20', C: '3' }));
  it('keeps mapping keys the override does not name', () => expect(web['labels']).toEqual({ keep: 'yes' }));
  it('appends sequences, an entry written twice kept once', () => expect(web['dns']).toEqual(['1.1.1.1', '8.8.8.8']));
  it('merges ports by {ip, target, published, protocol}', () => expect(web['ports']).toEqual(['8080:80', '127.0.0.1:9000:9000', '443:443']));
  it('merges volumes by target', () => expect(web['volumes']).toEqual(['other:/data', './conf:/etc/conf:ro']));
  it('replaces logging when the driver changes (its options belong to the old driver)', () => expect(web['logging']).toEqual({ driver: 'journald' }));
  it('merges top-level sections', () => expect(Object.keys(merged.js['volumes'] as object)).toEqual(['data', 'other']));
  it('keeps the origin of each value: the override\'s image points into the override file', () => {
    const image = (merged.model.entries.get('services')!.value as { entries: Map<string, { value: { entries: Map<string, { value: { origin: unknown } }> } }> }).entries.get('web')!.value.entries.get('image')!.value.origin;
    expect(image).toEqual({ file: 'compose.override.yml', line: 3, column: 12 });
  });

  it('!reset removes a value and !override replaces it instead of merging', () => {
    const p = load(
      {
        'a.yml': 'services:\n  app:\n    image: x\n    ports: ["8080:80"]\n    environment: { FOO: bar, KEEP: "1" }\n',
        'b.yml': 'services:\n  app:\n    ports: !override ["8443:443"]\n    environment:\n      FOO: !reset null\n',
      },
      ['a.yml', 'b.yml'],
    );
    expect(svc(p.js, 'app')).toEqual({ image: 'x', ports: ['8443:443'], environment: { KEEP: '1' } });
  });
});

describe('YAML anchors and merge keys', () => {
  it('applies `<<: *anchor`, explicit keys winning', () => {
    const p = load(
      {
        'compose.yml': [
          'x-common: &common',
          '  restart: unless-stopped',
          '  environment: { TZ: UTC }',
          'services:',
          '  a:',
          '    <<: *common',
          '    image: a',
          '  b:',
          '    <<: *common',
          '    image: b',
          '    restart: "no"',
          '',
        ].join('\n'),
      },
      ['compose.yml'],
    );
    expect(svc(p.js, 'a')).toEqual({ image: 'a', restart: 'unless-stopped', environment: { TZ: 'UTC' } });
    expect(svc(p.js, 'b')['restart']).toBe('no');
  });
});

describe('extends', () => {
  it('merges a service over the one it extends, in the same file and in another file', () => {
    const p = load(
      {
        'compose.yml': [
          'services:',
          '  base:',
          '    image: app',
          '    environment: { LEVEL: info }',
          '  worker:',
          '    extends: base',
          '    command: work',
          '  remote:',
          '    extends: { file: lib/common.yml, service: shared }',
          '    environment: { OWN: "1" }',
          '',
        ].join('\n'),
        'lib/common.yml': 'services:\n  shared:\n    image: shared:1\n    environment: { FROM: lib }\n    env_file: shared.env\n',
      },
      ['compose.yml'],
    );
    expect(svc(p.js, 'worker')).toEqual({ image: 'app', environment: { LEVEL: 'info' }, command: 'work' });
    expect(svc(p.js, 'remote')).toEqual({ image: 'shared:1', environment: { FROM: 'lib', OWN: '1' }, env_file: ['shared.env'] });
    expect(p.files).toEqual(['compose.yml', 'lib/common.yml']);
  });

  it('refuses a cycle, at the extends that closes it', () => {
    expect(loadError({ 'compose.yml': 'services:\n  a:\n    image: x\n    extends: b\n  b:\n    image: y\n    extends: a\n' }, ['compose.yml'])).toMatch(
      /^compose\.yml:\d+:\d+: extends goes round in a circle: (a → b → a|b → a → b)$/,
    );
  });

  it('refuses a missing base service', () => {
    expect(loadError({ 'compose.yml': 'services:\n  a:\n    image: x\n    extends: nope\n' }, ['compose.yml'])).toBe(
      'compose.yml:4:14: extends names the service `nope`, which compose.yml does not define',
    );
  });
});

describe('include', () => {
  it('adds the services and resources of an included project, interpolated with its own .env', () => {
    const p = load(
      {
        'compose.yml': 'include:\n  - db/compose.yml\nservices:\n  app:\n    image: app\n    depends_on: [db]\n',
        'db/compose.yml': 'services:\n  db:\n    image: postgres:${PG_VERSION}\nvolumes:\n  pgdata: {}\n',
        'db/.env': 'PG_VERSION=16\n',
      },
      ['compose.yml'],
    );
    expect(Object.keys(p.js['services'] as object)).toEqual(['app', 'db']);
    expect(svc(p.js, 'db')['image']).toBe('postgres:16');
    expect(Object.keys(p.js['volumes'] as object)).toEqual(['pgdata']);
  });

  it('refuses a resource both define', () => {
    expect(
      loadError({ 'compose.yml': 'include: [other.yml]\nservices:\n  app: { image: a }\n', 'other.yml': 'services:\n  app: { image: b }\n' }, ['compose.yml']),
    ).toMatch(/^compose\.yml:1:11: the included file other\.yml defines services\.app, which compose\.yml:3 defines too$/);
  });
});

describe('profiles', () => {
  const files = {
    'compose.yml': 'services:\n  web: { image: web }\n  debug: { image: dbg, profiles: [debug] }\n  test: { image: t, profiles: [test, ci] }\n',
  };
  it('leaves out services whose profiles are not active', () => {
    const p = load(files, ['compose.yml']);
    expect(Object.keys(p.js['services'] as object)).toEqual(['web']);
    expect(p.inactive.map((e) => e.key)).toEqual(['debug', 'test']);
  });
  it('takes --profile, COMPOSE_PROFILES and `*`', () => {
    expect(Object.keys(load(files, ['compose.yml'], { profiles: ['ci'] }).js['services'] as object)).toEqual(['web', 'test']);
    expect(Object.keys(load({ ...files, '.env': 'COMPOSE_PROFILES=debug,ci\n' }, ['compose.yml']).js['services'] as object)).toEqual(['web', 'debug', 'test']);
    expect(Object.keys(load(files, ['compose.yml'], { profiles: ['*'] }).js['services'] as object)).toEqual(['web', 'debug', 'test']);
  });
  it('refuses a dependency on a service whose profile is off', () => {
    expect(loadError({ 'compose.yml': 'services:\n  web:\n    image: w\n    depends_on: [db]\n  db: { image: d, profiles: [db] }\n' }, ['compose.yml'])).toBe(
      'compose.yml:4:18: web depends on `db`, which is no active service of the project',
    );
  });
});

describe('the project name', () => {
  const files = { 'stacks/My Media/compose.yml': 'services:\n  a: { image: a }\n' };
  it('comes from -p, COMPOSE_PROJECT_NAME, `name:`, then the directory (made valid)', () => {
    expect(load(files, ['stacks/My Media/compose.yml']).name.value).toBe('mymedia');
    expect(load({ 'x/compose.yml': 'name: media\nservices: { a: { image: a } }\n' }, ['x/compose.yml']).name.value).toBe('media');
    expect(load({ 'x/compose.yml': 'name: media\nservices: { a: { image: a } }\n', 'x/.env': 'COMPOSE_PROJECT_NAME=fromenv\n' }, ['x/compose.yml']).name.value).toBe('fromenv');
    expect(load({ 'x/compose.yml': 'name: media\nservices: { a: { image: a } }\n' }, ['x/compose.yml'], { projectName: 'cli' }).name.value).toBe('cli');
    expect(load({ 'compose.yml': 'services: { a: { image: a } }\n' }, ['compose.yml'], { workingDirectoryName: 'Home_Lab' }).name.value).toBe('home_lab');
  });
  it('refuses an explicit name that is not valid', () => {
    expect(loadError({ 'compose.yml': 'name: My App\nservices: { a: { image: a } }\n' }, ['compose.yml'])).toMatch(/^compose\.yml:1:7: the project name `My App` \(from the top-level `name:`\) is not valid$/);
  });
});

describe('environment files and variables', () => {
  it('interpolates with the project .env, or with --env-file instead of it', () => {
    const files = { 'compose.yml': 'services:\n  a:\n    image: "app:${TAG:-latest}"\n', '.env': 'TAG=1.0\n', 'prod.env': 'TAG=2.0\n' };
    expect(svc(load(files, ['compose.yml']).js, 'a')['image']).toBe('app:1.0');
    expect(svc(load(files, ['compose.yml'], { envFiles: ['prod.env'] }).js, 'a')['image']).toBe('app:2.0');
    expect(load(files, ['compose.yml'], { envFiles: ['prod.env'] }).envFiles).toEqual(['prod.env']);
  });
  it('warns once per unset variable, where it is first used', () => {
    const p = load({ 'compose.yml': 'services:\n  a:\n    image: "app:$TAG"\n    environment: { X: "$TAG" }\n' }, ['compose.yml']);
    expect(p.ledger.diagnostics.map((d) => `${d.code} ${d.origin?.line}:${d.origin?.column}`)).toEqual(['compose/variable-unset 3:12']);
  });
  it('does not interpolate keys', () => {
    expect(svc(load({ 'compose.yml': 'services:\n  a:\n    image: a\n    labels: { "$$KEY": v, "${NOT}": w }\n' }, ['compose.yml']).js, 'a')['labels']).toEqual({ $$KEY: 'v', '${NOT}': 'w' });
  });
});
