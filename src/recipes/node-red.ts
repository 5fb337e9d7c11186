import { keptOr } from './container-facts.ts';
import type { ModuleRecipe, RecipeContext } from './types.ts';

/**
 * Node-RED. nixpkgs: nixos/modules/services/web-apps/node-red.nix: port
 * (1880, passed as --port), openFirewall (TCP port), userDir
 * (/var/lib/node-red; another directory must exist and belong to the
 * user, only the default is a StateDirectory), configFile (the package's
 * own settings.js, passed as --settings), define (`-D name=value`
 * overrides of settings.js), safe (--safe), withNpmAndGcc (npm and gcc
 * on the unit's PATH for the palette manager), user/group `node-red`.
 * Unit node-red.service with Restart=always.
 *
 * The image (nodered/node-red) runs `node-red --userDir /data`; /data
 * holds flows.json, flows_cred.json, settings.js, .config.*.json and the
 * nodes installed from the palette (node_modules). Node-RED reads its
 * settings from the userDir's settings.js; the module passes the
 * package's own unless configFile names another, so configFile points at
 * the old one (credentialSecret, adminAuth and the rest stay as they were).
 */

export const nodeRed: ModuleRecipe = {
  kind: 'module',
  app: 'node-red',
  title: 'Node-RED flow-based automation',
  images: ['nodered/node-red', 'ghcr.io/node-red/node-red'],
  module: 'services.node-red',
  unit: { name: 'node-red', sets: { Restart: { value: 'always', priority: 'plain' } } },
  user: { user: 'node-red', group: 'node-red' },
  ports: [{ container: 1880, what: 'editor, dashboard and HTTP-in nodes', option: 'port', port: 1880 }],
  firewall: { option: 'openFirewall', tcp: [{ option: 'port', default: 1880 }], udp: [] },
  volumes: [
    {
      target: '/data',
      holds: 'flows.json, flows_cred.json, settings.js, the runtime\'s .config.*.json and the palette\'s nodes (node_modules)',
      set: { userDir: keptOr('/var/lib/node-red'), configFile: (source) => `${keptOr('/var/lib/node-red')(source)}/settings.js` },
    },
  ],
  environment: [
    { name: 'NODE_RED_ENABLE_SAFE_MODE', option: 'safe', value: (text) => text === 'true' || text === '1' },
    { name: 'FLOWS', option: 'define.flowFile' },
    { name: 'PORT', drop: 'the published port sets services.node-red.port' },
  ],
  health: { path: '/', port: 1880 },
  steps: [
    {
      title: 'Rebuild the palette\'s nodes for the host',
      detail:
        'Nodes with native code (serialport, sqlite, ...) in the user directory\'s node_modules were built for the image\'s Node.js and C library: after the switch, `sudo -u node-red env HOME=<userDir> npm rebuild --prefix <userDir>` with the Node.js of nixpkgs (the module puts npm on the unit\'s PATH with withNpmAndGcc), then `systemctl restart node-red`.',
      phase: 'switched',
    },
  ],
  differences: [
    'runs as the system user `node-red` (the image ran as uid 1000); the user directory must belong to it',
    'Node-RED runs on the Node.js of nixpkgs, not the image\'s; nodes with native code need `npm rebuild`',
  ],
  reconfigure: ['settings.js: paths that name /data (the image\'s user directory) must name the user directory on the host now'],
  extra: palette,
};

/** The image could install nodes from the palette manager (npm in the image); natively that needs withNpmAndGcc. */
function palette(r: RecipeContext): void {
  r.set('withNpmAndGcc', true, 'The image had npm, so the palette manager could install nodes; this keeps that working.');
}
