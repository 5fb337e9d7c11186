import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderSupportMatrix, SUPPORT_MATRIX_UPDATE } from '../../src/docs/support-matrix.ts';

const file = fileURLToPath(new URL('../../docs/support-matrix.md', import.meta.url));

describe('docs/support-matrix.md', () => {
  it('matches what the tables generate', () => {
    const expected = renderSupportMatrix();
    if (process.env.NIXPORT_UPDATE_DOCS === '1') writeFileSync(file, expected);
    const actual = existsSync(file) ? readFileSync(file, 'utf8') : '';
    expect(actual, `docs/support-matrix.md is stale; regenerate it with\n  ${SUPPORT_MATRIX_UPDATE}`).toBe(expected);
  });
});
