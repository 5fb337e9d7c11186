import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { convert, type ConvertOptions } from '../../src/index.ts';
import { runPipeline } from '../../src/pipeline.ts';
import { reportOfRun } from '../../src/report/extras.ts';
import { violations } from './check.ts';

/**
 * Invariants 3 and 4 as a property: generated hosts with planted secrets
 * (variables, `-e` flags, a password piped to smbpasswd, a private key, a
 * password hash, a token in a URL) and planted restrictions (forced
 * commands and other key options, read-only volumes, bound ports, User=,
 * docker --user), converted at stage 1 or 2 with each --secrets mode.
 */

/** A secret that cannot be mistaken for anything else in the output. */
const secret = fc.string({ unit: fc.constantFrom(...'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'), minLength: 14, maxLength: 24 }).map((s) => `Zx${s}9q`);
const port = fc.integer({ min: 1024, max: 65000 });
const path = fc.stringMatching(/^[a-z]{1,8}(\/[a-z0-9]{1,6}){0,2}$/);
const KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIGq3xJ0tGJYfsrhLAo8aHeD0qLyqGx7U8mRWv2QyRtHb';

interface Planted {
  readonly secrets: readonly string[];
  readonly files: Readonly<Record<string, string>>;
}

const service = fc.record({
  envName: fc.constantFrom('DB_PASSWORD', 'API_TOKEN', 'SECRET_KEY', 'MYSQL_ROOT_PASSWORD', 'ADMIN_PASS'),
  envValue: secret,
  unitEnv: fc.option(secret, { nil: undefined }),
  url: fc.option(secret, { nil: undefined }),
  piped: fc.option(secret, { nil: undefined }),
  ro: fc.array(fc.tuple(path, path), { minLength: 0, maxLength: 2 }),
  ports: fc.array(fc.tuple(fc.constantFrom('127.0.0.1', '10.0.0.7', '::1'), port, port), { minLength: 0, maxLength: 2 }),
  user: fc.option(fc.constantFrom('nobody', 'app', '1000'), { nil: undefined }),
  dockerUser: fc.option(fc.constantFrom('1000:1000', 'www-data'), { nil: undefined }),
});

const host = fc.record({
  services: fc.array(service, { minLength: 1, maxLength: 3 }),
  keyOptions: fc.subarray(['restrict', 'no-pty', 'no-port-forwarding', 'from="10.0.0.0/8"', 'command="/usr/bin/rrsync -ro /srv/backup"', 'permitopen="localhost:22"'], { minLength: 1 }),
  hash: fc.option(secret.map((s) => `$6$salt1234$${s.padEnd(86, 'A').slice(0, 86)}`), { nil: undefined }),
  key: fc.option(secret, { nil: undefined }),
});

type Host = typeof host extends fc.Arbitrary<infer T> ? T : never;

function plant(h: Host): Planted {
  const secrets: string[] = [];
  const units = h.services.map((s, i) => {
    secrets.push(s.envValue);
    const lines = ['[Service]'];
    if (s.user) lines.push(`User=${s.user}`);
    if (s.unitEnv) {
      secrets.push(s.unitEnv);
      lines.push(`Environment=TZ=UTC BACKUP_PASSWORD=${s.unitEnv}`);
    }
    if (s.piped) {
      secrets.push(s.piped);
      lines.push(`ExecStartPre=/bin/sh -c "echo \\"${s.piped}\\n${s.piped}\\n\\" | smbpasswd -a -s user${i}"`);
    }
    if (s.url) {
      secrets.push(s.url);
      lines.push(`ExecStartPost=/usr/bin/curl -fsS https://hook:${s.url}@example.com/ping`);
    }
    const flags = [`--name svc${i}`, `-e ${s.envName}=${s.envValue}`, '-e TZ=UTC'];
    for (const [src, dst] of s.ro) flags.push(`-v /srv/${src}:/${dst}:ro`);
    for (const [ip, hp, cp] of s.ports) flags.push(`-p ${ip.includes(':') ? `[${ip}]` : ip}:${hp}:${cp}`);
    if (s.dockerUser) flags.push(`--user ${s.dockerUser}`);
    lines.push(`ExecStart=/usr/bin/docker run --rm ${flags.join(' ')} nginx:1`, '[Install]', 'WantedBy=multi-user.target');
    return { name: `svc${i}.service`, command: 'start', content: `${lines.join('\n')}\n` };
  });
  const doc: Record<string, unknown> = { hostname: 'planted', coreos: { units } };
  if (h.hash) {
    secrets.push(h.hash);
    doc['users'] = [{ name: 'anna', passwd: h.hash }];
  }
  if (h.key) {
    secrets.push(h.key);
    doc['write_files'] = [{ path: '/etc/app/tls.key', permissions: '0600', content: `-----BEGIN PRIVATE KEY-----\n${h.key}\n-----END PRIVATE KEY-----\n` }];
  }
  const keys = `${h.keyOptions.join(',')} ssh-ed25519 ${KEY} backup@dr\n`;
  return { secrets, files: { 'cloud-config.yml': `#cloud-config\n${stringify(doc)}`, 'root/.ssh/authorized_keys': keys } };
}

function check(planted: Planted, options: ConvertOptions): void {
  const inputs = Object.entries(planted.files).map(([p, content]) => ({ path: p, content }));
  const run = runPipeline(inputs, options);
  if ('refused' in run) throw new Error(`refused: ${run.refused.message}`);
  const { files } = convert(inputs, options);
  const report = reportOfRun(run, options, files.map((f) => f.path));
  expect(violations(run, files, report)).toEqual([]);
  for (const value of planted.secrets) {
    const holders = files.filter((f) => String(f.content).includes(value)).map((f) => f.path);
    expect(holders.filter((p) => !p.startsWith('secrets.local/')), value).toEqual([]);
    expect(holders.length, `${value} is in secrets.local/`).toBeGreaterThan(0);
  }
  expect(report.secrets?.found.every((f) => f.status === 'moved')).toBe(true);
}

describe('planted secrets and restrictions survive every conversion', () => {
  it('holds for generated hosts, at stage 1 and 2, with each --secrets mode', () => {
    fc.assert(
      fc.property(host, fc.constantFrom('docker', 'oci') as fc.Arbitrary<'docker' | 'oci'>, fc.constantFrom('files', 'sops', 'agenix') as fc.Arbitrary<'files' | 'sops' | 'agenix'>, (h, stage, secrets) => {
        check(plant(h), { stage, secrets });
      }),
      { numRuns: Number(process.env['NIXPORT_PROPERTY_RUNS'] ?? 150), seed: 20260507 },
    );
  });

  it('the check is not vacuous: a leaked value and a loosened volume are caught', () => {
    const planted = plant({ services: [{ envName: 'DB_PASSWORD', envValue: 'ZxLeakedValue1234589q', ro: [['a', 'b']], ports: [['127.0.0.1', 8080, 80]], unitEnv: undefined, url: undefined, piped: undefined, user: 'app', dockerUser: undefined }], keyOptions: ['restrict'], hash: undefined, key: undefined });
    const inputs = Object.entries(planted.files).map(([p, content]) => ({ path: p, content }));
    const run = runPipeline(inputs);
    if ('refused' in run) throw new Error('refused');
    const { files, report } = convert(inputs);
    const leaked = [...files, { path: 'services/extra.nix', content: '"ZxLeakedValue1234589q"' }];
    expect(violations(run, leaked, report).map((v) => v.invariant)).toEqual(['secret']);
    const volume = run.host.units[0]!.directives.find((d) => d.key === 'ExecStart')!.exec!.docker!.volumes[0]!;
    run.ledger.refine(volume.flag.item, { kind: 'carried', option: 'systemd.services.svc0.description' });
    expect(violations(run, files, report).map((v) => v.invariant)).toEqual(['read-only volume']);
  });
});
