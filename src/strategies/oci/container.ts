import type { InspectFacts } from '../../model/container.ts';
import { attrs, fromJS, list, str } from '../../nix/ast.ts';
import type { Backend } from '../../plan/types.ts';
import { optionName, type BuildContext } from '../context.ts';
import { originComment } from '../values.ts';
import type { MappedContainer } from './flags.ts';
import { secretEnvFile } from './secrets.ts';

/**
 * Writes a mapped container under virtualisation.oci-containers.containers:
 * only what differs from the module's defaults, in the order the module
 * builds its command line. Secrets go to an environment file outside the
 * store; named and anonymous volumes get a manual step for their data.
 */
export function writeContainer(mapped: MappedContainer, name: string, owner: string, base: readonly string[], header: readonly string[], ctx: BuildContext): void {
  ctx.tree.define(owner, base, attrs([]), header);
  const comments: Readonly<Record<string, readonly string[] | undefined>> = {
    environmentFiles: mapped.secrets.length > 0 ? [`${secretEnvFile(name)} holds ${mapped.secrets.map((s) => s.name).join(', ')}: secrets stay out of the Nix store.`] : undefined,
    pull: mapped.pullComment !== undefined ? [mapped.pullComment] : undefined,
  };
  for (const [option, value] of Object.entries(containerOptions(mapped, name))) {
    ctx.tree.define(owner, [...base, option], fromJS(value), comments[option]);
  }
  writeSecrets(mapped, name, base, ctx);
}

/**
 * The container's options as plain data: only what differs from the
 * module's defaults, in the order the module builds its command line.
 */
export function containerOptions(mapped: MappedContainer, name: string): Record<string, unknown> {
  const out: Record<string, unknown> = { image: mapped.image };
  if (mapped.cmd.length > 0) out['cmd'] = [...mapped.cmd];
  if (mapped.entrypoint !== undefined) out['entrypoint'] = mapped.entrypoint;
  if (mapped.environment.size > 0) out['environment'] = Object.fromEntries(mapped.environment);
  const envFiles = [...mapped.environmentFiles, ...(mapped.secrets.length > 0 ? [secretEnvFile(name)] : [])];
  if (envFiles.length > 0) out['environmentFiles'] = envFiles;
  if (mapped.ports.length > 0) out['ports'] = [...mapped.ports];
  if (mapped.volumes.length > 0) out['volumes'] = [...mapped.volumes];
  if (mapped.user !== undefined) out['user'] = mapped.user;
  if (mapped.workdir !== undefined) out['workdir'] = mapped.workdir;
  if (mapped.hostname !== undefined) out['hostname'] = mapped.hostname;
  if (mapped.labels.size > 0) out['labels'] = Object.fromEntries(mapped.labels);
  if (mapped.networks.length > 0) out['networks'] = [...mapped.networks];
  if (mapped.privileged) out['privileged'] = true;
  if (mapped.capabilities.size > 0) out['capabilities'] = Object.fromEntries(mapped.capabilities);
  if (mapped.devices.length > 0) out['devices'] = [...mapped.devices];
  if (mapped.logDriver !== undefined && mapped.logDriver !== 'journald') out['log-driver'] = mapped.logDriver;
  if (mapped.pull !== undefined) out['pull'] = mapped.pull;
  if (mapped.autoRemoveOnStop === false) out['autoRemoveOnStop'] = false;
  if (mapped.extraOptions.length > 0) out['extraOptions'] = [...mapped.extraOptions];
  return out;
}

function writeSecrets(mapped: MappedContainer, name: string, base: readonly string[], ctx: BuildContext): void {
  if (mapped.secrets.length === 0) return;
  const file = secretEnvFile(name);
  const option = optionName([...base, 'environmentFiles']);
  for (const s of mapped.secrets) {
    ctx.ledger.carried(s.flag.item, option, `the value went to ${file}, outside the Nix store`);
    ctx.ledger.report(
      'warning',
      'oci/secret-env',
      `\`-e ${s.name}\` looks like a secret; its value is not written into the configuration (the store is world-readable) but into ${file}`,
      s.flag.item.origin,
      `create ${file} on the new host (see the manual steps), or manage it with sops-nix or agenix`,
    );
  }
  ctx.ledger.manual({
    order: 40,
    title: `Create ${file}`,
    detail:
      `The container ${name} reads ${mapped.secrets.map((s) => `\`${s.name}\``).join(', ')} from this file (one NAME=value per line, as \`docker --env-file\` reads it). ` +
      `Write it as root with mode 0600, taking the values from the old host (${mapped.secrets.map((s) => originComment(s.flag.item.origin)).join(', ')}).`,
    origin: mapped.secrets[0]!.flag.item.origin,
  });
}

/** Where the container engine keeps a named volume's data. */
export function volumeDirectory(backend: Backend, volume: string): string {
  return backend === 'podman' ? `/var/lib/containers/storage/volumes/${volume}/_data` : `/var/lib/docker/volumes/${volume}/_data`;
}

/** Named volumes stay named; their data must come along from the old host. */
export function noteNamedVolumes(mapped: MappedContainer, name: string, ctx: BuildContext, noted: Set<string>): void {
  const backend = ctx.plan.backend;
  for (const v of mapped.namedVolumes) {
    const volume = v.source ?? '';
    if (volume === '' || noted.has(volume)) continue;
    noted.add(volume);
    ctx.ledger.report(
      'info',
      'oci/named-volume',
      `${name}: named volume \`${volume}\` is kept as a named volume; ${backend === 'podman' ? 'podman' : 'Docker'} keeps its data in ${volumeDirectory(backend, volume)}`,
      v.flag.item.origin,
    );
    ctx.ledger.manual({
      order: 55,
      title: `Copy the data of the volume ${volume}`,
      detail:
        `On the old host the named volume \`${volume}\` held its data in /var/lib/docker/volumes/${volume}/_data. ` +
        `Copy it to ${volumeDirectory(backend, volume)} on the new host (\`${backend} volume create ${volume}\` first, with the container stopped), or the container starts with an empty volume.`,
      origin: v.flag.item.origin,
    });
  }
}

/**
 * A `docker inspect` record's anonymous volumes (the image's VOLUMEs): the
 * new host makes a new container at every start, which would start with an
 * empty anonymous volume each time. They become named volumes the data can
 * be copied into.
 */
export function anonymousVolumes(facts: InspectFacts | undefined, name: string, base: readonly string[], owner: string, ctx: BuildContext): void {
  if (!facts || facts.anonymousVolumes.length === 0) return;
  const backend = ctx.plan.backend;
  const volumes = facts.anonymousVolumes.map((v) => {
    const volume = `${name}${v.target.replace(/[^A-Za-z0-9_.-]+/g, '-')}`.replace(/-+$/, '');
    return { ...v, volume };
  });
  ctx.tree.define(
    owner,
    [...base, 'volumes'],
    list(volumes.map((v) => str(`${v.volume}:${v.target}`))),
    ['Anonymous volumes of the old container, named so their data survives a restart.'],
  );
  for (const v of volumes) {
    const old = v.source ?? `/var/lib/docker/volumes/${v.name}/_data`;
    ctx.ledger.manual({
      order: 55,
      title: `Copy the data of ${name}'s volume at ${v.target}`,
      detail:
        `The old container kept ${v.target} in an anonymous volume (${old}). ` +
        `nixport names it \`${v.volume}\`; copy the data to ${volumeDirectory(backend, v.volume)} on the new host before the first start.`,
      origin: v.item.origin,
    });
    ctx.ledger.settle(v.item, { kind: 'manual', step: `copy ${old} into the named volume ${v.volume}` });
  }
}
