/**
 * The Ignition reader: JSON configs of spec 2.0.0–2.4.0 (Flatcar, RHCOS 4.5
 * and older) and 3.0.0–3.6.0 (Fedora CoreOS, Flatcar, RHCOS). The spec
 * version in `ignition.version` decides which keys exist; the shared
 * builder (build/config.ts) maps the config onto the Host.
 */
import { InputError } from '../../model/diagnostic.ts';
import type { Ledger } from '../../model/ledger.ts';
import type { Contribution } from '../types.ts';
import { buildContribution } from './build/config.ts';
import { parseJson, type JsonNode, type JsonObject } from './json.ts';
import { jsonConfigNode } from './node.ts';
import { SpecWalker } from './walker.ts';
import { IGNITION_VERSIONS, ignitionVersion } from './versions.ts';

export function readIgnition(path: string, text: string, ledger: Ledger): Contribution {
  const doc = parseJson(path, text);
  const root = doc.root;
  if (root.type !== 'object') {
    throw new InputError({
      code: 'ignition/not-an-object',
      message: `expected an Ignition config (a JSON object) at /, found ${describe(root)}`,
      origin: doc.origin(root.start),
      hint: 'An Ignition config is an object such as {"ignition": {"version": "3.4.0"}, "storage": {...}}.',
    });
  }
  const version = specVersion(root, doc.origin);
  const w = new SpecWalker({ name: 'ignition', version }, ledger);
  return buildContribution({ w, ledger, file: path }, jsonConfigNode(doc, root), 'ignition');
}

const SUPPORTED_HINT = `nixport reads Ignition spec ${IGNITION_VERSIONS.join(', ')}.`;

function specVersion(root: JsonObject, origin: (offset: number) => { file: string; line: number; column: number }): number {
  const legacy = root.members.find((m) => m.key === 'ignitionVersion');
  const ignition = root.members.find((m) => m.key === 'ignition')?.value;
  if (!ignition) {
    throw new InputError({
      code: 'ignition/unknown-version',
      message: legacy
        ? 'this is an Ignition spec 1 config (`ignitionVersion`), which nixport does not read'
        : 'the config has no `ignition` object, so its spec version is unknown',
      origin: origin((legacy?.keyStart ?? root.start)),
      hint: legacy
        ? `Translate it to spec 2.x or 3.x first (ignition-validate, or the CoreOS config transpilers). ${SUPPORTED_HINT}`
        : `Add "ignition": {"version": "3.4.0"} (the version the config was written for). ${SUPPORTED_HINT}`,
    });
  }
  if (ignition.type !== 'object') {
    throw new InputError({
      code: 'ignition/unknown-version',
      message: `/ignition must be an object with \`version\`, found ${describe(ignition)}`,
      origin: origin(ignition.start),
      hint: SUPPORTED_HINT,
    });
  }
  const member = ignition.members.find((m) => m.key === 'version');
  const value = member?.value;
  const written = value?.type === 'string' ? value.value : undefined;
  const version = written === undefined ? undefined : ignitionVersion(written);
  if (version === undefined) {
    throw new InputError({
      code: 'ignition/unknown-version',
      message:
        written !== undefined
          ? `/ignition/version is \`${written}\`, a spec version nixport does not read`
          : value
            ? `/ignition/version must be a string such as "3.4.0", found ${describe(value)}`
            : '/ignition has no `version`, so the spec version is unknown',
      origin: origin(value?.start ?? member?.keyStart ?? ignition.start),
      hint: /experimental/.test(written ?? '')
        ? `Experimental specs change without notice; use the stable version it became. ${SUPPORTED_HINT}`
        : SUPPORTED_HINT,
    });
  }
  return version;
}

function describe(node: JsonNode): string {
  switch (node.type) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return 'a string';
    default:
      return node.type === 'null' ? 'null' : `the ${node.type} ${node.text}`;
  }
}
