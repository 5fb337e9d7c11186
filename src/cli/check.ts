import { spawnSync } from 'node:child_process';
import type { OutputFile } from '../layout/index.ts';

export type CheckResult = { readonly ran: false } | { readonly ran: true; readonly failures: readonly string[] };

/** `--check`: every written .nix file must parse with the real Nix parser. */
export function checkWithNix(files: readonly OutputFile[]): CheckResult {
  const probe = spawnSync('nix-instantiate', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { ran: false };
  const failures: string[] = [];
  for (const file of files) {
    if (!file.path.endsWith('.nix')) continue;
    const r = spawnSync('nix-instantiate', ['--parse', '-'], {
      input: typeof file.content === 'string' ? file.content : Buffer.from(file.content),
      encoding: 'utf8',
    });
    if (r.status !== 0) failures.push(`${file.path}: ${r.stderr.trim()}`);
  }
  return { ran: true, failures };
}
