import type { Analysis } from '../model/analysis.ts';
import type { Host } from '../model/host.ts';
import type { Ledger } from '../model/ledger.ts';
import { analyseBinaries } from './binaries.ts';
import { analyseFirewall } from './firewall.ts';
import { analyseMounts } from './mounts.ts';
import { analyseRestart } from './restart.ts';

/**
 * The analysis passes: facts about the host that the strategies need (which
 * file systems systemd mounts, which ports to open, how restarts are limited,
 * where programs live). They report to the ledger and never emit Nix.
 * Mounts run first: the command lines they remove need no binary rewriting.
 */
export function analyse(host: Host, ledger: Ledger): Analysis {
  const mounts = analyseMounts(host, ledger);
  const firewall = analyseFirewall(host, ledger);
  const restart = analyseRestart(host, ledger);
  const binaries = analyseBinaries(host, ledger, mounts.removedExecs);
  return { mounts, firewall, restart, binaries };
}
