import { describe, expect, it } from 'vitest';
import { catalogProblems } from './catalog-of.ts';
import { containerUnit, migrationOf, nativeDockerRun, nativeUnits, unaccounted } from './helpers.ts';

describe('adguardhome recipe', () => {
  it('AdGuardHome.yaml stays the configuration; DNS and web ports are opened as before, not by openFirewall', () => {
    const run = '--name adguard -p 53:53/tcp -p 53:53/udp -p 8080:80 -p 3000:3000 -v /srv/adguard/work:/opt/adguardhome/work -v /srv/adguard/conf:/opt/adguardhome/conf adguard/adguardhome:v0.107.55';
    const c = nativeUnits({ 'adguard.service': containerUnit(run) });
    expect(c.option('services', 'adguardhome')).toEqual({ enable: true });
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toEqual(expect.arrayContaining([53, 80, 3000]));
    expect(c.option('networking', 'firewall', 'allowedUDPPorts')).toEqual([53]);
    // The module writes the start limit into unitConfig itself: Restart=always's "no limit" goes there, forced.
    const text = String(c.run.layout.files.find((f) => f.path === 'services/adguard.nix')!.content);
    expect(text).toContain('unitConfig.StartLimitIntervalSec = lib.mkForce 0;');
    expect(text).not.toContain('startLimitIntervalSec');
    expect(migrationOf(c, 'adguard').differences.join('\n')).toContain('published on port 8080; the app listens on 80');
    expect(catalogProblems(c)).toEqual([]);
    expect(unaccounted(c)).toEqual([]);
  });

  it('copies conf/ and work/ into the DynamicUser directory and checks DNS', () => {
    const c = nativeDockerRun(['docker run -d --name adguard --network host -v /srv/adguard/work:/opt/adguardhome/work -v /srv/adguard/conf:/opt/adguardhome/conf adguard/adguardhome']);
    const m = migrationOf(c, 'adguard');
    expect(m.steps.map((s) => s.title)).toEqual([
      'Make the directory of DynamicUser state',
      'Stop adguard on the old host',
      'Copy /opt/adguardhome/work of the old container to /var/lib/private/AdGuardHome',
      'Copy /opt/adguardhome/conf of the old container to /var/lib/private/AdGuardHome',
      'Leave the ownership to systemd',
      'Switch to the new configuration',
      'Check that DNS answers',
      'Check adguardhome.service',
    ]);
    expect(m.reconfigure.join('\n')).toMatch(/allowDHCP/);
  });

  it('the DHCP port published: raw sockets for the DHCP server', () => {
    const c = nativeDockerRun(['docker run -d --name agh -p 53:53/udp -p 67:67/udp -v agh-conf:/opt/adguardhome/conf adguard/adguardhome']);
    expect(c.option('services', 'adguardhome', 'allowDHCP')).toBe(true);
    expect(catalogProblems(c)).toEqual([]);
  });
});
