import { pkg } from '../nix/ast.ts';
import { databaseSteps, hostName } from './database-move.ts';
import { linuxserver, LINUXSERVER_PREFIXES } from './images.ts';
import type { ModuleRecipe, RecipeContext } from './types.ts';
import { keptOr } from './container-facts.ts';

/**
 * Nextcloud. nixpkgs: nixos/modules/services/web-apps/nextcloud.nix:
 * hostName (required; the nginx virtual host and trusted_domains[0]),
 * package (nextcloud32/33/34; the default follows stateVersion: 33 for
 * 26.05), home "/var/lib/nextcloud" (store-apps/ for app-store apps),
 * datadir = home (datadir/config holds config.php, datadir/data the
 * files), config.dbtype (required: sqlite, pgsql, mysql),
 * database.createLocally (a local PostgreSQL/MariaDB, socket auth),
 * config.adminuser / adminpassFile (only for the first install; both
 * null skips the admin user, from Nextcloud 32), settings (freeform
 * config.php, merged over the file by an override.config.php), secrets
 * (config.php keys read from files, e.g. mail_smtppassword),
 * maxUploadSize "512M", configureRedis true (a Redis on a unix socket).
 * It serves through services.nginx (port 80 unless the virtual host says
 * otherwise) and PHP-FPM (phpfpm-nextcloud.service, Restart=always);
 * nextcloud-setup.service installs or upgrades, nextcloud-cron runs the
 * background jobs.
 *
 * The official image (apache: port 80; fpm: FastCGI on 9000) keeps code,
 * config/, data/, custom_apps/ and themes/ in /var/www/html;
 * linuxserver's keeps config.php in /config/www/nextcloud/config and the
 * files in /data (its datadirectory), serving HTTPS on 443.
 */

const HOME = '/var/lib/nextcloud';
/** Docker Hub's official image (library/nextcloud), as volume rules' image prefixes. */
const OFFICIAL = ['library/nextcloud'];
/** The majors nixpkgs packages at 26.05 (the module's relatedPackages). */
const PACKAGED = [32, 33, 34];

export const nextcloud: ModuleRecipe = {
  kind: 'module',
  app: 'nextcloud',
  title: 'Nextcloud',
  images: ['nextcloud', ...linuxserver('nextcloud')],
  module: 'services.nextcloud',
  unit: { name: 'phpfpm-nextcloud', sets: { Restart: { value: 'always', priority: 'plain' } }, others: ['nginx', 'nextcloud-setup', 'nextcloud-cron', 'redis-nextcloud'] },
  user: { user: 'nextcloud', group: 'nextcloud' },
  // The instance exists: no admin user is created (Nextcloud ≥ 32).
  fixed: { 'config.adminuser': null, 'config.adminpassFile': null },
  ports: [
    { container: 80, what: 'web UI, WebDAV and API (the module\'s nginx)', port: 80 },
    { container: 443, what: 'HTTPS (linuxserver\'s self-signed certificate)', port: 443 },
    { container: 9000, what: 'FastCGI (the fpm image)', port: 9000 },
  ],
  volumes: [
    { target: '/var/www/html/data', images: OFFICIAL, holds: 'the users\' files (and the SQLite database, if used)', set: { 'settings.datadirectory': (source) => source } },
    { target: '/var/www/html/custom_apps', images: OFFICIAL, holds: 'apps installed from the app store', defaultDir: `${HOME}/store-apps` },
    {
      target: '/var/www/html',
      images: OFFICIAL,
      holds: 'config/config.php, data/ (the users\' files), custom_apps/ and themes/, with the image\'s code',
      set: { datadir: keptOr(HOME) },
    },
    {
      target: '/config',
      images: [...LINUXSERVER_PREFIXES],
      holds: 'www/nextcloud/config (config.php), www/nextcloud/apps and themes, and the image\'s nginx/PHP settings',
      defaultDir: HOME,
      moves: [{ from: 'www/nextcloud/config', to: '.' }],
    },
    { target: '/data', images: [...LINUXSERVER_PREFIXES], holds: 'the users\' files (datadirectory)', set: { 'settings.datadirectory': (source) => source } },
  ],
  environment: [
    { name: /^NEXTCLOUD_ADMIN_(USER|PASSWORD)$/, drop: 'used only by the first install; the instance exists (config.adminuser and adminpassFile are null)' },
    { name: /^(MYSQL|POSTGRES)_(PASSWORD|USER|DATABASE|DB|HOST)$/, drop: 'the module\'s own database (database.createLocally), reached over its socket without a password' },
    { name: /^(SQLITE_DATABASE|NEXTCLOUD_TABLE_PREFIX)$/, drop: 'config.php keeps the database settings of the install' },
    { name: /^REDIS_HOST(_PORT|_PASSWORD)?$/, drop: 'the module runs its own Redis on a unix socket (configureRedis)' },
    { name: /^(NEXTCLOUD_TRUSTED_DOMAINS|TRUSTED_PROXIES)$/, drop: 'carried into hostName and settings.trusted_domains / trusted_proxies' },
    { name: 'OVERWRITEPROTOCOL', option: 'settings.overwriteprotocol' },
    { name: 'OVERWRITEHOST', option: 'settings.overwritehost' },
    { name: 'OVERWRITECLIURL', option: 'settings."overwrite.cli.url"' },
    { name: 'OVERWRITEWEBROOT', option: 'settings.overwritewebroot' },
    { name: 'PHP_UPLOAD_LIMIT', option: 'maxUploadSize' },
    { name: 'PHP_MEMORY_LIMIT', drop: 'the module sets PHP\'s memory_limit to maxUploadSize (phpOptions.memory_limit overrides it)' },
    { name: 'SMTP_HOST', option: 'settings.mail_smtphost' },
    { name: 'SMTP_PORT', option: 'settings.mail_smtpport', value: Number },
    { name: 'SMTP_SECURE', option: 'settings.mail_smtpsecure', value: (text) => (text === 'ssl' ? 'ssl' : '') },
    { name: 'SMTP_AUTHTYPE', option: 'settings.mail_smtpauthtype' },
    { name: 'SMTP_NAME', option: 'settings.mail_smtpname' },
    { name: 'SMTP_PASSWORD', option: 'secrets.mail_smtppassword', file: true },
    { name: 'MAIL_FROM_ADDRESS', option: 'settings.mail_from_address' },
    { name: 'MAIL_DOMAIN', option: 'settings.mail_domain' },
    { name: /^(APACHE_.*|NEXTCLOUD_UPDATE|NEXTCLOUD_INIT_HTACCESS)$/, drop: 'machinery of the image\'s Apache and entrypoint' },
    { name: 'NEXTCLOUD_DATA_DIR', drop: 'the data directory is settings.datadirectory, set from the volume' },
  ],
  health: { path: '/status.php', port: 80 },
  steps: [
    {
      title: 'Let NixOS take over config.php',
      phase: 'switched',
      detail:
        'nextcloud-setup.service links an override.config.php next to config.php (database, paths, Redis, trusted domains from NixOS win) and runs `occ upgrade` if needed. Then: `nextcloud-occ maintenance:repair`, `nextcloud-occ status`, and `nextcloud-occ app:list` to see which app-store apps came along (reinstall any that are missing: they live in /var/lib/nextcloud/store-apps now).',
    },
  ],
  differences: [
    'served by nginx and PHP-FPM (phpfpm-nextcloud.service) instead of Apache; background jobs run from nextcloud-cron.timer',
    'runs as the system user `nextcloud`; the data directory must belong to it',
    'NixOS manages part of config.php through override.config.php: edit those values in services.nextcloud.settings, not in the web UI',
    'the Nextcloud major version must match the container\'s (or be one newer): Nextcloud skips no major and never downgrades',
  ],
  reconfigure: ['Administration settings → Basic settings → Background jobs: choose Cron (nextcloud-cron.timer runs cron.php)', 'Check Administration settings → Overview for warnings after the move'],
  extra: nextcloudExtra,
};

function nextcloudExtra(r: RecipeContext): void {
  const env = r.input.environment;
  hostNames(r);
  packageOf(r);
  listen(r);
  const mysql = env.get('MYSQL_HOST');
  const postgres = env.get('POSTGRES_HOST');
  if (postgres !== undefined || mysql !== undefined) {
    const kind = postgres !== undefined ? 'postgres' : 'mysql';
    r.set('config.dbtype', kind === 'postgres' ? 'pgsql' : 'mysql', `${kind === 'postgres' ? 'POSTGRES_HOST' : 'MYSQL_HOST'} was set on the old host.`);
    r.set('database.createLocally', true, 'The database moves into a local one, reached over its socket.');
    r.difference(`the database is the host's ${kind === 'postgres' ? 'PostgreSQL' : 'MariaDB'} now (database and user \`nextcloud\`, socket authentication), not the container ${hostName(postgres ?? mysql ?? 'db')}`);
    databaseSteps(r, {
      kind,
      container: hostName(postgres ?? mysql ?? 'db'),
      database: 'nextcloud',
      user: 'nextcloud',
      units: ['phpfpm-nextcloud.service', 'nextcloud-setup.service'],
      after: 'nextcloud-occ config:system:delete dbpassword',
    });
  } else {
    r.set('config.dbtype', 'sqlite', 'No database container was named: the image\'s SQLite database, in the data directory.');
    r.report('info', 'nextcloud/dbtype', `${r.service}: no MYSQL_HOST or POSTGRES_HOST: config.dbtype is set to sqlite; check \`dbtype\` in the old config.php`, undefined, 'set services.nextcloud.config.dbtype to what config.php says');
  }
  if (env.get('SMTP_NAME')) r.set('settings.mail_smtpauth', true, 'SMTP_NAME was set: the image turned SMTP authentication on.');
  if (env.get('SMTP_HOST')) r.set('settings.mail_smtpmode', 'smtp');
  const apps = r.input.volumes.find((v) => v.target === '/var/www/html' && v.source !== undefined);
  if (apps?.source !== undefined && !r.input.volumes.some((v) => v.target === '/var/www/html/custom_apps')) {
    r.step('Move the app-store apps', `The image kept them in ${apps.source}/custom_apps; the module serves them from ${HOME}/store-apps: \`mkdir -p ${HOME} && cp -a ${apps.source}/custom_apps ${HOME}/store-apps\`.`);
  }
}

/** hostName is the first trusted domain; the others stay trusted. */
function hostNames(r: RecipeContext): void {
  const env = r.input.environment;
  const domains = (env.get('NEXTCLOUD_TRUSTED_DOMAINS') ?? '').split(/[\s,]+/).filter((d) => d !== '');
  const host = domains[0] ?? env.get('OVERWRITEHOST') ?? r.input.name;
  r.set('hostName', host, domains.length > 0 ? 'The first of NEXTCLOUD_TRUSTED_DOMAINS.' : undefined);
  if (domains.length > 1) r.set('settings.trusted_domains', domains.slice(1));
  const proxies = (env.get('TRUSTED_PROXIES') ?? '').split(/[\s,]+/).filter((d) => d !== '');
  if (proxies.length > 0) r.set('settings.trusted_proxies', proxies);
  if (domains.length === 0) {
    r.report('warning', 'nextcloud/host-name', `${r.service}: no NEXTCLOUD_TRUSTED_DOMAINS: hostName is "${host}" (the container's name), and NixOS puts it first in trusted_domains`, undefined, 'set services.nextcloud.hostName to the name clients use, and the other names of config.php\'s trusted_domains in settings.trusted_domains');
  }
}

/** The package of the container's major (`nextcloud:32-apache`); nixpkgs has 32 to 34. */
function packageOf(r: RecipeContext): void {
  const tag = (r.input.base ?? r.input.reference)?.tag ?? 'latest';
  const major = /^(\d+)/.exec(tag)?.[1];
  if (major === undefined) {
    r.report('warning', 'nextcloud/version', `${r.service}: the image tag \`${tag}\` names no Nextcloud version; the module picks nextcloud33 for stateVersion 26.05`, undefined, 'check the version in config.php (`version`) and set services.nextcloud.package to the same major (pkgs.nextcloud32, 33 or 34), or the next one');
    return;
  }
  const n = Number(major);
  if (PACKAGED.includes(n)) {
    r.setExpr('package', pkg(`nextcloud${n}`), `The container ran Nextcloud ${n} (tag ${tag}): the same major.`);
  } else {
    r.report('error', 'nextcloud/version', `${r.service}: the container ran Nextcloud ${n} (tag ${tag}); nixpkgs at 26.05 packages ${PACKAGED.join(', ')}, and Nextcloud upgrades one major at a time`, undefined, n < PACKAGED[0]! ? `upgrade the container major by major to ${PACKAGED[0]} first` : 'keep it as a container (--strategy nextcloud=oci) until nixpkgs catches up');
  }
}

/** nginx answers where the container was published (80 for the module otherwise). */
function listen(r: RecipeContext): void {
  for (const p of r.input.ports) {
    if (p.containerPort.from === 9000) {
      r.drop(p.flag, 'the fpm image\'s FastCGI port: the module\'s nginx talks to PHP-FPM over a socket, and serves HTTP itself');
      continue;
    }
    if (p.containerPort.from === 443) {
      r.unsupported(p.flag, 'HTTPS with the image\'s self-signed certificate: the module serves HTTP', 'add TLS on services.nginx.virtualHosts.<hostName> (enableACME/forceSSL, or sslCertificate), or keep a reverse proxy in front');
      continue;
    }
    if (p.containerPort.from !== 80 || !p.hostPort || p.hostPort.from !== p.hostPort.to) continue;
    const host = String(hostFromEnv(r));
    const bound = p.hostIp !== undefined && p.hostIp !== '0.0.0.0' && p.hostIp !== '::' ? p.hostIp : undefined;
    const listen = bound ? [{ addr: bound, port: p.hostPort.from }] : [{ addr: '0.0.0.0', port: p.hostPort.from }, { addr: '[::]', port: p.hostPort.from }];
    if (p.hostPort.from !== 80 || bound) {
      r.set(`services.nginx.virtualHosts.${JSON.stringify(host)}.listen`, listen, `Published as ${p.raw} on the old host.`);
    }
    r.claim(p.flag, p.hostPort.from !== 80 || bound ? `services.nginx.virtualHosts.${JSON.stringify(host)}.listen` : 'services.nextcloud.enable', 'nginx serves Nextcloud there');
  }
}

function hostFromEnv(r: RecipeContext): string {
  const domains = (r.input.environment.get('NEXTCLOUD_TRUSTED_DOMAINS') ?? '').split(/[\s,]+/).filter((d) => d !== '');
  return domains[0] ?? r.input.environment.get('OVERWRITEHOST') ?? r.input.name;
}
