/**
 * What every host of a fleet shares, found by comparing the definitions
 * nixport built for each host (the post's N8: user settings written once,
 * used by every machine). A definition goes to modules/common.nix only when
 * every host has the same definitions for the same thing:
 *
 * - "the same thing" is a group of options that belong together: a unit
 *   (`systemd.services.<name>` and all below it), a user, a group, an /etc
 *   file, a file system, a LUKS device, a tmpfiles entry; any other option
 *   stands alone. Groups whose options overlap (one defines a set, another
 *   an option inside it) are one group, so lists keep their order;
 * - "the same definitions": in the same order with the same values,
 *   comments aside (they name each host's input files);
 * - never shared: the VM (vm.nix) and the disk layout (disko.nix), which
 *   are per machine, and values with path literals (`./files/x` is relative
 *   to the host's module).
 *
 * The fleet file's `shared:` list names options the user wants shared; a
 * host that defines one of them differently, or not at all, is an error
 * (nothing is written), since the user's expectation is wrong somewhere.
 */
import type { Diagnostic } from '../model/diagnostic.ts';
import type { Origin } from '../model/origin.ts';
import type { NixExpr } from '../nix/ast.ts';
import { NixosTree, type Definition } from '../nix/tree.ts';
import { OWNER, optionName } from '../strategies/context.ts';

export const COMMON_OWNER = 'common';

export interface FleetTree {
  readonly name: string;
  readonly tree: NixosTree;
}

export interface SharedSplit {
  /** The shared definitions (the first host's, with its comments), owned by COMMON_OWNER. */
  readonly common: NixosTree;
  /** Per host: its definitions without the shared ones. */
  readonly own: readonly NixosTree[];
  /** Per host: all its definitions, the shared ones owned by COMMON_OWNER (for the report's placement). */
  readonly placed: readonly NixosTree[];
  /** The shared groups, as option names. */
  readonly groups: readonly string[];
}

/** Collections whose members are shared as a whole: path prefix and the depth of one member. */
const MEMBERS: readonly (readonly [readonly string[], number])[] = [
  [['systemd', 'services'], 3],
  [['systemd', 'timers'], 3],
  [['systemd', 'sockets'], 3],
  [['systemd', 'paths'], 3],
  [['systemd', 'targets'], 3],
  [['systemd', 'slices'], 3],
  [['users', 'users'], 3],
  [['users', 'groups'], 3],
  [['environment', 'etc'], 3],
  [['fileSystems'], 2],
  [['swapDevices'], 1],
  [['boot', 'initrd', 'luks', 'devices'], 5],
  [['systemd', 'tmpfiles', 'settings'], 5],
];

/** Owners whose definitions stay with their host. */
const PER_MACHINE = new Set<string>([OWNER.vm, OWNER.disko]);

function memberKey(path: readonly string[]): readonly string[] {
  for (const [prefix, depth] of MEMBERS) {
    if (path.length >= depth && prefix.every((p, i) => path[i] === p)) return path.slice(0, depth);
  }
  return path;
}

const keyText = (path: readonly string[]) => JSON.stringify(path);

function isPrefix(a: readonly string[], b: readonly string[]): boolean {
  return a.length <= b.length && a.every((p, i) => b[i] === p);
}

/** The value as it would print, without comments. */
function valueText(expr: NixExpr): string {
  return JSON.stringify(stripComments(expr));
}

function stripComments(expr: NixExpr): NixExpr {
  switch (expr.kind) {
    case 'commented':
      return stripComments(expr.expr);
    case 'list':
      return { kind: 'list', items: expr.items.map(stripComments) };
    case 'attrs':
      return { ...expr, bindings: expr.bindings.map((b) => ({ path: b.path, value: stripComments(b.value) })) };
    case 'string':
      return { kind: 'string', parts: expr.parts.map((p) => (typeof p === 'string' ? p : stripComments(p))) };
    case 'apply':
      return { kind: 'apply', fn: stripComments(expr.fn), args: expr.args.map(stripComments) };
    case 'select':
      return { kind: 'select', expr: stripComments(expr.expr), path: expr.path };
    default:
      return expr;
  }
}

function hasPathLiteral(expr: NixExpr): boolean {
  switch (expr.kind) {
    case 'path':
      return true;
    case 'commented':
      return hasPathLiteral(expr.expr);
    case 'list':
      return expr.items.some(hasPathLiteral);
    case 'attrs':
    case 'let':
      return expr.bindings.some((b) => hasPathLiteral(b.value)) || (expr.kind === 'let' && hasPathLiteral(expr.body));
    case 'string':
      return expr.parts.some((p) => typeof p !== 'string' && hasPathLiteral(p));
    case 'apply':
      return hasPathLiteral(expr.fn) || expr.args.some(hasPathLiteral);
    case 'select':
      return hasPathLiteral(expr.expr);
    case 'lambda':
      return hasPathLiteral(expr.body);
    case 'binop':
      return hasPathLiteral(expr.left) || hasPathLiteral(expr.right);
    default:
      return false;
  }
}

/** A shared: entry of the fleet file, with where it is written. */
export interface RequiredShare {
  readonly option: string;
  readonly origin: Origin;
}

/**
 * Splits the hosts' trees into what they share and what is their own.
 * Returns a diagnostic when an option the fleet file requires to be shared
 * differs between hosts or is missing on one.
 */
export function splitShared(hosts: readonly FleetTree[], required: readonly RequiredShare[] = []): SharedSplit | { readonly conflict: Diagnostic } {
  // Group keys over all hosts; overlapping keys join the shortest one.
  const keys = new Map<string, readonly string[]>();
  for (const { tree } of hosts) for (const d of tree.definitions) keys.set(keyText(memberKey(d.path)), memberKey(d.path));
  const sorted = [...keys.values()].sort((a, b) => a.length - b.length);
  const canonical = new Map<string, readonly string[]>();
  const roots: (readonly string[])[] = [];
  for (const key of sorted) {
    const root = roots.find((r) => isPrefix(r, key)) ?? key;
    if (root === key) roots.push(key);
    canonical.set(keyText(key), root);
  }
  const groupOf = (d: Definition) => keyText(canonical.get(keyText(memberKey(d.path)))!);

  // Per host: group -> its definitions in order.
  const byGroup = hosts.map(({ tree }) => {
    const groups = new Map<string, Definition[]>();
    for (const d of tree.definitions) {
      const g = groupOf(d);
      const list = groups.get(g);
      if (list) list.push(d);
      else groups.set(g, [d]);
    }
    return groups;
  });
  const signature = (defs: readonly Definition[]) => defs.map((d) => `${keyText(d.path)}=${valueText(d.value)}`).join('\n');
  const shareable = (defs: readonly Definition[]) => defs.every((d) => !PER_MACHINE.has(d.owner) && !hasPathLiteral(d.value));

  const sharedGroups = new Set<string>();
  if (hosts.length > 1) {
    for (const [group, defs] of byGroup[0]!) {
      if (!shareable(defs)) continue;
      const sig = signature(defs);
      if (byGroup.every((g) => g.get(group) !== undefined && shareable(g.get(group)!) && signature(g.get(group)!) === sig)) sharedGroups.add(group);
    }
  }

  // Options the fleet file requires: every host defines them, alike.
  const forced = new Set<Definition>();
  for (const req of required) {
    const prefix = parseOptionName(req.option);
    if (!prefix) {
      return { conflict: conflict(req, `\`${req.option}\` is not an option name`, 'write it as in NixOS: users.users.alice, services.openssh, fileSystems."/srv"') };
    }
    const under = hosts.map(({ tree }) => tree.definitions.filter((d) => isPrefix(prefix, d.path) && !PER_MACHINE.has(d.owner)));
    const missing = hosts.filter((_, i) => under[i]!.length === 0).map((h) => h.name);
    if (missing.length > 0) {
      return {
        conflict: conflict(req, `shared option ${req.option} is not defined on ${missing.join(', ')}`, `remove it from \`shared:\`, or make the inputs of ${missing.join(', ')} declare it`),
      };
    }
    const first = under[0]!;
    for (let i = 1; i < hosts.length; i++) {
      const other = under[i]!;
      const differing = firstDifference(first, other);
      if (differing !== undefined) {
        return {
          conflict: conflict(
            req,
            `shared option ${req.option} differs between ${hosts[0]!.name} and ${hosts[i]!.name}: ${differing}`,
            `the hosts' inputs disagree there; make them agree, or remove ${req.option} from \`shared:\` to keep it per host`,
          ),
        };
      }
    }
    for (const defs of under) for (const d of defs) forced.add(d);
  }

  const isShared = (d: Definition) => sharedGroups.has(groupOf(d)) || forced.has(d);
  // Forced definitions are compared per host; the first host's are the ones written.
  const common = new NixosTree();
  for (const d of hosts[0]?.tree.definitions ?? []) if (isShared(d)) common.define(COMMON_OWNER, d.path, d.value, d.comments);
  const own: NixosTree[] = [];
  const placed: NixosTree[] = [];
  for (const { tree } of hosts) {
    const mine = new NixosTree();
    const all = new NixosTree();
    for (const d of tree.definitions) {
      const shared = isShared(d);
      if (!shared) mine.define(d.owner, d.path, d.value, d.comments);
      all.define(shared ? COMMON_OWNER : d.owner, d.path, d.value, d.comments);
    }
    own.push(mine);
    placed.push(all);
  }
  const groups = [...sharedGroups].map((g) => optionName(JSON.parse(g) as string[]));
  for (const req of required) if (!groups.includes(req.option)) groups.push(req.option);
  return { common, own, placed, groups };
}

/** The first option where two hosts' definitions under a shared name differ, named without its value (it may be a secret). */
function firstDifference(a: readonly Definition[], b: readonly Definition[]): string | undefined {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (!x || !y) return `${optionName((x ?? y)!.path)} is defined on one of them only`;
    if (keyText(x.path) !== keyText(y.path)) return `${optionName(x.path)} and ${optionName(y.path)} do not match up`;
    if (valueText(x.value) !== valueText(y.value)) return `${optionName(x.path)} has different values`;
  }
  return undefined;
}

function conflict(req: RequiredShare, message: string, hint: string): Diagnostic {
  return { severity: 'error', code: 'fleet/shared-conflict', message, origin: req.origin, hint };
}

/** `users.users.alice`, `fileSystems."/srv"` -> its path; undefined when it does not parse. */
export function parseOptionName(text: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) return undefined;
      out.push(text.slice(i + 1, end));
      i = end + 1;
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_'-]*/.exec(text.slice(i));
      if (!m) return undefined;
      out.push(m[0]);
      i += m[0].length;
    }
    if (i < text.length) {
      if (text[i] !== '.') return undefined;
      i++;
      if (i === text.length) return undefined;
    }
  }
  return out.length > 0 ? out : undefined;
}
