import { pkg } from '../nix/ast.ts';
import { linuxserver } from './images.ts';
import { boundAddress, tagOf, tagVersion } from './container-facts.ts';
import type { ModuleRecipe, RecipeContext } from './types.ts';

/**
 * MariaDB, as services.mysql with a MariaDB package. nixpkgs:
 * nixos/modules/services/databases/mysql.nix: package (no default: it
 * must be set), dataDir (/var/lib/mysql; another directory is the admin's
 * to make), settings (my.cnf as INI; mysqld.port is mkDefault 3306, no
 * bind-address, so every address), ensureDatabases / ensureUsers
 * (unix_socket authentication), initialDatabases. On MariaDB root@localhost
 * logs in by unix socket (`sudo mysql`), and the module creates the
 * account `mysql`@localhost for its own setup. Unit mysql.service (user
 * `mysql`, Restart=on-abnormal, RestartSec=5s, Type=notify). nixpkgs has
 * mariadb_106, _1011, _114 and _118 (pkgs/servers/sql/mariadb/default.nix).
 *
 * The images (mariadb, bitnami/mariadb, linuxserver/mariadb) keep the
 * data in /var/lib/mysql, /bitnami/mariadb and /config/databases and
 * create root (MARIADB_ROOT_PASSWORD or MYSQL_ROOT_PASSWORD), a database
 * and a user. The data directory would open only with a compatible
 * version, and restoring the image's `mysql` system tables would replace
 * the module's socket accounts, so the move is a dump of the databases
 * and, separately, of the accounts as CREATE USER / GRANT (mariadb-dump
 * --system=users, MariaDB 10.2.37 and later).
 */

/** MariaDB series nixpkgs has, by the number the tag names. */
const SERIES: readonly { readonly version: readonly [number, number]; readonly attr: string }[] = [
  { version: [10, 6], attr: 'mariadb_106' },
  { version: [10, 11], attr: 'mariadb_1011' },
  { version: [11, 4], attr: 'mariadb_114' },
  { version: [11, 8], attr: 'mariadb_118' },
];

const DUMP_FROM_MARIADB = 'the data moves by dump and restore (see the steps), not by copying its files';

export const mariadb: ModuleRecipe = {
  kind: 'module',
  app: 'mariadb',
  title: 'MariaDB database server',
  images: ['mariadb', 'bitnami/mariadb', ...linuxserver('mariadb')],
  module: 'services.mysql',
  unit: { name: 'mysql', sets: { Restart: { value: 'on-abnormal', priority: 'plain' }, RestartSec: { value: '5s', priority: 'plain' } } },
  user: { user: 'mysql', group: 'mysql' },
  ports: [{ container: 3306, what: 'the MySQL protocol', option: 'settings.mysqld.port', port: 3306, address: { option: 'settings.mysqld.bind-address', default: '0.0.0.0', any: '0.0.0.0' } }],
  volumes: [
    { target: '/var/lib/mysql', holds: 'the databases', drop: DUMP_FROM_MARIADB },
    { target: '/bitnami/mariadb', holds: 'the databases', drop: DUMP_FROM_MARIADB },
    { target: '/config', images: ['lscr.io/linuxserver/', 'linuxserver/', 'ghcr.io/linuxserver/'], holds: 'the databases (databases/) and custom.cnf', drop: `${DUMP_FROM_MARIADB}; settings of custom.cnf go to services.mysql.settings by hand` },
    { target: '/etc/mysql/conf.d', holds: 'extra server settings', drop: 'carry them into services.mysql.settings.mysqld by hand' },
  ],
  environment: [
    { name: /^(MARIADB|MYSQL)_ROOT_PASSWORD$/, drop: 'root@localhost logs in by unix socket natively (`sudo mysql`); the other accounts come back with their passwords from the dump' },
    { name: /^(MARIADB|MYSQL)_(USER|PASSWORD|DATABASE)$/, drop: 'the database and its account come back with the dump' },
    { name: /^((MARIADB|MYSQL)_(ROOT_HOST|RANDOM_ROOT_PASSWORD|ALLOW_EMPTY_ROOT_PASSWORD|ALLOW_EMPTY_PASSWORD|AUTO_UPGRADE|INITDB_SKIP_TZINFO|MYSQL_LOCALHOST_USER)|REMOTE_SQL)$/, drop: 'first-start setup of the image; the module sets the server up itself and the dump carries the databases' },
    { name: /^MARIADB_(PORT_NUMBER|DATA_DIR)$/, drop: 'the module sets the port and the data directory' },
  ],
  differences: [
    'root@localhost logs in by unix socket (`sudo mysql`), not with MARIADB_ROOT_PASSWORD; the accounts of the dump keep their passwords',
    'apps that reached the container by its name reach the host now: localhost (or /run/mysqld/mysqld.sock), or the host\'s address',
  ],
  extra: configure,
};

function configure(r: RecipeContext): void {
  pin(r);
  serverArgs(r);
  if (r.input.network !== 'host' && !r.input.ports.some((p) => p.containerPort.from === 3306)) {
    r.set('settings.mysqld.bind-address', '127.0.0.1', 'Only other containers reached it before (nothing was published): the host alone now.');
  }
  moveByDump(r);
}

/** The series the tag names, as pkgs.mariadb_<series>; an older one goes to the next series nixpkgs has (the dump restores into it). */
function pin(r: RecipeContext): void {
  const tag = tagOf(r.input);
  const [major, minor] = tagVersion(r.input);
  if (major === undefined || minor === undefined) {
    if (tag === 'lts') {
      r.setExpr('package', pkg('mariadb_118'), 'The image\'s `lts` tag was MariaDB 11.8 when nixpkgs\' series were read.');
      r.difference('the tag `lts` names whatever series was the newest long-term release when the image was pulled; check `docker exec <container> mariadb --version` is 11.8 or older');
      return;
    }
    r.setExpr('package', pkg('mariadb'), `The image tag \`${tag}\` names no version: nixpkgs' default MariaDB.`);
    r.report('warning', 'mariadb/version', `${r.service}: the image tag \`${tag}\` names no version, so services.mysql.package is nixpkgs' default MariaDB`, undefined, 'check `docker exec <container> mariadb --version`; the dump restores into the same or a newer series');
    return;
  }
  const series = SERIES.find((s) => s.version[0] > major || (s.version[0] === major && s.version[1] >= minor));
  if (!series) {
    r.report('error', 'mariadb/version', `${r.service}: the image was MariaDB ${tag}, newer than nixpkgs' newest series (11.8); its dump may not restore into an older server`, undefined, 'keep the container (--strategy NAME=oci) until nixpkgs has this series');
    r.setExpr('package', pkg('mariadb'), 'nixpkgs\' default MariaDB (older than the image).');
    return;
  }
  const same = series.version[0] === major && series.version[1] === minor;
  r.setExpr('package', pkg(series.attr), same ? `The image was MariaDB ${tag}: the same series.` : `The image was MariaDB ${major}.${minor}, which nixpkgs does not have: the next series it has; the dump restores into it.`);
  if (!same) r.difference(`MariaDB ${major}.${minor} (the image) becomes MariaDB ${series.version.join('.')}: check the app supports it`);
}

/** `--key=value` server options (utf8mb4, binlog, ...) to settings.mysqld. */
function serverArgs(r: RecipeContext): void {
  const args = [...r.input.args];
  if (args.length === 0) return;
  let i = args[0] !== undefined && /(^|\/)(mariadbd|mysqld)$/.test(args[0]) ? 1 : 0;
  const other: string[] = [];
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      other.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const value = eq < 0 ? true : /^\d+$/.test(arg.slice(eq + 1)) ? Number(arg.slice(eq + 1)) : arg.slice(eq + 1);
    r.set(`settings.mysqld.${JSON.stringify(key)}`, value, `${arg} on the old container.`);
  }
  r.claimArgs(args.length);
  if (other.length > 0) r.report('warning', 'mariadb/args', `${r.service}: the container's arguments \`${other.join(' ')}\` are not carried`, undefined, 'carry what they set into services.mysql.settings.mysqld');
}

/** Accounts and databases dumped while the container runs, with its root password from its own environment; restored by root over the socket. */
function moveByDump(r: RecipeContext): void {
  const name = r.input.name;
  const password = r.input.environment.has('MARIADB_ROOT_PASSWORD') ? '$MARIADB_ROOT_PASSWORD' : '$MYSQL_ROOT_PASSWORD';
  const users = `/root/${name}-users.sql`;
  const databases = `/root/${name}-databases.sql`;
  const list = `$(mariadb -uroot -p"${password}" -N -e "SHOW DATABASES" | grep -Ev "^(mysql|information_schema|performance_schema|sys)$")`;
  r.step(
    `Dump the accounts and databases of ${name}`,
    `With the container still running: \`docker exec ${name} sh -c 'mariadb-dump -uroot -p"${password}" --system=users --insert-ignore' > ${users}\` (CREATE USER IF NOT EXISTS and GRANT), then \`docker exec ${name} sh -c 'mariadb-dump -uroot -p"${password}" --single-transaction --routines --events --triggers --databases ${list}' > ${databases}\`. The system database \`mysql\` stays behind: the module's socket accounts must not be replaced.`,
    'running',
  );
  r.step('Restore the dumps', `After the switch: \`sudo mysql < ${databases}\`, then \`sudo mysql < ${users}\` (accounts that exist already, root@localhost among them, are kept as the module made them).`, 'switched');
  r.step('Check the databases', '`sudo mysql -e "SHOW DATABASES; SELECT user, host FROM mysql.user"` lists the old databases and accounts; the apps connect with their old accounts and passwords.', 'switched');
}
