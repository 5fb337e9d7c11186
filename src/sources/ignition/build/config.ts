/**
 * The shared builder: an Ignition-shaped config (read from Ignition JSON or
 * Butane YAML) onto the Host model. Butane's own keys (`inline`, `local`,
 * `contents_local`, `with_mount_unit`, `trees`, `boot_device`) are expanded
 * here as Butane expands them into Ignition, so a Butane config and the
 * Ignition JSON it transpiles to give the same Host.
 */
import type { HostFile, UpdatePolicy } from '../../../model/host.ts';
import type { HostStorage } from '../../../model/storage.ts';
import type { Located } from '../../../model/unit.ts';
import type { Contribution, UnitText } from '../../types.ts';
import type { ConfigNode } from '../node.ts';
import { unlessRejected, type Fields } from '../walker.ts';
import type { ReaderContext } from './context.ts';
import { readHash } from './resource.ts';
import { readDirectories, readFiles, readLinks, readTrees } from './nodes.ts';
import { readPasswd } from './passwd.ts';
import { readBootDevice, readDisks, readFilesystems, readKernelArguments, readLuks, readRaid } from './storage.ts';
import { readNetworkdUnits, readUnits } from './units.ts';
import { readUpdateConf } from './update-conf.ts';

/** What a dialect's own top-level sections add (a Container Linux Config's update, locksmith, docker). */
export interface Sections {
  readonly units: readonly UnitText[];
  readonly update?: UpdatePolicy;
}

export function buildContribution(
  ctx: ReaderContext,
  root: ConfigNode,
  format: 'ignition' | 'butane' | 'container-linux-config',
  sections?: (top: Fields, units: readonly UnitText[]) => Sections,
): Contribution {
  const { w } = ctx;
  const top = w.fields(root, 'Config', undefined);

  const ignition = w.mapOf(top.field('ignition'), undefined);
  if (ignition) readIgnitionSection(ctx, ignition);

  const storage: { -readonly [K in keyof HostStorage]?: HostStorage[K] } = {};
  const units: UnitText[] = [];
  let files: Contribution['files'] = [];
  const storageNode = w.mapOf(top.field('storage'), undefined);
  if (storageNode) {
    const s = w.fields(storageNode, 'Storage', undefined);
    // LUKS first: a mount unit Butane generates needs to know which volumes Tang unlocks.
    storage.luks = readLuks(ctx, w.listOf(s.field('luks'), undefined));
    const fs = readFilesystems(ctx, w.listOf(s.field('filesystems'), undefined), storage.luks);
    storage.filesystems = fs.filesystems;
    units.push(...fs.units);
    storage.disks = readDisks(ctx, w.listOf(s.field('disks'), undefined));
    storage.raid = readRaid(ctx, w.listOf(s.field('raid'), undefined));
    storage.directories = readDirectories(ctx, w.listOf(s.field('directories'), undefined));
    storage.links = readLinks(ctx, w.listOf(s.field('links'), undefined));
    files = readTrees(ctx, w.listOf(s.field('trees'), undefined), readFiles(ctx, w.listOf(s.field('files'), undefined)));
  }

  const systemd = w.mapOf(top.field('systemd'), undefined);
  if (systemd) {
    // After the mount units Butane generates, as in the Ignition JSON it writes.
    const own = readUnits(ctx, w.listOf(w.fields(systemd, 'Systemd', undefined).field('units'), undefined));
    units.splice(0, units.length, ...mergeGenerated(ctx, units, own));
  }
  const networkd = w.mapOf(top.field('networkd'), undefined);
  if (networkd) readNetworkdUnits(ctx, w.listOf(w.fields(networkd, 'Networkd', undefined).field('units'), undefined));

  const passwdNode = w.mapOf(top.field('passwd'), undefined);
  const passwd = passwdNode ? readPasswd(ctx, passwdNode) : undefined;

  const kernel = w.mapOf(top.field('kernelArguments'), undefined);
  if (kernel) storage.kernelArguments = readKernelArguments(ctx, kernel);

  const boot = w.mapOf(top.field('bootDevice'), undefined);
  if (boot) {
    const device = readBootDevice(ctx, boot);
    if (device) storage.bootDevice = device;
  }

  const own = sections?.(top, units);
  if (own) units.push(...own.units);

  const hostname = hostnameFile(files);
  const updated = readUpdateConf(ctx.ledger, w.dialect.name, hostname ? files.filter((f) => f !== hostname.file) : files);
  // ct writes its update.conf after the config's own files, so its settings win.
  const update = own?.update ? { ...updated.update, ...own.update } : updated.update;
  for (const key of Object.keys(own?.update ?? {}) as (keyof UpdatePolicy)[]) {
    const replaced = updated.update?.[key];
    if (replaced) ctx.ledger.dropped(replaced.item, 'ct writes update.conf again from `update`/`locksmith`, after this file');
  }
  return {
    format,
    ...(hostname ? { hostname: hostname.hostname } : {}),
    ...(update ? { update } : {}),
    units,
    files: updated.files,
    ...(passwd ? { users: passwd.users, groups: passwd.groups, authorizedKeys: passwd.keys } : {}),
    storage,
  };
}

/**
 * Butane merges a unit it generates (with_mount_unit) with a unit of the
 * same name in `systemd.units`: the config's fields win. A config unit with
 * contents replaces the generated one; one without contents (drop-ins,
 * `enabled`, `mask`) amends it.
 */
function mergeGenerated(ctx: ReaderContext, generated: readonly UnitText[], own: readonly UnitText[]): UnitText[] {
  const out: UnitText[] = [];
  for (const g of generated) {
    const twin = own.find((u) => u.unit === g.unit && u.dropIn === undefined);
    if (!twin) {
      out.push(g);
      continue;
    }
    const reason = `merged with ${twin.item.label}, as Butane merges them`;
    if (twin.text !== '') {
      ctx.ledger.settleTree(g.item, { kind: 'dropped', reason });
      continue;
    }
    // The config's entry only amends the generated unit: it gets the generated text, and the activation it lacks.
    ctx.ledger.dropped(g.item, reason);
    const enable = twin.activation?.enable ?? g.activation?.enable;
    if (twin.activation?.enable && g.activation?.enable) ctx.ledger.dropped(g.activation.enable.item, reason);
    const activation = { ...twin.activation, ...(enable ? { enable } : {}) };
    own = own.map((u) => (u === twin ? { ...twin, text: g.text, position: g.position, activation } : u));
  }
  return [...out, ...own];
}

/**
 * Fedora CoreOS and Flatcar set the host name by writing /etc/hostname
 * (there is no hostname key): it becomes the Host's hostname, which NixOS
 * declares as networking.hostName (and generates /etc/hostname from).
 */
function hostnameFile(files: readonly HostFile[]): { file: HostFile; hostname: Located<string> } | undefined {
  const file = files.find((f) => f.path === '/etc/hostname' && !f.remote && !f.append && !f.contentOmitted);
  const name = file?.text?.trim();
  if (!file || !name || /\s/.test(name)) return undefined;
  return { file, hostname: { value: name, item: file.item } };
}

/**
 * `ignition.config`: configs merged into this one (or replacing it) at
 * provisioning. nixport never fetches them; each is a manual step. The
 * rest of the section (timeouts, security, proxy) only served Ignition's
 * own downloads and is settled by the key table.
 */
function readIgnitionSection(ctx: ReaderContext, node: ConfigNode): void {
  const { w, ledger } = ctx;
  const f = w.fields(node, 'Ignition', undefined);
  f.string('version');
  const config = w.mapOf(f.field('config'), undefined);
  if (!config) return;
  const c = w.fields(config, 'IgnitionConfig', undefined);
  const references = [...w.listOf(c.field('merge'), undefined), ...w.listOf(c.field('append'), undefined)];
  const replace = w.mapOf(c.field('replace'), undefined);
  for (const ref of replace ? [...references, replace] : references) {
    unlessRejected(() => {
      const item = w.entryItem('key', ref, w.peek(ref, 'source') ? shorten(w.peek(ref, 'source')!) : undefined);
      const r = w.fields(ref, 'ConfigReference', item);
      const source = r.string('source');
      const inline = r.string('inline');
      const local = r.string('local');
      const hash = readHash(ctx, r.map('verification'), item);
      r.string('compression');
      r.list('httpHeaders');
      const replaces = ref === replace;
      const what = replaces ? 'replaced this config' : 'was merged into this config';
      const where =
        inline !== undefined
          ? 'embedded in the Butane config (`inline`)'
          : local !== undefined
            ? `in \`${local}\` beside the Butane config`
            : source !== undefined && /^data:/i.test(source)
              ? 'embedded as a data: URL'
              : `at ${source ?? '(no source)'}${hash ? ` (${hash})` : ''}`;
      const title = `Convert the config that ${replaces ? 'replaced' : 'was merged into'} ${ctx.file}`;
      ledger.settle(item, { kind: 'manual', step: title });
      ledger.report(
        'warning',
        w.code('remote-config'),
        `${ref.where}: another config ${what} at provisioning; nixport does not fetch or decode it`,
        ref.origin,
        'Get that config and give it to nixport as another input.',
      );
      ledger.manual({
        order: 15,
        title,
        detail: `A config ${where} ${what} when the old host was provisioned. Save it as a file (decode it if it is a data: URL), then run nixport on both files together so its units, files and users are migrated too.`,
        origin: ref.origin,
      });
    });
  }
}

function shorten(url: string): string {
  return url.length > 60 ? `${url.slice(0, 57)}…` : url;
}
