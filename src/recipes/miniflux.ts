import { boundAddress } from './container-facts.ts';
import type { ModuleRecipe, RecipeContext, StepText } from './types.ts';

/**
 * Miniflux. nixpkgs: nixos/modules/services/web-apps/miniflux.nix:
 * config (the unit's environment, freeform str or int) with typed
 * LISTEN_ADDR ("localhost:8080"), DATABASE_URL (the local database over
 * /run/postgresql when createDatabaseLocally), RUN_MIGRATIONS, CREATE_ADMIN
 * (true; then adminCredentialsFile must be set: an assertion), WATCHDOG;
 * adminCredentialsFile (an EnvironmentFile with ADMIN_USERNAME and
 * ADMIN_PASSWORD); createDatabaseLocally (true: services.postgresql with a
 * database and role `miniflux`, and miniflux-dbsetup.service). Unit
 * miniflux.service: DynamicUser=true (user `miniflux`), Type=notify,
 * Restart=always, RestartSec=5. No openFirewall.
 *
 * The image (miniflux/miniflux) sets LISTEN_ADDR=0.0.0.0:8080 and answers
 * /healthcheck; its state is all in PostgreSQL, usually a `postgres`
 * container the DATABASE_URL names: that one is a companion, and its
 * miniflux database moves by dump and restore into the module's.
 */

const DATABASE_STEPS: readonly StepText[] = [
  {
    title: 'Dump the Miniflux database',
    phase: 'running',
    detail: "With the old containers still running: `docker exec {database.name} sh -c 'pg_dump --no-owner --no-acl -U \"$POSTGRES_USER\" \"${POSTGRES_DB:-$POSTGRES_USER}\"' > /root/miniflux-db.sql`.",
  },
  {
    title: 'Restore the Miniflux database',
    phase: 'switched',
    detail:
      "After the switch the module made an empty database `miniflux` (owner `miniflux`), which Miniflux filled with a fresh schema: `systemctl stop miniflux`, `sudo -u postgres dropdb miniflux && sudo -u postgres createdb -O miniflux miniflux`, then `(echo 'SET ROLE miniflux;'; cat /root/miniflux-db.sql) | sudo -u postgres psql -X -v ON_ERROR_STOP=1 -d miniflux` (the tables belong to `miniflux`; its dynamic user logs in by peer authentication), and `systemctl start miniflux`. The dump must come from the Miniflux version of nixpkgs or an older one: migrations only go forward.",
  },
];

export const miniflux: ModuleRecipe = {
  kind: 'module',
  app: 'miniflux',
  title: 'Miniflux feed reader',
  images: ['miniflux/miniflux', 'ghcr.io/miniflux/miniflux'],
  module: 'services.miniflux',
  unit: { name: 'miniflux', sets: { Restart: { value: 'always', priority: 'plain' }, RestartSec: { value: 5, priority: 'plain' } }, others: ['miniflux-dbsetup', 'postgresql'] },
  ports: [{ container: 8080, what: 'web UI, API and Fever/Google Reader endpoints', port: 8080 }],
  environment: [
    { name: 'LISTEN_ADDR', drop: 'the published port sets config.LISTEN_ADDR' },
    { name: 'RUN_MIGRATIONS', drop: 'the module runs the migrations at start (config.RUN_MIGRATIONS)' },
    { name: 'CREATE_ADMIN', drop: 'the module creates the admin from adminCredentialsFile when there is one' },
    { name: 'ADMIN_USERNAME', secret: true },
    { name: /^(?!TZ$|DATABASE_URL$)[A-Z][A-Z0-9_]*$/, option: 'config.*' },
  ],
  secretsFile: 'adminCredentialsFile',
  health: { path: '/healthcheck', port: 8080 },
  companions: [
    {
      role: 'database',
      images: ['postgres'],
      hostVariable: { name: 'DATABASE_URL', default: '' },
      note: 'the module\'s PostgreSQL (createDatabaseLocally: database and role `miniflux`, over /run/postgresql) replaces it; the database moves by dump and restore',
      absent: { createDatabaseLocally: false },
      steps: DATABASE_STEPS,
    },
  ],
  differences: [
    'runs as a dynamic user `miniflux` (DynamicUser=true) and reaches its database over /run/postgresql by peer authentication: no database password',
    'ADMIN_USERNAME and ADMIN_PASSWORD are read from adminCredentialsFile (outside the store); Miniflux creates that admin only when it does not exist',
  ],
  extra: configure,
};

function configure(r: RecipeContext): void {
  database(r);
  listen(r);
  if (!r.input.environment.has('ADMIN_PASSWORD')) {
    r.set('config.CREATE_ADMIN', false, 'No ADMIN_PASSWORD on the old container: the admin exists in the migrated database (the module would otherwise require adminCredentialsFile).');
  }
}

/** DATABASE_URL: the companion's database is the module's now; any other database stays where it is. */
function database(r: RecipeContext): void {
  const flag = r.envFlag('DATABASE_URL');
  if (!flag) return;
  if (r.hasCompanion('database')) {
    r.drop(flag, 'the module\'s local database (createDatabaseLocally) replaces the database container it named');
    return;
  }
  // An external database: the URL (with its password) goes to the secret file with the admin credentials.
  r.difference('the database stays where DATABASE_URL points (createDatabaseLocally = false); a host the old container reached by its container name must be reachable from the host now');
}

/** LISTEN_ADDR is `address:port` in one string. */
function listen(r: RecipeContext): void {
  if (r.input.network === 'host') {
    r.set('config.LISTEN_ADDR', '0.0.0.0:8080', 'The container ran on the host network: reachable on every address, as before.');
    return;
  }
  const p = r.input.ports.find((x) => x.containerPort.from === 8080 && x.protocol === 'tcp' && x.hostPort !== undefined && x.hostPort.from === x.hostPort.to);
  if (!p) return;
  const address = boundAddress(p.hostIp) ?? '0.0.0.0';
  r.set('config.LISTEN_ADDR', `${address.includes(':') ? `[${address}]` : address}:${p.hostPort!.from}`, `Published as ${p.raw} on the old host.`);
  r.claim(p.flag, 'services.miniflux.config.LISTEN_ADDR', 'the web UI and API');
}
