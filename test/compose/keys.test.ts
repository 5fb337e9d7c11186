import { describe, expect, it } from 'vitest';
import schema from '../../src/sources/compose/schema/compose-spec.json' with { type: 'json' };
import { SERVICE_KEYS } from '../../src/sources/compose/service-keys.ts';
import { codes, convertCompose } from './helpers.ts';

describe('the Compose key table', () => {
  const serviceKeys = Object.keys((schema as { definitions: { service: { properties: Record<string, unknown> } } }).definitions.service.properties).sort();

  it('has one entry for every service key of the shipped schema, and no other', () => {
    expect(Object.keys(SERVICE_KEYS).sort()).toEqual(serviceKeys);
  });

  it('says what becomes of each key', () => {
    for (const [key, k] of Object.entries(SERVICE_KEYS)) expect(k.doc.length, key).toBeGreaterThan(3);
  });

  it('reports the keys it does not translate with a warning and a hint', () => {
    const c = convertCompose({ 'x/compose.yml': 'services:\n  a:\n    image: a\n    post_start: [{ command: echo hi }]\n    scale: 3\n' });
    expect(codes(c)).toEqual(expect.arrayContaining(['compose/unsupported-key', 'compose/scale']));
    expect(c.report.items.filter((i) => i.fate.kind === 'unaccounted')).toEqual([]);
  });
});
