import type { InspectFacts, StandaloneContainer } from '../../model/container.ts';
import { attrs, fromJS, list, str } from '../../nix/ast.ts';
import { environmentFile, type SecretFile } from '../../passes/secrets/index.ts';
import type { Backend } from '../../plan/types.ts';
import { optionName, type BuildContext } from '../context.ts';
import type { MappedContainer } from './flags.ts';
import { secretEnvFile } from './secrets.ts';

/**
 * Writes a mapped container under virtualisation.oci-containers.containers:
 * only what differs from the module's defaults, in the order the module
 * builds its command line. Secrets go to an environment file outside the
 * store; named and anonymous volumes get a manual step for their data.
 */
export function writeContainer(mapped: MappedContainer, name: string, owner: string, base: readonly string[], header: readonly string[], ctx: BuildContext, standalone?: StandaloneContainer): void {
  ctx.tree.define(owner, base, attrs([]), header);
  const secrets = writeSecrets(mapped, name, base, ctx);
  const secretFile = secrets?.path;
  mountSecrets(mapped, standalone, name, base, ctx);
  const comments: Readonly<Record<string, readonly string[] | undefined>> = {
    environmentFiles: secrets !== undefined ? [`${secrets.path} holds ${secrets.names.join(', ')}: secrets stay out of the Nix store.`] : undefined,
    pull: mapped.pullComment !== undefined ? [mapped.pullComment] : undefined,
  };
  for (const [option, value] of Object.entries(containerOptions(mapped, name, { secretFile }))) {
    ctx.tree.define(owner, [...base, option], fromJS(value), comments[option]);
  }
}

/**
 * The container's options as plain data: only what differs from the
 * module's defaults, in the order the module builds its command line.
 * `secretFile` is where its secret variables are (--secrets decides).
 */
export function containerOptions(mapped: MappedContainer, name: string, where: { readonly secretFile?: string | undefined } = {}): Record<string, unknown> {
  const secretFile = 'secretFile' in where ? where.secretFile : mapped.secrets.length > 0 ? secretEnvFile(name) : undefined;
  const out: Record<string, unknown> = { image: mapped.image };
  if (mapped.cmd.length > 0) out['cmd'] = [...mapped.cmd];
  if (mapped.entrypoint !== undefined) out['entrypoint'] = mapped.entrypoint;
  if (mapped.environment.size > 0) out['environment'] = Object.fromEntries(mapped.environment);
  const envFiles = [...mapped.environmentFiles, ...(secretFile !== undefined ? [secretFile] : [])];
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
  if (mapped.sdnotify !== undefined) out['podman'] = { sdnotify: mapped.sdnotify };
  if (mapped.extraOptions.length > 0) out['extraOptions'] = [...mapped.extraOptions];
  return out;
}

/**
 * `-e NAME=secret` flags: into one environment file of the container
 * (docker's --env-file format), declared by --secrets; returns its path.
 * A value with a line break cannot be written there: reported, left out.
 */
function writeSecrets(mapped: MappedContainer, name: string, base: readonly string[], ctx: BuildContext): { readonly path: string; readonly names: readonly string[] } | undefined {
  const writable = mapped.secrets.filter((s) => !/[\n\r]/.test(s.value));
  for (const s of mapped.secrets.filter((x) => !writable.includes(x))) {
    ctx.ledger.unsupported(s.flag.item, 'a secret with a line break cannot be written to an environment file docker reads');
    ctx.ledger.report('error', 'oci/secret-multiline', `\`-e ${s.name}\` holds a secret with a line break; docker's --env-file cannot carry it, so it was left out`, s.flag.item.origin, 'mount the value as a file into the container instead (a volume from a secret file)');
  }
  if (writable.length === 0) return undefined;
  const option = optionName([...base, 'environmentFiles']);
  const file: SecretFile = ctx.secrets.add({
    name: `${name}.env`,
    content: environmentFile('docker-env', writable)!,
    format: 'docker-env',
    purpose: `the environment of the container ${name}`,
    restartUnits: [`${ctx.plan.backend}-${name}.service`],
    findings: writable.flatMap((s) => (s.finding ? [s.finding] : [])),
    origin: writable[0]!.flag.item.origin,
  });
  for (const s of writable) {
    ctx.ledger.carried(s.flag.item, option, `the value went to ${file.path}, outside the Nix store`);
    if (s.finding) ctx.secrets.moved(s.finding, option, file, { quiet: true });
    ctx.ledger.report(
      'warning',
      'oci/secret-env',
      `\`-e ${s.name}\` holds a secret; its value is not written into the configuration (the store is world-readable) but into ${file.path}`,
      s.flag.item.origin,
      'its plaintext is in secrets.local/ of the output; MIGRATION.md says how to put it on the host',
    );
  }
  return { path: file.path, names: writable.map((s) => s.name) };
}

/**
 * Declared secrets a container reads as files (Compose `secrets:`): the
 * secret file, read-only at the path the container expects.
 */
function mountSecrets(mapped: MappedContainer, standalone: StandaloneContainer | undefined, name: string, base: readonly string[], ctx: BuildContext): void {
  const option = optionName([...base, 'volumes']);
  for (const mount of standalone?.secrets ?? []) {
    const declared = ctx.analysis.secrets.declared.get(mount.secret);
    if (!declared) {
      ctx.ledger.unsupported(mount.item, `no secret \`${mount.secret}\` is declared`);
      ctx.ledger.report('error', 'oci/unknown-secret', `${name} reads the secret \`${mount.secret}\`, which no input declares`, mount.item.origin, 'declare it under the top-level `secrets:` of the Compose file');
      continue;
    }
    const content = declared.secret.content;
    const file = ctx.secrets.add({
      name: mount.secret,
      ...(content !== undefined ? { content } : {}),
      format: 'raw',
      ...(mount.uid !== undefined ? { owner: mount.uid } : {}),
      ...(mount.gid !== undefined ? { group: mount.gid } : {}),
      mode: mount.mode ?? 0o444,
      purpose: `the secret ${mount.secret}${declared.secret.sourcePath ? ` (${declared.secret.sourcePath} on the old host)` : ''}`,
      restartUnits: [`${ctx.plan.backend}-${name}.service`],
      findings: declared.finding ? [declared.finding] : [],
      origin: declared.secret.item.origin,
    });
    mapped.volumes.push(`${file.path}:${mount.target}:ro`);
    ctx.ledger.carried(mount.item, option, `the secret file ${file.path}, read-only`);
    if (declared.finding) ctx.secrets.moved(declared.finding, option, file);
    ctx.ledger.carried(declared.secret.item, option);
  }
}

/** Where the container engine keeps a named volume's data. */
export function volumeDirectory(backend: Backend, volume: string): string {
  return backend === 'podman' ? `/var/lib/containers/storage/volumes/${volume}/_data` : `/var/lib/docker/volumes/${volume}/_data`;
}

/** Named volumes stay named; their data must come along from the old host. */
export function noteNamedVolumes(mapped: MappedContainer, name: string, ctx: BuildContext, noted: Set<string>, ranWith: Backend = 'docker'): void {
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
        `On the old host the named volume \`${volume}\` held its data in ${volumeDirectory(ranWith, volume)}. ` +
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
