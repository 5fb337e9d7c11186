import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { environmentFile } from '../../src/passes/secrets/index.ts';
import { cloudConfig, converted, expand, holding, parseSystemdEnvironment, text } from './helpers.ts';

/** A program's path, from the store or the old host, left out: the rest of a command line compares. */
const programless = (line: string) => line.replace(/\/nix\/store\/[^/]+\/bin\//g, '').replace(/\/usr\/bin\//g, '');

describe('a unit at stage 1', () => {
  const unit = [
    '[Service]',
    'Environment=TZ=Europe/Zurich DB_PASSWORD=Sup3rS3cret!x',
    'ExecStartPre=/usr/bin/docker run --rm smb-prepared /bin/sh -c "echo \\"s3cr3tpw\\ns3cr3tpw\\n\\" | tee - | smbpasswd -a -s michael"',
    'ExecStart=/usr/bin/docker run -e POSTGRES_PASSWORD=hunter2xyz -e TZ=UTC --name web nginx --requirepass verysecret123',
    'SetCredential=dbpass:credvalue123',
    '[Install]',
    'WantedBy=multi-user.target',
  ].join('\n');
  const c = converted({ 'web.service': unit });
  const env = parseSystemdEnvironment(text(c.files, 'secrets.local/web.service.env'));

  it('keeps every value out of every file but secrets.local/', () => {
    for (const secret of ['Sup3rS3cret!x', 's3cr3tpw', 'hunter2xyz', 'verysecret123', 'credvalue123']) {
      expect(holding(c.files, secret).every((p) => p.startsWith('secrets.local/')), secret).toBe(true);
      expect(holding(c.files, secret).length, secret).toBeGreaterThan(0);
    }
  });

  it('moves the secret assignments of Environment= to the unit\'s secret file and keeps the rest', () => {
    expect(c.option('systemd', 'services', 'web', 'environment')).toEqual({ TZ: 'Europe/Zurich' });
    expect(c.option('systemd', 'services', 'web', 'serviceConfig', 'EnvironmentFile')).toEqual(['/var/lib/secrets/web.service.env']);
    expect(env['DB_PASSWORD']).toBe('Sup3rS3cret!x');
  });

  it('turns `-e NAME=secret` into `-e NAME`, read from the file by docker', () => {
    const line = c.option('systemd', 'services', 'web', 'serviceConfig', 'ExecStart') as string;
    expect(line).toContain(' -e POSTGRES_PASSWORD -e TZ=UTC ');
    expect(env['POSTGRES_PASSWORD']).toBe('hunter2xyz');
  });

  it('refers to other secrets by variables systemd expands into the very command line the old unit ran', () => {
    const lines = [c.option('systemd', 'services', 'web', 'serviceConfig', 'ExecStartPre'), c.option('systemd', 'services', 'web', 'serviceConfig', 'ExecStart')].flat() as string[];
    expect(lines.join('\n')).toMatch(/\$\{NIXPORT_SECRET_\d+\}/);
    const original = unit.split('\n').filter((l) => l.startsWith('Exec')).map((l) => l.slice(l.indexOf('=') + 1));
    // `-e NAME` is the one change that is not an expansion: docker gets NAME from its environment instead.
    expect(lines.map((l) => programless(expand(l, env)).replace('-e POSTGRES_PASSWORD ', '-e POSTGRES_PASSWORD=hunter2xyz '))).toEqual(original.map(programless));
  });

  it('carries SetCredential= as LoadCredential= from a secret file', () => {
    expect(c.option('systemd', 'services', 'web', 'serviceConfig', 'LoadCredential')).toBe('dbpass:/var/lib/secrets/web.service.dbpass');
    expect(text(c.files, 'secrets.local/web.service.dbpass')).toBe('credvalue123');
  });

  it('writes the plaintext files 0600 and lists each secret in the report, without its value', () => {
    for (const f of c.files.filter((x) => x.path.startsWith('secrets.local/'))) expect(f.mode, f.path).toBe(0o600);
    const found = c.report.secrets!.found;
    expect(found.map((f) => f.what)).toEqual(expect.arrayContaining(['Environment=DB_PASSWORD', '-e POSTGRES_PASSWORD', 'SetCredential=dbpass']));
    expect(found.every((f) => f.status === 'moved')).toBe(true);
    expect(JSON.stringify(c.report)).not.toMatch(/Sup3rS3cret|hunter2xyz|verysecret123|credvalue123|s3cr3tpw/);
    expect(text(c.files, 'MIGRATION.md')).toContain('## Secrets');
  });
});

describe('what cannot be moved', () => {
  it('a secret on a `:` line (no expansion there) becomes a placeholder and an error', () => {
    const c = converted({ 'x.service': '[Service]\nExecStart=:/usr/bin/app --password=N0tExpandable9\n' });
    expect(holding(c.files, 'N0tExpandable9')).toEqual([]);
    expect(c.option('systemd', 'services', 'x', 'serviceConfig', 'ExecStart')).toContain('NIXPORT-SECRET-REMOVED');
    expect(c.report.diagnostics.map((d) => d.code)).toContain('secrets/not-moved');
    expect(c.exitCode).toBe(1);
    expect(c.report.secrets!.found[0]!.status).toBe('placeholder');
  });

  it('an authorized key whose options hold a secret is left out, with an error', () => {
    const c = converted({
      'home/anna/.ssh/authorized_keys':
        'environment="API_TOKEN=tok3nValue99" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq3xJ0tGJYfsrhLAo8aHeD0qLyqGx7U8mRWv2QyRtHb a@b\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ8mO2nV4bT6cX1zR9qK3wL5yH7uE0sD2fG4hJ6kM8nP c@d\n',
    });
    expect(holding(c.files, 'tok3nValue99')).toEqual([]);
    expect(c.option('users', 'users', 'anna', 'openssh', 'authorizedKeys', 'keys')).toEqual(['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ8mO2nV4bT6cX1zR9qK3wL5yH7uE0sD2fG4hJ6kM8nP c@d']);
    expect(c.report.diagnostics.map((d) => d.code)).toContain('users/key-with-secret');
  });

  it('a random-looking value under an ordinary name is a warning, not a guess', () => {
    const c = converted({ 'x.service': '[Service]\nEnvironment=SESSION_SALT=9f8a7d6c5b4e3f2a1b0c9d8e7f6a5b4c\nExecStart=/bin/true\n' });
    expect(c.option('systemd', 'services', 'x', 'environment', 'SESSION_SALT')).toBe('9f8a7d6c5b4e3f2a1b0c9d8e7f6a5b4c');
    expect(c.report.diagnostics.filter((d) => d.code === 'secrets/random-value').map((d) => d.message)).toEqual([expect.not.stringContaining('9f8a7d')]);
    expect(c.report.secrets).toBeUndefined();
  });
});

describe('files, users and containers', () => {
  const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAwK1privatekeymaterial\n-----END RSA PRIVATE KEY-----\n';
  const input = cloudConfig(
    {},
    [
      'users:',
      '  - name: anna',
      '    passwd: $6$qLkwsaXH$5Xv0PbODvkJ5AKgSXVcD1vXGQXJ8uSSpRK3BsyhkWq2V3Y8BnVb6oC9L8HQFhzjm0Sm2vl5MfKb1tRPrn3cC0/',
      '  - name: bob',
      '    passwd: "!"',
      'write_files:',
      '  - path: /etc/ssl/private/web.key',
      '    permissions: "0640"',
      '    owner: root:nginx',
      '    content: |',
      ...key.trimEnd().split('\n').map((l) => `      ${l}`),
      '  - path: /etc/app.conf',
      '    content: |',
      '      listen = 80',
    ].join('\n'),
  );

  it('files: a private key is linked from /var/lib/secrets, a password hash read from a file, a locked password stays', () => {
    const c = converted({ 'cloud-config.yml': input });
    expect(c.option('environment', 'etc', 'ssl/private/web.key')).toBeUndefined();
    expect(c.option('environment', 'etc', 'app.conf', 'text')).toBe('listen = 80\n');
    expect(c.option('systemd', 'tmpfiles', 'settings', 'nixport-secrets', '/etc/ssl/private/web.key', 'L+', 'argument')).toBe('/var/lib/secrets/etc-ssl-private-web.key');
    expect(c.option('systemd', 'tmpfiles', 'settings', 'nixport-secrets', '/var/lib/secrets/etc-ssl-private-web.key', 'z')).toEqual({ mode: '0640', user: 'root', group: 'nginx' });
    expect(c.option('users', 'users', 'anna', 'hashedPasswordFile')).toBe('/var/lib/secrets/anna.password-hash');
    expect(c.option('users', 'users', 'anna', 'hashedPassword')).toBeUndefined();
    expect(c.option('users', 'users', 'bob', 'hashedPassword')).toBe('!');
    expect(text(c.files, 'secrets.local/etc-ssl-private-web.key')).toBe(key);
    expect(holding(c.files, 'privatekeymaterial')).toEqual(['secrets.local/etc-ssl-private-web.key']);
    expect(holding(c.files, '5Xv0PbODvkJ5AKgSXVcD1vXGQXJ8uSSpRK3')).toEqual(['secrets.local/anna.password-hash']);
  });

  it('sops: sops-nix puts the key at its path with its owner, and decrypts the hash before users are made', () => {
    const c = converted({ 'cloud-config.yml': input }, { secrets: 'sops' });
    expect(c.option('sops', 'secrets', 'etc-ssl-private-web.key')).toEqual({ path: '/etc/ssl/private/web.key', group: 'nginx', mode: '0640' });
    expect(c.option('sops', 'secrets', 'anna.password-hash')).toEqual({ neededForUsers: true });
    expect(c.option('users', 'users', 'anna', 'hashedPasswordFile')).toBe('/run/secrets-for-users/anna.password-hash');
  });

  it('agenix: age.secrets with the file, path, group and mode', () => {
    const c = converted({ 'cloud-config.yml': input }, { secrets: 'agenix' });
    expect(c.option('age', 'secrets', 'etc-ssl-private-web.key')).toEqual({ file: 'path:secrets/etc-ssl-private-web.key.age', path: '/etc/ssl/private/web.key', group: 'nginx', mode: '0640' });
    expect(c.option('users', 'users', 'anna', 'hashedPasswordFile')).toBe('/run/agenix/anna.password-hash');
  });

  it('stage 2: a container\'s secret variables go to its environment file, in docker\'s --env-file format', () => {
    const c = converted({ 'db.service': '[Service]\nExecStart=/usr/bin/docker run --name db -e POSTGRES_PASSWORD=hunter2xyz -e TZ=UTC postgres:16\n[Install]\nWantedBy=multi-user.target\n' }, { stage: 'oci', secrets: 'sops' });
    expect(c.option('virtualisation', 'oci-containers', 'containers', 'db', 'environmentFiles')).toEqual(['/run/secrets/db.env']);
    expect(c.option('virtualisation', 'oci-containers', 'containers', 'db', 'environment')).toEqual({ TZ: 'UTC' });
    expect(c.option('sops', 'secrets', 'db.env', 'restartUnits')).toEqual(['docker-db.service']);
    expect(holding(c.files, 'hunter2xyz')).toEqual(['secrets.local/secrets.yaml']);
  });

  it('docker inspect records: secret variables of the record go to an environment file', () => {
    const record = [{ Id: 'abc', Name: '/cache', Config: { Image: 'redis:7', Env: ['REDIS_PASSWORD=r3disPassw0rd', 'TZ=UTC'] }, HostConfig: { RestartPolicy: { Name: 'always' } } }];
    const c = converted({ 'inspect.json': JSON.stringify(record) });
    expect(c.option('virtualisation', 'oci-containers', 'containers', 'cache', 'environmentFiles')).toEqual(['/var/lib/secrets/cache.env']);
    expect(holding(c.files, 'r3disPassw0rd')).toEqual(['secrets.local/cache.env']);
  });
});

describe('environment files', () => {
  it('systemd reads back every value as written, quotes, dollars, backslashes and line breaks included', () => {
    const variables = [
      { name: 'A', value: "it's" },
      { name: 'B', value: 'say "hi" $HOME \\n `x`' },
      { name: 'C', value: 'two\nlines' },
      { name: 'D', value: ' spaced ' },
    ];
    expect(parseSystemdEnvironment(environmentFile('systemd-env', variables)!)).toEqual(Object.fromEntries(variables.map((v) => [v.name, v.value])));
  });

  it('docker\'s format takes values as written and cannot hold a line break', () => {
    expect(environmentFile('docker-env', [{ name: 'A', value: "it's \"x\" $y" }])).toBe('A=it\'s "x" $y\n');
    expect(environmentFile('docker-env', [{ name: 'A', value: 'a\nb' }])).toBeUndefined();
  });
});

describe('the written files', () => {
  it('secrets.local/ is git-ignored', () => {
    const c = converted({ 'x.service': '[Service]\nEnvironment=API_KEY=abcdefgh12345678\nExecStart=/bin/true\n' });
    expect(text(c.files, '.gitignore').split('\n')).toContain('secrets.local/');
    expect(statSync).toBeDefined();
  });
});
