import { describe, expect, it } from 'vitest';
import { embeddedMapper } from '../../src/model/origin.ts';
import { directivesOf, lastValue, originAt, type Unit } from '../../src/model/unit.ts';
import { readUnits } from '../../src/sources/systemd/index.ts';
import { Ledger, fixture, unitText, words } from '../fixtures/units/helpers.ts';

/**
 * The seed post's three units (test/fixtures/units, copied from its
 * cloud-configs), read as systemd would read them.
 */
function readFixture(name: string, position?: ReturnType<typeof embeddedMapper>): { unit: Unit; ledger: Ledger } {
  const ledger = new Ledger();
  const [unit] = readUnits([unitText(ledger, name, fixture(name), position ? { position } : {})], ledger);
  if (!unit) throw new Error(`${name} was not read`);
  return { unit, ledger };
}

describe('seed: unlock.service', () => {
  const { unit, ledger } = readFixture('unlock.service');
  const starts = directivesOf(unit, 'Service', 'ExecStart');

  it('is a oneshot with five ExecStart= commands, read without complaint', () => {
    expect(lastValue(unit, 'Service', 'Type')?.value).toBe('oneshot');
    expect(starts).toHaveLength(5);
    expect(ledger.diagnostics).toEqual([]);
  });

  it('splits the shell loop into program, -c and one payload word', () => {
    expect(words(starts[0])).toEqual([
      '/bin/sh',
      '-c',
      'c=0; while [ $c -lt 5 ]; do /bin/ping6 -n -c 1 r.zekjur.net && break; c=$((c+1)); sleep 1; done',
    ]);
    expect(starts[0]?.exec?.shellPayload).toBe(2);
  });

  it('unescapes the quotes nested inside the cryptsetup payload', () => {
    const payload = words(starts[1])[2];
    expect(payload?.startsWith('[ -e "/dev/mapper/S5SSNF0T205183F_crypt" ] || (echo -n my_local_secret && wget ')).toBe(true);
    expect(payload?.endsWith('luksOpen /dev/disk/by-id/ata-Samsung_SSD_870_QVO_8TB_S5SSNF0T205183F S5SSNF0T205183F_crypt')).toBe(true);
    expect(words(starts[1])).toHaveLength(3);
  });

  it('reads the mount step as a plain command', () => {
    expect(words(starts[3])).toEqual(['/bin/sh', '-c', 'vgchange -ay']);
    expect(words(starts[4])).toEqual(['/bin/mount', '/dev/mapper/data-data', '/srv']);
    expect(starts[4]?.exec?.shellPayload).toBeUndefined();
  });
});

describe('seed: samba.service', () => {
  const { unit, ledger } = readFixture('samba.service');
  const pre = directivesOf(unit, 'Service', 'ExecStartPre');

  it('keeps the `-` prefixes apart from the docker program', () => {
    expect(pre.map((d) => d.exec?.prefixes)).toEqual(['-', '-', '-', '-', '', '', '', '']);
    expect(words(pre[0])).toEqual(['/usr/bin/docker', 'pull', 'stapelberg/docker-samba:latest']);
  });

  it('resolves `\\\\` inside single quotes to one backslash, leaving `\\n` for sed', () => {
    expect(words(pre[4])).toEqual([
      '/usr/bin/docker',
      'run',
      '--name',
      'smb-prep',
      'stapelberg/docker-samba',
      'sh',
      '-c',
      'adduser --quiet --disabled-password --gecos "" --uid 29901 michael && ' +
        'sed -i "s,\\[global\\],[global]\\nserver multi channel support = yes\\naio read size = 1\\naio write size = 1,g" /etc/samba/smb.conf',
    ]);
  });

  // `/bin/sh -c "echo \"secret\nsecret\n" | tee - | smbpasswd -a -s michael"`: the
  // unescaped `"` after the second `\n` closes the quoted argument, so the `"`
  // after `michael` opens a quote that never closes. systemd refuses the line
  // ("Unbalanced quoting") and with it the unit; nixport says where.
  it('reports the smbpasswd line, whose quotes do not nest, at the quote left open', () => {
    expect(ledger.diagnostics).toHaveLength(1);
    const diag = ledger.diagnostics[0];
    expect(diag).toMatchObject({
      severity: 'error',
      code: 'systemd/exec-syntax',
      origin: { file: 'samba.service', line: 21, column: 133 },
    });
    expect(diag?.hint).toContain('earlier unescaped');
    const item = ledger.items.find((i) => i.kind === 'directive' && i.origin.line === 21);
    expect(item && ledger.fate(item)?.kind).toBe('unsupported');
    expect(pre.some((d) => d.item.origin.line === 21)).toBe(false);
  });

  it('splits the continued ExecStart= into the docker run words', () => {
    const start = lastValue(unit, 'Service', 'ExecStart');
    expect(words(start)).toEqual([
      '/usr/bin/docker',
      'run',
      '-p',
      '137:137',
      '-p',
      '138:138',
      '-p',
      '139:139',
      '-p',
      '445:445',
      '--tmpfs=/run',
      '-v',
      '/srv/data:/srv/data',
      '--name',
      'smb',
      '-t',
      'smb-prepared',
      '/usr/sbin/smbd',
      '--foreground',
      '--debug-stdout',
      '--no-process-group',
    ]);
    expect(start?.exec?.docker?.verb).toBe('run');
  });
});

describe('seed: samba.service with the inner quotes escaped', () => {
  it('turns `\\n` inside double quotes into real newlines, as systemd does', () => {
    const ledger = new Ledger();
    const text = '[Service]\nExecStartPre=/usr/bin/docker run --name smb-prep smb-prepared /bin/sh -c "echo \\"secret\\nsecret\\n\\" | tee - | smbpasswd -a -s michael"\n';
    const [unit] = readUnits([unitText(ledger, 'samba.service', text)], ledger);
    const pre = unit?.directives[0];
    expect(words(pre)).toEqual([
      '/usr/bin/docker',
      'run',
      '--name',
      'smb-prep',
      'smb-prepared',
      '/bin/sh',
      '-c',
      'echo "secret\nsecret\n" | tee - | smbpasswd -a -s michael',
    ]);
    // The shell runs inside the container: the command itself is docker, not a shell.
    expect(pre?.exec?.shellPayload).toBeUndefined();
    expect(ledger.diagnostics).toEqual([]);
  });
});

describe('seed: healthz.service inside a cloud-config', () => {
  // In the post's cloud-config the unit text is a `content: |` block whose
  // first line sits at line 6, column 9, every line indented by 8 columns.
  const position = embeddedMapper({ file: 'cloud-config.yml', line: 6, column: 9 }, 8);
  const { unit, ledger } = readFixture('healthz.service', position);
  const pre = directivesOf(unit, 'Service', 'ExecStartPre');
  const start = lastValue(unit, 'Service', 'ExecStart');

  it('reads the shell check, the pulls and the ignored-failure cleanups', () => {
    expect(words(pre[0])).toEqual(['/bin/sh', '-c', 'systemctl is-active docker.service']);
    expect(pre[0]?.exec?.shellPayload).toBe(2);
    expect(pre.map((d) => d.exec?.prefixes)).toEqual(['', '', '-', '-']);
    expect(words(pre[3])).toEqual(['/usr/bin/docker', 'rm', '-f', 'nginx-healthz']);
  });

  it('splits the continued docker run and recognises it', () => {
    expect(words(start)).toEqual([
      '/usr/bin/docker',
      'run',
      '--name',
      'nginx-healthz',
      '--publish',
      '10.0.0.252:8200:80',
      '--log-driver=journald',
      'nginx:1',
    ]);
    expect(start?.exec?.docker).toMatchObject({ verb: 'run', image: 'nginx:1', containerName: 'nginx-healthz' });
  });

  it('maps directives and words to their line and column in the cloud-config', () => {
    expect(start?.item.origin).toEqual({ file: 'cloud-config.yml', line: 19, column: 9 });
    const publish = start?.exec?.words[4];
    expect(start && publish && originAt(start, publish.start)).toEqual({ file: 'cloud-config.yml', line: 21, column: 13 });
    const image = start?.exec?.words[7];
    expect(start && image && originAt(start, image.end)).toEqual({ file: 'cloud-config.yml', line: 23, column: 20 });
  });

  it('hands docker the positions of its flags', () => {
    const flag = start?.exec?.docker?.flags.find((f) => f.name === '--publish');
    expect(flag?.item.origin).toEqual({ file: 'cloud-config.yml', line: 21, column: 13 });
    expect(flag?.item.parent).toBe(start?.item.id);
  });

  it('keeps [Unit] StartLimitInterval=0 and reports nothing', () => {
    expect(lastValue(unit, 'Unit', 'StartLimitInterval')?.value).toBe('0');
    expect(ledger.diagnostics).toEqual([]);
  });
});
