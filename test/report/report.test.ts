import { describe, expect, it } from 'vitest';
import { convert } from '../../src/index.ts';

const input = [
  {
    path: 'host/cloud-config.yml',
    content: `#cloud-config
hostname: box
coreos:
  etcd2:
    name: box
  units:
    - name: web.service
      command: start
      content: |
        [Unit]
        Description=web
        [Service]
        ExecStart=/usr/bin/docker run -p 8080:80 nginx
        ExecStartPost=/bin/sh -c "echo 'unclosed
`,
  },
];

describe('the migration report', () => {
  const result = convert(input);
  const md = String(result.files.find((f) => f.path === 'MIGRATION.md')?.content);
  const json = JSON.parse(String(result.files.find((f) => f.path === 'migration.json')?.content)) as typeof result.report;

  it('exits 1 when an item could not be carried, and says so first', () => {
    expect(result.exitCode).toBe(1);
    expect(result.report.status).toBe('converted-with-errors');
    expect(md).toMatch(/^# Migration report: box\n/);
    expect(md).toContain('- **Diagnostics**: 1 error(s)');
  });

  it('lists services with their stage and file', () => {
    expect(md).toContain('| web | docker | web.service | services/web.nix | stage 1: carried 1:1;');
  });

  it('gives every diagnostic its file:line:col and hint', () => {
    const error = result.report.diagnostics.find((d) => d.severity === 'error')!;
    expect(error.origin).toEqual({ file: 'host/cloud-config.yml', line: 14, column: 34 });
    expect(md).toContain(`- host/cloud-config.yml:14:34: ${error.message}`);
    expect(md).toMatch(/`coreos\.etcd2`: etcd clusters are not migrated — hint: /);
  });

  it('lists every item with its fate and where it went', () => {
    expect(md).toContain('| 11:9 | directive [Unit] Description= | carried | `systemd.services.web.description` in services/web.nix |');
    expect(md).toMatch(/\| 13:39 \| flag -p 8080:80 \| carried \| `systemd\.services\.web\.serviceConfig\.ExecStart` in services\/web\.nix \|/);
    expect(md).toMatch(/\| 14:9 \| directive \[Service\] ExecStartPost= \| \*\*not carried\*\* \|/);
    expect(md).toMatch(/\| 4:3 \| key coreos\.etcd2 \| \*\*not carried\*\* \| etcd clusters are not migrated/);
  });

  it('writes the same report as JSON, with counts that add up', () => {
    expect(json).toEqual(JSON.parse(JSON.stringify(result.report)));
    const c = json.coverage;
    expect(c.carried + c.dropped + c.unsupported + c.manual + c.unaccounted).toBe(c.items);
    expect(c.unaccounted).toBe(0);
    expect(json.files).toContain('services/web.nix');
    expect(json.files).toContain('MIGRATION.md');
  });

  it('refused input gives a report with only the error, and no files', () => {
    const refused = convert([{ path: 'x.yml', content: 'hostname: x\n' }]);
    expect(refused.exitCode).toBe(2);
    expect(refused.files).toEqual([]);
    expect(refused.report.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', origin: { file: 'x.yml', line: 1, column: 1 }, hint: expect.any(String) }),
    ]);
  });
});
