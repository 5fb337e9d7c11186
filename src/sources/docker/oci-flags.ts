/**
 * Where each `docker run` flag goes in stage 2, on
 * `virtualisation.oci-containers.containers.<name>` (nixos/modules/
 * virtualisation/oci-containers.nix; see docs/nixos-facts.md §16). One entry
 * per RUN_FLAGS entry, keyed by its canonical name; a test fails when one is
 * missing. The plan reads `stage1` entries (they keep a unit at stage 1), the
 * oci strategy reads the rest, and the support matrix prints them.
 *
 * The module builds the command line itself:
 *   docker run --name=<name> --log-driver=<log-driver> [--entrypoint=] [--hostname=]
 *     -e K=V... --env-file F... -p P... [-u U] -v V... -l K=V... [-w W]
 *     [--privileged] [--rm] --cap-add/--cap-drop... --device=... --network=...
 *     --pull <pull> <extraOptions...> <image> <cmd...>
 * and every extraOptions item is shell-quoted, so a flag kept there reaches
 * Docker exactly as one word (`--memory=1g`).
 */

/** Options of a container in the module (names verified against the source). */
export type OciOption =
  | 'image'
  | 'cmd'
  | 'entrypoint'
  | 'environment'
  | 'environmentFiles'
  | 'ports'
  | 'volumes'
  | 'user'
  | 'workdir'
  | 'hostname'
  | 'labels'
  | 'networks'
  | 'dependsOn'
  | 'autoStart'
  | 'privileged'
  | 'capabilities'
  | 'devices'
  | 'log-driver'
  | 'pull'
  | 'autoRemoveOnStop'
  | 'podman.sdnotify'
  | 'extraOptions';

export type OciFlagMapping =
  /** Onto a container option (values are read by the strategy; a value it cannot map is kept in extraOptions). */
  | { readonly kind: 'option'; readonly option: OciOption; readonly note?: string }
  /** Kept verbatim in extraOptions (as `--flag=value`); `spelled` renames a flag Docker removed. */
  | { readonly kind: 'extra'; readonly note?: string; readonly spelled?: string }
  /** `--name`: the attribute name of the container. */
  | { readonly kind: 'name' }
  /** Onto the container's systemd unit (`systemd.services.<backend>-<name>`). */
  | { readonly kind: 'unit'; readonly option: string; readonly note: string }
  /** Not carried, because the module does the same or it means nothing for a service. */
  | { readonly kind: 'dropped'; readonly reason: string }
  /** A unit with this flag stays at stage 1; a script's container is not made. */
  | { readonly kind: 'stage1'; readonly reason: string };

export interface OciFlag {
  readonly mapping: OciFlagMapping;
  /** Where the podman backend differs. */
  readonly podman?: OciFlagMapping;
}

const option = (o: OciOption, note?: string): OciFlag => ({ mapping: note === undefined ? { kind: 'option', option: o } : { kind: 'option', option: o, note } });
const extra = (note?: string): OciFlag => ({ mapping: note === undefined ? { kind: 'extra' } : { kind: 'extra', note } });
const dropped = (reason: string): OciFlag => ({ mapping: { kind: 'dropped', reason } });
const stage1 = (reason: string): OciFlag => ({ mapping: { kind: 'stage1', reason } });

const WINDOWS_ONLY = 'meaningful only for Windows containers; Docker on Linux ignores it';

export const OCI_FLAGS: Readonly<Record<string, OciFlag>> = {
  '--add-host': extra(),
  '--annotation': extra(),
  '--attach': dropped('the module runs the container attached to its unit; which streams a client attached to does not matter to a service (logs go to the log driver)'),
  '--blkio-weight': extra(),
  '--blkio-weight-device': extra(),
  '--cap-add': option('capabilities', 'capabilities.<CAP> = true'),
  '--cap-drop': option('capabilities', 'capabilities.<CAP> = false'),
  '--cgroup-parent': extra(),
  '--cgroupns': extra(),
  '--cidfile': {
    mapping: { kind: 'extra', note: 'kept: something on the host may read the ID file' },
    podman: { kind: 'stage1', reason: 'the podman backend writes its own --cidfile=/run/<name>/ctr-id; a second one is refused' },
  },
  '--cpu-count': dropped(WINDOWS_ONLY),
  '--cpu-percent': dropped(WINDOWS_ONLY),
  '--cpu-period': extra(),
  '--cpu-quota': extra(),
  '--cpu-rt-period': extra(),
  '--cpu-rt-runtime': extra(),
  '--cpu-shares': extra(),
  '--cpus': extra(),
  '--cpuset-cpus': extra(),
  '--cpuset-mems': extra(),
  '--detach': dropped('the module runs `docker run` in the foreground of the container\'s unit, which supervises it (with podman it adds -d itself)'),
  '--detach-keys': dropped('no terminal is attached to a service'),
  '--device': option('devices'),
  '--device-cgroup-rule': extra(),
  '--device-read-bps': extra(),
  '--device-read-iops': extra(),
  '--device-write-bps': extra(),
  '--device-write-iops': extra(),
  '--disable-content-trust': dropped('Docker removed client-side content trust; the flag does nothing'),
  '--dns': extra(),
  '--dns-option': extra(),
  '--dns-search': extra(),
  '--domainname': extra(),
  '--entrypoint': option('entrypoint'),
  '--env': option('environment', '`-e K=V` sets environment.K; `-e K` takes K from the unit\'s Environment= where it is known'),
  '--env-file': option('environmentFiles'),
  '--expose': extra(),
  '--gpus': extra(),
  '--group-add': extra(),
  '--health-cmd': extra(),
  '--health-interval': extra(),
  '--health-retries': extra(),
  '--health-start-interval': extra(),
  '--health-start-period': extra(),
  '--health-timeout': extra(),
  '--help': stage1('`--help` prints the usage instead of running a container'),
  '--hostname': option('hostname'),
  '--init': extra(),
  '--interactive': dropped('a service has no stdin to keep open: systemd gives the docker client /dev/null'),
  '--io-maxbandwidth': dropped(WINDOWS_ONLY),
  '--io-maxiops': dropped(WINDOWS_ONLY),
  '--ip': extra('needs a user-defined network with a subnet'),
  '--ip6': extra('needs a user-defined network with an IPv6 subnet'),
  '--ipc': extra(),
  '--isolation': extra(),
  '--kernel-memory': dropped('the kernel no longer supports kernel memory limits; Docker ignores the flag'),
  '--label': option('labels'),
  '--label-file': extra(),
  '--link': extra('a legacy feature; the linked container becomes a dependency where it is converted too'),
  '--link-local-ip': extra(),
  '--log-driver': option('log-driver'),
  '--log-opt': extra(),
  '--mac-address': extra(),
  '--memory': extra(),
  '--memory-reservation': extra(),
  '--memory-swap': extra(),
  '--memory-swappiness': extra(),
  '--mount': extra('kept as --mount: unlike -v, a bind --mount refuses a missing source, and its keys have no -v spelling'),
  '--name': { mapping: { kind: 'name' } },
  '--network': option('networks', 'user-defined networks are created by a oneshot unit ordered before the container'),
  '--network-alias': extra(),
  '--no-healthcheck': extra(),
  '--oom-kill-disable': extra(),
  '--oom-score-adj': extra(),
  '--pid': extra(),
  '--pids-limit': extra(),
  '--platform': extra(),
  '--privileged': option('privileged'),
  '--publish': option('ports'),
  '--publish-all': extra('the firewall cannot be opened for random host ports'),
  '--pull': option('pull'),
  '--quiet': dropped('it only hid the pull progress'),
  '--read-only': extra(),
  '--restart': {
    mapping: {
      kind: 'unit',
      option: 'serviceConfig.Restart',
      note: 'systemd restarts the container\'s unit; a Docker restart policy would also conflict with the --rm the module adds',
    },
  },
  '--rm': option('autoRemoveOnStop', 'the module removes the container when it stops (autoRemoveOnStop, default true)'),
  '--runtime': extra(),
  '--security-opt': extra(),
  '--shm-size': extra(),
  '--sig-proxy': dropped('the unit stops the container with `docker stop` (the module\'s preStop), not by signalling the client'),
  '--stop-signal': extra(),
  '--stop-timeout': extra('the unit waits TimeoutStopSec (120 s) for `docker stop`; a longer timeout raises it'),
  '--storage-opt': extra(),
  '--sysctl': extra(),
  '--tmpfs': extra(),
  '--tty': extra('kept: the process saw a terminal (line buffering, colours); remove it where the program does not need one'),
  '--ulimit': extra(),
  '--use-api-socket': extra(),
  '--user': option('user'),
  '--userns': extra(),
  '--uts': extra(),
  '--volume': option('volumes', 'named volumes stay named; their data lives in Docker\'s volume directory'),
  '--volume-driver': extra(),
  '--volumes-from': extra('the other container must exist when this one starts'),
  '--workdir': option('workdir'),
  // Flags Docker removed: a current Docker refuses them, so they are renamed or kept at stage 1.
  '--cpuset': { mapping: { kind: 'extra', spelled: '--cpuset-cpus', note: 'renamed to --cpuset-cpus, which Docker accepts' } },
  '--lxc-conf': stage1('LXC configuration has no meaning since Docker 1.10 and no equivalent; rewrite it by hand'),
  '--networking': {
    mapping: { kind: 'extra', spelled: '--network', note: '`--networking=false` becomes `--network=none`; `--networking` (true) was the default and is dropped' },
  },
};

const PODMAN_ONLY = 'podman only: Docker\'s `run` has no such flag';
/** A podman flag: verbatim in extraOptions with the podman backend; the docker backend keeps the unit at stage 1. */
const podman = (note?: string, docker: OciFlagMapping = { kind: 'stage1', reason: PODMAN_ONLY }): OciFlag => ({
  mapping: docker,
  podman: note === undefined ? { kind: 'extra' } : { kind: 'extra', note },
});
const both = (mapping: OciFlagMapping): OciFlag => ({ mapping });

/**
 * Flags only `podman run` has (src/sources/docker/podman-flags.ts). The
 * podman backend's own command line (docs/nixos-facts.md §16) already holds
 * `--cidfile`, `--cgroups=enabled`, `--sdnotify`, `-d` and `--replace`, and
 * pflag takes the last value of a repeated flag, so an extraOptions value wins.
 */
export const PODMAN_OCI_FLAGS: Readonly<Record<string, OciFlag>> = {
  '--arch': podman(),
  '--authfile': podman('the file must exist on the new host'),
  '--cert-dir': podman(),
  '--cgroup-conf': podman(),
  '--cgroups': podman('after the module\'s own --cgroups=enabled, so this value wins'),
  '--chrootdirs': podman(),
  '--conmon-pidfile': podman('kept: something on the host may read the file'),
  '--creds': both({ kind: 'stage1', reason: 'a registry password on the command line would land in the world-readable Nix store; use the container\'s login.* options with a password file' }),
  '--decryption-key': podman(),
  '--env-host': podman('the container now gets the environment of the module\'s unit, not of the old one'),
  '--env-merge': podman(),
  '--gidmap': podman(),
  '--group-entry': podman(),
  '--health-log-destination': podman(),
  '--health-max-log-count': podman(),
  '--health-max-log-size': podman(),
  '--health-on-failure': podman(),
  '--health-startup-cmd': podman(),
  '--health-startup-interval': podman(),
  '--health-startup-retries': podman(),
  '--health-startup-success': podman(),
  '--health-startup-timeout': podman(),
  '--hosts-file': podman(),
  '--hostuser': podman(),
  '--http-proxy': podman(undefined, { kind: 'dropped', reason: 'Docker never passes the host\'s proxy variables; set environment where the container needs them' }),
  '--image-volume': podman(),
  '--init-path': podman(),
  '--no-hostname': podman(),
  '--no-hosts': podman(),
  '--os': podman(),
  '--passwd': podman(),
  '--passwd-entry': podman(),
  '--personality': podman(),
  '--pidfile': podman('kept: something on the host may read the file'),
  '--pod': podman('the pod must exist before the container starts; oci-containers does not create pods'),
  '--pod-id-file': podman('the pod must exist before the container starts; oci-containers does not create pods'),
  '--preserve-fd': both({ kind: 'stage1', reason: 'the module\'s unit has no extra file descriptors to hand on' }),
  '--preserve-fds': both({ kind: 'stage1', reason: 'the module\'s unit has no extra file descriptors to hand on' }),
  '--rdt-class': podman(),
  '--read-only-tmpfs': podman(),
  '--replace': both({ kind: 'dropped', reason: 'the module removes the old container before it starts one (with podman it passes --replace itself)' }),
  '--requires': podman('the required containers become dependencies where they are converted too'),
  '--retry': podman(),
  '--retry-delay': podman(),
  '--rmi': podman(),
  '--rootfs': podman('the image argument is a directory on the host, which must exist there'),
  '--sdnotify': {
    mapping: { kind: 'dropped', reason: 'the docker backend\'s unit is ready when `docker run` starts; there is no notification to choose' },
    podman: { kind: 'option', option: 'podman.sdnotify', note: 'conmon (the module\'s default), healthy or container; the unit is Type=notify, so `ignore` stays at stage 1' },
  },
  '--seccomp-policy': podman(),
  '--secret': podman('the secret must exist in podman\'s store (`podman secret create`) on the new host'),
  '--shm-size-systemd': podman(),
  '--subgidname': podman(),
  '--subuidname': podman(),
  '--systemd': podman(),
  '--timeout': podman(),
  '--tls-verify': podman(),
  '--tz': podman(),
  '--uidmap': podman(),
  '--umask': podman(),
  '--unsetenv': podman(),
  '--unsetenv-all': podman(),
  '--variant': podman(),
};

export function ociFlag(name: string): OciFlag | undefined {
  return OCI_FLAGS[name] ?? PODMAN_OCI_FLAGS[name];
}

/** The mapping for a backend: podman's where it differs. */
export function ociMapping(flag: OciFlag, backend: 'docker' | 'podman'): OciFlagMapping {
  return backend === 'podman' && flag.podman !== undefined ? flag.podman : flag.mapping;
}
