/**
 * `--update`: the file side of src/update/plan.ts. Reads the output
 * directory, refuses one that is not a nixport output before anything is
 * written, then writes each changed file whole (a temporary file renamed
 * over it) and removes the files nixport no longer writes. In place, not a
 * swapped directory: the flake is usually a git checkout the user works in.
 */
import { readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { OutputFile } from '../layout/index.ts';
import { isSecretPath } from '../layout/secrets.ts';
import { planUpdate, type KeptWhy, type UpdatePlan } from '../update/plan.ts';
import { UsageError } from './usage-error.ts';
import { fsStep, makeDirectoryFor, refuseLinkedParents, safeRelative } from './write.ts';

/** Never read: version control, and the links `nix build` leaves. */
const SKIP = new Set(['.git', '.hg', '.svn', 'node_modules']);

export async function updateOutput(dir: string, files: readonly OutputFile[]): Promise<UpdatePlan> {
  const target = resolve(dir);
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new UsageError(`${dir} does not exist; --update converts again into a flake nixport wrote before`, 'leave out --update to write a new flake');
  if (!info.isDirectory()) throw new UsageError(`${dir} is not a directory`, 'name the directory nixport wrote before with -o');
  const existing = new Map<string, Uint8Array>();
  await fsStep(dir, () => readTree(target, '', existing));
  const plan = planUpdate(dir, existing, withoutDeletedSecrets(existing, files));
  if ('refused' in plan) throw new UsageError(plan.refused, plan.hint);

  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  await fsStep(dir, async () => {
    for (const file of [...plan.write.map((f) => f.path), ...plan.remove]) await refuseLinkedParents(target, safeRelative(file), dir);
    for (const file of plan.write) {
      const rel = safeRelative(file.path);
      const path = join(target, rel);
      await makeDirectoryFor(target, rel);
      const temp = `${path}.nixport-${stamp}`;
      await writeFile(temp, file.content, { mode: file.mode ?? 0o644, flag: 'wx' });
      await rename(temp, path);
    }
    for (const rel of plan.remove) {
      const path = join(target, safeRelative(rel));
      await rm(path, { force: true });
      await removeEmptyParents(dirname(path), target);
    }
  });
  return plan;
}

/**
 * The plaintext of secrets.local/ is deleted once encrypted or copied to
 * the host (MIGRATION.md). A later --update must not bring back what the
 * user deleted: secret files the last run wrote are written again only
 * while they still exist. New secrets are written.
 */
function withoutDeletedSecrets(existing: ReadonlyMap<string, Uint8Array>, files: readonly OutputFile[]): readonly OutputFile[] {
  let written: unknown;
  try {
    written = (JSON.parse(new TextDecoder().decode(existing.get('migration.json') ?? new Uint8Array())) as { files?: unknown }).files;
  } catch {
    return files;
  }
  const before = new Set(Array.isArray(written) ? written.filter((f): f is string => typeof f === 'string') : []);
  return files.filter((f) => !isSecretPath(f.path) || !before.has(f.path) || existing.has(f.path));
}

async function readTree(root: string, sub: string, out: Map<string, Uint8Array>): Promise<void> {
  const entries = await readdir(join(root, sub), { withFileTypes: true });
  for (const entry of entries) {
    const rel = sub ? `${sub}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIP.has(entry.name)) await readTree(root, rel, out);
    } else if (entry.isFile()) {
      const content = await readFile(join(root, rel));
      out.set(rel, new Uint8Array(content.buffer, content.byteOffset, content.byteLength));
    }
  }
}

/** services/ without services: gone, as a fresh conversion would have it. */
async function removeEmptyParents(path: string, root: string): Promise<void> {
  let at = path;
  while (at !== root && at.startsWith(root)) {
    const left = await readdir(at).catch(() => ['?']);
    if (left.length > 0) return;
    await rmdir(at);
    at = dirname(at);
  }
}

const LIST_LIMIT = 40;

const KEPT_WHY: Readonly<Record<KeptWhy, string>> = {
  marked: 'marked `nixport: keep`',
  'not-ours': 'nixport did not write it',
  hardware: 'the real hardware configuration',
};

/** What --update did, for a person: files, then options. */
export function describeUpdate(plan: UpdatePlan, dir: string, what: string): string {
  const out = dir.replace(/(.)\/+$/, '$1');
  const lines = [`nixport: updated ${out}/ (${what})`];
  lines.push(
    `  files:   ${plan.changed.length} changed, ${plan.added.length} added, ${plan.remove.length} removed, ${plan.unchanged.length} unchanged, ${plan.kept.length} kept`,
  );
  const fileLines = [
    ...plan.changed.map((p) => `    ~ ${p}`),
    ...plan.added.map((p) => `    + ${p}`),
    ...plan.remove.map((p) => `    - ${p}`),
    ...plan.kept.map(
      (k) =>
        `    = ${k.path} (kept: ${KEPT_WHY[k.why]}${k.differs ? "; nixport's version differs" : ''})`,
    ),
  ];
  lines.push(...limit(fileLines));
  if (plan.options) {
    const o = plan.options;
    lines.push(`  options: ${o.changed.length} changed, ${o.added.length} added, ${o.removed.length} removed`);
    lines.push(...limit([...o.changed.map((n) => `    ~ ${n}`), ...o.added.map((n) => `    + ${n}`), ...o.removed.map((n) => `    - ${n}`)]));
  } else {
    lines.push('  options: not compared (the old migration.json has no option list)');
  }
  return `${lines.join('\n')}\n`;
}

function limit(lines: readonly string[]): string[] {
  return lines.length <= LIST_LIMIT ? [...lines] : [...lines.slice(0, LIST_LIMIT), `    ... and ${lines.length - LIST_LIMIT} more`];
}
