import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { catalogProblems } from './catalog-of.ts';
import { migrationOf, nativeDockerRun, unaccounted } from './helpers.ts';

describe('home-assistant recipe', () => {
  it('the documented container (host network, privileged): the old configuration.yaml stays, 8123 is opened', () => {
    const c = nativeDockerRun(['docker run -d --name homeassistant --privileged --restart=unless-stopped -e TZ=Europe/Zurich -v /srv/hass:/config -v /run/dbus:/run/dbus:ro --network=host ghcr.io/home-assistant/home-assistant:stable']);
    expect(c.option('services', 'home-assistant')).toEqual({ enable: true, config: null, configDir: '/srv/hass' });
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toEqual([8123]);
    // Never silent: what --privileged gave the container is reported with the hint.
    expect(fateOf(c.report, '--privileged')).toMatch(/^unsupported: the container had every capability/);
    expect(fateOf(c.report, '-v /run/dbus:/run/dbus:ro')).toMatch(/^dropped: Home Assistant runs on the host/);
    expect(unaccounted(c)).toEqual([]);
    expect(catalogProblems(c)).toEqual([]);
  });

  it('lists the integrations to declare after the switch', () => {
    const m = migrationOf(nativeDockerRun(['docker run -d --name ha -p 8123:8123 -v /srv/ha:/config homeassistant/home-assistant:2025.10']), 'ha');
    expect(m.steps.map((s) => s.title)).toEqual(['Stop ha on the old host', 'Keep /srv/ha', 'Switch to the new configuration', 'Give the state to hass', 'List the integrations Home Assistant needs', 'Check home-assistant.service']);
    expect(m.steps[4]!.detail).toContain('.storage/core.config_entries');
    expect(m.health).toBe('curl -fsS http://127.0.0.1:8123/manifest.json');
  });

  it('linuxserver: configDir is the old /config as well; a named volume is copied to /var/lib/hass', () => {
    const c = nativeDockerRun(['docker run -d --name ha -p 8123:8123 -e PUID=1000 -e PGID=1000 -v /srv/homeassistant:/config lscr.io/linuxserver/homeassistant:latest']);
    expect(c.option('services', 'home-assistant')).toEqual({ enable: true, config: null, configDir: '/srv/homeassistant' });
    expect(c.option('networking', 'firewall', 'allowedTCPPorts')).toEqual([8123]);
    const named = nativeDockerRun(['docker run -d --name ha -p 8123:8123 -v ha_config:/config ghcr.io/home-assistant/home-assistant:stable']);
    expect(named.option('services', 'home-assistant')).toEqual({ enable: true, config: null });
    expect(migrationOf(named, 'ha').steps[1]!.title).toBe('Copy /config of the old container to /var/lib/hass');
  });
});
