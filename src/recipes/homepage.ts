import { parse } from 'yaml';
import type { VolumeSpec } from '../model/docker.ts';
import type { ModuleRecipe, RecipeContext } from './types.ts';

/**
 * Homepage (gethomepage). nixpkgs: nixos/modules/services/misc/homepage-dashboard.nix:
 * listenPort (8082, the unit's PORT), openFirewall (TCP listenPort),
 * allowedHosts ("localhost:8082,127.0.0.1:8082", HOMEPAGE_ALLOWED_HOSTS),
 * environmentFiles (secrets), and the configuration as Nix values that the
 * module writes to /etc/homepage-dashboard/*.yaml: settings, services,
 * widgets, bookmarks, docker, kubernetes, proxmox (YAML), customCSS and
 * customJS (lines). The unit has DynamicUser=true, keeps only a cache
 * (/var/cache/homepage-dashboard, emptied at each start) and Restart=on-failure.
 *
 * The image (ghcr.io/gethomepage/homepage) listens on 3000, reads its YAML
 * files from /app/config and answers /api/healthcheck (its HEALTHCHECK).
 * YAML files the old host was provisioned with (write_files) become the
 * module's options, value for value; others must be carried by hand.
 */

/** The files of /app/config and the option each becomes. */
const CONFIG_FILES: Readonly<Record<string, { readonly option: string; readonly yaml: boolean }>> = {
  'settings.yaml': { option: 'settings', yaml: true },
  'services.yaml': { option: 'services', yaml: true },
  'widgets.yaml': { option: 'widgets', yaml: true },
  'bookmarks.yaml': { option: 'bookmarks', yaml: true },
  'docker.yaml': { option: 'docker', yaml: true },
  'kubernetes.yaml': { option: 'kubernetes', yaml: true },
  'proxmox.yaml': { option: 'proxmox', yaml: true },
  'custom.css': { option: 'customCSS', yaml: false },
  'custom.js': { option: 'customJS', yaml: false },
};

export const homepage: ModuleRecipe = {
  kind: 'module',
  app: 'homepage',
  title: 'Homepage dashboard',
  images: ['ghcr.io/gethomepage/homepage', 'ghcr.io/benphelps/homepage'],
  module: 'services.homepage-dashboard',
  unit: { name: 'homepage-dashboard', sets: { Restart: { value: 'on-failure', priority: 'plain' } } },
  ports: [{ container: 3000, what: 'the dashboard', option: 'listenPort', port: 8082 }],
  firewall: { option: 'openFirewall', tcp: [{ option: 'listenPort', default: 8082 }], udp: [] },
  volumes: [
    { target: '/app/config/logs', holds: 'the log', drop: 'the app logs to the journal (LOG_TARGETS=stdout)' },
    { target: '/var/run/docker.sock', holds: 'the Docker socket', drop: 'the Docker integration reads containers, which are gone natively; the dynamic user could not read the socket either' },
  ],
  environment: [
    { name: 'HOMEPAGE_ALLOWED_HOSTS', option: 'allowedHosts' },
    { name: /^HOMEPAGE_VAR_/, secret: true },
    { name: /^(PORT|HOSTNAME)$/, drop: 'the published port sets services.homepage-dashboard.listenPort' },
    { name: /^HOMEPAGE_CONFIG_DIR$/, drop: 'the module writes the configuration to /etc/homepage-dashboard' },
  ],
  health: { path: '/api/healthcheck', port: 3000 },
  differences: [
    'the configuration is Nix now (services.homepage-dashboard.services, .widgets, ...), written to /etc/homepage-dashboard: edit it there, not in YAML files',
    'runs as a dynamic user (DynamicUser=true); it keeps no state',
    'HOMEPAGE_VAR_* values are read from a secret environment file; the YAML still refers to them as {{HOMEPAGE_VAR_...}}',
  ],
  extra: configuration,
};

/** The YAML files of /app/config (a directory volume, or one volume per file) that write_files provided, as options. */
function configuration(r: RecipeContext): void {
  if (r.input.environment.get('HOMEPAGE_ALLOWED_HOSTS') === undefined) {
    r.reconfigure('Set services.homepage-dashboard.allowedHosts to the host names and ports the dashboard is opened with (HOMEPAGE_ALLOWED_HOSTS): the module allows only localhost:8082 by default');
  }
  for (const v of r.input.volumes) {
    if (v.target !== '/app/config' && !v.target.startsWith('/app/config/')) {
      if (v.target.startsWith('/app/public/')) r.unsupported(v.flag, `${v.target} added images or icons to the image; the package serves its own public/ from the store`, 'refer to the images by URL, or serve them from a web server');
      continue;
    }
    if (v.target.startsWith('/app/config/logs')) continue;
    fromVolume(r, v);
  }
}

function fromVolume(r: RecipeContext, v: VolumeSpec): void {
  if (v.kind !== 'bind' || v.source === undefined) {
    r.unsupported(v.flag, `the configuration was in a Docker volume (${v.raw}), which nixport cannot read`, 'carry settings.yaml, services.yaml, widgets.yaml and bookmarks.yaml into services.homepage-dashboard by hand (the same structure, as Nix)');
    return;
  }
  const names = v.target === '/app/config' ? Object.keys(CONFIG_FILES) : [v.target.slice('/app/config/'.length)];
  const carried: string[] = [];
  const missing: string[] = [];
  for (const name of names) {
    const spec = CONFIG_FILES[name];
    const path = v.target === '/app/config' ? `${v.source.replace(/\/+$/, '')}/${name}` : v.source;
    const text = r.input.files.get(path)?.text;
    if (!spec) {
      missing.push(name);
      continue;
    }
    if (text === undefined) {
      if (v.target !== '/app/config') missing.push(name);
      continue;
    }
    const value = spec.yaml ? readYaml(text) : text;
    if (value === undefined) {
      r.report('warning', 'homepage/yaml', `${r.service}: ${path} is not valid YAML; it is not carried`, undefined, `carry it into services.homepage-dashboard.${spec.option} by hand`);
      missing.push(name);
      continue;
    }
    // Absolute: a relative `services` would name the top-level services.
    r.set(`services.homepage-dashboard.${spec.option}`, value, `From ${path} (write_files), value for value.`);
    carried.push(name);
  }
  if (carried.length > 0 && missing.length === 0) {
    r.claim(v.flag, 'services.homepage-dashboard', `${carried.join(', ')} carried into the module's options`);
  } else if (carried.length > 0) {
    r.claim(v.flag, 'services.homepage-dashboard', `${carried.join(', ')} carried; ${missing.join(', ')} not`);
    r.reconfigure(`Carry ${missing.join(', ')} of ${v.source} into services.homepage-dashboard by hand`);
  } else {
    r.unsupported(v.flag, `the configuration files of ${v.source} are not among the files the old host was provisioned with, so nixport cannot read them`, 'carry settings.yaml, services.yaml, widgets.yaml and bookmarks.yaml into services.homepage-dashboard by hand (the same structure, as Nix)');
  }
}

/** A YAML document as plain data; an empty file is an empty set. */
function readYaml(text: string): unknown {
  try {
    const value: unknown = parse(text);
    return value ?? {};
  } catch {
    return undefined;
  }
}
