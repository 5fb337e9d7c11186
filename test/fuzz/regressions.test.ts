import { describe, expect, it } from 'vitest';
import { convert } from '../../src/index.ts';

/**
 * Inputs the long fuzz (`npm run fuzz`) found to crash a conversion, kept
 * as tests once fixed. Each says what went wrong.
 */
describe('inputs the fuzz found', () => {
  it('a "password hash" that is no crypt(3) hash and also the host name: neither a secret nor a crash', () => {
    // The final leak check saw the hash in the header (the host name) and threw: `root:root` is no hash, and it is public.
    const r = convert([{ path: 'cloud-config.yml', content: '#cloud-config\nhostname: root:root\nusers:\n  - name: anna\n    passwd: root:root\n' }]);
    expect(r.exitCode).not.toBe(2);
    expect(r.report.secrets).toBeUndefined();
  });

  it('a token that is also a user name: the user keeps its name, and the password hash field is still no secret', () => {
    const token = 'ghp_0123456789abcdefghijABCDEFGHIJ012345';
    const bu = `variant: fcos\nversion: 1.4.0\npasswd:\n  users:\n    - name: anna\n      password_hash: ${token}\n    - name: ${token}\n`;
    const r = convert([{ path: 'config.bu', content: bu }]);
    expect(r.files.length).toBeGreaterThan(0);
    expect(r.report.secrets?.found.map((f) => f.what) ?? []).toEqual([]);
  });

  it('a secret value that the input also uses publicly is checked by its context only', () => {
    const r = convert([{ path: 'x.service', content: '[Service]\nUser=Zx9plainOverlap\nEnvironment=DB_PASSWORD=Zx9plainOverlap\nExecStart=/bin/true\n' }]);
    expect(r.report.secrets!.found[0]!.status).toBe('moved');
    expect(r.files.filter((f) => String(f.content).includes('DB_PASSWORD=Zx9plainOverlap')).map((f) => f.path)).toEqual([]);
    expect(String(r.files.find((f) => f.path === 'services/x.nix')!.content)).toContain('User = "Zx9plainOverlap"');
  });

  it('a secret inside what names a finding (a SetCredential= id holding `PASSWORD=x`) is redacted in the report too', () => {
    // The report's Secrets section printed `SetCredential=… PASSWORD=x …` unredacted, and the final leak check threw.
    const unit = '[Service]\nExecStart=/bin/app PASSWORD=x\nSetCredential=id PASSWORD=x:c0ntentOfIt7\n';
    const r = convert([{ path: 'x.service', content: unit }]);
    expect(r.files.filter((f) => !f.path.startsWith('secrets.local/') && String(f.content).includes('PASSWORD=x')).map((f) => f.path)).toEqual([]);
    expect(r.files.map((f) => f.path)).toContain('secrets.local/x.service.credential');
  });
});
