import type { ModuleRecipe, RecipeContext } from './types.ts';

/**
 * The Prometheus node exporter (post, N1). nixpkgs:
 * nixos/modules/services/monitoring/prometheus/exporters.nix (listenAddress
 * "0.0.0.0", port, openFirewall, extraFlags; unit
 * prometheus-node-exporter.service with Restart = mkDefault "always") and
 * exporters/node.nix (enabledCollectors / disabledCollectors become
 * `--collector.X` / `--no-collector.X`; port 9100).
 *
 * In a container the exporter read the host through a bind of / (and
 * `--path.rootfs`); natively it runs on the host, so those go.
 */

export const nodeExporter: ModuleRecipe = {
  kind: 'module',
  app: 'node-exporter',
  title: 'Prometheus node exporter',
  images: ['quay.io/prometheus/node-exporter', 'prom/node-exporter', 'bitnami/node-exporter'],
  commands: ['node_exporter'],
  module: 'services.prometheus.exporters.node',
  unit: { name: 'prometheus-node-exporter', sets: { Restart: { value: 'always', priority: 'default' } } },
  user: { user: 'node-exporter', group: 'node-exporter' },
  ports: [{ container: 9100, what: 'metrics', option: 'port', port: 9100, address: { option: 'listenAddress', default: '0.0.0.0', any: '0.0.0.0' } }],
  firewall: { option: 'openFirewall', tcp: [{ option: 'port', default: 9100 }], udp: [] },
  volumes: [
    { target: '/host', holds: 'the host\'s root file system, read-only', drop: 'the exporter runs on the host and reads / itself' },
    { target: '/proc', holds: 'the host\'s /proc', drop: 'the exporter runs on the host and reads /proc itself' },
    { target: '/sys', holds: 'the host\'s /sys', drop: 'the exporter runs on the host and reads /sys itself' },
    { target: '/rootfs', holds: 'the host\'s root file system', drop: 'the exporter runs on the host and reads / itself' },
    { target: '/var/run/dbus', holds: 'the D-Bus socket (systemd collector)', drop: 'the exporter runs on the host; the module allows AF_UNIX when the systemd or logind collector is on' },
    { target: '/run/dbus', holds: 'the D-Bus socket (systemd collector)', drop: 'the exporter runs on the host; the module allows AF_UNIX when the systemd or logind collector is on' },
  ],
  health: { path: '/metrics', port: 9100 },
  differences: [
    'runs as the system user `node-exporter` with ProtectHome and ProtectSystem=strict; file system metrics of /home come from outside the sandbox view',
  ],
  extra: flags,
};

/** Paths the container's flags pointed at its binds of the host. */
const CONTAINER_PATH_FLAGS = new Set(['--path.rootfs', '--path.procfs', '--path.sysfs', '--path.udev.data']);

function flags(r: RecipeContext): void {
  const args = r.input.args;
  let start = 0;
  if (args[0] !== undefined && !args[0].startsWith('-')) start = 1; // the program itself (`node_exporter`)
  const enabled: string[] = [];
  const disabled: string[] = [];
  const extra: string[] = [];
  for (let i = start; i < args.length; i++) {
    const arg = args[i]!;
    const [flag = '', inline] = splitFlag(arg);
    const value = inline ?? (takesValue(flag) && args[i + 1] !== undefined && !args[i + 1]!.startsWith('-') ? args[++i] : undefined);
    const collector = /^--(no-)?collector\.([a-z0-9_]+)$/.exec(flag);
    if (collector && value === undefined) {
      (collector[1] ? disabled : enabled).push(collector[2]!);
    } else if (flag === '--web.listen-address' && value !== undefined) {
      listen(r, value);
    } else if (CONTAINER_PATH_FLAGS.has(flag)) {
      r.report('info', 'node-exporter/container-path', `${r.service}: \`${arg}\` pointed the exporter at the container's view of the host; natively it reads the host's own paths`, undefined);
    } else {
      extra.push(value === undefined ? flag : `${flag}=${value}`);
    }
  }
  r.claimArgs(args.length);
  if (enabled.length > 0) r.set('enabledCollectors', enabled, 'From the old container\'s --collector.* flags.');
  if (disabled.length > 0) r.set('disabledCollectors', disabled, 'From the old container\'s --no-collector.* flags.');
  if (extra.length > 0) {
    r.set('extraFlags', extra, 'The old container\'s other flags, as written.');
    r.report('info', 'node-exporter/extra-flags', `${r.service}: ${extra.join(' ')} passed through extraFlags; paths in them must exist on the host`);
  }
}

/** `--web.listen-address=ADDR:PORT`: the exporter listens there, as before. */
function listen(r: RecipeContext, value: string): void {
  const colon = value.lastIndexOf(':');
  const address = colon < 0 ? value : value.slice(0, colon);
  const port = colon < 0 ? undefined : Number(value.slice(colon + 1));
  if (address !== '0.0.0.0') r.set('listenAddress', address, `--web.listen-address ${value} on the old host.`);
  if (port !== undefined && Number.isInteger(port) && port !== 9100) r.set('port', port);
}

function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq < 0 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

/** node_exporter's flags that take a value (kingpin: all but the collector switches and a few booleans). */
function takesValue(flag: string): boolean {
  return !/^--(no-)?collector\.[a-z0-9_]+$/.test(flag) && !/^--(web\.disable-exporter-metrics|collector\.disable-defaults|version|help)$/.test(flag);
}
