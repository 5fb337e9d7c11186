import { isSecretName } from '../sources/docker/secrets.ts';
import { databaseSteps, hostName, type DatabaseKind } from './database-move.ts';
import type { EnvRule, ModuleRecipe, RecipeContext } from './types.ts';
import { keptOr } from './container-facts.ts';

/**
 * What Forgejo and Gitea share: the images (Forgejo forked Gitea's) and
 * nearly the same module.
 *
 * Images: the rootful image keeps everything in /data: app.ini in
 * /data/gitea/conf (GITEA_CUSTOM=/data/gitea), APP_DATA_PATH /data/gitea
 * (attachments, avatars, indexers, sessions), the SQLite database
 * /data/gitea/gitea.db, the repositories in /data/git/repositories, LFS in
 * /data/git/lfs, and the `git` user's authorized_keys in /data/git/.ssh
 * (docker/root/etc/templates/app.ini of both projects). It serves HTTP on
 * 3000 and its own sshd on 22. `<PREFIX>__section__KEY` variables are
 * written into app.ini at start (environment-to-ini), as are the older
 * plain ones (DB_TYPE, DOMAIN, ROOT_URL, ...).
 *
 * Modules (nixos/modules/services/misc/forgejo.nix, gitea.nix): stateDir
 * "/var/lib/<app>" (any path), customDir stateDir/custom (the generated
 * app.ini and the secret files live in customDir/conf), repositoryRoot
 * stateDir/repositories, database.{type sqlite3|mysql|postgres, path
 * stateDir/data/<app>.db, createDatabase true (a local database reached
 * over its socket), name, user, passwordFile}, settings (freeform app.ini,
 * written whole at every start: keys of the old app.ini not in settings
 * are gone), no openFirewall. SECRET_KEY, INTERNAL_TOKEN, JWT_SECRET and
 * LFS_JWT_SECRET are read from customDir/conf/{secret_key,
 * internal_token, oauth2_jwt_secret, lfs_jwt_secret} and generated when
 * those are empty. SSH goes through the host's OpenSSH (AcceptEnv
 * GIT_PROTOCOL) as the app's user, whose home is stateDir. The unit has
 * Restart=always, ProtectSystem=strict with ReadWritePaths for its
 * directories, and runs `migrate` and `admin regenerate hooks` (and
 * `keys`, when stateDir/.ssh/authorized_keys exists) before it starts.
 */

export interface ForgeSpec {
  readonly app: 'forgejo' | 'gitea';
  readonly title: string;
  readonly images: readonly string[];
  /** Variable prefixes the image's environment-to-ini reads. */
  readonly prefixes: readonly string[];
  /** The option a secret app.ini key reads its file from, or undefined when the module has none. */
  readonly secretOption: (section: string, key: string) => string | undefined;
  /** The option of the application's name. */
  readonly appName: string;
}

/** Keys the module generates into customDir/conf: the migration step copies them from the old app.ini. */
const MODULE_SECRETS = new Set(['security.SECRET_KEY', 'security.INTERNAL_TOKEN', 'oauth2.JWT_SECRET', 'server.LFS_JWT_SECRET']);

/** Set from the volume, the port or the database: not carried as settings. */
const MAPPED = new Map<string, string>([
  ['server.HTTP_PORT', 'the port is settings.server.HTTP_PORT, set from the published port'],
  ['server.HTTP_ADDR', 'the address is settings.server.HTTP_ADDR, set from the published port'],
  ['server.APP_DATA_PATH', 'set from the /data volume'],
  ['server.SSH_PORT', 'the host\'s OpenSSH serves Git over SSH now, on its own port (22)'],
  ['server.SSH_LISTEN_PORT', 'the host\'s OpenSSH serves Git over SSH now, on its own port (22)'],
  ['repository.ROOT', 'repositoryRoot, set from the /data volume'],
  ['database.PATH', 'database.path, set from the /data volume'],
  ['database.DB_TYPE', 'database.type'],
  ['database.HOST', 'the module\'s own database, reached over its socket'],
  ['database.NAME', 'the module\'s own database is named after the app'],
  ['database.USER', 'the module\'s own database user is the app\'s user'],
  ['security.INSTALL_LOCK', 'the module sets INSTALL_LOCK itself'],
  ['DEFAULT.RUN_USER', 'the module runs the app as its own user'],
  ['DEFAULT.RUN_MODE', 'the module sets RUN_MODE "prod"'],
  ['DEFAULT.WORK_PATH', 'the module sets WORK_PATH to stateDir'],
]);

/** The image's plain variables (docker/root/etc/templates/app.ini), as section.KEY. */
const PLAIN: Readonly<Record<string, string>> = {
  APP_NAME: 'DEFAULT.APP_NAME',
  RUN_MODE: 'DEFAULT.RUN_MODE',
  DOMAIN: 'server.DOMAIN',
  SSH_DOMAIN: 'server.SSH_DOMAIN',
  HTTP_PORT: 'server.HTTP_PORT',
  ROOT_URL: 'server.ROOT_URL',
  DISABLE_SSH: 'server.DISABLE_SSH',
  SSH_PORT: 'server.SSH_PORT',
  SSH_LISTEN_PORT: 'server.SSH_LISTEN_PORT',
  LFS_START_SERVER: 'server.LFS_START_SERVER',
  DB_TYPE: 'database.DB_TYPE',
  DB_HOST: 'database.HOST',
  DB_NAME: 'database.NAME',
  DB_USER: 'database.USER',
  DB_PASSWD: 'database.PASSWD',
  INSTALL_LOCK: 'security.INSTALL_LOCK',
  SECRET_KEY: 'security.SECRET_KEY',
  DISABLE_REGISTRATION: 'service.DISABLE_REGISTRATION',
  REQUIRE_SIGNIN_VIEW: 'service.REQUIRE_SIGNIN_VIEW',
};

/** `GITEA__cron_0X2E_update_checker__ENABLED` -> `cron.update_checker.ENABLED` (environment-to-ini's escaping). */
export function appIniKey(name: string, prefixes: readonly string[]): { readonly section: string; readonly key: string } | undefined {
  const plain = PLAIN[name];
  if (plain !== undefined) {
    const dot = plain.indexOf('.');
    return { section: plain.slice(0, dot), key: plain.slice(dot + 1) };
  }
  const prefix = prefixes.find((p) => name.startsWith(p));
  if (prefix === undefined) return undefined;
  const parts = name.slice(prefix.length).split('__');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return undefined;
  const unescape = (s: string) => s.replace(/_0X2E_/gi, '.').replace(/_0X2D_/gi, '-');
  return { section: unescape(parts[0]!), key: unescape(parts[1]!) };
}

function quoted(part: string): string {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(part) ? part : JSON.stringify(part);
}

/** An app.ini value: true/false are booleans (the module's typed keys want them), the rest strings. */
function iniValue(text: string): unknown {
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

function isSecretKey(section: string, key: string): boolean {
  return isSecretName(key) || MODULE_SECRETS.has(`${section}.${key}`) || key === 'PASSWD';
}

export function forgeRecipe(spec: ForgeSpec): ModuleRecipe {
  const ini = (name: string) => appIniKey(name, spec.prefixes);
  const environment: EnvRule[] = [
    { name: /^(USER_UID|USER_GID|USER|GITEA_CUSTOM|GITEA_WORK_DIR|FORGEJO_CUSTOM|FORGEJO_WORK_DIR)$/, drop: `container machinery: the module runs the app as the system user ${spec.app} with its own directories` },
    {
      // Secrets of app.ini: a file the module reads, outside the store.
      name: new RegExp(`^(?:(?:${spec.prefixes.join('|')}).+__.*(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?).*)$`, 'i'),
      file: true,
      option: (name) => {
        const k = ini(name);
        return k && isSecretKey(k.section, k.key) && !MODULE_SECRETS.has(`${k.section}.${k.key}`) ? spec.secretOption(k.section, k.key) : undefined;
      },
    },
  ];
  return {
    kind: 'module',
    app: spec.app,
    title: spec.title,
    images: spec.images,
    module: `services.${spec.app}`,
    unit: { name: spec.app, sets: { Restart: { value: 'always', priority: 'plain' } } },
    user: { user: spec.app, group: spec.app },
    ports: [
      { container: 3000, what: 'web UI, API and Git over HTTP', option: 'settings.server.HTTP_PORT', port: 3000, address: { option: 'settings.server.HTTP_ADDR', default: '0.0.0.0', any: '0.0.0.0' } },
      { container: 22, what: 'Git over SSH (the host\'s OpenSSH now)', port: 22 },
    ],
    volumes: [
      {
        target: '/data',
        holds: 'app.ini (gitea/conf), the SQLite database, attachments and avatars (gitea/), the repositories and LFS objects (git/) and the SSH keys (git/.ssh)',
        // A named volume's data moves to /var/lib/<app>, in the image's layout.
        set: {
          stateDir: keptOr(`/var/lib/${spec.app}`),
          repositoryRoot: (source) => `${keptOr(`/var/lib/${spec.app}`)(source)}/git/repositories`,
          'settings.server.APP_DATA_PATH': (source) => `${keptOr(`/var/lib/${spec.app}`)(source)}/gitea`,
        },
        at: keptOr(`/var/lib/${spec.app}`),
        // The module's user finds its authorized_keys in stateDir/.ssh (its home).
        moves: [{ from: 'git/.ssh', to: '.' }],
      },
      { target: '/etc/timezone', holds: 'the time zone', drop: 'the host\'s time zone (time.timeZone) applies to the service' },
      { target: '/etc/localtime', holds: 'the time zone', drop: 'the host\'s time zone (time.timeZone) applies to the service' },
    ],
    environment,
    health: { path: '/api/healthz', port: 3000 },
    differences: [
      `runs as the system user \`${spec.app}\` (its home is stateDir) instead of the image's \`git\` user (USER_UID/USER_GID)`,
      `Git over SSH goes through the host's OpenSSH as the user \`${spec.app}\`: clone URLs become ${spec.app}@host:owner/repo.git on port 22 (the container answered as git@host on its published port)`,
      'app.ini is generated from services.' + spec.app + '.settings at every start: keys of the old app.ini that are not in the settings are gone (the old file stays in gitea/conf for reference)',
    ],
    reconfigure: [
      'Site administration → Configuration: check ROOT_URL, DOMAIN and SSH_DOMAIN; clone URLs changed user and port',
      'Users\' remotes: `git remote set-url origin ' + spec.app + '@<host>:<owner>/<repo>.git`',
    ],
    extra: (r) => forgeExtra(r, spec),
  };
}

function forgeExtra(r: RecipeContext, spec: ForgeSpec): void {
  const env = r.input.environment;
  const ini = (name: string) => appIniKey(name, spec.prefixes);
  let dbType: string | undefined;
  let dbHost: string | undefined;
  for (const [name, value] of env) {
    const k = ini(name);
    if (!k) continue;
    const flag = r.envFlag(name);
    if (!flag) continue;
    const id = `${k.section}.${k.key}`;
    if (id === 'database.DB_TYPE') dbType = value;
    if (id === 'database.HOST') dbHost = value;
    if (MODULE_SECRETS.has(id)) {
      r.drop(flag, `the module reads ${k.key} from a file in customDir/conf; the migration step copies it there from the old app.ini (which has it)`);
      continue;
    }
    if (id === 'database.PASSWD') {
      r.drop(flag, 'the module\'s own database (or SQLite) needs no password: the app reaches it over the socket as its own user');
      continue;
    }
    if (isSecretKey(k.section, k.key)) continue; // the secret rule files it (or reports it)
    const mapped = MAPPED.get(id);
    if (mapped !== undefined) {
      if (id !== 'database.DB_TYPE') r.drop(flag, mapped);
      continue;
    }
    if (id === 'server.LFS_START_SERVER') {
      if (value === 'true') {
        r.set('lfs.enable', true, `${name}=true on the old host.`);
        r.set('lfs.contentDir', `${stateDirOf(r, spec.app)}/git/lfs`, 'Where the image kept the LFS objects.');
        r.claim(flag, `services.${spec.app}.lfs.enable`);
      } else r.drop(flag, 'LFS stays off, as before');
      continue;
    }
    const option = id === 'DEFAULT.APP_NAME' ? spec.appName : `settings.${quoted(k.section)}.${quoted(k.key)}`;
    r.set(option, iniValue(value));
    r.claim(flag, `services.${spec.app}.${option}`);
  }
  databaseType(r, spec, dbType, dbHost);
  secretsStep(r, spec);
}

/** Where the old /data is on the new host: the bind's directory, or /var/lib/<app> for a named volume (copied there). */
function stateDirOf(r: RecipeContext, app: string): string {
  const data = r.input.volumes.find((v) => v.target === '/data' && v.source !== undefined);
  return data?.kind === 'bind' ? data.source!.replace(/\/+$/, '') : `/var/lib/${app}`;
}

/** sqlite3 stays in the /data volume; mysql/postgres move into the module's local database by dump and restore. */
function databaseType(r: RecipeContext, spec: ForgeSpec, type: string | undefined, host: string | undefined): void {
  const flag = [...r.input.environment.keys()].map((n) => ({ n, k: appIniKey(n, spec.prefixes) })).find((x) => x.k && `${x.k.section}.${x.k.key}` === 'database.DB_TYPE');
  const kind: DatabaseKind | undefined = type === 'postgres' ? 'postgres' : type === 'mysql' ? 'mysql' : undefined;
  const f = flag ? r.envFlag(flag.n) : undefined;
  if (type === undefined || type === 'sqlite3') {
    if (r.input.volumes.some((v) => v.target === '/data')) r.set('database.path', `${stateDirOf(r, spec.app)}/gitea/gitea.db`, 'The image\'s SQLite database, in the image\'s layout.');
    if (f) r.claim(f, `services.${spec.app}.database.type`, 'SQLite, the module\'s default: the database file stays in the /data volume');
    return;
  }
  if (!kind) {
    if (f) r.unsupported(f, `database type ${type} is not one the module knows (sqlite3, mysql, postgres)`);
    return;
  }
  r.set('database.type', kind, `${flag!.n}=${type} on the old host: the module creates a local ${kind === 'postgres' ? 'PostgreSQL' : 'MariaDB'} database for it.`);
  if (f) r.claim(f, `services.${spec.app}.database.type`);
  r.difference(`the database is the host's ${kind === 'postgres' ? 'PostgreSQL' : 'MariaDB'} now (database and user \`${spec.app}\`, over the socket, no password), not the container ${hostName(host ?? 'db')}`);
  databaseSteps(r, { kind, container: hostName(host ?? 'db'), database: spec.app, user: spec.app, units: [`${spec.app}.service`] });
}

/** The secrets of the old app.ini, copied to where the module reads them, before it would generate new ones. */
function secretsStep(r: RecipeContext, spec: ForgeSpec): void {
  const state = stateDirOf(r, spec.app);
  const custom = `${state}/custom/conf`;
  const pairs = 'SECRET_KEY:secret_key INTERNAL_TOKEN:internal_token JWT_SECRET:oauth2_jwt_secret LFS_JWT_SECRET:lfs_jwt_secret';
  r.step(
    'Keep the secrets of the old app.ini',
    `The module reads SECRET_KEY, INTERNAL_TOKEN and the JWT secrets from files in ${custom} and makes new ones when they are missing, which would end every session and break 2FA and tokens. Copy them from the old app.ini before the first start: \`mkdir -p ${custom} && for k in ${pairs}; do sed -n "s/^\${k%%:*} *= *//p" ${state}/gitea/conf/app.ini | head -n 1 > ${custom}/\${k#*:}; done && chmod 600 ${custom}/*\`. Then compare the rest of that app.ini (mailer, service, OAuth) with services.${spec.app}.settings: the module writes app.ini from its settings alone.`,
  );
}
