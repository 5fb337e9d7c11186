import { attrs, bind, lambda, list, path, select, str, v, type NixExpr } from '../nix/ast.ts';
import { printFile } from '../nix/print.ts';
import type { Build } from '../strategies/index.ts';
import { OWNER } from '../strategies/context.ts';
import { referencedVars } from './free-vars.ts';
import { makefile } from './makefile.ts';

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
}

/** A module file as an expression, before printing (tests evaluate it against the printed file). */
export interface ModuleFile {
  readonly path: string;
  readonly owner: string;
  readonly expr: NixExpr;
}

export interface Layout {
  readonly files: readonly OutputFile[];
  /** The module files in import order: configuration.nix first, then what it imports. */
  readonly modules: readonly ModuleFile[];
  /** Module owner -> the file that holds its definitions. */
  readonly placement: ReadonlyMap<string, string>;
}

/** Module arguments in the order NixOS modules conventionally list them. */
const MODULE_ARGS = ['config', 'lib', 'pkgs', 'modulesPath'];

/** Splits the NixOS tree into the files of a flake. */
export function layoutFlake(build: Build, settings: LayoutSettings): Layout {
  const { tree } = build;
  const placement = new Map<string, string>();
  const owners = tree.owners();
  const fileOf = (owner: string) => (owner === OWNER.configuration ? 'configuration.nix' : `${owner}.nix`);

  // configuration.nix imports everything else: fixed host-wide modules first, then services in plan order.
  const hostWide = [OWNER.users, OWNER.files, OWNER.storage].filter((o) => owners.includes(o));
  const services = owners.filter((o) => o.startsWith('services/'));
  const imports: NixExpr[] = [path('./hardware-configuration.nix'), ...[...hostWide, ...services].map((o) => path(`./${fileOf(o)}`))];

  const files: OutputFile[] = [];
  const modules: ModuleFile[] = [];
  const addModule = (owner: string, path: string, expr: NixExpr, header: readonly string[]) => {
    placement.set(owner, path);
    modules.push({ path, owner, expr });
    files.push({ path, content: printFile(expr, header) });
  };
  const configBody = owners.includes(OWNER.configuration) ? tree.moduleBody(OWNER.configuration) : attrs([]);
  addModule(OWNER.configuration, 'configuration.nix', module(withImports(configBody, imports)), [
    `NixOS configuration of ${settings.hostName}, converted by nixport.`,
    'See MIGRATION.md for what came from where and what is left to do.',
  ]);
  const hardware = lambda([], attrs([]));
  modules.push({ path: 'hardware-configuration.nix', owner: 'hardware', expr: hardware });
  files.push({ path: 'hardware-configuration.nix', content: printFile(hardware, HARDWARE_PLACEHOLDER) });
  for (const owner of [...hostWide, ...services]) addModule(owner, fileOf(owner), module(tree.moduleBody(owner)), headerFor(owner));

  files.push({ path: 'flake.nix', content: flake(settings) });
  files.push({ path: 'Makefile', content: makefile(settings.hostName) });
  files.push({ path: '.gitignore', content: 'result\nresult-*\n' });
  for (const asset of build.assets) files.push({ path: asset.path, content: asset.content });
  return { files, modules, placement };
}

function module(body: NixExpr): NixExpr {
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
  return [`${owner.slice('services/'.length)}: carried from the old host; see MIGRATION.md for its stage.`];
}

const HARDWARE_PLACEHOLDER = [
  'PLACEHOLDER: replace this file with the real hardware configuration.',
  'On the new machine (booted from the NixOS installer, disks mounted under /mnt), run',
  '  nixos-generate-config --root /mnt --show-hardware-config > hardware-configuration.nix',
  'It declares the root file system, boot modules and the CPU platform.',
  'Until then `make vm` works (the VM brings its own disks); `make build` does not.',
];

function flake(settings: LayoutSettings): string {
  const nixpkgs = v('nixpkgs');
  const outputs = lambda(
    ['self', 'nixpkgs'],
    attrs([
      bind(
        ['nixosConfigurations', settings.hostName],
        {
          kind: 'apply',
          fn: select(nixpkgs, 'lib', 'nixosSystem'),
          args: [
            attrs([
              bind(['modules'], list([path('./configuration.nix'), attrs([bind(['nixpkgs', 'hostPlatform'], str(settings.system))])])),
            ]),
          ],
        },
      ),
      bind(['formatter', settings.system], select(nixpkgs, 'legacyPackages', settings.system, 'nixfmt-tree')),
    ]),
    false,
  );
  return printFile(
    attrs([
      bind(['description'], str(`NixOS configuration of ${settings.hostName}, converted by nixport`)),
      bind(['inputs', 'nixpkgs', 'url'], str(`github:NixOS/nixpkgs/nixos-${settings.release}`)),
      bind(['outputs'], outputs),
    ]),
  );
}
