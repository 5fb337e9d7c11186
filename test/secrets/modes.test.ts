import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { evalFlake } from '../helpers/flake.ts';
import { parseNix, skipWithoutNix } from '../helpers/nix.ts';
import { cloudConfig, converted, text } from './helpers.ts';

/** A host with each kind of consumer: a unit's environment, a container, a key file, a password hash. */
const HOST = {
  'cloud-config.yml': cloudConfig(
    {
      'app.service': {
        extra: 'command: start',
        content: [
          '[Service]',
          'Environment=DB_PASSWORD=Sup3rS3cret!x',
          'ExecStart=/usr/bin/docker run --name app -e API_TOKEN=tok3nValue99 -v /srv/app:/data:ro app:1',
        ].join('\n'),
      },
    },
    [
      'hostname: vault',
      'users:',
      '  - name: anna',
      '    passwd: $6$qLkwsaXH$5Xv0PbODvkJ5AKgSXVcD1vXGQXJ8uSSpRK3BsyhkWq2V3Y8BnVb6oC9L8HQFhzjm0Sm2vl5MfKb1tRPrn3cC0/',
      'write_files:',
      '  - path: /etc/app/id_ed25519',
      '    permissions: "0600"',
      '    content: |',
      '      -----BEGIN OPENSSH PRIVATE KEY-----',
      '      b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ',
      '      -----END OPENSSH PRIVATE KEY-----',
    ].join('\n'),
  ),
};

const VALUES = ['Sup3rS3cret!x', 'tok3nValue99', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ', '5Xv0PbODvkJ5AKgSXVcD1vXGQXJ8uSSpRK3'];

describe('--secrets files (the default)', () => {
  const c = converted(HOST);

  it('writes each secret file to secrets.local/ and declares /var/lib/secrets', () => {
    expect(c.files.filter((f) => f.path.startsWith('secrets.local/')).map((f) => f.path).sort()).toEqual([
      'secrets.local/anna.password-hash',
      'secrets.local/app.service.env',
      'secrets.local/etc-app-id_ed25519',
    ]);
    expect(c.option('systemd', 'tmpfiles', 'settings', 'nixport-secrets', '/var/lib/secrets', 'd')).toEqual({ mode: '0711', user: 'root', group: 'root' });
    expect(c.report.manualSteps.map((s) => s.title)).toContain('Copy the secrets to /var/lib/secrets on the new host');
  });

  it('adds no flake input', () => {
    expect(text(c.files, 'flake.nix')).not.toMatch(/sops-nix|agenix/);
  });
});

describe('--secrets sops', () => {
  const c = converted(HOST, { secrets: 'sops' });
  const plain = parse(text(c.files, 'secrets.local/secrets.yaml')) as Record<string, string>;

  it('holds every value in secrets.local/secrets.yaml, whose keys are sops.secrets and the template\'s', () => {
    expect(Object.keys(plain).sort()).toEqual(Object.keys(c.option('sops', 'secrets') as object).sort());
    expect(Object.keys(parse(text(c.files, 'secrets/secrets.yaml.template')) as object).sort()).toEqual(Object.keys(plain).sort());
    expect(Object.values(parse(text(c.files, 'secrets/secrets.yaml.template')) as object).every((v) => v === '')).toBe(true);
    expect(plain['etc-app-id_ed25519']).toBe('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n');
    for (const v of VALUES) expect(Object.values(plain).join('\n')).toContain(v);
  });

  it('points sops-nix at secrets/secrets.yaml and writes the .sops.yaml skeleton', () => {
    expect(c.option('sops', 'defaultSopsFile')).toBe('path:secrets/secrets.yaml');
    expect(c.option('sops', 'secrets', 'app.service.env', 'restartUnits')).toEqual(['app.service']);
    const rules = parse(text(c.files, '.sops.yaml')) as { creation_rules: { path_regex: string }[] };
    expect(new RegExp(rules.creation_rules[0]!.path_regex).test('secrets/secrets.yaml')).toBe(true);
    expect(c.report.manualSteps.map((s) => s.title)).toContain('Encrypt the secrets with sops into secrets/secrets.yaml');
  });

  it('tells in the report where each plaintext is: a key of secrets.local/secrets.yaml', () => {
    const files = c.report.secrets!.found.map((f) => f.file);
    expect(files).toContain('secrets.local/secrets.yaml (key anna.password-hash)');
    expect(files.every((f) => f !== undefined && f.startsWith('secrets.local/secrets.yaml (key '))).toBe(true);
  });

  it('leaves a Compose secret whose file the input lacks as an empty key to fill in, not a binary file', () => {
    const compose = 'services:\n  db:\n    image: postgres:16\n    secrets: [db_password]\nsecrets:\n  db_password:\n    file: ./db_password.txt\n';
    const d = converted({ 'compose.yaml': compose }, { secrets: 'sops' });
    expect(d.files.filter((f) => f.path.startsWith('secrets.local/') && f.path.endsWith('.bin'))).toEqual([]);
    const template = parse(text(d.files, 'secrets/secrets.yaml.template')) as Record<string, string>;
    expect(Object.keys(template).some((k) => k.includes('db_password'))).toBe(true);
    expect(d.option('sops', 'secrets')).not.toHaveProperty([Object.keys(template)[0]!, 'format']);
  });

  it.skipIf(skipWithoutNix())('gives the flake the sops-nix input and module', async () => {
    expect(text(c.files, 'flake.nix')).toContain('github:Mic92/sops-nix');
    const modules = await evalFlake({ files: c.files }, 'outputs.nixosConfigurations.vault.modules', { 'sops-nix': '{ nixosModules.sops = "sops-module"; }' });
    expect((modules as unknown[]).slice(0, 2)).toEqual(['disko-module', 'sops-module']);
  });
});

describe('--secrets agenix', () => {
  const c = converted(HOST, { secrets: 'agenix' });

  it('writes one plaintext file and one age.secrets entry per secret, and the rules of each .age file', () => {
    const names = Object.keys(c.option('age', 'secrets') as object).sort();
    expect(c.files.filter((f) => f.path.startsWith('secrets.local/')).map((f) => f.path.slice('secrets.local/'.length)).sort()).toEqual(names);
    for (const n of names) expect(c.option('age', 'secrets', n, 'file')).toBe(`path:secrets/${n}.age`);
    const rules = text(c.files, 'secrets/secrets.nix');
    for (const n of names) expect(rules).toContain(`"${n}.age".publicKeys = keys;`);
  });

  it.skipIf(skipWithoutNix())('parses every .nix file, the rules too, and gives the flake the agenix module', async () => {
    const nix = Object.fromEntries(c.files.filter((f) => f.path.endsWith('.nix')).map((f) => [f.path, String(f.content)]));
    expect(await parseNix(nix)).toEqual({});
    const modules = await evalFlake({ files: c.files }, 'outputs.nixosConfigurations.vault.modules', { agenix: '{ nixosModules.default = "agenix-module"; }' });
    expect((modules as unknown[]).slice(0, 2)).toEqual(['disko-module', 'agenix-module']);
  });
});

describe('every mode', () => {
  for (const mode of ['files', 'sops', 'agenix'] as const) {
    it(`${mode}: no value outside secrets.local/, and the report lists every secret as moved`, () => {
      const c = converted(HOST, { secrets: mode });
      for (const f of c.files) {
        if (f.path.startsWith('secrets.local/')) continue;
        for (const v of VALUES) expect(String(f.content).includes(v), `${v} in ${f.path}`).toBe(false);
      }
      expect(c.report.secrets!.mode).toBe(mode);
      expect(c.report.secrets!.found.map((f) => f.status)).toEqual(c.report.secrets!.found.map(() => 'moved'));
      expect(c.exitCode).toBe(0);
    });
  }
});
