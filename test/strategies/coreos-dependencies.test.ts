import { describe, expect, it } from 'vitest';
import { cloudConfig, convertFiles, fateOf } from './convert-helpers.ts';

/**
 * CoreOS's own units (flanneld, etcd2, fleet) are not carried. A service
 * that required one would never start on NixOS (the unit does not exist),
 * so the dependency is left out, loudly for Requires=, quietly for ordering.
 */
const HOST = cloudConfig({
  'flanneld.service': { extra: 'command: start' },
  'redis.service': {
    extra: 'command: start',
    content: '[Unit]\nRequires=flanneld.service\nAfter=flanneld.service network-online.target\n[Service]\nExecStart=/usr/bin/docker run --name redis -p 6379:6379 redis:7\nRestart=always\n',
  },
});

describe('dependencies on CoreOS units that are not carried', () => {
  it('stage 1: leaves them out of requires and after, keeps the rest, and warns for Requires=', () => {
    const c = convertFiles({ 'cloud-config.yml': HOST });
    expect(c.option('systemd', 'services', 'redis', 'requires')).toEqual(['docker.service']);
    expect(c.option('systemd', 'services', 'redis', 'after')).toEqual(['network-online.target', 'docker.service']);
    const warnings = c.report.diagnostics.filter((d) => d.code === 'unit/dependency-not-carried');
    const requiresLine = HOST.split('\n').findIndex((l) => l.includes('Requires=flanneld')) + 1;
    expect(warnings.map((d) => [d.severity, d.origin?.line])).toEqual([['warning', requiresLine]]);
    expect(fateOf(c.report, /\[Unit\] Requires=/)).toMatch(/^dropped/);
  });

  it('stage 2: the container unit does not require it either', () => {
    const c = convertFiles({ 'cloud-config.yml': HOST }, { stage: 'oci' });
    const unit = c.option('systemd', 'services', 'docker-redis') as Record<string, unknown>;
    expect(JSON.stringify(unit)).not.toContain('flanneld');
    expect(c.report.diagnostics.filter((d) => d.code === 'unit/dependency-not-carried')).toHaveLength(1);
  });
});
