import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseBinaries } from '../../src/passes/binaries.ts';
import { BINARY_TABLE, inUnitPath, lookupBinary } from '../../src/passes/binary-table.ts';
import { analyseMounts } from '../../src/passes/mounts.ts';
import type { Directive } from '../../src/model/unit.ts';
import { Builder, codes, show } from './build.ts';
import { seedHost } from './seed.ts';

/** Rewrites the Exec*= lines of one unit; returns `Key=` + rewritten raw per line (unchanged lines as written). */
function rewrite(text: string, files: Record<string, string> = {}) {
  const b = new Builder();
  const unit = b.unit('x.service', text);
  const host = b.host([unit], { files: Object.entries(files).map(([path, content]) => b.file(path, content)) });
  const { commands } = analyseBinaries(host, b.ledger);
  const lines = unit.directives.filter((d) => d.exec).map((d) => show(commands.get(d) ?? [d.raw]));
  return { lines, line: lines[0], ledger: b.ledger, commands };
}

describe('binaries pass: the seed units', () => {
  const { host, ledger, units, keys } = seedHost();
  const { removedExecs } = analyseMounts(host, ledger);
  const { commands, keys: keyLines } = analyseBinaries(host, ledger, removedExecs);
  const at = (d: Directive | undefined) => (d && commands.has(d) ? show(commands.get(d)!) : undefined);
  const execs = (u: keyof typeof units) => units[u].directives.filter((d) => d.exec);

  it('rewrites the programs in the unlock payloads (post, M2)', () => {
    const [wait, first, vg, mount] = execs('unlock');
    expect(at(wait)).toBe(
      '/bin/sh -c "c=0; while [ $c -lt 5 ]; do ${pkgs.iputils}/bin/ping -6 -n -c 1 r.zekjur.net && break; c=$((c+1)); sleep 1; done"',
    );
    expect(at(first)).toBe(
      String.raw`/bin/sh -c "[ -e \"/dev/mapper/S5SSNF0T205183F_crypt\" ] || (echo -n my_local_secret && ${'${pkgs.wget}'}/bin/wget --retry-connrefused --ca-directory=/dev/null --ca-certificate=/etc/ssl/certs/r.zekjur.net.crt -qO - https://r.zekjur.net:8443/nascrypto) | ${'${pkgs.cryptsetup}'}/bin/cryptsetup --key-file=- luksOpen /dev/disk/by-id/ata-Samsung_SSD_870_QVO_8TB_S5SSNF0T205183F S5SSNF0T205183F_crypt"`,
    );
    expect(at(vg)).toBe('/bin/sh -c "${pkgs.lvm2.bin}/bin/vgchange -ay"');
    expect(mount && commands.has(mount)).toBe(false); // the mount step left the unit (mount pass)
  });

  it('rewrites docker and keeps the rest of each line as written (healthz)', () => {
    const [isActive, pull, kill, , run] = execs('healthz');
    expect(commands.has(isActive!)).toBe(false); // systemctl is in every unit's PATH
    expect(at(pull)).toBe('${pkgs.docker}/bin/docker pull nginx:1');
    expect(at(kill)).toBe('-${pkgs.docker}/bin/docker kill nginx-healthz');
    expect(at(run)).toBe(
      '${pkgs.docker}/bin/docker run \\\n    --name nginx-healthz \\\n    --publish 10.0.0.252:8200:80 \\\n    --log-driver=journald \\\n    nginx:1',
    );
  });

  it('never touches what runs inside a container (samba)', () => {
    const lines = execs('samba').map((d) => at(d) ?? '');
    expect(lines[4]).toBe(
      `\${pkgs.docker}/bin/docker run --name smb-prep stapelberg/docker-samba sh -c 'adduser --quiet --disabled-password --gecos "" --uid 29901 michael'`,
    );
    expect(lines[7]).toMatch(/smb-prepared \\\n {4}\/usr\/sbin\/smbd --foreground/);
  });

  it("rewrites only the program of the keys' forced commands, byte for byte otherwise (M4, N7)", () => {
    expect(show(keyLines.get(keys.rrsync)!)).toBe(
      'command="${pkgs.docker}/bin/docker run --log-driver none -i -e SSH_ORIGINAL_COMMAND -v /srv/backup/midna:/srv/backup/midna stapelberg/docker-rsync /srv/backup/midna" ssh-rsa AAAAB3Npublickey root@midna',
    );
    expect(show(keyLines.get(keys.sync)!)).toBe(
      'command="${pkgs.docker}/bin/docker run --log-driver none -i -e SSH_ORIGINAL_COMMAND -v /srv/data:/srv/data stapelberg/docker-sync",no-port-forwarding,no-X11-forwarding ssh-ed25519 AAAAC3Npublickey sync@dr',
    );
  });

  it('says once that docker needs its daemon, and nothing else', () => {
    expect(codes(ledger).filter((c) => c.includes('binaries'))).toEqual(['info binaries/note']);
  });
});

describe('binaries pass: command lines', () => {
  it.each([
    ['/usr/bin/docker ps', '${pkgs.docker}/bin/docker ps'],
    ['docker ps', '${pkgs.docker}/bin/docker ps'],
    ['"/usr/bin/docker" ps', '${pkgs.docker}/bin/docker ps'],
    ['sleep 5', '${pkgs.coreutils}/bin/sleep 5'],
    ['/bin/echo hi', '${pkgs.coreutils}/bin/echo hi'],
    ['/sbin/vgchange -ay', '${pkgs.lvm2.bin}/bin/vgchange -ay'],
    ['/bin/ping6 -c 1 host', '${pkgs.iputils}/bin/ping -6 -c 1 host'],
    ['/bin/ping -c 1 host', '${pkgs.iputils}/bin/ping -c 1 host'],
    ['/usr/bin/node /opt/app/server.js', '${pkgs.nodejs}/bin/node /opt/app/server.js'],
    ['/usr/bin/npm start', '${pkgs.nodejs}/bin/npm start'],
    ['/usr/bin/nodejs server.js', '${pkgs.nodejs}/bin/node server.js'],
    ['/usr/bin/php -S 0.0.0.0:8080', '${pkgs.php}/bin/php -S 0.0.0.0:8080'],
    ['/usr/sbin/smartctl -a /dev/sda', '${pkgs.smartmontools}/bin/smartctl -a /dev/sda'],
    ['/usr/bin/rrsync /srv', '${pkgs.rrsync}/bin/rrsync /srv'],
    ['/bin/mount -o remount,ro /', '/run/wrappers/bin/mount -o remount,ro /'],
    ['/usr/bin/sudo -u nobody /usr/bin/curl x', '/run/wrappers/bin/sudo -u nobody ${pkgs.curl}/bin/curl x'],
    ['/usr/bin/env FOO=1 -u BAR /usr/bin/docker ps', '${pkgs.coreutils}/bin/env FOO=1 -u BAR ${pkgs.docker}/bin/docker ps'],
    ['/usr/bin/timeout -s KILL 10 wget x', '${pkgs.coreutils}/bin/timeout -s KILL 10 ${pkgs.wget}/bin/wget x'],
    ['-/usr/bin/nice -n 5 /usr/bin/rsync -a a b', '-${pkgs.coreutils}/bin/nice -n 5 ${pkgs.rsync}/bin/rsync -a a b'],
    ['@/usr/bin/docker my-docker ps', '@${pkgs.docker}/bin/docker my-docker ps'],
    ['/bin/sh -c "true"', '/bin/sh -c "true"'],
    ['/usr/bin/sh -c "true"', '/bin/sh -c "true"'],
    ['/bin/bash -c "jq . f | gzip"', '${pkgs.bash}/bin/bash -c "${pkgs.jq}/bin/jq . f | ${pkgs.gzip}/bin/gzip"'],
    ['/nix/store/abc-x/bin/x', '/nix/store/abc-x/bin/x'],
    ['/run/current-system/sw/bin/x', '/run/current-system/sw/bin/x'],
  ])('ExecStart=%s', (command, expected) => {
    const { line, ledger } = rewrite(`[Service]\nExecStart=${command}\n`);
    expect(line).toBe(expected);
    expect(ledger.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });

  it.each([
    ['the unit PATH covers coreutils, grep, sed, find, systemd', 'sleep 1; grep -q x f && sed -i s/a/b/ f; find / | xargs ls; systemctl start y'],
    ['shell builtins stay', 'cd /tmp; echo x; test -e f; [ -e f ] && exit 0; read a; true'],
    ['functions stay', 'f() { :; }; f arg'],
  ])('payloads: %s', (_, payload) => {
    const { line, ledger } = rewrite(`[Service]\nExecStart=/bin/sh -c '${payload}'\n`);
    expect(line).toBe(`/bin/sh -c '${payload}'`);
    expect(ledger.diagnostics).toEqual([]);
  });

  it.each([
    ['curl x | jq .', '${pkgs.curl}/bin/curl x | ${pkgs.jq}/bin/jq .'],
    ['/usr/bin/find / -name x', '${pkgs.findutils}/bin/find / -name x'],
    ['exec /usr/bin/docker run img', 'exec ${pkgs.docker}/bin/docker run img'],
    ['X=1 Y="a b" docker run img', 'X=1 Y="a b" ${pkgs.docker}/bin/docker run img'],
    ['echo $(/usr/bin/hostname -s)', 'echo $(/usr/bin/hostname -s)'],
    ['echo $(ip -4 addr) `wget -qO- x`', 'echo $(${pkgs.iproute2}/bin/ip -4 addr) `${pkgs.wget}/bin/wget -qO- x`'],
    ['if ! mountpoint -q /srv; then mount /dev/sdb1 /srv; fi', 'if ! ${pkgs.util-linux}/bin/mountpoint -q /srv; then /run/wrappers/bin/mount /dev/sdb1 /srv; fi'],
    ['nohup sudo docker ps', 'nohup /run/wrappers/bin/sudo ${pkgs.docker}/bin/docker ps'],
    ['sh -c "x"', '/bin/sh -c "x"'],
  ])('payload `%s`', (payload, expected) => {
    const { line } = rewrite(`[Service]\nExecStart=/bin/sh -c '${payload}'\n`);
    expect(line).toBe(`/bin/sh -c '${expected}'`);
  });

  it('maps payload offsets back through systemd escapes in raw', () => {
    const { line } = rewrite(String.raw`[Service]
ExecStart=/bin/sh -c "echo \"a\" && /usr/bin/curl \"x\" | jq ."`);
    expect(line).toBe(String.raw`/bin/sh -c "echo \"a\" && ${'${pkgs.curl}'}/bin/curl \"x\" | ${'${pkgs.jq}'}/bin/jq ."`);
  });

  it('keeps a program written with escapes, with a warning', () => {
    const { line, ledger } = rewrite(String.raw`[Service]
ExecStart=/bin/sh -c "\x63url x"`);
    expect(line).toBe(String.raw`/bin/sh -c "\x63url x"`);
    expect(codes(ledger)).toEqual(['warning binaries/escaped-program']);
  });

  it('does not look into a docker command, not even its sh -c', () => {
    const { line } = rewrite(`[Service]\nExecStart=/usr/bin/docker run img /bin/sh -c "/usr/bin/curl x"\n`);
    expect(line).toBe('${pkgs.docker}/bin/docker run img /bin/sh -c "/usr/bin/curl x"');
  });

  it('leaves lines without programs to rewrite out of the map', () => {
    const { commands, lines } = rewrite('[Service]\nExecStart=/bin/sh -c "sleep 1"\nExecStart=\n');
    expect(commands.size).toBe(0);
    expect(lines).toEqual(['/bin/sh -c "sleep 1"', '']);
  });
});

describe('binaries pass: programs it does not know', () => {
  it('warns about programs installed by hand, hinting at write_files', () => {
    const { line, ledger } = rewrite('[Service]\nExecStart=/opt/bin/frob --now\n');
    expect(line).toBe('/opt/bin/frob --now');
    expect(ledger.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'binaries/unknown-program', hint: expect.stringContaining('write_files') }),
    ]);
  });

  it('uses a program the old host wrote with write_files as it is', () => {
    const { line, ledger } = rewrite('[Service]\nExecStart=/opt/bin/frob --now\n', { '/opt/bin/frob': '#!/bin/sh\n' });
    expect(line).toBe('/opt/bin/frob --now');
    expect(codes(ledger)).toEqual(['info binaries/carried-file']);
  });

  it('replaces a hand-installed copy of a known program, with a warning', () => {
    const { line, ledger } = rewrite('[Service]\nExecStart=/opt/bin/docker-compose up\n');
    expect(line).toBe('${pkgs.docker-compose}/bin/docker-compose up');
    expect(codes(ledger)).toEqual(['warning binaries/local-program-replaced']);
  });

  it.each([
    ['/usr/bin/frob', 'warning binaries/unknown-program'],
    ['frob', 'warning binaries/unknown-program'],
    ['/bin/sh -c "frob x"', 'warning binaries/unknown-program'],
    ['$FROB run', 'info binaries/variable-program'],
    ['/bin/sh -c "cat <<EOF"', 'warning binaries/shell-unreadable'],
  ])('%s: %s', (command, code) => {
    const { ledger } = rewrite(`[Service]\nExecStart=${command}\n`);
    expect(codes(ledger)).toEqual([code]);
  });
});

describe('binaries pass: scripts the old host wrote and a unit runs', () => {
  function scripts(unit: string, files: Record<string, string>) {
    const b = new Builder();
    const host = b.host([b.unit('x.service', unit)], { files: Object.entries(files).map(([path, content]) => b.file(path, content)) });
    const result = analyseBinaries(host, b.ledger);
    return { byPath: new Map([...result.scripts].map(([f, t]) => [f.path, show(t)])), ledger: b.ledger };
  }

  it('gives the interpreter and the programs of a shell script their store paths, bare names by the unit\'s PATH', () => {
    const { byPath } = scripts('[Service]\nExecStart=/opt/bin/backup.sh\n', {
      '/opt/bin/backup.sh': '#!/bin/bash\nset -e\nlog() { echo "$@"; }\nlog start\n/usr/bin/docker exec db pg_dumpall > /srv/dump.sql\nrsync -a /srv/ backup:/srv/\nsleep 1\n',
    });
    expect(byPath.get('/opt/bin/backup.sh')).toBe(
      '#!${pkgs.bash}/bin/bash\nset -e\nlog() { echo "$@"; }\nlog start\n${pkgs.docker}/bin/docker exec db pg_dumpall > /srv/dump.sql\n${pkgs.rsync}/bin/rsync -a /srv/ backup:/srv/\nsleep 1\n',
    );
  });

  it('rewrites `#!/usr/bin/env NAME` and other interpreters, and leaves /bin/sh and /usr/bin/env -S alone', () => {
    const { byPath } = scripts('[Service]\nExecStart=/opt/a\nExecStartPost=/opt/b\nExecStop=/opt/c\nExecReload=/opt/d\n', {
      '/opt/a': '#!/usr/bin/env python3\nprint(1)\n',
      '/opt/b': '#!/usr/bin/perl -w\nprint 1;\n',
      '/opt/c': '#!/bin/sh\necho hi\n',
      '/opt/d': '#!/usr/bin/env -S python3 -u\nprint(1)\n',
    });
    expect(byPath.get('/opt/a')).toBe('#!${pkgs.python3}/bin/python3\nprint(1)\n');
    expect(byPath.get('/opt/b')).toBe('#!${pkgs.perl}/bin/perl -w\nprint 1;\n');
    expect(byPath.has('/opt/c')).toBe(false);
    expect(byPath.has('/opt/d')).toBe(false);
  });

  it('rewrites the programs of a file a shell reads (`bash FILE`), with or without a #! line', () => {
    const { byPath } = scripts('[Service]\nExecStart=/bin/bash /opt/run.sh\nExecStop=/bin/sh /opt/stop\n', {
      '/opt/run.sh': 'docker start db\nsleep 2\n',
      '/opt/stop': '#!/bin/sh\ndocker stop db\n',
    });
    expect(byPath.get('/opt/run.sh')).toBe('${pkgs.docker}/bin/docker start db\nsleep 2\n');
    expect(byPath.get('/opt/stop')).toBe('#!/bin/sh\n${pkgs.docker}/bin/docker stop db\n');
  });

  it('leaves a script a container mounts as it is: the container runs it with its own interpreter', () => {
    const { byPath } = scripts('[Service]\nExecStartPre=/opt/sync/sync.pl\nExecStart=/usr/bin/docker run -v /opt/sync:/opt/sync:ro img\n', {
      '/opt/sync/sync.pl': '#!/usr/bin/perl\nprint 1;\n',
    });
    expect(byPath.size).toBe(0);
  });

  it('keeps a script it cannot read whole as written, but for its interpreter, with a warning', () => {
    const { byPath, ledger } = scripts('[Service]\nExecStart=/opt/gen.sh\n', { '/opt/gen.sh': '#!/bin/bash\ncat <<EOF > /etc/x\ndocker run\nEOF\n' });
    expect(byPath.get('/opt/gen.sh')).toBe('#!${pkgs.bash}/bin/bash\ncat <<EOF > /etc/x\ndocker run\nEOF\n');
    expect(codes(ledger)).toContain('warning binaries/shell-unreadable');
  });
});

describe('binaries pass: authorized keys', () => {
  function keyLine(line: string) {
    const b = new Builder();
    const key = b.key('root', line);
    const { keys } = analyseBinaries(b.host([], { authorizedKeys: [key] }), b.ledger);
    return { shown: keys.has(key) ? show(keys.get(key)!) : undefined, ledger: b.ledger };
  }

  it('rewrites every known program, also those in the unit PATH (sshd sets its own)', () => {
    expect(keyLine('restrict,command="rrsync -ro /srv/backup" ssh-ed25519 AAAA x').shown).toBe(
      'restrict,command="${pkgs.rrsync}/bin/rrsync -ro /srv/backup" ssh-ed25519 AAAA x',
    );
    expect(keyLine('command="cat /etc/motd" ssh-ed25519 AAAA').shown).toBe('command="${pkgs.coreutils}/bin/cat /etc/motd" ssh-ed25519 AAAA');
  });

  it('follows OpenSSH quoting: only \\" is an escape', () => {
    expect(keyLine('command="echo \\"x\\" && /usr/bin/rsync --server" ssh-ed25519 AAAA').shown).toBe(
      'command="echo \\"x\\" && ${pkgs.rsync}/bin/rsync --server" ssh-ed25519 AAAA',
    );
  });

  it('leaves keys without a forced command, or with nothing to rewrite, out of the map', () => {
    expect(keyLine('ssh-ed25519 AAAA x').shown).toBeUndefined();
    expect(keyLine('command="/bin/sh -c \\"whatever\\"" ssh-ed25519 AAAA').shown).toBeUndefined();
  });
});

describe('binaries pass: every other byte stays (invariant 4)', () => {
  // Commands built from table names, joined by shell operators; the expected
  // text is computed from the generated structure, not from the pass.
  const names = [...new Set(BINARY_TABLE.flatMap((e) => e.names))].filter((n) => !lookupBinary(n)!.runs && !n.includes('['));
  const program = fc.oneof(
    fc.constantFrom(...names),
    fc.constantFrom(...names).map((n) => `/usr/bin/${n}`),
  );
  const arg = fc.stringMatching(/^[a-z0-9./=-]{1,8}$/).filter((a) => !a.startsWith('-') || a.length > 1);
  const command = fc.record({ program, args: fc.array(arg, { maxLength: 3 }) });
  const op = fc.constantFrom(' ; ', ' && ', ' || ', ' | ');

  function expectedProgram(p: string): string {
    const name = p.split('/').pop()!;
    const entry = lookupBinary(name)!;
    if (!p.includes('/') && inUnitPath(entry)) return p;
    const t = entry.target;
    if (t.kind === 'wrapper') return `/run/wrappers/bin/${name}`;
    if (t.kind === 'path') return t.path;
    return `\${pkgs.${t.attr.join('.')}}/bin/${t.program ?? name}${t.args ? ` ${t.args}` : ''}`;
  }

  it('in shell payloads', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 4 }), fc.array(op, { minLength: 3, maxLength: 3 }), (commands, ops) => {
        const join = (f: (p: string) => string) =>
          commands.map((c, i) => `${i > 0 ? ops[i - 1] : ''}${[f(c.program), ...c.args].join(' ')}`).join('');
        const { line } = rewrite(`[Service]\nExecStart=/bin/sh -c '${join((p) => p)}'\n`);
        expect(line).toBe(`/bin/sh -c '${join(expectedProgram)}'`);
      }),
      { numRuns: 200 },
    );
  });
});
