import { describe, expect, it } from 'vitest';
import { hostNamed } from '../../src/plan/native.ts';
import { convertFiles } from '../strategies/convert-helpers.ts';
import { catalogProblems } from './catalog-of.ts';

describe('companion host variables', () => {
  it('name their host directly, in a URL (with or without credentials), or in a libpq key-value string', () => {
    expect(hostNamed('db')).toBe('db');
    expect(hostNamed('redis://broker:6379')).toBe('broker');
    expect(hostNamed('postgres://miniflux:pw@db/miniflux?sslmode=disable')).toBe('db');
    expect(hostNamed('postgresql://[fd00::5]:5432/app')).toBe('[fd00::5]');
    expect(hostNamed('user=miniflux host=db dbname=miniflux')).toBe('db');
  });
});

describe('a Compose project with a recipe of group B', () => {
  it('uptime-kuma: the service becomes services.uptime-kuma with its port; the named volume moves to the DynamicUser directory', () => {
    const compose = ['services:', '  uptime-kuma:', '    image: louislam/uptime-kuma:2', '    ports: [ "3001:3001" ]', '    volumes: [ "kuma:/app/data" ]', '    restart: unless-stopped', 'volumes:', '  kuma:', ''].join('\n');
    const c = convertFiles({ 'compose.yaml': compose }, { stage: 'native', host: 'monitor' });
    expect(c.run.plan.services.map((s) => s.strategy)).toEqual(['native']);
    expect(c.option('services', 'uptime-kuma')).toEqual({ enable: true, appriseSupport: true, settings: { HOST: '0.0.0.0' } });
    const m = c.report.migrations![0]!;
    expect(m.steps.find((s) => s.title.startsWith('Copy'))!.detail).toContain('/var/lib/private/uptime-kuma/');
    expect(catalogProblems(c)).toEqual([]);
  });
});
