import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { at, fate, file, handedOn, keysOf, read, textAt, unit, unsettled, user } from '../fixtures/cloud-config/helpers.ts';

const path = 'test/fixtures/cloud-config/homeserver.yml';
const text = readFileSync(new URL('../fixtures/cloud-config/homeserver.yml', import.meta.url), 'utf8');

describe('a home server on Flatcar (fixture homeserver.yml)', () => {
  const { c, ledger } = read(text, path);

  it('reads the host name, users, keys, files, units and update policy', () => {
    expect(c.hostname?.value).toBe('nuc');
    expect(c.users?.map((u) => u.name)).toEqual(['anna', 'backup']);
    expect(c.files?.map((f) => f.path)).toEqual(['/etc/docker/daemon.json', '/etc/sysctl.d/90-syncthing.conf', '/opt/bin/backup-receive', '/etc/pihole/custom.list']);
    expect(c.units?.map((u) => (u.dropIn ? `${u.unit}.d/${u.dropIn}` : u.unit))).toEqual([
      'media-usb.mount',
      'docker.service',
      'docker.service.d/10-wait-for-usb.conf',
      'pihole.service',
      'syncthing.service',
      'syncthing.service.d/20-limits.conf',
    ]);
    expect(c.authorizedKeys?.map((k) => `${k.user} ${k.comment}`)).toEqual(['core anna@thinkpad', 'anna anna@thinkpad', 'backup backup@parents']);
    expect(c.update?.rebootStrategy?.value).toBe('reboot');
    expect(c.update?.windowStart?.value).toBe('Sun 03:00');
    expect(c.update?.windowLength?.value).toBe('2h');
  });

  it('decodes the files and reads their modes as coreos-cloudinit did', () => {
    expect(JSON.parse(file(c, '/etc/docker/daemon.json').text ?? '')).toEqual({ 'log-driver': 'journald', 'live-restore': true });
    expect(file(c, '/etc/docker/daemon.json').mode).toBe(0o644);
    expect(file(c, '/etc/sysctl.d/90-syncthing.conf').text).toBe('fs.inotify.max_user_watches = 524288\nvm.swappiness = 10\n');
    expect(file(c, '/opt/bin/backup-receive').mode).toBe(0o755);
    expect(file(c, '/etc/pihole/custom.list').mode).toBe(0o644);
    expect(file(c, '/etc/pihole/custom.list').owner).toBe('anna');
  });

  it('keeps the restrictions of the backup key', () => {
    const [key] = keysOf(c, 'backup');
    expect(key?.options.map((o) => [o.name, o.value])).toEqual([
      ['restrict', undefined],
      ['from', '192.168.1.10'],
      ['command', '/opt/bin/backup-receive'],
    ]);
    expect(key?.line).toBe('restrict,from="192.168.1.10",command="/opt/bin/backup-receive" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx2dG9QbWl6c3R1dkF3eHl6QUJDREVGR0hJSktMTU5PUFFS backup@parents');
  });

  it('reads the users as written, YAML 1.1 booleans included', () => {
    expect(user(c, 'anna').groups.map((g) => g.value)).toEqual(['sudo', 'docker']);
    expect(user(c, 'anna').primaryGroup?.value).toBe('anna');
    expect(user(c, 'backup').system?.value).toBe(true);
    expect(user(c, 'backup').noCreateHome?.value).toBe(true);
  });

  it('maps every line of a unit to its line in the fixture', () => {
    const pihole = unit(c, 'pihole.service');
    pihole.text.split('\n').forEach((line, i) => {
      if (line !== '') expect(textAt(text, pihole.position(i + 1, 1))).toBe(line);
    });
    const execStart = pihole.text.split('\n').findIndex((l) => l.startsWith('ExecStart='));
    expect(at(pihole.position(execStart + 1, 11))).toBe('94:19');
  });

  it('settles every key it does not carry, each with its origin and a diagnostic', () => {
    const settled = ledger.items.filter((i) => ledger.fate(i) !== undefined);
    expect(settled.map((i) => [i.label, at(i.origin), ledger.fate(i)?.kind])).toEqual([
      ['users[0].lock_passwd', '21:5', 'unsupported'],
      ['manage_etc_hosts', '52:1', 'unsupported'],
      ['coreos.etcd2', '61:3', 'unsupported'],
      ['coreos.units[4] (00-eno1.network)', '127:7', 'unsupported'],
    ]);
    for (const i of settled) {
      expect(ledger.diagnostics.some((d) => d.origin?.line === i.origin.line && d.origin.file === path)).toBe(true);
    }
    expect(fate(ledger, 'coreos.etcd2')).toEqual({ kind: 'unsupported', reason: 'etcd clusters are not migrated' });
  });

  it('accounts for every key: each item is settled here or handed on in the contribution for a later stage', () => {
    const onward = handedOn(c);
    const ids = (items: { id: string }[]) => items.map((i) => i.id).sort();
    expect(ids(unsettled(ledger))).toEqual(ids(onward));
    // What is handed on, by kind: model objects, and the key items of Located values.
    const kinds: Record<string, number> = {};
    for (const i of onward) kinds[i.kind] = (kinds[i.kind] ?? 0) + 1;
    expect(kinds).toEqual({ key: 19, unit: 4, 'drop-in': 2, file: 4, user: 2, 'authorized-key': 3 });
    // Every origin points into the fixture.
    expect(ledger.items.every((i) => i.origin.file === path)).toBe(true);
  });

  it('reports no errors: the fixture is valid, only partly translatable', () => {
    expect(ledger.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(ledger.diagnostics.map((d) => d.code)).toEqual([
      'cloud-config/unsupported-key',
      'cloud-config/unsupported-key',
      'cloud-config/unsupported-key',
      'cloud-config/networkd-unit',
    ]);
  });
});
