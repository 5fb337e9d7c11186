/**
 * flake.nix: nixpkgs pinned to the release, disko for the first install,
 * `nixosConfigurations.<host>` for each host, and the outputs of the
 * deployment tool chosen with --deploy:
 *
 * - nixos-rebuild (default): nothing more; `make deploy` runs
 *   `nixos-rebuild switch --target-host` (nixos-rebuild-ng's flags);
 * - colmena: `colmenaHive`, made with `colmena.lib.makeHive`, one node per
 *   host with `deployment.targetHost`/`targetUser`;
 * - deploy-rs: `deploy.nodes.<host>` whose system profile is
 *   `deploy-rs.lib.<system>.activate.nixos` of the host's configuration,
 *   with magic rollback on, and `checks` from `deployChecks`.
 *
 * Every configuration also carries the flake's own source in
 * /etc/nixport/flake, which system.autoUpgrade rebuilds from.
 */
import { apply, attrs, bind, bool, lambda, list, path, select, str, v, type NixBinding, type NixExpr } from '../nix/ast.ts';
import { printFile } from '../nix/print.ts';
import { FLAKE_ETC_NAME } from '../strategies/host/update.ts';
import { KEEP_HINT } from './keep.ts';

export const DEPLOY_TOOLS = ['nixos-rebuild', 'colmena', 'deploy-rs'] as const;
export type DeployTool = (typeof DEPLOY_TOOLS)[number];

export interface FlakeHost {
  readonly name: string;
  /** Module files relative to the flake root, in the order nixosSystem takes them (disko's module goes first). */
  readonly modules: readonly string[];
  /** SSH login of the deploy tools. */
  readonly sshUser: string;
  readonly sshHost: string;
}

export interface FlakeSpec {
  readonly description: string;
  readonly release: string;
  readonly system: string;
  readonly hosts: readonly FlakeHost[];
  readonly deploy: DeployTool;
  /** The secrets tool whose input and NixOS module every host gets (--secrets sops|agenix, when there are secrets). */
  readonly secrets?: SecretsTool;
}

/** --secrets modes that are flake inputs, with their NixOS module (sops-nix flake.nix; agenix flake.nix). */
export const SECRETS_TOOLS = {
  sops: { input: 'sops-nix', url: 'github:Mic92/sops-nix', module: ['nixosModules', 'sops'] },
  agenix: { input: 'agenix', url: 'github:ryantm/agenix', module: ['nixosModules', 'default'] },
} as const;
export type SecretsTool = keyof typeof SECRETS_TOOLS;

export const INPUT_URLS = {
  disko: 'github:nix-community/disko',
  colmena: 'github:nix-community/colmena',
  'deploy-rs': 'github:serokell/deploy-rs',
} as const;

export function flakeFile(spec: FlakeSpec): string {
  const inputs: NixBinding[] = [
    bind(['nixpkgs', 'url'], str(`github:NixOS/nixpkgs/nixos-${spec.release}`)),
    bind(['disko', 'url'], str(INPUT_URLS.disko), ['Partitions the system disk on the first install (disko.nix, `make install`).']),
    bind(['disko', 'inputs', 'nixpkgs', 'follows'], str('nixpkgs')),
  ];
  if (spec.deploy !== 'nixos-rebuild') {
    inputs.push(bind([spec.deploy, 'url'], str(INPUT_URLS[spec.deploy])));
    inputs.push(bind([spec.deploy, 'inputs', 'nixpkgs', 'follows'], str('nixpkgs')));
  }
  const tool = spec.secrets !== undefined ? SECRETS_TOOLS[spec.secrets] : undefined;
  if (tool) {
    inputs.push(bind([tool.input, 'url'], str(tool.url), [`Decrypts the secrets of secrets.nix on the host (--secrets ${spec.secrets}).`]));
    inputs.push(bind([tool.input, 'inputs', 'nixpkgs', 'follows'], str('nixpkgs')));
  }
  const formals = ['self', 'nixpkgs', 'disko', ...(spec.deploy === 'nixos-rebuild' ? [] : [spec.deploy]), ...(tool ? [tool.input] : [])];

  const outputs: NixBinding[] = spec.hosts.map((host) =>
    bind(['nixosConfigurations', host.name], apply(select(v('nixpkgs'), 'lib', 'nixosSystem'), attrs([bind(['modules'], list(hostModules(host, spec, true)))]))),
  );
  if (spec.deploy === 'colmena') outputs.push(colmenaHive(spec));
  if (spec.deploy === 'deploy-rs') outputs.push(...deployRs(spec));
  outputs.push(bind(['formatter', spec.system], select(v('nixpkgs'), 'legacyPackages', spec.system, 'nixfmt-tree')));

  return printFile(
    attrs([
      bind(['description'], str(spec.description)),
      bind(['inputs'], attrs(inputs)),
      bind(['outputs'], lambda(formals, attrs(outputs), false)),
    ]),
    [`${spec.description}. See README.md for the commands.`, KEEP_HINT],
  );
}

/** disko's module, the host's files, and a module with the platform and the flake's own source. */
function hostModules(host: FlakeHost, spec: FlakeSpec, platform: boolean): NixExpr[] {
  const own: NixBinding[] = [
    ...(platform ? [bind(['nixpkgs', 'hostPlatform'], str(spec.system))] : []),
    bind(['environment', 'etc', FLAKE_ETC_NAME, 'source'], v('self'), ['The flake itself, for system.autoUpgrade on the host.']),
  ];
  const tool = spec.secrets !== undefined ? SECRETS_TOOLS[spec.secrets] : undefined;
  const secrets = tool ? [select(v(tool.input), ...tool.module)] : [];
  return [select(v('disko'), 'nixosModules', 'disko'), ...secrets, ...host.modules.map((m) => path(`./${m}`)), attrs(own)];
}

/** colmena's hive: nixpkgs for every node, then each node's modules and where to deploy it. */
function colmenaHive(spec: FlakeSpec): NixBinding {
  const nodes = spec.hosts.map((host) =>
    bind([host.name], attrs([
      bind(['imports'], list(hostModules(host, spec, false))),
      bind(['deployment', 'targetHost'], str(host.sshHost)),
      bind(['deployment', 'targetUser'], str(host.sshUser)),
    ])),
  );
  return bind(
    ['colmenaHive'],
    apply(select(v('colmena'), 'lib', 'makeHive'), attrs([bind(['meta', 'nixpkgs'], select(v('nixpkgs'), 'legacyPackages', spec.system)), ...nodes])),
    ['`colmena apply` deploys every host; `colmena apply --on NAME` one of them.'],
  );
}

/** deploy-rs: one node per host with its system profile; magic rollback undoes a switch that cuts the connection. */
function deployRs(spec: FlakeSpec): NixBinding[] {
  const nodes = spec.hosts.map((host) =>
    bind(['deploy', 'nodes', host.name], attrs([
      bind(['hostname'], str(host.sshHost)),
      bind(['sshUser'], str(host.sshUser)),
      bind(['user'], str('root')),
      bind(['magicRollback'], bool(true), ['After switching, deploy-rs must reach the host again within the timeout, or the host switches back by itself.']),
      bind(['autoRollback'], bool(true)),
      bind(['profiles', 'system', 'path'], apply(select(v('deploy-rs'), 'lib', spec.system, 'activate', 'nixos'), select(v('self'), 'nixosConfigurations', host.name))),
    ])),
  );
  return [
    ...nodes,
    bind(['checks', spec.system], apply(select(v('deploy-rs'), 'lib', spec.system, 'deployChecks'), select(v('self'), 'deploy')), [
      '`nix flake check` validates the deploy-rs nodes.',
    ]),
  ];
}
