/**
 * Validation against the Compose Specification's JSON schema, as Docker
 * Compose validates every file it loads. The schema is data
 * (schema/compose-spec.json; schema/README.md names its source, version
 * and licence); ajv checks it. Each error is put onto the file, line and
 * column of the value or key it is about.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { InputError } from '../../model/diagnostic.ts';
import { locate, toJS, type CNode } from './node.ts';
import schemaJson from './schema/compose-spec.json' with { type: 'json' };
import { editDistance } from '../../model/edit-distance.ts';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  // The schema names draft-07 by an https URI ajv does not know by that spelling; it is draft-07 all the same.
  const { $schema: _draft, ...schema } = schemaJson as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
  compiled = ajv.compile(schema);
  return compiled;
}

/** Throws an InputError for the first schema violation (the most specific one), with its position. */
export function validateCompose(root: CNode): void {
  const validate = validator();
  if (validate(toJS(root))) return;
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  const best = pickError(errors.length > 0 ? errors : (validate.errors ?? []));
  if (!best) return;
  throw schemaError(root, best);
}

/** The deepest error wins; at equal depth an unknown key says most, then a wrong type. */
function pickError(errors: readonly ErrorObject[]): ErrorObject | undefined {
  const rank = (e: ErrorObject) => (e.keyword === 'additionalProperties' ? 0 : e.keyword === 'required' ? 1 : e.keyword === 'type' ? 3 : 2);
  let best: ErrorObject | undefined;
  for (const e of errors) {
    if (!best) {
      best = e;
      continue;
    }
    const d = depth(e) - depth(best);
    if (d > 0 || (d === 0 && rank(e) < rank(best))) best = e;
  }
  return best;
}

function depth(e: ErrorObject): number {
  return e.instancePath === '' ? 0 : e.instancePath.split('/').length - 1 + (e.keyword === 'additionalProperties' ? 1 : 0);
}

function pathOf(e: ErrorObject): string[] {
  return e.instancePath === '' ? [] : e.instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function schemaError(root: CNode, e: ErrorObject): InputError {
  const path = pathOf(e);
  const at = locate(root, path);
  const dotted = path.join('.') || 'the file';
  if (e.keyword === 'additionalProperties') {
    const key = String((e.params as { additionalProperty?: string }).additionalProperty ?? '');
    const found = locate(root, [...path, key]);
    const origin = found.depth === path.length + 1 && found.keyOrigin ? found.keyOrigin : at.node.origin;
    const known = knownKeys(e);
    const near = closest(key, known);
    return new InputError({
      code: 'compose/unknown-key',
      message: `${dotted}: \`${key}\` is not a key the Compose Specification knows here`,
      origin,
      hint: near ? `did you mean \`${near}\`? (extension keys start with \`x-\`)` : 'check the spelling against the Compose Specification; extension keys start with `x-`',
    });
  }
  if (e.keyword === 'required') {
    const missing = String((e.params as { missingProperty?: string }).missingProperty ?? '');
    return new InputError({ code: 'compose/schema', message: `${dotted}: \`${missing}\` is required here`, origin: at.node.origin, hint: `add \`${missing}:\`` });
  }
  const origin = at.depth === path.length ? at.node.origin : (at.keyOrigin ?? at.node.origin);
  const expected = e.keyword === 'type' ? `expected ${String((e.params as { type?: unknown }).type).replace(',', ' or ')}` : (e.message ?? 'invalid value');
  return new InputError({
    code: 'compose/schema',
    message: `${dotted}: ${expected}${e.keyword === 'enum' ? ` (${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).join(', ')})` : ''}`,
    origin,
    hint: `see the Compose Specification for \`${path.filter((p) => !/^\d+$/.test(p)).slice(-1)[0] ?? 'the file'}\`; Docker Compose refuses this file too`,
  });
}

/** The keys the schema allows where an unknown one was found, for a "did you mean". */
function knownKeys(e: ErrorObject): string[] {
  const parent = e.parentSchema as { properties?: Record<string, unknown> } | undefined;
  return Object.keys(parent?.properties ?? {});
}

function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(key, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}
