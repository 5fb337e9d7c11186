import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeSystemdPath, mountUnitName, unescapeSystemdPath } from '../../src/passes/systemd-escape.ts';

describe('escapeSystemdPath (systemd-escape --path)', () => {
  it.each([
    ['/srv', 'srv'],
    ['/srv/data', 'srv-data'],
    ['/srv/my-data', 'srv-my\\x2ddata'],
    ['/home/user name', 'home-user\\x20name'],
    ['/', '-'],
    ['', '-'],
    ['/srv/data/', 'srv-data'],
    ['//srv//./data', 'srv-data'],
    ['/.hidden/x', '\\x2ehidden-x'],
    ['/srv/a.b/c:d_e', 'srv-a.b-c:d_e'],
    ['/srv/back\\slash', 'srv-back\\x5cslash'],
    ['/mnt/über', 'mnt-\\xc3\\xbcber'],
  ])('%j -> %j', (path, escaped) => {
    expect(escapeSystemdPath(path)).toBe(escaped);
  });

  it('names mount units', () => {
    expect(mountUnitName('/srv')).toBe('srv.mount');
    expect(mountUnitName('/var/lib/docker')).toBe('var-lib-docker.mount');
  });

  it('refuses paths with .. like systemd', () => {
    expect(() => escapeSystemdPath('/srv/../etc')).toThrow(/\.\./);
  });

  it('unescapes what it escapes', () => {
    const segment = fc.string({ minLength: 1, maxLength: 8, unit: 'grapheme' }).filter((s) => !s.includes('/') && s !== '.' && s !== '..');
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), (segments) => {
        const path = `/${segments.join('/')}`;
        const escaped = escapeSystemdPath(path);
        expect(escaped).toMatch(/^[A-Za-z0-9:_.\\-]+$/);
        expect(escaped.startsWith('.')).toBe(false);
        expect(unescapeSystemdPath(escaped)).toBe(path);
      }),
    );
  });

  // When systemd is installed, compare with the real thing.
  const real = (() => {
    try {
      execFileSync('systemd-escape', ['--path', '/'], { stdio: 'pipe' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!real)('agrees with systemd-escape --path', () => {
    const segment = fc.string({ minLength: 1, maxLength: 6, unit: 'grapheme' }).filter((s) => !s.includes('/') && s !== '.' && s !== '..' && !s.includes('\0'));
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 3 }), (segments) => {
        const path = `/${segments.join('/')}`;
        const expected = execFileSync('systemd-escape', ['--path', '--', path], { encoding: 'utf8' }).trimEnd();
        expect(escapeSystemdPath(path)).toBe(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('unescapes unit names back to paths', () => {
    expect(unescapeSystemdPath('srv-my\\x2ddata')).toBe('/srv/my-data');
    expect(unescapeSystemdPath('-')).toBe('/');
    expect(unescapeSystemdPath('srv\\xzz')).toBeUndefined();
  });
});
