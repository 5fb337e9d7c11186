import type { ModuleRecipe, RecipeContext } from './types.ts';

/**
 * AdGuard Home. nixpkgs: nixos/modules/services/networking/adguardhome.nix:
 * settings (null by default: the existing AdGuardHome.yaml is used as it
 * is), mutableSettings (true), host ("0.0.0.0") and port (3000), which
 * only matter with settings (they become http.address); openFirewall
 * opens only that port, never DNS; allowDHCP (CAP_NET_RAW, defaults to
 * settings.dhcp.enabled); extraArgs. The unit runs
 * `AdGuardHome --work-dir /var/lib/AdGuardHome/ --config /var/lib/AdGuardHome/AdGuardHome.yaml`
 * with DynamicUser=true and StateDirectory=AdGuardHome (so the files are in
 * /var/lib/private/AdGuardHome), CAP_NET_BIND_SERVICE, Restart=always,
 * RestartSec=10, and unitConfig StartLimitBurst=10, StartLimitIntervalSec=5.
 *
 * The image (adguard/adguardhome) keeps AdGuardHome.yaml in
 * /opt/adguardhome/conf and the work directory (data/: query log,
 * statistics, filters, sessions) in /opt/adguardhome/work. The ports it
 * listens on are in AdGuardHome.yaml (DNS, the web UI once set up, DoT,
 * DoH, DHCP), so they stay what the file says.
 */

export const adguardhome: ModuleRecipe = {
  kind: 'module',
  app: 'adguardhome',
  title: 'AdGuard Home DNS filter',
  images: ['adguard/adguardhome'],
  module: 'services.adguardhome',
  unit: {
    name: 'adguardhome',
    sets: {
      Restart: { value: 'always', priority: 'plain' },
      RestartSec: { value: 10, priority: 'plain' },
      'unitConfig.StartLimitIntervalSec': { value: 5, priority: 'plain' },
      'unitConfig.StartLimitBurst': { value: 10, priority: 'plain' },
    },
  },
  ports: [
    { container: 53, what: 'DNS', port: 53 },
    { container: 53, protocol: 'udp', what: 'DNS', port: 53 },
    { container: 80, what: 'web UI (HTTP, as AdGuardHome.yaml says)', port: 80 },
    { container: 443, what: 'web UI and DNS-over-HTTPS', port: 443 },
    { container: 443, protocol: 'udp', what: 'DNS-over-HTTP/3', port: 443 },
    { container: 3000, what: 'web UI (the setup wizard\'s port, as AdGuardHome.yaml says)', port: 3000 },
    { container: 853, what: 'DNS-over-TLS', port: 853 },
    { container: 853, protocol: 'udp', what: 'DNS-over-QUIC', port: 853 },
    { container: 784, protocol: 'udp', what: 'DNS-over-QUIC', port: 784 },
    { container: 5443, what: 'DNSCrypt', port: 5443 },
    { container: 5443, protocol: 'udp', what: 'DNSCrypt', port: 5443 },
    { container: 67, protocol: 'udp', what: 'DHCP server', port: 67 },
    { container: 68, protocol: 'udp', what: 'DHCP server', port: 68 },
  ],
  volumes: [
    { target: '/opt/adguardhome/conf', holds: 'AdGuardHome.yaml (DNS settings, filters, clients, users)', defaultDir: '/var/lib/private/AdGuardHome' },
    { target: '/opt/adguardhome/work', holds: 'data/: the query log, statistics, filter lists and sessions', defaultDir: '/var/lib/private/AdGuardHome' },
  ],
  steps: [
    { title: 'Make the directory of DynamicUser state', detail: '`install -d -m 0700 /var/lib/private` (systemd keeps the state of units with DynamicUser=true below it).', phase: 'running' },
    { title: 'Leave the ownership to systemd', detail: 'The unit runs as a dynamic user: systemd gives /var/lib/private/AdGuardHome to it when the service starts, so no chown is needed.' },
    { title: 'Check that DNS answers', detail: '`dig @127.0.0.1 example.org` (or `resolvectl query --interface=lo example.org`) on the new host; nothing else may listen on port 53 (systemd-resolved\'s stub listener, dnsmasq).', phase: 'switched' },
  ],
  differences: [
    'runs as a dynamic user (DynamicUser=true) with its files in /var/lib/private/AdGuardHome; the module has no option for another place',
    'AdGuardHome.yaml stays the configuration (services.adguardhome.settings is null); the ports it listens on are the ones the file names, and openFirewall would only open the web UI port, so the old ports are opened in networking.firewall',
  ],
  extra: dhcp,
};

/** The DHCP server needs raw sockets (CAP_NET_RAW): the module grants them with allowDHCP, which follows settings (null here). */
function dhcp(r: RecipeContext): void {
  const dhcpPort = r.input.ports.find((p) => p.protocol === 'udp' && p.containerPort.from === 67);
  if (dhcpPort) {
    r.set('allowDHCP', true, 'The container published the DHCP port (67/udp): the DHCP server needs raw sockets.');
  } else if (r.input.network === 'host') {
    r.reconfigure('If AdGuard Home\'s DHCP server is on (AdGuardHome.yaml, dhcp.enabled), set services.adguardhome.allowDHCP = true: the module grants raw sockets only then');
  }
}
