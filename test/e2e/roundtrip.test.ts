import { describe, expect, it } from 'vitest';
import { evalFlake } from '../helpers/flake.ts';
import { evalModules, parseNix, skipWithoutNix } from '../helpers/nix.ts';
import { mergeModulesJson, moduleToJson } from '../helpers/nix-json.ts';
import { fleetFixture, HOSTS, pipelineFor } from './fixtures.ts';

/**
 * Invariant 2: every generated file parses with the real Nix parser, and
 * evaluating the modules (stub pkgs/lib, merged as NixOS merges them) gives
 * exactly the configuration nixport built.
 */
describe.skipIf(skipWithoutNix())('generated Nix, checked by Nix', () => {
  for (const host of HOSTS) {
    it(`${host.name}: every .nix file parses and evaluates to the built tree, and so does the VM's configuration`, async () => {
      const run = await pipelineFor(host.paths, host.options);
      const files = Object.fromEntries(
        run.layout.files.filter((f) => f.path.endsWith('.nix')).map((f) => [f.path, String(f.content)]),
      );
      expect(await parseNix(files)).toEqual({});

      const entry = run.layout.modules.map((m) => m.path);
      const evaluated = await evalModules(files, entry);
      const expected = mergeModulesJson(run.layout.modules.map((m) => moduleToJson(m.expr)));
      expect(evaluated).toEqual(expected);

      // The VM's configuration: vm.nix's virtualisation.vmVariant merged over the other modules.
      const vm = run.layout.modules.find((m) => m.owner === 'vm')!;
      files['__vm_view.nix'] = `{ lib, pkgs, ... }: (import ./${vm.path} { inherit lib pkgs; }).virtualisation.vmVariant\n`;
      const others = run.layout.modules.filter((m) => m !== vm);
      const variant = (moduleToJson(vm.expr) as { virtualisation: { vmVariant: unknown } }).virtualisation.vmVariant;
      expect(await evalModules(files, [...others.map((m) => m.path), '__vm_view.nix'])).toEqual(
        mergeModulesJson([...others.map((m) => moduleToJson(m.expr)), variant]),
      );
    });
  }

  it('the flake hands disko, disko.nix and configuration.nix to nixosSystem and pins the release', async () => {
    const run = await pipelineFor(['examples/storage2']);
    expect(await evalFlake(run.layout, '{ url = flake.inputs.nixpkgs.url; modules = outputs.nixosConfigurations.storage2.modules; formatter = outputs.formatter.x86_64-linux; }')).toEqual({
      url: 'github:NixOS/nixpkgs/nixos-26.05',
      modules: [
        'disko-module',
        'disko.nix',
        'configuration.nix',
        { nixpkgs: { hostPlatform: 'x86_64-linux' }, environment: { etc: { 'nixport/flake': { source: '/nix/store/00000000000000000000000000000000-source' } } } },
      ],
      formatter: 'nixfmt-tree',
    });
  });

  it('a fleet of three: each host (modules/common.nix and its own modules) parses and evaluates to the configuration it has alone', async () => {
    const fleet = await fleetFixture();
    expect(fleet.exitCode).toBe(0);
    const files = Object.fromEntries(fleet.files.filter((f) => f.path.endsWith('.nix')).map((f) => [f.path, String(f.content)]));
    expect(await parseNix(files)).toEqual({});
    for (const host of fleet.hosts) {
      const evaluated = await evalModules(files, host.modules.map((m) => m.path));
      const alone = mergeModulesJson(host.run.layout.modules.map((m) => moduleToJson(m.expr)));
      expect(evaluated, host.name).toEqual(alone);
      expect(mergeModulesJson(host.modules.map((m) => moduleToJson(m.expr))), host.name).toEqual(alone);
    }
    const configs = (await evalFlake(fleet, 'builtins.mapAttrs (n: c: c.modules) outputs.nixosConfigurations')) as Record<string, unknown[]>;
    expect(Object.keys(configs)).toEqual(['nas1', 'nas2', 'web1']);
    expect(configs['nas2']!.slice(0, 4)).toEqual(['disko-module', 'modules/common.nix', 'hosts/nas2/disko.nix', 'hosts/nas2/configuration.nix']);
  });
});
