/**
 * The CoreOS/Flatcar cloud-config reader (coreos-cloudinit's dialect, YAML 1.1).
 * See walker.ts for which keys become ledger items and who settles them.
 */
import { isMap } from 'yaml';
import { InputError } from '../../model/diagnostic.ts';
import type { AuthorizedKey, HostFile, User } from '../../model/host.ts';
import type { Ledger } from '../../model/ledger.ts';
import type { Origin } from '../../model/origin.ts';
import type { Located } from '../../model/unit.ts';
import type { Contribution, UnitText } from '../types.ts';
import { deref, describe, originOf, parseYaml } from '../yaml.ts';
import { readFiles } from './files.ts';
import { readUnits } from './units.ts';
import { readLocksmith, readUpdate } from './update.ts';
import type { UpdateFields } from './update.ts';
import { CORE_USER, readAuthorizedKeyList, readUsers } from './users.ts';
import { CloudConfigWalker } from './walker.ts';

export const CLOUD_CONFIG_HEADER = '#cloud-config';

/** Alias expansions allowed in one file; real configs use a handful. */
const MAX_ALIAS_COUNT = 100;

/**
 * Other kinds of user data coreos-cloudinit or cloud-init take, recognised by
 * their first line so the error can say what the file is.
 */
const OTHER_USER_DATA: readonly { readonly test: RegExp; readonly hint: string }[] = [
  {
    test: /^\s*\{/,
    hint: 'This looks like an Ignition config (JSON); nixport reads the cloud-config or Butane YAML it came from.',
  },
  {
    test: /^variant:/,
    hint: 'This looks like a Butane config; nixport reads it as Butane, not as cloud-config.',
  },
  {
    test: /^#\s*cloud-config\s*$/i,
    hint: 'Write the first line exactly as `#cloud-config` (lower case, no space after `#`).',
  },
  {
    test: /^#(include|cloud-boothook|upstart-job|part-handler|cloud-config-archive)/,
    hint: 'coreos-cloudinit does not run this kind of cloud-init user data; port what it does by hand.',
  },
  {
    test: /^Content-Type:/i,
    hint: 'Multipart user data is not supported; split out the #cloud-config part into its own file.',
  },
];

export function readCloudConfig(path: string, text: string, ledger: Ledger): Contribution {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const firstLine = body.split('\n', 1)[0]?.replace(/[ \t\r]+$/, '') ?? '';
  const start: Origin = { file: path, line: 1, column: 1 };
  if (firstLine.startsWith('#!')) return userDataScript(path, firstLine, start, ledger);
  if (firstLine !== CLOUD_CONFIG_HEADER) throw missingHeader(firstLine, body, start);

  const src = parseYaml(path, body, { version: '1.1', code: 'cloud-config', maxAliasCount: MAX_ALIAS_COUNT });
  const root = deref(src, src.doc.contents);
  // Only the header: coreos-cloudinit has nothing to do, and neither has nixport.
  if (root === null) return { format: 'cloud-config' };
  if (!isMap(root)) {
    throw new InputError({
      code: 'cloud-config/not-a-mapping',
      message: `expected a mapping of keys (hostname:, users:, coreos:, ...) at the top level, found ${describe(root)}`,
      origin: originOf(src, root),
      hint: 'A cloud-config is a YAML mapping; check that the top-level keys start at column 1 and end with `:`.',
    });
  }

  const w = new CloudConfigWalker(src, ledger);
  let hostname: Located<string> | undefined;
  const units: UnitText[] = [];
  const files: HostFile[] = [];
  const users: User[] = [];
  const keys: AuthorizedKey[] = [];
  const update: UpdateFields = {};
  w.walk(root, '', '', undefined, {
    hostname: (e, l) => {
      hostname = w.string(e, l, undefined);
    },
    users: (e, l) => {
      const read = readUsers(w, e, l);
      users.push(...read.users);
      keys.push(...read.keys);
    },
    ssh_authorized_keys: (e, l) => {
      keys.push(...readAuthorizedKeyList(w, e, l, CORE_USER, undefined));
    },
    write_files: (e, l) => {
      files.push(...readFiles(w, e, l));
    },
    coreos: (e, l) => {
      const coreos = w.mapping(e, l, undefined);
      if (!coreos) return;
      w.walk(coreos, 'coreos', l, undefined, {
        units: (u, ul) => units.push(...readUnits(w, u, ul)),
        update: (u, ul) => readUpdate(w, u, ul, update),
        locksmith: (u, ul) => readLocksmith(w, u, ul, update),
      });
    },
  });
  return {
    format: 'cloud-config',
    ...(hostname ? { hostname } : {}),
    units,
    files,
    users,
    authorizedKeys: keys,
    ...(Object.keys(update).length > 0 ? { update } : {}),
  };
}

/**
 * A `#!` user-data script: coreos-cloudinit ran it once per boot. It is
 * valid input that nixport cannot translate, so it is reported, not thrown.
 */
function userDataScript(path: string, firstLine: string, origin: Origin, ledger: Ledger): Contribution {
  const item = ledger.item('file', path, origin);
  const reason =
    `a user-data script (${firstLine.slice(0, 40)}), not a cloud-config: ` +
    'coreos-cloudinit ran it at boot, and nixport does not translate scripts';
  ledger.unsupported(item, reason);
  ledger.report('warning', 'cloud-config/script', `${path} is ${reason}`, origin, 'Port what the script does by hand; see the manual steps.');
  ledger.manual({
    order: 10,
    title: `Port the user-data script ${path} by hand`,
    detail:
      'The old host ran this script at every boot. Express what it sets up as NixOS options where they exist, ' +
      'or keep it as a oneshot service (systemd.services.<name> with serviceConfig.Type = "oneshot", ' +
      'wantedBy = [ "multi-user.target" ] and script = the script body), then check it on a VM first.',
    origin,
  });
  return { format: 'cloud-config' };
}

function missingHeader(firstLine: string, body: string, origin: Origin): InputError {
  const shown = firstLine === '' ? 'an empty line' : `\`${firstLine.length > 40 ? `${firstLine.slice(0, 40)}…` : firstLine}\``;
  const later = body.split('\n').findIndex((l) => l.replace(/[ \t\r]+$/, '') === CLOUD_CONFIG_HEADER);
  const hint =
    body.trim() === ''
      ? 'The file is empty; a cloud-config starts with the line `#cloud-config`.'
      : later > 0
        ? `\`#cloud-config\` is on line ${later + 1}; coreos-cloudinit only looks at the first line, so move it to the top.`
        : (OTHER_USER_DATA.find((o) => o.test.test(firstLine))?.hint ??
          'coreos-cloudinit only reads user data whose first line is `#cloud-config`; add that line if this file is a cloud-config.');
  return new InputError({
    code: 'cloud-config/missing-header',
    message: `expected \`#cloud-config\` on the first line, found ${body.trim() === '' ? 'an empty file' : shown}`,
    origin,
    hint,
  });
}
