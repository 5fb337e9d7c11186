import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../src/model/diagnostic.ts';
import { Ledger } from '../../src/model/ledger.ts';
import { formatOrigin } from '../../src/model/origin.ts';
import type { ConvertOptions } from '../../src/options.ts';
import { composeFiles } from '../../src/sources/compose/files.ts';
import { loadProject, type ComposeOptions, type LoadedProject } from '../../src/sources/compose/load.ts';
import { toJS } from '../../src/sources/compose/node.ts';
import { convertFiles, type Converted } from '../strategies/convert-helpers.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * compose2nix's test inputs, read where the workspace keeps them
 * (`../shared/peers/compose2nix/testdata` from the repository root), never
 * copied into the repository. A clone of the repository alone (CI) does not
 * have that folder: the peer tests skip there, unless NIXPORT_REQUIRE_PEERS=1,
 * which makes a missing folder a failure.
 */
export const PEER_DIR = resolve(ROOT, '../shared/peers/compose2nix/testdata');

export function peersMissing(env: NodeJS.ProcessEnv = process.env): boolean {
  if (existsSync(PEER_DIR)) return false;
  if (env['NIXPORT_REQUIRE_PEERS'] === '1') throw new Error(`NIXPORT_REQUIRE_PEERS=1 but the compose2nix test inputs are not at ${PEER_DIR}`);
  console.warn(`skipping the compose2nix peer suite: ${PEER_DIR} does not exist (set NIXPORT_REQUIRE_PEERS=1 to make this a failure)`);
  return true;
}

/** The peer suite's Compose files and env files, as inputs named `testdata/<file>`. */
export function peerFiles(): { readonly compose: string[]; readonly all: Record<string, string> } {
  const all: Record<string, string> = {};
  for (const f of readdirSync(PEER_DIR)) all[`testdata/${f}`] = readFileSync(join(PEER_DIR, f), 'utf8');
  return { compose: Object.keys(all).filter((f) => f.endsWith('.yml')).sort(), all };
}

/** Converts Compose files (path -> text) at stage 2. */
export function convertCompose(files: Readonly<Record<string, string>>, options: ConvertOptions = {}): Converted {
  return convertFiles(files, { host: 'box', stage: 'oci', ...options });
}

/** Loads a project from in-memory files, as the reader does. */
export function load(files: Readonly<Record<string, string>>, paths: readonly string[], options: ComposeOptions = {}): LoadedProject & { readonly ledger: Ledger; readonly js: Record<string, unknown> } {
  const ledger = new Ledger();
  const fs = composeFiles(Object.entries(files).map(([path, content]) => ({ path, content })));
  const project = loadProject(paths, fs, ledger, options);
  return { ...project, ledger, js: toJS(project.model) as Record<string, unknown> };
}

/** The InputError a load throws, as `file:line:col: message`. */
export function loadError(files: Readonly<Record<string, string>>, paths: readonly string[], options: ComposeOptions = {}): string {
  try {
    load(files, paths, options);
  } catch (e) {
    if (e instanceof InputError) return `${e.diagnostic.origin ? formatOrigin(e.diagnostic.origin) : '-'}: ${e.diagnostic.message}`;
    throw e;
  }
  throw new Error('expected the project to be refused');
}

/** A container option of the converted configuration. */
export function container(c: Converted, name: string): Record<string, unknown> {
  return c.option('virtualisation', 'oci-containers', 'containers', name) as Record<string, unknown>;
}

export function unit(c: Converted, name: string): Record<string, unknown> {
  return c.option('systemd', 'services', name) as Record<string, unknown>;
}

export function codes(c: Converted): string[] {
  return c.report.diagnostics.map((d) => d.code);
}
