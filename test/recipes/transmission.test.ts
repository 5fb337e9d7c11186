import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { catalogProblems } from './catalog-of.ts';
import { migrationOf, nativeDockerRun, unaccounted } from './helpers.ts';

/** linuxserver's documented `docker run`, with RPC credentials and a whitelist. */
const LSIO =
  'docker run -d --name=transmission -e PUID=1000 -e PGID=1000 -e TZ=Etc/UTC -e USER=anna -e PASS=correct-horse-battery -e WHITELIST=192.168.1.* -p 9091:9091 -p 51413:51413 -p 51413:51413/udp -v /srv/transmission/config:/config -v /srv/downloads:/downloads -v /srv/watch:/watch --restart unless-stopped lscr.io/linuxserver/transmission:latest';

describe('transmission recipe', () => {
  it('downloads and watch dirs as the image had them, RPC on every address, peers opened by the module', () => {
    const c = nativeDockerRun([LSIO]);
    expect(c.option('services', 'transmission')).toEqual({
      enable: true,
      credentialsFile: '/var/lib/secrets/transmission-credentials.json',
      openPeerPorts: true,
      settings: {
        'download-dir': '/srv/downloads/complete',
        'incomplete-dir': '/srv/downloads/incomplete',
        'rpc-bind-address': '0.0.0.0',
        'rpc-whitelist': '192.168.1.*',
        'rpc-whitelist-enabled': true,
        'watch-dir': '/srv/watch',
        'watch-dir-enabled': true,
      },
    });
    // The RPC port is not the module's to open (openRPCPort is separate): the firewall pass opens what was published.
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toEqual([9091]);
    expect(unaccounted(c)).toEqual([]);
    expect(catalogProblems(c)).toEqual([]);
  });

  it('USER and PASS become a JSON credentials file outside the store', () => {
    const c = nativeDockerRun([LSIO]);
    const secret = c.run.build.secrets.files.find((f) => f.name === 'transmission-credentials.json')!;
    expect(JSON.parse(String(secret.content))).toEqual({ 'rpc-authentication-required': true, 'rpc-username': 'anna', 'rpc-password': 'correct-horse-battery' });
    expect(secret.format).toBe('raw');
    expect(c.run.layout.files.filter((f) => f.path.endsWith('.nix')).map((f) => String(f.content)).join('\n')).not.toContain('correct-horse-battery');
    expect(fateOf(c.report, '-e PASS=…')).toMatch(/^carried: services\.transmission\.credentialsFile/);
    expect(fateOf(c.report, '-e USER=anna')).toMatch(/^carried: services\.transmission\.credentialsFile/);
  });

  it('copies /config into home/.config/transmission-daemon and says the old settings.json is rewritten', () => {
    const m = migrationOf(nativeDockerRun([LSIO]), 'transmission');
    expect(m.steps.map((s) => s.title)).toEqual([
      'Stop transmission on the old host',
      'Copy /config of the old container to /var/lib/transmission/.config/transmission-daemon',
      'Keep /srv/downloads',
      'Keep /srv/watch',
      'Carry the settings you changed',
      'Switch to the new configuration',
      'Give the state to transmission',
      'Check transmission.service',
    ]);
    expect(m.steps[6]!.detail).toContain('`chown -R transmission:transmission /srv/downloads /srv/watch /var/lib/transmission/.config/transmission-daemon`');
    expect(m.health).toBe('curl -fsS http://127.0.0.1:9091/transmission/web/');
  });

  it('RPC on loopback (the module\'s default address) and another peer port: peer-port follows, nothing opened for RPC', () => {
    const c = nativeDockerRun(['docker run -d --name transmission -p 127.0.0.1:9091:9091 -p 51414:51413 -p 51414:51413/udp -v /srv/t:/config lscr.io/linuxserver/transmission']);
    expect(c.option('services', 'transmission')).toEqual({ enable: true, openPeerPorts: true, settings: { 'peer-port': 51414 } });
    expect(c.option('networking', 'firewall')).toBeUndefined();
    expect(catalogProblems(c)).toEqual([]);
  });
});
