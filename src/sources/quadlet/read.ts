import { posix } from 'node:path';
import type { NetworkDefinition, QuadletUnit, StandaloneContainer, VolumeDefinition } from '../../model/container.ts';
import type { DockerFlag } from '../../model/docker.ts';
import type { InputItem, Ledger } from '../../model/ledger.ts';
import type { Origin, PositionMapper } from '../../model/origin.ts';
import { originAt, type Directive } from '../../model/unit.ts';
import { Argv } from '../docker-inspect/argv.ts';
import { recognizeDocker } from '../docker/recognize.ts';
import { mergeDirectives } from '../systemd/merge.ts';
import { parseUnitText } from '../systemd/parse-unit.ts';
import { CONTAINER_KEYS, type KeyRule } from './container-keys.ts';
import { quadletKind, quadletScope, quadletStem, type QuadletKind } from './detect.ts';
import { NETWORK_KEYS, VOLUME_KEYS } from './resource-keys.ts';
import { parseBoolean, splitWords } from './words.ts';

/** A Quadlet file's text: an input of its own, or a file a config wrote (storage.files, write_files). */
export interface QuadletText {
  /** The path on the old host (or the input's path): its name says the kind and the names. */
  readonly path: string;
  readonly text: string;
  readonly position: PositionMapper;
  /** The file's item; its lines are registered below it. */
  readonly item: InputItem;
}

export interface QuadletRead {
  readonly containers: StandaloneContainer[];
  readonly networks: NetworkDefinition[];
  readonly volumes: VolumeDefinition[];
  /** The files read (the rest are reported by the caller and carried as plain files). */
  readonly read: Set<QuadletText>;
}

/** Sections every Quadlet kind may have besides its own: systemd's, passed to the generated unit, and [Quadlet]. */
const UNIT_SECTIONS = new Set(['Unit', 'Service', 'Install', 'Quadlet']);

type ReadKind = Extract<QuadletKind, 'container' | 'network' | 'volume'>;

interface Parsed {
  readonly q: QuadletText;
  readonly kind: ReadKind;
  readonly stem: string;
  readonly directives: readonly Directive[];
}

/**
 * Reads the `.container`, `.network` and `.volume` files of one host
 * together: a container names the others by file name (`Network=app.network`,
 * `Volume=data.volume:/data`), which become the names their files give
 * (`NetworkName=`, default `systemd-app`). Each `.container` becomes the
 * `podman run` podman's generator would write, with each flag's origin at
 * its key; `.network` and `.volume` files become the networks and volumes
 * the oci strategy creates before the containers.
 */
export function readQuadlets(texts: readonly QuadletText[], ledger: Ledger): QuadletRead {
  const parsed: Parsed[] = [];
  for (const q of texts) {
    const kind = quadletKind(q.path);
    if (kind !== 'container' && kind !== 'network' && kind !== 'volume') continue;
    const result = parseUnitText({ unit: posix.basename(q.path), text: q.text, position: q.position, item: q.item }, ledger);
    parsed.push({ q, kind, stem: quadletStem(q.path), directives: result.directives });
  }
  const names = {
    network: new Map<string, string>(),
    volume: new Map<string, string>(),
    container: new Map<string, string>(),
    units: new Map<string, string>(),
  };
  for (const p of parsed) {
    const nameKey = p.kind === 'container' ? 'ContainerName' : p.kind === 'network' ? 'NetworkName' : 'VolumeName';
    const section = p.kind === 'container' ? 'Container' : p.kind === 'network' ? 'Network' : 'Volume';
    const name = lastOf(p.directives, section, nameKey)?.value || `systemd-${p.stem}`;
    names[p.kind].set(`${p.stem}.${p.kind}`, name);
    const service = lastOf(p.directives, section, 'ServiceName')?.value;
    names.units.set(`${p.stem}.${p.kind}`, `${service || (p.kind === 'container' ? p.stem : `${p.stem}-${p.kind}`)}.service`);
  }
  const out: QuadletRead = { containers: [], networks: [], volumes: [], read: new Set() };
  for (const p of parsed) {
    out.read.add(p.q);
    if (p.kind === 'container') {
      const c = readContainer(p, names, ledger);
      if (c) out.containers.push(c);
    } else {
      const resource = readResource(p, p.kind === 'network' ? NETWORK_KEYS : VOLUME_KEYS, names[p.kind].get(`${p.stem}.${p.kind}`)!, ledger);
      if (p.kind === 'network') out.networks.push(resource);
      else out.volumes.push(resource);
    }
  }
  return out;
}

interface Names {
  readonly network: ReadonlyMap<string, string>;
  readonly volume: ReadonlyMap<string, string>;
  readonly container: ReadonlyMap<string, string>;
  readonly units: ReadonlyMap<string, string>;
}

function lastOf(directives: readonly Directive[], section: string, key: string): Directive | undefined {
  return directives.filter((d) => d.section === section && d.key === key).at(-1);
}

/** Emits flags into an argv, remembering which line each came from. */
class Flags {
  readonly argv: Argv;
  /** Word index -> the line it came from. */
  readonly from = new Map<number, Directive>();
  readonly tail: { readonly word: string; readonly origin: Origin; readonly d: Directive }[] = [];

  constructor(fallback: Origin) {
    this.argv = new Argv(fallback);
  }

  emit(d: Directive, flag: string, value: string | undefined, offset = 0): void {
    this.from.set(this.argv.words.length, d);
    this.argv.push(value === undefined ? flag : `${flag}=${value}`, originAt(d, offset));
  }
}

/** What to do with one line, from its table entry; false when the line was settled (reported). */
function applyRule(rule: KeyRule, d: Directive, flags: Flags, ledger: Ledger, what: string): boolean {
  switch (rule.kind) {
    case 'flag':
      flags.emit(d, rule.flag, d.value);
      return true;
    case 'words':
    case 'assignments': {
      const words = splitWords(d);
      if ('error' in words) return badValue(d, words.error, words.offset, ledger);
      for (const w of words) flags.emit(d, rule.flag, w.value, w.offset);
      return true;
    }
    case 'bool':
    case 'template': {
      const on = rule.kind === 'bool' || !rule.template.includes('%s') ? parseBoolean(d.value) : true;
      if (on === undefined) return badValue(d, `\`${d.value}\` is not a boolean`, 0, ledger);
      if (rule.kind === 'template' && rule.template.includes('%s')) flags.emit(d, rule.flag, rule.template.replace('%s', d.value));
      else if (on) flags.emit(d, rule.flag, rule.kind === 'template' ? rule.template : undefined);
      else ledger.dropped(d.item, `false is ${what}'s default: nothing to pass`);
      return true;
    }
    case 'reported':
      report(d, rule.fate, rule.reason, ledger);
      return false;
    case 'special':
      return true;
  }
}

function report(d: Directive, fate: 'dropped' | 'unsupported', reason: string, ledger: Ledger): void {
  if (fate === 'dropped') {
    ledger.dropped(d.item, reason);
    return;
  }
  ledger.unsupported(d.item, reason);
  ledger.report('warning', 'quadlet/key-not-converted', `\`${d.key}=${d.value}\` is not converted: ${reason}`, d.item.origin);
}

function badValue(d: Directive, message: string, offset: number, ledger: Ledger): false {
  ledger.report('error', 'quadlet/bad-value', `\`${d.key}=\`: ${message}; podman's generator refuses the file`, originAt(d, offset), 'fix the value on the old host\'s file and convert again');
  ledger.unsupported(d.item, message);
  return false;
}

function unknownKey(d: Directive, section: string, ledger: Ledger): void {
  ledger.unsupported(d.item, `a [${section}] key nixport does not know`);
  ledger.report('warning', 'quadlet/unknown-key', `\`${d.key}=\` is no [${section}] key nixport knows; not converted`, d.item.origin, 'check it against podman-systemd.unit(5) of the podman version the host ran, and carry it by hand');
}

function unknownSection(d: Directive, kind: QuadletKind, ledger: Ledger): void {
  ledger.unsupported(d.item, `a [${d.section}] section has no meaning in a .${kind} file`);
  ledger.report('warning', 'quadlet/unknown-section', `[${d.section}] ${d.key}= is in a section podman's generator does not read for a .${kind} file; not converted`, d.item.origin);
}

function readContainer(p: Parsed, names: Names, ledger: Ledger): StandaloneContainer | undefined {
  const { q } = p;
  const flags = new Flags(q.item.origin);
  flags.argv.push('podman', q.item.origin);
  flags.argv.push('run', q.item.origin);
  const unitLines: Directive[] = [];
  const podmanArgs: Directive[] = [];
  let image: Directive | undefined;
  let exec: Directive | undefined;
  let user: Directive | undefined;
  let group: Directive | undefined;
  let readOnly = false;
  const fail = (reason: string, origin: Origin, hint: string): undefined => {
    ledger.report('error', 'quadlet/not-converted', `${q.path}: ${reason}; the container is not converted`, origin, hint);
    ledger.settleTree(q.item, { kind: 'unsupported', reason });
    return undefined;
  };
  if (p.stem.includes('@')) return fail('a template (`name@.container`) makes one container per instance; oci-containers declares each container by name', q.item.origin, 'declare the instances you ran as containers of their own');

  for (const d of p.directives) {
    if (UNIT_SECTIONS.has(d.section)) {
      unitLines.push(d);
      continue;
    }
    if (d.section !== 'Container') {
      unknownSection(d, 'container', ledger);
      continue;
    }
    const rule = CONTAINER_KEYS[d.key];
    if (!rule) {
      unknownKey(d, 'Container', ledger);
      continue;
    }
    if (!applyRule(rule, d, flags, ledger, 'podman')) continue;
    if (rule.kind === 'bool' && d.key === 'ReadOnly') readOnly = parseBoolean(d.value) === true;
    if (rule.kind !== 'special') continue;
    switch (d.key) {
      case 'Image':
        image = d;
        break;
      case 'Exec':
        exec = d;
        break;
      case 'User':
        user = d;
        break;
      case 'Group':
        group = d;
        break;
      case 'PodmanArgs':
        podmanArgs.push(d);
        break;
      case 'ContainerName':
        flags.emit(d, '--name', d.value);
        break;
      case 'ServiceName':
        // Read with the names above; the unit keeps it as an alias.
        unitLines.push(d);
        break;
      case 'AddDevice':
        addDevice(d, flags, ledger);
        break;
      case 'AutoUpdate':
        flags.emit(d, '--label', `io.containers.autoupdate=${d.value}`);
        ledger.report('info', 'quadlet/auto-update', `\`AutoUpdate=${d.value}\` is kept as the label \`podman auto-update\` reads; NixOS runs no podman-auto-update timer by itself`, d.item.origin, 'enable systemd.timers.podman-auto-update (from the podman package) if the containers should update themselves');
        break;
      case 'HttpProxy': {
        const on = parseBoolean(d.value);
        if (on === undefined) badValue(d, `\`${d.value}\` is not a boolean`, 0, ledger);
        else flags.emit(d, '--http-proxy', String(on));
        break;
      }
      case 'Notify': {
        const value = d.value.trim().toLowerCase() === 'healthy' ? 'healthy' : parseBoolean(d.value);
        if (value === undefined) badValue(d, `\`${d.value}\` is neither a boolean nor \`healthy\``, 0, ledger);
        else if (value === false) ledger.dropped(d.item, 'false is Quadlet\'s default (podman notifies when the container has started, --sdnotify=conmon)');
        else flags.emit(d, '--sdnotify', value === 'healthy' ? 'healthy' : 'container');
        break;
      }
      case 'ReadOnlyTmpfs':
        // Read after ReadOnly=, below.
        break;
      case 'Network':
        network(d, names, flags, ledger);
        break;
      case 'Volume':
        volume(d, q.path, names, flags, ledger);
        break;
      case 'Mount':
        mount(d, names, flags, ledger);
        break;
      case 'EnvironmentFile':
        flags.emit(d, '--env-file', d.value.startsWith('/') || d.value.startsWith('%') ? d.value : relativePath(d.value, q.path, d, ledger));
        break;
    }
  }
  for (const d of p.directives.filter((x) => x.section === 'Container' && x.key === 'ReadOnlyTmpfs')) {
    const on = parseBoolean(d.value);
    if (on === undefined) badValue(d, `\`${d.value}\` is not a boolean`, 0, ledger);
    else if (readOnly && !on) flags.emit(d, '--read-only-tmpfs', 'false');
    else ledger.dropped(d.item, readOnly ? 'true is podman\'s default with --read-only' : 'it matters only with ReadOnly=true');
  }
  if (group && !user) {
    badValue(group, 'Group= without User=', 0, ledger);
  } else if (user) {
    flags.emit(user, '--user', group ? `${user.value}:${group.value}` : user.value);
    if (group) flags.from.set(flags.argv.words.length - 1, user);
  }
  for (const d of podmanArgs) {
    const words = splitWords(d);
    if ('error' in words) {
      badValue(d, words.error, words.offset, ledger);
      continue;
    }
    for (const w of words) {
      flags.from.set(flags.argv.words.length, d);
      flags.argv.push(w.value, originAt(d, w.offset));
    }
  }
  if (!image) return fail('it names no image (Image=)', q.item.origin, 'podman\'s generator refuses a .container file without Image=');
  if (/\.(image|build)$/.test(image.value)) {
    ledger.unsupported(image.item, 'the image of another Quadlet file (.image, .build)');
    return fail(`its image is made by the Quadlet file \`${image.value}\`, which nixport does not convert`, image.item.origin, 'pull or build the image and name it in Image=, or build it with Nix (dockerTools)');
  }
  const imageWord = flags.argv.words.length;
  flags.argv.push(image.value, originAt(image, 0));
  if (exec) {
    const words = splitWords(exec);
    if ('error' in words) badValue(exec, words.error, words.offset, ledger);
    else for (const w of words) flags.argv.push(w.value, originAt(exec, w.offset));
  }

  const service = names.units.get(`${p.stem}.container`)!;
  const unknown = fillSpecifiers(flags.argv, service);
  const first = [...unknown].find((i) => i >= imageWord);
  if (first !== undefined) {
    return fail(`its ${first === imageWord ? 'image' : 'command'} uses a systemd specifier only the generated unit could fill in`, flags.argv.at(flags.argv.words[first]!.start), 'write the value out');
  }
  const invocation = recognizeDocker(flags.argv.words, flags.argv.at, q.item, ledger);
  if (invocation === undefined || invocation.imageWord !== imageWord) {
    return fail('its PodmanArgs= leave the image out of place', (podmanArgs[0] ?? image).item.origin, 'give PodmanArgs= flags with their values (`--flag=value`)');
  }
  const leftOut = new Set<DockerFlag>();
  for (const f of invocation.flags) {
    // The value is in the flag's word (`--flag=value`, as the keys emit it) or the next one (PodmanArgs=).
    const valueWord = flags.argv.words[f.word]!.value.includes('=') ? f.word : f.word + 1;
    if (!unknown.has(f.word) && !(f.value !== undefined && unknown.has(valueWord))) continue;
    const reason = 'its value uses a systemd specifier (`%h`, `%t`, ...) that the generated unit filled in; the module\'s command line does not';
    ledger.report('error', 'quadlet/specifier', `\`${f.item.label}\` is not converted: ${reason}`, f.item.origin, 'write the value out');
    ledger.unsupported(f.item, reason);
    leftOut.add(f);
  }
  const keys = new Map<Directive, DockerFlag[]>();
  for (const f of invocation.flags) {
    const d = flags.from.get(f.word);
    if (d) keys.set(d, [...(keys.get(d) ?? []), f]);
  }
  const containerName = names.container.get(`${p.stem}.container`)!;
  // systemd's rules for repeated lines (a later Description= wins, lists add up), as the generated unit had them.
  const systemd = new Set(mergeDirectives(unitLines.filter((d) => d.section !== 'Quadlet' && d.section !== 'Container'), true, ledger));
  const quadlet: QuadletUnit = {
    service: names.units.get(`${p.stem}.container`)!,
    directives: unitLines.filter((d) => systemd.has(d) || d.section === 'Quadlet' || d.section === 'Container'),
    keys,
    units: names.units,
    containers: names.container,
  };
  return { name: containerName, source: 'quadlet', invocation, item: q.item, nameGuessed: false, quadlet, ...(leftOut.size > 0 ? { leftOut } : {}) };
}

/**
 * systemd filled in specifiers in the ExecStart= the generator wrote; the
 * module's command line does not. The unit's own names (`%n`, `%N`, `%p`,
 * `%%`) are known here and filled in; the words with any other are returned.
 */
function fillSpecifiers(argv: Argv, service: string): Set<number> {
  const stem = service.slice(0, service.lastIndexOf('.'));
  const known: Readonly<Record<string, string>> = { n: service, N: stem, p: stem.split('@')[0]!, '%': '%' };
  const unknown = new Set<number>();
  argv.words.forEach((w, i) => {
    if (i < 2 || !w.value.includes('%')) return;
    const value = w.value.replace(/%(.)?/g, (all, c: string | undefined) => {
      const filled = c === undefined ? undefined : known[c];
      if (filled === undefined) unknown.add(i);
      return filled ?? all;
    });
    argv.words[i] = { ...w, value, offsets: new Array<number>(value.length).fill(w.start) };
  });
  return unknown;
}

/** `AddDevice=-/dev/x`: Quadlet adds it only where it exists; oci-containers always passes it. */
function addDevice(d: Directive, flags: Flags, ledger: Ledger): void {
  if (!d.value.startsWith('-')) {
    flags.emit(d, '--device', d.value);
    return;
  }
  flags.emit(d, '--device', d.value.slice(1), 1);
  ledger.report('warning', 'quadlet/optional-device', `\`${d.key}=${d.value}\`: Quadlet passed the device only where it existed; the container now needs it to start`, d.item.origin, 'remove the device on hosts that lack it');
}

/** `x.network` is the network the file names; `x.container` shares that container's network. */
function network(d: Directive, names: Names, flags: Flags, ledger: Ledger): void {
  const [target = '', ...options] = d.value.split(':');
  const quadlet = /\.(network|container)$/.exec(target)?.[1];
  if (quadlet === undefined) {
    flags.emit(d, '--network', d.value);
    return;
  }
  const name = quadlet === 'network' ? names.network.get(target) : names.container.get(target);
  if (name === undefined) {
    ledger.unsupported(d.item, `\`${target}\` is not among the Quadlet files given`);
    ledger.report('error', 'quadlet/missing-file', `\`Network=${d.value}\` names \`${target}\`, which is not among the inputs; podman's generator refuses the file`, d.item.origin, `give nixport ${target} too`);
    return;
  }
  flags.emit(d, '--network', quadlet === 'container' ? `container:${name}` : [name, ...options].join(':'));
}

/** `x.volume:/dir` is the volume the file names; a relative host path is relative to the file's directory. */
function volume(d: Directive, path: string, names: Names, flags: Flags, ledger: Ledger): void {
  const [source = '', ...rest] = d.value.split(':');
  if (rest.length === 0) {
    flags.emit(d, '--volume', d.value);
    return;
  }
  if (source.endsWith('.volume')) {
    const name = names.volume.get(source);
    if (name === undefined) {
      ledger.unsupported(d.item, `\`${source}\` is not among the Quadlet files given`);
      ledger.report('error', 'quadlet/missing-file', `\`Volume=${d.value}\` names \`${source}\`, which is not among the inputs; podman's generator refuses the file`, d.item.origin, `give nixport ${source} too`);
      return;
    }
    flags.emit(d, '--volume', [name, ...rest].join(':'));
    return;
  }
  if (source.startsWith('.')) {
    flags.emit(d, '--volume', [relativePath(source, path, d, ledger), ...rest].join(':'));
    return;
  }
  flags.emit(d, '--volume', d.value);
}

/**
 * A path Quadlet resolves against the file's directory on the old host: the
 * one a config wrote it to, or /etc/containers/systemd for a file given as an
 * input (where nixport cannot tell, it assumes the rootful default and says so).
 */
function relativePath(value: string, path: string, d: Directive, ledger: Ledger): string {
  const known = quadletScope(path) !== undefined;
  const resolved = posix.join(known ? posix.dirname(path) : '/etc/containers/systemd', value);
  const where = known ? 'the Quadlet file\'s directory' : 'the directory of rootful Quadlet files, /etc/containers/systemd (where the input lived on the old host is not known)';
  ledger.report('info', 'quadlet/relative-path', `\`${d.key}=${value}\` is relative to ${where}: ${resolved}`, d.item.origin, known ? undefined : 'check the path against the old host');
  return resolved;
}

/** `Mount=type=volume,source=x.volume,...`: the volume the file names. */
function mount(d: Directive, names: Names, flags: Flags, ledger: Ledger): void {
  let missing: string | undefined;
  const value = d.value
    .split(',')
    .map((part) => {
      const m = /^(source|src)=(.+\.(volume|image))$/.exec(part);
      if (!m) return part;
      const name = m[3] === 'volume' ? names.volume.get(m[2]!) : undefined;
      if (name === undefined) missing = m[2]!;
      return `${m[1]}=${name ?? m[2]!}`;
    })
    .join(',');
  if (missing !== undefined) {
    ledger.unsupported(d.item, `\`${missing}\` is not a Quadlet volume among the inputs`);
    ledger.report('error', 'quadlet/missing-file', `\`Mount=${d.value}\` names \`${missing}\`, which nixport cannot resolve (a .volume file not among the inputs, or an .image file)`, d.item.origin, `give nixport ${missing} too, or name the volume or image directly`);
    return;
  }
  flags.emit(d, '--mount', value);
}

/** A `.network` or `.volume` file: the flags its oneshot created the resource with. */
function readResource(p: Parsed, table: Readonly<Record<string, KeyRule>>, name: string, ledger: Ledger): NetworkDefinition & VolumeDefinition {
  const section = p.kind === 'network' ? 'Network' : 'Volume';
  const flags = new Flags(p.q.item.origin);
  for (const d of p.directives) {
    if (UNIT_SECTIONS.has(d.section)) {
      ledger.dropped(d.item, `a setting of the oneshot Quadlet made for the ${p.kind}; the new host creates it with a oneshot of its own`);
      continue;
    }
    if (d.section !== section) {
      unknownSection(d, p.kind, ledger);
      continue;
    }
    const rule = table[d.key];
    if (!rule) {
      unknownKey(d, section, ledger);
      continue;
    }
    if (!applyRule(rule, d, flags, ledger, `podman ${p.kind} create`) || rule.kind !== 'special') continue;
    if (d.key === 'PodmanArgs') {
      const words = splitWords(d);
      if ('error' in words) badValue(d, words.error, words.offset, ledger);
      else for (const w of words) flags.argv.push(w.value, originAt(d, w.offset));
    }
    // NetworkName=, VolumeName=: read as the name; carried with the resource's item.
  }
  return { name, options: flags.argv.words.map((w) => w.value), item: p.q.item };
}
