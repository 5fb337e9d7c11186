import { gatherInputs } from '../../src/cli/inputs.ts';
import type { Host } from '../../src/model/host.ts';
import { runPipeline, type Pipeline } from '../../src/pipeline.ts';
import { mergeModulesJson, moduleToJson } from '../helpers/nix-json.ts';

/**
 * For tests that two inputs (a Butane or Container Linux Config and the
 * Ignition JSON it transpiles to) mean the same host: convert each, and
 * compare what the readers must agree on.
 */
export async function convert(paths: readonly string[]): Promise<Pipeline> {
  const run = runPipeline(await gatherInputs(paths));
  if ('refused' in run) throw new Error(run.refused.message);
  return run;
}

/** The evaluated NixOS configuration of a run. */
export const config = (run: Pipeline) => mergeModulesJson(run.layout.modules.map((m) => moduleToJson(m.expr)));

/** The Host without origins, item ids and sources (and `alsoDrop` keys): what the two readers must agree on. */
export function modelOf(host: Host, alsoDrop: readonly string[] = []): unknown {
  return JSON.parse(
    JSON.stringify({ ...host, sources: undefined }, (key, value: unknown) => {
      if (key === 'item' || key === 'position' || key === 'origin' || key === 'directives' || alsoDrop.includes(key)) return undefined;
      if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
      return value;
    }),
  );
}
