import { describe, expect, it } from 'vitest';
import { evalModules, evalNixJson, parseNix, skipWithoutNix } from '../helpers/nix.ts';
import { mergeModulesJson, moduleToJson } from '../helpers/nix-json.ts';
import { HOSTS, pipelineFor } from './fixtures.ts';

/**
 * Invariant 2: every generated file parses with the real Nix parser, and
 * evaluating the modules (stub pkgs/lib, merged as NixOS merges them) gives
 * exactly the configuration nixport built.
 */
describe.skipIf(skipWithoutNix())('generated Nix, checked by Nix', () => {
  for (const host of HOSTS) {
    it(`${host.name}: every .nix file parses and evaluates to the built tree`, async () => {
      const run = await pipelineFor(host.paths, host.options);
      const files = Object.fromEntries(
        run.layout.files.filter((f) => f.path.endsWith('.nix')).map((f) => [f.path, String(f.content)]),
      );
      expect(await parseNix(files)).toEqual({});

      const entry = run.layout.modules.map((m) => m.path);
      const evaluated = await evalModules(files, entry);
      const expected = mergeModulesJson(run.layout.modules.map((m) => moduleToJson(m.expr)));
      expect(evaluated).toEqual(expected);
    });
  }

  it('the flake hands configuration.nix to nixosSystem and pins the release', async () => {
    const run = await pipelineFor(['examples/storage2']);
    const flake = String(run.layout.files.find((f) => f.path === 'flake.nix')!.content);
    const result = await evalNixJson(
      `let
        flake = import ./flake.nix;
        nixpkgs = {
          lib.nixosSystem = args: args;
          legacyPackages.x86_64-linux.nixfmt-tree = "nixfmt-tree";
        };
        out = flake.outputs { self = { }; inherit nixpkgs; };
        config = out.nixosConfigurations.storage2;
      in {
        url = flake.inputs.nixpkgs.url;
        modules = builtins.length config.modules;
        first = baseNameOf (toString (builtins.head config.modules));
        platform = (builtins.elemAt config.modules 1).nixpkgs.hostPlatform;
        formatter = out.formatter.x86_64-linux;
      }`,
      { 'flake.nix': flake },
    );
    expect(result).toEqual({
      url: 'github:NixOS/nixpkgs/nixos-26.05',
      modules: 2,
      first: 'configuration.nix',
      platform: 'x86_64-linux',
      formatter: 'nixfmt-tree',
    });
  });
});
