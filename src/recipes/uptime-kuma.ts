import { boundAddress, tagOf, tagVersion } from './container-facts.ts';
import type { ModuleRecipe, RecipeContext } from './types.ts';

/**
 * Uptime Kuma. nixpkgs: nixos/modules/services/monitoring/uptime-kuma.nix:
 * settings (freeform attrsOf str, the unit's environment) with
 * DATA_DIR "/var/lib/uptime-kuma/", HOST (mkDefault "127.0.0.1"), PORT
 * (mkDefault "3001"), NODE_ENV and UPTIME_KUMA_DB_TYPE "sqlite";
 * appriseSupport (apprise on the unit's PATH). No user, dataDir, port or
 * openFirewall option: the unit has DynamicUser=true and
 * StateDirectory=uptime-kuma (so the data is in /var/lib/private/uptime-kuma),
 * Restart=on-failure. The package is Uptime Kuma 2.4.0
 * (pkgs/by-name/up/uptime-kuma/package.nix).
 *
 * The image (louislam/uptime-kuma) listens on 3001 with its data (kuma.db,
 * uploads, screenshots) in /app/data, and ships apprise.
 */

const NIXPKGS_MAJOR = 2;

export const uptimeKuma: ModuleRecipe = {
  kind: 'module',
  app: 'uptime-kuma',
  title: 'Uptime Kuma monitoring',
  images: ['louislam/uptime-kuma'],
  module: 'services.uptime-kuma',
  unit: { name: 'uptime-kuma', sets: { Restart: { value: 'on-failure', priority: 'plain' } } },
  ports: [{ container: 3001, what: 'web UI', port: 3001 }],
  volumes: [{ target: '/app/data', holds: 'kuma.db (monitors, users, history), uploads and screenshots', defaultDir: '/var/lib/private/uptime-kuma' }],
  environment: [
    { name: /^(UPTIME_KUMA_)?(PORT|HOST)$/, drop: 'the published port sets settings.PORT and settings.HOST' },
    { name: /^(UPTIME_KUMA_)?DATA_DIR$/, drop: 'the module keeps the data in /var/lib/uptime-kuma' },
    { name: /^(UPTIME_KUMA_|NODE_)/, option: 'settings.*' },
  ],
  health: { path: '/', port: 3001 },
  steps: [
    { title: 'Make the directory of DynamicUser state', detail: '`install -d -m 0700 /var/lib/private` (systemd keeps the state of units with DynamicUser=true below it).', phase: 'running' },
    { title: 'Leave the ownership to systemd', detail: 'The unit runs as a dynamic user: systemd gives /var/lib/private/uptime-kuma to it when the service starts, so no chown is needed.' },
  ],
  differences: [
    'runs as a dynamic user (DynamicUser=true) with the data in /var/lib/private/uptime-kuma; the module has no option for another place',
    'Docker container monitors need the Docker socket, which neither exists nor is readable by the service natively',
  ],
  extra: configure,
};

function configure(r: RecipeContext): void {
  r.set('appriseSupport', true, 'The image shipped apprise for notifications.');
  version(r);
  listen(r);
}

/** nixpkgs has Uptime Kuma 2: a 1.x database is migrated at the first start; a newer one may not open. */
function version(r: RecipeContext): void {
  const version = tagVersion(r.input)[0];
  if (version !== undefined && version < NIXPKGS_MAJOR) {
    r.difference(`the image was Uptime Kuma ${tagOf(r.input)}; nixpkgs has 2.x, which migrates kuma.db at its first start (this can take long with a big history): keep a copy of kuma.db`);
  } else if (version !== undefined && version > NIXPKGS_MAJOR) {
    r.report('error', 'uptime-kuma/newer', `${r.service}: the image was Uptime Kuma ${tagOf(r.input)}, newer than the 2.x of nixpkgs; its kuma.db may not open with an older version`, undefined, 'keep the container (--strategy NAME=oci) until nixpkgs has this version');
  }
}

/** PORT and HOST are strings in settings (the unit's environment), so the table's port option cannot set them. */
function listen(r: RecipeContext): void {
  if (r.input.network === 'host') {
    r.set('settings.HOST', '0.0.0.0', 'The container ran on the host network: reachable on every address, as before.');
    return;
  }
  for (const p of r.input.ports) {
    if (p.containerPort.from !== 3001 || p.protocol !== 'tcp' || !p.hostPort || p.hostPort.from !== p.hostPort.to) continue;
    const address = boundAddress(p.hostIp) ?? '0.0.0.0';
    r.set('settings.HOST', address, boundAddress(p.hostIp) ? `The old container was bound to ${address}.` : 'Published on every address of the old host.');
    if (p.hostPort.from !== 3001) r.set('settings.PORT', String(p.hostPort.from), `Published as ${p.raw} on the old host.`);
    r.claim(p.flag, 'services.uptime-kuma.settings.PORT', 'the web UI');
    return;
  }
}
