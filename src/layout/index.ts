import { attrs, bind, lambda, list, path, type NixExpr } from '../nix/ast.ts';
import { printFile } from '../nix/print.ts';
import type { NixosTree } from '../nix/tree.ts';
import type { Build } from '../strategies/index.ts';
import { OWNER } from '../strategies/context.ts';
import { flakeFile, type DeployTool } from './flake.ts';
import { referencedVars } from './free-vars.ts';
import { KEEP_HINT } from './keep.ts';
import { makefile } from './makefile.ts';
import { readme } from './readme.ts';
import { SECRETS_LOCAL, secretOutputFiles } from './secrets.ts';

export type { DeployTool } from './flake.ts';
export { DEPLOY_TOOLS } from './flake.ts';

export interface OutputFile {
  /** Relative to the output directory, `/`-separated. */
  readonly path: string;
  readonly content: string | Uint8Array;
  /** File mode; 0o644 when absent. */
  readonly mode?: number;
}

export interface LayoutSettings {
  readonly hostName: string;
  readonly release: string;
  readonly system: string;
  /** The deployment tool whose outputs and Makefile targets the flake gets. */
  readonly deploy?: DeployTool;
  /** SSH destination for deploying; default `<deploy user>@<host name>`. */
  readonly target?: string;
}

/** A module file as an expression, before printing (tests evaluate it against the printed file). */
export interface ModuleFile {
  readonly path: string;
  readonly owner: string;
  readonly expr: NixExpr;
}

export interface Layout {
  readonly files: readonly OutputFile[];
  /** The module files in evaluation order: configuration.nix first, then what it imports, then disko.nix. */
  readonly modules: readonly ModuleFile[];
  /** Module owner -> the file that holds its definitions. */
  readonly placement: ReadonlyMap<string, string>;
}

/** A host's module files, under `dir` of the flake. */
export interface HostModules extends Layout {
  /** The modules flake.nix hands to nixosSystem, relative to the flake root (disko's own module aside). */
  readonly entry: readonly string[];
}

/** Module arguments in the order NixOS modules conventionally list them. */
const MODULE_ARGS = ['config', 'lib', 'pkgs', 'modulesPath'];

/** Splits one host's NixOS tree into the files of a flake. */
export function layoutFlake(build: Build, settings: LayoutSettings): Layout {
  const deploy = settings.deploy ?? 'nixos-rebuild';
  const target = settings.target ?? defaultTarget(build, settings.hostName);
  const host = layoutHostModules(build.tree, build, { hostName: settings.hostName, dir: '' });
  const files: OutputFile[] = [...host.files];
  files.push({
    path: 'flake.nix',
    content: flakeFile({
      description: `NixOS configuration of ${settings.hostName}, converted by nixport`,
      release: settings.release,
      system: settings.system,
      deploy,
      hosts: [{ name: settings.hostName, modules: host.entry, ...sshOf(target, settings.hostName) }],
      ...(build.secrets.files.length > 0 && build.secrets.mode !== 'files' ? { secrets: build.secrets.mode } : {}),
    }),
  });
  files.push({ path: 'Makefile', content: makefile([{ name: settings.hostName, dir: '', target }], deploy, `Commands for ${settings.hostName}`, build.secrets.files.length > 0) });
  files.push({ path: 'README.md', content: readme({ hosts: [{ name: settings.hostName, dir: '', build, target }], deploy, release: settings.release }) });
  files.push({ path: '.gitignore', content: GITIGNORE });
  return { files, modules: host.modules, placement: host.placement };
}

export const GITIGNORE = `# ${KEEP_HINT}\nresult\nresult-*\n# The disk images of \`make vm\`.\n*.qcow2\n# Plaintext secrets: encrypt or copy them to the host, then delete the folder (MIGRATION.md).\n${SECRETS_LOCAL}/\n`;

/** `user@host` of the deploy user the build chose. */
export function defaultTarget(build: Build, hostName: string): string {
  return `${build.access.user}@${hostName}`;
}

/** `user@host` split for the deploy tools' options. */
export function sshOf(target: string, hostName: string): { sshUser: string; sshHost: string } {
  const at = target.lastIndexOf('@');
  return at < 0 ? { sshUser: 'root', sshHost: target || hostName } : { sshUser: target.slice(0, at), sshHost: target.slice(at + 1) };
}

/**
 * The module files of one host, under `dir` (`''` or `hosts/<name>/`):
 * configuration.nix imports the host-wide modules, the services, vm.nix
 * and health.nix; disko.nix goes to nixosSystem beside disko's module.
 * `tree` holds the host's definitions (a fleet passes the tree without the
 * shared ones); `extraImports` are more paths for configuration.nix.
 */
export function layoutHostModules(
  tree: NixosTree,
  build: Build,
  options: { readonly hostName: string; readonly dir: string; readonly headerNote?: string },
): HostModules {
  const { dir } = options;
  const placement = new Map<string, string>();
  const owners = tree.owners();
  const fileOf = (owner: string) => (owner === OWNER.configuration ? 'configuration.nix' : `${owner}.nix`);

  // configuration.nix imports everything else: fixed host-wide modules first, then services in plan order, then the VM and health check.
  const hostWide = [OWNER.users, OWNER.files, OWNER.storage, OWNER.secrets].filter((o) => owners.includes(o));
  const services = owners.filter((o) => o.startsWith('services/'));
  const late = [OWNER.vm, OWNER.health].filter((o) => owners.includes(o));
  const imported = [...hostWide, ...services, ...late];
  const imports: NixExpr[] = [path('./hardware-configuration.nix'), ...imported.map((o) => path(`./${fileOf(o)}`))];

  const files: OutputFile[] = [];
  const modules: ModuleFile[] = [];
  const addModule = (owner: string, file: string, expr: NixExpr, header: readonly string[]) => {
    placement.set(owner, dir + file);
    modules.push({ path: dir + file, owner, expr });
    files.push({ path: dir + file, content: printFile(expr, [...header, ...(options.headerNote ? [options.headerNote] : []), KEEP_HINT]) });
  };
  const configBody = owners.includes(OWNER.configuration) ? tree.moduleBody(OWNER.configuration) : attrs([]);
  addModule(OWNER.configuration, 'configuration.nix', module(withImports(configBody, imports)), [
    `NixOS configuration of ${options.hostName}, converted by nixport.`,
    'See MIGRATION.md for what came from where and what is left to do.',
  ]);
  const hardware = lambda([], attrs([]));
  modules.push({ path: `${dir}hardware-configuration.nix`, owner: 'hardware', expr: hardware });
  files.push({ path: `${dir}hardware-configuration.nix`, content: printFile(hardware, HARDWARE_PLACEHOLDER) });
  for (const owner of imported) addModule(owner, fileOf(owner), module(tree.moduleBody(owner)), headerFor(owner));
  const entry = [`${dir}configuration.nix`];
  if (owners.includes(OWNER.disko)) {
    addModule(OWNER.disko, 'disko.nix', module(tree.moduleBody(OWNER.disko)), headerFor(OWNER.disko));
    entry.unshift(`${dir}disko.nix`);
  }
  for (const asset of build.assets) files.push({ path: dir + asset.path, content: asset.content });
  files.push(...secretOutputFiles(build.secrets, dir, options.hostName));
  return { files, modules, placement, entry };
}

export function module(body: NixExpr): NixExpr {
  const used = referencedVars(body);
  return lambda(MODULE_ARGS.filter((a) => used.has(a)), body);
}

function withImports(body: NixExpr, imports: readonly NixExpr[]): NixExpr {
  if (body.kind !== 'attrs') throw new Error('nixport bug: a module body must be an attribute set');
  return attrs([bind(['imports'], list(imports)), ...body.bindings]);
}

function headerFor(owner: string): string[] {
  if (owner === OWNER.users) return ['Users, groups and SSH keys of the old host.'];
  if (owner === OWNER.files) return ['Files, directories and links the old host was provisioned with (write_files, storage.files).'];
  if (owner === OWNER.storage) return ['File systems systemd mounts (the old host mounted them from units).'];
  if (owner === OWNER.vm) return ['`make vm`: what the VM changes. Only system.build.vm uses virtualisation.vmVariant; the real machine never does.'];
  if (owner === OWNER.health) return ['The health check after automatic upgrades, and the rollback when it fails (README.md, "Updates and rollback").'];
  if (owner === OWNER.secrets) return ['The secret files services read, declared by --secrets; their values are not in the flake (MIGRATION.md, "Secrets").'];
  if (owner === OWNER.disko) return ['The system disk, for the first install: `make install` (nixos-anywhere) ERASES and partitions the disk named here.'];
  return [`${owner.slice('services/'.length)}: carried from the old host; see MIGRATION.md for its stage.`];
}

/** How nixport's hardware-configuration.nix begins; `convert --update` replaces only a file that still does. */
export const HARDWARE_PLACEHOLDER_MARK = '# PLACEHOLDER:';

const HARDWARE_PLACEHOLDER = [
  'PLACEHOLDER: `make install` (nixos-anywhere --generate-hardware-config) replaces this file',
  'with the real hardware configuration: boot modules and the CPU platform.',
  'Installing by hand: nixos-generate-config --no-filesystems --root /mnt --show-hardware-config',
  '(disko.nix declares the file systems of the system disk).',
  'Until then `make vm` works (the VM brings its own hardware).',
  '`nixport convert --update` replaces this file only while it is this placeholder.',
];
