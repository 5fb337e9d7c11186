import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/model/ledger.ts';
import { detect } from '../../src/sources/detect.ts';
import { readInputs } from '../../src/sources/index.ts';

describe('Butane and Ignition are recognised by content, not by name', () => {
  it.each([
    ['config.bu', 'variant: fcos\nversion: 1.5.0\n', 'butane'],
    ['host.yml', '# comment\nvariant: flatcar\nversion: 1.1.0\nstorage: {}\n', 'butane'],
    ['user-data', '\uFEFFversion: 1.0.0\nvariant: fcos\n', 'butane'],
    ['config.ign', '{"ignition":{"version":"3.4.0"}}', 'ignition'],
    ['config.ign', 'not json at all', 'ignition'],
    ['user-data', '  {\n "ignition": {"version": "2.3.0"}}', 'ignition'],
    ['config.json', '{"ignition": {"version": "3.0.0"}}', 'ignition'],
    ['spec1.json', '{"ignitionVersion": 1}', 'ignition'],
    ['package.json', '{"name": "x"}', 'unknown'],
    ['host.yml', '#cloud-config\nvariant: x\nversion: y\n', 'cloud-config'],
    ['notes.txt', 'variant: a\n', 'unknown'],
  ])('%s holding %j is %s', (path, text, kind) => {
    expect(detect(path, text).kind).toBe(kind);
  });

  it('reads the files a Butane config embeds as part of it, not as inputs of their own', () => {
    const ledger = new Ledger();
    const host = readInputs(
      [
        // Sorted before the config, and a unit file by name: still read as part of it.
        { path: 'h/a.service', content: '[Service]\nExecStart=/bin/a\n', discovered: true },
        {
          path: 'h/config.bu',
          content:
            'variant: fcos\nversion: 1.5.0\nsystemd:\n  units:\n    - name: a.service\n      contents_local: a.service\n' +
            'storage:\n  files:\n    - path: /etc/empty.conf\n      contents:\n        local: empty.conf\n',
          discovered: true,
        },
        // Empty: refused as an input of its own, but fine as content.
        { path: 'h/empty.conf', content: '', discovered: true },
        { path: 'h/other.ign', content: '{"ignition": {"version": "3.4.0"}, "storage": {"files": [{"path": "/etc/x", "contents": {"source": "data:,x"}}]}}', discovered: true },
      ],
      ledger,
    );
    expect(host.sources).toEqual([
      { path: 'h/a.service', format: 'butane' },
      { path: 'h/config.bu', format: 'butane' },
      { path: 'h/empty.conf', format: 'butane' },
      { path: 'h/other.ign', format: 'ignition' },
    ]);
    expect(host.units.map((u) => [u.name, u.item.label])).toEqual([['a.service', 'systemd.units[0] (a.service)']]);
    expect(host.files.map((f) => [f.path, f.content.length])).toEqual([
      ['/etc/empty.conf', 0],
      ['/etc/x', 1],
    ]);
  });
});
