/**
 * The project name, by Docker Compose's order: `-p`, then
 * COMPOSE_PROJECT_NAME (from the env file), then the top-level `name:`,
 * then the project directory's name. Names given explicitly must already be
 * valid; a directory name is made valid (lower case, only a-z 0-9 _ -).
 * Compose prefixes networks, volumes and containers with it.
 */
import { InputError } from '../../model/diagnostic.ts';
import type { Origin } from '../../model/origin.ts';
import type { Lookup } from './interpolate.ts';
import type { ComposeOptions } from './load.ts';
import { child, text, type CMap } from './node.ts';

export interface ProjectName {
  readonly value: string;
  /** Where it came from, for the report. */
  readonly from: string;
  readonly origin?: Origin;
}

const VALID = /^[a-z0-9][a-z0-9_-]*$/;

export function projectName(model: CMap, directory: string, options: ComposeOptions, lookup: Lookup): ProjectName {
  if (options.projectName !== undefined) return explicit(options.projectName, '-p');
  const env = lookup('COMPOSE_PROJECT_NAME');
  if (env !== undefined && env !== '') return explicit(env, 'COMPOSE_PROJECT_NAME');
  const node = child(model, 'name');
  const named = text(node);
  if (named !== undefined && named !== '') return explicit(named, 'the top-level `name:`', node!.origin);
  const base = directory === '' ? (options.workingDirectoryName ?? '') : directory.slice(directory.lastIndexOf('/') + 1);
  const value = base.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[_-]+/, '');
  if (value === '') return { value: 'compose', from: 'nixport\'s default: the project directory gives no usable name' };
  return { value, from: `the project directory \`${base}\`` };
}

function explicit(value: string, from: string, origin?: Origin): ProjectName {
  if (!VALID.test(value)) {
    throw new InputError({
      code: 'compose/project-name',
      message: `the project name \`${value}\` (from ${from}) is not valid`,
      ...(origin ? { origin } : {}),
      hint: 'a project name has lower-case letters, digits, `-` and `_`, and starts with a letter or digit',
    });
  }
  return origin ? { value, from, origin } : { value, from };
}
