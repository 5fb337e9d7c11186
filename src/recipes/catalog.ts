/**
 * Every NixOS option stage 3 writes, with its type and default as the
 * nixpkgs source declares them, and where that was read. The catalog is
 * pinned to the release the flake pins (26.05): nixos-26.05 itself could
 * not be fetched (the nixpkgs mirror is too large for the tools here), so
 * the module files were read in forks that track master during the 26.05
 * cycle (see docs/nixos-facts.md, "What was read"). A test converts every
 * fixture at stage 3 and fails when a definition's path is not here or its
 * value does not have the type (test/recipes/catalog.test.ts);
 * docs/option-catalog.md is generated from this table.
 *
 * Paths use `<name>` for any one attribute (a unit, a share, a variable).
 */

export const CATALOG_RELEASE = '26.05';

export interface CatalogSource {
  readonly repo: string;
  readonly commit: string;
  readonly why: string;
}

export const CATALOG_SOURCES = {
  S: { repo: 'Swarsel/nixpkgs', commit: '4aa6836a648ca76c68866decf0c8965e36ec2a3b', why: 'nixpkgs master during the 26.05 cycle (its users-groups.nix cites the 26.05 release notes)' },
  J: { repo: 'jonasc-ant/nixpkgs', commit: 'b699b3608bd4facf984d9ba7f040608bedfa46b6', why: 'nixos/lib/systemd-unit-options.nix of 2026; the same unitOption merge as faukah/nixpkgs @ 3b20077c' },
  N: { repo: 'NixOS/nixpkgs', commit: '31dabc8c6f4d83f6cebfdb708de58ffcc77952a1', why: 'packages (rrsync) and the writers' },
} as const satisfies Readonly<Record<string, CatalogSource>>;

export type SourceTag = keyof typeof CATALOG_SOURCES;

/**
 * Value types, as nixport checks them on the Nix it writes:
 * bool, str, lines, path (an absolute path string), port (0..65535), int,
 * nullOr int, listOf str/port/package, listOf unitName (names with a unit
 * suffix), unitOption (str, int or bool, or a list of them), ini (the same,
 * for pkgs.formats.ini), envValue (a string or a package), attrs (a set:
 * a submodule or freeform value), listOf listen (nginx `listen` entries),
 * listOf portRange (`{ from; to; }` sets of ports), anything (a YAML or JSON
 * value: pkgs.formats.yaml/json types), nullOr str / nullOr port / nullOr
 * attrs (the type or null), scalar (str, int or bool, one value), package
 * (`pkgs.x`), listOf attrs (a list of submodule values), listOf (listOf int),
 * either bool str, scalarOrList (str, int or bool, or a list of them, as
 * freeform key-value settings take them).
 */
export type OptionType =
  | 'bool'
  | 'str'
  | 'lines'
  | 'path'
  | 'port'
  | 'int'
  | 'nullOr int'
  | 'listOf str'
  | 'listOf port'
  | 'listOf package'
  | 'listOf unitName'
  | 'listOf listen'
  | 'listOf portRange'
  | 'unitOption'
  | 'ini'
  | 'envValue'
  | 'attrs'
  | 'anything'
  // Recipes group A.
  | 'nullOr str'
  | 'nullOr port'
  | 'nullOr attrs'
  | 'scalar'
  | 'package'
  // Recipes group B.
  | 'listOf attrs'
  | 'listOf (listOf int)'
  | 'either bool str'
  | 'scalarOrList';

export interface CatalogEntry {
  readonly path: string;
  readonly type: OptionType;
  /** The default as Nix text, or `none` for options without one. */
  readonly default: string;
  /** The nixpkgs file that declares it. */
  readonly file: string;
  readonly source: SourceTag;
}

const JELLYFIN = 'nixos/modules/services/misc/jellyfin.nix';
const SAMBA = 'nixos/modules/services/network-filesystems/samba.nix';
const CADDY = 'nixos/modules/services/web-servers/caddy/default.nix';
const CADDY_VHOST = 'nixos/modules/services/web-servers/caddy/vhost-options.nix';
const NGINX = 'nixos/modules/services/web-servers/nginx/default.nix';
const NGINX_VHOST = 'nixos/modules/services/web-servers/nginx/vhost-options.nix';
const EXPORTERS = 'nixos/modules/services/monitoring/prometheus/exporters.nix';
const NODE = 'nixos/modules/services/monitoring/prometheus/exporters/node.nix';
const IMMICH = 'nixos/modules/services/web-apps/immich.nix';
const UNITS = 'nixos/lib/systemd-unit-options.nix';
const USERS = 'nixos/modules/config/users-groups.nix';
const FIREWALL = 'nixos/modules/services/networking/firewall.nix';
// Recipes group B (docs/nixos-facts.md, "Recipes group B").
const NODE_RED = 'nixos/modules/services/web-apps/node-red.nix';
const NAVIDROME = 'nixos/modules/services/audio/navidrome.nix';
const AUDIOBOOKSHELF = 'nixos/modules/services/web-apps/audiobookshelf.nix';
const CALIBRE_WEB = 'nixos/modules/services/web-apps/calibre-web.nix';
const UPTIME_KUMA = 'nixos/modules/services/monitoring/uptime-kuma.nix';
const HOMEPAGE = 'nixos/modules/services/misc/homepage-dashboard.nix';
const ADGUARDHOME = 'nixos/modules/services/networking/adguardhome.nix';
const PROMETHEUS = 'nixos/modules/services/monitoring/prometheus/default.nix';
const REDIS = 'nixos/modules/services/databases/redis.nix';
const POSTGRESQL = 'nixos/modules/services/databases/postgresql.nix';
const MYSQL = 'nixos/modules/services/databases/mysql.nix';
const MOSQUITTO = 'nixos/modules/services/networking/mosquitto.nix';
const MINIFLUX = 'nixos/modules/services/web-apps/miniflux.nix';
const PAPERLESS = 'nixos/modules/services/misc/paperless.nix';
const FRESHRSS = 'nixos/modules/services/web-apps/freshrss.nix';

// Recipes group A.
const SERVARR = (app: string) => `nixos/modules/services/misc/servarr/${app}.nix`;
const SERVARR_SETTINGS = 'nixos/modules/services/misc/servarr/settings-options.nix';
const BAZARR = 'nixos/modules/services/misc/bazarr.nix';
const TRANSMISSION = 'nixos/modules/services/torrent/transmission.nix';
const QBITTORRENT = 'nixos/modules/services/torrent/qbittorrent.nix';
const SYNCTHING = 'nixos/modules/services/networking/syncthing.nix';
const HOME_ASSISTANT = 'nixos/modules/services/home-automation/home-assistant.nix';
const VAULTWARDEN = 'nixos/modules/services/security/vaultwarden/default.nix';
const FORGEJO = 'nixos/modules/services/misc/forgejo.nix';
const GITEA = 'nixos/modules/services/misc/gitea.nix';
const GRAFANA = 'nixos/modules/services/monitoring/grafana.nix';
const NEXTCLOUD = 'nixos/modules/services/web-apps/nextcloud.nix';

const e = (path: string, type: OptionType, def: string, file: string, source: SourceTag = 'S'): CatalogEntry => ({ path, type, default: def, file, source });

/** systemd unit options stage 3 writes on a module's unit (and on a script's unit, as stage 1 does). */
const UNIT_OPTIONS = (kind: 'services' | 'timers'): CatalogEntry[] => [
  e(`systemd.${kind}.<name>.description`, 'str', '""', UNITS, 'J'),
  e(`systemd.${kind}.<name>.documentation`, 'listOf str', '[ ]', UNITS, 'J'),
  ...['wantedBy', 'requiredBy', 'upheldBy', 'aliases', 'requires', 'wants', 'upholds', 'after', 'before', 'bindsTo', 'partOf', 'conflicts', 'requisite', 'onFailure', 'onSuccess'].map((o) =>
    e(`systemd.${kind}.<name>.${o}`, 'listOf unitName', '[ ]', UNITS, 'J'),
  ),
  e(`systemd.${kind}.<name>.unitConfig.<name>`, 'unitOption', '{ }', UNITS, 'J'),
  e(`systemd.${kind}.<name>.startLimitIntervalSec`, 'int', 'none', UNITS, 'J'),
  e(`systemd.${kind}.<name>.startLimitBurst`, 'int', 'none', UNITS, 'J'),
];

export const OPTION_CATALOG: readonly CatalogEntry[] = [
  // services.jellyfin
  e('services.jellyfin.enable', 'bool', 'false', JELLYFIN),
  e('services.jellyfin.dataDir', 'path', '"/var/lib/jellyfin"', JELLYFIN),
  e('services.jellyfin.configDir', 'path', '"${cfg.dataDir}/config"', JELLYFIN),
  e('services.jellyfin.cacheDir', 'path', '"/var/cache/jellyfin"', JELLYFIN),
  e('services.jellyfin.logDir', 'path', '"${cfg.dataDir}/log"', JELLYFIN),
  e('services.jellyfin.openFirewall', 'bool', 'false', JELLYFIN),

  // services.samba
  e('services.samba.enable', 'bool', 'false', SAMBA),
  e('services.samba.openFirewall', 'bool', 'false', SAMBA),
  e('services.samba.settings.<name>.<name>', 'ini', '{ global = { "invalid users" = [ "root" ]; "passwd program" = "/run/wrappers/bin/passwd %u"; security = "user"; }; }', SAMBA),
  e('services.samba.smbd.extraArgs', 'listOf str', '[ ]', SAMBA),
  e('services.samba.nmbd.enable', 'bool', 'true', SAMBA),
  e('services.samba.winbindd.enable', 'bool', 'true', SAMBA),

  // services.caddy
  e('services.caddy.enable', 'bool', 'false', CADDY),
  e('services.caddy.virtualHosts.<name>.extraConfig', 'lines', '""', CADDY_VHOST),
  e('services.caddy.virtualHosts.<name>.listenAddresses', 'listOf str', '[ ]', CADDY_VHOST),
  e('services.caddy.virtualHosts.<name>.hostName', 'str', 'name', CADDY_VHOST),

  // services.nginx
  e('services.nginx.enable', 'bool', 'false', NGINX),
  e('services.nginx.appendHttpConfig', 'lines', '""', NGINX),
  e('services.nginx.virtualHosts.<name>.root', 'path', 'null', NGINX_VHOST),
  e('services.nginx.virtualHosts.<name>.default', 'bool', 'false', NGINX_VHOST),
  e('services.nginx.virtualHosts.<name>.listen', 'listOf listen', '[ ]', NGINX_VHOST),

  // services.prometheus.exporters.node
  e('services.prometheus.exporters.node.enable', 'bool', 'false', EXPORTERS),
  e('services.prometheus.exporters.node.listenAddress', 'str', '"0.0.0.0"', EXPORTERS),
  e('services.prometheus.exporters.node.port', 'port', '9100', NODE),
  e('services.prometheus.exporters.node.openFirewall', 'bool', 'false', EXPORTERS),
  e('services.prometheus.exporters.node.extraFlags', 'listOf str', '[ ]', EXPORTERS),
  e('services.prometheus.exporters.node.enabledCollectors', 'listOf str', '[ ]', NODE),
  e('services.prometheus.exporters.node.disabledCollectors', 'listOf str', '[ ]', NODE),

  // services.immich
  e('services.immich.enable', 'bool', 'false', IMMICH),
  e('services.immich.host', 'str', '"localhost"', IMMICH),
  e('services.immich.port', 'port', '2283', IMMICH),
  e('services.immich.openFirewall', 'bool', 'false', IMMICH),
  e('services.immich.mediaLocation', 'path', '"/var/lib/immich"', IMMICH),
  e('services.immich.environment.<name>', 'str', '{ }', IMMICH),
  e('services.immich.machine-learning.enable', 'bool', 'true', IMMICH),

  // Recipes group B: services.node-red
  e('services.node-red.enable', 'bool', 'false', NODE_RED),
  e('services.node-red.port', 'port', '1880', NODE_RED),
  e('services.node-red.openFirewall', 'bool', 'false', NODE_RED),
  e('services.node-red.userDir', 'path', '"/var/lib/node-red"', NODE_RED),
  e('services.node-red.configFile', 'path', '"${cfg.package}/lib/node_modules/node-red/packages/node_modules/node-red/settings.js"', NODE_RED),
  e('services.node-red.define.<name>', 'str', '{ }', NODE_RED),
  e('services.node-red.safe', 'bool', 'false', NODE_RED),
  e('services.node-red.withNpmAndGcc', 'bool', 'false', NODE_RED),

  // services.navidrome (settings: freeform JSON with typed Address and Port)
  e('services.navidrome.enable', 'bool', 'false', NAVIDROME),
  e('services.navidrome.settings.Address', 'str', '"127.0.0.1"', NAVIDROME),
  e('services.navidrome.settings.Port', 'port', '4533', NAVIDROME),
  e('services.navidrome.settings.DataFolder', 'path', 'none', NAVIDROME),
  e('services.navidrome.settings.MusicFolder', 'path', 'none', NAVIDROME),
  e('services.navidrome.openFirewall', 'bool', 'false', NAVIDROME),
  e('services.navidrome.environmentFile', 'path', 'null', NAVIDROME),

  // services.audiobookshelf
  e('services.audiobookshelf.enable', 'bool', 'false', AUDIOBOOKSHELF),
  e('services.audiobookshelf.host', 'str', '"127.0.0.1"', AUDIOBOOKSHELF),
  e('services.audiobookshelf.port', 'port', '8000', AUDIOBOOKSHELF),
  e('services.audiobookshelf.openFirewall', 'bool', 'false', AUDIOBOOKSHELF),

  // services.calibre-web
  e('services.calibre-web.enable', 'bool', 'false', CALIBRE_WEB),
  e('services.calibre-web.listen.ip', 'str', '"::1"', CALIBRE_WEB),
  e('services.calibre-web.listen.port', 'port', '8083', CALIBRE_WEB),
  e('services.calibre-web.openFirewall', 'bool', 'false', CALIBRE_WEB),
  e('services.calibre-web.dataDir', 'str', '"calibre-web"', CALIBRE_WEB),
  e('services.calibre-web.options.calibreLibrary', 'path', 'null', CALIBRE_WEB),
  e('services.calibre-web.options.enableBookConversion', 'bool', 'false', CALIBRE_WEB),

  // services.uptime-kuma (settings: the unit's environment, attrsOf str)
  e('services.uptime-kuma.enable', 'bool', 'false', UPTIME_KUMA),
  e('services.uptime-kuma.appriseSupport', 'bool', 'false', UPTIME_KUMA),
  e('services.uptime-kuma.settings.<name>', 'str', '{ }', UPTIME_KUMA),

  // services.homepage-dashboard (the YAML files as options)
  e('services.homepage-dashboard.enable', 'bool', 'false', HOMEPAGE),
  e('services.homepage-dashboard.listenPort', 'port', '8082', HOMEPAGE),
  e('services.homepage-dashboard.openFirewall', 'bool', 'false', HOMEPAGE),
  e('services.homepage-dashboard.allowedHosts', 'str', '"localhost:8082,127.0.0.1:8082"', HOMEPAGE),
  ...['settings', 'docker', 'kubernetes', 'proxmox'].map((o) => e(`services.homepage-dashboard.${o}`, 'anything', '{ }', HOMEPAGE)),
  ...['services', 'widgets', 'bookmarks'].map((o) => e(`services.homepage-dashboard.${o}`, 'anything', '[ ]', HOMEPAGE)),
  e('services.homepage-dashboard.customCSS', 'lines', '""', HOMEPAGE),
  e('services.homepage-dashboard.customJS', 'lines', '""', HOMEPAGE),

  // services.adguardhome
  e('services.adguardhome.enable', 'bool', 'false', ADGUARDHOME),
  e('services.adguardhome.allowDHCP', 'bool', 'settings.dhcp.enabled or false', ADGUARDHOME),

  // services.prometheus (the server)
  e('services.prometheus.enable', 'bool', 'false', PROMETHEUS),
  e('services.prometheus.listenAddress', 'str', '"0.0.0.0"', PROMETHEUS),
  e('services.prometheus.port', 'port', '9090', PROMETHEUS),
  e('services.prometheus.configText', 'lines', 'null', PROMETHEUS),
  e('services.prometheus.checkConfig', 'either bool str', 'true', PROMETHEUS),
  e('services.prometheus.retentionTime', 'str', 'null', PROMETHEUS),
  e('services.prometheus.webExternalUrl', 'str', 'null', PROMETHEUS),
  e('services.prometheus.extraFlags', 'listOf str', '[ ]', PROMETHEUS),

  // services.redis (one instance per server name; "" is redis.service)
  e('services.redis.package', 'package', 'pkgs.redis', REDIS),
  e('services.redis.servers.<name>.enable', 'bool', 'false', REDIS),
  e('services.redis.servers.<name>.port', 'port', 'if name == "" then 6379 else 0', REDIS),
  e('services.redis.servers.<name>.bind', 'nullOr str', '"127.0.0.1"', REDIS),
  e('services.redis.servers.<name>.openFirewall', 'bool', 'false', REDIS),
  e('services.redis.servers.<name>.requirePassFile', 'path', 'null', REDIS),
  e('services.redis.servers.<name>.save', 'listOf (listOf int)', '[ [ 900 1 ] [ 300 10 ] [ 60 10000 ] ]', REDIS),
  e('services.redis.servers.<name>.appendOnly', 'bool', 'false', REDIS),
  e('services.redis.servers.<name>.appendFsync', 'str', '"everysec"', REDIS),
  e('services.redis.servers.<name>.databases', 'int', '16', REDIS),
  e('services.redis.servers.<name>.maxclients', 'int', '10000', REDIS),
  e('services.redis.servers.<name>.logLevel', 'str', '"notice"', REDIS),
  e('services.redis.servers.<name>.settings.<name>', 'scalarOrList', '{ }', REDIS),

  // services.postgresql
  e('services.postgresql.enable', 'bool', 'false', POSTGRESQL),
  e('services.postgresql.package', 'package', 'by system.stateVersion (postgresql_17 from 25.11)', POSTGRESQL),
  e('services.postgresql.enableTCPIP', 'bool', 'false', POSTGRESQL),
  e('services.postgresql.authentication', 'lines', '""', POSTGRESQL),
  e('services.postgresql.initdbArgs', 'listOf str', '[ ]', POSTGRESQL),
  e('services.postgresql.settings.port', 'port', '5432', POSTGRESQL),
  e('services.postgresql.settings.listen_addresses', 'str', 'if enableTCPIP then "*" else "localhost"', POSTGRESQL),
  e('services.postgresql.settings.<name>', 'scalar', '{ }', POSTGRESQL),

  // services.mysql (MariaDB)
  e('services.mysql.enable', 'bool', 'false', MYSQL),
  e('services.mysql.package', 'package', 'none', MYSQL),
  e('services.mysql.settings.<name>.<name>', 'ini', '{ }', MYSQL),

  // services.mosquitto
  e('services.mosquitto.enable', 'bool', 'false', MOSQUITTO),
  e('services.mosquitto.listeners', 'listOf attrs', '[ ]', MOSQUITTO),
  e('services.mosquitto.persistence', 'bool', 'true', MOSQUITTO),
  e('services.mosquitto.logType', 'listOf str', '[ ]', MOSQUITTO),
  e('services.mosquitto.dataDir', 'path', '"/var/lib/mosquitto"', MOSQUITTO),
  e('services.mosquitto.settings.<name>', 'scalar', '{ }', MOSQUITTO),

  // services.miniflux (config: the unit's environment)
  e('services.miniflux.enable', 'bool', 'false', MINIFLUX),
  e('services.miniflux.config.LISTEN_ADDR', 'str', '"localhost:8080"', MINIFLUX),
  e('services.miniflux.config.CREATE_ADMIN', 'bool', 'true', MINIFLUX),
  e('services.miniflux.config.<name>', 'str', '{ }', MINIFLUX),
  e('services.miniflux.adminCredentialsFile', 'path', 'null', MINIFLUX),
  e('services.miniflux.createDatabaseLocally', 'bool', 'true', MINIFLUX),

  // services.paperless
  e('services.paperless.enable', 'bool', 'false', PAPERLESS),
  e('services.paperless.address', 'str', '"127.0.0.1"', PAPERLESS),
  e('services.paperless.port', 'port', '28981', PAPERLESS),
  e('services.paperless.dataDir', 'str', '"/var/lib/paperless"', PAPERLESS),
  e('services.paperless.mediaDir', 'str', '"${dataDir}/media"', PAPERLESS),
  e('services.paperless.consumptionDir', 'str', '"${dataDir}/consume"', PAPERLESS),
  e('services.paperless.exporter.directory', 'str', '"${dataDir}/export"', PAPERLESS),
  e('services.paperless.settings.<name>', 'str', '{ }', PAPERLESS),
  e('services.paperless.environmentFile', 'path', 'null', PAPERLESS),
  e('services.paperless.passwordFile', 'path', 'null', PAPERLESS),
  e('services.paperless.database.createLocally', 'bool', 'false', PAPERLESS),
  e('services.paperless.configureTika', 'bool', 'false', PAPERLESS),

  // services.freshrss
  e('services.freshrss.enable', 'bool', 'false', FRESHRSS),
  e('services.freshrss.baseUrl', 'str', 'none', FRESHRSS),
  e('services.freshrss.dataDir', 'str', '"/var/lib/freshrss"', FRESHRSS),
  e('services.freshrss.defaultUser', 'str', '"admin"', FRESHRSS),
  e('services.freshrss.passwordFile', 'path', 'null', FRESHRSS),
  e('services.freshrss.authType', 'str', '"form"', FRESHRSS),
  e('services.freshrss.database.type', 'str', '"sqlite"', FRESHRSS),
  e('services.freshrss.database.host', 'str', '"localhost"', FRESHRSS),
  e('services.freshrss.database.name', 'str', '"freshrss"', FRESHRSS),
  e('services.freshrss.database.user', 'str', '"freshrss"', FRESHRSS),
  e('services.freshrss.database.tableprefix', 'str', 'null', FRESHRSS),
  e('services.freshrss.database.passFile', 'path', 'null', FRESHRSS),

  // Recipes group A: the Servarr apps (settings: freeform INI turned into <APP>__SECTION__KEY variables).
  ...([
    ['sonarr', '"/var/lib/sonarr/.config/NzbDrone"', 8989],
    ['radarr', '"/var/lib/radarr/.config/Radarr"', 7878],
    ['lidarr', '"/var/lib/lidarr/.config/Lidarr"', 8686],
    ['prowlarr', '"/var/lib/prowlarr"', 9696],
  ] as const).flatMap(([app, dataDir, port]) => [
    e(`services.${app}.enable`, 'bool', 'false', SERVARR(app)),
    e(`services.${app}.dataDir`, 'str', dataDir, SERVARR(app)),
    e(`services.${app}.openFirewall`, 'bool', 'false', SERVARR(app)),
    e(`services.${app}.settings.server.port`, 'port', String(port), SERVARR_SETTINGS),
    e(`services.${app}.settings.log.analyticsEnabled`, 'bool', 'false', SERVARR_SETTINGS),
    e(`services.${app}.settings.update.automatically`, 'bool', 'false', SERVARR_SETTINGS),
    e(`services.${app}.settings.update.mechanism`, 'nullOr str', '"external"', SERVARR_SETTINGS),
    e(`services.${app}.settings.<name>.<name>`, 'ini', '{ }', SERVARR_SETTINGS),
  ]),

  // services.bazarr
  e('services.bazarr.enable', 'bool', 'false', BAZARR),
  e('services.bazarr.dataDir', 'str', '"/var/lib/bazarr"', BAZARR),
  e('services.bazarr.listenPort', 'port', '6767', BAZARR),
  e('services.bazarr.openFirewall', 'bool', 'false', BAZARR),

  // services.transmission (settings: freeform JSON with typed keys, rewritten into settings.json at every start)
  e('services.transmission.enable', 'bool', 'false', TRANSMISSION),
  e('services.transmission.home', 'path', '"/var/lib/transmission"', TRANSMISSION),
  e('services.transmission.credentialsFile', 'path', '"/dev/null"', TRANSMISSION),
  e('services.transmission.openPeerPorts', 'bool', 'false', TRANSMISSION),
  e('services.transmission.openRPCPort', 'bool', 'false', TRANSMISSION),
  e('services.transmission.settings.download-dir', 'path', '"${cfg.home}/Downloads"', TRANSMISSION),
  e('services.transmission.settings.incomplete-dir', 'path', '"${cfg.home}/.incomplete"', TRANSMISSION),
  e('services.transmission.settings.watch-dir', 'path', '"${cfg.home}/watchdir"', TRANSMISSION),
  e('services.transmission.settings.watch-dir-enabled', 'bool', 'false', TRANSMISSION),
  e('services.transmission.settings.rpc-port', 'port', '9091', TRANSMISSION),
  e('services.transmission.settings.rpc-bind-address', 'str', '"127.0.0.1"', TRANSMISSION),
  e('services.transmission.settings.peer-port', 'port', '51413', TRANSMISSION),
  e('services.transmission.settings.<name>', 'anything', '{ }', TRANSMISSION),

  // services.qbittorrent
  e('services.qbittorrent.enable', 'bool', 'false', QBITTORRENT),
  e('services.qbittorrent.profileDir', 'path', '"/var/lib/qBittorrent/"', QBITTORRENT),
  e('services.qbittorrent.webuiPort', 'nullOr port', '8080', QBITTORRENT),
  e('services.qbittorrent.torrentingPort', 'nullOr port', 'null', QBITTORRENT),
  e('services.qbittorrent.openFirewall', 'bool', 'false', QBITTORRENT),

  // services.syncthing
  e('services.syncthing.enable', 'bool', 'false', SYNCTHING),
  e('services.syncthing.dataDir', 'path', '"/var/lib/syncthing"', SYNCTHING),
  e('services.syncthing.configDir', 'path', 'dataDir + "/.config/syncthing"', SYNCTHING),
  e('services.syncthing.guiAddress', 'str', '"127.0.0.1:8384"', SYNCTHING),
  e('services.syncthing.openDefaultPorts', 'bool', 'false', SYNCTHING),
  e('services.syncthing.overrideDevices', 'bool', 'true', SYNCTHING),
  e('services.syncthing.overrideFolders', 'bool', '!anyAutoAccept', SYNCTHING),

  // services.home-assistant (config: configuration.yaml as Nix, or null to keep the file)
  e('services.home-assistant.enable', 'bool', 'false', HOME_ASSISTANT),
  e('services.home-assistant.config', 'nullOr attrs', 'none', HOME_ASSISTANT),
  e('services.home-assistant.configDir', 'path', '"/var/lib/hass"', HOME_ASSISTANT),

  // services.vaultwarden (config: the environment; DATA_FOLDER has no option)
  e('services.vaultwarden.enable', 'bool', 'false', VAULTWARDEN),
  e('services.vaultwarden.config.<name>', 'scalar', '{ ROCKET_ADDRESS = "::1"; ROCKET_PORT = 8222; }', VAULTWARDEN),
  e('services.vaultwarden.environmentFile', 'path', '[ ]', VAULTWARDEN),
  e('services.vaultwarden.dbBackend', 'str', '"sqlite"', VAULTWARDEN),

  // services.forgejo and services.gitea (settings: freeform app.ini)
  ...(['forgejo', 'gitea'] as const).flatMap((app) => {
    const file = app === 'forgejo' ? FORGEJO : GITEA;
    return [
      e(`services.${app}.enable`, 'bool', 'false', file),
      e(`services.${app}.stateDir`, 'str', `"/var/lib/${app}"`, file),
      e(`services.${app}.repositoryRoot`, 'str', '"${cfg.stateDir}/repositories"', file),
      e(`services.${app}.database.type`, 'str', '"sqlite3"', file),
      e(`services.${app}.database.path`, 'str', `"\${cfg.stateDir}/data/${app}.db"`, file),
      e(`services.${app}.lfs.enable`, 'bool', 'false', file),
      e(`services.${app}.lfs.contentDir`, 'str', '"${cfg.stateDir}/data/lfs"', file),
      e(`services.${app}.settings.server.HTTP_PORT`, 'port', '3000', file),
      e(`services.${app}.settings.server.HTTP_ADDR`, 'str', '"0.0.0.0"', file),
      e(`services.${app}.settings.<name>.<name>`, 'ini', '{ }', file),
    ];
  }),
  e('services.forgejo.secrets.<name>.<name>', 'path', '{ }', FORGEJO),
  e('services.gitea.appName', 'str', '"gitea: Gitea Service"', GITEA),
  e('services.gitea.database.passwordFile', 'path', 'null', GITEA),
  e('services.gitea.mailerPasswordFile', 'nullOr str', 'null', GITEA),
  e('services.gitea.metricsTokenFile', 'nullOr str', 'null', GITEA),
  e('services.gitea.camoHmacKeyFile', 'nullOr str', 'null', GITEA),

  // services.grafana (settings: grafana.ini as Nix)
  e('services.grafana.enable', 'bool', 'false', GRAFANA),
  e('services.grafana.dataDir', 'path', '"/var/lib/grafana"', GRAFANA),
  e('services.grafana.openFirewall', 'bool', 'false', GRAFANA),
  e('services.grafana.settings.server.http_port', 'port', '3000', GRAFANA),
  e('services.grafana.settings.server.http_addr', 'str', '"127.0.0.1"', GRAFANA),
  e('services.grafana.settings.server.root_url', 'str', '"%(protocol)s://%(domain)s:%(http_port)s/"', GRAFANA),
  e('services.grafana.settings.server.domain', 'str', '"localhost"', GRAFANA),
  e('services.grafana.settings.database.path', 'path', '"${cfg.dataDir}/data/grafana.db"', GRAFANA),
  e('services.grafana.settings.security.secret_key', 'nullOr str', 'null', GRAFANA),

  // services.nextcloud (settings: freeform config.php with typed keys; nginx serves it)
  e('services.nextcloud.enable', 'bool', 'false', NEXTCLOUD),
  e('services.nextcloud.hostName', 'str', 'none', NEXTCLOUD),
  e('services.nextcloud.package', 'package', 'pkgs.nextcloud33 (stateVersion 26.05)', NEXTCLOUD),
  e('services.nextcloud.datadir', 'str', 'config.services.nextcloud.home', NEXTCLOUD),
  e('services.nextcloud.maxUploadSize', 'str', '"512M"', NEXTCLOUD),
  e('services.nextcloud.config.adminuser', 'nullOr str', '"root"', NEXTCLOUD),
  e('services.nextcloud.config.adminpassFile', 'nullOr str', 'none', NEXTCLOUD),
  e('services.nextcloud.config.dbtype', 'nullOr str', 'null', NEXTCLOUD),
  e('services.nextcloud.database.createLocally', 'bool', 'false', NEXTCLOUD),
  e('services.nextcloud.settings.trusted_domains', 'listOf str', '[ ]', NEXTCLOUD),
  e('services.nextcloud.settings.trusted_proxies', 'listOf str', '[ ]', NEXTCLOUD),
  e('services.nextcloud.settings.overwriteprotocol', 'str', '""', NEXTCLOUD),
  e('services.nextcloud.settings.mail_smtpmode', 'str', '"smtp"', NEXTCLOUD),
  e('services.nextcloud.settings.mail_smtphost', 'str', '"127.0.0.1"', NEXTCLOUD),
  e('services.nextcloud.settings.mail_smtpport', 'port', '25', NEXTCLOUD),
  e('services.nextcloud.settings.mail_smtpsecure', 'str', '""', NEXTCLOUD),
  e('services.nextcloud.settings.mail_smtpauth', 'bool', 'false', NEXTCLOUD),
  e('services.nextcloud.settings.mail_smtpname', 'str', '""', NEXTCLOUD),
  e('services.nextcloud.settings.mail_from_address', 'nullOr str', 'null', NEXTCLOUD),
  e('services.nextcloud.settings.mail_domain', 'nullOr str', 'null', NEXTCLOUD),
  e('services.nextcloud.settings.<name>', 'anything', '{ }', NEXTCLOUD),
  e('services.nextcloud.secrets.<name>', 'path', '{ }', NEXTCLOUD),

  // The module's unit: the old unit's lessons (nixos/lib/systemd-unit-options.nix).
  ...UNIT_OPTIONS('services'),
  e('systemd.services.<name>.serviceConfig.<name>', 'unitOption', '{ }', UNITS, 'J'),
  e('systemd.services.<name>.environment.<name>', 'envValue', '{ }', UNITS, 'J'),
  e('systemd.services.<name>.path', 'listOf package', '[ ]', UNITS, 'J'),
  ...UNIT_OPTIONS('timers'),
  e('systemd.timers.<name>.timerConfig.<name>', 'unitOption', '{ }', UNITS, 'J'),

  // Samba users and their groups (post, N5).
  e('users.groups.<name>', 'attrs', '{ }', USERS),
  e('users.users.<name>.isSystemUser', 'bool', 'false', USERS),
  e('users.users.<name>.group', 'str', '""', USERS),
  e('users.users.<name>.uid', 'nullOr int', 'null', USERS),

  // Ports a module does not open itself.
  e('networking.firewall.allowedTCPPorts', 'listOf port', '[ ]', FIREWALL),
  e('networking.firewall.allowedUDPPorts', 'listOf port', '[ ]', FIREWALL),
  e('networking.firewall.allowedTCPPortRanges', 'listOf portRange', '[ ]', FIREWALL),
  e('networking.firewall.allowedUDPPortRanges', 'listOf portRange', '[ ]', FIREWALL),
];

/** The entry for an option path (`<name>` matching any one attribute). */
export function catalogEntry(path: readonly string[]): CatalogEntry | undefined {
  return OPTION_CATALOG.find((entry) => {
    const parts = entry.path.split('.');
    return parts.length === path.length && parts.every((p, i) => p === '<name>' || p === path[i]);
  });
}
