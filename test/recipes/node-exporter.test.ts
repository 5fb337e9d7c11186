import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { migrationOf, nativeDockerRun, nativeUnits, unaccounted } from './helpers.ts';

/** The example's node exporter: host network and PID namespace, / bound read-only, flags for address and collectors. */
const UNIT = [
  '[Unit]',
  'Description=Prometheus node exporter',
  'After=docker.service',
  'Requires=docker.service',
  '',
  '[Service]',
  'Restart=always',
  'RestartSec=1',
  'StartLimitInterval=0',
  'ExecStartPre=-/usr/bin/docker rm -f node-exporter',
  'ExecStart=/usr/bin/docker run --rm --name node-exporter --net=host --pid=host -v /:/host:ro,rslave quay.io/prometheus/node-exporter:v1.8.2 --path.rootfs=/host --web.listen-address=100.101.102.103:9100 --collector.systemd --no-collector.wifi',
  'ExecStop=/usr/bin/docker stop node-exporter',
].join('\n');

describe('node-exporter recipe', () => {
  it('listen address and collectors from the flags; indefinite restarts on prometheus-node-exporter.service (post, N1)', () => {
    const c = nativeUnits({ 'node-exporter.service': UNIT });
    expect(c.option('services', 'prometheus', 'exporters', 'node')).toEqual({
      enable: true,
      listenAddress: '100.101.102.103',
      enabledCollectors: ['systemd'],
      disabledCollectors: ['wifi'],
      openFirewall: true,
    });
    expect(c.option('systemd', 'services', 'prometheus-node-exporter')).toEqual({
      startLimitIntervalSec: 0,
      serviceConfig: { Restart: 'always', RestartSec: '1' },
      aliases: ['node-exporter.service'],
    });
    expect(fateOf(c.report, '-v /:/host:ro,rslave')).toMatch(/^dropped: the exporter runs on the host/);
    expect(fateOf(c.report, '--pid=host')).toMatch(/^dropped/);
    expect(migrationOf(c, 'node-exporter').health).toBe('curl -fsS http://100.101.102.103:9100/metrics');
    // The manual step for the host network's unknown ports is not needed: the module knows its port.
    expect(c.report.manualSteps.some((s) => s.title.includes('Open the ports of node-exporter'))).toBe(false);
    expect(unaccounted(c)).toEqual([]);
  });

  it('prom/node-exporter published on another port: port follows, unknown flags go to extraFlags', () => {
    const c = nativeDockerRun(['docker run -d --name ne -p 9200:9100 prom/node-exporter --collector.textfile.directory=/var/lib/textfile --web.listen-address=:9100']);
    expect(c.option('services', 'prometheus', 'exporters', 'node')).toMatchObject({ port: 9200, extraFlags: ['--collector.textfile.directory=/var/lib/textfile'], openFirewall: true });
  });
});
