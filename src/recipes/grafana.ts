import type { ModuleRecipe, RecipeContext } from './types.ts';
import { keptOr } from './container-facts.ts';

/**
 * Grafana. nixpkgs: nixos/modules/services/monitoring/grafana.nix:
 * dataDir "/var/lib/grafana" (the home of the `grafana` user, created
 * with it; `-homepath`), settings (grafana.ini as Nix) with
 * server.http_addr "127.0.0.1" (not upstream's every address),
 * server.http_port 3000, database.path dataDir/data/grafana.db,
 * paths.plugins dataDir/plugins, security.secret_key without a default
 * (an assertion demands one since 26.05: the old default was
 * "SW2YcwTIb9zpOOhoPsMm"), openFirewall (http_port). The unit runs as
 * `grafana` with Restart=on-failure and UMask 0027.
 *
 * The image (grafana/grafana, grafana-oss, grafana-enterprise) keeps
 * GF_PATHS_DATA=/var/lib/grafana: grafana.db and plugins/ directly in it.
 * Grafana reads GF_<SECTION>_<KEY> variables over its configuration file
 * natively, so the container's variables keep working in the unit's
 * environment (secrets in an environment file outside the store).
 */

/** Grafana's own default secret key (conf/defaults.ini), which encrypted the data source secrets of a container that set none. */
const GRAFANA_DEFAULT_KEY = 'SW2YcwTIb9zpOOhoPsMm';

export const grafana: ModuleRecipe = {
  kind: 'module',
  app: 'grafana',
  title: 'Grafana',
  images: ['grafana/grafana', 'grafana/grafana-oss', 'grafana/grafana-enterprise'],
  module: 'services.grafana',
  unit: { name: 'grafana', sets: { Restart: { value: 'on-failure', priority: 'plain' } } },
  user: { user: 'grafana', group: 'grafana' },
  ports: [{ container: 3000, what: 'web UI and API', option: 'settings.server.http_port', port: 3000, address: { option: 'settings.server.http_addr', default: '127.0.0.1', any: '0.0.0.0' } }],
  firewall: { option: 'openFirewall', tcp: [{ option: 'settings.server.http_port', default: 3000 }], udp: [] },
  volumes: [
    {
      target: '/var/lib/grafana',
      holds: 'the database (grafana.db), installed plugins (plugins/) and rendered images',
      // A named volume's data moves to the module's default dataDir, in the image's layout.
      set: { dataDir: keptOr('/var/lib/grafana'), 'settings.database.path': (source) => `${keptOr('/var/lib/grafana')(source)}/grafana.db` },
      at: keptOr('/var/lib/grafana'),
    },
    { target: '/etc/grafana/provisioning', holds: 'provisioning files (data sources, dashboards)', drop: 'provisioning is services.grafana.provision now: carry the data sources and dashboard providers there' },
    { target: '/etc/grafana/grafana.ini', holds: 'grafana.ini', drop: 'grafana.ini is services.grafana.settings now: carry the sections you changed there' },
  ],
  environment: [
    { name: /^GF_PATHS_/, drop: 'the module sets Grafana\'s paths (homepath dataDir, data, plugins, provisioning)' },
    { name: /^GF_SERVER_HTTP_(PORT|ADDR)$/, drop: 'set from the published port (settings.server.http_port, http_addr)' },
    { name: 'GF_SERVER_ROOT_URL', option: 'settings.server.root_url' },
    { name: 'GF_SERVER_DOMAIN', option: 'settings.server.domain' },
    { name: /^GF_INSTALL_PLUGINS$|^GF_PLUGINS_PREINSTALL$/, drop: 'the image installed these plugins at start; the ones in plugins/ moved with the data, and services.grafana.declarativePlugins can pin them (pkgs.grafanaPlugins)' },
  ],
  health: { path: '/api/health', port: 3000 },
  differences: [
    'runs as the system user `grafana` (static uid) instead of the image\'s uid 472; the data directory must belong to it',
    'the module listens on 127.0.0.1 unless told otherwise: the published address was carried into settings.server.http_addr',
    'GF_* variables of the container reach Grafana through the unit\'s environment, as before; they override services.grafana.settings',
  ],
  reconfigure: ['Connections → Data sources: addresses of other containers (prometheus:9090) must be the host\'s address (localhost:9090) now'],
  extra: secretKey,
};

/**
 * The assertion wants settings.security.secret_key. The container's key
 * (a GF_SECURITY_SECRET_KEY secret, in the environment file) is read
 * through Grafana's env provider; without one, Grafana used its built-in
 * default, which encrypted the stored data source secrets: keep it, as the
 * module's assertion advises, and rotate later.
 */
function secretKey(r: RecipeContext): void {
  if (r.input.environment.get('GF_SECURITY_SECRET_KEY')) {
    r.set('settings.security.secret_key', '$__env{GF_SECURITY_SECRET_KEY}', 'The container\'s key, from the environment file (secrets stay out of the store).');
    return;
  }
  r.set('settings.security.secret_key', GRAFANA_DEFAULT_KEY, 'Grafana\'s former built-in default: the container used it, and the data source secrets in grafana.db are encrypted with it.');
  r.report(
    'warning',
    'grafana/default-secret-key',
    `${r.service}: the container ran with Grafana's built-in secret key, which encrypts the stored data source passwords; the module needs an explicit key, so the same (public) one is kept`,
    undefined,
    'rotate it later (see the NixOS 26.05 release notes and Grafana\'s re-encrypt-secrets guide) and read the new key from a file: settings.security.secret_key = "$__file{/run/secrets/grafana-key}"',
  );
}
