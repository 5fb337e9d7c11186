/**
 * The parts of MIGRATION.md about the flake beyond the old host: the VM
 * and its ports, installing and deploying (with deploy-rs's magic
 * rollback), automatic upgrades and the health check that rolls them back.
 * README.md says the same at more length; the report keeps the facts.
 */
import type { Report } from './types.ts';

export function flakeSections(report: Report): string[] {
  const out: string[] = [];
  const vm = report.vm;
  if (vm) {
    out.push('## Try it in a VM', '');
    out.push(
      `\`make vm\` boots the configuration in QEMU (${vm.memoryMiB} MiB, ${vm.cores} cores) with vm.nix's changes: ` +
        [
          vm.dataDirs.length > 0 ? `the data file systems (${vm.dataDirs.map((d) => d.mountPoint).join(', ')}) are directories on the VM's disk` : '',
          vm.stubbedUnits.length > 0 ? `the units that prepared them (${vm.stubbedUnits.join(', ')}) succeed without doing anything` : '',
          vm.disabled.length > 0 ? `off: ${vm.disabled.join(', ')}` : '',
          `log in as ${vm.user.name} / ${vm.user.password}`,
        ]
          .filter((x) => x !== '')
          .join('; ') +
        '.',
      '',
    );
    if (vm.forwards.length > 0) {
      out.push('| service | port in the VM | on the workstation |', '|---|---|---|');
      for (const f of vm.forwards) out.push(`| ${f.unit} | ${f.guestAddress ? `${f.guestAddress}:` : ''}${f.guestPort}/${f.proto} | localhost:${f.hostPort}/${f.proto} |`);
      out.push('');
    }
    for (const s of vm.skipped) out.push(`- Not forwarded: ${s.unit} ${s.ports}/${s.proto} (${s.reason}).`);
    if (vm.skipped.length > 0) out.push('');
  }
  const deploy = report.deploy;
  if (deploy) {
    out.push('## Install and deploy', '');
    out.push(
      `- First install: \`make install INSTALL_TARGET=root@<address>\` runs nixos-anywhere, which erases and partitions ${deploy.installDiskUnknown ? 'the disk disko.nix names (**not set yet: CHANGE-ME**)' : `\`${deploy.installDisk}\` (disko.nix)`} and writes hardware-configuration.nix.`,
      `- Deploys: ${deployLine(deploy.tool)} to \`${deploy.target}\` (${deploy.reason}).`,
      '',
    );
    if (deploy.tool === 'deploy-rs') {
      out.push(
        "deploy-rs's **magic rollback**: after activating the new system, deploy-rs must reach the host again; if the new configuration cut it off (SSH, network, firewall), " +
          'the host switches back to the previous generation by itself once the confirmation times out. `autoRollback` also reactivates the previous generation when activation fails.',
        '',
      );
    }
  }
  const health = report.health;
  if (health) {
    out.push('## Updates and rollback', '');
    out.push(
      `system.autoUpgrade rebuilds the host from its flake with newer nixpkgs. Before each upgrade nixos-upgrade.service records the running system and which probes pass; ` +
        `after it (and after the reboot, when it needs one) nixport-health-check.service probes again, up to ${health.tries} times, ${health.intervalSec} s apart. ` +
        `When a probe that passed before still fails, the recorded system becomes the current generation again and upgrades are held until \`${health.holdFile}\` is removed. ` +
        'Probes that already failed before never cause a rollback. The probes (health.nix):',
      '',
    );
    out.push('| service | probe |', '|---|---|');
    for (const p of health.probes) out.push(`| ${p.service} | ${p.kind} ${p.args.join(' ')} |`);
    out.push('');
  }
  return out;
}

function deployLine(tool: string): string {
  switch (tool) {
    case 'colmena':
      return '`make deploy` runs `colmena apply --on <host>` (colmenaHive in flake.nix)';
    case 'deploy-rs':
      return '`make deploy` runs deploy-rs for the host (deploy.nodes in flake.nix)';
    default:
      return '`make deploy` runs `nixos-rebuild switch --target-host` with sudo';
  }
}
