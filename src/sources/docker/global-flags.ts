import type { FlagSpec } from './flag-spec.ts';
import { indexFlags } from './flag-spec.ts';

/**
 * Flags of the `docker` command itself, written before the verb
 * (`docker -H tcp://nas:2375 run ...`); from docker/cli `cli/flags/options.go`
 * and `cmd/docker/docker.go`. Note that `-l` and `-c` mean something else
 * here (log level, context) than after `run` (label, cpu shares).
 */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: '--config', type: 'string', repeatable: false, description: 'Directory of the client configuration files' },
  { name: '--context', short: '-c', type: 'string', repeatable: false, description: 'Docker context to talk to' },
  { name: '--debug', short: '-D', type: 'bool', repeatable: false, description: 'Enable debug output' },
  { name: '--help', type: 'bool', repeatable: false, description: 'Print usage instead of running anything' },
  { name: '--host', short: '-H', type: 'list', repeatable: true, description: 'Daemon socket to connect to' },
  { name: '--log-level', short: '-l', type: 'string', repeatable: false, description: 'Client log level (debug, info, warn, error, fatal)' },
  { name: '--tls', type: 'bool', repeatable: false, description: 'Talk TLS to the daemon' },
  { name: '--tlscacert', type: 'string', repeatable: false, description: 'CA certificate the daemon must be signed by' },
  { name: '--tlscert', type: 'string', repeatable: false, description: 'Client TLS certificate' },
  { name: '--tlskey', type: 'string', repeatable: false, description: 'Client TLS key' },
  { name: '--tlsverify', type: 'bool', repeatable: false, description: 'Talk TLS to the daemon and verify its certificate' },
  { name: '--version', short: '-v', type: 'bool', repeatable: false, description: 'Print the client version instead of running anything' },
];

export const GLOBAL_FLAG_INDEX = indexFlags(GLOBAL_FLAGS);
