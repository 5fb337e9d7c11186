import { linuxserver } from './images.ts';
import { boundAddress, isDockerVolume } from './container-facts.ts';
import type { ModuleRecipe, RecipeContext } from './types.ts';

/**
 * FreshRSS. nixpkgs: nixos/modules/services/web-apps/freshrss.nix:
 * baseUrl (no default: required), dataDir (/var/lib/freshrss, any path),
 * defaultUser ("admin"), passwordFile (required with authType "form", the
 * default), authType, database.{type (sqlite), host, port, name, user,
 * passFile, tableprefix}, extensions (packages), webserver (nginx or
 * caddy; a virtual host named by virtualHost, "freshrss", serving the
 * package's p/ through the php-fpm pool `freshrss`). freshrss-config.service
 * runs `reconfigure.php` with those options and `update-user.php` with
 * the password file at every start, when data/config.php exists (else a
 * fresh install); freshrss-updater.service refreshes the feeds every five
 * minutes. User `freshrss`.
 *
 * The official image (freshrss/freshrss) serves with Apache on port 80 and
 * keeps the data in /var/www/FreshRSS/data and extensions in
 * /var/www/FreshRSS/extensions; linuxserver's keeps both below
 * /config/www/freshrss (init-freshrss-config links them there).
 * FRESHRSS_INSTALL and FRESHRSS_USER hold the options of do-install.php
 * and create-user.php, which name the base URL, the database and the user.
 */

export const freshrss: ModuleRecipe = {
  kind: 'module',
  app: 'freshrss',
  title: 'FreshRSS feed reader',
  images: ['freshrss/freshrss', ...linuxserver('freshrss')],
  module: 'services.freshrss',
  // The php-fpm pool's unit (services/web-servers/phpfpm/default.nix: Restart=always).
  unit: { name: 'phpfpm-freshrss', sets: { Restart: { value: 'always', priority: 'plain' } }, others: ['freshrss-config', 'freshrss-updater', 'nginx'] },
  user: { user: 'freshrss', group: 'freshrss' },
  ports: [{ container: 80, what: 'web UI and API (nginx and php-fpm natively)', port: 80 }],
  volumes: [
    {
      target: '/var/www/FreshRSS/data',
      holds: 'config.php, the users (data/users/<name>/: settings, SQLite databases) and the caches',
      set: { dataDir: (source) => (isDockerVolume(source) ? '/var/lib/freshrss' : source) },
    },
    { target: '/var/www/FreshRSS/extensions', holds: 'third-party extensions', drop: 'extensions are packages natively: services.freshrss.extensions (pkgs.freshrss-extensions)' },
  ],
  environment: [
    { name: 'CRON_MIN', drop: 'freshrss-updater.service refreshes the feeds every five minutes' },
    { name: /^(LISTEN|FRESHRSS_ENV|SERVER_DNS|OIDC_ENABLED)$/, drop: 'settings of the image\'s Apache' },
  ],
  health: { path: '/', port: 80 },
  steps: [
    {
      title: 'Check the database settings before the switch',
      detail: "freshrss-config.service reconfigures FreshRSS with services.freshrss.database.* at every start: if data/config.php says another `'type'` than sqlite under `'db'`, set services.freshrss.database to match first.",
      phase: 'running',
    },
  ],
  differences: [
    'nginx and php-fpm serve FreshRSS natively (Apache did in the image), as the virtual host `freshrss`',
    'the module writes baseUrl, the database settings and the default user\'s password into FreshRSS at every start: they follow services.freshrss, not the web UI',
    'extensions are packages (services.freshrss.extensions), not files in a volume',
  ],
  extra: configure,
};

/** `--base-url X --db-type pgsql ...`: the options of FreshRSS's install and user scripts. */
function options(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (text === undefined) return out;
  const words = text.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('--')) continue;
    const next = words[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      out.set(w.slice(2), next.replace(/^(["'])(.*)\1$/, '$2'));
      i++;
    } else {
      out.set(w.slice(2), 'true');
    }
  }
  return out;
}

function configure(r: RecipeContext): void {
  linuxserverConfig(r);
  const install = options(r.input.environment.get('FRESHRSS_INSTALL'));
  const user = options(r.input.environment.get('FRESHRSS_USER'));
  const installFlag = r.envFlag('FRESHRSS_INSTALL');
  const userFlag = r.envFlag('FRESHRSS_USER');
  const flags = [installFlag, userFlag].filter((f) => f !== undefined);

  const port = virtualHost(r);
  const baseUrl = install.get('base-url');
  if (baseUrl !== undefined) {
    r.set('baseUrl', baseUrl, 'FRESHRSS_INSTALL --base-url of the old container.');
  } else {
    r.set('baseUrl', `http://localhost${port === 80 ? '' : `:${port}`}`, 'A placeholder: set the address clients use.');
    r.report('warning', 'freshrss/base-url', `${r.service}: the base URL is FreshRSS's own setting (data/config.php); services.freshrss.baseUrl is set to a placeholder, which the module writes into FreshRSS at every start`, undefined, 'set services.freshrss.baseUrl to the URL clients open');
  }
  const name = user.get('user') ?? install.get('default-user');
  if (name !== undefined) r.set('defaultUser', name, 'The user the old container created (FRESHRSS_USER --user).');
  else r.reconfigure('Set services.freshrss.defaultUser to your FreshRSS user (a folder in data/users/): the module sets that user\'s password from passwordFile at every start');

  const auth = install.get('auth-type');
  if (auth !== undefined) r.set('authType', auth, 'FRESHRSS_INSTALL --auth-type of the old container.');
  if ((auth ?? 'form') === 'form') {
    const password = user.get('password');
    r.secretFile({
      name: 'password',
      ...(password !== undefined ? { content: password } : {}),
      purpose: `the FreshRSS password of ${name ?? 'the default user'}`,
      option: 'passwordFile',
      flags: password !== undefined && userFlag ? [userFlag] : [],
    });
    if (password === undefined) {
      r.step('Write the FreshRSS password', `Put the current password of ${name ?? 'the default user'} into services.freshrss.passwordFile before the switch: freshrss-config.service sets that user's password from it at every start.`, 'running');
    }
  }
  databaseOptions(r, install);
  for (const flag of flags) r.claim(flag, 'services.freshrss', 'its options are the module\'s now (baseUrl, database, defaultUser, passwordFile)');
}

function databaseOptions(r: RecipeContext, install: Map<string, string>): void {
  const type = install.get('db-type');
  if (type === undefined || type === 'sqlite') return;
  r.set('database.type', type, 'FRESHRSS_INSTALL --db-type of the old container.');
  const host = install.get('db-host');
  if (host !== undefined) {
    r.set('database.host', host, 'FRESHRSS_INSTALL --db-host of the old container.');
    r.report('warning', 'freshrss/database', `${r.service}: the database host \`${host}\` is what the old container reached; a container name does not resolve on the host`, undefined, 'point services.freshrss.database.host at the host that runs the database (localhost, or /run/postgresql for a native PostgreSQL)');
  }
  for (const [option, key] of [['name', 'db-base'], ['user', 'db-user'], ['tableprefix', 'db-prefix']] as const) {
    const value = install.get(key);
    if (value !== undefined) r.set(`database.${option}`, value, `FRESHRSS_INSTALL --${key} of the old container.`);
  }
  const password = install.get('db-password');
  const flag = r.envFlag('FRESHRSS_INSTALL');
  if (password !== undefined) r.secretFile({ name: 'db-password', content: password, purpose: `the database password of ${r.service}`, option: 'database.passFile', flags: flag ? [flag] : [] });
}

/**
 * linuxserver's /config: the data is its www/freshrss/data (the rest is
 * the image's nginx and PHP setup), which stays where it is.
 */
function linuxserverConfig(r: RecipeContext): void {
  const image = (r.input.base ?? r.input.reference)?.name ?? '';
  const v = r.input.volumes.find((x) => x.target === '/config');
  if (!v || !/linuxserver\/freshrss$/.test(image) || v.source === undefined) return;
  const data = `${v.source.replace(/\/+$/, '')}/www/freshrss/data`;
  const dataDir = isDockerVolume(v.source) ? '/var/lib/freshrss' : data;
  r.set('dataDir', dataDir, `${v.target} of the old container (${v.raw}): its www/freshrss/data holds config.php and the users.`);
  r.claim(v.flag, 'services.freshrss.dataDir', 'www/freshrss/data; the rest of /config was the image\'s web server setup');
  if (dataDir === data) r.step(`Keep ${data}`, 'It holds config.php and the users (data/users/<name>/); the module uses it where it is. The rest of the old /config (nginx, php, logs) is not needed.');
  else r.step(`Copy www/freshrss/data of the old container to ${dataDir}`, `It holds config.php and the users. \`rsync -aHAX ${data}/ ${dataDir}/\` (Docker's volume directory is on the old root disk: copy it before that disk is reinstalled).`);
  r.step('Give the data to freshrss', `\`chown -R freshrss:freshrss ${dataDir}\`, then \`systemctl restart freshrss-config phpfpm-freshrss\`: the module runs FreshRSS as the system user freshrss.`, 'switched');
}

/** The virtual host listens where the container was published: its port and address. */
function virtualHost(r: RecipeContext): number {
  const p = r.input.ports.find((x) => x.containerPort.from === 80 && x.protocol === 'tcp' && x.hostPort !== undefined && x.hostPort.from === x.hostPort.to);
  if (!p) return 80;
  const address = boundAddress(p.hostIp) ?? '0.0.0.0';
  r.set('services.nginx.virtualHosts.freshrss.listen', [{ addr: address, port: p.hostPort!.from }], `Published as ${p.raw} on the old host.`);
  r.claim(p.flag, 'services.nginx.virtualHosts.freshrss.listen', 'nginx serves FreshRSS on the published port');
  return p.hostPort!.from;
}
