/**
 * A Compose project read into nixport's model: each active service
 * becomes a StandaloneContainer (the `docker run` Compose would run, so
 * stage 2 converts it like any container), with its Compose facts; the
 * networks Compose would create become network definitions, its secrets
 * declared secrets. Every key is a ledger item, or a flag item, at the
 * value it came from.
 */
import { posix } from 'node:path';
import type { ComposeProject, ComposeService, ComposeVolume } from '../../model/compose.ts';
import type { StandaloneContainer } from '../../model/container.ts';
import type { InputItem, Ledger } from '../../model/ledger.ts';
import type { Origin } from '../../model/origin.ts';
import { Argv } from '../docker-inspect/argv.ts';
import { recognizeDocker } from '../docker/recognize.ts';
import type { Contribution } from '../types.ts';
import { dirOf, resolvePath, type ComposeFiles } from './files.ts';
import { loadProject, type ComposeOptions, type LoadedProject } from './load.ts';
import { child, isCMap, isCSeq, text, type CEntry } from './node.ts';
import { readNetworks, readSecrets, readVolumes, resourceRefs, settleConfigs } from './resources.ts';
import type { ProjectScope, ServiceScope } from './scope.ts';
import { SERVICE_KEYS } from './service-keys.ts';

/** Where a project lives on the new host when its files do not say (they were named by a relative path). */
export function defaultProjectDirectory(project: string): string {
  return `/srv/compose/${project}`;
}

const TOP_LEVEL: Readonly<Record<string, { readonly fate: 'dropped' | 'carried' | 'unsupported'; readonly why: string }>> = {
  version: { fate: 'dropped', why: 'obsolete: Compose ignores it' },
  name: { fate: 'carried', why: 'the project name: it prefixes containers, networks and volumes' },
  include: { fate: 'carried', why: 'the included projects were merged in' },
  models: { fate: 'unsupported', why: 'Docker Model Runner models have no NixOS equivalent' },
};

export function readComposeProject(paths: readonly string[], fs: ComposeFiles, ledger: Ledger, options: ComposeOptions = {}): Contribution {
  const loaded = loadProject(paths, fs, ledger, options);
  const project = loaded.name.value;
  const projectItem = ledger.item('file', loaded.mainFile, { file: loaded.mainFile, line: 1, column: 1 });
  ledger.carried(projectItem, `virtualisation.oci-containers.containers (project ${project})`, `the Compose project ${project} (name from ${loaded.name.from})`);
  for (const file of loaded.files.slice(1)) ledger.carried(ledger.item('file', file, { file, line: 1, column: 1 }, projectItem), 'merged into the project', 'read as part of the Compose project');
  for (const file of loaded.envFiles) ledger.carried(ledger.item('file', file, { file, line: 1, column: 1 }, projectItem), 'the project\'s variables', 'read for interpolation');

  const directory = hostDirectory(loaded, options);
  let relativeSeen = false;
  const hostPath = (written: string, origin: Origin): string => {
    if (written.startsWith('/')) return posix.normalize(written);
    if (written === '~' || written.startsWith('~/')) return posix.join('/root', written.slice(1));
    relativeSeen = true;
    const input = resolvePath(dirOf(origin.file), written);
    return posix.join(directory, posix.relative(loaded.directory === '' ? '.' : loaded.directory, input || '.'));
  };
  const volumes: ComposeVolume[] = [];
  const composeProject: ComposeProject = { name: project, item: projectItem, volumes, directory };
  const refs = resourceRefs(loaded.model, project, hostPath);

  const services = child(loaded.model, 'services');
  const entries = isCMap(services) ? [...services.entries.values()] : [];
  const containerOf = new Map<string, string>();
  for (const e of entries) containerOf.set(e.key, text(child(e.value, 'container_name')) ?? `${project}-${e.key}`);
  const inactive = new Set(loaded.inactive.map((e) => e.key));
  for (const e of loaded.inactive) {
    const item = ledger.item('key', `services.${e.key}`, e.keyOrigin, projectItem);
    ledger.settleTree(item, { kind: 'dropped', reason: `its profiles (${profilesOf(e)}) are not active${loaded.profiles.length ? ` (active: ${loaded.profiles.join(', ')})` : ''}; pass --profile to convert it` });
  }

  const readInput = (written: string, origin: Origin) => fs.read(written.startsWith('/') ? written : resolvePath(dirOf(origin.file), written));
  const scope: ProjectScope = {
    project: composeProject,
    ledger,
    containerOf,
    inactive,
    networks: refs.networks,
    volumes: refs.volumes,
    secrets: new Map([...refs.secrets].map(([k, v]) => [k, { ...v }])),
    configs: refs.configs,
    hostPath,
    inputExists: (written, origin) => readInput(written, origin) !== undefined,
    readInput,
    lookup: loaded.lookup,
    usedNetworks: new Set(),
    usedVolumes: new Set(),
    defaultNetworkUsed: false,
  };
  const containers: StandaloneContainer[] = [];
  const usedConfigs = new Set<string>();
  for (const e of entries) {
    for (const c of isCSeq(child(e.value, 'configs')) ? (child(e.value, 'configs') as { items: readonly CEntry['value'][] }).items : []) {
      const source = text(isCMap(c) ? child(c, 'source') : c);
      if (source !== undefined) usedConfigs.add(source);
    }
    const c = readService(e, scope, projectItem);
    if (c) containers.push(c);
  }
  topLevel(loaded, ledger, projectItem);

  const rc = { model: loaded.model, project, projectItem, ledger, refs, usedNetworks: scope.usedNetworks, usedVolumes: scope.usedVolumes, defaultNetworkUsed: scope.defaultNetworkUsed, fs, lookup: loaded.lookup };
  const networks = readNetworks(rc);
  volumes.push(...readVolumes(rc));
  const secrets = readSecrets(rc);
  settleConfigs(rc, usedConfigs);

  if (relativeSeen && options.projectDirectory === undefined && !loaded.directory.startsWith('/')) {
    ledger.report(
      'warning',
      'compose/project-directory',
      `project ${project}: relative paths (bind mounts, env files) are resolved against ${directory} on the new host; the input was named by a relative path, so where the project lived on the old host is unknown`,
      projectItem.origin,
      'pass --project-directory with the directory the project should live in on the new host, or name the Compose file by its absolute path',
    );
    ledger.manual({
      order: 50,
      title: `Copy the Compose project ${project} to ${directory}`,
      detail: `Bind mounts and env files of the project are read from ${directory} on the new host. Copy the project directory (${loaded.directory || 'the current directory'} on the old host) there before the containers start.`,
      origin: projectItem.origin,
    });
  }
  return { format: 'compose', containers, networks, ...(secrets.length > 0 ? { secrets } : {}) };
}

function profilesOf(e: CEntry): string {
  const p = child(e.value, 'profiles');
  return isCSeq(p) ? p.items.map((i) => text(i) ?? '').join(', ') : '';
}

function hostDirectory(loaded: LoadedProject, options: ComposeOptions): string {
  if (options.projectDirectory !== undefined) return posix.normalize(options.projectDirectory);
  if (loaded.directory.startsWith('/')) return loaded.directory;
  return defaultProjectDirectory(loaded.name.value);
}

function topLevel(loaded: LoadedProject, ledger: Ledger, projectItem: InputItem): void {
  for (const [key, e] of loaded.model.entries) {
    if (['services', 'networks', 'volumes', 'secrets', 'configs'].includes(key)) continue;
    const item = ledger.item('key', key, e.keyOrigin, projectItem);
    if (key.startsWith('x-')) {
      ledger.dropped(item, 'an extension field: Compose ignores it (it holds anchors for other keys)');
      continue;
    }
    const known = TOP_LEVEL[key];
    if (!known) ledger.unsupported(item, 'not a key nixport knows');
    else if (known.fate === 'carried') ledger.carried(item, 'the Compose project', known.why);
    else if (known.fate === 'dropped') ledger.dropped(item, known.why);
    else {
      ledger.unsupported(item, known.why);
      ledger.report('warning', 'compose/unsupported-key', `\`${key}\` is not converted: ${known.why}`, e.keyOrigin);
    }
  }
}

function readService(e: CEntry, scope: ProjectScope, projectItem: InputItem): StandaloneContainer | undefined {
  const { ledger } = scope;
  const name = e.key;
  const container = scope.containerOf.get(name)!;
  const item = ledger.item('key', `services.${name}`, e.keyOrigin, projectItem);
  const argv = new Argv(e.keyOrigin);
  argv.push('docker', e.keyOrigin);
  argv.push('run', e.keyOrigin);
  const deployRestart = child(child(e.value, 'deploy'), 'restart_policy') !== undefined;
  const environment = child(e.value, 'environment');
  const environmentNames = new Set(isCMap(environment) ? environment.entries.keys() : []);
  const s: ServiceScope = { scope, name, container, item, argv, networked: false, healthcheck: false, restartSet: false, deployRestart, dependsOn: [], volumes: new Set(), secrets: [], environmentNames };
  argv.flag('--name', container, child(e.value, 'container_name')?.origin ?? e.keyOrigin);
  if (isCMap(e.value)) {
    for (const [key, entry] of e.value.entries) {
      const known = SERVICE_KEYS[key];
      if (known) known.read(entry, s);
      else {
        const keyItem = ledger.item('key', `services.${name}.${key}`, entry.keyOrigin, item);
        if (key.startsWith('x-')) ledger.dropped(keyItem, 'an extension field: Compose ignores it');
        else {
          ledger.unsupported(keyItem, 'not a service key nixport knows');
          ledger.report('warning', 'compose/unknown-key', `${name}: \`${key}\` is not a service key nixport knows; not converted`, entry.keyOrigin);
        }
      }
    }
  }
  if (!s.networked) {
    // Compose joins every service to the project's default network, where other services find it by its name.
    scope.defaultNetworkUsed = true;
    const network = scope.networks.get('default')!.real;
    argv.flag('--network', network, e.keyOrigin);
    argv.flag('--network-alias', name, e.keyOrigin);
  }
  let image = s.image;
  if (s.build) {
    const buildItem = ledger.item('key', `services.${name}.build`, s.build.keyOrigin, item);
    const context = text(child(s.build.value, 'context')) ?? '.';
    if (image) {
      ledger.dropped(buildItem, `the image ${image.value} is used; Compose built it from ${context} on the old host`);
      ledger.report('info', 'compose/build-image', `${name}: \`build\` is not run; the image ${image.value} is used, so it must be in a registry (or loaded on the new host)`, s.build.keyOrigin, 'build it with Nix (pkgs.dockerTools) and set imageFile, or push it to a registry');
    } else {
      image = { value: `${scope.project.name}-${name}`, origin: s.build.keyOrigin };
      argv.flag('--pull', 'never', s.build.keyOrigin);
      ledger.unsupported(buildItem, `nixport does not build images; the container runs the image ${image.value}, which must exist on the new host`);
      ledger.report(
        'error',
        'compose/build',
        `${name}: the service is built from ${context} and names no image; the container runs \`${image.value}\` (the name Compose gave the built image), which the new host must have`,
        s.build.keyOrigin,
        `build it with Nix (pkgs.dockerTools.buildLayeredImage, then imageFile = ...), or build and push it to a registry and set \`image:\`; on the host, \`docker build -t ${image.value} ${context}\` works too`,
      );
    }
  }
  if (!image) {
    ledger.report('error', 'compose/no-image', `${name}: the service has neither an image nor a build context`, e.keyOrigin, 'add `image:`; Docker Compose refuses the service too');
    ledger.settleTree(item, { kind: 'unsupported', reason: 'no image' });
    return undefined;
  }
  const entry = s.entrypoint?.words;
  if (entry !== undefined) argv.flag('--entrypoint', entry[0] ?? '', s.entrypoint!.origin);
  argv.push(image.value, image.origin);
  for (const w of entry?.slice(1) ?? []) argv.push(w, s.entrypoint!.origin);
  for (const w of s.command?.words ?? []) argv.push(w, s.command!.origin);

  const invocation = recognizeDocker(argv.words, argv.at, item, ledger);
  if (!invocation) return undefined;
  const compose: ComposeService = {
    project: scope.project,
    service: name,
    item,
    dependsOn: s.dependsOn,
    healthcheck: s.healthcheck,
    restartUnset: !s.restartSet,
    ...(s.restartLimits ? { restartLimits: s.restartLimits } : {}),
    volumes: [...s.volumes],
  };
  return { name: container, source: 'compose', invocation, item, nameGuessed: false, compose, ...(s.secrets.length > 0 ? { secrets: s.secrets } : {}) };
}
