/**
 * Runs the bundled CLI as a person would: `node dist/nixport.js ...` in a
 * scratch directory. The bundle is built once, when it is missing or older
 * than a source file; test files that start together wait for one build.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = join(ROOT, 'dist', 'nixport.js');
export const EXAMPLE = join(ROOT, 'examples', 'storage2');
export const BAD = join(ROOT, 'test', 'fixtures', 'bad');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function bundleIsFresh(): boolean {
  if (!existsSync(CLI)) return false;
  const sources = Math.max(newestSource(join(ROOT, 'src')), newestSource(join(ROOT, 'scripts')));
  return statSync(CLI).mtimeMs >= sources;
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Builds dist/ unless it is up to date. A lock directory keeps parallel test files from building at once. */
export function ensureBuilt(): void {
  if (bundleIsFresh()) return;
  // Inside dist/, which git ignores.
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const lock = join(ROOT, 'dist', '.build-lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${lock} is held for two minutes; remove it if no build is running`);
      sleep(100);
    }
  }
  try {
    if (bundleIsFresh()) return;
    const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`);
  } finally {
    rmdirSync(lock);
  }
}

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** A scratch directory; `files` are written into it (relative paths; strings or raw bytes). */
export function scratch(files: Readonly<Record<string, string | Uint8Array>> = {}): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'nixport-cli-')));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

export function removeScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** `nixport ...args` with `cwd` as the working directory. */
export function nixport(cwd: string, ...args: string[]): Promise<Run> {
  return nixportWith({ cwd }, ...args);
}

/** The same, with `env` (e.g. PATH) laid over the test's environment. */
export function nixportWith(options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv }, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // A hang is a failure too (e.g. a mkdir that spins), not a stuck suite.
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

/** A scratch directory for one test, removed when the test finishes. */
export function scratchFor(test: { onTestFinished(fn: () => void): void }, files: Readonly<Record<string, string | Uint8Array>> = {}): string {
  const dir = scratch(files);
  test.onTestFinished(() => removeScratch(dir));
  return dir;
}

/** No stack trace, no Node error name: only what nixport chose to say. */
export function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/\b[A-Z]\w*Error\b/);
  expect(stderr).not.toContain('node:internal');
  expect(stderr).not.toMatch(/internal error/);
}

/** `out` (relative to `dir`) does not exist, and no temporary output is left beside it. */
export function expectNothingWritten(dir: string, out: string): void {
  expect(existsSync(join(dir, out))).toBe(false);
  expect(readdirSync(dirname(join(dir, out))).filter((n) => n.includes('.nixport-'))).toEqual([]);
}

/** Every file under `dir` (relative path -> bytes), for comparing whole outputs. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else out.set(rel, readFileSync(join(dir, rel)));
    }
  };
  walk('');
  return out;
}
