import { linuxserver } from './images.ts';
import type { ModuleRecipe, RecipeContext } from './types.ts';

/**
 * Home Assistant. nixpkgs:
 * nixos/modules/services/home-automation/home-assistant.nix: configDir
 * "/var/lib/hass" (the home of the `hass` user, created with it; any
 * path); `config` is configuration.yaml as Nix (unless it is null, the
 * file in configDir is REPLACED by a link to the generated one at every
 * start); openFirewall opens config.http.server_port and asserts config
 * != null; extraComponents (default_config, met, esphome) decides which
 * integrations' Python dependencies the package has: Home Assistant
 * cannot pip-install them at run time. The unit runs `hass --config
 * <configDir>` as `hass` with Restart=on-failure, ProtectSystem=strict
 * and ProtectHome; serial devices are allowed only for integrations that
 * need them (zha, zwave_js, …, with the dialout group).
 *
 * The images (ghcr.io/home-assistant/home-assistant, homeassistant/…,
 * linuxserver) keep everything in /config: configuration.yaml, .storage/
 * (the UI-made configuration), the recorder database, custom_components/.
 * They usually run on the host network.
 */

export const homeAssistant: ModuleRecipe = {
  kind: 'module',
  app: 'home-assistant',
  title: 'Home Assistant',
  images: ['ghcr.io/home-assistant/home-assistant', 'homeassistant/home-assistant', ...linuxserver('homeassistant')],
  module: 'services.home-assistant',
  unit: { name: 'home-assistant', sets: { Restart: { value: 'on-failure', priority: 'plain' } } },
  user: { user: 'hass', group: 'hass' },
  // The old configuration.yaml stays the configuration (the module would replace it otherwise).
  fixed: { config: null },
  ports: [{ container: 8123, what: 'web UI and API', port: 8123 }],
  volumes: [
    { target: '/config', holds: 'configuration.yaml, .storage/ (integrations, users, dashboards), the recorder database and custom_components/', set: { configDir: (source) => source }, defaultDir: '/var/lib/hass' },
    { target: '/etc/localtime', holds: 'the time zone', drop: 'the host\'s time zone (time.timeZone) applies to the service' },
    { target: '/run/dbus', holds: 'the D-Bus socket (Bluetooth)', drop: 'Home Assistant runs on the host and reaches D-Bus itself; Bluetooth integrations get AF_BLUETOOTH when they are in extraComponents' },
  ],
  health: { path: '/manifest.json', port: 8123 },
  steps: [
    {
      title: 'List the integrations Home Assistant needs',
      phase: 'switched',
      detail:
        'Natively Home Assistant cannot install the Python packages of an integration at run time: each one configured in the UI must be in services.home-assistant.extraComponents. List them with `jq -r \'.data.entries[].domain\' <configDir>/.storage/core.config_entries | sort -u` (and the integrations named in configuration.yaml), add them, and switch again. HACS and other custom_components need their packages in services.home-assistant.customComponents (pkgs.home-assistant-custom-components) or their Python dependencies in extraPackages.',
    },
  ],
  differences: [
    'configuration.yaml stays yours (services.home-assistant.config = null); the module does not open the firewall for it then: port 8123 is opened in networking.firewall',
    'runs as the system user `hass` (static uid) instead of root or PUID/PGID; the configuration directory must belong to it',
    'the unit is sandboxed (ProtectSystem=strict, ProtectHome, DevicePolicy=closed): USB sticks (Zigbee, Z-Wave) are reachable only for integrations listed in extraComponents that need serial devices',
    'Home Assistant on NixOS is an installation method upstream does not support: no Supervisor, no add-ons, no in-app updates',
  ],
  reconfigure: ['Settings → System → Network: check the URLs; integrations that talked to other containers by name need the host\'s address now'],
  extra: hostNetwork,
};

/** On the host network the web UI was reachable; openFirewall needs a declarative config, so the port is opened directly. */
function hostNetwork(r: RecipeContext): void {
  if (r.input.network !== 'host') return;
  r.set('networking.firewall.allowedTCPPorts', [8123], 'The web UI was reachable on the host network (openFirewall needs services.home-assistant.config).');
}
