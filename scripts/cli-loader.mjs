#!/usr/bin/env node
// nixport's command line (copied to dist/nixport.js by scripts/build.mjs).
//
// The program itself is dist/nixport-cli.js, a script that this file runs
// through the V8 code cache the build made for it (nixport-cli.js.cache):
// start-up then skips parsing and compiling most of the program, which took
// about a third of a small conversion. Without the cache, or when V8 refuses
// it (another Node version), the program is compiled as usual.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const program = fileURLToPath(new URL('nixport-cli.js', import.meta.url));
let cachedData;
try {
  cachedData = readFileSync(`${program}.cache`);
} catch {
  cachedData = undefined;
}
const run = new Script(readFileSync(program, 'utf8'), { filename: program, cachedData }).runInThisContext();
await run(createRequire(program));
