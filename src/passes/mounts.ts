import type { FileSystemPlan, MountAnalysis } from '../model/analysis.ts';
import { containerKey, type StandaloneContainer } from '../model/container.ts';
import type { Host } from '../model/host.ts';
import type { Ledger } from '../model/ledger.ts';
import { directivesOf, lastValue, unitStem, type Directive, type Unit } from '../model/unit.ts';
import { argStart, isLiteralExecWord, isSystemProgram, SHELLS, splitProgram, START_PHASES, STOP_KEYS } from './exec.ts';
import { parseMountArgs, type MountCommand } from './mount-args.ts';
import { isUnder, literalPrefix, longestPrefix, normalizePath } from './paths.ts';
import { readShell } from './shell-words.ts';
import { mountUnitName, unescapeSystemdPath } from './systemd-escape.ts';
import { execPaths, unitPaths } from './unit-paths.ts';

/**
 * Mounts are systemd's job (post, N2). A `mount DEV DIR` step in a oneshot
 * becomes `fileSystems."DIR"` with `nofail` and `x-systemd.requires=<unit>`:
 * systemd mounts DIR once the unit that prepares the device (unlocks it,
 * activates its volume group) has finished, and waits for fsck, which a bare
 * `mount` in the unit did not. `.mount` units become `fileSystems` entries
 * too. Every other unit whose files live under a planned mount point needs
 * it (RequiresMountsFor and wantedBy the mount unit, in the strategies).
 */
export function analyseMounts(host: Host, ledger: Ledger, skip: ReadonlySet<StandaloneContainer> = new Set()): MountAnalysis {
  const fileSystems: FileSystemPlan[] = [];
  const removedExecs = new Set<Directive>();
  /** Mount point -> the unit whose step mounted it, which must not wait for it. */
  const preparedBy = new Map<string, string>();
  const planned = (mountPoint: string) => fileSystems.find((f) => f.mountPoint === mountPoint);

  for (const unit of host.units) {
    if (unit.type !== 'mount') continue;
    const plan = planMountUnit(unit, ledger);
    if (!plan) continue;
    if (planned(plan.mountPoint)) {
      ledger.report('warning', 'mounts/duplicate', `${plan.mountPoint} is mounted twice; ${unit.name} is left out`, unit.origin);
      continue;
    }
    fileSystems.push(plan);
  }

  for (const unit of host.units) {
    if (unit.type !== 'service') continue;
    for (const d of unit.directives) {
      const step = mountStep(d, unit, ledger);
      if (!step || !convertible(step, d, unit, ledger)) continue;
      const mountPoint = normalizePath(step.mountPoint)!;
      if (planned(mountPoint)) {
        ledger.report(
          'warning',
          'mounts/duplicate',
          `${mountPoint} is mounted twice; this \`mount\` step stays in ${unit.name}`,
          d.item.origin,
          'remove the step if the other mount is the one meant',
        );
        continue;
      }
      const options = ['nofail', `x-systemd.requires=${unit.name}`, ...step.options.filter((o) => o !== 'nofail')];
      fileSystems.push({
        mountPoint,
        device: step.device,
        ...(step.fsType !== undefined ? { fsType: step.fsType } : {}),
        options,
        from: d,
        origin: d.item.origin,
      });
      preparedBy.set(mountPoint, unit.name);
      removedExecs.add(d);
      ledger.refine(d.item, {
        kind: 'carried',
        option: `fileSystems."${mountPoint}"`,
        note: `systemd mounts it after ${unit.name} (x-systemd.requires), instead of this step; the step left the unit`,
      });
      removeUnmountSteps(unit, mountPoint, step.device, removedExecs, ledger);
    }
  }

  const mountPoints = fileSystems.map((f) => f.mountPoint).filter((m) => m !== '/');
  const needs = new Map<string, readonly string[]>();
  for (const unit of host.units) {
    if (unit.type === 'mount') continue;
    const found = new Set<string>();
    for (const path of unitPaths(unit, removedExecs)) {
      const mount = longestPrefix(path, mountPoints);
      if (mount !== undefined) found.add(mount);
    }
    for (const mount of dependedMounts(unit, host, mountPoints, ledger)) found.add(mount);
    for (const [mount, preparer] of preparedBy) if (preparer === unit.name) found.delete(mount);
    if (found.size > 0) needs.set(unit.name, [...found].sort());
  }
  // Containers without a unit: the host paths they bind.
  for (const c of host.containers ?? []) {
    if (skip.has(c)) continue;
    const found = new Set<string>();
    for (const v of c.invocation.volumes) {
      const path = v.kind === 'bind' && v.source !== undefined ? literalPrefix(v.source) : undefined;
      const mount = path === undefined ? undefined : longestPrefix(path, mountPoints);
      if (mount !== undefined) found.add(mount);
    }
    if (found.size > 0) needs.set(containerKey(c), [...found].sort());
  }

  return { fileSystems, removedExecs, needs };
}

/** A `.mount` unit's [Mount] section as a fileSystems entry. */
function planMountUnit(unit: Unit, ledger: Ledger): FileSystemPlan | undefined {
  const where = lastValue(unit, 'Mount', 'Where');
  const what = lastValue(unit, 'Mount', 'What');
  const mountPoint = where ? normalizePath(where.value) : undefined;
  if (!where || !what || mountPoint === undefined) {
    ledger.report(
      'error',
      'mounts/incomplete-unit',
      `${unit.name} needs an absolute Where= and a What= to become a fileSystems entry`,
      unit.origin,
    );
    return undefined;
  }
  if (mountUnitName(mountPoint) !== unit.name) {
    ledger.report(
      'warning',
      'mounts/unit-name',
      `${unit.name} mounts ${mountPoint}, whose mount unit systemd names ${mountUnitName(mountPoint)}; systemd refuses the mismatch`,
      where.item.origin,
      `units that depend on ${unit.name} should name ${mountUnitName(mountPoint)}`,
    );
  }
  const type = lastValue(unit, 'Mount', 'Type');
  const options = lastValue(unit, 'Mount', 'Options');
  return {
    mountPoint,
    device: what.value,
    ...(type && type.value !== '' ? { fsType: type.value } : {}),
    options: options ? options.value.split(',').filter((o) => o !== '') : [],
    from: unit,
    origin: unit.origin,
  };
}

/**
 * `mount ... DEV DIR` as the whole command line, or as the whole payload of
 * `sh -c`. Lines that use mount otherwise are no steps (and stay as they are).
 */
function mountStep(d: Directive, unit: Unit, ledger: Ledger): MountCommand | undefined {
  const exec = d.exec;
  if (!exec || exec.words.length === 0 || !START_PHASES.includes(d.key)) return undefined;
  const program = exec.words[0]!.value;
  let args: readonly string[] | undefined;
  if (isSystemProgram(program, 'mount')) {
    const words = exec.words.slice(argStart(exec)).map((w) => w.value);
    if (!words.every(isLiteralExecWord)) return variableStep(d, unit, ledger);
    args = words;
  } else if (exec.shellPayload !== undefined && SHELLS.has(splitProgram(program).name)) {
    const script = readShell(exec.words[exec.shellPayload]?.value ?? '');
    const command = script.commands[0];
    if (!script.simple || !command || command.assignments.length > 0) return undefined;
    const first = command.words[0]?.literal;
    if (first === undefined || !isSystemProgram(first, 'mount')) return undefined;
    const words = command.words.slice(1).map((w) => w.literal);
    if (!words.every((w): w is string => w !== undefined && isLiteralExecWord(w))) return variableStep(d, unit, ledger);
    args = words;
  }
  if (args === undefined) return undefined;
  const parsed = parseMountArgs(args);
  if (!parsed.ok) {
    ledger.report(
      'warning',
      'mounts/step-kept',
      `the \`mount\` step in ${unit.name} stays a command: ${parsed.reason}`,
      d.item.origin,
      'declare the mount in fileSystems by hand to let systemd order it',
    );
    return undefined;
  }
  return parsed.mount;
}

function variableStep(d: Directive, unit: Unit, ledger: Ledger): undefined {
  ledger.report(
    'warning',
    'mounts/step-kept',
    `the \`mount\` step in ${unit.name} uses variables or specifiers, so it stays a command`,
    d.item.origin,
    'declare the mount in fileSystems by hand to let systemd order it',
  );
  return undefined;
}

/**
 * A step can leave its unit only when systemd mounting afterwards means the
 * same: the unit is a oneshot (its end is when the device is ready), no later
 * step of it uses the mount point, and the mount point is a plain absolute path.
 */
function convertible(step: MountCommand, d: Directive, unit: Unit, ledger: Ledger): boolean {
  const kept = (why: string, hint?: string) => {
    ledger.report('warning', 'mounts/step-kept', `the \`mount\` step in ${unit.name} stays a command: ${why}`, d.item.origin, hint);
    return false;
  };
  const mountPoint = normalizePath(step.mountPoint);
  if (mountPoint === undefined || mountPoint === '/') {
    return kept(`\`${step.mountPoint}\` is not an absolute mount point below /`);
  }
  if (lastValue(unit, 'Service', 'Type')?.value !== 'oneshot') {
    return kept(
      'the unit is not Type=oneshot, so systemd could not mount after it has finished preparing the device',
      'move the preparation into a oneshot unit; then this step can become a fileSystems entry',
    );
  }
  const later = laterSteps(unit, d).filter((s) => execPaths(s).some((p) => isUnder(p, mountPoint)));
  if (later.length > 0) {
    return kept(
      `a later step (${later[0]!.key}= at line ${later[0]!.item.origin.line}) uses ${mountPoint}, which systemd would mount only after the unit`,
      'move the steps that use the mount into a unit that needs it',
    );
  }
  return true;
}

/** The start steps systemd runs after `d`. */
function laterSteps(unit: Unit, d: Directive): Directive[] {
  const phase = START_PHASES.indexOf(d.key);
  const index = unit.directives.indexOf(d);
  return unit.directives.filter((s, i) => {
    if (!s.exec || s === d) return false;
    const p = START_PHASES.indexOf(s.key);
    return p > phase || (p === phase && i > index);
  });
}

/** `umount DIR` in ExecStop= of the unit that mounted DIR: systemd unmounts it now (the mount requires the unit). */
function removeUnmountSteps(unit: Unit, mountPoint: string, device: string, removed: Set<Directive>, ledger: Ledger): void {
  for (const d of unit.directives) {
    const exec = d.exec;
    if (!exec || !STOP_KEYS.has(d.key) || exec.words.length === 0) continue;
    if (!isSystemProgram(exec.words[0]!.value, 'umount')) continue;
    const targets = exec.words.slice(argStart(exec)).map((w) => w.value).filter((w) => !w.startsWith('-'));
    if (targets.length !== 1) continue;
    const target = targets[0]!;
    if (normalizePath(target) !== mountPoint && target !== device) continue;
    removed.add(d);
    ledger.refine(d.item, {
      kind: 'carried',
      option: `fileSystems."${mountPoint}"`,
      note: `systemd unmounts it when ${unit.name} stops (the mount requires the unit); the step left the unit`,
    });
  }
}

const HARD_DEPENDENCIES = ['Requires', 'BindsTo', 'Requisite'];
const ORDERING_DEPENDENCIES = ['After', 'Wants'];
/** Mount units systemd or NixOS provide on every host: no warning when a unit requires one. */
const SYSTEM_MOUNT_ROOTS = ['/dev', '/proc', '/sys', '/run', '/tmp', '/nix'];

/**
 * Mount points a unit names through its dependencies (`Requires=srv.mount`).
 * A hard dependency on a mount unit nobody defines fails the unit on the new
 * host; that is reported.
 */
function dependedMounts(unit: Unit, host: Host, mountPoints: readonly string[], ledger: Ledger): string[] {
  const out: string[] = [];
  for (const key of [...HARD_DEPENDENCIES, ...ORDERING_DEPENDENCIES]) {
    for (const d of directivesOf(unit, 'Unit', key)) {
      for (const name of d.value.split(/\s+/)) {
        if (!name.endsWith('.mount')) continue;
        const path = unescapeSystemdPath(unitStem(name));
        const mountPoint = path === undefined ? undefined : normalizePath(path);
        if (mountPoint !== undefined && mountPoints.includes(mountPoint)) {
          out.push(mountPoint);
          continue;
        }
        if (!HARD_DEPENDENCIES.includes(key) || host.units.some((u) => u.name === name)) continue;
        if (mountPoint === '/' || SYSTEM_MOUNT_ROOTS.some((root) => mountPoint !== undefined && isUnder(mountPoint, root))) continue;
        const sibling = host.units.find((u) => u !== unit && unitStem(u.name) === unitStem(name));
        ledger.report(
          'warning',
          'mounts/unknown-mount-unit',
          `${unit.name} has ${key}=${name}, but no input defines that mount unit and nothing mounts ${mountPoint ?? name}; the unit will fail to start on the new host`,
          d.item.origin,
          sibling ? `did it mean ${sibling.name}?` : 'name the unit that mounts the file system, or remove the dependency',
        );
      }
    }
  }
  return out;
}
