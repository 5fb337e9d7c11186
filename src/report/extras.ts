import { defaultTarget } from '../layout/index.ts';
import type { ConvertOptions } from '../options.ts';
import type { Pipeline } from '../pipeline.ts';
import type { ReportInput } from './build.ts';
import { optionDigests } from './options.ts';

/** The report's parts about the flake beyond the old host: VM, deploying, upgrades, option digests. */
export function reportExtras(run: Pipeline, options: Pick<ConvertOptions, 'deploy' | 'target'>): Pick<ReportInput, 'vm' | 'deploy' | 'health' | 'options'> {
  const { build } = run;
  const disko = build.disko;
  return {
    vm: build.vm,
    deploy: {
      tool: options.deploy ?? 'nixos-rebuild',
      target: options.target ?? defaultTarget(build, run.hostName),
      reason: build.access.reason,
      installDisk: disko.device,
      installDiskUnknown: disko.placeholder,
    },
    ...(build.health ? { health: build.health } : {}),
    options: optionDigests(build.tree),
  };
}
