import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/model/ledger.ts';
import { KEY_OPTIONS, KEY_TYPES, parseAuthorizedKeyLine, readAuthorizedKeys } from '../../src/sources/authorized-keys.ts';
import type { KeyLineError, ParsedKeyLine } from '../../src/sources/authorized-keys.ts';
import { at } from '../fixtures/cloud-config/helpers.ts';

const ED = 'AAAAC3NzaC1lZDI1NTE5AAAAIH7nP3wJ2dqg0tQf4W1qJk9o0d3x7m2b8Yv6cN5rT1Ls';

function parsed(line: string): ParsedKeyLine {
  const result = parseAuthorizedKeyLine(line);
  if (!result.ok) throw new Error(`expected ${line} to parse, got: ${result.message} at ${result.offset}`);
  return result;
}

function failed(line: string): KeyLineError {
  const result = parseAuthorizedKeyLine(line);
  if (result.ok) throw new Error(`expected ${line} to be refused`);
  return result;
}

describe('parseAuthorizedKeyLine', () => {
  it.each(KEY_TYPES.map((t) => [t]))('accepts the key type %s', (type) => {
    const p = parsed(`${type} AAAAB3NzaC1yc2E= me@host`);
    expect([p.keyType, p.key, p.comment, p.options]).toEqual([type, 'AAAAB3NzaC1yc2E=', 'me@host', []]);
  });

  it('the comment is optional and may contain spaces; surrounding blanks are not part of it', () => {
    expect(parsed(`ssh-ed25519 ${ED}`).comment).toBeUndefined();
    expect(parsed(`  \tssh-ed25519\t${ED}   Anna's laptop (2024)  `).comment).toBe("Anna's laptop (2024)");
  });

  it('flag options: restrict, no-pty and friends, with [start, end) spans', () => {
    const line = `restrict,no-pty,no-port-forwarding,No-X11-Forwarding ssh-ed25519 ${ED} backup`;
    const p = parsed(line);
    expect(p.options.map((o) => o.name)).toEqual(['restrict', 'no-pty', 'no-port-forwarding', 'no-x11-forwarding']);
    expect(p.options.map((o) => line.slice(o.start, o.end))).toEqual(['restrict', 'no-pty', 'no-port-forwarding', 'No-X11-Forwarding']);
    expect(p.options.every((o) => o.value === undefined)).toBe(true);
    expect(p.keyTypeStart).toBe(line.indexOf('ssh-ed25519'));
  });

  it('from= with commas inside the quotes is one option', () => {
    const line = `from="10.0.0.0/8,192.168.1.1,!192.168.1.66",no-agent-forwarding ssh-ed25519 ${ED}`;
    const p = parsed(line);
    expect(p.options).toEqual([
      { name: 'from', value: '10.0.0.0/8,192.168.1.1,!192.168.1.66', start: 0, end: 43 },
      { name: 'no-agent-forwarding', start: 44, end: 63 },
    ]);
  });

  it('command= keeps spaces, unescapes \\" and leaves other backslashes alone (as sshd does)', () => {
    const line = String.raw`command="/bin/sh -c \"echo a\\b, done\"",no-pty ssh-rsa AAAAB3NzaC1yc2E root@midna`;
    const p = parsed(line);
    expect(p.options[0]?.value).toBe(String.raw`/bin/sh -c "echo a\\b, done"`);
    expect(line.slice(p.options[0]?.start, p.options[0]?.end)).toBe(String.raw`command="/bin/sh -c \"echo a\\b, done\""`);
    expect(p.options[1]?.name).toBe('no-pty');
  });

  it('the seed post forced command: docker run with a space-separated command', () => {
    const line = 'command="/usr/bin/docker run --log-driver none -i -e SSH_ORIGINAL_COMMAND -v /srv/backup/midna:/srv/backup/midna stapelberg/docker-rsync /srv/backup/midna" ssh-rsa AAAAB3Npublickey root@midna';
    const p = parsed(line);
    expect(p.options).toHaveLength(1);
    expect(p.options[0]?.value?.endsWith('stapelberg/docker-rsync /srv/backup/midna')).toBe(true);
    expect(p.comment).toBe('root@midna');
  });

  it('valued options: environment, permitopen, permitlisten, expiry-time, principals, tunnel', () => {
    const p = parsed(`environment="PATH=/bin",permitopen="localhost:5432",permitlisten="8080",expiry-time="20301231",principals="a,b",tunnel="0" ssh-ed25519 ${ED}`);
    expect(p.options.map((o) => [o.name, o.value])).toEqual([
      ['environment', 'PATH=/bin'],
      ['permitopen', 'localhost:5432'],
      ['permitlisten', '8080'],
      ['expiry-time', '20301231'],
      ['principals', 'a,b'],
      ['tunnel', '0'],
    ]);
  });

  it('certificate keys and cert-authority lines', () => {
    expect(parsed(`ssh-ed25519-cert-v01@openssh.com ${ED} user-cert`).keyType).toBe('ssh-ed25519-cert-v01@openssh.com');
    const ca = parsed(`cert-authority,principals="backup,admin" ssh-ed25519 ${ED} ca@example`);
    expect(ca.options.map((o) => o.name)).toEqual(['cert-authority', 'principals']);
    expect(ca.options[1]?.value).toBe('backup,admin');
  });

  it('a trailing comma before the key type is tolerated, as sshd does', () => {
    expect(parsed(`no-pty, ssh-ed25519 ${ED}`).options.map((o) => o.name)).toEqual(['no-pty']);
  });

  it.each([
    ['bogus,no-pty ssh-ed25519 AAAA', 0, /unknown key option `bogus`/],
    ['no-pty,,restrict ssh-ed25519 AAAA', 7, /expected an option name/],
    ['from=10.0.0.1 ssh-ed25519 AAAA', 5, /must be in double quotes/],
    ['command ssh-ed25519 AAAA', 7, /needs a value/],
    ['from="10.0.0.1 ssh-ed25519 AAAA', 5, /no closing quote/],
    ['restrict="yes" ssh-ed25519 AAAA', 8, /takes no value/],
    ['no-pty;restrict ssh-ed25519 AAAA', 6, /expected `,`/],
    ['command="a",command="b" ssh-ed25519 AAAA', 12, /given twice/],
    ['environment="novalue" ssh-ed25519 AAAA', 0, /NAME=value/],
    ['expiry-time="tomorrow" ssh-ed25519 AAAA', 0, /expects a time/],
    ['restrict', 8, /expected a key type/],
    ['restrict ssh-foo AAAA', 9, /unknown key type `ssh-foo`/],
    ['ssh-ed25519', 11, /expected the base64 key/],
    ['ssh-ed25519 AAAA$$$$ x', 16, /not valid base64/],
    ['ssh-ed25519 AA=A x', 14, /not valid base64/],
    ['2048 35 2505939 old@ssh1', 0, /SSH protocol 1 key/],
    ['ssh-ed25519 AAAA a\nssh-rsa AAAA b', 18, /cannot span lines/],
    ['   ', 3, /empty line/],
  ])('refuses %j at offset %i', (line, offset, message) => {
    const e = failed(line);
    expect(e.message).toMatch(message);
    expect(e.offset).toBe(offset);
  });

  it('a protocol 1 key after options gets a hint that it is one', () => {
    expect(failed('no-pty 2048 35 25059 old@ssh1').hint).toMatch(/protocol 1/);
    expect(failed('2048 35 25059 old@ssh1').hint).toMatch(/protocol 1/);
  });

  it('the option table names every option once, in lower case', () => {
    const names = KEY_OPTIONS.map((o) => o.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((n) => n === n.toLowerCase())).toBe(true);
  });

  it('property: options written by the rules parse back to the same names, values and spans', () => {
    const valueChar = fc.constantFrom('a', 'Z', '0', ' ', ',', '"', '\\', '=', '/', ':', '!', '*', '.');
    const option = fc.oneof(
      fc.constantFrom(...KEY_OPTIONS.filter((o) => !o.takesValue).map((o) => ({ name: o.name, value: undefined as string | undefined }))),
      fc.record({
        name: fc.constantFrom('from', 'permitopen', 'permitlisten'),
        value: fc.array(valueChar, { maxLength: 20 }).map((cs) => cs.join('')),
      }),
    );
    fc.assert(
      fc.property(fc.array(option, { minLength: 1, maxLength: 6 }), fc.constantFrom(...KEY_TYPES), (options, type) => {
        // sshd unescapes only \" ; a backslash right before a quote would be read as an escape, so values avoid ending in one.
        const written = options.map((o) => (o.value === undefined ? o.name : `${o.name}="${o.value.replace(/\\+$/, '').replace(/"/g, '\\"')}"`));
        const line = `${written.join(',')} ${type} ${ED} c`;
        const p = parsed(line);
        expect(p.options.map((o) => o.name)).toEqual(options.map((o) => o.name));
        expect(p.options.map((o) => o.value)).toEqual(options.map((o) => o.value?.replace(/\\+$/, '')));
        expect(p.options.map((o) => line.slice(o.start, o.end))).toEqual(written);
        expect(p.keyType).toBe(type);
      }),
      { numRuns: 300 },
    );
  });
});

describe('readAuthorizedKeys', () => {
  const text = [
    '# keys for root',
    '',
    `ssh-ed25519 ${ED} anna@thinkpad`,
    `   command="rrsync /srv/backup",restrict ssh-ed25519 ${ED} backup@parents  `,
    'no-pty,bogus ssh-ed25519 AAAA broken',
    `ssh-dss AAAAB3NzaC1kc3M= old@box\r`,
    '   # indented comment',
    '',
  ].join('\n');

  it('every key line is an item of kind authorized-key; blank and comment lines are skipped', () => {
    const ledger = new Ledger();
    const c = readAuthorizedKeys('root/.ssh/authorized_keys', text, 'root', ledger);
    expect(c.format).toBe('authorized-keys');
    expect(ledger.items.map((i) => [i.kind, i.label, at(i.origin)])).toEqual([
      ['authorized-key', 'line 3 (ssh-ed25519 anna@thinkpad)', '3:1'],
      ['authorized-key', 'line 4 (ssh-ed25519 backup@parents)', '4:4'],
      ['authorized-key', 'line 5', '5:1'],
      ['authorized-key', 'line 6 (ssh-dss old@box)', '6:1'],
    ]);
    expect(c.authorizedKeys?.map((k) => [k.user, k.comment])).toEqual([
      ['root', 'anna@thinkpad'],
      ['root', 'backup@parents'],
      ['root', 'old@box'],
    ]);
  });

  it('keeps each line byte for byte (without its line ending)', () => {
    const c = readAuthorizedKeys('ak', text, 'root', new Ledger());
    expect(c.authorizedKeys?.map((k) => k.line)).toEqual([
      `ssh-ed25519 ${ED} anna@thinkpad`,
      `   command="rrsync /srv/backup",restrict ssh-ed25519 ${ED} backup@parents  `,
      'ssh-dss AAAAB3NzaC1kc3M= old@box',
    ]);
    const restricted = c.authorizedKeys?.[1];
    expect(restricted?.options.map((o) => restricted.line.slice(o.start, o.end))).toEqual(['command="rrsync /srv/backup"', 'restrict']);
  });

  it('a malformed line is an error diagnostic at its line:col and an unsupported item, not an exception', () => {
    const ledger = new Ledger();
    readAuthorizedKeys('ak', text, 'root', ledger);
    const errors = ledger.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'authorized-keys/malformed', origin: { file: 'ak', line: 5, column: 8 } });
    expect(errors[0]?.message).toMatch(/unknown key option `bogus`/);
    const broken = ledger.items.find((i) => i.label === 'line 5');
    expect(ledger.fate(broken!)).toMatchObject({ kind: 'unsupported' });
  });

  it('good lines are left for a later stage to settle', () => {
    const ledger = new Ledger();
    const c = readAuthorizedKeys('ak', text, 'root', ledger);
    for (const k of c.authorizedKeys ?? []) expect(ledger.fate(k.item)).toBeUndefined();
  });

  it('warns about DSA keys, which current OpenSSH refuses', () => {
    const ledger = new Ledger();
    readAuthorizedKeys('ak', text, 'root', ledger);
    expect(ledger.diagnostics.filter((d) => d.code === 'authorized-keys/dsa').map((d) => [d.severity, at(d.origin)])).toEqual([['warning', '6:1']]);
  });

  it('an empty file has no keys', () => {
    expect(readAuthorizedKeys('ak', '', 'root', new Ledger()).authorizedKeys).toEqual([]);
  });
});
