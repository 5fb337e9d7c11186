import { describe, expect, it } from 'vitest';
import { catalogProblems } from './catalog-of.ts';
import { containerUnit, diagnostics, migrationOf, nativeDockerRun, nativeUnits, unaccounted } from './helpers.ts';

describe('redis recipe', () => {
  it('the container becomes the instance "" (redis.service): its flags map to options, the password to a file outside the store', () => {
    const c = nativeUnits({ 'redis.service': containerUnit('--name redis -p 6379:6379 -v /srv/redis:/data redis:7.2-alpine redis-server --appendonly yes --requirepass 9f8e7d6c5b4a3f2e1d0c --save 60 1 --save 300 100 --maxmemory 256mb --maxmemory-policy allkeys-lru') });
    expect(c.option('services', 'redis', 'servers', '')).toEqual({
      enable: true,
      appendOnly: true,
      requirePassFile: '/var/lib/secrets/redis-requirepass',
      save: [
        [60, 1],
        [300, 100],
      ],
      settings: { maxmemory: '256mb', 'maxmemory-policy': 'allkeys-lru' },
      bind: '0.0.0.0',
      openFirewall: true,
    });
    const text = c.run.layout.files.filter((f) => !f.path.startsWith('secrets.local/')).map((f) => String(f.content)).join('\n');
    expect(text).not.toContain('9f8e7d6c5b4a3f2e1d0c');
    expect(text).toContain('servers."" = {');
    expect(catalogProblems(c)).toEqual([]);
    expect(unaccounted(c)).toEqual([]);
  });

  it('copies the dump to /var/lib/redis, where the module keeps it, and says the older dump loads', () => {
    const c = nativeUnits({ 'redis.service': containerUnit('--name redis -v /srv/redis:/data redis:7.2') });
    const m = migrationOf(c, 'redis');
    expect(m.steps.map((s) => s.title)).toEqual([
      'Stop redis on the old host',
      'Copy /data of the old container to /var/lib/redis',
      'Switch to the new configuration',
      'Give the state to redis',
      'Check that the instance answers',
      'Check redis.service',
    ]);
    expect(m.differences.join('\n')).toContain('the image was Redis 7.2; nixpkgs has Redis 8.8');
    // Nothing was published: the instance stays on 127.0.0.1, nothing is opened.
    expect(c.option('services', 'redis', 'servers', '', 'bind')).toBeUndefined();
    expect(c.option('networking', 'firewall')).toBeUndefined();
  });

  it('Valkey (bitnami): package pkgs.valkey, REDIS_PASSWORD to requirePassFile, AOF from its variable', () => {
    const c = nativeDockerRun(['docker run -d --name cache -p 127.0.0.1:6380:6379 -e REDIS_PASSWORD=0f1e2d3c4b5a69788796a5b4 -e REDIS_AOF_ENABLED=yes -v cache-data:/bitnami/valkey/data bitnami/valkey:8.0']);
    const redis = c.option('services', 'redis') as { package: unknown; servers: Record<string, unknown> };
    expect(String(redis.package)).toMatch(/valkey/);
    expect(redis.servers['']).toEqual({ enable: true, requirePassFile: '/var/lib/secrets/cache-redis_password', appendOnly: true, port: 6380 });
    expect(catalogProblems(c)).toEqual([]);
  });

  it('a Redis newer than nixpkgs\' is an error: its dump would not load', () => {
    const c = nativeDockerRun(['docker run -d --name r -v /srv/r:/data redis:9.0']);
    expect(diagnostics(c, 'redis/newer')).toHaveLength(1);
  });
});
