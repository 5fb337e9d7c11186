import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { catalogProblems } from './catalog-of.ts';
import { containerUnit, migrationOf, nativeDockerRun, nativeUnits, unaccounted } from './helpers.ts';

const CONFIG = [
  'write_files:',
  '  - path: /srv/prometheus/config/prometheus.yml',
  '    content: |',
  '      global:',
  '        scrape_interval: 30s',
  '      rule_files:',
  '        - /etc/prometheus/rules/*.yml',
  '      scrape_configs:',
  '        - job_name: node',
  '          static_configs:',
  '            - targets: ["nas:9100"]',
].join('\n');

const RUN = '--name prometheus -p 9090:9090 -v /srv/prometheus/config:/etc/prometheus -v /srv/prometheus/data:/prometheus prom/prometheus:v3.1.0 --config.file=/etc/prometheus/prometheus.yml --storage.tsdb.path=/prometheus --storage.tsdb.retention.time=90d --web.enable-lifecycle';

describe('prometheus recipe', () => {
  it('prometheus.yml from write_files becomes configText with host paths; the flags the module sets go, retention maps, the rest stays', () => {
    const c = nativeUnits({ 'prometheus.service': containerUnit(RUN) }, {}, CONFIG);
    expect(c.option('services', 'prometheus')).toEqual({
      enable: true,
      retentionTime: '90d',
      extraFlags: ['--web.enable-lifecycle'],
      configText: 'global:\n  scrape_interval: 30s\nrule_files:\n  - /srv/prometheus/config/rules/*.yml\nscrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: ["nas:9100"]\n',
      checkConfig: 'syntax-only',
    });
    // No openFirewall in the module: the published port is opened as before.
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toEqual([9090]);
    expect(fateOf(c.report, '-v /srv/prometheus/config:/etc/prometheus')).toBe('carried: services.prometheus.configText');
    expect(catalogProblems(c)).toEqual([]);
    expect(unaccounted(c)).toEqual([]);
  });

  it('copies the TSDB below /var/lib/prometheus2 and checks /-/healthy', () => {
    const c = nativeUnits({ 'prometheus.service': containerUnit(RUN) }, {}, CONFIG);
    const m = migrationOf(c, 'prometheus');
    expect(m.steps.map((s) => s.title)).toEqual([
      'Stop prometheus on the old host',
      'Copy /prometheus of the old container to /var/lib/prometheus2/data',
      'Switch to the new configuration',
      'Give the state to prometheus',
      'Check prometheus.service',
    ]);
    expect(m.steps[3]!.detail).toContain('chown -R prometheus:prometheus /var/lib/prometheus2/data');
    expect(m.health).toBe('curl -fsS http://127.0.0.1:9090/-/healthy');
  });

  it('a configuration nixport cannot read is reported; the Quay image on another port sets services.prometheus.port', () => {
    const c = nativeDockerRun(['docker run -d --name prom -p 127.0.0.1:9191:9090 -v /opt/prom:/etc/prometheus -v prom-data:/prometheus quay.io/prometheus/prometheus']);
    expect(fateOf(c.report, '-v /opt/prom:/etc/prometheus')).toMatch(/^unsupported: \/opt\/prom\/prometheus\.yml is not among the files/);
    expect(c.option('services', 'prometheus')).toEqual({ enable: true, port: 9191, listenAddress: '127.0.0.1' });
    expect(catalogProblems(c)).toEqual([]);
  });
});
