import { isLoopback } from '../passes/firewall.ts';
import type { ModuleRecipe, RecipeContext, RecipeInput } from './types.ts';

/**
 * An nginx container whose only job is to answer (post, N3): no config,
 * no content, the stock image's default page on one port. Its unit
 * depended on a mount, so an answer meant "the mount is there". The post
 * replaces it with a Caddy virtual host that responds "ok".
 * nixpkgs: nixos/modules/services/web-servers/caddy/default.nix and
 * vhost-options.nix (virtualHosts.<name>.{hostName, extraConfig,
 * listenAddresses}); caddy.service is Caddy's own unit with Restart=on-failure,
 * RestartSec=5s, startLimitBurst 10 and startLimitIntervalSec 14400 from the module.
 */

export const NGINX_IMAGES = ['nginx', 'nginxinc/nginx-unprivileged', 'bitnami/nginx', 'ghcr.io/nginxinc/nginx-unprivileged'];

export const caddyHealth: ModuleRecipe = {
  kind: 'module',
  app: 'caddy-health',
  title: 'nginx answering a health check, as a Caddy virtual host that responds "ok"',
  images: NGINX_IMAGES,
  accepts: healthOnly,
  module: 'services.caddy',
  shared: true,
  unit: {
    name: 'caddy',
    sets: {
      Restart: { value: 'on-failure', priority: 'plain' },
      RestartSec: { value: '5s', priority: 'plain' },
      startLimitBurst: { value: 10, priority: 'plain' },
      startLimitIntervalSec: { value: 14400, priority: 'plain' },
    },
  },
  user: { user: 'caddy', group: 'caddy' },
  ports: [{ container: 80, what: 'the health check (HTTP)', port: 80 }],
  health: { path: '/', port: 80 },
  differences: [
    'nginx answered with its welcome page on / (and 404 elsewhere); Caddy answers 200 "ok" on every path',
    'Caddy writes an access log per virtual host to /var/log/caddy/',
  ],
  extra: virtualHost,
};

/** No volumes (the stock page), no command of its own, one published port or the host network. */
function healthOnly(input: RecipeInput): true | string {
  const volumes = input.volumes.filter((v) => v.kind !== 'tmpfs');
  if (volumes.length > 0) return `it mounts ${volumes.map((v) => v.target).join(', ')}: it serves a configuration or content of its own`;
  if (input.args.length > 0) return 'it runs a command of its own';
  if (input.network !== 'host' && input.ports.length !== 1) return `it publishes ${input.ports.length} ports; a health check answers on one`;
  return true;
}

/** `http://ADDRESS:PORT` answering "ok", bound to the address the old container was bound to. */
function virtualHost(r: RecipeContext): void {
  const port = r.input.ports[0];
  const hostPort = port?.hostPort?.from ?? (r.input.network === 'host' ? 80 : undefined);
  if (port && !port.hostPort) {
    r.unsupported(port.flag, 'Docker picked a random host port, which a health check cannot be told', 'publish the port as HOST:80');
    return;
  }
  const bound = port?.hostIp !== undefined && port.hostIp !== '0.0.0.0' && port.hostIp !== '::' ? port.hostIp : undefined;
  if (bound !== undefined && isLoopback(bound)) r.difference(`answers on ${bound} only, as before`);
  const host = bound === undefined ? '' : bound.includes(':') ? `[${bound}]` : bound;
  const name = `http://${host}:${hostPort ?? 80}`;
  const key = `virtualHosts.${JSON.stringify(name)}`;
  r.set(`${key}.extraConfig`, 'respond "ok"\n', `Answers once the unit may start, i.e. once its mounts are there (the old ${r.input.name} container).`);
  if (bound !== undefined) r.set(`${key}.listenAddresses`, [bound], `The old container was bound to ${bound} only.`);
  if (port) {
    r.claim(port.flag, `services.caddy.${key}`, bound !== undefined ? `bound to ${bound}, as before` : undefined);
  }
}
