/**
 * The fleet file: which inputs make up which host, for `nixport convert
 * --fleet fleet.yml`. Paths are relative to the file.
 *
 *   hosts:
 *     storage2:
 *       inputs: [storage2/]
 *       target: michael@storage2.lan   # optional: where to deploy
 *     storage3: [storage3/cloud-config.yml, keys/]   # shorthand: the inputs
 *   shared:                     # optional: options every host must define alike
 *     - users.users.michael
 *   deploy: colmena             # optional: nixos-rebuild, colmena or deploy-rs
 *   release: "26.05"            # optional
 *
 * Host names are the keys (they become nixosConfigurations.<name> and
 * networking.hostName, as --host does for one host).
 */
import { isMap, isScalar, isSeq } from 'yaml';
import { InputError } from '../model/diagnostic.ts';
import type { Origin } from '../model/origin.ts';
import { mapEntries, parseYaml, scalarText, type YamlSource, type YamlValue } from '../sources/yaml.ts';
import { HOST_LABEL } from '../strategies/host/system.ts';
import { DEPLOY_TOOLS, type DeployTool } from '../layout/flake.ts';

export interface FleetFileHost {
  readonly name: string;
  /** Input paths as written, relative to the fleet file. */
  readonly inputs: readonly string[];
  readonly target?: string;
  readonly origin: Origin;
}

export interface FleetFile {
  readonly hosts: readonly FleetFileHost[];
  /** Option names that must be defined alike on every host (modules/common.nix). */
  readonly shared: readonly { readonly option: string; readonly origin: Origin }[];
  readonly deploy?: DeployTool;
  readonly release?: string;
}

const CODE = 'fleet';
const TOP_KEYS = ['hosts', 'shared', 'deploy', 'release'];
const HOST_KEYS = ['inputs', 'target'];

export function parseFleetFile(file: string, text: string): FleetFile {
  const src = parseYaml(file, text, { version: '1.2', code: CODE });
  const root = src.doc.contents;
  if (!isMap(root)) throw fail(src, { file, line: 1, column: 1 }, 'expected a mapping with `hosts:` at the top of the fleet file', EXAMPLE_HINT);
  const top = mapEntries(src, root, (k) => k, CODE);
  for (const e of top) if (!TOP_KEYS.includes(e.key)) throw fail(src, e.origin, `unknown key \`${e.spelled}\`; a fleet file has ${TOP_KEYS.map((k) => `\`${k}\``).join(', ')}`, EXAMPLE_HINT);
  const hostsEntry = top.find((e) => e.key === 'hosts');
  if (!hostsEntry || !isMap(hostsEntry.value)) {
    throw fail(src, hostsEntry?.origin ?? { file, line: 1, column: 1 }, '`hosts:` must map each host name to its inputs', EXAMPLE_HINT);
  }
  const hosts: FleetFileHost[] = [];
  for (const h of mapEntries(src, hostsEntry.value, (k) => k, CODE)) {
    if (!HOST_LABEL.test(h.key)) {
      throw fail(src, h.origin, `\`${h.spelled}\` is not a valid host name (one DNS label: letters, digits, \`-\`, \`_\`)`, 'the name becomes networking.hostName and nixosConfigurations.<name>');
    }
    hosts.push(readHost(src, h.key, h.value, h.origin));
  }
  if (hosts.length === 0) throw fail(src, hostsEntry.origin, '`hosts:` names no host', EXAMPLE_HINT);

  const shared: FleetFile['shared'][number][] = [];
  const sharedEntry = top.find((e) => e.key === 'shared');
  if (sharedEntry && sharedEntry.value !== null) {
    for (const item of strings(src, sharedEntry.value, sharedEntry.origin, '`shared:`')) shared.push({ option: item.text, origin: item.origin });
  }
  const deployEntry = top.find((e) => e.key === 'deploy');
  let deploy: DeployTool | undefined;
  if (deployEntry) {
    const value = deployEntry.value !== null && isScalar(deployEntry.value) ? scalarText(deployEntry.value) : '';
    if (!(DEPLOY_TOOLS as readonly string[]).includes(value)) {
      throw fail(src, deployEntry.origin, `\`deploy:\` must be one of ${DEPLOY_TOOLS.join(', ')}`, 'leave it out for nixos-rebuild');
    }
    deploy = value as DeployTool;
  }
  const releaseEntry = top.find((e) => e.key === 'release');
  const release = releaseEntry && releaseEntry.value !== null && isScalar(releaseEntry.value) ? scalarText(releaseEntry.value) : undefined;
  return { hosts, shared, ...(deploy ? { deploy } : {}), ...(release !== undefined ? { release } : {}) };
}

function readHost(src: YamlSource, name: string, value: YamlValue | null, origin: Origin): FleetFileHost {
  if (value !== null && isMap(value)) {
    const entries = mapEntries(src, value, (k) => k, CODE);
    for (const e of entries) if (!HOST_KEYS.includes(e.key)) throw fail(src, e.origin, `unknown key \`${e.spelled}\` for host ${name}; a host has \`inputs\` and \`target\``, EXAMPLE_HINT);
    const inputs = entries.find((e) => e.key === 'inputs');
    if (!inputs) throw fail(src, origin, `host ${name} has no \`inputs:\``, EXAMPLE_HINT);
    const target = entries.find((e) => e.key === 'target');
    const targetText = target?.value && isScalar(target.value) ? scalarText(target.value) : undefined;
    if (target && !targetText) throw fail(src, target.origin, `\`target:\` of ${name} must be an SSH destination such as admin@${name}`, 'user@host, or host for root');
    const paths = strings(src, inputs.value, inputs.origin, `the inputs of ${name}`).map((s) => s.text);
    return { name, inputs: paths, ...(targetText ? { target: targetText } : {}), origin };
  }
  const paths = strings(src, value, origin, `the inputs of ${name}`).map((s) => s.text);
  return { name, inputs: paths, origin };
}

/** A string or a list of strings, each with where it is written. */
function strings(src: YamlSource, value: YamlValue | null, origin: Origin, what: string): { text: string; origin: Origin }[] {
  const out: { text: string; origin: Origin }[] = [];
  const take = (node: unknown, at: Origin) => {
    if (!isScalar(node) || node.value === null || scalarText(node) === '') throw fail(src, at, `${what}: expected a path or a list of paths`, EXAMPLE_HINT);
    const range = node.range;
    out.push({ text: scalarText(node), origin: range ? positionOf(src, range[0]) : at });
  };
  if (value !== null && isSeq(value)) for (const item of value.items) take(item, origin);
  else take(value, origin);
  if (out.length === 0) throw fail(src, origin, `${what}: the list is empty`, EXAMPLE_HINT);
  return out;
}

function positionOf(src: YamlSource, offset: number): Origin {
  const pos = src.lines.linePos(offset);
  return { file: src.file, line: pos.line, column: pos.col };
}

const EXAMPLE_HINT = 'e.g. `hosts: { storage2: { inputs: [ storage2/ ] }, storage3: [ storage3/ ] }`';

function fail(_src: YamlSource, origin: Origin, message: string, hint: string): InputError {
  return new InputError({ code: `${CODE}/file`, message, origin, hint });
}
