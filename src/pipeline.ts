import type { Analysis } from './model/analysis.ts';
import { InputError, type Diagnostic } from './model/diagnostic.ts';
import type { Host } from './model/host.ts';
import { Ledger } from './model/ledger.ts';
import { layoutFlake, type Layout } from './layout/index.ts';
import { DEFAULT_RELEASE, DEFAULT_SYSTEM, type ConvertOptions } from './options.ts';
import { analyse } from './passes/index.ts';
import { planHost } from './plan/index.ts';
import type { Plan } from './plan/types.ts';
import { readInputs } from './sources/index.ts';
import type { InputFile } from './sources/types.ts';
import { buildTree, type Build } from './strategies/index.ts';

/** Every stage's result, for `convert` and for tests that look between the stages. */
export interface Pipeline {
  readonly ledger: Ledger;
  readonly host: Host;
  readonly analysis: Analysis;
  readonly plan: Plan;
  readonly build: Build;
  readonly layout: Layout;
  readonly hostName: string;
  readonly release: string;
}

/** Runs read → analyse → plan → build → layout; refused input comes back as its diagnostic. */
export function runPipeline(inputs: readonly InputFile[], options: ConvertOptions = {}): Pipeline | { readonly refused: Diagnostic } {
  const ledger = new Ledger();
  let host: Host;
  try {
    host = readInputs(inputs, ledger, options.compose !== undefined ? { compose: options.compose } : {});
  } catch (e) {
    if (e instanceof InputError) return { refused: e.diagnostic };
    throw e;
  }
  const release = options.release ?? DEFAULT_RELEASE;
  const system = options.system ?? DEFAULT_SYSTEM;
  const hostName = options.host ?? host.hostname?.value.split('.')[0] ?? 'nixos';

  const analysis = analyse(host, ledger, inputs);
  const plan = planHost(
    host,
    ledger,
    {
      ...(options.stage !== undefined ? { stage: options.stage } : {}),
      ...(options.strategies !== undefined ? { strategies: options.strategies } : {}),
      ...(options.backend !== undefined ? { backend: options.backend } : {}),
    },
    analysis,
  );
  const build = buildTree(host, analysis, plan, ledger, { hostName, release, ...(options.secrets !== undefined ? { secrets: options.secrets } : {}) });
  const layout = layoutFlake(build, {
    hostName,
    release,
    system,
    ...(options.deploy !== undefined ? { deploy: options.deploy } : {}),
    ...(options.target !== undefined ? { target: options.target } : {}),
  });
  return { ledger, host, analysis, plan, build, layout, hostName, release };
}
