import { describe, expect, it } from 'vitest';
import {
  apply,
  attrs,
  bind,
  bool,
  int,
  lambda,
  letIn,
  list,
  path,
  pkg,
  select,
  str,
  v,
  type NixExpr,
} from '../../src/nix/ast.ts';
import { printExpr, printFile } from '../../src/nix/print.ts';
import { exprToJson, mergeModulesJson, moduleToJson, packageStorePath } from '../helpers/nix-json.ts';
import { evalModules, evalNixJson, parseNix, skipWithoutNix, stubLibNix, stubPkgsNix } from '../helpers/nix.ts';

const lib = (name: string, ...args: NixExpr[]): NixExpr => apply(select(v('lib'), name), ...args);
const binop = (op: '+' | '//', left: NixExpr, right: NixExpr): NixExpr => ({ kind: 'binop', op, left, right });
const module = (formals: string[], bindings: Parameters<typeof attrs>[0]): NixExpr => lambda(formals, attrs(bindings));
const STORE_PATH = /^\/nix\/store\/[0-9a-df-np-sv-z]{32}-/;

describe('the Nix guard', () => {
  it('skips without Nix, but fails when NIXPORT_REQUIRE_NIX=1', () => {
    expect(skipWithoutNix(true, { NIXPORT_REQUIRE_NIX: '1' })).toBe(false);
    expect(skipWithoutNix(false, {})).toBe(true);
    expect(() => skipWithoutNix(false, { NIXPORT_REQUIRE_NIX: '1' })).toThrow(/NIXPORT_REQUIRE_NIX=1/);
  });
});

describe.skipIf(skipWithoutNix())('the Nix harness', () => {
  it('parseNix reports exactly the files that do not parse', async () => {
    expect(await parseNix({ 'a.nix': '{ a = 1; }', 'sub/b.nix': 'x: x' })).toEqual({});
    const errors = await parseNix({ 'good.nix': '{ }', 'bad.nix': '{ a = ; }', 'dir/worse.nix': '[ -1 ]' });
    expect(Object.keys(errors).sort()).toEqual(['bad.nix', 'dir/worse.nix']);
    expect(errors['bad.nix']).toMatch(/syntax error[\s\S]*bad\.nix:1:7/);
    expect(errors['dir/worse.nix']).not.toContain('/tmp/');
  });

  it('evalNixJson evaluates next to the given files and reports errors', async () => {
    expect(await evalNixJson('import ./x.nix + 1', { 'x.nix': '41' })).toBe(42);
    await expect(evalNixJson('{ a = throw "boom"; }')).rejects.toThrow(/boom/);
  });

  it('stub packages interpolate, nest and print as store paths; builders return store paths', async () => {
    const expr = list([
      str(pkg('lvm2', 'bin'), '/bin/x'),
      str(pkg('lvm2'), '/bin/y'),
      pkg('docker'),
      apply(pkg('writeText'), str('a.conf'), str('text')),
      apply(pkg('writeShellScript'), str('run'), str('#!/bin/sh\n', pkg('docker'), '/bin/docker ps\n')),
      lib("getExe'", pkg('docker'), str('docker')),
    ]);
    const stubs = { pkgs: [['lvm2', 'bin'], ['docker']] };
    const source = `let pkgs = import ./pkgs.nix; lib = import ./lib.nix; in ${printExpr(expr)}`;
    const got = (await evalNixJson(source, { 'pkgs.nix': stubPkgsNix(stubs.pkgs), 'lib.nix': stubLibNix })) as string[];
    expect(got).toEqual(exprToJson(expr, stubs));
    expect(got[0]).toBe(packageStorePath(['lvm2', 'bin']) + '/bin/x');
    expect(got[1]).toBe(packageStorePath(['lvm2']) + '/bin/y');
    expect(got[0]).toMatch(/-lvm2-bin\/bin\/x$/);
    expect(got[3]).toMatch(/-a\.conf$/);
    expect(got[4]).toMatch(/-run$/);
    expect(got[5]).toBe(packageStorePath(['docker']) + '/bin/docker');
    for (const s of got) expect(s).toMatch(STORE_PATH);
    // Different texts give different paths.
    expect(exprToJson(apply(pkg('writeText'), str('a'), str('1')))).not.toBe(exprToJson(apply(pkg('writeText'), str('a'), str('2'))));
  });

  it('exprToJson agrees with Nix on hand-made trees', async () => {
    const trees: NixExpr[] = [
      letIn([bind(['port'], int(8096)), bind(['name'], str('jellyfin'))], attrs([bind(['ports'], list([v('port')])), bind(['n'], v('name'))])),
      { kind: 'attrs', rec: true, bindings: [bind(['a'], int(1)), bind(['b'], binop('+', v('a'), int(1)))] },
      binop('//', attrs([bind(['a'], int(1)), bind(['b'], int(2))]), attrs([bind(['b'], int(3))])),
      binop('+', str('a'), binop('+', str('b'), str('c'))),
      attrs([bind(['a', 'b'], int(1)), bind(['a', 'c'], int(2)), bind(['x'], attrs([bind(['y'], bool(true))])), bind(['x', 'z'], int(3))]),
      attrs([
        bind(['d'], lib('mkDefault', int(1))),
        bind(['f'], lib('mkForce', str('x'))),
        bind(['o'], lib('mkOverride', int(10), list([]))),
        bind(['i'], lib('mkIf', bool(false), attrs([bind(['a'], int(1))]))),
        bind(['m'], lib('mkMerge', list([attrs([]), attrs([bind(['b'], int(2))])]))),
      ]),
      apply(lambda(['x'], binop('+', v('x'), int(1)), false), attrs([bind(['x'], int(1))])),
      { kind: 'float', value: 2.5 },
      // An indented string inside an interpolation inside an indented string.
      str('a\n  ', apply(pkg('writeText'), str('n'), str('x\n  y\n')), '\nb\n'),
    ];
    const source = `let pkgs = import ./pkgs.nix; lib = import ./lib.nix; in ${printExpr(list(trees))}`;
    const got = await evalNixJson(source, { 'pkgs.nix': stubPkgsNix([]), 'lib.nix': stubLibNix });
    expect(got).toEqual(trees.map((t) => exprToJson(t, { pkgs: [] })));
    expect(source).toContain("${pkgs.writeText \"n\" ''");
    expect((got as unknown[])[4]).toEqual({ a: { b: 1, c: 2 }, x: { y: true, z: 3 } });
  });

  it('evalModules merges modules like mergeModulesJson does', async () => {
    const modules: Record<string, NixExpr> = {
      'configuration.nix': module(
        ['config', 'lib', 'pkgs'],
        [
          bind(['imports'], list([path('./sub/b.nix')])),
          bind(['networking', 'firewall', 'allowedTCPPorts'], list([int(80)])),
          bind(['services', 'x'], attrs([bind(['enable'], bool(true)), bind(['port'], lib('mkDefault', int(8080)))])),
          bind(['environment', 'etc', 'a', 'source'], path('./files/a')),
          bind(['environment', 'systemPackages'], list([pkg('docker')])),
        ],
      ),
      'sub/b.nix': module(
        ['lib', 'pkgs'],
        [
          bind(['networking', 'firewall', 'allowedTCPPorts'], list([int(443)])),
          bind(['services', 'x', 'port'], int(9090)),
          bind(['services', 'x', 'enable'], bool(true)),
          bind(['systemd', 'services', 'y'], lib('mkIf', bool(false), attrs([bind(['a'], int(1))]))),
          bind(['environment', 'etc', 'b', 'source'], path('./files/b')),
          bind(['systemd', 'services', 'z', 'script'], str(pkg('lvm2', 'bin'), '/bin/vgchange -ay\n')),
        ],
      ),
      'c.nix': module(
        ['lib'],
        [
          bind(['services', 'x', 'user'], lib('mkForce', str('root'))),
          bind(['services', 'x', 'extra'], lib('mkMerge', list([attrs([bind(['a'], int(1))]), lib('mkIf', bool(true), attrs([bind(['b'], int(2))]))]))),
          bind(['networking', 'firewall', 'allowedTCPPorts'], lib('mkForce', list([int(22)]))),
        ],
      ),
    };
    const entry = Object.keys(modules);
    const files = Object.fromEntries(entry.map((f) => [f, printFile(modules[f]!)]));
    expect(await parseNix(files)).toEqual({});
    const fromNix = await evalModules(files, entry);
    const fromTs = mergeModulesJson(entry.map((f) => moduleToJson(modules[f]!, { file: f })));
    expect(fromNix).toEqual(fromTs);
    expect(fromNix).toEqual({
      networking: { firewall: { allowedTCPPorts: [22] } },
      services: { x: { enable: true, port: 9090, user: 'root', extra: { a: 1, b: 2 } } },
      environment: { etc: { a: { source: 'path:files/a' }, b: { source: 'path:sub/files/b' } }, systemPackages: [packageStorePath(['docker'])] },
      systemd: { services: { z: { script: packageStorePath(['lvm2', 'bin']) + '/bin/vgchange -ay\n' } } },
    });
  });

  it('both sides reject two different values for one option', async () => {
    const a = module(['lib'], [bind(['services', 'x', 'port'], int(1))]);
    const b = module(['lib'], [bind(['services', 'x', 'port'], int(2))]);
    const files = { 'a.nix': printFile(a), 'b.nix': printFile(b) };
    await expect(evalModules(files, ['a.nix', 'b.nix'])).rejects.toThrow(/conflicting definitions for services\.x\.port/);
    expect(() => mergeModulesJson([moduleToJson(a), moduleToJson(b)])).toThrow(/conflicting definitions for services\.x\.port/);
  });

  it('gives Nix modules the merged config; exprToJson refuses to read it', async () => {
    const m = module(
      ['config'],
      [bind(['users', 'users', 'a', 'uid'], int(1000)), bind(['users', 'groups', 'a', 'gid'], select(v('config'), 'users', 'users', 'a', 'uid'))],
    );
    expect(await evalModules({ 'm.nix': printFile(m) }, ['m.nix'])).toEqual({ users: { users: { a: { uid: 1000 } }, groups: { a: { gid: 1000 } } } });
    expect(() => moduleToJson(m)).toThrow(/config is not modelled/);
  });
});
