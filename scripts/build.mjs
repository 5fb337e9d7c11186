// Bundles the CLI and the library into dist/ with esbuild: one file each, so
// start-up reads one program instead of resolving a tree of modules.
//
//   dist/index.js           the library (ESM; its dependencies stay external)
//   dist/nixport.js         the command (scripts/cli-loader.mjs), which runs
//   dist/nixport-cli.js     the CLI program with its dependencies, as a script
//   dist/nixport-cli.js.cache  V8's code cache for it, made by one run
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // Prefer the ESM builds of dependencies: smaller, and no CommonJS `require` in the bundle.
  mainFields: ['module', 'main'],
};

/**
 * Node's built-in modules, reached through `require` (which the loader
 * passes in) rather than `import`: the CLI program is run as a script, since
 * only scripts can use a V8 code cache, and a script has no imports.
 */
const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
const builtinsByRequire = {
  name: 'builtins-by-require',
  setup(b) {
    b.onResolve({ filter: /^[a-z0-9:/_]+$/ }, (args) => {
      if (!builtins.has(args.path)) return undefined;
      return args.namespace === 'builtin' ? { path: args.path, external: true } : { path: args.path, namespace: 'builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});` }));
  },
};

/** The CLI as a script: a function of `require` holding the whole bundle (its top-level `await` included). */
async function buildCliProgram(outfile) {
  const result = await build({ ...common, entryPoints: ['src/cli/main.ts'], write: false, plugins: [builtinsByRequire] });
  const code = result.outputFiles[0].text;
  // Module syntax cannot run inside a function; esbuild left some if a dependency was not bundled.
  const moduleSyntax = /^(import|export)\b|\bimport\.meta\b|\bimport\(/m.exec(code);
  if (moduleSyntax) throw new Error(`the CLI bundle has module syntax (\`${moduleSyntax[0]}\`); it cannot run as a script`);
  // Module code is strict; the function keeps it so.
  writeFileSync(outfile, `(async function (require) {\n'use strict';\n${code}})\n`);
}

mkdirSync('dist', { recursive: true });
await Promise.all([
  buildCliProgram('dist/nixport-cli.js'),
  // The library leaves its dependencies to the package manager of whoever imports it.
  build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js', packages: 'external' }),
]);
copyFileSync('scripts/cli-loader.mjs', 'dist/nixport.js');

// One conversion of the example compiles what a typical run needs; the cache keeps it.
const scratch = mkdtempSync(join(tmpdir(), 'nixport-build-'));
try {
  const args = ['dist/nixport-cli.js', 'convert', 'examples/storage2', '-o', join(scratch, 'out'), '--force'];
  const run = spawnSync(process.execPath, ['scripts/code-cache.mjs', ...args], { encoding: 'utf8' });
  if (run.status !== 0 && run.status !== 1) throw new Error(`making the CLI's code cache failed:\n${run.stderr}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
