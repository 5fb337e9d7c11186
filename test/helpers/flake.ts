import type { OutputFile } from '../../src/layout/index.ts';
import { evalNixJson } from './nix.ts';

/**
 * flake.nix's outputs with stub inputs, evaluated by the real Nix:
 * nixosSystem returns its modules, colmena's makeHive its hive, deploy-rs's
 * activate.nixos the configuration's modules and deployChecks the node
 * names. `self` is the outputs with a fake store path as outPath. Module
 * paths show as paths relative to the flake. `query` is a Nix expression
 * over `flake` and `outputs`.
 */
export async function evalFlake(output: { readonly files: readonly OutputFile[] }, query: string, inputs: Readonly<Record<string, string>> = {}): Promise<unknown> {
  // More stub inputs (`sops-nix`, `agenix`), as Nix expressions.
  const more = Object.entries(inputs).map(([name, expr]) => `${name} = ${expr};`).join(' ');
  const flake = String(output.files.find((f) => f.path === 'flake.nix')!.content);
  return evalNixJson(
    `let
      flake = import ./flake.nix;
      root = toString ./.;
      show = m: if builtins.isPath m then builtins.substring (builtins.stringLength root + 1) 1000 (toString m) else m;
      stubs = {
        nixpkgs = {
          lib.nixosSystem = args: { modules = map show args.modules; };
          legacyPackages.x86_64-linux = { nixfmt-tree = "nixfmt-tree"; };
        };
        disko = { nixosModules.disko = "disko-module"; };
        colmena = { lib.makeHive = hive: builtins.mapAttrs (n: v: if n == "meta" then v else v // { imports = map show v.imports; }) hive; };
        deploy-rs = {
          lib.x86_64-linux = {
            activate.nixos = configuration: { activates = configuration.modules; };
            deployChecks = deploy: { checked = builtins.attrNames deploy.nodes; };
          };
        };
      };
      self = outputs // { outPath = "/nix/store/00000000000000000000000000000000-source"; };
      outputs = flake.outputs (builtins.intersectAttrs (builtins.functionArgs flake.outputs) (stubs // { ${more} inherit self; }));
    in ${query}`,
    { 'flake.nix': flake },
  );
}

