/**
 * The Container Linux Config reader: the YAML Flatcar's `ct` (and CoreOS's
 * before it) transpiles to Ignition spec 2.3.0. ct decodes it with go-yaml v3
 * into types that mirror Ignition's, so it is read like Butane: into the
 * shared config shape, with ct's own key table (spec.ts), by the builder the
 * Ignition reader uses; its own sections are read in sections.ts.
 */
import { isMap } from 'yaml';
import { InputError } from '../../model/diagnostic.ts';
import type { Ledger } from '../../model/ledger.ts';
import type { Origin } from '../../model/origin.ts';
import { yamlConfigNode } from '../butane/node.ts';
import { buildContribution } from '../ignition/build/config.ts';
import type { LocalFiles } from '../ignition/build/context.ts';
import { SpecWalker } from '../ignition/walker.ts';
import type { Contribution } from '../types.ts';
import { deref, describe, originOf, parseYaml } from '../yaml.ts';
import { readClcSections } from './sections.ts';
import { CLC_DIALECT } from './spec.ts';

/** Alias expansions allowed in one file; real configs use a handful. */
const MAX_ALIAS_COUNT = 100;

export function readContainerLinuxConfig(path: string, text: string, ledger: Ledger, locals?: LocalFiles): Contribution {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  // go-yaml v3, as in Butane: scalars are typed from their text per field (see butane/node.ts).
  const src = parseYaml(path, body, { version: '1.2', code: 'clc', maxAliasCount: MAX_ALIAS_COUNT });
  const root = deref(src, src.doc.contents);
  const start: Origin = { file: path, line: 1, column: 1 };
  // An empty config: ct warns and writes an empty Ignition config.
  if (root === null) return { format: 'container-linux-config' };
  if (!isMap(root)) {
    throw new InputError({
      code: 'clc/not-a-mapping',
      message: `expected a Container Linux Config (a mapping with storage:, systemd:, passwd:, ...) at the top level, found ${describe(root)}`,
      origin: originOf(src, root),
      hint: 'A Container Linux Config is a YAML mapping; check that the top-level keys start at column 1 and end with `:`.',
    });
  }
  const w = new SpecWalker(CLC_DIALECT, ledger);
  const ctx = { w, ledger, file: path, ...(locals ? { locals } : {}) };
  return buildContribution(ctx, yamlConfigNode(src, root, '', start, 'clc'), 'container-linux-config', (top, units) => readClcSections(ctx, top, units));
}
