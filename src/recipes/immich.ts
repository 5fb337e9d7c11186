import type { ModuleRecipe, StepText } from './types.ts';

/**
 * Immich (post, N9). nixpkgs: nixos/modules/services/web-apps/immich.nix:
 * host ("localhost"), port (2283), openFirewall (TCP port), mediaLocation
 * (/var/lib/immich; another directory must exist and belong to `immich`),
 * environment (freeform), machine-learning.enable (true: a second unit on
 * localhost:3003), database.enable (a local PostgreSQL with pgvector and
 * VectorChord, reached over /run/postgresql), redis.enable (a local Redis
 * on a unix socket). Units: immich-server (Restart=on-failure,
 * RestartSec=3) and immich-machine-learning.
 *
 * Upstream's compose file runs four containers: the server
 * (UPLOAD_LOCATION mounted at /data; /usr/src/app/upload before v1.133),
 * machine learning (a model cache volume), Postgres with the vector
 * extensions (ghcr.io/immich-app/postgres) and Valkey/Redis. The module
 * runs all four itself: the other three are companions of the server.
 */

const DATABASE_STEPS: readonly StepText[] = [
  {
    title: 'Dump the Immich database on the old host',
    phase: 'running',
    detail:
      'With the old containers still running: `docker exec -t {database.name} pg_dumpall --clean --if-exists --username={database.user} | gzip > immich-db.sql.gz` (Immich\'s own backup command). Upgrade the old Immich to the version nixpkgs ships first: database migrations only go forward.',
  },
  {
    title: 'Restore the Immich database on NixOS',
    phase: 'switched',
    detail:
      'After the switch, with immich-server stopped (`systemctl stop immich-server immich-machine-learning`): `gunzip < immich-db.sql.gz | sed "s/SELECT pg_catalog.set_config(\'search_path\', \'\', false);/SELECT pg_catalog.set_config(\'search_path\', \'public, pg_catalog\', true);/g" | sudo -u postgres psql -d immich`, then `sudo -u postgres psql -d immich -c \'ALTER SCHEMA public OWNER TO immich\'` and reassign the tables owned by `{database.user}` to `immich` (`REASSIGN OWNED BY "{database.user}" TO immich`). Vector extension: the module\'s PostgreSQL has pgvector and VectorChord (vchord); a dump from a pgvecto.rs database (`vectors` extension, older images) restores only after Immich migrated it to VectorChord in the container (Immich ≥ 1.133 with the ghcr.io/immich-app/postgres image).',
  },
];

export const immich: ModuleRecipe = {
  kind: 'module',
  app: 'immich',
  title: 'Immich photo and video library',
  images: ['ghcr.io/immich-app/immich-server', 'altran1502/immich-server'],
  module: 'services.immich',
  unit: {
    name: 'immich-server',
    sets: { Restart: { value: 'on-failure', priority: 'plain' }, RestartSec: { value: 3, priority: 'plain' } },
    others: ['immich-machine-learning', 'postgresql', 'redis-immich'],
  },
  user: { user: 'immich', group: 'immich' },
  ports: [
    { container: 2283, what: 'web UI and API', option: 'port', port: 2283, address: { option: 'host', default: 'localhost', any: '0.0.0.0' } },
    { container: 3001, what: 'web UI and API (before v1.118)', option: 'port', port: 2283, address: { option: 'host', default: 'localhost', any: '0.0.0.0' } },
  ],
  firewall: { option: 'openFirewall', tcp: [{ option: 'port', default: 2283 }], udp: [] },
  volumes: [
    { target: '/data', holds: 'the media: library/, upload/, thumbs/, encoded-video/, profile/, backups/', set: { mediaLocation: (source) => source } },
    { target: '/usr/src/app/upload', holds: 'the media: library/, upload/, thumbs/, encoded-video/, profile/', set: { mediaLocation: (source) => source } },
    { target: '/etc/localtime', holds: 'the time zone', drop: 'the host\'s time zone (time.timeZone) applies to the service' },
  ],
  environment: [
    { name: /^(DB_HOSTNAME|DB_PORT|DB_USERNAME|DB_PASSWORD|DB_DATABASE_NAME|DB_URL|DB_VECTOR_EXTENSION)$/, drop: 'the module connects to its own PostgreSQL over /run/postgresql as the `immich` user' },
    { name: /^REDIS_/, drop: 'the module connects to its own Redis over a unix socket' },
    { name: /^(UPLOAD_LOCATION|DB_DATA_LOCATION|IMMICH_VERSION)$/, drop: 'a variable of the compose file, not of Immich' },
    { name: /^(IMMICH_MEDIA_LOCATION|IMMICH_HOST|IMMICH_PORT)$/, drop: 'the module sets it from mediaLocation, host and port' },
    { name: /^IMMICH_/, option: 'environment.*' },
  ],
  health: { path: '/api/server/ping', port: 2283 },
  companions: [
    {
      role: 'machine-learning',
      images: ['ghcr.io/immich-app/immich-machine-learning', 'altran1502/immich-machine-learning'],
      present: { 'machine-learning.enable': true },
      absent: { 'machine-learning.enable': false },
      note: 'immich-machine-learning.service (on localhost:3003) replaces it; its model cache is downloaded again into /var/cache/immich',
    },
    {
      role: 'database',
      images: ['ghcr.io/immich-app/postgres', 'tensorchord/pgvecto-rs', 'tensorchord/vchord-postgres', 'postgres'],
      hostVariable: { name: 'DB_HOSTNAME', default: 'database' },
      note: 'the module\'s PostgreSQL (services.postgresql, with pgvector and VectorChord) replaces it; its data moves by dump and restore',
      steps: DATABASE_STEPS,
    },
    {
      role: 'redis',
      images: ['valkey/valkey', 'redis', 'bitnami/redis'],
      hostVariable: { name: 'REDIS_HOSTNAME', default: 'redis' },
      note: 'the module\'s Redis (services.redis.servers.immich, on a unix socket) replaces it; it holds only queues, nothing to copy',
    },
  ],
  differences: [
    'runs as the system user `immich`; the media directory must belong to it (the module sets mode 0700)',
    'the database is the host\'s PostgreSQL (database `immich`, user `immich`, peer authentication over /run/postgresql): no DB_PASSWORD any more',
    'Immich stores absolute media paths; releases since July 2025 notice a changed media location (IMMICH_MEDIA_LOCATION) and rewrite them at start (immich PR #20256); older ones need `immich-admin change-media-location`',
  ],
  reconfigure: ['Administration → Settings: check the external domain and the storage template; the machine-learning URL is http://localhost:3003 now (set by the module)'],
};
