import { caddyHealth } from './caddy-health.ts';
import { immich } from './immich.ts';
import { jellyfin } from './jellyfin.ts';
import { nginx } from './nginx.ts';
import { nodeExporter } from './node-exporter.ts';
import { perlScript } from './perl-script.ts';
import { rrsync } from './rrsync.ts';
import { samba } from './samba.ts';
import type { Recipe } from './types.ts';
// Recipes group A.
import { bazarr } from './bazarr.ts';
import { forgejo } from './forgejo.ts';
import { gitea } from './gitea.ts';
import { grafana } from './grafana.ts';
import { homeAssistant } from './home-assistant.ts';
import { lidarr } from './lidarr.ts';
import { nextcloud } from './nextcloud.ts';
import { prowlarr } from './prowlarr.ts';
import { qbittorrent } from './qbittorrent.ts';
import { radarr } from './radarr.ts';
import { sonarr } from './sonarr.ts';
import { syncthing } from './syncthing.ts';
import { transmission } from './transmission.ts';
import { vaultwarden } from './vaultwarden.ts';
// Recipes group B.
import { adguardhome } from './adguardhome.ts';
import { audiobookshelf } from './audiobookshelf.ts';
import { calibreWeb } from './calibre-web.ts';
import { homepage } from './homepage.ts';
import { navidrome } from './navidrome.ts';
import { nodeRed } from './node-red.ts';
import { uptimeKuma } from './uptime-kuma.ts';
import { freshrss } from './freshrss.ts';
import { mariadb } from './mariadb.ts';
import { miniflux } from './miniflux.ts';
import { mosquitto } from './mosquitto.ts';
import { paperless } from './paperless.ts';
import { postgresql } from './postgresql.ts';
import { prometheus } from './prometheus.ts';
import { redis } from './redis.ts';

export type * from './types.ts';
export { closestRecipes, imageMatches, matchKeyRecipe, matchModuleRecipe, programOf, repositoryNames } from './match.ts';

/**
 * Every recipe, in the order they are tried: a more particular recipe
 * before a general one of the same images (caddy-health takes an nginx
 * with no configuration of its own; nginx takes the others). Adding an app
 * is one file in this folder, listed here, and its test in test/recipes/.
 */
export const RECIPES: readonly Recipe[] = [jellyfin, samba, caddyHealth, nginx, nodeExporter, immich, perlScript, rrsync,
  // Recipes group A.
  sonarr, radarr, lidarr, prowlarr, bazarr, transmission, qbittorrent, syncthing, nextcloud, homeAssistant, vaultwarden, forgejo, gitea, grafana,
  // Recipes group B.
  uptimeKuma, adguardhome, navidrome, audiobookshelf, nodeRed, calibreWeb, homepage,
  prometheus, paperless, miniflux, freshrss, mosquitto, postgresql, mariadb, redis,
];

export function recipeByApp(app: string): Recipe | undefined {
  return RECIPES.find((r) => r.app === app);
}
