/**
 * The sections a Container Linux Config has for Container Linux's own
 * services, which ct turns into files and units of the Ignition config:
 *
 * - `update` and `locksmith` become /etc/coreos/update.conf (GROUP, SERVER,
 *   REBOOT_STRATEGY, LOCKSMITHD_REBOOT_WINDOW_*), the same policy as
 *   cloud-config's `coreos.update`/`coreos.locksmith`: read into the same
 *   UpdatePolicy, which becomes system.autoUpgrade.
 * - `docker.flags` becomes a docker.service drop-in setting DOCKER_OPTS, so it
 *   is read as that drop-in and carried as any DOCKER_OPTS drop-in is.
 * - `etcd` and `flannel` are settled by the key table (not migrated).
 */
import type { UpdatePolicy } from '../../model/host.ts';
import type { ReaderContext } from '../ignition/build/context.ts';
import { unlessRejected, type Fields } from '../ignition/walker.ts';
import type { UnitText } from '../types.ts';

/** The values of `locksmith.reboot_strategy` ct accepts (any case). */
const REBOOT_STRATEGIES: readonly string[] = ['reboot', 'etcd-lock', 'off'];

/** The drop-in ct writes for `docker.flags` (config/types/docker.go). */
const DOCKER_DROP_IN = '20-clct-docker.conf';

export interface ClcSections {
  readonly units: readonly UnitText[];
  readonly update?: UpdatePolicy;
}

type Policy = { -readonly [K in keyof UpdatePolicy]?: UpdatePolicy[K] };

/** `declared`: the units `systemd.units` declares, which ct's own units join. */
export function readClcSections(ctx: ReaderContext, top: Fields, declared: readonly UnitText[]): ClcSections {
  const { w } = ctx;
  const policy: Policy = {};
  const update = w.mapOf(top.field('update'), undefined);
  if (update) {
    const u = w.fields(update, 'ClcUpdate', undefined);
    // ct writes the group in lower case (GROUP=stable).
    const group = u.located<string>('group', 'string');
    if (group) policy.group = { ...group, value: group.value.toLowerCase() };
    const server = u.located<string>('server', 'string');
    if (server) policy.server = server;
  }
  const locksmith = w.mapOf(top.field('locksmith'), undefined);
  if (locksmith) readLocksmith(ctx, w.fields(locksmith, 'ClcLocksmith', undefined), policy);
  const docker = w.mapOf(top.field('docker'), undefined);
  const hasDocker = declared.some((u) => u.unit === 'docker.service' && u.dropIn === undefined);
  const units = docker ? dockerDropIn(ctx, w.fields(docker, 'ClcDocker', undefined), hasDocker) : [];
  return Object.keys(policy).length > 0 ? { units, update: policy } : { units };
}

function readLocksmith(ctx: ReaderContext, l: Fields, policy: Policy): void {
  const strategy = l.located<string>('rebootStrategy', 'string');
  if (strategy) {
    const value = strategy.value.toLowerCase();
    if (REBOOT_STRATEGIES.includes(value)) {
      policy.rebootStrategy = { ...strategy, value };
    } else {
      const at = l.value('rebootStrategy')!;
      ctx.w.reject(
        strategy.item,
        'invalid-value',
        `${at.where} must be one of ${REBOOT_STRATEGIES.join(', ')}, found \`${strategy.value}\``,
        at.origin,
        'ct refuses any other strategy; use `reboot` to reboot after updates, or `off` to never reboot on your behalf.',
      );
    }
  }
  const start = l.located<string>('windowStart', 'string');
  const length = l.located<string>('windowLength', 'string');
  if (start) policy.windowStart = start;
  if (length) policy.windowLength = length;
  if ((start === undefined) !== (length === undefined)) {
    const given = start ?? length!;
    ctx.ledger.report(
      'error',
      ctx.w.code('invalid-value'),
      `\`${given.item.label}\` is set without \`${start ? 'locksmith.window_length' : 'locksmith.window_start'}\`; ct refuses a reboot window with only one of them`,
      given.item.origin,
      'Give both, e.g. `window_start: Thu 04:00` and `window_length: 1h`.',
    );
  }
}

/**
 * `docker.flags` as ct writes it: docker.service, enabled, with a drop-in
 * setting DOCKER_OPTS to the flags joined by spaces, as written (ct quotes
 * nothing). Where `systemd.units` has docker.service too, only the drop-in
 * is added to it.
 */
function dockerDropIn(ctx: ReaderContext, d: Fields, declared: boolean): UnitText[] {
  const field = d.field('flags');
  const flags = unlessRejected(() => d.strings('flags').map((f) => f.value)) ?? [];
  // No flags: ct's drop-in sets DOCKER_OPTS to nothing, which changes nothing.
  if (!field || flags.length === 0) return [];
  const origin = field.entry.origin;
  // Generated text has no place in the file: every position is the key that generated it.
  const position = () => origin;
  const unit = declared ? undefined : ctx.ledger.item('unit', `${field.label} (docker.service)`, origin);
  const item = ctx.ledger.item('drop-in', `${field.label} (docker.service.d/${DOCKER_DROP_IN})`, origin, unit);
  const text = `[Service]\nEnvironment="DOCKER_OPTS=${flags.join(' ')}"`;
  const dropIn: UnitText = { unit: 'docker.service', dropIn: DOCKER_DROP_IN, text, position, item };
  if (!unit) return [dropIn];
  const enable = { value: true, item: ctx.ledger.item('key', `${field.label} (enable)`, origin, unit) };
  return [{ unit: 'docker.service', text: '', position, item: unit, activation: { enable } }, dropIn];
}

