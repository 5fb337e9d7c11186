import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/diagnostic.ts';
import { Ledger } from '../../src/model/ledger.ts';
import { CLOUD_CONFIG_KEYS, readCloudConfig } from '../../src/sources/cloud-config/index.ts';
import type { CloudConfigKey } from '../../src/sources/cloud-config/index.ts';
import {
  at,
  diagnostics,
  fate,
  handedOn,
  inputError,
  item,
  keysOf,
  lines,
  onlyDiagnostic,
  read,
  readLines,
  textAt,
  unit,
  unsettled,
  user,
} from '../fixtures/cloud-config/helpers.ts';

describe('the #cloud-config header', () => {
  it('is accepted with trailing blanks, CRLF line ends and a byte order mark', () => {
    for (const text of ['#cloud-config  \nhostname: a\n', '#cloud-config\r\nhostname: a\r\n', '\uFEFF#cloud-config\nhostname: a\n']) {
      expect(read(text).c.hostname?.value).toBe('a');
    }
  });

  it('is required on line 1: otherwise an InputError at 1:1 with a hint', () => {
    const d = inputError(() => read('hostname: a\n'));
    expect(d.code).toBe('cloud-config/missing-header');
    expect(d.origin).toEqual({ file: 'host.yml', line: 1, column: 1 });
    expect(d.message).toContain('`hostname: a`');
    expect(d.hint).toMatch(/first line is `#cloud-config`/);
  });

  it('names the likely mistake in the hint', () => {
    expect(inputError(() => read('# cloud-config\nhostname: a\n')).hint).toMatch(/exactly as `#cloud-config`/);
    expect(inputError(() => read('\n#cloud-config\nhostname: a\n')).hint).toMatch(/on line 2/);
    expect(inputError(() => read('{"ignition": {"version": "3.0.0"}}')).hint).toMatch(/Ignition/);
    expect(inputError(() => read('variant: flatcar\nversion: 1.0.0\n')).hint).toMatch(/Butane/);
    expect(inputError(() => read('#include\nhttps://x\n')).hint).toMatch(/does not run this kind/);
    // A cloud-config missing its header is still told to add it.
    expect(inputError(() => read('hostname: a\ncoreos:\n  units: []\n')).hint).toMatch(/first line is `#cloud-config`/);
    expect(inputError(() => read('')).message).toMatch(/empty file/);
  });

  it('a #! user-data script is reported, not thrown: an unsupported file item, a warning and a manual step', () => {
    const ledger = new Ledger();
    const c = readCloudConfig('user-data', '#!/bin/bash\nsystemctl start foo\n', ledger);
    expect(c).toEqual({ format: 'cloud-config' });
    const file = item(ledger, 'user-data');
    expect(file.kind).toBe('file');
    expect(ledger.fate(file)).toMatchObject({ kind: 'unsupported', reason: expect.stringContaining('#!/bin/bash') });
    const d = onlyDiagnostic(ledger, 'cloud-config/script');
    expect(d.severity).toBe('warning');
    expect(d.origin).toEqual({ file: 'user-data', line: 1, column: 1 });
    expect(ledger.manualSteps).toHaveLength(1);
    expect(ledger.manualSteps[0]?.title).toContain('user-data');
    expect(ledger.manualSteps[0]?.detail).toMatch(/oneshot/);
  });

  it('a file with only the header contributes nothing and registers nothing', () => {
    const r = read('#cloud-config\n');
    expect(r.c).toEqual({ format: 'cloud-config' });
    expect(r.ledger.items).toHaveLength(0);
  });
});

describe('YAML errors', () => {
  it('bad indentation is an InputError at its line:col, with what was expected and a hint', () => {
    const d = inputError(() => readLines('coreos:', '  units:', '    - name: a.service', '     command: start'));
    expect(d.code).toBe('cloud-config/yaml');
    expect(at(d.origin)).toBe('5:6');
    expect(d.message).toMatch(/expected/);
    expect(d.hint).toBeTruthy();
  });

  it('tabs, unclosed quotes and multiple documents have their own explanations', () => {
    expect(inputError(() => readLines('users:', '\t- name: a')).hint).toMatch(/tabs/i);
    const quote = inputError(() => readLines("hostname: 'nas"));
    expect(quote.message).toMatch(/quote/);
    expect(inputError(() => readLines('hostname: a', '---', 'hostname: b')).hint).toMatch(/---/);
  });

  it('a repeated key is an InputError, also when the two spellings differ only in - and _', () => {
    expect(at(inputError(() => readLines('hostname: a', 'hostname: b')).origin)).toBe('3:1');
    const d = inputError(() => readLines('coreos:', '  update:', '    reboot_strategy: off', '    reboot-strategy: reboot'));
    expect(d.code).toBe('cloud-config/duplicate-key');
    expect(at(d.origin)).toBe('5:5');
    expect(d.message).toMatch(/reboot-strategy.*reboot_strategy.*line 4/);
  });

  it('an alias without anchor is an InputError at the alias', () => {
    const d = inputError(() => readLines('hostname: *name'));
    expect(d.message).toMatch(/\*name/);
    expect(at(d.origin)).toBe('2:11');
  });

  it('an alias bomb fails with a clear InputError instead of expanding', () => {
    const d = inputError(() =>
      readLines(
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
        'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
        'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
        'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      ),
    );
    expect(d.code).toBe('cloud-config/alias-limit');
    expect(d.hint).toMatch(/alias bomb/);
    expect(d.origin?.line).toBe(3);
  });

  it('ordinary anchors, aliases and merge keys are read, with origins where the text is', () => {
    const r = readLines(
      'coreos:',
      '  units:',
      '    - &started',
      '      name: a.service',
      '      command: start',
      '      enable: true',
      '    - <<: *started',
      '      name: b.service',
    );
    expect(r.c.units?.map((u) => [u.unit, u.activation?.command?.value, u.activation?.enable?.value])).toEqual([
      ['a.service', 'start', true],
      ['b.service', 'start', true],
    ]);
    expect(at(item(r.ledger, 'coreos.units[1].command').origin)).toBe('6:7');
  });

  it('the top level must be a mapping', () => {
    const d = inputError(() => readLines('- hostname: a'));
    expect(d.code).toBe('cloud-config/not-a-mapping');
    expect(at(d.origin)).toBe('2:1');
  });
});

describe('hostname and the update policy', () => {
  it('hostname is a Located value whose key item waits for a later stage', () => {
    const r = readLines('hostname: storage2');
    expect(r.c.hostname?.value).toBe('storage2');
    expect(r.c.hostname?.item).toMatchObject({ kind: 'key', label: 'hostname', origin: { file: 'host.yml', line: 2, column: 1 } });
    expect(r.ledger.fate(r.c.hostname!.item)).toBeUndefined();
  });

  it('reads coreos.update and the locksmith window as written, not as YAML 1.1 would (off, 04:00)', () => {
    const r = readLines(
      'coreos:',
      '  update:',
      '    reboot-strategy: off',
      '    group: stable',
      '    server: https://public.update.flatcar-linux.net/v1/update/',
      '  locksmith:',
      '    window-start: 04:00',
      '    window_length: 1h',
    );
    const u = r.c.update!;
    expect(u.rebootStrategy?.value).toBe('off');
    expect(u.group?.value).toBe('stable');
    expect(u.server?.value).toBe('https://public.update.flatcar-linux.net/v1/update/');
    expect(u.windowStart?.value).toBe('04:00');
    expect(u.windowLength?.value).toBe('1h');
    expect(at(u.windowStart?.item.origin)).toBe('8:5');
    expect(u.windowStart?.item.label).toBe('coreos.locksmith.window-start');
    expect(unsettled(r.ledger)).toHaveLength(5);
  });

  it('an unknown reboot strategy is an error for that key only', () => {
    const r = readLines('coreos:', '  update:', '    reboot-strategy: sometimes', '    group: beta');
    expect(r.c.update?.rebootStrategy).toBeUndefined();
    expect(r.c.update?.group?.value).toBe('beta');
    expect(fate(r.ledger, 'coreos.update.reboot-strategy')?.kind).toBe('unsupported');
    const d = onlyDiagnostic(r.ledger, 'cloud-config/invalid-value');
    expect(d.severity).toBe('error');
    expect(d.message).toMatch(/best-effort, etcd-lock, reboot, off/);
  });

  it('locksmith settings that need etcd are unsupported, each with its origin', () => {
    const r = readLines('coreos:', '  locksmith:', '    endpoint: http://10.0.0.1:2379', '    etcd_cafile: /etc/ca.pem');
    expect(fate(r.ledger, 'coreos.locksmith.endpoint')).toMatchObject({ kind: 'unsupported' });
    expect(diagnostics(r.ledger, 'cloud-config/unsupported-key').map((d) => at(d.origin))).toEqual(['4:5', '5:5']);
  });
});

/** A minimal document in which `key` appears in `context`, and the line it is on. */
function documentWith(k: CloudConfigKey): { text: string; line: number; column: number; label: string } {
  switch (k.context) {
    case '':
      return { text: lines('#cloud-config', `${k.key}: x`), line: 2, column: 1, label: k.key };
    case 'coreos':
      return { text: lines('#cloud-config', 'coreos:', `  ${k.key}:`, '    a: 1', '    b: [2]'), line: 3, column: 3, label: `coreos.${k.key}` };
    case 'coreos.locksmith':
    case 'coreos.update': {
      const inner = k.context.slice('coreos.'.length);
      return { text: lines('#cloud-config', 'coreos:', `  ${inner}:`, `    ${k.key}: x`), line: 4, column: 5, label: `${k.context}.${k.key}` };
    }
    case 'users[]':
      return { text: lines('#cloud-config', 'users:', '  - name: u', `    ${k.key}: x`), line: 4, column: 5, label: `users[0].${k.key}` };
    case 'write_files[]':
      return { text: lines('#cloud-config', 'write_files:', '  - path: /f', `    ${k.key}: x`), line: 4, column: 5, label: `write_files[0].${k.key}` };
    case 'coreos.units[]':
      return { text: lines('#cloud-config', 'coreos:', '  units:', '    - name: a.service', `      ${k.key}: x`), line: 5, column: 7, label: `coreos.units[0].${k.key}` };
    case 'coreos.units[].drop_ins[]':
      return {
        text: lines('#cloud-config', 'coreos:', '  units:', '    - name: a.service', '      drop_ins:', '        - name: a.conf', `          ${k.key}: x`),
        line: 7,
        column: 11,
        label: `coreos.units[0].drop_ins[0].${k.key}`,
      };
    default:
      throw new Error(`no document for context ${k.context}`);
  }
}

describe('the key table', () => {
  it.each(CLOUD_CONFIG_KEYS.filter((k) => k.support.kind === 'read').map((k) => [`${k.context}${k.context ? '.' : ''}${k.key}`, k] as const))(
    '%s has a handler in the reader (no internal error, whatever its value)',
    (_name, k) => {
      const doc = documentWith(k);
      try {
        readCloudConfig('host.yml', doc.text, new Ledger());
      } catch (error) {
        // A key written twice (name, path) is the input's fault; anything else is a bug.
        expect(error).toBeInstanceOf(InputError);
      }
    },
  );
});

describe('keys nixport does not carry', () => {
  const settledHere = CLOUD_CONFIG_KEYS.filter((k) => k.support.kind !== 'read');

  it('the table lists the ones the brief names', () => {
    const names = settledHere.map((k) => `${k.context}.${k.key}`);
    for (const expected of ['coreos.etcd', 'coreos.etcd2', 'coreos.fleet', 'coreos.flannel', 'coreos.oem', '.manage_etc_hosts', 'users[].lock_passwd', 'users[].sudo', 'users[].inactive']) {
      expect(names).toContain(expected);
    }
  });

  it.each(settledHere.map((k) => [`${k.context}${k.context ? '.' : ''}${k.key}`, k] as const))('%s is settled here with its reason, origin and a diagnostic', (_name, k) => {
    const doc = documentWith(k);
    const ledger = new Ledger();
    readCloudConfig('host.yml', doc.text, ledger);
    const it = item(ledger, doc.label);
    expect(it.kind).toBe('key');
    expect(at(it.origin)).toBe(`${doc.line}:${doc.column}`);
    const f = ledger.fate(it);
    expect(f?.kind).toBe(k.support.kind);
    expect(f && 'reason' in f ? f.reason : '').toBe('reason' in k.support ? k.support.reason : '');
    const d = ledger.diagnostics.find((x) => x.origin?.line === doc.line);
    expect(d?.severity).toBe(k.support.kind === 'unsupported' ? 'warning' : 'info');
    if (k.support.kind === 'unsupported') expect(d?.hint).toBe(k.support.hint);
    // The subtree of a key settled here is covered by its item: nothing below it is registered.
    expect(ledger.items.filter((i) => i.label.startsWith(`${doc.label}.`))).toEqual([]);
  });

  it('etcd2 gets a reason that points to services.etcd', () => {
    const r = readLines('coreos:', '  etcd2:', '    name: node1', '    discovery: https://discovery.etcd.io/x');
    expect(fate(r.ledger, 'coreos.etcd2')).toEqual({ kind: 'unsupported', reason: 'etcd clusters are not migrated' });
    expect(onlyDiagnostic(r.ledger, 'cloud-config/unsupported-key').hint).toMatch(/services\.etcd/);
    expect(r.ledger.items).toHaveLength(1);
  });

  it('unknown keys anywhere are unsupported with a warning, and a suggestion when one is close', () => {
    const r = readLines(
      'hostnmae: nas',
      'runcmd: [ls]',
      'coreos:',
      '  unit: []',
      '  units:',
      '    - name: a.service',
      '      comand: start',
      '      drop_ins:',
      '        - name: x.conf',
      '          contents: "[Unit]"',
      'users:',
      '  - name: a',
      '    homedir2: /x',
      'write_files:',
      '  - path: /f',
      '    mode: "0600"',
    );
    const unknown = diagnostics(r.ledger, 'cloud-config/unknown-key');
    expect(unknown.map((d) => [at(d.origin), d.severity])).toEqual([
      ['2:1', 'warning'],
      ['3:1', 'warning'],
      ['5:3', 'warning'],
      ['8:7', 'warning'],
      ['11:11', 'warning'],
      ['14:5', 'warning'],
      ['17:5', 'warning'],
    ]);
    expect(unknown[0]?.hint).toBe('Did you mean `hostname`?');
    expect(unknown[2]?.hint).toBe('Did you mean `units`?');
    expect(unknown[3]?.hint).toBe('Did you mean `command`?');
    expect(unknown[4]?.hint).toBe('Did you mean `content`?');
    for (const label of ['hostnmae', 'runcmd', 'coreos.unit', 'coreos.units[0].comand', 'coreos.units[0].drop_ins[0].contents', 'users[0].homedir2', 'write_files[0].mode']) {
      expect(fate(r.ledger, label)).toEqual({ kind: 'unsupported', reason: 'not a coreos-cloudinit key; coreos-cloudinit ignored it with a warning' });
    }
    expect(item(r.ledger, 'coreos.units[0].comand').parent).toBe(item(r.ledger, 'coreos.units[0] (a.service)').id);
  });

  it('an empty value is settled as dropped: coreos-cloudinit read it as unset', () => {
    const r = readLines('hostname:', 'users:', '  - name: a', '    shell: ~');
    expect(r.c.hostname).toBeUndefined();
    expect(fate(r.ledger, 'hostname')?.kind).toBe('dropped');
    expect(fate(r.ledger, 'users[0].shell')?.kind).toBe('dropped');
    expect(user(r.c, 'a').shell).toBeUndefined();
  });
});

describe('users', () => {
  it('reads every field into the model, each with its own key item', () => {
    const r = readLines(
      'users:',
      '  - name: michael',
      '    gecos: Michael Stapelberg',
      '    primary-group: michael',
      '    groups: [wheel, docker]',
      '    homedir: /home/michael',
      '    shell: /bin/zsh',
      '    system: no',
      '    no_create_home: yes',
      '    passwd: $6$salt$hash',
      '    uid: 1000',
    );
    const u = user(r.c, 'michael');
    expect(u.item).toMatchObject({ kind: 'user', label: 'users[0] (michael)', origin: { line: 3, column: 5 } });
    expect(u.gecos?.value).toBe('Michael Stapelberg');
    expect(u.primaryGroup?.value).toBe('michael');
    expect(u.groups.map((g) => g.value)).toEqual(['wheel', 'docker']);
    expect(u.home?.value).toBe('/home/michael');
    expect(u.shell?.value).toBe('/bin/zsh');
    expect(u.system?.value).toBe(false);
    expect(u.noCreateHome?.value).toBe(true);
    expect(u.passwordHash?.value).toBe('$6$salt$hash');
    expect(u.uid?.value).toBe(1000);
    expect(u.gecos?.item).toMatchObject({ label: 'users[0].gecos', parent: u.item.id, origin: { line: 4, column: 5 } });
    expect(u.groups.map((g) => [g.item.label, at(g.item.origin)])).toEqual([
      ['users[0].groups[0]', '6:14'],
      ['users[0].groups[1]', '6:21'],
    ]);
    expect(unsettled(r.ledger).map((i) => i.id).sort()).toEqual(handedOn(r.c).map((i) => i.id).sort());
  });

  it('groups may be a comma-separated string; each group points at its own column', () => {
    const r = readLines('users:', '  - name: a', '    groups: "sudo, docker,adm"');
    const groups = user(r.c, 'a').groups;
    expect(groups.map((g) => g.value)).toEqual(['sudo', 'docker', 'adm']);
    for (const g of groups) expect(textAt(r.text, g.item.origin).startsWith(g.value)).toBe(true);
  });

  it('the password hash never appears in a diagnostic', () => {
    const r = readLines('users:', '  - name: a', '    passwd: $6$secret$hash', '    passwd2: $6$secret$hash', '    system: [$6$secret$hash]');
    expect(JSON.stringify(r.ledger.diagnostics)).not.toContain('secret');
  });

  it('a user without a name is an error for that entry; the others are read', () => {
    const r = readLines('users:', '  - gecos: nobody', '    shell: /bin/sh', '  - name: b');
    expect(r.c.users?.map((u) => u.name)).toEqual(['b']);
    expect(fate(r.ledger, 'users[0]')?.kind).toBe('unsupported');
    expect(at(onlyDiagnostic(r.ledger, 'cloud-config/missing-key').origin)).toBe('3:5');
    // Its fields belong to the rejected entry and are not registered on their own.
    expect(r.ledger.items.filter((i) => i.label.startsWith('users[0].'))).toEqual([]);
  });

  it('a wrong type is an error for that key: a list where a string is expected, a string where a list is', () => {
    const r = readLines('users:', '  - name: a', '    shell: [bash]', '    system: "yes"', '    uid: big', '    ssh_authorized_keys: ssh-ed25519 AAAA a@b');
    const wrong = diagnostics(r.ledger, 'cloud-config/wrong-type');
    expect(wrong.map((d) => [at(d.origin), d.severity])).toEqual([
      ['4:12', 'error'],
      ['5:13', 'error'],
      ['6:10', 'error'],
      ['7:26', 'error'],
    ]);
    expect(wrong[0]?.message).toBe('`users[0].shell` must be a string, found a list');
    expect(wrong[1]?.message).toBe('`users[0].system` must be true or false, found a string');
    expect(wrong[3]?.message).toMatch(/must be a list/);
    for (const label of ['users[0].shell', 'users[0].system', 'users[0].uid', 'users[0].ssh_authorized_keys']) {
      expect(fate(r.ledger, label)?.kind).toBe('unsupported');
    }
    expect(user(r.c, 'a').item).toBeDefined();
  });

  it('a container of the wrong shape becomes an item to carry its error', () => {
    const r = readLines('users: michael', 'write_files: {}', 'coreos: [units]');
    expect(r.c.users).toEqual([]);
    for (const label of ['users', 'write_files', 'coreos']) expect(fate(r.ledger, label)?.kind).toBe('unsupported');
    expect(diagnostics(r.ledger, 'cloud-config/wrong-type').map((d) => d.message)).toEqual([
      '`users` must be a list (entries starting with `-`), found a string',
      '`write_files` must be a list (entries starting with `-`), found a mapping',
      '`coreos` must be a mapping of keys, found a list',
    ]);
  });

  it('ssh-authorized-keys become AuthorizedKeys of that user, options parsed', () => {
    const r = readLines(
      'users:',
      '  - name: root',
      '    ssh-authorized-keys:',
      '      - command="/usr/bin/docker run -i -v /srv/backup:/srv/backup stapelberg/docker-rsync /srv/backup",no-port-forwarding ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC root@midna',
    );
    const [key] = keysOf(r.c, 'root');
    expect(key?.options.map((o) => o.name)).toEqual(['command', 'no-port-forwarding']);
    expect(key?.options[0]?.value).toBe('/usr/bin/docker run -i -v /srv/backup:/srv/backup stapelberg/docker-rsync /srv/backup');
    expect(key?.item).toMatchObject({ kind: 'authorized-key', parent: user(r.c, 'root').item.id, origin: { line: 5, column: 9 } });
    expect(key?.line.startsWith('command="/usr/bin/docker')).toBe(true);
  });

  it('top-level ssh_authorized_keys go to the user core, as coreos-cloudinit did', () => {
    const r = readLines('ssh_authorized_keys:', '  - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA me@laptop', '  - >-', '    ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB', '    other@desk');
    const keys = keysOf(r.c, 'core');
    expect(keys.map((k) => k.comment)).toEqual(['me@laptop', 'other@desk']);
    expect(keys[0]?.item.label).toBe('ssh_authorized_keys[0] (ssh-ed25519 me@laptop)');
    expect(keys[1]?.line).toBe('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB other@desk');
    expect(r.c.users).toEqual([]);
  });

  it('a malformed key is an error at its column, and only that key is left out', () => {
    const r = readLines('ssh_authorized_keys:', '  - no-pty,bogus ssh-ed25519 AAAAC3Nza x', '  - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 ok');
    expect(keysOf(r.c, 'core').map((k) => k.comment)).toEqual(['ok']);
    const d = onlyDiagnostic(r.ledger, 'authorized-keys/malformed');
    expect(d.severity).toBe('error');
    expect(at(d.origin)).toBe('3:12');
    expect(textAt(r.text, d.origin!).startsWith('bogus')).toBe(true);
    expect(fate(r.ledger, 'ssh_authorized_keys[0]')?.kind).toBe('unsupported');
  });

  it('cloud-init keys coreos-cloudinit ignored are unsupported with a NixOS pointer', () => {
    const r = readLines('users:', '  - name: a', '    lock-passwd: true', '    sudo: ALL=(ALL) NOPASSWD:ALL', '    no-user-group: true');
    expect(fate(r.ledger, 'users[0].lock-passwd')?.kind).toBe('unsupported');
    expect(fate(r.ledger, 'users[0].sudo')?.kind).toBe('unsupported');
    expect(fate(r.ledger, 'users[0].no-user-group')?.kind).toBe('dropped');
    expect(diagnostics(r.ledger, 'cloud-config/unsupported-key').map((d) => d.hint)).toEqual([
      expect.stringMatching(/hashedPassword = "!"/),
      expect.stringMatching(/security\.sudo\.extraRules/),
    ]);
  });
});

describe('coreos.units', () => {
  it('each unit becomes a UnitText with its activation; the unit item is left for the systemd reader', () => {
    const r = readLines(
      'coreos:',
      '  units:',
      '    - name: samba.service',
      '      command: start',
      '      enable: yes',
      '      runtime: false',
      '      mask: off',
      '      content: |',
      '        [Unit]',
      '        Description=samba server',
    );
    const u = unit(r.c, 'samba.service');
    expect(u.text).toBe('[Unit]\nDescription=samba server\n');
    expect(u.item).toMatchObject({ kind: 'unit', label: 'coreos.units[0] (samba.service)', origin: { line: 4, column: 7 } });
    expect(u.activation?.command?.value).toBe('start');
    expect(u.activation?.enable?.value).toBe(true);
    expect(u.activation?.runtime?.value).toBe(false);
    expect(u.activation?.mask?.value).toBe(false);
    expect(u.activation?.enable?.item).toMatchObject({ label: 'coreos.units[0].enable', parent: u.item.id });
    expect(r.ledger.fate(u.item)).toBeUndefined();
    expect(unsettled(r.ledger).map((i) => i.id).sort()).toEqual(handedOn(r.c).map((i) => i.id).sort());
  });

  it('drop-ins (drop_ins or drop-ins) become UnitTexts of their own, children of the unit item', () => {
    const r = readLines(
      'coreos:',
      '  units:',
      '    - name: docker.service',
      '      drop-ins:',
      '        - name: 10-mtu.conf',
      '          content: |',
      '            [Service]',
      '            Environment=DOCKER_OPTS=--mtu=1400',
      '    - name: a.service',
      '      content: "[Service]\\nExecStart=/bin/true\\n"',
      '      drop_ins:',
      '        - name: 20-x.conf',
      '          content: |',
      '            [Service]',
      '            Restart=always',
    );
    const body = unit(r.c, 'docker.service');
    expect(body.text).toBe('');
    const dropIn = unit(r.c, 'docker.service', '10-mtu.conf');
    expect(dropIn.text).toBe('[Service]\nEnvironment=DOCKER_OPTS=--mtu=1400\n');
    expect(dropIn.item).toMatchObject({ kind: 'drop-in', label: 'coreos.units[0].drop-ins[0] (docker.service.d/10-mtu.conf)', parent: body.item.id });
    expect(textAt(r.text, dropIn.position(2, 1))).toBe('Environment=DOCKER_OPTS=--mtu=1400');
    expect(unit(r.c, 'a.service', '20-x.conf').text).toBe('[Service]\nRestart=always\n');
    expect(r.c.units?.map((u) => [u.unit, u.dropIn])).toEqual([
      ['docker.service', undefined],
      ['docker.service', '10-mtu.conf'],
      ['a.service', undefined],
      ['a.service', '20-x.conf'],
    ]);
  });

  it('a unit without content is an activation of a unit the OS shipped: text is empty', () => {
    const r = readLines('coreos:', '  units:', '    - name: docker.socket', '      command: start');
    const u = unit(r.c, 'docker.socket');
    expect(u.text).toBe('');
    expect(u.activation?.command?.value).toBe('start');
    expect(u.position(1, 1)).toEqual(u.item.origin);
  });

  it('drop-ins the old host ignored are dropped with a reason', () => {
    const r = readLines(
      'coreos:',
      '  units:',
      '    - name: a.service',
      '      drop-ins:',
      '        - name: 10-empty.conf',
      '        - name: notes.txt',
      '          content: "[Service]\\n"',
    );
    expect(r.c.units).toHaveLength(1);
    expect(fate(r.ledger, 'coreos.units[0].drop-ins[0] (a.service.d/10-empty.conf)')?.kind).toBe('dropped');
    expect(fate(r.ledger, 'coreos.units[0].drop-ins[1] (a.service.d/notes.txt)')).toMatchObject({ kind: 'dropped', reason: expect.stringMatching(/only \*\.conf/) });
    expect(onlyDiagnostic(r.ledger, 'cloud-config/ignored-drop-in').severity).toBe('warning');
  });

  it('bad entries are errors for that entry; the other units are read', () => {
    const r = readLines(
      'coreos:',
      '  units:',
      '    - command: start',
      '    - name: samba',
      '    - name: b.service',
      '      command: begin',
      '    - name: c.service',
      '      content: {Unit: x}',
      '    - just-a-string',
      '    - name: ok.service',
      '      enable: "true"',
    );
    expect(r.c.units?.map((u) => u.unit)).toEqual(['b.service', 'ok.service']);
    expect(fate(r.ledger, 'coreos.units[0]')?.kind).toBe('unsupported');
    expect(fate(r.ledger, 'coreos.units[1] (samba)')).toMatchObject({ kind: 'unsupported', reason: expect.stringMatching(/not a unit name/) });
    expect(fate(r.ledger, 'coreos.units[2].command')?.kind).toBe('unsupported');
    expect(unit(r.c, 'b.service').activation?.command).toBeUndefined();
    expect(fate(r.ledger, 'coreos.units[3] (c.service)')?.kind).toBe('unsupported');
    expect(fate(r.ledger, 'coreos.units[4]')?.kind).toBe('unsupported');
    expect(fate(r.ledger, 'coreos.units[5].enable')?.kind).toBe('unsupported');
    expect(r.ledger.diagnostics.filter((d) => d.severity === 'error').map((d) => at(d.origin))).toEqual(['4:7', '5:7', '7:7', '9:16', '10:7', '12:15']);
  });

  it('systemd-networkd files are unsupported with a pointer to systemd.network', () => {
    const r = readLines('coreos:', '  units:', '    - name: 10-static.network', '      content: |', '        [Match]', '        Name=eth0');
    expect(r.c.units).toEqual([]);
    expect(fate(r.ledger, 'coreos.units[0] (10-static.network)')?.kind).toBe('unsupported');
    expect(onlyDiagnostic(r.ledger, 'cloud-config/networkd-unit').hint).toContain('systemd.network.networks."10-static"');
  });
});
