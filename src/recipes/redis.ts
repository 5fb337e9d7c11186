import { pkg } from '../nix/ast.ts';
import { tagOf, tagVersion } from './container-facts.ts';
import type { ModuleRecipe, RecipeContext } from './types.ts';

/**
 * Redis and Valkey. nixpkgs: nixos/modules/services/databases/redis.nix:
 * services.redis.servers.<name> are instances; the one named "" is
 * redis.service, runs as the user `redis` and keeps its data in
 * /var/lib/redis (the `dir` setting is fixed to /var/lib/redis-<name>, no
 * other place), with port (6379 for "", 0 for the others), bind
 * ("127.0.0.1"; null is every address), openFirewall (TCP port), save
 * (RDB snapshots, [[900 1] [300 10] [60 10000]]), appendOnly,
 * appendFsync, databases, maxclients, logLevel, requirePassFile (read
 * at start, outside the store) and settings (the rest of redis.conf).
 * services.redis.package is one for all instances (pkgs.redis, Redis
 * 8.8.0; pkgs.valkey for Valkey). vmOverCommit (true) sets the sysctl
 * vm.overcommit_memory = 1. No Restart= on the unit.
 *
 * The images (redis, valkey/valkey) keep dump.rdb and the append-only
 * files in /data and take their configuration as `redis-server` flags
 * (`--appendonly yes --requirepass ...`) or a redis.conf; bitnami/redis
 * keeps them in /bitnami/redis/data and reads REDIS_PASSWORD. The
 * container becomes the instance "" (redis.service).
 */

export const redis: ModuleRecipe = {
  kind: 'module',
  app: 'redis',
  title: 'Redis / Valkey key-value store',
  images: ['redis', 'valkey/valkey', 'bitnami/redis', 'bitnami/valkey'],
  module: 'services.redis.servers.""',
  unit: { name: 'redis' },
  user: { user: 'redis', group: 'redis' },
  ports: [{ container: 6379, what: 'the Redis protocol', option: 'port', port: 6379, address: { option: 'bind', default: '127.0.0.1', any: '0.0.0.0' } }],
  firewall: { option: 'openFirewall', tcp: [{ option: 'port', default: 6379 }], udp: [] },
  volumes: [
    { target: '/data', holds: 'dump.rdb and the append-only files', defaultDir: '/var/lib/redis' },
    { target: '/bitnami/redis/data', holds: 'dump.rdb and the append-only files', defaultDir: '/var/lib/redis' },
    { target: '/bitnami/valkey/data', holds: 'dump.rdb and the append-only files', defaultDir: '/var/lib/redis' },
  ],
  environment: [
    { name: /^(REDIS|VALKEY)_PASSWORD$/, option: 'requirePassFile', file: true },
    { name: /^ALLOW_EMPTY_PASSWORD$/, drop: 'the instance has a password only when requirePassFile says so' },
    { name: /^(REDIS|VALKEY)_AOF_ENABLED$/, option: 'appendOnly', value: (text) => text === 'yes' },
    { name: /^(REDIS|VALKEY)_(PORT_NUMBER|DATA_DIR|BASE_DIR)$/, drop: 'the module sets the port and the data directory' },
  ],
  args: { programs: ['redis-server', 'valkey-server', '/usr/local/bin/redis-server', '/usr/local/bin/valkey-server'] },
  steps: [
    { title: 'Check that the instance answers', detail: '`redis-cli -p <port> ping` (with `-a` and the password of requirePassFile if it has one) answers PONG, and `redis-cli info keyspace` shows the keys of the old dump.', phase: 'switched' },
  ],
  differences: [
    'runs as the system user `redis` with the data in /var/lib/redis (the module fixes `dir`): the copied dump.rdb is loaded from there',
    'the module sets the sysctl vm.overcommit_memory = 1 (services.redis.vmOverCommit), as Redis recommends for background saves',
    'clients that reached the container by its name reach the host now (127.0.0.1, or the host\'s address when published)',
  ],
  extra: configure,
};

/** Redis loads RDB files of its own version or older ones; the copied files must not come from a newer server. */
const NIXPKGS_REDIS = [8, 8];

function configure(r: RecipeContext): void {
  const valkey = /valkey/.test((r.input.base ?? r.input.reference)?.name ?? '');
  if (valkey) r.setExpr('services.redis.package', pkg('valkey'), 'The old container ran Valkey.');
  const version = tagVersion(r.input);
  if (!valkey && version.length > 0 && compare(version, NIXPKGS_REDIS) > 0) {
    r.report('error', 'redis/newer', `${r.service}: the image was Redis ${tagOf(r.input)}, newer than the Redis ${NIXPKGS_REDIS.join('.')} of nixpkgs; an older server cannot load its dump`, undefined, 'keep the container (--strategy NAME=oci), or start empty if it only held a cache');
  } else if (!valkey && version.length > 0) {
    r.difference(`the image was Redis ${tagOf(r.input)}; nixpkgs has Redis ${NIXPKGS_REDIS.join('.')}, which loads the older dump`);
  } else if (valkey) {
    r.difference(`the image was Valkey ${tagOf(r.input)}; check that the Valkey of nixpkgs is as new (\`nix eval nixpkgs#valkey.version\`) before copying its dump`);
  }
  directives(r);
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** redis.conf directives the module has options for; the others go to settings. */
const DIRECTIVES: Readonly<Record<string, { readonly option: string; readonly read: (values: readonly string[]) => unknown } | { readonly drop: string }>> = {
  port: { option: 'port', read: (v) => Number(v[0]) },
  bind: { option: 'bind', read: (v) => v.join(' ') },
  appendonly: { option: 'appendOnly', read: (v) => v[0] === 'yes' },
  appendfsync: { option: 'appendFsync', read: (v) => v[0] },
  databases: { option: 'databases', read: (v) => Number(v[0]) },
  maxclients: { option: 'maxclients', read: (v) => Number(v[0]) },
  loglevel: { option: 'logLevel', read: (v) => v[0] },
  dir: { drop: 'the module keeps the data in /var/lib/redis' },
  dbfilename: { drop: 'the module names the dump dump.rdb' },
  daemonize: { drop: 'systemd supervises the server (supervised systemd)' },
  supervised: { drop: 'systemd supervises the server (supervised systemd)' },
  logfile: { drop: 'the server logs to the journal' },
  pidfile: { drop: 'systemd tracks the process' },
  'protected-mode': { drop: 'the module always writes bind, so protected mode does not apply' },
};

/**
 * `redis-server [redis.conf] --key value ...`: each directive to its
 * option or to settings; `--requirepass` to a file outside the store;
 * `--save` (repeatable) to save. A redis.conf from write_files is read the same way.
 */
function directives(r: RecipeContext): void {
  const args = [...r.input.args];
  let skip = 0;
  if (args[0] !== undefined && /(^|\/)(redis|valkey)-server$/.test(args[0])) skip = 1;
  const entries: [string, string[]][] = [];
  const rest = args.slice(skip);
  if (rest[0] !== undefined && !rest[0].startsWith('--')) {
    const conf = confFile(r, rest.shift()!);
    if (conf === undefined) {
      r.claimArgs(args.length);
      return;
    }
    entries.push(...conf);
  }
  for (let i = 0; i < rest.length; i++) {
    if (!rest[i]!.startsWith('--')) continue;
    const values: string[] = [];
    while (rest[i + 1] !== undefined && !rest[i + 1]!.startsWith('--')) values.push(rest[++i]!);
    entries.push([rest[i - values.length]!.slice(2), values]);
  }
  r.claimArgs(args.length);
  const save: [number, number][] = [];
  let saveSeen = false;
  const settings: Record<string, string | string[]> = {};
  for (const [key, values] of entries) {
    if (key === 'requirepass' && values[0] !== undefined) {
      r.secretFile({ name: 'requirepass', content: values[0], purpose: `the password of ${r.service}`, option: 'requirePassFile', flags: [] });
      continue;
    }
    if (key === 'save') {
      saveSeen = true;
      const numbers = values.join(' ').split(/\s+/).filter((w) => w !== '' && w !== '""').map(Number);
      for (let i = 0; i + 1 < numbers.length; i += 2) save.push([numbers[i]!, numbers[i + 1]!]);
      continue;
    }
    const rule = DIRECTIVES[key];
    if ((key === 'port' || key === 'bind') && r.input.network !== 'host') {
      r.report('info', 'redis/directive', `${r.service}: \`${key} ${values.join(' ')}\` applied inside the container; the published port sets port and bind now`);
    } else if (rule && 'drop' in rule) {
      r.report('info', 'redis/directive', `${r.service}: \`${key}\` is not carried: ${rule.drop}`);
    } else if (rule) {
      r.set(rule.option, rule.read(values), `${key} ${values.join(' ')} on the old container.`);
    } else {
      const existing = settings[key];
      const value = values.join(' ');
      settings[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    }
  }
  if (saveSeen) r.set('save', save, 'The old container\'s --save schedule (none: no snapshots).');
  for (const [key, value] of Object.entries(settings)) r.set(`settings.${JSON.stringify(key)}`, value, 'From the old container\'s configuration.');
}

/** A redis.conf the container was given: read when write_files has it (through its volume's host path). */
function confFile(r: RecipeContext, containerPath: string): [string, string[]][] | undefined {
  const volume = r.input.volumes.find((v) => v.kind === 'bind' && v.source !== undefined && (containerPath === v.target || containerPath.startsWith(`${v.target.replace(/\/+$/, '')}/`)));
  const hostPath = volume ? `${volume.source!.replace(/\/+$/, '')}${containerPath.slice(volume.target.replace(/\/+$/, '').length)}` : undefined;
  const text = hostPath === undefined ? undefined : r.input.files.get(hostPath)?.text;
  if (text === undefined) {
    r.report('warning', 'redis/config-file', `${r.service}: the container read ${containerPath}${hostPath ? ` (${hostPath} on the host)` : ''}, which is not among the files the old host was provisioned with, so its directives are not carried`, volume?.flag.item.origin, 'carry its directives into services.redis.servers."".settings (and requirePassFile, save, appendOnly)');
    if (volume) r.claim(volume.flag, 'services.redis.servers."".settings', 'the configuration file; not read');
    return undefined;
  }
  if (volume) r.claim(volume.flag, 'services.redis.servers."".settings', `${hostPath} (write_files), directive by directive`);
  const out: [string, string[]][] = [];
  for (const line of text.split('\n')) {
    const words = line.trim().split(/\s+/).filter((w) => w !== '');
    if (words.length === 0 || words[0]!.startsWith('#')) continue;
    out.push([words[0]!.toLowerCase(), words.slice(1).map((w) => w.replace(/^"(.*)"$/, '$1'))]);
  }
  return out;
}
