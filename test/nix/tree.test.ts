import { describe, expect, it } from 'vitest';
import { attrs, bind, bool, commented, int, lambda, list, pkg, str } from '../../src/nix/ast.ts';
import { printFile } from '../../src/nix/print.ts';
import { mergeDefinitions, NixosTree } from '../../src/nix/tree.ts';
import { collectPkgs, exprToJson, mergeModulesJson, moduleToJson } from '../helpers/nix-json.ts';
import { evalModules, parseNix, skipWithoutNix } from '../helpers/nix.ts';

/** A tree shaped like the NAS in the seed post: several owners touch the same options. */
function nasTree(): NixosTree {
  const tree = new NixosTree();
  tree.define('configuration', ['networking', 'hostName'], str('storage2'));
  tree.define('configuration', ['networking', 'firewall', 'allowedTCPPorts'], list([int(22)]));
  tree.define('configuration', ['users', 'groups', 'michael', 'gid'], int(1000), ['for consistency with storage3']);
  tree.define('unlock', ['systemd', 'services', 'unlock'], attrs([
    bind(['wantedBy'], list([str('multi-user.target')])),
    bind(['description'], str('unlock hard drive')),
    bind(['serviceConfig'], attrs([
      bind(['Type'], str('oneshot')),
      bind(['RemainAfterExit'], str('yes')),
      bind(['ExecStart'], list([
        commented(['Wait until the host is actually reachable.'], str('/bin/sh -c "c=0; while [ $c -lt 5 ]; do ', pkg('iputils'), '/bin/ping -n -c 1 r.example.net && break; c=$((c+1)); sleep 1; done"')),
        str('/bin/sh -c "', pkg('lvm2', 'bin'), '/bin/vgchange -ay"'),
        str('/run/wrappers/bin/mount /dev/mapper/data-data /srv'),
      ])),
    ])),
  ]));
  tree.define('unlock', ['environment', 'etc', 'ssl/certs/r.example.net.crt', 'text'], str('-----BEGIN CERTIFICATE-----\nMIID8TCC\n-----END CERTIFICATE-----\n'));
  tree.define('jellyfin', ['networking', 'firewall', 'allowedTCPPorts'], list([int(4414), int(8096)]));
  tree.define('jellyfin', ['systemd', 'services', 'jellyfin', 'unitConfig', 'RequiresMountsFor'], list([str('/srv')]));
  tree.define('jellyfin', ['systemd', 'services', 'jellyfin', 'wantedBy'], list([str('srv.mount')]));
  tree.define('jellyfin', ['systemd', 'services', 'jellyfin', 'serviceConfig', 'ExecStart'], str(
    '-', pkg('docker'), "/bin/docker run \\\n  -p 8096:8096 \\\n  -v /srv/jellyfin:/config \\\n  --name jellyfin \\\n  lscr.io/linuxserver/jellyfin:latest\n",
  ));
  tree.define('samba', ['networking', 'firewall', 'allowedTCPPorts'], list([int(445)]));
  tree.define('samba', ['systemd', 'services', 'samba', 'serviceConfig', 'ExecStartPre'], list([
    str('-', pkg('docker'), "/bin/docker run --name smb-prep stapelberg/docker-samba sh -c 'adduser --quiet --disabled-password --gecos \"\" michael' "),
  ]));
  tree.define('samba', ['systemd', 'services', 'samba', 'serviceConfig', 'Restart'], str('always'));
  tree.define('samba', ['systemd', 'services', 'samba', 'startLimitIntervalSec'], int(0));
  // The same option from a second owner, with the same value: allowed.
  tree.define('jellyfin', ['systemd', 'services', 'jellyfin', 'enable'], bool(true));
  tree.define('configuration', ['systemd', 'services', 'jellyfin', 'enable'], bool(true));
  return tree;
}

const fileOf = (owner: string): string => (owner === 'configuration' ? 'configuration.nix' : `services/${owner}.nix`);
const moduleOf = (tree: NixosTree, owner: string) => lambda(['config', 'lib', 'pkgs'], tree.moduleBody(owner));

describe('a NixosTree printed as modules', () => {
  it('reads like a hand-written module', () => {
    expect(printFile(moduleOf(nasTree(), 'jellyfin'), ['jellyfin, ported 1:1 from its docker unit'])).toBe(
      [
        '# jellyfin, ported 1:1 from its docker unit',
        '{ config, lib, pkgs, ... }:',
        '{',
        '  networking.firewall.allowedTCPPorts = [ 4414 8096 ];',
        '  systemd.services.jellyfin = {',
        '    unitConfig.RequiresMountsFor = [ "/srv" ];',
        '    wantedBy = [ "srv.mount" ];',
        "    serviceConfig.ExecStart = ''",
        '      -${pkgs.docker}/bin/docker run \\',
        '        -p 8096:8096 \\',
        '        -v /srv/jellyfin:/config \\',
        '        --name jellyfin \\',
        '        lscr.io/linuxserver/jellyfin:latest',
        "    '';",
        '    enable = true;',
        '  };',
        '}',
        '',
      ].join('\n'),
    );
  });

  describe.skipIf(skipWithoutNix())('checked with Nix', () => {
    it('parses, and evaluates to what the tree merges to', async () => {
      const tree = nasTree();
      const owners = tree.owners();
      expect(owners).toEqual(['configuration', 'unlock', 'jellyfin', 'samba']);
      const files = Object.fromEntries(owners.map((o) => [fileOf(o), printFile(moduleOf(tree, o))]));
      expect(await parseNix(files)).toEqual({});

      const pkgs = owners.flatMap((o) => collectPkgs(tree.moduleBody(o)));
      const fromNix = await evalModules(files, owners.map(fileOf), { pkgs });
      const fromModules = mergeModulesJson(owners.map((o) => moduleToJson(moduleOf(tree, o), { pkgs, file: fileOf(o) })));
      const fromTree = exprToJson(mergeDefinitions(tree.definitions), { pkgs });
      expect(fromNix).toEqual(fromModules);
      expect(fromNix).toEqual(fromTree);

      // Not vacuous: lists from three owners concatenated in owner order, text intact.
      const config = fromNix as {
        networking: { firewall: { allowedTCPPorts: number[] } };
        environment: { etc: Record<string, { text: string }> };
        systemd: { services: Record<string, { enable?: boolean; serviceConfig: { ExecStart: string | string[] } }> };
      };
      expect(config.networking.firewall.allowedTCPPorts).toEqual([22, 4414, 8096, 445]);
      expect(config.environment.etc['ssl/certs/r.example.net.crt']!.text).toBe(
        '-----BEGIN CERTIFICATE-----\nMIID8TCC\n-----END CERTIFICATE-----\n',
      );
      expect(config.systemd.services['jellyfin']!.enable).toBe(true);
      expect(config.systemd.services['unlock']!.serviceConfig.ExecStart).toHaveLength(3);
    });
  });
});
