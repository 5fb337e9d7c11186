import type { ContainerEngine } from '../../model/docker.ts';
import type { Unit } from '../../model/unit.ts';
import { list, str } from '../../nix/ast.ts';
import type { ServicePlan } from '../../plan/types.ts';
import { carryUnit } from '../carry-unit.ts';
import { carryDaemonOptions } from './daemon.ts';
import { OWNER, optionName, type BuildContext } from '../context.ts';
import { UNIT_KINDS } from '../unit-mapping.ts';
import { unitStem } from '../../model/unit.ts';

/**
 * Stage 1 (the post's first step): every unit carried 1:1. Units that ran
 * `docker run` keep doing so, against NixOS's Docker daemon; units that ran
 * `podman run` keep running podman, which needs no daemon to order after.
 */
export function buildDockerService(service: ServicePlan, ctx: BuildContext): void {
  const owner = OWNER.service(service.name);
  for (const unit of service.units) {
    carryDaemonOptions(unit, ctx);
    carryUnit(unit, owner, ctx);
    if (usesEngine(unit, 'docker') && !mentionsDocker(unit)) requireDocker(unit, owner, ctx);
  }
}

/** Whether a command line of the unit runs this container CLI. */
export function usesEngine(unit: Unit, engine: ContainerEngine): boolean {
  return unit.directives.some((d) => d.exec?.docker?.engine === engine);
}

function mentionsDocker(unit: Unit): boolean {
  return unit.directives.some(
    (d) =>
      d.section === 'Unit' &&
      ['After', 'Requires', 'Wants', 'BindsTo', 'Requisite'].includes(d.key) &&
      /\bdocker\.(service|socket)\b/.test(d.value),
  );
}

/** The old unit relied on Docker being up; say so, so systemd orders it after the daemon. */
function requireDocker(unit: Unit, owner: string, ctx: BuildContext): void {
  const kind = UNIT_KINDS[unit.type];
  if (!kind || unit.activation.mask?.value) return;
  const base = ['systemd', kind.collection, unitStem(unit.name)];
  const why = ['It runs the Docker CLI, so it needs the daemon.'];
  ctx.tree.define(owner, [...base, 'after'], list([str('docker.service')]), why);
  ctx.tree.define(owner, [...base, 'requires'], list([str('docker.service')]));
  ctx.ledger.report(
    'info',
    'docker/ordering-added',
    `${unit.name} runs docker but did not order itself after docker.service; nixport adds after/requires (${optionName(base)})`,
    unit.item.origin,
  );
}
