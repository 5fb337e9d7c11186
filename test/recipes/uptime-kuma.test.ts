import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { catalogProblems } from './catalog-of.ts';
import { containerUnit, diagnostics, migrationOf, nativeDockerRun, nativeUnits, unaccounted } from './helpers.ts';

describe('uptime-kuma recipe', () => {
  it('settings.HOST/PORT (strings) from the published port, UPTIME_KUMA_* into settings, the state copied to the DynamicUser directory', () => {
    const c = nativeUnits({ 'uptime-kuma.service': containerUnit('--name uptime-kuma -p 3002:3001 -e UPTIME_KUMA_DISABLE_FRAME_SAMEORIGIN=true -v /srv/uptime-kuma:/app/data louislam/uptime-kuma:1.23.16') });
    expect(c.option('services', 'uptime-kuma')).toEqual({
      enable: true,
      appriseSupport: true,
      settings: { HOST: '0.0.0.0', PORT: '3002', UPTIME_KUMA_DISABLE_FRAME_SAMEORIGIN: 'true' },
    });
    // No openFirewall in the module: the published port is opened as before.
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toEqual([3002]);
    const m = migrationOf(c, 'uptime-kuma');
    expect(m.steps.map((s) => s.title)).toEqual([
      'Make the directory of DynamicUser state',
      'Stop uptime-kuma on the old host',
      'Copy /app/data of the old container to /var/lib/private/uptime-kuma',
      'Leave the ownership to systemd',
      'Switch to the new configuration',
      'Check uptime-kuma.service',
    ]);
    expect(m.differences.join('\n')).toMatch(/Uptime Kuma 1\.23\.16; nixpkgs has 2\.x, which migrates kuma\.db/);
    expect(m.health).toBe('curl -fsS http://127.0.0.1:3002/');
    expect(catalogProblems(c)).toEqual([]);
    expect(unaccounted(c)).toEqual([]);
  });

  it('a newer major than nixpkgs is an error; the Docker socket is not carried', () => {
    const c = nativeDockerRun(['docker run -d --name kuma -p 3001:3001 -v kuma:/app/data -v /var/run/docker.sock:/var/run/docker.sock:ro louislam/uptime-kuma:3.0.0']);
    expect(diagnostics(c, 'uptime-kuma/newer')).toHaveLength(1);
    expect(fateOf(c.report, '-v /var/run/docker.sock:/var/run/docker.sock:ro')).toMatch(/^unsupported/);
    expect(c.option('services', 'uptime-kuma', 'settings')).toEqual({ HOST: '0.0.0.0' });
  });
});
