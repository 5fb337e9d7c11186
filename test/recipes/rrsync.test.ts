import { describe, expect, it } from 'vitest';
import { convertFiles } from '../strategies/convert-helpers.ts';
import { diagnostics } from './helpers.ts';

const KEY = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7vbqajDhA6Bb8kI3DbFl8tNn4cWb8xkZ9E0m root@midna';

function keys(...lines: string[]): Record<string, string> {
  return { 'root/.ssh/authorized_keys': `${lines.join('\n')}\n` };
}

describe('rrsync recipe (post, N6)', () => {
  it('a forced docker-rsync becomes rrsync from the store, every other byte of the key kept', () => {
    const c = convertFiles(keys(`command="/usr/bin/docker run --log-driver none -i -e SSH_ORIGINAL_COMMAND -v /srv/backup/midna:/srv/backup/midna stapelberg/docker-rsync /srv/backup/midna",restrict,from="10.0.0.0/8" ${KEY}`), { stage: 'native' });
    expect(c.option('users', 'users', 'root', 'openssh', 'authorizedKeys', 'keys')).toEqual([
      expect.stringMatching(/^command="\/nix\/store\/[a-z0-9]{32}-rrsync\/bin\/rrsync \/srv\/backup\/midna",restrict,from="10\.0\.0\.0\/8" ssh-rsa AAAAB3/),
    ]);
    expect(String(c.run.layout.files.find((f) => f.path === 'users.nix')!.content)).toContain('command="${pkgs.rrsync}/bin/rrsync /srv/backup/midna",restrict');
    const fate = c.report.items.find((i) => /ssh-rsa root@midna/.test(i.label))!.fate;
    expect(fate).toEqual({ kind: 'carried', option: 'users.users.root.openssh.authorizedKeys.keys', note: expect.stringContaining('rrsync from the store on /srv/backup/midna instead of a container') });
    expect(c.option('virtualisation', 'docker', 'enable')).toBeUndefined();
  });

  it('a read-only volume adds -ro; the directory is the host\'s', () => {
    const c = convertFiles(keys(`command="docker run -i -v /srv/backups/pc:/data:ro stapelberg/docker-rsync /data/daily" ${KEY}`), { strategies: { rrsync: 'native' } });
    expect(c.option('users', 'users', 'root', 'openssh', 'authorizedKeys', 'keys')).toEqual([expect.stringMatching(/rrsync\/bin\/rrsync -ro \/srv\/backups\/pc\/daily"/)]);
  });

  it('stays a container, with the reason, when the container did more (a user, no volume)', () => {
    const c = convertFiles(keys(`command="docker run -i --user 1000 -v /srv/b:/srv/b stapelberg/docker-rsync /srv/b" ${KEY}`, `command="docker run -i stapelberg/docker-rsync /inside" ${KEY}`), { stage: 'native' });
    expect(diagnostics(c, 'native/key-stays')).toHaveLength(2);
    expect(c.option('virtualisation', 'docker', 'enable')).toBe(true);
  });

  it('at stage 1 the key keeps its container', () => {
    const c = convertFiles(keys(`command="docker run -i -v /srv/b:/srv/b stapelberg/docker-rsync /srv/b" ${KEY}`));
    expect(c.option('users', 'users', 'root', 'openssh', 'authorizedKeys', 'keys')).toEqual([expect.stringContaining('/bin/docker run -i')]);
  });
});
