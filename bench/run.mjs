// nixport benchmark: run with `npm run bench` (it builds dist/ first).
//  1. The bundled example through the whole CLI process, Node start included.
//  2. In-process conversion of generated cloud-configs with 1,250 to 5,000
//     units, to show throughput and that time grows linearly with size.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { convert } from '../dist/index.js';
import { generatedCloudConfig } from './generate.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function cliRuns(runs) {
  const out = mkdtempSync(join(tmpdir(), 'nixport-bench-'));
  const times = [];
  try {
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, ['dist/nixport.js', 'convert', 'examples/storage2', '-o', join(out, 'o'), '--force', '--json'], {
        encoding: 'utf8',
      });
      times.push(performance.now() - t0);
      if (r.status !== 0 && r.status !== 1) throw new Error(`nixport exited ${r.status}: ${r.stderr}`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return times;
}

function inProcess(units, runs) {
  const input = [{ path: 'generated.yml', content: generatedCloudConfig(units) }];
  convert(input); // warm up the JIT
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const result = convert(input);
    times.push(performance.now() - t0);
    if (result.exitCode === 2) throw new Error('generated input was refused');
  }
  return median(times);
}

const cli = cliRuns(15);
console.log(`example host, whole CLI process: median ${median(cli).toFixed(1)} ms, min ${Math.min(...cli).toFixed(1)} ms (15 runs; target < 150 ms)`);
for (const units of [1250, 2500, 5000]) {
  const ms = inProcess(units, 5);
  console.log(`${String(units).padStart(5)} units in-process: ${ms.toFixed(0).padStart(5)} ms, ${Math.round((units / ms) * 1000)} units/s (target >= 5,000 units/s)`);
}
