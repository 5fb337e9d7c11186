/**
 * `coreos.update` (update_engine) and `coreos.locksmith` (the reboot manager):
 * together the old host's policy for OS updates and reboots.
 */
import type { UpdatePolicy } from '../../model/host.ts';
import type { Located } from '../../model/unit.ts';
import type { YamlEntry } from '../yaml.ts';
import type { CloudConfigWalker } from './walker.ts';

/** `reboot_strategy` values coreos-cloudinit accepts. */
export const REBOOT_STRATEGIES: readonly string[] = ['best-effort', 'etcd-lock', 'reboot', 'off'];

export type UpdateFields = { -readonly [K in keyof UpdatePolicy]?: UpdatePolicy[K] };

export function readUpdate(w: CloudConfigWalker, entry: YamlEntry, label: string, policy: UpdateFields): void {
  const map = w.mapping(entry, label, undefined);
  if (!map) return;
  w.walk(map, 'coreos.update', label, undefined, {
    reboot_strategy: (e, l) => {
      const strategy = w.string(e, l, undefined);
      if (strategy && !REBOOT_STRATEGIES.includes(strategy.value)) {
        w.reject(
          strategy.item,
          'cloud-config/invalid-value',
          `\`${l}\` must be one of ${REBOOT_STRATEGIES.join(', ')}, found \`${strategy.value}\``,
          e.origin,
          'Use `reboot` to reboot after updates, or `off` to never reboot on your behalf.',
        );
      } else if (strategy) {
        policy.rebootStrategy = strategy;
      }
    },
    group: (e, l) => assign(policy, 'group', w.string(e, l, undefined)),
    server: (e, l) => assign(policy, 'server', w.string(e, l, undefined)),
  });
}

export function readLocksmith(w: CloudConfigWalker, entry: YamlEntry, label: string, policy: UpdateFields): void {
  const map = w.mapping(entry, label, undefined);
  if (!map) return;
  w.walk(map, 'coreos.locksmith', label, undefined, {
    window_start: (e, l) => assign(policy, 'windowStart', w.string(e, l, undefined)),
    window_length: (e, l) => assign(policy, 'windowLength', w.string(e, l, undefined)),
  });
}

function assign(policy: UpdateFields, key: keyof UpdatePolicy, value: Located<string> | undefined): void {
  if (value) policy[key] = value;
}
