import { bool, str } from '../../nix/ast.ts';
import { OWNER, type BuildContext } from '../context.ts';
import { originComment } from '../values.ts';

/**
 * networking.hostName's type (docs/nixos-facts.md), minus the empty string,
 * which NixOS allows for DHCP names but `nixosConfigurations.""` cannot use.
 * The CLI checks --host with it too.
 */
export const HOST_LABEL = /^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/;

/** Which container CLIs the carried (stage 1) units run. */
export interface Engines {
  readonly docker: boolean;
  readonly podman: boolean;
}

/** Host-wide basics: name, boot loader, SSH, Docker or podman, state version. */
export function buildSystem(ctx: BuildContext, engines: Engines): void {
  const { tree, ledger, host } = ctx;
  const o = OWNER.configuration;

  const given = host.hostname;
  tree.define(o, ['networking', 'hostName'], str(ctx.hostName), given ? [`hostname, from ${originComment(given.item.origin)}`] : []);
  if (!HOST_LABEL.test(ctx.hostName)) {
    ledger.report(
      'error',
      'host/bad-hostname',
      `\`${ctx.hostName}\` is not a valid NixOS host name (one DNS label: letters, digits, \`-\`, \`_\`)`,
      given?.item.origin,
      'pass --host NAME',
    );
  }
  if (given) {
    const [label, ...domain] = given.value.split('.');
    if (label !== ctx.hostName) {
      ledger.dropped(given.item, `the host is named \`${ctx.hostName}\` (--host)`);
    } else if (domain.length > 0) {
      tree.define(o, ['networking', 'domain'], str(domain.join('.')));
      ledger.carried(given.item, 'networking.hostName', 'the domain part went to networking.domain');
    } else {
      ledger.carried(given.item, 'networking.hostName');
    }
  }

  tree.define(o, ['boot', 'loader', 'systemd-boot', 'enable'], bool(true), [
    'Assumes UEFI. For BIOS machines use boot.loader.grub instead.',
  ]);
  tree.define(o, ['boot', 'loader', 'efi', 'canTouchEfiVariables'], bool(true));
  ledger.manual({
    order: 20,
    title: 'Check the boot loader',
    detail: 'configuration.nix assumes a UEFI machine with systemd-boot. On a BIOS machine set `boot.loader.grub.enable = true;` and `boot.loader.grub.device`.',
  });

  tree.define(o, ['services', 'openssh', 'enable'], bool(true), [
    'CoreOS always ran sshd; keys are in users.nix.',
  ]);

  if (engines.docker) {
    tree.define(o, ['virtualisation', 'docker', 'enable'], bool(true), [
      'Stage 1: services still run their containers with the Docker CLI.',
    ]);
  }
  if (engines.podman) {
    // Puts podman on the PATH and writes /etc/containers (policy, registries); no daemon to order after.
    tree.define(o, ['virtualisation', 'podman', 'enable'], bool(true), [
      'Stage 1: services still run their containers with podman, as on the old host.',
    ]);
  }
  if (engines.docker && engines.podman) {
    ledger.report(
      'info',
      'host/docker-and-podman',
      'some carried units run docker and others podman: both virtualisation.docker.enable and virtualisation.podman.enable are set, and each keeps its own images, containers and volumes',
      undefined,
      'leave virtualisation.podman.dockerCompat off while Docker is enabled (NixOS refuses both); moving to one engine is a stage-2 step (--stage oci --backend ...)',
    );
  }

  tree.define(o, ['system', 'stateVersion'], str(ctx.release), [
    'The release this machine was first installed with; do not change it on upgrades.',
  ]);
}

/** The steps every migration has, around the ones the inputs call for. */
export function planInstall(ctx: BuildContext): void {
  ctx.ledger.manual({
    order: 80,
    title: 'Try it in a VM first',
    detail:
      'Run `make vm` on your workstation: it boots this configuration in QEMU without the real disks (vm.nix says what stands in for them), ' +
      'so you can check each service before touching the machine. README.md lists the ports it forwards and the console login.',
  });
  ctx.ledger.manual({
    order: 88,
    title: 'Install with nixos-anywhere',
    detail:
      'Unplug the data disks, boot the new machine into the NixOS installer (or any Linux with SSH as root), and run ' +
      '`make install INSTALL_TARGET=root@<address>` on your workstation: nixos-anywhere partitions and formats the system disk that disko.nix names, ' +
      'installs this flake, and writes the real hardware-configuration.nix into it (keep that file). ' +
      `Installing by hand instead: partition as disko.nix says, run \`nixos-generate-config --no-filesystems --root /mnt --show-hardware-config > hardware-configuration.nix\` (disko.nix declares the file systems), then \`nixos-install --flake .#${ctx.hostName}\`.`,
  });
  ctx.ledger.manual({
    order: 90,
    title: 'Deploy changes over SSH',
    detail: 'From then on, `make deploy` builds the system on your workstation and switches the host to it over SSH (README.md, "Deploy", says how and as whom).',
  });
}
