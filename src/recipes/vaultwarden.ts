import type { ModuleRecipe, RecipeContext } from './types.ts';

/**
 * Vaultwarden. nixpkgs: nixos/modules/services/security/vaultwarden/default.nix:
 * `config` is Vaultwarden's environment (attrsOf nullOr bool/int/str,
 * camelCase names turned into UPPER_SNAKE) written to a file in the store;
 * its default is { ROCKET_ADDRESS = "::1"; ROCKET_PORT = 8222; }, which any
 * definition of `config` replaces, so both are always set here.
 * environmentFile (path or list) takes secrets; dbBackend (sqlite, mysql,
 * postgresql) builds the package for that database. There is no data
 * directory option: DATA_FOLDER is /var/lib/vaultwarden
 * (StateDirectory; /var/lib/bitwarden_rs before stateVersion 24.11), mode
 * 0700, user `vaultwarden`. The unit has Restart=always, an empty
 * capability set (no port below 1024) and ProtectSystem=strict.
 *
 * The image (vaultwarden/server, formerly bitwardenrs/server) keeps
 * db.sqlite3, attachments/, sends/, icon_cache/, rsa_key* and config.json
 * in /data and listens on port 80 (ROCKET_PORT=80); WebSocket
 * notifications had their own port 3012 before 1.29.
 */

const DATA = '/var/lib/vaultwarden';

export const vaultwarden: ModuleRecipe = {
  kind: 'module',
  app: 'vaultwarden',
  title: 'Vaultwarden (Bitwarden-compatible server)',
  images: ['vaultwarden/server', 'ghcr.io/dani-garcia/vaultwarden', 'quay.io/vaultwarden/server', 'bitwardenrs/server'],
  module: 'services.vaultwarden',
  unit: { name: 'vaultwarden', sets: { Restart: { value: 'always', priority: 'plain' } } },
  user: { user: 'vaultwarden', group: 'vaultwarden' },
  ports: [{ container: 80, what: 'web vault and API (with WebSocket notifications)', option: 'config.ROCKET_PORT', port: 8222 }],
  volumes: [{ target: '/data', holds: 'the database (db.sqlite3), attachments/, sends/, the RSA keys and config.json (admin page settings)', defaultDir: DATA }],
  secretsFile: 'environmentFile',
  environment: [
    { name: /^(ROCKET_PORT|ROCKET_ADDRESS)$/, drop: 'set from the published port (config.ROCKET_PORT and config.ROCKET_ADDRESS)' },
    { name: /^(WEBSOCKET_ENABLED|WEBSOCKET_PORT|WEBSOCKET_ADDRESS)$/, drop: 'WebSocket notifications are served on the main port since Vaultwarden 1.29' },
    { name: 'DATA_FOLDER', drop: `the module sets DATA_FOLDER to ${DATA}` },
    { name: /^(?!TZ$|PUID$|PGID$|UMASK)[A-Z][A-Z0-9_]*$/, option: 'config.*' },
  ],
  health: { path: '/alive', port: 80 },
  differences: [
    `the data lives in ${DATA} (no option for another place), owned by the system user \`vaultwarden\`, mode 0700`,
    'the web vault comes from nixpkgs (vaultwarden.webvault), updated with the system',
  ],
  reconfigure: ['The admin page (/admin) keeps its settings in config.json, which moved with the data: values there override the environment, as before'],
  extra: listen,
};

/**
 * Vaultwarden listens where the container was published, except below
 * port 1024 (the unit has no capabilities): then on 8222, behind whatever
 * proxy answers on the old port.
 */
function listen(r: RecipeContext): void {
  const web = r.input.ports.find((p) => p.containerPort.from === 80 && p.protocol === 'tcp');
  const legacy = r.input.ports.filter((p) => p.containerPort.from === 3012);
  for (const p of legacy) r.drop(p.flag, 'WebSocket notifications are served on the main port since Vaultwarden 1.29');
  // The database URL decides which backend the package is built for.
  const url = r.input.environment.get('DATABASE_URL') ?? '';
  if (/^mysql:/.test(url)) r.set('dbBackend', 'mysql', 'DATABASE_URL points at MySQL/MariaDB.');
  if (/^postgres(ql)?:/.test(url)) r.set('dbBackend', 'postgresql', 'DATABASE_URL points at PostgreSQL.');
  if (/^(mysql|postgres(ql)?):/.test(url)) {
    r.report(
      'warning',
      'vaultwarden/database-url',
      `${r.service}: DATABASE_URL (in the environment file) reaches the database by its address on the old Docker network; natively that name does not resolve`,
      r.envFlag('DATABASE_URL')?.item.origin,
      'point it at the database on the new host, or move the data into a local PostgreSQL (services.vaultwarden.configurePostgres = true, then dump and restore)',
    );
  }
  if (r.input.network === 'host') {
    const port = Number(r.input.environment.get('ROCKET_PORT') ?? 80);
    r.set('config.ROCKET_ADDRESS', r.input.environment.get('ROCKET_ADDRESS') ?? '0.0.0.0', 'The container ran on the host network.');
    r.set('config.ROCKET_PORT', port >= 1024 ? port : 8222);
    if (port < 1024) r.difference(`Vaultwarden listened on port ${port} on the host network; the unit cannot bind ports below 1024, so it listens on 8222: answer ${port} with a reverse proxy`);
    return;
  }
  if (!web?.hostPort) {
    r.set('config.ROCKET_ADDRESS', '::1', 'Nothing was published: reachable from this host only, as the module\'s default.');
    r.set('config.ROCKET_PORT', 8222);
    return;
  }
  const bound = web.hostIp !== undefined && web.hostIp !== '0.0.0.0' && web.hostIp !== '::' ? web.hostIp : undefined;
  const port = web.hostPort.from;
  r.set('config.ROCKET_ADDRESS', bound ?? '0.0.0.0', bound ? `Published on ${bound} only, as before.` : 'Published on every address of the old host.');
  r.set('config.ROCKET_PORT', port >= 1024 ? port : 8222, port >= 1024 ? `Published as ${web.raw} on the old host.` : `Published as ${web.raw}; the unit cannot bind ports below 1024.`);
  if (port < 1024) r.difference(`the web vault was published on port ${port}; the unit cannot bind ports below 1024, so Vaultwarden listens on 8222 now: put a reverse proxy (services.caddy or services.nginx) on port ${port}`);
  r.claim(web.flag, 'services.vaultwarden.config.ROCKET_PORT', port >= 1024 ? undefined : 'moved to 8222 (no port below 1024 without capabilities)');
}
