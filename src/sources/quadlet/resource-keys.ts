import type { KeyRule } from './container-keys.ts';

/**
 * [Network] and [Volume] keys (podman-systemd.unit(5), "Network units" and
 * "Volume units"): the `podman network create` / `podman volume create`
 * flags the generator's oneshot ran. The networks and volumes are created
 * the same way on the new host (strategies/oci/networks.ts, volumes.ts).
 */

const flag = (f: string): KeyRule => ({ kind: 'flag', flag: f });
const bool = (f: string): KeyRule => ({ kind: 'bool', flag: f });
const opt = (template: string): KeyRule => ({ kind: 'template', flag: '--opt', template });
const special = (becomes: string): KeyRule => ({ kind: 'special', becomes });
const UNIT_NAME: KeyRule = { kind: 'reported', fate: 'dropped', reason: 'the name of the oneshot Quadlet made; the new one is named after the engine and the resource' };
const GLOBAL: KeyRule = { kind: 'reported', fate: 'unsupported', reason: 'flags of `podman` itself; add them to the creating oneshot\'s script by hand' };

export const NETWORK_KEYS: Readonly<Record<string, KeyRule>> = {
  ContainersConfModule: GLOBAL,
  DisableDNS: bool('--disable-dns'),
  DNS: flag('--dns'),
  Driver: flag('--driver'),
  Gateway: flag('--gateway'),
  GlobalArgs: GLOBAL,
  InterfaceName: flag('--interface-name'),
  Internal: bool('--internal'),
  IPAMDriver: flag('--ipam-driver'),
  IPRange: flag('--ip-range'),
  IPv6: bool('--ipv6'),
  Label: { kind: 'assignments', flag: '--label' },
  NetworkDeleteOnStop: { kind: 'reported', fate: 'unsupported', reason: 'the network is kept when its oneshot stops; delete it by hand (`podman network rm`) where that mattered' },
  NetworkName: special('the network\'s name (default `systemd-<file name>`)'),
  Options: flag('--opt'),
  PodmanArgs: special('more `podman network create` flags, read from the value'),
  ServiceName: UNIT_NAME,
  Subnet: flag('--subnet'),
};

export const VOLUME_KEYS: Readonly<Record<string, KeyRule>> = {
  ContainersConfModule: GLOBAL,
  Copy: opt('copy'),
  Device: opt('device=%s'),
  Driver: flag('--driver'),
  GID: flag('--gid'),
  GlobalArgs: GLOBAL,
  Group: opt('o=group=%s'),
  Image: opt('image=%s'),
  Label: { kind: 'assignments', flag: '--label' },
  Options: opt('o=%s'),
  PodmanArgs: special('more `podman volume create` flags, read from the value'),
  ServiceName: UNIT_NAME,
  Type: opt('type=%s'),
  UID: flag('--uid'),
  User: opt('o=uid=%s'),
  VolumeName: special('the volume\'s name (default `systemd-<file name>`)'),
};
