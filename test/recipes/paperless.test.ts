import { describe, expect, it } from 'vitest';
import { convertFiles, fateOf } from '../strategies/convert-helpers.ts';
import { catalogProblems } from './catalog-of.ts';
import { diagnostics, migrationOf, nativeDockerRun, unaccounted } from './helpers.ts';

/** Upstream's docker-compose.postgres-tika.yml, as users run it (bind mounts for the state). */
const COMPOSE = [
  'services:',
  '  broker:',
  '    image: docker.io/library/redis:8',
  '    volumes: [ "redisdata:/data" ]',
  '  db:',
  '    image: docker.io/library/postgres:17',
  '    volumes: [ "pgdata:/var/lib/postgresql/data" ]',
  '    environment:',
  '      POSTGRES_DB: paperless',
  '      POSTGRES_USER: paperless',
  '      POSTGRES_PASSWORD: paperless',
  '  webserver:',
  '    image: ghcr.io/paperless-ngx/paperless-ngx:2.14',
  '    ports: [ "8000:8000" ]',
  '    volumes:',
  '      - /srv/paperless/data:/usr/src/paperless/data',
  '      - /srv/paperless/media:/usr/src/paperless/media',
  '      - /srv/paperless/export:/usr/src/paperless/export',
  '      - /srv/paperless/consume:/usr/src/paperless/consume',
  '    environment:',
  '      PAPERLESS_REDIS: redis://broker:6379',
  '      PAPERLESS_DBHOST: db',
  '      PAPERLESS_TIKA_ENABLED: 1',
  '      PAPERLESS_TIKA_GOTENBERG_ENDPOINT: http://gotenberg:3000',
  '      PAPERLESS_TIKA_ENDPOINT: http://tika:9998',
  '      PAPERLESS_OCR_LANGUAGE: deu+eng',
  '      PAPERLESS_SECRET_KEY: 7f3c1a9b2e4d6f8a0c2e4a6b8d0f1e3c5a7b9d1f',
  '      PAPERLESS_URL: https://paperless.example.org',
  '      USERMAP_UID: 1000',
  '  gotenberg:',
  '    image: docker.io/gotenberg/gotenberg:8.7',
  '  tika:',
  '    image: docker.io/apache/tika:latest',
  'volumes:',
  '  redisdata:',
  '  pgdata:',
  '',
].join('\n');

describe('paperless recipe', () => {
  it('the compose project: broker, database, Gotenberg and Tika are the module\'s own now; the state stays where it was', () => {
    const c = convertFiles({ 'compose.yaml': COMPOSE }, { stage: 'native' });
    expect(Object.fromEntries(c.run.plan.services.map((s) => [s.name, s.native?.companionOf?.role ?? s.strategy]))).toEqual({
      'compose-broker': 'broker',
      'compose-db': 'database',
      'compose-webserver': 'native',
      'compose-gotenberg': 'gotenberg',
      'compose-tika': 'tika',
    });
    expect(c.option('services', 'paperless')).toEqual({
      enable: true,
      'database': { createLocally: true },
      configureTika: true,
      address: '0.0.0.0',
      port: 8000,
      dataDir: '/srv/paperless/data',
      mediaDir: '/srv/paperless/media',
      exporter: { directory: '/srv/paperless/export' },
      consumptionDir: '/srv/paperless/consume',
      settings: { PAPERLESS_OCR_LANGUAGE: 'deu+eng', PAPERLESS_URL: 'https://paperless.example.org' },
      environmentFile: '/var/lib/secrets/compose-webserver.env',
    });
    // The module runs its own Redis and PostgreSQL; nothing else converts the broker or the db.
    expect(c.option('services', 'redis')).toBeUndefined();
    expect(c.option('services', 'postgresql')).toBeUndefined();
    expect(fateOf(c.report, '--env PAPERLESS_REDIS=redis://broker:6379')).toMatch(/^dropped: the module runs its own Redis/);
    expect(catalogProblems(c)).toEqual([]);
    expect(unaccounted(c)).toEqual([]);
  });

  it('dumps the database from the db container, keeps the secret key, restores as paperless after the switch', () => {
    const m = migrationOf(convertFiles({ 'compose.yaml': COMPOSE }, { stage: 'native' }), 'compose-webserver');
    expect(m.steps.map((s) => s.title)).toEqual([
      'Dump the Paperless database',
      'Stop compose-webserver, compose-broker, compose-db, compose-gotenberg, compose-tika on the old host',
      'Keep /srv/paperless/data',
      'Keep /srv/paperless/media',
      'Keep /srv/paperless/export',
      'Keep /srv/paperless/consume',
      'Keep the old secret key',
      'Switch to the new configuration',
      'Give the state to paperless',
      'Restore the Paperless database',
      'Check paperless-web.service',
    ]);
    expect(m.steps[0]!.detail).toContain('docker exec compose-db sh -c');
    expect(m.steps[6]!.detail).toContain('/srv/paperless/data/nixos-paperless-secret-key');
    expect(m.steps[9]!.detail).toContain('sudo -u paperless psql -X -v ON_ERROR_STOP=1 -d paperless < /root/paperless-db.sql');
    expect(m.health).toBe('curl -fsS http://127.0.0.1:8000/');
  });

  it('a lone SQLite container: named volumes move to the module\'s places, the admin password to passwordFile, foreign hosts warned', () => {
    const c = nativeDockerRun(['docker run -d --name paperless -p 8010:8000 -e PAPERLESS_ADMIN_USER=admin -e PAPERLESS_ADMIN_PASSWORD=Pl-Adm-7e6d5c4b -e PAPERLESS_REDIS=redis://cache:6379 -v paperless_data:/usr/src/paperless/data -v paperless_media:/usr/src/paperless/media paperlessngx/paperless-ngx:latest']);
    expect(c.option('services', 'paperless')).toMatchObject({
      dataDir: '/var/lib/paperless',
      mediaDir: '/var/lib/paperless/media',
      port: 8010,
      passwordFile: '/var/lib/secrets/paperless-paperless_admin_password',
      settings: { PAPERLESS_ADMIN_USER: 'admin', PAPERLESS_REDIS: 'redis://cache:6379' },
    });
    expect(diagnostics(c, 'paperless/redis')).toHaveLength(1);
    expect(migrationOf(c, 'paperless').steps.map((s) => s.title)).toContain('Copy /usr/src/paperless/media of the old container to /var/lib/paperless/media');
    expect(catalogProblems(c)).toEqual([]);
  });
});
