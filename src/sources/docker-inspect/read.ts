import type { InspectFacts, StandaloneContainer } from '../../model/container.ts';
import { InputError } from '../../model/diagnostic.ts';
import type { InputItem, Ledger } from '../../model/ledger.ts';
import { recognizeDocker } from '../docker/recognize.ts';
import { containerNameFromImage, uniqueName } from '../docker-script/names.ts';
import type { JsonNode, JsonObject } from '../ignition/json.ts';
import type { Contribution } from '../types.ts';
import { Argv } from './argv.ts';
import { CONFIG, dropField, entrypointAndCommand, HOST_CONFIG, type FieldContext } from './fields.ts';
import { isEmpty, member, membersOf, parseInspectJson, stringOf, stringsOf, boolOf, itemsOf } from './json.ts';

/**
 * `docker inspect` JSON, as `docker inspect $(docker ps -aq)` prints it on
 * the old host: an array of container records (a single record is read
 * too). Each record becomes the `docker run` command that would make the
 * same container, so that it converts exactly like a `docker run` line.
 * `docker image inspect` records in the same input (or another one) tell
 * the image's own settings apart from the container's.
 */
export function readDockerInspect(path: string, text: string, ledger: Ledger): Contribution {
  const doc = parseInspectJson(path, text);
  const records = doc.root.type === 'array' ? doc.root.items : [doc.root];
  const containers: StandaloneContainer[] = [];
  const images = new Map<string, JsonObject>();
  const names = new Map<string, string>();
  for (const r of records) {
    if (r.type !== 'object') continue;
    const id = stringOf(member(r, 'Id'));
    if (isImage(r) && id !== undefined) images.set(id, r);
    const name = stringOf(member(r, 'Name'))?.replace(/^\//, '');
    if (id !== undefined && name !== undefined) {
      names.set(id, name);
      names.set(id.slice(0, 12), name);
    }
  }
  const used = new Set<string>();
  const taken = new Set<string>();
  records.forEach((r, i) => {
    const origin = doc.origin(r.start);
    if (r.type !== 'object' || !(isContainer(r) || isImage(r))) {
      const item = ledger.item('key', `[${i}]`, origin);
      ledger.unsupported(item, 'not a container or image record of `docker inspect`');
      ledger.report('warning', 'docker-inspect/record', `record ${i} is neither a container (Id, Config, HostConfig) nor an image record; not read`, origin);
      return;
    }
    if (!isContainer(r)) return;
    const container = readContainer(r, i, { doc, images, names, ledger, used, taken });
    if (container) containers.push(container);
  });
  records.forEach((r, i) => {
    if (r.type !== 'object' || !isImage(r)) return;
    const item = ledger.item('key', `[${i}] image ${stringsOf(member(r, 'RepoTags'))[0] ?? stringOf(member(r, 'Id')) ?? ''}`, doc.origin(r.start));
    const id = stringOf(member(r, 'Id')) ?? '';
    ledger.dropped(
      item,
      used.has(id) ? 'the image\'s own settings, told apart from the container\'s' : 'no container record of this input ran this image',
    );
  });
  if (containers.length === 0 && images.size === 0 && records.length === 0) {
    throw new InputError({
      code: 'docker-inspect/empty',
      message: `${path} holds an empty \`docker inspect\` array`,
      origin: doc.origin(doc.root.start),
      hint: 'run `docker inspect $(docker ps -aq)` while the containers exist',
    });
  }
  return { format: 'docker-inspect', containers };
}

function isContainer(r: JsonObject): boolean {
  return member(r, 'Id') !== undefined && member(r, 'Config') !== undefined && member(r, 'HostConfig') !== undefined;
}

function isImage(r: JsonObject): boolean {
  return member(r, 'HostConfig') === undefined && member(r, 'Config') !== undefined && (member(r, 'RepoTags') !== undefined || member(r, 'RepoDigests') !== undefined);
}

interface ReadContext {
  readonly doc: FieldContext['doc'];
  readonly images: ReadonlyMap<string, JsonObject>;
  readonly names: ReadonlyMap<string, string>;
  readonly ledger: Ledger;
  /** Image IDs some container ran. */
  readonly used: Set<string>;
  readonly taken: Set<string>;
}

/** Top-level keys that are Docker's runtime state, not configuration. */
const RUNTIME_STATE: Readonly<Record<string, string>> = {
  Id: 'the container\'s ID; the new host makes a new container at every start',
  Created: 'when the container was created',
  Path: 'the effective entrypoint, read from Config',
  Args: 'the effective command, read from Config',
  State: 'the container\'s run state',
  ResolvConfPath: 'a file Docker manages',
  HostnamePath: 'a file Docker manages',
  HostsPath: 'a file Docker manages',
  LogPath: 'a file Docker manages',
  RestartCount: 'a counter of the old container',
  Driver: 'the old daemon\'s storage driver',
  Platform: 'the platform Docker ran the image for',
  MountLabel: 'an SELinux label Docker assigned',
  ProcessLabel: 'an SELinux label Docker assigned',
  AppArmorProfile: 'the profile Docker assigned (docker-default)',
  ExecIDs: 'commands running in the container at the time',
  GraphDriver: 'where the old daemon stored the container\'s layers',
  SizeRw: 'disk usage at the time',
  SizeRootFs: 'disk usage at the time',
  NetworkSettings: 'addresses Docker assigned; networks and aliases are read from it',
  Image: 'the ID of the image the container ran; it is named by Config.Image',
  Mounts: 'the mounts as Docker set them up; binds and volumes are read from HostConfig, anonymous volumes from here',
  Name: 'read as the container\'s name',
  Config: 'read field by field',
  HostConfig: 'read field by field',
};

function readContainer(r: JsonObject, index: number, rc: ReadContext): StandaloneContainer | undefined {
  const { doc, ledger } = rc;
  const config = member(r, 'Config');
  const hostConfig = member(r, 'HostConfig');
  const image = stringOf(member(config, 'Image'));
  const written = stringOf(member(r, 'Name'))?.replace(/^\//, '');
  const item = ledger.item('key', `[${index}] container ${written ?? stringOf(member(r, 'Id'))?.slice(0, 12) ?? ''}`, doc.origin(r.start));
  const imageId = stringOf(member(r, 'Image'));
  const imageRecord = imageId === undefined ? undefined : rc.images.get(imageId);
  if (imageId !== undefined && imageRecord) rc.used.add(imageId);

  const argv = new Argv(item.origin);
  const ctx: FieldContext = { doc, record: r, ...(imageRecord ? { image: member(imageRecord, 'Config')! } : {}), argv, ledger, item, names: rc.names };
  argv.push('docker', item.origin);
  argv.push('run', item.origin);
  const nameNode = member(r, 'Name');
  if (written !== undefined && nameNode) argv.flag('--name', written, doc.origin(nameNode.start));

  readFields(hostConfig, HOST_CONFIG, 'HostConfig', ctx);
  readFields(config, CONFIG, 'Config', ctx);
  readNetworks(r, ctx);
  const { cmd } = entrypointAndCommand(config, ctx);
  if (image === undefined) {
    ledger.report('error', 'docker-inspect/no-image', `record ${index} names no image (Config.Image)`, item.origin, 'the record is incomplete; inspect the container again');
    ledger.settleTree(item, { kind: 'unsupported', reason: 'the record names no image' });
    return undefined;
  }
  argv.push(image, doc.origin(member(config, 'Image')!.start));
  for (const c of cmd) argv.push(c.type === 'string' ? c.value : '', doc.origin(c.start));

  for (const m of r.members) {
    const reason = RUNTIME_STATE[m.key];
    const keyItem = ledger.item('key', m.key, doc.origin(m.keyStart), item);
    if (reason === undefined) {
      ledger.unsupported(keyItem, 'a field nixport does not know');
      ledger.report('warning', 'docker-inspect/field', `${m.key} is a field nixport does not know; not read`, keyItem.origin);
    } else if (!['Name', 'Config', 'HostConfig'].includes(m.key)) {
      ledger.dropped(keyItem, reason);
    }
  }
  if (!imageRecord && (!isEmpty(member(config, 'Env')) || !isEmpty(member(config, 'Cmd')) || !isEmpty(member(config, 'Entrypoint')))) {
    ledger.report(
      'warning',
      'docker-inspect/image-settings',
      `${written ?? `record ${index}`}: Config holds the image's settings too (ENV, CMD, ENTRYPOINT, ...); without the image's record they are pinned on the container`,
      item.origin,
      `add \`docker image inspect ${image}\` to the input to tell them apart`,
    );
  }

  const invocation = recognizeDocker(argv.words, argv.at, item, ledger);
  if (invocation === undefined) return undefined;
  const name = written ?? uniqueName(containerNameFromImage(image), rc.taken);
  rc.taken.add(name);
  const facts: InspectFacts = {
    ...(boolOf(member(member(r, 'State'), 'Running')) !== undefined ? { running: boolOf(member(member(r, 'State'), 'Running'))! } : {}),
    ...(imageId !== undefined ? { imageId } : {}),
    repoDigests: imageRecord ? stringsOf(member(imageRecord, 'RepoDigests')) : [],
    anonymousVolumes: anonymousVolumes(r, hostConfig, item, ctx),
  };
  return { name, source: 'docker-inspect', invocation, item, nameGuessed: written === undefined, inspect: facts };
}

function readFields(node: JsonNode | undefined, table: typeof HOST_CONFIG, prefix: string, ctx: FieldContext): void {
  for (const m of membersOf(node)) {
    const path = `${prefix}.${m.key}`;
    const entry = table[m.key];
    if (entry === undefined) {
      if (isEmpty(m.value)) continue;
      const item = ctx.ledger.item('key', path, ctx.doc.origin(m.keyStart), ctx.item);
      ctx.ledger.unsupported(item, 'a field nixport does not know');
      ctx.ledger.report('warning', 'docker-inspect/field', `${path} is set, but nixport does not know the field; not read`, item.origin, 'set the equivalent docker run flag in extraOptions by hand');
    } else if (typeof entry !== 'function') {
      if (!isEmpty(m.value) && !['Cmd', 'Entrypoint', 'Image', 'Volumes', 'NetworkDisabled'].includes(m.key)) dropField(ctx, path, m.value, entry.dropped);
    } else if (!isEmpty(m.value)) {
      entry(m.value, ctx, path);
    }
  }
}

/**
 * User-defined networks: the first is HostConfig.NetworkMode; others the
 * container was connected to are more `--network` flags. Aliases and fixed
 * addresses of the first network become `--network-alias`, `--ip`, `--ip6`.
 */
function readNetworks(r: JsonObject, ctx: FieldContext): void {
  const mode = stringOf(member(member(r, 'HostConfig'), 'NetworkMode')) ?? '';
  const networks = member(member(r, 'NetworkSettings'), 'Networks');
  const id = stringOf(member(r, 'Id')) ?? '';
  const name = stringOf(member(r, 'Name'))?.replace(/^\//, '') ?? '';
  for (const m of membersOf(networks)) {
    const first = m.key === mode;
    if (!first && ['bridge', 'host', 'none'].includes(m.key)) continue;
    if (!first) ctx.argv.flag('--network', m.key, ctx.doc.origin(m.keyStart));
    // Docker adds the container's name and short ID as aliases itself.
    const aliases = stringsOf(member(m.value, 'Aliases')).filter((a) => a !== name && !id.startsWith(a));
    const ipam = member(m.value, 'IPAMConfig');
    if (!first) {
      if (aliases.length > 0 || !isEmpty(ipam)) dropField(ctx, `NetworkSettings.Networks.${m.key}`, m.value, 'aliases and fixed addresses on a second network have no docker run flag; connect them by hand');
      continue;
    }
    for (const a of aliases) ctx.argv.flag('--network-alias', a, ctx.doc.origin(m.value.start));
    const v4 = stringOf(member(ipam, 'IPv4Address'));
    const v6 = stringOf(member(ipam, 'IPv6Address'));
    if (v4) ctx.argv.flag('--ip', v4, ctx.doc.origin(ipam!.start));
    if (v6) ctx.argv.flag('--ip6', v6, ctx.doc.origin(ipam!.start));
  }
}

/**
 * Volumes Docker made for the image's VOLUMEs (or `-v PATH`): named by a
 * hash, they hold the container's data but are left behind when the new
 * host makes its container.
 */
function anonymousVolumes(r: JsonObject, hostConfig: JsonNode | undefined, parent: InputItem, ctx: FieldContext): InspectFacts['anonymousVolumes'] {
  const declared = new Set([
    ...stringsOf(member(hostConfig, 'Binds')).map((b) => b.split(':')[1] ?? ''),
    ...itemsOf(member(hostConfig, 'Mounts')).map((m) => stringOf(member(m, 'Target')) ?? ''),
  ]);
  const out: InspectFacts['anonymousVolumes'][number][] = [];
  itemsOf(member(r, 'Mounts')).forEach((m, i) => {
    const name = stringOf(member(m, 'Name')) ?? '';
    const target = stringOf(member(m, 'Destination')) ?? '';
    if (stringOf(member(m, 'Type')) !== 'volume' || !/^[0-9a-f]{64}$/.test(name) || declared.has(target)) return;
    const item = ctx.ledger.item('key', `Mounts[${i}] ${target}`, ctx.doc.origin(m.start), parent);
    const source = stringOf(member(m, 'Source'));
    out.push(source !== undefined ? { name, target, source, item } : { name, target, item });
  });
  return out;
}
