import { beforeAll, describe, expect, it } from 'vitest';
import { mergeModulesJson, moduleToJson } from '../helpers/nix-json.ts';
import type { Pipeline } from '../../src/pipeline.ts';
import { pipelineFor } from './fixtures.ts';

/**
 * The bundled example with `--stage oci`: every unit that only ran a
 * container is declared in virtualisation.oci-containers, with the ports
 * and binds it had; samba, which builds its image with `docker commit`,
 * stays at stage 1 with the reason.
 */

let stage1: Pipeline;
let run: Pipeline;
let config: unknown;

function option(...path: string[]): unknown {
  let at: unknown = config;
  for (const key of path) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}
const containers = () => option('virtualisation', 'oci-containers', 'containers') as Record<string, Record<string, unknown>>;

beforeAll(async () => {
  stage1 = await pipelineFor(['examples/storage2']);
  run = await pipelineFor(['examples/storage2'], { stage: 'oci' });
  config = mergeModulesJson(run.layout.modules.map((m) => moduleToJson(m.expr)));
});

/** The `docker run` of each unit of the old host, by container name. */
function oldRuns() {
  const runs = new Map<string, { unit: string; ports: string[]; binds: string[] }>();
  for (const unit of stage1.host.units) {
    for (const d of unit.directives) {
      const docker = d.exec?.docker;
      if (d.key !== 'ExecStart' || docker?.verb !== 'run') continue;
      runs.set(docker.containerName ?? unit.name.replace(/\.service$/, ''), {
        unit: unit.name,
        ports: docker.ports.map((p) => p.raw),
        binds: docker.volumes.filter((v) => v.kind === 'bind').map((v) => v.raw),
      });
    }
  }
  return runs;
}

describe('storage2 at stage 2', () => {
  it('declares one container per unit that only ran one, named as before', () => {
    expect(Object.keys(containers()).sort()).toEqual(['jellyfin', 'nginx-healthz', 'node-exporter', 'sync']);
    expect(Object.fromEntries(run.plan.services.map((s) => [s.name, s.strategy]))).toEqual({
      samba: 'docker',
      unlock: 'docker',
      healthz: 'oci',
      jellyfin: 'oci',
      'node-exporter': 'oci',
      sync: 'oci',
    });
  });

  it('publishes the same ports and binds the same paths as the old units', () => {
    for (const [name, old] of oldRuns()) {
      if (old.unit === 'samba.service') continue;
      const c = containers()[name]!;
      expect(c['ports'] ?? [], name).toEqual(old.ports);
      expect(((c['volumes'] as string[] | undefined) ?? []).filter((v) => v.startsWith('/')), name).toEqual(old.binds);
    }
  });

  it('leaves no housekeeping: no container unit runs the docker CLI any more', () => {
    for (const name of Object.keys(containers())) {
      const unit = option('systemd', 'services', `docker-${name}`) as Record<string, unknown>;
      expect(JSON.stringify(unit), name).not.toMatch(/bin\/docker|ExecStartPre|ExecStop/);
    }
    for (const old of ['healthz', 'jellyfin', 'node-exporter', 'sync']) expect(option('systemd', 'services', old), old).toBeUndefined();
  });

  it('keeps samba at stage 1, because it builds its image with docker commit', () => {
    const samba = run.plan.services.find((s) => s.name === 'samba')!;
    expect(samba.reason).toMatch(/^stage 1: stays 1:1 because .*runs a second container/);
    expect(option('systemd', 'services', 'samba', 'serviceConfig', 'ExecStartPre')).toContainEqual(expect.stringContaining('docker commit smb-prep smb-prepared'));
    expect(option('virtualisation', 'docker', 'enable')).toBe(true);
  });

  it('keeps the stage-1 lessons on the container units: mounts, indefinite restarts, firewall', () => {
    for (const name of ['nginx-healthz', 'jellyfin']) {
      expect(option('systemd', 'services', `docker-${name}`), name).toMatchObject({
        unitConfig: { RequiresMountsFor: ['/srv'] },
        wantedBy: ['srv.mount'],
        startLimitIntervalSec: 0,
        serviceConfig: { Restart: 'always' },
      });
    }
    expect(option('systemd', 'services', 'docker-node-exporter')).toMatchObject({ startLimitIntervalSec: 0, serviceConfig: { Restart: 'always', RestartSec: '1' } });
    // The same ports; lists merge in import order, which the stages change.
    const sorted = (x: unknown) => [...(x as number[])].sort((a, b) => a - b);
    expect(sorted(option('networking', 'firewall', 'allowedTCPPorts'))).toEqual(sorted(stage1Firewall('allowedTCPPorts')));
    expect(sorted(option('networking', 'firewall', 'allowedUDPPorts'))).toEqual(sorted(stage1Firewall('allowedUDPPorts')));
  });

  it('pulls at every start where the old units did', () => {
    expect(containers()['nginx-healthz']!['pull']).toBe('always');
    expect(containers()['jellyfin']!['pull']).toBe('always');
    expect(containers()['node-exporter']!['pull']).toBeUndefined();
  });

  it('starts the nightly sync from its timer, not at boot', () => {
    expect(containers()['sync']!['autoStart']).toBe(false);
    expect(option('systemd', 'timers', 'sync', 'timerConfig', 'Unit')).toBe('docker-sync.service');
  });

  it('writes the backend out: the module would pick podman for stateVersion 26.05', () => {
    expect(option('virtualisation', 'oci-containers', 'backend')).toBe('docker');
  });

  it('lists each service\'s stage and why in the report', () => {
    const reasons = Object.fromEntries(run.plan.services.map((s) => [s.name, s.reason]));
    expect(reasons['healthz']).toBe('stage 2: its `docker run` became virtualisation.oci-containers.containers.nginx-healthz; 4 housekeeping line(s) the module does itself were dropped');
    expect(reasons['unlock']).toBe('stage 1: it runs no container (a plain systemd unit), carried 1:1');
  });
});

function stage1Firewall(key: string): unknown {
  const c = mergeModulesJson(stage1.layout.modules.map((m) => moduleToJson(m.expr))) as Record<string, Record<string, Record<string, unknown>>>;
  return c['networking']?.['firewall']?.[key];
}
