/**
 * The Butane reader: YAML configs of the `fcos` (1.0.0–1.7.0) and `flatcar`
 * (1.0.0–1.1.0) variants. Butane transpiles to Ignition; nixport reads the
 * YAML into the same config shape and hands it to the shared builder of the
 * Ignition reader, so both give the same Host.
 */
import { isMap, isScalar } from 'yaml';
import { InputError } from '../../model/diagnostic.ts';
import type { Ledger } from '../../model/ledger.ts';
import type { Origin } from '../../model/origin.ts';
import { buildContribution } from '../ignition/build/config.ts';
import type { LocalFiles } from '../ignition/build/context.ts';
import { SpecWalker } from '../ignition/walker.ts';
import { BUTANE_SPECS, butaneSpec, type ButaneSpec } from '../ignition/versions.ts';
import type { Contribution } from '../types.ts';
import { deref, describe, mapEntries, originOf, parseYaml, scalarText } from '../yaml.ts';
import type { YamlSource } from '../yaml.ts';
import { yamlConfigNode } from './node.ts';

/** Alias expansions allowed in one file; real configs use a handful. */
const MAX_ALIAS_COUNT = 100;

const VARIANTS = [...new Set(BUTANE_SPECS.map((s) => s.variant))];

/** Butane variants nixport does not read, and why. */
const OTHER_VARIANTS: Readonly<Record<string, string>> = {
  openshift: 'OpenShift MachineConfigs are managed by the cluster, not migrated host by host',
  r4e: 'RHEL for Edge is not a source nixport reads',
  fiot: 'Fedora IoT is not a source nixport reads',
  rhcos: 'the rhcos variant was removed from Butane (it is openshift now)',
};

export function readButane(path: string, text: string, ledger: Ledger, locals?: LocalFiles): Contribution {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  // go-yaml v3 is closer to YAML 1.2; scalars are typed from their text per field (see node.ts).
  const src = parseYaml(path, body, { version: '1.2', code: 'butane', maxAliasCount: MAX_ALIAS_COUNT });
  const root = deref(src, src.doc.contents);
  const start: Origin = { file: path, line: 1, column: 1 };
  if (!isMap(root)) {
    throw new InputError({
      code: 'butane/not-a-mapping',
      message: `expected a Butane config (a mapping with variant:, version:, ...) at the top level, found ${describe(root)}`,
      origin: root === null ? start : originOf(src, root),
      hint: 'A Butane config starts with `variant: fcos` (or flatcar) and `version: 1.5.0`, each at column 1.',
    });
  }
  const spec = specOf(src, root, start);
  const w = new SpecWalker({ name: 'butane', version: spec.ignition, variant: spec.variant, minor: spec.minor }, ledger);
  return buildContribution({ w, ledger, file: path, ...(locals ? { locals } : {}) }, yamlConfigNode(src, root, '', start), 'butane');
}

function specOf(src: YamlSource, root: Parameters<typeof mapEntries>[1], start: Origin): ButaneSpec {
  const entries = mapEntries(src, root, (k) => k, 'butane');
  const field = (key: string) => {
    const entry = entries.find((e) => e.key === key);
    const value = entry?.value;
    return { entry, text: isScalar(value) && !(value.value instanceof Uint8Array) ? scalarText(value) : undefined };
  };
  const variant = field('variant');
  const version = field('version');
  const supported = BUTANE_SPECS.map((s) => `${s.variant} ${s.version}`).join(', ');
  if (variant.text === undefined || !VARIANTS.includes(variant.text as ButaneSpec['variant'])) {
    const other = variant.text === undefined ? undefined : OTHER_VARIANTS[variant.text];
    throw new InputError({
      code: 'butane/unknown-version',
      message:
        variant.text === undefined
          ? 'the Butane config has no `variant`, so its spec is unknown'
          : `variant \`${variant.text}\` is not one nixport reads${other ? `: ${other}` : ''}`,
      origin: variant.entry?.value ? originOf(src, variant.entry.value) : (variant.entry?.origin ?? start),
      hint: `Set \`variant:\` to ${VARIANTS.join(' or ')}. nixport reads Butane ${supported}.`,
    });
  }
  const spec = version.text === undefined ? undefined : butaneSpec(variant.text, version.text);
  if (!spec) {
    const versions = BUTANE_SPECS.filter((s) => s.variant === variant.text).map((s) => s.version);
    throw new InputError({
      code: 'butane/unknown-version',
      message:
        version.text === undefined
          ? 'the Butane config has no `version`, so its spec is unknown'
          : `version \`${version.text}\` is not a ${variant.text} spec nixport reads`,
      origin: version.entry?.value ? originOf(src, version.entry.value) : (version.entry?.origin ?? start),
      hint: /experimental/.test(version.text ?? '')
        ? `Experimental specs change without notice; use a stable one: ${versions.join(', ')}.`
        : `The ${variant.text} variant has versions ${versions.join(', ')}.`,
    });
  }
  return spec;
}
