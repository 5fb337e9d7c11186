import { keptOr } from './container-facts.ts';
import type { ModuleRecipe, RecipeContext, StepText } from './types.ts';

/**
 * Paperless-ngx. nixpkgs: nixos/modules/services/misc/paperless.nix:
 * address ("127.0.0.1"), port (28981), dataDir (/var/lib/paperless, any
 * path; made by tmpfiles), mediaDir (dataDir/media), consumptionDir
 * (dataDir/consume), exporter.directory (dataDir/export), settings
 * (PAPERLESS_* variables; lists and sets become JSON), environmentFile
 * (secrets, e.g. PAPERLESS_DBPASS), passwordFile (the superuser's password,
 * PAPERLESS_ADMIN_USER or `admin`), database.createLocally (false: SQLite
 * in dataDir; true: services.postgresql with database and role
 * `paperless` over /run/postgresql), configureTika (services.tika and
 * services.gotenberg), user/group `paperless`. Its own Redis
 * (services.redis.servers.paperless, a unix socket) unless
 * settings.PAPERLESS_REDIS is set. PAPERLESS_TIME_ZONE follows
 * time.timeZone. Units paperless-scheduler (migrations at start),
 * -task-queue, -consumer and -web (granian on address:port;
 * Restart=on-failure); the web unit generates its own
 * PAPERLESS_SECRET_KEY in dataDir/nixos-paperless-secret-key. No openFirewall.
 *
 * Upstream's compose files (docker/compose/docker-compose.*.yml) run the
 * webserver (ghcr.io/paperless-ngx/paperless-ngx, port 8000, volumes
 * /usr/src/paperless/{data,media,export,consume}) with a Redis `broker`
 * (PAPERLESS_REDIS=redis://broker:6379), optionally PostgreSQL `db`
 * (PAPERLESS_DBHOST=db), Gotenberg and Tika: those are companions.
 */

const DATABASE_STEPS: readonly StepText[] = [
  {
    title: 'Dump the Paperless database',
    phase: 'running',
    detail: "With the old containers still running: `docker exec {database.name} sh -c 'pg_dump --no-owner --no-acl -U \"$POSTGRES_USER\" \"${POSTGRES_DB:-$POSTGRES_USER}\"' > /root/paperless-db.sql`.",
  },
  {
    title: 'Restore the Paperless database',
    phase: 'switched',
    detail:
      "After the switch the module made the database `paperless` (owner `paperless`) and migrated an empty schema into it: `systemctl stop paperless-scheduler paperless-web paperless-consumer paperless-task-queue`, `sudo -u postgres dropdb paperless && sudo -u postgres createdb -O paperless paperless`, then `sudo -u paperless psql -X -v ON_ERROR_STOP=1 -d paperless < /root/paperless-db.sql`, and `systemctl start paperless-scheduler` (it migrates the restored schema to the packaged version, then starts the others). The dump must come from the Paperless-ngx version of nixpkgs or an older one.",
  },
];

export const paperless: ModuleRecipe = {
  kind: 'module',
  app: 'paperless',
  title: 'Paperless-ngx document archive',
  images: ['ghcr.io/paperless-ngx/paperless-ngx', 'paperlessngx/paperless-ngx'],
  module: 'services.paperless',
  unit: { name: 'paperless-web', sets: { Restart: { value: 'on-failure', priority: 'plain' } }, others: ['paperless-scheduler', 'paperless-task-queue', 'paperless-consumer', 'redis-paperless'] },
  user: { user: 'paperless', group: 'paperless' },
  ports: [{ container: 8000, what: 'web UI and API', option: 'port', port: 28981, address: { option: 'address', default: '127.0.0.1', any: '0.0.0.0' } }],
  volumes: [
    { target: '/usr/src/paperless/data', holds: 'the search index, the classifier model and (without PostgreSQL) db.sqlite3', set: { dataDir: keptOr('/var/lib/paperless') } },
    { target: '/usr/src/paperless/media', holds: 'the documents (originals, archived PDFs, thumbnails)', set: { mediaDir: keptOr('/var/lib/paperless/media') } },
    { target: '/usr/src/paperless/consume', holds: 'the consumption folder', set: { consumptionDir: keptOr('/var/lib/paperless/consume') } },
    { target: '/usr/src/paperless/export', holds: 'the document exporter\'s output', set: { 'exporter.directory': keptOr('/var/lib/paperless/export') } },
  ],
  environment: [
    { name: /^USERMAP_(UID|GID)$/, drop: 'the module runs Paperless as `paperless`' },
    { name: /^PAPERLESS_(DATA_DIR|MEDIA_ROOT|CONSUMPTION_DIR)$/, drop: 'the module sets it from dataDir, mediaDir and consumptionDir' },
    { name: /^PAPERLESS_(PORT|BIND_ADDR)$/, drop: 'the published port sets services.paperless.port and address' },
    { name: 'PAPERLESS_TIME_ZONE', drop: 'the module sets it from time.timeZone' },
    { name: 'PAPERLESS_OCR_LANGUAGES', drop: 'the module builds tesseract with the languages of settings.PAPERLESS_OCR_LANGUAGE' },
    { name: 'PAPERLESS_ADMIN_PASSWORD', option: 'passwordFile', file: true },
    { name: /^PAPERLESS_/, option: 'settings.*' },
  ],
  secretsFile: 'environmentFile',
  health: { path: '/', port: 8000 },
  companions: [
    {
      role: 'broker',
      images: ['redis', 'valkey/valkey'],
      hostVariable: { name: 'PAPERLESS_REDIS', default: '' },
      note: 'the module\'s own Redis (services.redis.servers.paperless, on a unix socket) replaces it; it held only the task queue, nothing to copy',
    },
    {
      role: 'database',
      images: ['postgres'],
      hostVariable: { name: 'PAPERLESS_DBHOST', default: '' },
      present: { 'database.createLocally': true },
      note: 'the module\'s PostgreSQL (database.createLocally: database and role `paperless` over /run/postgresql) replaces it; the database moves by dump and restore',
      steps: DATABASE_STEPS,
    },
    { role: 'gotenberg', images: ['gotenberg/gotenberg', 'thecodingmachine/gotenberg'], present: { configureTika: true }, note: 'services.gotenberg (configureTika) replaces it' },
    { role: 'tika', images: ['apache/tika', 'ghcr.io/paperless-ngx/tika'], present: { configureTika: true }, note: 'services.tika (configureTika) replaces it' },
  ],
  differences: [
    'runs as the system user `paperless` in four units (paperless-scheduler, -task-queue, -consumer, -web); the data, media and consumption folders must belong to it',
    'PAPERLESS_TIME_ZONE follows the host\'s time.timeZone',
  ],
  extra: configure,
};

/** Variables that named the companions' containers go: the module reaches its own Redis, database, Tika and Gotenberg. */
function configure(r: RecipeContext): void {
  const companionVariables: readonly [string, RegExp, string][] = [
    ['broker', /^PAPERLESS_REDIS(_PREFIX)?$/, 'the module runs its own Redis on a unix socket'],
    ['database', /^PAPERLESS_DB(ENGINE|HOST|PORT|NAME|USER|PASS|SSLMODE)$/, 'the module\'s local PostgreSQL (database.createLocally) over /run/postgresql'],
    ['tika', /^PAPERLESS_TIKA_(ENABLED|ENDPOINT|GOTENBERG_ENDPOINT)$/, 'configureTika enables Tika and Gotenberg on their local ports'],
    ['gotenberg', /^PAPERLESS_TIKA_(ENABLED|ENDPOINT|GOTENBERG_ENDPOINT)$/, 'configureTika enables Tika and Gotenberg on their local ports'],
  ];
  for (const [role, pattern, reason] of companionVariables) {
    if (!r.hasCompanion(role)) continue;
    for (const name of r.input.environment.keys()) {
      const flag = pattern.test(name) ? r.envFlag(name) : undefined;
      if (flag) r.drop(flag, reason);
    }
  }
  if (r.input.environment.has('PAPERLESS_SECRET_KEY')) {
    const volume = r.input.volumes.find((v) => v.target === '/usr/src/paperless/data' && v.kind === 'bind' && v.source !== undefined);
    const dataDir = volume ? keptOr('/var/lib/paperless')(volume.source!) : '/var/lib/paperless';
    r.step(
      'Keep the old secret key',
      `The web unit takes PAPERLESS_SECRET_KEY from ${dataDir}/nixos-paperless-secret-key, which it generates when missing (sessions would end): before the switch, write the old value (PAPERLESS_SECRET_KEY in services.paperless.environmentFile) into that file without a line break, \`chmod 0400\` it, and give it to paperless with the rest.`,
    );
  }
  const dbHost = r.input.environment.get('PAPERLESS_DBHOST');
  if (dbHost !== undefined && !r.hasCompanion('database')) {
    r.report('warning', 'paperless/database', `${r.service}: PAPERLESS_DBHOST=${dbHost} names a database the module does not run; a container name does not resolve on the host`, undefined, 'point settings.PAPERLESS_DBHOST at the host that runs the database (localhost if it is native now)');
  }
  const redis = r.input.environment.get('PAPERLESS_REDIS');
  if (redis !== undefined && !r.hasCompanion('broker')) {
    r.report('warning', 'paperless/redis', `${r.service}: PAPERLESS_REDIS names a Redis the module does not run, so the module starts none of its own`, undefined, 'drop settings.PAPERLESS_REDIS to let the module run its own Redis, or point it at one the host reaches');
  }
}
