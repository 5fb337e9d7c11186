import { hotio, linuxserver } from './images.ts';
import type { EnvRule, ModuleRecipe, RecipeContext } from './types.ts';

/**
 * What the Servarr apps (Sonarr, Radarr, Lidarr, Prowlarr) share.
 * nixpkgs: nixos/modules/services/misc/servarr/<app>.nix and
 * settings-options.nix: `settings` is freeform INI whose keys become
 * `<APP>__<SECTION>__<KEY>` variables of the unit (declared:
 * server.port, log.analyticsEnabled, update.mechanism "external",
 * update.automatically false); `environmentFiles` (listOf path) for
 * secrets; openFirewall opens settings.server.port; the unit runs
 * `<App> -nobrowser -data=<dataDir>` with Restart=on-failure.
 *
 * The images: linuxserver runs `<App> -nobrowser -data=/config`
 * (root/etc/s6-overlay/s6-rc.d/svc-<app>/run), hotio `--data=${CONFIG_DIR}`
 * with CONFIG_DIR=/config: /config holds what dataDir holds (the database,
 * config.xml with the API key, Backups/, MediaCover/). The root folders
 * and download paths live in the app's database.
 */

export interface ServarrSpec {
  readonly app: string;
  readonly title: string;
  /** `Sonarr`: the variables' prefix is its upper case. */
  readonly name: string;
  readonly port: number;
  /** The module's default dataDir: a named volume's data is copied there. */
  readonly dataDir: string;
  /** Where that is on disk, when it differs (DynamicUser: /var/lib/private/<app>). */
  readonly stateDir?: string;
  /** Static user and group of the module (absent: DynamicUser, Prowlarr). */
  readonly user?: string;
  /** The module's unit has ProtectHome=true: nothing under /home is visible to the app. */
  readonly protectHome?: boolean;
  readonly differences: readonly string[];
  readonly reconfigure: readonly string[];
}

export function servarrRecipe(spec: ServarrSpec): ModuleRecipe {
  const prefix = spec.name.toUpperCase();
  const environment: EnvRule[] = [
    { name: `${prefix}__SERVER__PORT`, drop: 'the port is settings.server.port, set from the published port' },
    { name: `${prefix}__LOG__ANALYTICSENABLED`, option: 'settings.log.analyticsEnabled', value: (text) => text.toLowerCase() === 'true' },
    { name: `${prefix}__UPDATE__AUTOMATICALLY`, option: 'settings.update.automatically', value: (text) => text.toLowerCase() === 'true' },
    { name: `${prefix}__UPDATE__MECHANISM`, option: 'settings.update.mechanism', value: (text) => (text === 'builtIn' || text === 'script' ? text : 'external') },
  ];
  return {
    kind: 'module',
    app: spec.app,
    title: spec.title,
    images: [...linuxserver(spec.app), ...hotio(spec.app)],
    module: `services.${spec.app}`,
    unit: { name: spec.app, sets: { Restart: { value: 'on-failure', priority: 'plain' } } },
    ...(spec.user ? { user: { user: spec.user, group: spec.user } } : {}),
    ports: [
      {
        container: spec.port,
        what: 'web UI and API',
        option: 'settings.server.port',
        port: spec.port,
        // config.xml's BindAddress ("*" by default), as the SERVER__BINDADDRESS variable.
        address: { option: 'settings.server.bindaddress', default: '*', any: '*' },
      },
    ],
    firewall: { option: 'openFirewall', tcp: [{ option: 'settings.server.port', default: spec.port }], udp: [] },
    volumes: [
      {
        target: '/config',
        holds: `${spec.title}'s database, config.xml (with the API key) and Backups/${spec.app === 'prowlarr' ? '' : ', MediaCover/'}`,
        set: { dataDir: (source) => source },
        defaultDir: spec.stateDir ?? spec.dataDir,
      },
    ],
    mediaVolumes: true,
    environment,
    health: { path: '/ping', port: spec.port },
    differences: [
      ...spec.differences,
      `updates come with nixpkgs: settings.update.mechanism is "external", so ${spec.title} does not update itself`,
      `${prefix}__* variables the container had reach the app as before, through the unit's environment`,
    ],
    reconfigure: [
      `Settings → Media Management: the root folders name the container paths; check them (see the media-paths warning)`,
      `Settings → Download Clients: the clients' addresses were container names on a Docker network; use the host's address (or localhost) now, and check the remote path mappings`,
      ...spec.reconfigure,
    ],
    ...(spec.protectHome ? { extra: homeVolumes(spec.app) } : {}),
  };
}

/** ProtectHome=true hides /home from the unit: a volume from there would be empty natively. */
function homeVolumes(unit: string): (r: RecipeContext) => void {
  return (r) => {
  const home = r.input.volumes.filter((v) => v.kind === 'bind' && v.source !== undefined && (v.source === '/home' || v.source.startsWith('/home/') || v.source === '/root' || v.source.startsWith('/root/')));
  for (const v of home) {
    r.report(
      'warning',
      'native/protect-home',
      `${r.service}: ${v.source} is under /home or /root, which ${unit}.service cannot see (the module sets ProtectHome=true)`,
      v.flag.item.origin,
      `move the data out of /home, or set systemd.services.${unit}.serviceConfig.ProtectHome = lib.mkForce false`,
    );
  }
  };
}
