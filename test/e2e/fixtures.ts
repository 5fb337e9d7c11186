import { readFile } from 'node:fs/promises';
import { gatherInputs } from '../../src/cli/inputs.ts';
import { convertFleet, parseFleetFile, type FleetOptions, type FleetResult } from '../../src/fleet/index.ts';
import { runPipeline, type Pipeline } from '../../src/pipeline.ts';
import type { ConvertOptions } from '../../src/options.ts';

/** Every host input the suite converts end to end: the example and the readers' fixtures. */
export const HOSTS: readonly { readonly name: string; readonly paths: readonly string[]; readonly options?: ConvertOptions }[] = [
  { name: 'example storage2', paths: ['examples/storage2'] },
  { name: 'flatcar homeserver', paths: ['test/fixtures/cloud-config/homeserver.yml'] },
  { name: 'seed unit files', paths: ['test/fixtures/units'], options: { host: 'seed' } },
  { name: 'Fedora CoreOS unit directory', paths: ['test/fixtures/hosts/mediabox'], options: { host: 'mediabox' } },
  { name: 'Fedora CoreOS Butane host (fcos 1.5.0, files beside it)', paths: ['test/fixtures/butane/fcos-host'] },
  { name: 'the same host as Ignition 3.4.0 JSON', paths: ['test/fixtures/ignition/fcos-host.ign'] },
  { name: 'Fedora CoreOS root on LUKS, RAID, swap (Ignition 3.5.0)', paths: ['test/fixtures/ignition/fcos-root-luks.ign'], options: { host: 'vault' } },
  { name: 'Flatcar Butane host (flatcar 1.1.0)', paths: ['test/fixtures/butane/flatcar-host'] },
  { name: 'Flatcar Ignition 2.3.0 host', paths: ['test/fixtures/ignition/flatcar-2.3.ign'] },
  { name: 'Flatcar Ignition 2.2.0 host', paths: ['test/fixtures/ignition/flatcar-2.2.ign'] },
  { name: 'Flatcar Container Linux Config (ct input): nginx in Docker, data disk, locksmith', paths: ['test/fixtures/clc/webhost.yml'] },
  { name: 'example storage2 at stage 2 (--stage oci)', paths: ['examples/storage2'], options: { stage: 'oci' } },
  { name: 'docker run script, podman backend', paths: ['test/fixtures/docker/storage2-run.sh'], options: { host: 'storage2', backend: 'podman' } },
  { name: 'a unit podman generate systemd --new wrote, at stage 2', paths: ['test/fixtures/podman/container-web.service'], options: { host: 'podbox', stage: 'oci' } },
  { name: 'Quadlet .container, .network and .volume files', paths: ['test/fixtures/podman/quadlet'], options: { host: 'podbox' } },
  { name: 'Quadlet files a Butane config writes', paths: ['test/fixtures/podman/quadlet-butane'], options: { host: 'podbox' } },
  { name: 'docker inspect JSON of the same containers', paths: ['test/fixtures/docker/storage2-inspect.json'], options: { host: 'storage2' } },
  { name: 'example storage2 at stage 3 (--stage native)', paths: ['examples/storage2'], options: { stage: 'native' } },
  { name: 'Immich as four docker run units, at stage 3', paths: ['test/fixtures/hosts/photos'], options: { host: 'photos', stage: 'native' } },
  { name: 'docker run script at stage 3', paths: ['test/fixtures/docker/storage2-run.sh'], options: { host: 'storage2', stage: 'native' } },
  { name: 'Compose project: override file, .env, healthy and completed gates', paths: ['test/fixtures/compose/media'], options: { host: 'media' } },
  { name: 'the same Compose project, podman backend, debug profile', paths: ['test/fixtures/compose/media'], options: { host: 'media', backend: 'podman', compose: { profiles: ['debug'], projectDirectory: '/srv/media' } } },
];

export async function pipelineFor(paths: readonly string[], options?: ConvertOptions): Promise<Pipeline> {
  const run = runPipeline(await gatherInputs(paths), options);
  if ('refused' in run) throw new Error(`input refused: ${run.refused.message}`);
  return run;
}

/** The three-host fleet of test/fixtures/fleet, as its fleet file names it. */
export async function fleetFixture(options: FleetOptions = {}): Promise<FleetResult> {
  const base = 'test/fixtures/fleet';
  const spec = parseFleetFile(`${base}/fleet.yml`, await readFile(`${base}/fleet.yml`, 'utf8'));
  const hosts = await Promise.all(
    spec.hosts.map(async (h) => ({ name: h.name, inputs: await gatherInputs(h.inputs.map((p) => `${base}/${p}`)), ...(h.target ? { target: h.target } : {}) })),
  );
  return convertFleet(hosts, { shared: spec.shared, ...options });
}
