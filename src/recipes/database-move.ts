import type { RecipeContext } from './types.ts';

/**
 * Moving an app's database out of a database container into the database
 * the NixOS module creates on the host (services.postgresql or
 * services.mysql, the app's user reaching it over the socket): a dump
 * while the old container runs, and a restore into the freshly created,
 * emptied database after the switch, before the app fills it with a new
 * schema. The dump runs inside the database container with its own
 * credentials (POSTGRES_USER/POSTGRES_DB, MYSQL_USER/MYSQL_PASSWORD/
 * MYSQL_DATABASE), so no password is written anywhere.
 */

export type DatabaseKind = 'postgres' | 'mysql';

export interface DatabaseMove {
  readonly kind: DatabaseKind;
  /** The database container's name, as the app reached it (`db` of `db:5432`). */
  readonly container: string;
  /** The database and user the module creates (both named after the app). */
  readonly database: string;
  readonly user: string;
  /** The app's units to stop while the database is replaced (`forgejo`). */
  readonly units: readonly string[];
  /** Run after the restore (`nextcloud-occ maintenance:repair`), if anything. */
  readonly after?: string;
}

/** `db:5432` -> `db`; `/run/postgresql` and addresses stay as they are. */
export function hostName(host: string): string {
  return host.startsWith('/') || host.startsWith('[') ? host : host.replace(/:\d+$/, '');
}

export function databaseSteps(r: RecipeContext, move: DatabaseMove): void {
  const file = `/root/${move.database}-db.sql`;
  const dump =
    move.kind === 'postgres'
      ? `docker exec ${move.container} sh -c 'pg_dump --no-owner --no-acl -U "$POSTGRES_USER" "\${POSTGRES_DB:-$POSTGRES_USER}"' > ${file}`
      : `docker exec ${move.container} sh -c 'mysqldump --single-transaction -u"$MYSQL_USER" -p"$MYSQL_PASSWORD" "$MYSQL_DATABASE"' > ${file}`;
  r.step(
    `Dump the ${move.database} database from ${move.container}`,
    `With the database container still running: \`${dump}\`. Copy ${file} to the new host.`,
    'running',
  );
  const recreate =
    move.kind === 'postgres'
      ? `sudo -u postgres dropdb ${move.database} && sudo -u postgres createdb -O ${move.user} ${move.database} && sudo -u ${move.user} psql -d ${move.database} < ${file}`
      : `mysql -e 'DROP DATABASE ${move.database}; CREATE DATABASE ${move.database}' && sudo -u ${move.user} mysql ${move.database} < ${file}`;
  r.step(
    `Restore the ${move.database} database`,
    `After the switch the module created an empty database \`${move.database}\` (owner \`${move.user}\`, reached over the socket without a password), and the app may have filled it with a fresh schema. \`systemctl stop ${move.units.join(' ')}\`, then \`${recreate}\`${move.after ? `, then \`${move.after}\`` : ''}, and \`systemctl start ${move.units.join(' ')}\`. The dump must come from the same version of the app as nixpkgs ships (or an older one it can migrate).`,
    'switched',
  );
}
