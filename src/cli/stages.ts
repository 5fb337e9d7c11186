import { dockerRunPath } from '../sources/docker-script/detect.ts';
import type { InputFile } from '../sources/types.ts';
import { UsageError } from './usage-error.ts';

/**
 * The stage flags: `--stage docker|oci|native` for every service, `--strategy
 * NAME=docker|oci|native` (repeatable, or comma-separated) per service,
 * `--backend docker|podman` for oci-containers, and `--docker-run
 * '<command>'`, a `docker run` given on the command line as an input.
 */

const STAGES = ['docker', 'oci', 'native'] as const;
type Stage = (typeof STAGES)[number];

function isStage(value: string): value is Stage {
  return (STAGES as readonly string[]).includes(value);
}

export function checkStage(value: string, flag = '--stage'): Stage {
  if (isStage(value)) return value;
  const hint = 'docker keeps each unit 1:1 (stage 1); oci declares its container in virtualisation.oci-containers (stage 2); native turns it into a NixOS module where a recipe exists (stage 3, see `nixport recipes`)';
  throw new UsageError(`${flag} ${JSON.stringify(value)}: expected docker, oci or native`, hint);
}

/** `samba=docker,jellyfin=native` (and repeated flags) -> { samba: 'docker', jellyfin: 'native' }. */
export function parseStrategies(values: readonly string[]): Record<string, Stage> {
  const out: Record<string, Stage> = {};
  for (const part of values.flatMap((v) => v.split(','))) {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq).trim();
    if (eq <= 0 || name === '') {
      throw new UsageError(`--strategy ${JSON.stringify(part)}: expected NAME=docker, NAME=oci or NAME=native`, 'NAME is a service as the report lists it (a unit name without .service), e.g. --strategy jellyfin=native');
    }
    const stage = checkStage(part.slice(eq + 1).trim(), `--strategy ${name}=`);
    if (out[name] !== undefined && out[name] !== stage) {
      throw new UsageError(`--strategy names ${name} twice, as ${out[name]} and ${stage}`, 'give each service one stage');
    }
    out[name] = stage;
  }
  return out;
}

export function checkBackend(value: string): 'docker' | 'podman' {
  if (value === 'docker' || value === 'podman') return value;
  throw new UsageError(`--backend ${JSON.stringify(value)}: expected docker or podman`, 'docker (the default) runs the containers as the old host did; podman runs them without a daemon');
}

/** `--docker-run` commands as in-memory inputs; a command without `docker` (or `podman`) in front gets `docker`. */
export function dockerRunInputs(commands: readonly string[]): InputFile[] {
  return commands.map((command, i) => {
    if (command.trim() === '') throw new UsageError('--docker-run needs a command', "e.g. --docker-run 'docker run -d --name web -p 80:80 nginx'");
    const text = /^\s*(sudo\s+)?(\S*\/)?(docker|podman)\s/.test(command) ? command : `docker ${command}`;
    return { path: dockerRunPath(i), content: text };
  });
}
