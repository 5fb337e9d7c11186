import type { VolumeSpec } from '../model/docker.ts';
import type { ModuleRecipe, RecipeContext } from './types.ts';

/**
 * The Prometheus server. nixpkgs: nixos/modules/services/monitoring/prometheus/default.nix:
 * listenAddress ("0.0.0.0", no port in it: an assertion), port (9090),
 * configText (prometheus.yml as text; otherwise it is generated from
 * scrapeConfigs, globalConfig, rules, ...), checkConfig (true: promtool
 * checks the file at build time, in the sandbox; "syntax-only" skips the
 * files it names), retentionTime, webExternalUrl, extraFlags, stateDir (a
 * name below /var/lib, "prometheus2"; the TSDB is its data/). No
 * openFirewall. Unit prometheus.service, user `prometheus`, Restart=always.
 *
 * The image (prom/prometheus) runs with --config.file=/etc/prometheus/prometheus.yml
 * and --storage.tsdb.path=/prometheus; bitnami's keeps them under
 * /opt/bitnami/prometheus. A prometheus.yml the old host was provisioned
 * with (write_files) is carried as configText, with the container's paths
 * in it made host paths; the flags that set what the module sets go.
 */

const CONFIG_DIRS = ['/etc/prometheus', '/opt/bitnami/prometheus/conf'];
const DATA = 'the time series database (TSDB blocks and WAL)';

export const prometheus: ModuleRecipe = {
  kind: 'module',
  app: 'prometheus',
  title: 'Prometheus monitoring server',
  images: ['prom/prometheus', 'quay.io/prometheus/prometheus', 'bitnami/prometheus'],
  commands: ['prometheus'],
  module: 'services.prometheus',
  unit: { name: 'prometheus', sets: { Restart: { value: 'always', priority: 'plain' } } },
  user: { user: 'prometheus', group: 'prometheus' },
  ports: [{ container: 9090, what: 'web UI and API', option: 'port', port: 9090, address: { option: 'listenAddress', default: '0.0.0.0', any: '0.0.0.0' } }],
  volumes: [
    { target: '/prometheus', holds: DATA, defaultDir: '/var/lib/prometheus2/data' },
    { target: '/opt/bitnami/prometheus/data', holds: DATA, defaultDir: '/var/lib/prometheus2/data' },
  ],
  health: { path: '/-/healthy', port: 9090 },
  differences: [
    'runs as the system user `prometheus`; the TSDB lives in /var/lib/prometheus2/data (stateDir is a name below /var/lib, so another disk needs a mount there)',
    'prometheus.yml is built into the store: a change is a `nixos-rebuild switch`, not a reload; files it names (rules, file_sd, secrets) must exist on the host',
  ],
  extra: configure,
};

function configure(r: RecipeContext): void {
  flags(r);
  for (const v of r.input.volumes) {
    const dir = CONFIG_DIRS.find((d) => v.target === d || v.target.startsWith(`${d}/`));
    if (dir) config(r, v, dir);
  }
}

/** prometheus.yml from write_files becomes configText; its container paths become host paths. */
function config(r: RecipeContext, v: VolumeSpec, dir: string): void {
  if (v.kind !== 'bind' || v.source === undefined) {
    r.unsupported(v.flag, `the configuration was in a Docker volume (${v.raw}), which nixport cannot read`, 'carry prometheus.yml into services.prometheus.scrapeConfigs, or as configText');
    return;
  }
  const file = v.target === dir ? `${v.source.replace(/\/+$/, '')}/prometheus.yml` : v.target.endsWith('.yml') || v.target.endsWith('.yaml') ? v.source : undefined;
  const text = file === undefined ? undefined : r.input.files.get(file)?.text;
  if (text === undefined) {
    if (v.target !== dir && file === undefined) {
      // Rule files and the like: read where they are, through the paths configText names.
      r.claim(v.flag, 'services.prometheus.configText', `${v.target} is ${v.source} on the host; prometheus.yml names it there`);
      return;
    }
    r.unsupported(v.flag, `${file ?? v.source} is not among the files the old host was provisioned with, so nixport cannot read prometheus.yml`, 'carry it into services.prometheus.scrapeConfigs (or configText); files it names must exist on the host');
    return;
  }
  const carried = hostPaths(text, r.input.volumes);
  r.set('configText', carried, `${file} (write_files)${carried !== text ? ', with the container\'s paths made host paths' : ''}.`);
  r.claim(v.flag, 'services.prometheus.configText', 'prometheus.yml, built into the store');
  if (/_files?\s*:|rule_files|file_sd_configs/.test(carried)) {
    r.set('checkConfig', 'syntax-only', 'prometheus.yml names files on the host, which promtool cannot read in the build sandbox.');
  }
}

/** The container's paths in prometheus.yml (rule files, file_sd targets) as the host paths their volumes bind. */
function hostPaths(text: string, volumes: readonly VolumeSpec[]): string {
  const binds = volumes
    .filter((v) => v.kind === 'bind' && v.source !== undefined && CONFIG_DIRS.some((d) => v.target === d || v.target.startsWith(`${d}/`)))
    .sort((a, b) => b.target.length - a.target.length);
  if (binds.length === 0) return text;
  const hosts = new Map(binds.map((v) => [v.target.replace(/\/+$/, ''), v.source!.replace(/\/+$/, '')]));
  // One pass, longest path first: a replaced path is never replaced again.
  const pattern = new RegExp(`(${[...hosts.keys()].map(escape).join('|')})(?=[/"'\\s]|$)`, 'gm');
  return text.replace(pattern, (target) => hosts.get(target) ?? target);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Flags that set what the module sets go; retention, external URL and listen address map to options; the rest stay as flags. */
function flags(r: RecipeContext): void {
  const args = r.input.args;
  if (args.length === 0) return;
  let start = 0;
  if (args[0] !== undefined && !args[0].startsWith('-')) start = 1; // the program itself
  const extra: string[] = [];
  for (let i = start; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const takes = eq < 0 && VALUE_FLAGS.test(flag) && args[i + 1] !== undefined && !args[i + 1]!.startsWith('-');
    const value = eq >= 0 ? arg.slice(eq + 1) : takes ? args[++i]! : undefined;
    if (flag === '--config.file' || flag === '--storage.tsdb.path') continue;
    if ((flag === '--storage.tsdb.retention.time' || flag === '--storage.tsdb.retention') && value !== undefined) r.set('retentionTime', value, `${flag}=${value} on the old container.`);
    else if (flag === '--web.external-url' && value !== undefined) r.set('webExternalUrl', value, `${flag}=${value} on the old container.`);
    else if (flag === '--web.listen-address' && value !== undefined) listen(r, value);
    else if (flag.startsWith('--web.console.')) r.report('info', 'prometheus/console', `${r.service}: \`${arg}\` pointed at the image's console templates; Prometheus 3 has none`);
    else extra.push(value === undefined ? flag : `${flag}=${value}`);
  }
  r.claimArgs(args.length);
  if (extra.length > 0) r.set('extraFlags', extra, 'The old container\'s other flags, as written.');
}

/** Flags of prometheus that take a value (kingpin): all but the boolean switches. */
const VALUE_FLAGS = /^--(config\.file|storage\.|web\.(listen-address|external-url|route-prefix|config\.file|console\.|max-connections|read-timeout|cors\.origin|page-title)|query\.|rules\.|alertmanager\.|log\.|scrape\.|enable-feature|auto-gomemlimit\.ratio)/;

function listen(r: RecipeContext, value: string): void {
  const colon = value.lastIndexOf(':');
  const address = colon < 0 ? value : value.slice(0, colon);
  const port = colon < 0 ? undefined : Number(value.slice(colon + 1));
  if (address !== '' && address !== '0.0.0.0') r.set('listenAddress', address, `--web.listen-address=${value} on the old container.`);
  if (port !== undefined && Number.isInteger(port) && port !== 9090) {
    r.report('info', 'prometheus/listen', `${r.service}: the container listened on ${port} inside; the module listens on services.prometheus.port (set from the published port)`);
  }
}
