import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { diagnostics, migrationOf, nativeDockerRun, nativeUnits, unaccounted } from './helpers.ts';

/** The seed post's M3 unit (the password inline; its quoting made readable by systemd), and its N5 end state. */
const POST_SAMBA = String.raw`[Unit]
Description=samba server
After=docker.service unlock.mount
Requires=docker.service unlock.mount

[Service]
Restart=always
StartLimitInterval=0
ExecStartPre=-/usr/bin/docker pull stapelberg/docker-samba:latest
ExecStartPre=-/usr/bin/docker kill smb
ExecStartPre=-/usr/bin/docker rm smb
ExecStartPre=-/usr/bin/docker rm smb-prep
ExecStartPre=/usr/bin/docker run --name smb-prep stapelberg/docker-samba sh -c 'adduser --quiet --disabled-password --gecos "" --uid 29901 michael && sed -i "s,\\[global\\],[global]\\nserver multi channel support = yes\\naio read size = 1\\naio write size = 1,g" /etc/samba/smb.conf'
ExecStartPre=/usr/bin/docker commit smb-prep smb-prepared
ExecStartPre=/usr/bin/docker rm smb-prep
ExecStartPre=/usr/bin/docker run --name smb-prep smb-prepared /bin/sh -c "echo \"hunter2\nhunter2\n\" | tee - | smbpasswd -a -s michael"
ExecStartPre=/usr/bin/docker commit smb-prep smb-prepared
ExecStart=/usr/bin/docker run \
  -p 137:137/udp \
  -p 138:138/udp \
  -p 139:139 \
  -p 445:445 \
  --tmpfs=/run \
  -v /srv/data:/srv/data \
  --name smb \
  -t \
  smb-prepared \
    /usr/sbin/smbd --foreground --debug-stdout --no-process-group`;

describe('samba recipe', () => {
  it('matches the committed image through `docker commit` and carries the shares, the [global] keys and the ports', () => {
    const c = nativeUnits({ 'samba.service': POST_SAMBA });
    const samba = c.run.plan.services.find((s) => s.name === 'samba')!;
    expect(samba.strategy).toBe('native');
    expect(samba.reason).toBe('stage 3: services.samba (recipe samba, image smb-prepared, committed from docker.io/stapelberg/docker-samba)');
    expect(c.option('services', 'samba')).toEqual({
      enable: true,
      openFirewall: true,
      settings: {
        global: { 'server multi channel support': 'yes', 'aio read size': '1', 'aio write size': '1' },
        data: { path: '/srv/data', 'read only': 'no' },
      },
      smbd: { extraArgs: ['--debug-stdout'] },
    });
    // openFirewall opens exactly the four published ports, so none is opened again.
    expect(c.option('networking', 'firewall')).toBeUndefined();
    expect(c.option('users', 'groups', 'michael')).toEqual({});
    expect(unaccounted(c)).toEqual([]);
  });

  it('sets the passwords from /run/secrets before smbd starts, never from a value in Nix', () => {
    const c = nativeUnits({ 'samba.service': POST_SAMBA });
    const smbd = c.option('systemd', 'services', 'samba-smbd') as { serviceConfig: { ExecStartPre: string[]; Restart: string }; startLimitIntervalSec: number; aliases: string[] };
    expect(smbd.serviceConfig.ExecStartPre).toHaveLength(1);
    expect(smbd.serviceConfig.ExecStartPre[0]).toMatch(/^\/nix\/store\/[a-z0-9]{32}-samba-set-passwords$/);
    const text = c.run.layout.files.map((f) => String(f.content)).join('\n');
    expect(text).toContain('smb_password="$(cat /run/secrets/samba_passwords/$user)"');
    expect(text).toContain('/bin/smbpasswd -a -s "$user"');
    expect(text).not.toContain('hunter2');
    expect(JSON.stringify(c.report)).not.toContain('hunter2');
    expect(smbd.serviceConfig.Restart).toBe('always');
    expect(smbd.startLimitIntervalSec).toBe(0);
    expect(smbd.aliases).toEqual(['samba.service']);
    const place = migrationOf(c, 'samba').steps.find((s) => s.title === 'Place the Samba password of michael')!;
    expect(place.detail).toContain('/run/secrets/samba_passwords/michael');
    expect(place.detail).toContain('text written in the old unit');
    expect(diagnostics(c, 'samba/passwords')).toHaveLength(1);
  });

  it('reads the prepare lines it understands and settles the rest', () => {
    const c = nativeUnits({ 'samba.service': POST_SAMBA });
    const pre = c.report.items.filter((i) => i.label === '[Service] ExecStartPre=').map((i) => (i.fate.kind === 'carried' ? `carried ${i.fate.option}` : `${i.fate.kind} ${'reason' in i.fate ? i.fate.reason.split(';')[0] : ''}`));
    expect(pre).toEqual([
      'dropped `docker pull` of the helper container or image',
      'dropped `docker kill` around the container',
      'dropped `docker rm` around the container',
      'dropped `docker rm` of the helper container or image',
      'carried services.samba',
      'dropped `docker commit` of the helper container or image',
      'dropped `docker rm` of the helper container or image',
      'carried services.samba',
      'dropped `docker commit` of the helper container or image',
    ]);
    expect(fateOf(c.report, '--tmpfs=/run')).toMatch(/^dropped/);
    // michael is no user of this host: declared for smbpasswd, with the container's uid.
    expect(c.option('users', 'users', 'michael')).toEqual({ isSystemUser: true, group: 'michael', uid: 29901 });
  });

  it('a read-only volume is a read-only share (restrictions are never loosened)', () => {
    const c = nativeDockerRun(['docker run -d --name smb -p 445:445 -v /srv/photos:/photos:ro crazymax/samba']);
    expect(c.option('services', 'samba', 'settings', 'photos')).toEqual({ path: '/srv/photos', 'read only': 'yes' });
    // Only 445 was published: the module's openFirewall would open more, so the port is opened alone.
    expect(c.option('services', 'samba', 'openFirewall')).toBeUndefined();
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toEqual([445]);
  });

  it('dperson/samba: shares, users and globals from its arguments; the password is a secret, not a value', () => {
    const c = nativeDockerRun([
      'docker run -d --name samba -p 139:139 -p 445:445 -v /srv/media:/mount dperson/samba -s "media;/mount;yes;no;no;alice;none;none;Family media" -u "alice;s3cret" -g "log level = 2"',
    ]);
    expect(c.option('services', 'samba', 'settings')).toEqual({
      global: { 'log level': '2' },
      media: { path: '/srv/media', browseable: 'yes', 'read only': 'no', 'guest ok': 'no', 'valid users': 'alice', comment: 'Family media' },
    });
    expect(c.run.layout.files.map((f) => String(f.content)).join('\n')).not.toContain('s3cret');
    expect(c.option('users', 'users', 'alice')).toEqual({ isSystemUser: true, group: 'alice' });
    expect(unaccounted(c)).toEqual([]);
  });
});
