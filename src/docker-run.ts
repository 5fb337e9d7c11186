import type { Diagnostic } from './model/diagnostic.ts';
import { InputError } from './model/diagnostic.ts';
import { Ledger } from './model/ledger.ts';
import { planStandaloneContainer } from './plan/oci.ts';
import type { Backend } from './plan/types.ts';
import { readDockerScript } from './sources/docker-script/read.ts';
import { containerOptions } from './strategies/oci/container.ts';
import { mapFlags } from './strategies/oci/flags.ts';

export interface DockerRunResult {
  /** The attribute name under virtualisation.oci-containers.containers. */
  readonly name?: string;
  /** The container's options as plain data (what the module file would say), when it could be converted. */
  readonly container?: Record<string, unknown>;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * One `docker run` command line straight to a virtualisation.oci-containers
 * container, without a host around it: the reader, the plan's checks and the
 * flag table, nothing else (no firewall, no mounts, no flake). For the
 * playground and the parsing benchmark; `convert` with `--docker-run` does
 * the whole job.
 */
export function dockerRunToContainer(command: string, options: { readonly backend?: Backend } = {}): DockerRunResult {
  const ledger = new Ledger();
  try {
    const read = readDockerScript('--docker-run', command, ledger, 'docker-run');
    const found = read.containers?.[0];
    if (!found) return { diagnostics: ledger.diagnostics };
    // As convert does: the backend is the engine that ran the container unless asked otherwise.
    const backend = options.backend ?? found.invocation.engine;
    const verdict = planStandaloneContainer(found, backend, ledger);
    if (!verdict.ok) return { name: found.name, diagnostics: [...ledger.diagnostics, { severity: 'error', code: 'plan/container-not-converted', message: verdict.reason, origin: found.item.origin }] };
    const base = ['virtualisation', 'oci-containers', 'containers', found.name];
    const mapped = mapFlags({ plan: verdict.plan, backend, ledger, base, unitEnvironment: false });
    return { name: found.name, container: containerOptions(mapped, found.name), diagnostics: ledger.diagnostics };
  } catch (error) {
    if (error instanceof InputError) return { diagnostics: [error.diagnostic] };
    throw error;
  }
}
