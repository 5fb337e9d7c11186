import type { HostFile } from '../model/host.ts';
import type { VolumeSpec } from '../model/docker.ts';
import { NGINX_IMAGES } from './caddy-health.ts';
import type { ModuleRecipe, RecipeContext } from './types.ts';

/**
 * An nginx container with a configuration or content of its own.
 * nixpkgs: nixos/modules/services/web-servers/nginx/default.nix
 * (appendHttpConfig: lines appended to the http block; virtualHosts.<name>.
 * {root, listen}; no openFirewall option: the firewall pass opens the
 * published ports). conf.d files the host was provisioned with are carried
 * into appendHttpConfig, with the container's paths rewritten to the host
 * directories they were mounted from; a whole nginx.conf or a directory
 * whose files nixport did not get is reported.
 */

export const nginx: ModuleRecipe = {
  kind: 'module',
  app: 'nginx',
  title: 'nginx with its own configuration or content',
  images: NGINX_IMAGES,
  module: 'services.nginx',
  unit: {
    name: 'nginx',
    sets: { Restart: { value: 'always', priority: 'plain' }, RestartSec: { value: '10s', priority: 'plain' }, startLimitIntervalSec: { value: 60, priority: 'plain' } },
  },
  user: { user: 'nginx', group: 'nginx' },
  ports: [
    { container: 80, what: 'HTTP', port: 80 },
    { container: 443, what: 'HTTPS', port: 443 },
  ],
  volumes: [
    { target: '/var/cache/nginx', holds: 'the proxy cache', drop: 'a cache; the module uses /var/cache/nginx' },
    { target: '/var/log/nginx', holds: 'logs', drop: 'the module logs to /var/log/nginx' },
  ],
  differences: [
    'nginx runs as the system user `nginx` with ProtectSystem=strict and ProtectHome: it reads /home only if told (systemd.services.nginx.serviceConfig.ProtectHome = false)',
    'the module writes its own nginx.conf (events, http with mime types and logging); the carried lines are appended to its http block',
  ],
  extra: nginxConfig,
};

function nginxConfig(r: RecipeContext): void {
  const appended: string[] = [];
  const rewrites = r.input.volumes.filter((v): v is VolumeSpec & { source: string } => v.kind === 'bind' && v.source !== undefined && !v.target.startsWith('/etc/nginx'));
  for (const v of r.input.volumes) {
    if (v.kind !== 'bind' || v.source === undefined) continue;
    if (v.target === '/etc/nginx/nginx.conf') {
      r.unsupported(v.flag, 'a whole nginx.conf replaces the module\'s; only its http-level part can be carried', 'move the server blocks into services.nginx.appendHttpConfig or virtualHosts, and the rest into the module\'s options');
      continue;
    }
    if (v.target === '/etc/nginx/conf.d' || v.target.startsWith('/etc/nginx/conf.d/')) {
      const files = filesUnder(r.input.files, v.source).filter((f) => f.path.endsWith('.conf') || v.source === f.path);
      if (files.length === 0) {
        r.set('appendHttpConfig', `include ${v.source}${v.source.endsWith('.conf') ? '' : '/*.conf'};\n`);
        r.claim(v.flag, 'services.nginx.appendHttpConfig', 'included from the host path; its content was not in the input');
        r.report('warning', 'nginx/config-not-read', `${r.service}: ${v.source} was not among the input's files, so its configuration is included from the host path as it is`, v.flag.item.origin, `check it for container paths (${rewrites.map((x) => x.target).join(', ') || 'none mounted'}) and ports; better, paste it into services.nginx.appendHttpConfig`);
        continue;
      }
      for (const f of files) appended.push(rewritePaths(f.text ?? '', rewrites, r));
      r.claim(v.flag, 'services.nginx.appendHttpConfig', `${files.map((f) => f.path).join(', ')} carried`);
      continue;
    }
    if (v.target === '/usr/share/nginx/html') {
      r.claim(v.flag, 'services.nginx.virtualHosts', 'the content the stock configuration served');
      if (appended.length === 0 && !r.input.volumes.some((x) => x.target.startsWith('/etc/nginx/conf.d'))) {
        const port = r.input.ports.find((p) => p.containerPort.from === 80);
        const listen = port?.hostPort ? [{ addr: port.hostIp ?? '0.0.0.0', port: port.hostPort.from }] : undefined;
        r.set('virtualHosts.default.root', v.source, 'The content the container served with its stock configuration.');
        r.set('virtualHosts.default.default', true);
        if (listen) {
          r.set('virtualHosts.default.listen', listen, `The port the container was published on (${port!.raw}).`);
          r.claim(port!.flag, 'services.nginx.virtualHosts.default.listen');
        }
      }
    }
  }
  if (appended.length > 0) {
    r.set('appendHttpConfig', `${appended.join('\n').trimEnd()}\n`, 'The configuration the container read from conf.d, with container paths rewritten to the host\'s.');
    const moved = r.input.ports.filter((p) => p.hostPort && p.hostPort.from !== p.containerPort.from);
    for (const p of moved) {
      r.difference(`the carried configuration listens on ${p.containerPort.from}, which was published as ${p.hostPort!.from}: change \`listen\` to ${p.hostPort!.from}`);
    }
  }
}

function filesUnder(files: ReadonlyMap<string, HostFile>, dir: string): HostFile[] {
  return [...files.values()].filter((f) => f.path === dir || f.path.startsWith(`${dir.replace(/\/+$/, '')}/`)).sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Container paths in the configuration (a `root`, an `alias`) become the host paths mounted there. */
function rewritePaths(text: string, volumes: readonly (VolumeSpec & { source: string })[], r: RecipeContext): string {
  let out = text;
  for (const v of volumes) {
    if (!out.includes(v.target)) continue;
    out = out.split(v.target).join(v.source);
    r.difference(`the configuration's ${v.target} is ${v.source} on the host now`);
  }
  return out;
}
