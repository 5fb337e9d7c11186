/**
 * The top-level `networks`, `volumes`, `secrets` and `configs` of a
 * project: their real names (`<project>_<key>` unless `name:` or
 * `external`), how Compose would create them (`docker network create` and
 * `docker volume create` options), and which of them services use.
 */
import type { ComposeVolume } from '../../model/compose.ts';
import type { NetworkDefinition } from '../../model/container.ts';
import type { InputItem, Ledger } from '../../model/ledger.ts';
import type { HostSecret } from '../../model/secret.ts';
import type { ComposeFiles } from './files.ts';
import { dirOf, resolvePath } from './files.ts';
import type { Lookup } from './interpolate.ts';
import { child, isCMap, isCSeq, text, type CEntry, type CMap, type CNode } from './node.ts';
import type { ResourceRef } from './scope.ts';

export interface Resources {
  readonly networks: Map<string, ResourceRef>;
  readonly volumes: Map<string, ResourceRef>;
  readonly secrets: Map<string, { readonly name: string; readonly file?: string; readonly external: boolean }>;
  readonly configs: Map<string, { readonly file?: string; readonly external: boolean }>;
}

function isExternal(node: CNode | undefined): boolean {
  const ext = child(node, 'external');
  return text(ext) === 'true' || isCMap(ext);
}

/** `external: {name: x}` is the old spelling of `external: true` with `name: x`. */
function realName(project: string, key: string, node: CNode | undefined): string {
  const named = text(child(node, 'name')) ?? text(child(child(node, 'external'), 'name'));
  if (named !== undefined) return named;
  return isExternal(node) ? key : `${project}_${key}`;
}

export function resourceRefs(model: CMap, project: string, hostPath: (written: string, origin: CNode['origin']) => string): Resources {
  const refs = (section: string) => {
    const out = new Map<string, ResourceRef>();
    const node = child(model, section);
    if (isCMap(node)) for (const [key, e] of node.entries) out.set(key, { real: realName(project, key, e.value), external: isExternal(e.value) });
    return out;
  };
  const networks = refs('networks');
  if (!networks.has('default')) networks.set('default', { real: `${project}_default`, external: false });
  const files = (section: string) => {
    const out = new Map<string, { name: string; file?: string; external: boolean }>();
    const node = child(model, section);
    if (!isCMap(node)) return out;
    for (const [key, e] of node.entries) {
      const file = child(e.value, 'file');
      const path = text(file);
      out.set(key, { name: `${project}_${key}`, ...(path !== undefined ? { file: hostPath(path, file!.origin) } : {}), external: isExternal(e.value) });
    }
    return out;
  };
  return { networks, volumes: refs('volumes'), secrets: files('secrets'), configs: files('configs') };
}

/** `docker network create` options for a top-level network, one word each (`--subnet=10.0.0.0/24`). */
function networkOptions(node: CNode | undefined, report: (key: string, why: string, e: CEntry) => void): string[] {
  const out: string[] = [];
  if (!isCMap(node)) return out;
  for (const [k, e] of node.entries) {
    const v = text(e.value);
    switch (k) {
      case 'driver':
        if (v !== undefined && v !== 'bridge') out.push(`--driver=${v}`);
        if (v === 'overlay') report(k, 'an overlay network spans a Swarm cluster; a single Docker engine refuses to create one outside Swarm', e);
        break;
      case 'driver_opts':
        if (isCMap(e.value)) for (const [o, ov] of e.value.entries) out.push(`--opt=${o}=${text(ov.value) ?? ''}`);
        break;
      case 'internal':
        if (v === 'true') out.push('--internal');
        break;
      case 'attachable':
        if (v === 'true') out.push('--attachable');
        break;
      case 'enable_ipv6':
        if (v === 'true') out.push('--ipv6');
        break;
      case 'enable_ipv4':
        if (v === 'false') out.push('--ipv4=false');
        break;
      case 'labels':
        if (isCMap(e.value)) for (const [l, lv] of e.value.entries) out.push(`--label=${l}=${text(lv.value) ?? ''}`);
        break;
      case 'ipam': {
        const driver = text(child(e.value, 'driver'));
        if (driver !== undefined && driver !== 'default') out.push(`--ipam-driver=${driver}`);
        const config = child(e.value, 'config');
        for (const c of isCSeq(config) ? config.items : []) {
          for (const [ck, cv] of isCMap(c) ? c.entries : []) {
            const value = text(cv.value);
            if (ck === 'subnet' && value !== undefined) out.push(`--subnet=${value}`);
            else if (ck === 'ip_range' && value !== undefined) out.push(`--ip-range=${value}`);
            else if (ck === 'gateway' && value !== undefined) out.push(`--gateway=${value}`);
            else if (ck === 'aux_addresses' && isCMap(cv.value)) for (const [h, hv] of cv.value.entries) out.push(`--aux-address=${h}=${text(hv.value) ?? ''}`);
          }
        }
        const options = child(e.value, 'options');
        if (isCMap(options)) for (const [o, ov] of options.entries) out.push(`--ipam-opt=${o}=${text(ov.value) ?? ''}`);
        break;
      }
      default:
        // name and external are read by the caller; extension fields mean nothing to Docker.
        break;
    }
  }
  return out;
}

export interface ResourceContext {
  readonly model: CMap;
  readonly project: string;
  readonly projectItem: InputItem;
  readonly ledger: Ledger;
  readonly refs: Resources;
  readonly usedNetworks: ReadonlySet<string>;
  readonly usedVolumes: ReadonlySet<string>;
  readonly defaultNetworkUsed: boolean;
  readonly fs: ComposeFiles;
  readonly lookup: Lookup;
}

/** The networks Compose would create for the services that were converted; unused and external ones settled. */
export function readNetworks(rc: ResourceContext): NetworkDefinition[] {
  const out: NetworkDefinition[] = [];
  const section = child(rc.model, 'networks');
  const defined = isCMap(section) ? section.entries : new Map<string, CEntry>();
  for (const [key, e] of defined) {
    const item = rc.ledger.item('key', `networks.${key}`, e.keyOrigin, rc.projectItem);
    const used = rc.usedNetworks.has(key) || (key === 'default' && rc.defaultNetworkUsed);
    if (!used) {
      rc.ledger.dropped(item, 'no converted service uses it; Compose does not create unused networks either');
      continue;
    }
    const ref = rc.refs.networks.get(key)!;
    const options = networkOptions(e.value, (k, why, sub) => {
      rc.ledger.report('warning', 'compose/network-option', `networks.${key}.${k}: ${why}`, sub.keyOrigin);
    });
    out.push(ref.external ? { name: ref.real, options: [], item, external: true } : { name: ref.real, options, item });
  }
  if (rc.defaultNetworkUsed && !defined.has('default')) {
    const item = rc.ledger.item('key', `networks.default (implicit)`, rc.projectItem.origin, rc.projectItem);
    out.push({ name: rc.refs.networks.get('default')!.real, options: [], item });
  }
  return out;
}

/** The named volumes Compose would create; external ones are used by name, unused ones settled. */
export function readVolumes(rc: ResourceContext): ComposeVolume[] {
  const out: ComposeVolume[] = [];
  const section = child(rc.model, 'volumes');
  if (!isCMap(section)) return out;
  for (const [key, e] of section.entries) {
    const item = rc.ledger.item('key', `volumes.${key}`, e.keyOrigin, rc.projectItem);
    const ref = rc.refs.volumes.get(key)!;
    if (!rc.usedVolumes.has(key)) {
      rc.ledger.dropped(item, 'no converted service uses it; Compose does not create unused volumes either');
      continue;
    }
    if (ref.external) {
      rc.ledger.carried(item, 'virtualisation.oci-containers.containers (volumes)', `external: used by the name ${ref.real}; it must exist on the new host`);
      rc.ledger.manual({
        order: 55,
        title: `Create the external volume ${ref.real}`,
        detail: `The project uses the volume ${ref.real}, made outside Compose (\`external: true\`). Create it on the new host and copy its data from /var/lib/docker/volumes/${ref.real}/_data on the old host before the containers start.`,
        origin: e.keyOrigin,
      });
      continue;
    }
    const options: string[] = [];
    const driver = text(child(e.value, 'driver'));
    if (driver !== undefined && driver !== 'local') options.push(`--driver=${driver}`);
    const opts = child(e.value, 'driver_opts');
    if (isCMap(opts)) for (const [o, ov] of opts.entries) options.push(`--opt=${o}=${text(ov.value) ?? ''}`);
    const labels = child(e.value, 'labels');
    if (isCMap(labels)) for (const [l, lv] of labels.entries) options.push(`--label=${l}=${text(lv.value) ?? ''}`);
    const o = text(child(opts, 'o')) ?? '';
    const device = text(child(opts, 'device'));
    const bound = (driver === undefined || driver === 'local') && device !== undefined && o.split(',').includes('bind');
    out.push({ name: ref.real, options, item, ...(bound ? { device } : {}) });
  }
  return out;
}

/** Top-level secrets as declared secrets of the host: content from the input file or the env file, where known. */
export function readSecrets(rc: ResourceContext): HostSecret[] {
  const out: HostSecret[] = [];
  const section = child(rc.model, 'secrets');
  if (!isCMap(section)) return out;
  for (const [key, e] of section.entries) {
    const item = rc.ledger.item('key', `secrets.${key}`, e.keyOrigin, rc.projectItem);
    const name = rc.refs.secrets.get(key)!.name;
    const file = child(e.value, 'file');
    const env = text(child(e.value, 'environment'));
    if (text(file) !== undefined) {
      const read = rc.fs.read(resolvePath(dirOf(file!.origin.file), text(file)!));
      out.push({ name, sourcePath: rc.refs.secrets.get(key)!.file!, item, ...(read ? { content: read.text } : {}) });
    } else if (env !== undefined) {
      const value = rc.lookup(env);
      out.push({ name, item, ...(value !== undefined ? { content: value } : {}) });
    } else {
      out.push({ name, item });
      rc.ledger.report('warning', 'compose/secret-external', `secrets.${key} is external (a Swarm secret); its content is not in the input`, e.keyOrigin, 'put the secret in a file and give it to nixport, or create it on the new host');
    }
  }
  return out;
}

/** Top-level configs: settled here; services bind the file-backed ones. */
export function settleConfigs(rc: ResourceContext, used: ReadonlySet<string>): void {
  const section = child(rc.model, 'configs');
  if (!isCMap(section)) return;
  for (const [key, e] of section.entries) {
    const item = rc.ledger.item('key', `configs.${key}`, e.keyOrigin, rc.projectItem);
    const ref = rc.refs.configs.get(key);
    if (!used.has(key)) rc.ledger.dropped(item, 'no converted service uses it');
    else if (ref?.file !== undefined) rc.ledger.carried(item, 'virtualisation.oci-containers.containers (volumes)', `bind-mounted read-only from ${ref.file}`);
    else rc.ledger.unsupported(item, 'inline, environment and Swarm configs are not mounted');
  }
}
