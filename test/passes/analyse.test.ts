import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/model/ledger.ts';
import { analyse } from '../../src/passes/index.ts';
import { readInputs } from '../../src/sources/index.ts';
import { show } from './build.ts';
import { seedHost } from './seed.ts';

describe('analyse', () => {
  it('runs every pass over the seed host', () => {
    const { host, ledger, units } = seedHost();
    const a = analyse(host, ledger);
    expect(a.mounts.fileSystems.map((f) => [f.mountPoint, f.device, ...f.options])).toEqual([
      ['/srv', '/dev/mapper/data-data', 'nofail', 'x-systemd.requires=unlock.service'],
    ]);
    expect([...a.mounts.needs.keys()]).toEqual(['healthz.service', 'samba.service', 'jellyfin.service']);
    expect(a.firewall.ports).toHaveLength(5);
    expect([...a.restart.plans.keys()]).toEqual(['healthz.service', 'samba.service', 'jellyfin.service', 'node-exporter.service']);
    // The mount step left unlock.service, so it has no rewritten command line.
    const mount = [...a.mounts.removedExecs][0]!;
    expect(a.binaries.commands.has(mount)).toBe(false);
    // Every docker line, and the three unlock payloads; not healthz's `systemctl is-active` (in the unit PATH).
    const docker = Object.values(units).flatMap((u) => u.directives.filter((d) => d.exec?.words[0]?.value === '/usr/bin/docker'));
    expect(a.binaries.commands.size).toBe(docker.length + 3);
  });

  it('is deterministic', () => {
    const once = () => {
      const { host, ledger } = seedHost();
      const a = analyse(host, ledger);
      return JSON.stringify({
        fs: a.mounts.fileSystems.map((f) => [f.mountPoint, f.options]),
        needs: [...a.mounts.needs],
        ports: a.firewall.ports.map((p) => [p.protocol, p.from, p.to, p.boundTo, p.unit]),
        restart: [...a.restart.plans].map(([n, p]) => [n, p.startLimitIntervalSec, p.reason]),
        commands: [...a.binaries.commands.values()].map(show),
        diagnostics: ledger.diagnostics,
      });
    };
    expect(once()).toBe(once());
  });

  // The same facts from the real readers, on the example host of the repository.
  it('reads examples/storage2 through the readers and finds the post\'s facts', () => {
    const ledger = new Ledger();
    const path = (p: string) => `examples/storage2/${p}`;
    const host = readInputs(
      ['cloud-config.yml', 'root/.ssh/authorized_keys'].map((p) => ({ path: path(p), content: readFileSync(path(p)) })),
      ledger,
    );
    const a = analyse(host, ledger);
    expect(a.mounts.fileSystems.map((f) => [f.mountPoint, f.device, ...f.options])).toEqual([
      ['/srv', '/dev/mapper/data-data', 'nofail', 'x-systemd.requires=unlock.service'],
    ]);
    expect(a.mounts.needs.get('unlock.service')).toBeUndefined();
    expect(a.mounts.needs.get('jellyfin.service')).toEqual(['/srv']);
    expect(a.firewall.ports.map((p) => `${p.protocol}/${p.from}${p.boundTo ? `@${p.boundTo}` : ''}`)).toEqual([
      'tcp/139',
      'tcp/445',
      'tcp/8200@10.0.0.252',
      'udp/137',
      'udp/138',
    ]);
    expect(a.firewall.hostNetwork.map((h) => h.unit)).toEqual(['jellyfin.service', 'node-exporter.service']);
    expect(a.restart.plans.get('node-exporter.service')?.startLimitIntervalSec).toBe(0);
    const commands = [...a.binaries.commands.values()].map(show);
    expect(commands).toContain('/bin/sh -c "${pkgs.lvm2.bin}/bin/vgchange -ay"');
    expect([...a.binaries.keys.values()].map(show)[0]).toMatch(/^command="\$\{pkgs\.docker\}\/bin\/docker run --log-driver none /);
  });
});
