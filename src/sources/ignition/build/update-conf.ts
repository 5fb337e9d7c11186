/**
 * Flatcar (and CoreOS before it) kept its update policy in a file, which
 * Ignition configs write: /etc/flatcar/update.conf (/etc/coreos/update.conf
 * on CoreOS), shell-style `KEY=value` lines for update_engine (`GROUP`,
 * `SERVER`) and locksmith (`REBOOT_STRATEGY`, `LOCKSMITHD_REBOOT_WINDOW_START`,
 * `LOCKSMITHD_REBOOT_WINDOW_LENGTH`). It is the same policy cloud-config's
 * `coreos.update` and `coreos.locksmith` set, so it fills the same model and
 * becomes system.autoUpgrade.
 */
import type { HostFile, UpdatePolicy } from '../../../model/host.ts';
import type { Ledger } from '../../../model/ledger.ts';
import type { Located } from '../../../model/unit.ts';

export const UPDATE_CONF_PATHS: readonly string[] = ['/etc/flatcar/update.conf', '/etc/coreos/update.conf'];

const KEYS: Readonly<Record<string, keyof UpdatePolicy>> = {
  GROUP: 'group',
  SERVER: 'server',
  REBOOT_STRATEGY: 'rebootStrategy',
  LOCKSMITHD_REBOOT_WINDOW_START: 'windowStart',
  LOCKSMITHD_REBOOT_WINDOW_LENGTH: 'windowLength',
};

const REBOOT_STRATEGIES = ['best-effort', 'etcd-lock', 'reboot', 'off'];

type Policy = { -readonly [K in keyof UpdatePolicy]?: UpdatePolicy[K] };

/** Takes the update.conf files out of `files` and reads them as the update policy. */
export function readUpdateConf(ledger: Ledger, code: string, files: readonly HostFile[]): { files: HostFile[]; update?: UpdatePolicy } {
  const policy: Policy = {};
  const rest: HostFile[] = [];
  for (const file of files) {
    if (!UPDATE_CONF_PATHS.includes(file.path) || file.text === undefined || file.append || file.remote || file.contentOmitted) {
      rest.push(file);
      continue;
    }
    ledger.carried(file.item, 'system.autoUpgrade', 'read as the update policy');
    for (const raw of file.text.split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
      const key = m?.[1] ?? line.slice(0, 30);
      const item = ledger.item('key', `${file.item.label} ${key}`, file.item.origin, file.item);
      const field = m ? KEYS[key] : undefined;
      if (!m || !field) {
        const reason = m ? `\`${key}\` is not an update setting nixport knows` : 'not a KEY=value line';
        ledger.unsupported(item, reason);
        ledger.report('warning', `${code}/update-conf`, `${file.path}: ${reason}`, file.item.origin, 'Port it by hand if it mattered (values are not shown: some are passwords).');
        continue;
      }
      const value = m[2]!.replace(/^(["'])(.*)\1$/, '$2');
      if (field === 'rebootStrategy' && !REBOOT_STRATEGIES.includes(value)) {
        const message = `${file.path}: REBOOT_STRATEGY must be one of ${REBOOT_STRATEGIES.join(', ')}, found \`${value}\``;
        ledger.report('error', `${code}/invalid-value`, message, file.item.origin, 'Use `reboot` or `off`.');
        ledger.unsupported(item, message);
        continue;
      }
      const located: Located<string> = { value, item };
      const seen = policy[field];
      if (seen) ledger.dropped(seen.item, `${key} is set again; the later value wins`);
      policy[field] = located;
    }
  }
  return Object.keys(policy).length > 0 ? { files: rest, update: policy } : { files: rest };
}
