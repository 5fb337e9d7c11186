import { describe, expect, it } from 'vitest';
import { convertFiles, fateOf } from './convert-helpers.ts';

const ignition = (storage: object, extra: object = {}) => ({
  'config.ign': JSON.stringify({ ignition: { version: '3.4.0' }, storage, ...extra }, null, 2),
});
const text = (c: ReturnType<typeof convertFiles>) => c.run.layout.files.map((f) => String(f.content)).join('\n');
const TMPFILES = ['systemd', 'tmpfiles', 'settings', 'nixport-write-files'];

describe('Ignition files on NixOS', () => {
  it('puts /etc files into environment.etc, with owners by name or by id', () => {
    const c = convertFiles(
      ignition({
        files: [
          { path: '/etc/app/app.conf', mode: 416, user: { name: 'app' }, group: { id: 1200 }, contents: { source: 'data:,a%3D1%0A' } },
          { path: '/etc/app/plain.conf', contents: { source: 'data:,b%0A' } },
        ],
      }),
    );
    expect(c.option('environment', 'etc', 'app/app.conf')).toEqual({ text: 'a=1\n', mode: '0640', user: 'app', gid: 1200 });
    expect(c.option('environment', 'etc', 'app/plain.conf')).toEqual({ text: 'b\n' });
    expect(fateOf(c.report, 'storage.files[0] (/etc/app/app.conf)')).toBe('carried: environment.etc."app/app.conf"');
  });

  it('copies a file outside /etc once (tmpfiles C) for overwrite: false, and links it (L+) for overwrite: true', () => {
    const c = convertFiles(
      ignition({
        files: [
          { path: '/var/lib/app/seed.json', mode: 384, user: { name: 'app' }, group: { name: 'app' }, contents: { source: 'data:,%7B%7D' } },
          { path: '/var/lib/app/README', overwrite: true, contents: { source: 'data:,read%20me' } },
        ],
      }),
    );
    const seed = c.option(...TMPFILES, '/var/lib/app/seed.json', 'C') as Record<string, string>;
    expect(seed).toMatchObject({ mode: '0600', user: 'app', group: 'app' });
    expect(seed.argument).toMatch(/^\/nix\/store\/\w+-seed\.json$/);
    expect((c.option(...TMPFILES, '/var/lib/app/README', 'L+') as Record<string, string>).argument).toMatch(/-README$/);
    expect(fateOf(c.report, 'storage.files[0] (/var/lib/app/seed.json)')).toBe('carried: systemd.tmpfiles.settings.nixport-write-files."/var/lib/app/seed.json".C');
    expect(text(c)).toContain('copied once, kept if it exists (overwrite: false)');
  });

  it('keeps cloud-config write_files outside /etc as store links, as before', () => {
    const c = convertFiles({ 'cc.yml': '#cloud-config\nwrite_files:\n  - path: /opt/x\n    content: x\n' });
    expect(c.option(...TMPFILES, '/opt/x', 'L+')).toBeDefined();
    expect(c.option(...TMPFILES, '/opt/x', 'C')).toBeUndefined();
  });

  it('creates an entry without contents with tmpfiles f: empty if missing, content kept if not', () => {
    const c = convertFiles(ignition({ files: [{ path: '/var/lib/app/state', mode: 384, user: { id: 1100 } }] }));
    expect(c.option(...TMPFILES, '/var/lib/app/state', 'f')).toEqual({ mode: '0600', user: '1100' });
    expect(fateOf(c.report, /state/)).toMatch(/^carried: .*"\/var\/lib\/app\/state"\.f$/);
  });

  it('leaves fragments appended to an OS file to a manual step that quotes them, with the option to use', () => {
    const c = convertFiles(ignition({ files: [{ path: '/etc/hosts', append: [{ source: 'data:,10.0.0.2%20nas%0A' }] }] }));
    expect(c.option('environment', 'etc', 'hosts')).toBeUndefined();
    expect(fateOf(c.report, 'storage.files[0] (/etc/hosts)')).toBe('manual: Append to /etc/hosts by hand');
    const step = c.run.ledger.manualSteps.find((s) => s.title === 'Append to /etc/hosts by hand')!;
    expect(step.detail).toContain('Use networking.extraHosts for it.');
    expect(step.detail).toContain('10.0.0.2 nas');
    expect(step.detail).toContain('`w+` appends again on each boot');
  });

  it('joins contents and appended fragments into one file when the contents are given', () => {
    const c = convertFiles(ignition({ files: [{ path: '/etc/a.conf', contents: { source: 'data:,a%0A' }, append: [{ source: 'data:,b%0A' }, { source: 'data:,c%0A' }] }] }));
    expect(c.option('environment', 'etc', 'a.conf', 'text')).toBe('a\nb\nc\n');
  });

  it('never fetches remote contents: a manual step names URL and hash, and nothing is defined', () => {
    const c = convertFiles(
      ignition({ files: [{ path: '/etc/app/license', mode: 420, contents: { source: 'https://example.com/license', verification: { hash: 'sha512-00aa' } } }] }),
    );
    expect(c.option('environment', 'etc', 'app/license')).toBeUndefined();
    expect(fateOf(c.report, /license/)).toBe('manual: Fetch /etc/app/license from https://example.com/license');
    const step = c.run.ledger.manualSteps.find((s) => s.title.startsWith('Fetch'))!;
    expect(step.detail).toContain('check it against sha512-00aa');
    expect(step.detail).toContain('environment.etc."app/license".source');
    expect(c.report.diagnostics.map((d) => d.code)).toContain('files/remote');
  });

  it('reports files NixOS generates itself', () => {
    const c = convertFiles(ignition({ files: [{ path: '/etc/resolv.conf', contents: { source: 'data:,nameserver%201.1.1.1%0A' } }] }));
    expect(fateOf(c.report, /resolv/)).toMatch(/^unsupported: NixOS generates \/etc\/resolv.conf/);
  });

  it('makes /etc/hostname networking.hostName and Flatcar update.conf system.autoUpgrade', () => {
    const conf = encodeURIComponent('REBOOT_STRATEGY=reboot\nLOCKSMITHD_REBOOT_WINDOW_START=Sun 03:00\nLOCKSMITHD_REBOOT_WINDOW_LENGTH=2h\n');
    const c = convertFiles(
      ignition({
        files: [
          { path: '/etc/hostname', contents: { source: 'data:,edge1%0A' } },
          { path: '/etc/flatcar/update.conf', contents: { source: `data:,${conf}` } },
        ],
      }),
    );
    expect(c.option('networking', 'hostName')).toBe('edge1');
    expect(c.option('system', 'autoUpgrade')).toMatchObject({ enable: true, allowReboot: true, dates: 'Sun 03:00', rebootWindow: { lower: '03:00', upper: '05:00' } });
    expect(fateOf(c.report, 'storage.files[1] (/etc/flatcar/update.conf) REBOOT_STRATEGY')).toBe('carried: system.autoUpgrade.allowReboot');
  });
});

describe('entries Ignition would refuse', () => {
  it('keeps the first of two entries for one path, name or device, and of two units of one name', () => {
    const c = convertFiles(
      ignition(
        { directories: [{ path: '/srv/a', mode: 493 }, { path: '/srv/a', mode: 448 }], luks: [{ name: 'd', device: '/dev/sdb' }, { name: 'd', device: '/dev/sdc' }] },
        { systemd: { units: [{ name: 'a.service', contents: '[Service]\nExecStart=/bin/a\n' }, { name: 'a.service', mask: true }] } },
      ),
    );
    expect(c.option('systemd', 'tmpfiles', 'settings', 'nixport-directories', '/srv/a', 'd', 'mode')).toBe('0755');
    expect(fateOf(c.report, 'storage.directories[1] (/srv/a)')).toMatch(/^dropped: the directory \/srv\/a is declared again/);
    expect(c.option('environment', 'etc', 'crypttab', 'text')).toBe('d /dev/sdb /etc/luks/d luks\n');
    expect(fateOf(c.report, 'systemd.units[1] (a.service)')).toMatch(/^unsupported: .*a.service is declared again/);
    expect(c.report.items.filter((i) => i.fate.kind === 'unaccounted')).toEqual([]);
  });
});

describe('directories and links', () => {
  it('creates directories with tmpfiles d, symlinks with L (overwrite: false) or L+, and leaves hard links to a step', () => {
    const c = convertFiles(
      ignition({
        directories: [{ path: '/srv/media', mode: 488, user: { name: 'media' }, group: { id: 100 } }, { path: '/srv/plain' }],
        links: [
          { path: '/srv/current', target: '/srv/media' },
          { path: '/srv/latest', target: '/srv/media/v2', overwrite: true, user: { name: 'media' } },
          { path: '/srv/hard', target: '/srv/media/f', hard: true },
        ],
      }),
    );
    const dirs = ['systemd', 'tmpfiles', 'settings', 'nixport-directories'];
    expect(c.option(...dirs, '/srv/media', 'd')).toEqual({ mode: '0750', user: 'media', group: '100' });
    expect(c.option(...dirs, '/srv/plain', 'd')).toEqual({ mode: '0755' });
    const links = ['systemd', 'tmpfiles', 'settings', 'nixport-links'];
    expect(c.option(...links, '/srv/current')).toEqual({ L: { argument: '/srv/media' } });
    expect(c.option(...links, '/srv/latest')).toEqual({ 'L+': { argument: '/srv/media/v2' } });
    expect(c.option(...links, '/srv/hard')).toBeUndefined();
    expect(fateOf(c.report, /\/srv\/hard/)).toBe('manual: Create the hard link /srv/hard');
    expect(c.report.items.find((i) => i.label.includes('/srv/latest'))?.fate).toMatchObject({ note: expect.stringContaining('tmpfiles ignores ownership') });
  });
});
