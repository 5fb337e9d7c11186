import { gatherInputs } from '../../src/cli/inputs.ts';
import { runPipeline, type Pipeline } from '../../src/pipeline.ts';
import type { ConvertOptions } from '../../src/options.ts';

/** Every host input the suite converts end to end: the example and the readers' fixtures. */
export const HOSTS: readonly { readonly name: string; readonly paths: readonly string[]; readonly options?: ConvertOptions }[] = [
  { name: 'example storage2', paths: ['examples/storage2'] },
  { name: 'flatcar homeserver', paths: ['test/fixtures/cloud-config/homeserver.yml'] },
  { name: 'seed unit files', paths: ['test/fixtures/units'], options: { host: 'seed' } },
  { name: 'Fedora CoreOS unit directory', paths: ['test/fixtures/hosts/mediabox'], options: { host: 'mediabox' } },
];

export async function pipelineFor(paths: readonly string[], options?: ConvertOptions): Promise<Pipeline> {
  const run = runPipeline(await gatherInputs(paths), options);
  if ('refused' in run) throw new Error(`input refused: ${run.refused.message}`);
  return run;
}
