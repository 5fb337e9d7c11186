/**
 * Input nixport cannot read, and command lines it cannot follow: exit 2,
 * one error with its position, what was expected and a hint, no stack
 * trace, and nothing written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BAD, ensureBuilt, expectNoStackTrace, expectNothingWritten, nixport, scratchFor } from './cli.ts';

beforeAll(ensureBuilt);

const bad = (name: string): Buffer => readFileSync(join(BAD, name));
const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

/** A small valid input, for cases where the flags are what is wrong. */
const VALID = '#cloud-config\nhostname: box\n';

interface Refusal {
  readonly name: string;
  readonly files: Readonly<Record<string, string | Uint8Array>>;
  readonly args: readonly string[];
  /** stderr, line by line: the whole of it. */
  readonly stderr: readonly string[];
}

const KINDS =
  'nixport reads cloud-configs (first line `#cloud-config`), Butane configs (`variant:` and `version:`), ' +
  'Ignition configs (JSON with `ignition.version`), Container Linux Configs (Flatcar\'s ct YAML), ' +
  'systemd units (*.service, *.timer, ...), drop-ins (<unit>.d/*.conf), authorized_keys files, ' +
  'Compose files (compose.yaml, docker-compose.yml), Quadlet files (*.container, *.network, *.volume), ' +
  '`docker run` scripts and `docker inspect` JSON';
const EMPTY_HINT = 'give a cloud-config, a unit file or an authorized_keys file with content, or leave this file out';

const INPUTS: readonly Refusal[] = [
  {
    name: 'a cloud-config indented with a tab',
    files: { 'cloud-config.yml': bad('tab-indent.yml') },
    args: ['cloud-config.yml'],
    stderr: [
      'nixport: error: cloud-config.yml:4:1: invalid YAML: tabs are not allowed as indentation; expected indentation made of spaces',
      '  hint: YAML does not allow tabs for indentation; replace them with spaces.',
    ],
  },
  {
    // The reader's wording here is weak (see the report); the test pins what a person sees today.
    name: 'a cloud-config with an unclosed flow sequence',
    files: { 'cloud-config.yml': bad('unclosed-flow.yml') },
    args: ['cloud-config.yml'],
    stderr: [
      // Where the list opened, not where the parser gave up (the end of the file).
      'nixport: error: cloud-config.yml:3:22: invalid YAML: this flow list (`[`) is never closed; expected `]` before the end of the value',
      '  hint: Add the closing `]` on the same value, or write the list or mapping in block style.',
    ],
  },
  {
    name: 'a .yml file whose first line is not #cloud-config',
    files: { 'x.yml': bad('no-header.yml') },
    args: ['x.yml'],
    stderr: [
      'nixport: error: x.yml:1:1: expected `#cloud-config` on the first line, found `hostname: box`',
      '  hint: coreos-cloudinit only reads user data whose first line is `#cloud-config`; add that line if this file is a cloud-config.',
    ],
  },
  {
    name: 'Ignition JSON with a missing comma: line:col and the JSON pointer of the object',
    files: { 'config.ign': '{\n  "ignition": { "version": "3.4.0" },\n  "storage": {\n    "files": [\n      { "path": "/etc/motd" "mode": 420 }\n    ]\n  }\n}\n' },
    args: ['config.ign'],
    stderr: [
      'nixport: error: config.ign:5:29: invalid JSON at /storage/files/0: expected `,` or `}` after an object member, found `"mode"`',
      '  hint: Separate members with commas.',
    ],
  },
  {
    name: 'an Ignition config of a spec version nixport does not read',
    files: { 'config.ign': '{ "ignition": { "version": "3.7.0-experimental" } }\n' },
    args: ['config.ign'],
    stderr: [
      'nixport: error: config.ign:1:28: /ignition/version is `3.7.0-experimental`, a spec version nixport does not read',
      '  hint: Experimental specs change without notice; use the stable version it became. nixport reads Ignition spec 2.0.0, 2.1.0, 2.2.0, 2.3.0, 2.4.0, 3.0.0, 3.1.0, 3.2.0, 3.3.0, 3.4.0, 3.5.0, 3.6.0.',
    ],
  },
  {
    name: 'a Butane config of a version its variant does not have',
    files: { 'config.bu': 'variant: flatcar\nversion: 1.5.0\n' },
    args: ['config.bu'],
    stderr: [
      'nixport: error: config.bu:2:10: version `1.5.0` is not a flatcar spec nixport reads',
      '  hint: The flatcar variant has versions 1.0.0, 1.1.0.',
    ],
  },
  {
    name: 'a unit file of garbage, without a section',
    files: { 'web.service': bad('garbage.service') },
    args: ['web.service'],
    stderr: [
      'nixport: error: web.service:1:1: web.service is not a unit file: expected `[Section]` or `Key=value`, found `this is not a unit file`',
      '  hint: a unit file is INI-like text (systemd.syntax(7)); check that the right file was given',
    ],
  },
  {
    name: 'a binary file named x.service (NUL byte)',
    files: { 'x.service': concat(utf8('[Unit]\nDesc'), Uint8Array.of(0, 1, 2, 0xff), utf8('ription=x\n')) },
    args: ['x.service'],
    stderr: [
      'nixport: error: x.service:2:5: x.service is a binary file (NUL byte), not a text input',
      '  hint: nixport reads text: configs, units, Compose files, scripts and authorized_keys files',
    ],
  },
  {
    // `ü` is two bytes of UTF-8 but one column; the latin1 `é` (0xE9) is the first bad byte.
    name: 'a unit file in latin1: the error points at the first bad byte',
    files: { 'web.service': concat(utf8('[Unit]\nDescription=Zürich '), latin1('café\n')) },
    args: ['web.service'],
    stderr: [
      'nixport: error: web.service:2:23: web.service is not valid UTF-8',
      '  hint: convert it first, e.g. `iconv -f latin1 -t utf-8`',
    ],
  },
  {
    name: 'an empty file',
    files: { 'web.service': '' },
    args: ['web.service'],
    stderr: ['nixport: error: web.service:1:1: web.service is empty', `  hint: ${EMPTY_HINT}`],
  },
  {
    name: 'a file of whitespace only',
    files: { 'cloud-config.yml': ' \n\t\n  \r\n' },
    args: ['cloud-config.yml'],
    stderr: ['nixport: error: cloud-config.yml:1:1: cloud-config.yml holds only whitespace', `  hint: ${EMPTY_HINT}`],
  },
  {
    name: 'a path that does not exist',
    files: {},
    args: ['missing.yml'],
    stderr: ['nixport: error: missing.yml: no such file or directory', '  hint: check the path; nixport takes files and directories'],
  },
  {
    name: 'a file of unknown kind named on the command line',
    files: { 'notes.txt': 'remember to back up /srv\n' },
    args: ['notes.txt'],
    stderr: ['nixport: error: notes.txt:1:1: cannot tell what notes.txt is', `  hint: ${KINDS}`],
  },
  {
    name: 'a directory holding only files of unknown kinds',
    files: { 'host/notes.txt': 'remember\n', 'host/README': 'old server\n', 'host/backup/list.csv': 'a,b\n' },
    args: ['host'],
    stderr: [
      'nixport: error: no inputs nixport can read in host: none of its 3 file(s) is an input nixport reads',
      `  hint: ${KINDS}`,
    ],
  },
  {
    name: 'a directory holding no files at all',
    files: { 'host/.git/HEAD': 'ref: refs/heads/main\n' },
    args: ['host'],
    stderr: ['nixport: error: no inputs nixport can read in host: it holds no files', `  hint: ${KINDS}`],
  },
];

const FLAGS: readonly Refusal[] = [
  {
    name: 'an unknown flag',
    files: { 'cloud-config.yml': VALID },
    args: ['cloud-config.yml', '--bogus'],
    stderr: ["nixport: error: unknown option '--bogus'", '  hint: run `nixport convert --help` for its options'],
  },
  {
    name: 'a release that is not YY.MM',
    files: { 'cloud-config.yml': VALID },
    args: ['cloud-config.yml', '--release', 'unstable'],
    stderr: [
      'nixport: error: --release "unstable": expected a NixOS release as YY.MM, e.g. 26.05',
      '  hint: NixOS releases are named by year and month (25.11, 26.05); leave --release out to pin 26.05',
    ],
  },
  ...['26', '2026.05', '26.5', '26.13', ''].map(
    (release): Refusal => ({
      name: `the release ${JSON.stringify(release)}`,
      files: { 'cloud-config.yml': VALID },
      args: ['cloud-config.yml', `--release=${release}`],
      stderr: [
        `nixport: error: --release ${JSON.stringify(release)}: expected a NixOS release as YY.MM, e.g. 26.05`,
        '  hint: NixOS releases are named by year and month (25.11, 26.05); leave --release out to pin 26.05',
      ],
    }),
  ),
  {
    name: 'a host name with a domain',
    files: { 'cloud-config.yml': VALID },
    args: ['cloud-config.yml', '--host', 'storage2.example.com'],
    stderr: [
      'nixport: error: --host "storage2.example.com": expected one DNS label (letters and digits, `-` or `_` inside, at most 63 characters, no dots)',
      '  hint: networking.hostName takes no domain; pass --host storage2',
    ],
  },
  ...['', '-nas', 'nas-', 'my nas', 'n'.repeat(64)].map(
    (host): Refusal => ({
      name: `the host name ${JSON.stringify(host.length > 10 ? `${host.slice(0, 3)}...(${host.length})` : host)}`,
      files: { 'cloud-config.yml': VALID },
      args: ['cloud-config.yml', `--host=${host}`],
      stderr: [
        `nixport: error: --host ${JSON.stringify(host)}: expected one DNS label (letters and digits, \`-\` or \`_\` inside, at most 63 characters, no dots)`,
        '  hint: the name becomes networking.hostName and nixosConfigurations.<name>; e.g. --host storage2',
      ],
    }),
  ),
];

describe.concurrent('nixport convert refuses, exit 2, writes nothing', () => {
  it.for([...INPUTS, ...FLAGS])('$name', async ({ files, args, stderr }, test) => {
    const dir = scratchFor(test, files);
    const r = await nixport(dir, 'convert', ...args, '-o', 'out');
    expect(r.stderr.split('\n')).toEqual([...stderr, '']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expectNoStackTrace(r.stderr);
    expectNothingWritten(dir, 'out');
  });

  it('a missing -o: commander says so, with a hint', async (test) => {
    const dir = scratchFor(test, { 'cloud-config.yml': VALID });
    const r = await nixport(dir, 'convert', 'cloud-config.yml');
    expect(r.stderr).toBe(
      "nixport: error: required option '-o, --out <dir>' not specified\n  hint: run `nixport convert --help` for its options\n",
    );
    expect(r.status).toBe(2);
    expectNoStackTrace(r.stderr);
  });

  it('an unknown command: commander suggests the right one', async (test) => {
    const dir = scratchFor(test, { 'cloud-config.yml': VALID });
    const r = await nixport(dir, 'convrt', 'cloud-config.yml', '-o', 'out');
    expect(r.stderr.split('\n').slice(0, 1)).toEqual(["nixport: error: unknown command 'convrt'"]);
    expect(r.stderr).toContain('(Did you mean convert?)');
    expect(r.status).toBe(2);
    expectNoStackTrace(r.stderr);
    expectNothingWritten(dir, 'out');
  });

  it('one unreadable file among good ones refuses the whole run', async (test) => {
    const dir = scratchFor(test, { 'host/cloud-config.yml': VALID, 'host/web.service': bad('garbage.service') });
    const r = await nixport(dir, 'convert', 'host', '-o', 'out');
    expect(r.stderr.split('\n')[0]).toBe(
      'nixport: error: host/web.service:1:1: web.service is not a unit file: expected `[Section]` or `Key=value`, found `this is not a unit file`',
    );
    expect(r.status).toBe(2);
    expectNothingWritten(dir, 'out');
  });

  it('explain refuses the same input the same way', async (test) => {
    const dir = scratchFor(test, { 'x.yml': bad('no-header.yml') });
    const r = await nixport(dir, 'explain', 'x.yml');
    expect(r.stderr.split('\n')[0]).toBe('nixport: error: x.yml:1:1: expected `#cloud-config` on the first line, found `hostname: box`');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });
});
