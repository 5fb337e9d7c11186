// Makes the V8 code cache of the CLI program (see cli-loader.mjs):
//   node scripts/code-cache.mjs dist/nixport-cli.js convert examples/storage2 -o <dir> --force
// runs the program once with the given arguments, the way the loader runs
// it, then saves what V8 compiled on the way to <program>.cache. A cache
// made after a run also holds the functions compiled lazily during it.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Script } from 'node:vm';

const [programArg, ...args] = process.argv.slice(2);
if (programArg === undefined) throw new Error('usage: node scripts/code-cache.mjs <program> [arguments...]');
const program = resolve(programArg);
const script = new Script(readFileSync(program, 'utf8'), { filename: program });
process.argv = [process.argv[0] ?? 'node', program, ...args];
await script.runInThisContext()(createRequire(program));
writeFileSync(`${program}.cache`, script.createCachedData());
