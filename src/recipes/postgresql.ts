import { apply, pkg, select, str, v } from '../nix/ast.ts';
import { boundAddress, tagOf, tagVersion } from './container-facts.ts';
import type { ModuleRecipe, RecipeContext } from './types.ts';

/**
 * PostgreSQL. nixpkgs: nixos/modules/services/databases/postgresql.nix:
 * package (by system.stateVersion when unset: postgresql_17 from 25.11,
 * postgresql_18 from 26.11), dataDir (/var/lib/postgresql/<major>; another
 * directory is the admin's to make), enableTCPIP (false: listen_addresses
 * is "localhost", true: "*"), settings (postgresql.conf; typed port
 * 5432), authentication (pg_hba.conf lines above the defaults: peer on
 * the socket, md5 on 127.0.0.1 and ::1), initdbArgs, ensureDatabases /
 * ensureUsers. Unit postgresql.service (user `postgres`, Restart=always,
 * unitConfig StartLimitBurst=5 and StartLimitIntervalSec=605) and
 * postgresql-setup.service. nixpkgs has postgresql_14 to _18
 * (pkgs/servers/sql/postgresql/default.nix; _19 is the next release).
 *
 * The official image (postgres:<major>) keeps the cluster in
 * /var/lib/postgresql/data (PGDATA), creates POSTGRES_USER (the superuser,
 * default postgres) with POSTGRES_PASSWORD and POSTGRES_DB, and lets every
 * host in with a password (pg_hba `host all all all scram-sha-256`);
 * bitnami/postgresql keeps it in /bitnami/postgresql. A cluster's files
 * only open with the same major version, and text indexes depend on the
 * C library's collation (Debian's glibc, Alpine's musl, NixOS's glibc), so
 * the cluster moves by dump and restore, not by copying its files.
 */

const AVAILABLE = [14, 15, 16, 17, 18];

export const postgresql: ModuleRecipe = {
  kind: 'module',
  app: 'postgresql',
  title: 'PostgreSQL database server',
  images: ['postgres', 'bitnami/postgresql'],
  module: 'services.postgresql',
  unit: {
    name: 'postgresql',
    sets: {
      Restart: { value: 'always', priority: 'plain' },
      'unitConfig.StartLimitIntervalSec': { value: 605, priority: 'plain' },
      'unitConfig.StartLimitBurst': { value: 5, priority: 'plain' },
    },
    others: ['postgresql-setup'],
  },
  user: { user: 'postgres', group: 'postgres' },
  ports: [{ container: 5432, what: 'the PostgreSQL protocol', option: 'settings.port', port: 5432 }],
  volumes: [
    { target: '/var/lib/postgresql', holds: 'the database cluster', drop: 'the cluster moves by dump and restore (see the steps), not by copying its files: they open only with the same major version and C library' },
    { target: '/bitnami/postgresql', holds: 'the database cluster', drop: 'the cluster moves by dump and restore (see the steps), not by copying its files: they open only with the same major version and C library' },
  ],
  environment: [
    { name: /^(POSTGRES_PASSWORD|POSTGRESQL_PASSWORD|POSTGRESQL_POSTGRES_PASSWORD)$/, drop: 'the roles come back with the dump (pg_dumpall writes them with their password hashes); local clients log in by peer authentication' },
    { name: /^(POSTGRES_USER|POSTGRES_DB|POSTGRESQL_USERNAME|POSTGRESQL_DATABASE)$/, drop: 'the role and the database come back with the dump' },
    { name: /^(PGDATA|POSTGRESQL_DATA_DIR|POSTGRESQL_VOLUME_DIR)$/, drop: 'the module keeps the cluster in services.postgresql.dataDir' },
    { name: /^(POSTGRES_INITDB_ARGS|POSTGRESQL_INITDB_ARGS)$/, option: 'initdbArgs', value: (text) => text.split(/\s+/).filter((w) => w !== '') },
    { name: /^POSTGRES(QL)?_(PORT_NUMBER)$/, drop: 'the published port sets settings.port' },
  ],
  differences: [
    'local clients log in over /run/postgresql by peer authentication (the Unix user is the role); TCP clients need a password (md5/scram) and, from elsewhere than the host, a pg_hba line',
    'apps that reached the container by its name reach the host now: localhost (or /run/postgresql), or the host\'s address',
  ],
  extra: configure,
};

function configure(r: RecipeContext): void {
  pin(r);
  listen(r);
  hostAuth(r);
  serverArgs(r);
  moveByDump(r);
}

/** The major version the tag names, as pkgs.postgresql_<major>; the dump and restore also carries a cluster to a newer one. */
function pin(r: RecipeContext): void {
  const major = tagVersion(r.input)[0];
  if (major === undefined) {
    r.report('warning', 'postgresql/version', `${r.service}: the image tag \`${tagOf(r.input)}\` names no major version, so services.postgresql.package follows system.stateVersion (PostgreSQL 17 for 25.11 and later)`, undefined, 'check `docker exec <container> postgres --version` and set services.postgresql.package to that major (or a newer one: the dump restores into it)');
    return;
  }
  const target = AVAILABLE.find((m) => m >= major);
  if (target === undefined) {
    r.report('error', 'postgresql/version', `${r.service}: the image was PostgreSQL ${major}, newer than nixpkgs' PostgreSQL ${AVAILABLE.at(-1)}; a dump of it may not restore into an older server`, undefined, 'keep the container (--strategy NAME=oci) until nixpkgs has this version');
    return;
  }
  r.setExpr('package', pkg(`postgresql_${target}`), target === major ? `The image was PostgreSQL ${tagOf(r.input)}: the same major version.` : `The image was PostgreSQL ${major}, which nixpkgs no longer has: the oldest it has; the dump restores into it.`);
  if (target !== major) r.difference(`PostgreSQL ${major} (the image) becomes PostgreSQL ${target}: the dump and restore upgrades the databases; check the app supports ${target}`);
}

/**
 * Published on every address: the server listens on every address and
 * lets clients from anywhere in with a password, as the image did (it
 * writes `host all all all scram-sha-256`); published on one address:
 * listens there too; on loopback or not at all: localhost, as the module has it.
 */
function listen(r: RecipeContext): void {
  const published = r.input.ports.filter((p) => p.containerPort.from === 5432 && p.protocol === 'tcp' && p.hostPort !== undefined);
  const everywhere = r.input.network === 'host' || published.some((p) => boundAddress(p.hostIp) === undefined);
  const bound = [...new Set(published.map((p) => boundAddress(p.hostIp)).filter((a): a is string => a !== undefined && !/^127\.|^::1$|^\[::1\]$/.test(a)))];
  for (const p of published) {
    if (p.hostPort!.from !== 5432) r.set('settings.port', p.hostPort!.from, `Published as ${p.raw} on the old host.`);
    r.claim(p.flag, 'services.postgresql.settings.port', boundAddress(p.hostIp) ? `bound to ${p.hostIp}, as before` : 'reachable on every address, as before');
  }
  if (everywhere) {
    r.set('enableTCPIP', true, r.input.network === 'host' ? 'The container ran on the host network.' : 'Published on every address of the old host.');
  } else if (bound.length > 0) {
    r.setExpr('settings.listen_addresses', apply(select(v('lib'), 'mkForce'), str(['localhost', ...bound].join(','))), `The old container was bound to ${bound.join(', ')}.`);
  }
  if (everywhere || bound.length > 0) {
    r.set('authentication', 'host all all all scram-sha-256\n', 'As the image let clients in: any host, with a password (the roles\' passwords come with the dump).');
  }
}

/** POSTGRES_HOST_AUTH_METHOD: trust let everyone in, which the module's authentication never does by itself. */
function hostAuth(r: RecipeContext): void {
  const flag = r.envFlag('POSTGRES_HOST_AUTH_METHOD');
  if (!flag) return;
  const method = r.input.environment.get('POSTGRES_HOST_AUTH_METHOD');
  if (method === 'trust') {
    r.unsupported(flag, 'the image let every client in without a password; nixport does not loosen the module\'s authentication', 'add the lines you need to services.postgresql.authentication');
  } else {
    r.drop(flag, 'the module\'s authentication applies: peer on the socket, passwords over TCP');
  }
}

/** `postgres -c key=value ...`: each to settings. */
function serverArgs(r: RecipeContext): void {
  const args = [...r.input.args];
  if (args.length === 0) return;
  let i = args[0] === 'postgres' || args[0]?.endsWith('/postgres') ? 1 : 0;
  const other: string[] = [];
  for (; i < args.length; i++) {
    const arg = args[i]!;
    const setting = arg === '-c' ? args[++i] : arg.startsWith('-c') ? arg.slice(2) : arg.startsWith('--') && arg.includes('=') ? arg.slice(2) : undefined;
    const eq = setting?.indexOf('=') ?? -1;
    if (setting === undefined || eq <= 0) {
      other.push(arg);
      continue;
    }
    const key = setting.slice(0, eq).replace(/-/g, '_');
    const value = setting.slice(eq + 1);
    r.set(`settings.${JSON.stringify(key)}`, /^\d+$/.test(value) ? Number(value) : value, `-c ${setting} on the old container.`);
  }
  r.claimArgs(args.length);
  if (other.length > 0) r.report('warning', 'postgresql/args', `${r.service}: the container's arguments \`${other.join(' ')}\` are not carried`, undefined, 'carry what they set into services.postgresql.settings');
}

/** Dump every database and role while the container runs; restore into the new cluster after the switch. */
function moveByDump(r: RecipeContext): void {
  const name = r.input.name;
  const bitnami = /bitnami/.test((r.input.base ?? r.input.reference)?.name ?? '');
  const user = bitnami ? 'postgres' : r.input.environment.get('POSTGRES_USER') ?? 'postgres';
  const file = `/root/${name}-pg_dumpall.sql`;
  const login = bitnami ? 'PGPASSWORD="$POSTGRESQL_POSTGRES_PASSWORD" ' : '';
  r.step(
    `Dump every database and role of ${name}`,
    `With the container still running: \`docker exec ${name} sh -c '${login}pg_dumpall -U ${user}' > ${file}\` (roles with their password hashes, then each database). Keep the old data directory until the restore is checked.`,
    'running',
  );
  r.step(
    'Restore the dump into the new cluster',
    `After the switch (postgresql.service made an empty cluster in services.postgresql.dataDir): \`sudo -u postgres psql -X -d postgres -f ${file}\`. Errors that the role postgres already exists are expected; any other error is not.`,
    'switched',
  );
  r.step('Analyze the restored databases', '`sudo -u postgres vacuumdb --all --analyze-in-stages`: the restore brings no planner statistics.', 'switched');
  r.step('Check the databases', '`sudo -u postgres psql -c \'\\l\'` lists the old databases with their owners; the apps connect with their old roles and passwords.', 'switched');
}
