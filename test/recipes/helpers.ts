import type { ConvertOptions } from '../../src/options.ts';
import type { ServiceMigration } from '../../src/strategies/native/types.ts';
import { cloudConfig, convertFiles, type Converted } from '../strategies/convert-helpers.ts';

/**
 * Stage-3 conversions for the recipe tests: a unit that runs one container
 * (a cloud-config unit, as CoreOS hosts had them) or a `docker run`
 * command line (`--docker-run`), converted with `--stage native`.
 */

export function nativeUnits(units: Readonly<Record<string, string>>, options: ConvertOptions = {}, top = ''): Converted {
  const entries = Object.fromEntries(Object.entries(units).map(([name, content]) => [name, { content, extra: 'command: start' }]));
  return convertFiles({ 'cloud-config.yml': cloudConfig(entries, top) }, { stage: 'native', ...options });
}

export function nativeDockerRun(commands: readonly string[], options: ConvertOptions = {}): Converted {
  const files = Object.fromEntries(commands.map((c, i) => [i === 0 ? '--docker-run' : `--docker-run#${i + 1}`, c]));
  return convertFiles(files, { stage: 'native', ...options });
}

/** A unit running one container, as the post's units do. */
export function containerUnit(run: string, extra: { readonly unit?: string; readonly service?: string } = {}): string {
  return [
    '[Unit]',
    'After=docker.service',
    'Requires=docker.service',
    ...(extra.unit ? [extra.unit] : []),
    '',
    '[Service]',
    'Restart=always',
    ...(extra.service ? [extra.service] : []),
    `ExecStart=/usr/bin/docker run --rm ${run}`,
  ].join('\n');
}

export function migrationOf(c: Converted, service: string): ServiceMigration {
  const m = c.report.migrations?.find((x) => x.service === service);
  if (!m) throw new Error(`no migration for ${service}; have ${(c.report.migrations ?? []).map((x) => x.service).join(', ')}`);
  return m;
}

/** Diagnostics of a code, as `message` lines. */
export function diagnostics(c: Converted, code: string): string[] {
  return c.report.diagnostics.filter((d) => d.code === code).map((d) => d.message);
}

/** Every item settled: nothing lost silently (invariant 1). */
export function unaccounted(c: Converted): string[] {
  return c.report.items.filter((i) => i.fate.kind === 'unaccounted').map((i) => `${i.origin.file}:${i.origin.line} ${i.label}`);
}
