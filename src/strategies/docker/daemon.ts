import type { Directive, Unit } from '../../model/unit.ts';
import { str } from '../../nix/ast.ts';
import { OWNER, type BuildContext } from '../context.ts';
import { originComment } from '../values.ts';

/** `DOCKER_OPTS`, and the `DOCKER_OPT_BIP`-style variables flannel wrote. */
const DAEMON_VARIABLE = /^DOCKER_OPTS?(_[A-Z0-9_]+)?$/;

/**
 * CoreOS's docker.service started dockerd with `$DOCKER_OPTS` (and the
 * `$DOCKER_OPT_*` variables flannel set), so hosts tuned the daemon through
 * drop-ins setting them. NixOS's docker.service reads no such variable:
 * carried as they were, they would silently do nothing. They become
 * `virtualisation.docker.extraOptions`, the daemon flags NixOS passes.
 */
export function carryDaemonOptions(unit: Unit, ctx: BuildContext): void {
  if (unit.name !== 'docker.service') return;
  const owner = OWNER.service('docker');
  const flags: string[] = [];
  const sources: Directive[] = [];
  for (const d of unit.directives) {
    if (d.section !== 'Service' || d.key !== 'Environment' || !d.assignments || ctx.ledger.fate(d.item)) continue;
    const daemon = d.assignments.filter((a) => DAEMON_VARIABLE.test(a.name));
    if (daemon.length === 0) continue;
    // The directive's other variables stay in the unit's environment.
    for (const a of d.assignments) {
      if (!daemon.includes(a)) ctx.tree.define(owner, ['systemd', 'services', 'docker', 'environment', a.name], str(a.value));
    }
    flags.push(...daemon.map((a) => a.value.trim()).filter((v) => v !== ''));
    sources.push(d);
    ctx.ledger.carried(d.item, 'virtualisation.docker.extraOptions', `${daemon.map((a) => a.name).join(', ')}: NixOS's dockerd reads no such variable`);
  }
  if (sources.length === 0) return;
  ctx.tree.define(owner, ['virtualisation', 'docker', 'extraOptions'], str(flags.join(' ')), [
    `Daemon flags CoreOS's docker.service took from DOCKER_OPTS (${sources.map((d) => originComment(d.item.origin)).join(', ')}).`,
  ]);
  ctx.ledger.report(
    'info',
    'docker/daemon-options',
    'DOCKER_OPTS for docker.service became virtualisation.docker.extraOptions: NixOS starts dockerd without that variable',
    sources[0]!.item.origin,
  );
}
