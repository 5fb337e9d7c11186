import type { Analysis } from '../model/analysis.ts';
import type { Host } from '../model/host.ts';
import type { Ledger } from '../model/ledger.ts';
import { analyseBinaries } from './binaries.ts';
import { analyseContainers } from './containers.ts';
import { analyseFirewall } from './firewall.ts';
import { analyseMounts } from './mounts.ts';
import { analyseRestart } from './restart.ts';
import { analyseSecrets } from './secrets/index.ts';
import { reportQuadlets } from './quadlet.ts';
import type { InputFile } from '../sources/types.ts';

/**
 * The analysis passes: facts about the host that the strategies need (which
 * file systems systemd mounts, which ports to open, how restarts are limited,
 * where programs live). They report to the ledger and never emit Nix.
 * Containers are compared first (the other passes skip records that are only
 * compared); mounts come before binaries: the command lines they remove need
 * no binary rewriting. Secrets come before binaries too: a command line
 * holding one is rewritten by both, in one splice.
 */
export function analyse(host: Host, ledger: Ledger, inputs: readonly InputFile[] = []): Analysis {
  // Inspect records a unit or script also describes are compared, not converted: the other passes skip them.
  const containers = analyseContainers(host, ledger);
  const compared = new Set(containers.compared.keys());
  const mounts = analyseMounts(host, ledger, compared);
  const firewall = analyseFirewall(host, ledger, compared);
  const restart = analyseRestart(host, ledger);
  const secrets = analyseSecrets(host, ledger, inputs);
  const binaries = analyseBinaries(host, ledger, mounts.removedExecs, secrets.execEdits);
  reportQuadlets(host, ledger);
  return { mounts, firewall, restart, binaries, containers, secrets };
}
