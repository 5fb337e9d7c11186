/**
 * README.md of the output: how to try, install, deploy and update the
 * flake, with the facts of this conversion (forwarded ports, the deploy
 * login, the health probes) filled in.
 */
import type { Build } from '../strategies/index.ts';
import { probeLine } from '../strategies/host/health.ts';
import { plainString, PRIVILEGED_BELOW, VM_DATA_DIR, VM_PORT_OFFSET } from '../strategies/host/vm.ts';
import type { DeployTool } from './flake.ts';
import { KEEP_HINT_MARKDOWN } from './keep.ts';

export interface ReadmeHost {
  readonly name: string;
  /** '' or `hosts/<name>/`. */
  readonly dir: string;
  readonly build: Build;
  readonly target: string;
}

export interface ReadmeSpec {
  readonly hosts: readonly ReadmeHost[];
  readonly deploy: DeployTool;
  readonly release: string;
  /** Fleet only: what modules/common.nix holds. */
  readonly common?: { readonly groups: readonly string[] };
}

export function readme(spec: ReadmeSpec): string {
  const fleet = spec.common !== undefined;
  const names = spec.hosts.map((h) => h.name);
  const cmd = (verb: string, host: string) => (fleet ? `make ${verb}-${host}` : `make ${verb}`);
  const out: string[] = [];
  out.push(`# NixOS ${fleet ? `fleet: ${names.join(', ')}` : `configuration of ${names[0]}`}`, '');
  out.push(`> ${KEEP_HINT_MARKDOWN}`, '');
  out.push(
    `Converted by nixport from the configuration of the old host${fleet ? 's' : ''} into a flake pinned to NixOS ${spec.release}. ` +
      `MIGRATION.md${fleet ? ' (one per host, in its directory)' : ''} says where every input item went and lists the manual steps, in order.`,
    '',
  );
  out.push('| command | what it does |', '|---|---|');
  const one = fleet ? '<host>' : names[0]!;
  out.push(`| \`${cmd('build', one)}\` | build the system on this workstation |`);
  out.push(`| \`${cmd('vm', one)}\` | boot it in a QEMU VM, without the real disks |`);
  out.push(`| \`${cmd('install', one)} INSTALL_TARGET=root@<address>\` | first install with nixos-anywhere: **erases the disk in disko.nix** |`);
  out.push(`| \`${cmd('deploy', one)}\` | switch the running host to this flake over SSH |`);
  if (fleet) out.push('| `make build`, `make deploy` | the same for every host |');
  out.push('| `make update` | move nixpkgs to the newest commit of the release |', '| `make check` | evaluate the flake |', '');

  if (fleet && spec.common) {
    out.push('## Shared configuration', '');
    out.push(
      `\`modules/common.nix\` holds what every host defines identically${spec.common.groups.length > 0 ? `: ${spec.common.groups.map((g) => `\`${g}\``).join(', ')}` : ' (nothing, for these hosts)'}; ` +
        'each host\'s own modules are under `hosts/<host>/`. nixport compared the definitions it built for each host; a setting that differs anywhere stays with each host.',
      '',
    );
  }

  out.push('## Try it in a VM', '');
  out.push(
    `\`${cmd('vm', one)}\` builds \`system.build.vm\` and starts it in QEMU, with the console in this terminal (stop it with Ctrl-a x). ` +
      'Everything that differs from the real machine is in `vm.nix`, inside `virtualisation.vmVariant`, which only the VM uses. ' +
      `The VM keeps its disk in \`<host>.qcow2\` in the current directory; delete it to start afresh.`,
    '',
  );
  for (const host of spec.hosts) out.push(...vmSection(host, fleet));

  out.push('## Install', '');
  out.push(
    'Unplug the data disks. Boot the new machine into the NixOS installer (or any Linux you can reach as root over SSH), then run ' +
      `\`${cmd('install', one)} INSTALL_TARGET=root@<address>\`. nixos-anywhere partitions and formats the disk that \`disko.nix\` names, installs the flake and ` +
      'writes the real `hardware-configuration.nix` into the flake: keep it (commit it).',
    '',
  );
  for (const host of spec.hosts) {
    const d = host.build.disko;
    const who = fleet ? `${host.name}: ` : '';
    out.push(
      d.placeholder
        ? `- ${who}**\`${host.dir}disko.nix\` does not name the system disk yet** (${d.source}); \`make install\` refuses to run until it does.`
        : `- ${who}\`${host.dir}disko.nix\` names \`${d.device}\`: ${d.source}. Check it.`,
    );
    if (d.dataDevices.length > 0) out.push(`  Never name the data devices there: ${d.dataDevices.map((x) => `\`${x}\``).join(', ')}.`);
  }
  out.push('');

  out.push('## Deploy', '');
  out.push(...deploySection(spec, fleet, cmd));

  const upgrading = spec.hosts.filter((h) => h.build.health);
  out.push('## Updates and rollback', '');
  if (upgrading.length === 0) {
    out.push('The old host did not update itself, so neither does this configuration. `make update` and `make deploy` update it by hand.', '');
  } else {
    out.push(...updatesSection(upgrading, fleet));
  }

  out.push('## Re-running nixport', '');
  out.push(
    '`nixport convert <inputs> -o <this directory> --update` converts the inputs again and rewrites the files nixport generated, printing which files and options changed. ' +
      'A file whose first line is `# nixport: keep` (`<!-- nixport: keep -->` in Markdown) is left as it is, and so is every file nixport did not write ' +
      'and the real `hardware-configuration.nix` the install wrote. Files nixport wrote and you changed without the marker are replaced; ' +
      'MIGRATION.md and migration.json are always rewritten.',
    '',
  );
  return out.join('\n');
}

function vmSection(host: ReadmeHost, fleet: boolean): string[] {
  const vm = host.build.vm;
  const out: string[] = [];
  if (fleet) out.push(`### ${host.name}`, '');
  out.push(`- ${vm.memoryMiB} MiB of memory, ${vm.cores} cores${vm.diskMiB ? `, ${vm.diskMiB} MiB of disk` : ''}.`);
  out.push(`- Log in on the console as \`${vm.user.name}\`, password \`${vm.user.password}\` (sudo works). The real machine has no such user.`);
  if (vm.dataDirs.length > 0) {
    out.push(`- The data file systems are directories on the VM's disk (under \`${VM_DATA_DIR}\`): ${vm.dataDirs.map((d) => `\`${d.mountPoint}\``).join(', ')}. They start empty.`);
  }
  if (vm.onRootDisk.length > 0) out.push(`- ${vm.onRootDisk.map((m) => `\`${m}\``).join(', ')}: part of the VM's root disk (NixOS mounts them before anything could stand in for them).`);
  if (vm.stubbedUnits.length > 0) {
    out.push(`- The units that prepared the data disks (${vm.stubbedUnits.map((u) => `\`${u}\``).join(', ')}) succeed in the VM without doing anything, so what requires them still starts.`);
  }
  if (vm.disabled.length > 0) out.push(`- Off in the VM: ${vm.disabled.map((o) => `\`${o}\``).join(', ')}.`);
  if (vm.addresses.length > 0) {
    out.push(
      `- The VM's interface also has ${vm.addresses.map((a) => `\`${a}\``).join(', ')}, which services were bound to on the old host; ` +
        'their ports are forwarded to that address. If one does not answer from the workstation, try it from the VM console.',
    );
  }
  out.push('');
  if (vm.forwards.length > 0) {
    out.push(`Ports, from the workstation (a port below ${PRIVILEGED_BELOW} is at port + ${VM_PORT_OFFSET}):`, '');
    out.push('| service | in the VM | on the workstation |', '|---|---|---|');
    for (const f of vm.forwards) {
      const guest = `${f.guestAddress ? `${f.guestAddress}:` : ''}${f.guestPort}/${f.proto}`;
      const onHost = f.proto === 'tcp' ? `\`localhost:${f.hostPort}\`` : `\`localhost:${f.hostPort}\` (udp)`;
      out.push(`| ${f.unit} | ${guest} | ${onHost} |`);
    }
    out.push('');
    const ssh = vm.forwards.find((f) => f.unit === 'sshd');
    if (ssh) out.push(`SSH into the VM: \`ssh -p ${ssh.hostPort} ${vm.user.name}@localhost\`.`, '');
  }
  if (vm.skipped.length > 0) {
    out.push('Not forwarded:', '');
    for (const s of vm.skipped) out.push(`- ${s.unit} ${s.ports}/${s.proto}: ${s.reason}`);
    out.push('');
  }
  return out;
}

function deploySection(spec: ReadmeSpec, fleet: boolean, cmd: (verb: string, host: string) => string): string[] {
  const out: string[] = [];
  const one = fleet ? '<host>' : spec.hosts[0]!.name;
  for (const host of spec.hosts) {
    const a = host.build.access;
    out.push(`- ${fleet ? `${host.name}: ` : ''}Deploys log in as \`${host.target}\` (${a.reason}).${a.user === 'root' ? '' : ` It becomes root with sudo, and is a trusted Nix user (\`nix.settings.trusted-users\`), so it can receive the system's store paths.`}`);
  }
  out.push('');
  switch (spec.deploy) {
    case 'colmena':
      out.push(
        `\`${cmd('deploy', one)}\` runs \`colmena apply --on <host>\`; \`colmena apply\` deploys every host. The hive is \`colmenaHive\` in flake.nix (made with \`colmena.lib.makeHive\`); ` +
          'each node says where it deploys (`deployment.targetHost`, `deployment.targetUser`). A non-root target user needs sudo without a password, since colmena does not ask for one.',
        '',
      );
      break;
    case 'deploy-rs':
      out.push(
        `\`${cmd('deploy', one)}\` runs deploy-rs for the host's node in flake.nix (\`deploy.nodes\`). A non-root \`sshUser\` needs sudo without a password.`,
        '',
        '**Magic rollback.** After activating the new system, deploy-rs connects to the host again. If it cannot (the new configuration broke SSH, the network or the firewall), ' +
          'the host itself switches back to the previous generation when the confirmation times out. `autoRollback` also reactivates the previous generation when activation fails. ' +
          'A change that is meant to move SSH (another port or address) must be deployed with magic rollback off (`--magic-rollback false`).',
        '',
      );
      break;
    default:
      out.push(
        `\`${cmd('deploy', one)}\` runs \`nixos-rebuild switch --flake .#<host> --target-host <target> --sudo --ask-sudo-password\`: it builds on this workstation, copies the system to the host and switches it. ` +
          'Set `TARGET` (and `SUDO`, empty for root) in the Makefile if the host is reached another way. With `nixport convert --deploy colmena` or `--deploy deploy-rs` the flake gets the matching outputs instead.',
        '',
      );
  }
  out.push('Every deployed system carries this flake in `/etc/nixport/flake`, which automatic upgrades rebuild from.', '');
  return out;
}

function updatesSection(hosts: readonly ReadmeHost[], fleet: boolean): string[] {
  const out: string[] = [];
  const first = hosts[0]!.build.health!;
  out.push(
    '`system.autoUpgrade` rebuilds the host from its flake with the newest nixpkgs of the release, on the schedule the old host rebooted in:',
    '',
  );
  for (const host of hosts) out.push(`- ${fleet ? `${host.name}: ` : ''}${schedule(host.build)}`);
  out.push(
    '',
    'After each upgrade, `nixport-health-check.service` (health.nix) checks that the services still work, and undoes the upgrade when they do not:',
    '',
    '1. Before the upgrade, `nixos-upgrade.service` records the running system and which probes pass.',
    `2. After it (and after the reboot, when the upgrade needs one), the probes run again, up to ${first.tries} times, ${first.intervalSec} s apart.`,
    '3. If a probe that passed before still fails, the recorded system becomes the current generation again (`nix-env --set` of the system profile, then `switch-to-configuration`; with a reboot if the new kernel was running), ' +
      `and further upgrades are held: \`${first.holdFile}\` says what failed. Remove it to let upgrades resume.`,
    '4. A probe that failed before the upgrade never causes a rollback.',
    '',
    'Logs: `journalctl -u nixos-upgrade -u nixport-health-check`. The probes are in `/etc/nixport/health-probes` (set in health.nix; add `http` probes for health endpoints there):',
    '',
  );
  for (const host of hosts) {
    if (fleet) out.push(`${host.name}:`, '');
    out.push('```', ...host.build.health!.probes.map(probeLine), '```', '');
  }
  return out;
}

function schedule(build: Build): string {
  const at = (...p: string[]) => {
    const d = build.tree.definitions.find((x) => x.path.join('.') === ['system', 'autoUpgrade', ...p].join('.'));
    return d ? (plainString(d.value) ?? (d.value.kind === 'bool' ? String(d.value.value) : undefined)) : undefined;
  };
  const dates = at('dates') ?? '04:40 (the NixOS default)';
  const reboot = at('allowReboot') === 'true';
  const window = build.tree.definitions.find((x) => x.path.join('.') === 'system.autoUpgrade.rebootWindow');
  const lower = window?.value.kind === 'attrs' ? plainString(window.value.bindings.find((b) => b.path[0] === 'lower')!.value) : undefined;
  const upper = window?.value.kind === 'attrs' ? plainString(window.value.bindings.find((b) => b.path[0] === 'upper')!.value) : undefined;
  return `at ${dates}; ${reboot ? `reboots when the kernel changes${lower && upper ? `, between ${lower} and ${upper}` : ''}` : 'never reboots by itself'}.`;
}
