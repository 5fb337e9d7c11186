import { linuxserver, LINUXSERVER_PREFIXES } from './images.ts';
import type { ModuleRecipe, RecipeContext } from './types.ts';
import { keptOr } from './container-facts.ts';

/**
 * Syncthing. nixpkgs: nixos/modules/services/networking/syncthing.nix:
 * dataDir "/var/lib/syncthing" (the home of the `syncthing` user, created
 * with it), configDir dataDir + "/.config/syncthing" (stateVersion ≥
 * 19.03), databaseDir = configDir; the unit runs `syncthing --config
 * <configDir> --data <databaseDir> --gui-address <guiAddress>
 * --no-browser` with Restart=on-failure and STNOUPGRADE. guiAddress is
 * "127.0.0.1:8384" (one option for address and port). openDefaultPorts
 * opens TCP 22000 and UDP 21027, 22000 (not the GUI). Devices and folders
 * declared in `settings` are pushed by syncthing-init through the REST
 * API, which (overrideDevices/overrideFolders, true by default) deletes
 * the ones not declared; with no settings that unit does not run.
 *
 * The official image runs `syncthing -home /var/syncthing/config` with
 * STGUIADDRESS=0.0.0.0:8384 (its volume /var/syncthing also holds the
 * default folder Sync/); linuxserver runs `syncthing --home=/config
 * --gui-address=0.0.0.0:8384` (STGUIADDRESS overrides it) and takes the
 * synced folders as further volumes. Folder paths live in config.xml.
 */

const OFFICIAL = ['syncthing/'];

export const syncthing: ModuleRecipe = {
  kind: 'module',
  app: 'syncthing',
  title: 'Syncthing file synchronisation',
  images: ['syncthing/syncthing', ...linuxserver('syncthing')],
  module: 'services.syncthing',
  unit: { name: 'syncthing', sets: { Restart: { value: 'on-failure', priority: 'plain' } } },
  user: { user: 'syncthing', group: 'syncthing' },
  fixed: { overrideDevices: false, overrideFolders: false },
  ports: [
    // The GUI's port and address are one option (guiAddress): set by `extra`.
    { container: 8384, what: 'web GUI and REST API', port: 8384 },
    { container: 22000, what: 'sync (TCP)', port: 22000 },
    { container: 22000, protocol: 'udp', what: 'sync (QUIC)', port: 22000 },
    { container: 21027, protocol: 'udp', what: 'local discovery', port: 21027 },
  ],
  firewall: { option: 'openDefaultPorts', tcp: [22000], udp: [21027, 22000] },
  volumes: [
    { target: '/config', images: [...LINUXSERVER_PREFIXES], holds: 'config.xml, the device keys (cert.pem, key.pem) and the index database', set: { configDir: (source) => source }, defaultDir: '/var/lib/syncthing/.config/syncthing' },
    {
      target: '/var/syncthing',
      images: OFFICIAL,
      holds: 'config/ (config.xml, the device keys, the index database) and the default folder Sync/',
      set: { dataDir: keptOr('/var/lib/syncthing'), configDir: (source) => `${keptOr('/var/lib/syncthing')(source)}/config` },
      at: keptOr('/var/lib/syncthing'),
    },
  ],
  mediaVolumes: true,
  environment: [
    { name: 'STGUIADDRESS', drop: 'the GUI address is guiAddress, set from the published port' },
    { name: /^(STNOUPGRADE|STNORESTART|STNODEFAULTFOLDER)$/, drop: 'the module runs Syncthing without self-upgrades and restarts it through systemd' },
  ],
  health: { path: '/rest/noauth/health', port: 8384 },
  differences: [
    'runs as the system user `syncthing` (static uid; its home is dataDir) instead of PUID/PGID: every synced folder must belong to it (or set services.syncthing.user to the folders\' owner)',
    'overrideDevices and overrideFolders are off: the devices and folders of the old config.xml stay as they are; declare them in services.syncthing.settings later if you like',
    'the device ID stays: the keys (cert.pem, key.pem) move with the configuration',
  ],
  reconfigure: ['Each folder\'s path in config.xml names the container path: edit it in the GUI (Folder → Edit → Advanced) to the host path, or see the media-paths warning'],
  extra: guiAddress,
};

/** The GUI listened where it was published (or where STGUIADDRESS said, on the host network). */
function guiAddress(r: RecipeContext): void {
  const port = r.input.ports.find((p) => p.containerPort.from === 8384 && p.protocol === 'tcp');
  if (port?.hostPort && port.hostPort.from === port.hostPort.to) {
    const bound = port.hostIp !== undefined && port.hostIp !== '0.0.0.0' && port.hostIp !== '::' ? port.hostIp : '0.0.0.0';
    const address = `${bound.includes(':') ? `[${bound}]` : bound}:${port.hostPort.from}`;
    if (address !== '127.0.0.1:8384') r.set('guiAddress', address, `Published as ${port.raw} on the old host.`);
    r.claim(port.flag, 'services.syncthing.guiAddress');
    return;
  }
  if (r.input.network === 'host') {
    const address = r.input.environment.get('STGUIADDRESS') || '0.0.0.0:8384';
    r.set('guiAddress', address, 'The container ran on the host network with this GUI address.');
    // openDefaultPorts leaves the GUI closed; on the host network it was reachable.
    const port = Number(/:(\d+)$/.exec(address)?.[1]);
    if (Number.isInteger(port) && !/^(127\.|\[::1\]|localhost)/.test(address)) r.set('networking.firewall.allowedTCPPorts', [port], 'The GUI was reachable on the host network.');
  }
}
