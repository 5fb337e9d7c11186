import { describe, expect, it } from 'vitest';
import {
  apply,
  attrs,
  bind,
  bool,
  commented,
  int,
  lambda,
  letIn,
  list,
  nul,
  path,
  pkg,
  select,
  str,
  v,
  type NixExpr,
} from '../../src/nix/ast.ts';
import { printExpr, printFile } from '../../src/nix/print.ts';

const float = (value: number): NixExpr => ({ kind: 'float', value });
const lines = (...text: string[]): string => text.join('\n');

describe('attribute sets', () => {
  it('prints an empty set as { } and a non-empty one a binding per line', () => {
    expect(printExpr(attrs([]))).toBe('{ }');
    expect(printExpr(attrs([bind(['a'], int(1)), bind(['b'], str('x'))]))).toBe(lines('{', '  a = 1;', '  b = "x";', '}'));
  });

  it('joins a set with a single binding into a dotted path', () => {
    const jellyfin = attrs([
      bind(['unitConfig'], attrs([bind(['RequiresMountsFor'], list([str('/srv')]))])),
      bind(['wantedBy'], list([str('srv.mount')])),
    ]);
    const body = attrs([
      bind(['systemd'], attrs([bind(['services'], attrs([bind(['jellyfin'], jellyfin)]))])),
      bind(['networking'], attrs([bind(['firewall'], attrs([bind(['allowedTCPPorts'], list([int(8200)]))]))])),
    ]);
    expect(printExpr(body)).toBe(
      lines(
        '{',
        '  systemd.services.jellyfin = {',
        '    unitConfig.RequiresMountsFor = [ "/srv" ];',
        '    wantedBy = [ "srv.mount" ];',
        '  };',
        '  networking.firewall.allowedTCPPorts = [ 8200 ];',
        '}',
      ),
    );
  });

  it('spreads a namespace (a set of sets) into sibling bindings, in order', () => {
    const service = (description: string) => attrs([bind(['description'], str(description)), bind(['enable'], bool(true))]);
    const body = attrs([
      bind(['systemd'], attrs([bind(['services'], attrs([bind(['unlock'], service('unlock')), bind(['samba'], service('samba'))]))]), [
        'Services',
      ]),
    ]);
    expect(printExpr(body)).toBe(
      lines(
        '{',
        '  # Services',
        '  systemd.services.unlock = {',
        '    description = "unlock";',
        '    enable = true;',
        '  };',
        '  systemd.services.samba = {',
        '    description = "samba";',
        '    enable = true;',
        '  };',
        '}',
      ),
    );
  });

  it('keeps a mixed set nested and collapses inside it', () => {
    const body = attrs([
      bind(['services'], attrs([
        bind(['samba'], attrs([
          bind(['enable'], bool(true)),
          bind(['settings'], attrs([bind(['global'], attrs([bind(['a'], int(1)), bind(['b'], int(2))])), bind(['data'], attrs([bind(['path'], str('/srv'))]))])),
        ])),
      ])),
    ]);
    expect(printExpr(body)).toBe(
      lines(
        '{',
        '  services.samba = {',
        '    enable = true;',
        '    settings.global = {',
        '      a = 1;',
        '      b = 2;',
        '    };',
        '    settings.data.path = "/srv";',
        '  };',
        '}',
      ),
    );
  });

  it('does not collapse when a path would repeat or extend a later binding', () => {
    // Spreading `s` would print `s.x = { ... };` next to the later `s.x.l`, so `s` stays a set.
    const x = attrs([bind(['k'], int(1)), bind(['m'], int(2))]);
    const body = attrs([
      bind(['s'], attrs([bind(['x'], x), bind(['y'], attrs([bind(['k'], int(2))]))])),
      bind(['s', 'x', 'l'], int(3)),
    ]);
    expect(printExpr(body)).toBe(
      lines('{', '  s = {', '    x = {', '      k = 1;', '      m = 2;', '    };', '    y.k = 2;', '  };', '  s.x.l = 3;', '}'),
    );
    // Without the clash it spreads.
    expect(printExpr(attrs([body.kind === 'attrs' ? body.bindings[0]! : bind(['z'], nul)]))).toBe(
      lines('{', '  s.x = {', '    k = 1;', '    m = 2;', '  };', '  s.y.k = 2;', '}'),
    );
  });

  it('does not collapse rec sets or empty sets', () => {
    const body = attrs([
      bind(['a'], { kind: 'attrs', rec: true, bindings: [bind(['b'], int(1))] }),
      bind(['c'], attrs([])),
    ]);
    expect(printExpr(body)).toBe(lines('{', '  a = rec {', '    b = 1;', '  };', '  c = { };', '}'));
  });

  it('prints comments above a binding, and those of a collapsed set above its first binding', () => {
    const body = attrs([
      bind(['users'], attrs([bind(['groups'], attrs([bind(['michael'], attrs([bind(['gid'], int(1000), ['for consistency with storage3'])]))]))]), [
        'Groups',
      ]),
      bind(['x'], commented(['on the value', 'second line'], int(1))),
    ]);
    expect(printExpr(body)).toBe(
      lines('{', '  # Groups', '  # for consistency with storage3', '  users.groups.michael.gid = 1000;', '  # on the value', '  # second line', '  x = 1;', '}'),
    );
  });

  it('quotes attribute names that are not identifiers', () => {
    const body = attrs([
      bind(['systemd', 'network', 'networks', '10-e', 'DHCP'], str('yes')),
      bind(['fileSystems', '/srv', 'fsType'], str('ext4')),
      bind(['environment', 'etc', 'ssl/certs/r.crt', 'source'], path('./files/r.crt')),
      bind(['if'], int(1)),
      bind(['a${b}'], int(2)),
      bind(['it\'s-ok_1'], int(3)),
    ]);
    expect(printExpr(body)).toBe(
      lines(
        '{',
        '  systemd.network.networks."10-e".DHCP = "yes";',
        '  fileSystems."/srv".fsType = "ext4";',
        '  environment.etc."ssl/certs/r.crt".source = ./files/r.crt;',
        '  "if" = 1;',
        '  "a\\${b}" = 2;',
        "  it's-ok_1 = 3;",
        '}',
      ),
    );
  });
});

describe('lists', () => {
  it('prints scalars on one line and an empty list as [ ]', () => {
    expect(printExpr(list([]))).toBe('[ ]');
    expect(printExpr(list([str('a'), int(1), bool(false), nul, path('./x'), pkg('lvm2', 'bin'), float(1.5)]))).toBe(
      '[ "a" 1 false null ./x pkgs.lvm2.bin 1.5 ]',
    );
  });

  it('breaks a list that would pass 100 columns', () => {
    const items = Array.from({ length: 12 }, (_, i) => str(`after-${i}.service`));
    const text = printExpr(attrs([bind(['after'], list(items))]));
    expect(text.split('\n')).toHaveLength(12 + 4);
    expect(text).toContain('  after = [\n    "after-0.service"\n    "after-1.service"\n');
    const fits = printExpr(attrs([bind(['a'], list(items.slice(0, 4)))]));
    expect(fits).toBe('{\n  a = [ "after-0.service" "after-1.service" "after-2.service" "after-3.service" ];\n}');
  });

  it('puts sets, multi-line strings and commented items one per line, comments above', () => {
    const text = printExpr(
      list([commented(['Always pull the latest version.'], str('-docker pull x')), str('a\nb\n'), attrs([bind(['a'], int(1))])]),
    );
    expect(text).toBe(
      lines('[', '  # Always pull the latest version.', '  "-docker pull x"', "  ''", '    a', '    b', "  ''", '  {', '    a = 1;', '  }', ']'),
    );
  });

  it('parenthesises applications, negative numbers and non-literal paths as items', () => {
    expect(printExpr(list([apply(pkg('writeText'), str('a'), str('b')), int(-1), float(-0.5), path('./a b')]))).toBe(
      lines('[', '  (pkgs.writeText "a" "b")', '  (-1)', '  (-0.5)', '  (./. + "/a b")', ']'),
    );
  });
});

describe('strings', () => {
  it('uses "..." for one line and escapes what Nix would read otherwise', () => {
    expect(printExpr(str('plain'))).toBe('"plain"');
    expect(printExpr(str('tab\there\r$HOME ${x} $${y}'))).toBe('"tab\\there\\r$HOME \\${x} $\\${y}"');
  });

  it("uses ''...'' for one line when that needs fewer escapes (quotes, backslashes)", () => {
    expect(printExpr(str('/bin/sh -c "echo \\"hi\\""'))).toBe(`''/bin/sh -c "echo \\"hi\\""''`);
    expect(printExpr(str(' "leading space"'))).toBe('" \\"leading space\\""');
    expect(printExpr(str('C:\\dir'))).toBe("''C:\\dir''");
  });

  it('uses an indented block for text with line breaks', () => {
    const text = printExpr(attrs([bind(['text'], str('-----BEGIN-----\n  abc\n\n-----END-----\n'))]));
    expect(text).toBe(lines('{', "  text = ''", '    -----BEGIN-----', '      abc', '', '    -----END-----', "  '';", '}'));
    expect(printExpr(str('a\nb'))).toBe("''\n  a\n  b''");
  });

  it("escapes ''-strings: ''' for '', ''$ for ${, ''\\r for CR, a final ' as ''\\'", () => {
    expect(printExpr(str("a '' b ${c}\r\nd'"))).toBe("''\n  a ''' b ''${c}''\\r\n  d''\\'''");
  });

  it('keeps a common indentation of all lines by escaping one space', () => {
    expect(printExpr(str('  a\n  b\n'))).toBe("''\n  ''\\  a\n    b\n''");
  });

  it('prints interpolations as ${expr}, escaping a $ just before one', () => {
    expect(printExpr(str(pkg('docker'), '/bin/docker'))).toBe('"${pkgs.docker}/bin/docker"');
    expect(printExpr(str('cost: $', pkg('x')))).toBe('"cost: \\$${pkgs.x}"');
    expect(printExpr(str('#!/bin/sh\n', pkg('lvm2', 'bin'), '/bin/vgchange -ay\n'))).toBe(
      "''\n  #!/bin/sh\n  ${pkgs.lvm2.bin}/bin/vgchange -ay\n''",
    );
  });
});

describe('other expressions', () => {
  it('prints numbers so Nix reads the same type', () => {
    expect([int(0), int(-3), float(1), float(0.5), float(1e21), float(1.5e-7), float(-2)].map(printExpr)).toEqual([
      '0',
      '-3',
      '1.0',
      '0.5',
      '1.0e+21',
      '1.5e-7',
      '-2.0',
    ]);
  });

  it('refuses floats Nix cannot read back', () => {
    expect(() => printExpr(float(Number.NaN))).toThrow(/cannot print/);
    expect(() => printExpr(float(Infinity))).toThrow(/cannot print/);
    expect(() => printExpr(float(5e-324))).toThrow(/cannot print/);
  });

  it('prints selects, quoting segments that are not identifiers', () => {
    expect(printExpr(select(v('config'), 'services', 'a-b', '10-e'))).toBe('config.services.a-b."10-e"');
  });

  it('prints applications with parenthesised compound arguments', () => {
    expect(printExpr(apply(select(v('lib'), 'mkIf'), bool(true), apply(select(v('lib'), 'mkForce'), int(1))))).toBe(
      'lib.mkIf true (lib.mkForce 1)',
    );
    expect(printExpr(apply(apply(v('f'), int(1)), int(2)))).toBe('f 1 2');
    expect(printExpr(apply(pkg('writeText'), str('a'), str('line\n')))).toBe("pkgs.writeText \"a\" ''\n  line\n''");
  });

  it('prints a module as a lambda with formals, its body on the next line', () => {
    expect(printExpr(lambda(['config', 'lib', 'pkgs'], attrs([])))).toBe('{ config, lib, pkgs, ... }:\n{ }');
    expect(printExpr(lambda([], int(1), false))).toBe('{ }:\n1');
    const many = Array.from({ length: 12 }, (_, i) => `argument${i}`);
    expect(printExpr(lambda(many, nul))).toBe(['{', ...many.map((m) => `  ${m},`), '  ...,', '}:', 'null'].join('\n'));
  });

  it('prints let-in and binary operators with the parentheses precedence needs', () => {
    expect(printExpr(letIn([bind(['a'], int(1))], v('a')))).toBe(lines('let', '  a = 1;', 'in', 'a'));
    const b = (op: '+' | '//', left: NixExpr, right: NixExpr): NixExpr => ({ kind: 'binop', op, left, right });
    expect(printExpr(b('+', b('+', v('a'), v('b')), b('+', v('c'), v('d'))))).toBe('a + b + (c + d)');
    expect(printExpr(b('//', b('//', v('a'), v('b')), b('//', v('c'), v('d'))))).toBe('(a // b) // c // d');
    expect(printExpr(b('//', b('+', v('a'), v('b')), v('c')))).toBe('a + b // c');
    expect(printExpr(b('+', b('//', v('a'), v('b')), v('c')))).toBe('(a // b) + c');
    expect(printExpr(b('+', apply(v('f'), v('x')), int(-1)))).toBe('f x + -1');
  });
});

describe('files', () => {
  it('prints header comments and ends with exactly one newline', () => {
    const text = printFile(lambda(['config', 'pkgs'], attrs([bind(['networking', 'hostName'], str('storage2'))])), [
      'Generated by nixport.',
      'Source: cloud-config.yml',
    ]);
    expect(text).toBe(
      lines(
        '# Generated by nixport.',
        '# Source: cloud-config.yml',
        '{ config, pkgs, ... }:',
        '{',
        '  networking.hostName = "storage2";',
        '}',
        '',
      ),
    );
  });

  it('is deterministic', () => {
    const make = () => attrs([bind(['a'], list([str('x'), pkg('y')])), bind(['b'], attrs([bind(['c'], int(1))]))]);
    expect(printFile(make())).toBe(printFile(make()));
  });
});
