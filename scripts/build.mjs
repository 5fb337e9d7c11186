// Bundles the CLI and the library into dist/ with esbuild: one file each, so
// start-up reads one module instead of resolving a tree of them.
import { build } from 'esbuild';

// commander is CommonJS and requires Node built-ins; an ESM bundle needs a `require` for it.
const requireShim = "import { createRequire as __nixportRequire } from 'node:module'; const require = __nixportRequire(import.meta.url);";

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

await Promise.all([
  build({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/nixport.js',
    banner: { js: `#!/usr/bin/env node\n${requireShim}` },
  }),
  // The library leaves its dependencies to the package manager of whoever imports it.
  build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js', packages: 'external' }),
]);
