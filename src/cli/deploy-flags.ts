import { DEPLOY_TOOLS, type DeployTool } from '../layout/flake.ts';
import type { ConvertOptions } from '../options.ts';
import { UsageError } from './usage-error.ts';

export interface DeployFlags {
  readonly deploy?: string;
  readonly target?: string;
  readonly fleet?: string;
  readonly eachHost?: boolean;
  readonly update?: boolean;
}

/** `--deploy` and `--target`, checked before any input is read. */
export function deployOptions(flags: DeployFlags): Pick<ConvertOptions, 'deploy' | 'target'> {
  const out: { deploy?: DeployTool; target?: string } = {};
  if (flags.deploy !== undefined) {
    if (!(DEPLOY_TOOLS as readonly string[]).includes(flags.deploy)) {
      throw new UsageError(`--deploy ${JSON.stringify(flags.deploy)}: expected one of ${DEPLOY_TOOLS.join(', ')}`, 'leave out --deploy for nixos-rebuild');
    }
    out.deploy = flags.deploy as DeployTool;
  }
  if (flags.target !== undefined) {
    if (!/^([A-Za-z0-9._-]+@)?[A-Za-z0-9.:[\]_-]+$/.test(flags.target)) {
      throw new UsageError(`--target ${JSON.stringify(flags.target)}: expected an SSH destination such as admin@storage2.lan`, 'user@host, or host to log in as root');
    }
    out.target = flags.target;
  }
  return out;
}
