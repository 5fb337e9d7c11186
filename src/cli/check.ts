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

/** Exit code 3, a nixport bug: generated Nix that does not parse (`--check`), or any internal error. */
export const EXIT_BUG = 3;

/**
 * Runs `--check` and says it on stderr: the exit code the run ends with
 * (`exit` as it was, or EXIT_BUG when a generated file does not parse).
 */
export function reportNixCheck(files: readonly OutputFile[], exit: number): number {
  const check = checkWithNix(files);
  if (!check.ran) {
    process.stderr.write('nixport: --check skipped: nix-instantiate is not installed\n');
    return exit;
  }
  if (check.failures.length === 0) return exit;
  for (const f of check.failures) process.stderr.write(`nixport: --check: ${f}\n`);
  process.stderr.write('nixport: generated Nix did not parse; this is a nixport bug, please report it\n');
  return EXIT_BUG;
}
