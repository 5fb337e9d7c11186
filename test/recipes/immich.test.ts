import { beforeAll, describe, expect, it } from 'vitest';
import type { Pipeline } from '../../src/pipeline.ts';
import { pipelineFor } from '../e2e/fixtures.ts';
import { mergeModulesJson, moduleToJson } from '../helpers/nix-json.ts';
import { reportOfRun } from '../../src/report/extras.ts';
import type { Report } from '../../src/report/types.ts';
import { nativeDockerRun } from './helpers.ts';

/** test/fixtures/hosts/photos: Immich's four containers as docker run units, media on /srv (post, N9). */
let run: Pipeline;
let config: unknown;
let report: Report;

const option = (...path: string[]): unknown => path.reduce<unknown>((at, k) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[k] : undefined), config);

beforeAll(async () => {
  run = await pipelineFor(['test/fixtures/hosts/photos'], { stage: 'native', host: 'photos' });
  config = mergeModulesJson(run.layout.modules.map((m) => moduleToJson(m.expr)));
  report = reportOfRun(run, {}, []);
});

describe('immich recipe', () => {
  it('the server becomes services.immich; machine learning, Postgres and Valkey go with it', () => {
    expect(Object.fromEntries(run.plan.services.map((s) => [s.name, s.strategy]))).toEqual({
      'immich-machine-learning': 'native',
      'immich-postgres': 'native',
      'immich-redis': 'native',
      'immich-server': 'native',
    });
    expect(option('services', 'immich')).toEqual({
      enable: true,
      host: '0.0.0.0',
      mediaLocation: '/srv/immich/library',
      openFirewall: true,
      environment: { IMMICH_LOG_LEVEL: 'log' },
      'machine-learning': { enable: true },
    });
    expect(option('virtualisation', 'docker')).toBeUndefined();
    expect(option('virtualisation', 'oci-containers')).toBeUndefined();
    expect(run.plan.services.find((s) => s.name === 'immich-postgres')!.reason).toMatch(/^stage 3: part of immich-server \(services\.immich\): the module's PostgreSQL/);
  });

  it('keeps the lessons on immich-server.service: the /srv mount, Restart=always over the module\'s on-failure', () => {
    expect(option('systemd', 'services', 'immich-server')).toEqual({
      serviceConfig: { Restart: 'always' },
      startLimitIntervalSec: 0,
      unitConfig: { RequiresMountsFor: ['/srv'] },
      wantedBy: ['srv.mount'],
    });
  });

  it('migrates the database by dump and restore, in order around the switch, with the old user and container', () => {
    const m = report.migrations!.find((x) => x.service === 'immich-server')!;
    expect(m.steps.map((s) => s.title)).toEqual([
      'Dump the Immich database on the old host',
      'Stop immich_server, immich_machine_learning, immich_postgres, immich_redis on the old host',
      'Keep /srv/immich/library',
      'Switch to the new configuration',
      'Give the state to immich',
      'Restore the Immich database on NixOS',
      'Check immich-server.service',
    ]);
    expect(m.steps[0]!.detail).toContain('docker exec -t immich_postgres pg_dumpall --clean --if-exists --username=postgres');
    expect(m.steps[1]!.detail).toContain('`systemctl stop immich-server.service immich-machine-learning.service immich-postgres.service immich-redis.service`');
    expect(m.steps[5]!.detail).toMatch(/VectorChord/);
    expect(m.health).toBe('curl -fsS http://127.0.0.1:2283/api/server/ping');
  });

  it('never writes the database password: the module uses peer authentication', () => {
    const text = run.layout.files.map((f) => String(f.content)).join('\n');
    expect(text).not.toContain('change-me-please');
    expect(report.items.filter((i) => i.fate.kind === 'unaccounted')).toEqual([]);
  });

  it('without a machine-learning container the module\'s own is turned off', () => {
    const c = nativeDockerRun(['docker run -d --name immich_server -p 127.0.0.1:2283:2283 -v /data/photos:/usr/src/app/upload ghcr.io/immich-app/immich-server:release']);
    expect(c.option('services', 'immich')).toEqual({ enable: true, 'machine-learning': { enable: false }, host: '127.0.0.1', mediaLocation: '/data/photos' });
    // Bound to loopback: nothing was reachable from outside, so nothing is opened.
    expect(c.option('networking', 'firewall')).toBeUndefined();
  });
});
