// Compose benchmark: a generated project of 500 to 4,000 services (anchors,
// interpolation, ports, volumes, networks, health checks, depends_on with
// readiness gates) converted in-process, the whole pipeline from reading the
// files to the flake and the report. Target: at least 2,000 services a second
// at 2,000 services, and time growing linearly with the number of services.
// Run with `npm run bench` (it builds dist/ first) or `node bench/compose.mjs`
// after a build.
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { convert } from '../dist/index.js';

const IMAGES = ['nginx:1.27', 'postgres:16', 'redis:7-alpine', 'lscr.io/linuxserver/jellyfin:latest', 'ghcr.io/example/app:${APP_TAG}', 'traefik:v3.2'];

/** A project of `n` services in groups of four: a database with a health check, an app waiting for it, a worker and a proxy. */
export function generatedProject(n) {
  const lines = [
    'name: bench',
    'x-common: &common',
    '  restart: unless-stopped',
    '  environment:',
    '    TZ: ${TZ:-UTC}',
    '  logging: { driver: json-file, options: { max-size: 10m } }',
    'services:',
  ];
  const networks = new Set();
  const volumes = new Set();
  for (let i = 0; i < n; i++) {
    const group = Math.floor(i / 4);
    const net = `net${group % 50}`;
    networks.add(net);
    lines.push(`  svc${i}:`, '    <<: *common', `    image: "${IMAGES[i % IMAGES.length]}"`);
    switch (i % 4) {
      case 0:
        volumes.add(`data${group}`);
        lines.push(
          `    volumes: ["data${group}:/var/lib/data", "./conf/${i}:/etc/app:ro"]`,
          '    healthcheck: { test: ["CMD-SHELL", "pg_isready"], interval: 10s, retries: 5 }',
          `    networks: [${net}]`,
        );
        break;
      case 1:
        lines.push(
          `    ports: ["${10000 + i}:8080", "127.0.0.1:${20000 + i}:9090"]`,
          `    depends_on: { svc${i - 1}: { condition: service_healthy } }`,
          `    environment: { DB_HOST: svc${i - 1}, LOG_LEVEL: info }`,
          `    networks: { ${net}: { aliases: [app${i}] } }`,
          '    labels: ["traefik.enable=true"]',
        );
        break;
      case 2:
        lines.push(`    command: ["worker", "--queue", "q${i}"]`, `    depends_on: [svc${i - 1}]`, `    networks: [${net}]`, '    deploy: { resources: { limits: { cpus: "0.5", memory: 256M } } }');
        break;
      default:
        lines.push(`    ports: ["${30000 + i}:80/udp"]`, '    cap_add: [NET_ADMIN]', '    ulimits: { nofile: { soft: 1024, hard: 2048 } }', '    tmpfs: /run');
    }
  }
  lines.push('networks:', ...[...networks].map((n) => `  ${n}: {}`), 'volumes:', ...[...volumes].map((v) => `  ${v}: {}`), '');
  return lines.join('\n');
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function run(n, runs) {
  const inputs = [
    { path: 'bench/compose.yaml', content: generatedProject(n) },
    { path: 'bench/.env', content: 'APP_TAG=1.0\nTZ=Europe/Berlin\n' },
  ];
  const first = convert(inputs, { host: 'bench' }); // warm up, and check it converts
  if (first.exitCode === 2) throw new Error(`refused: ${first.report.diagnostics[0]?.message}`);
  const times = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    convert(inputs, { host: 'bench' });
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { ms: median(times), cpuMs: median(cpu) };
}

console.log('Compose project, in-process convert() (read, analyse, plan, build, layout, report):');
const rows = [];
for (const n of [500, 1000, 2000, 4000]) {
  const { ms, cpuMs } = run(n, n >= 4000 ? 3 : 5);
  rows.push({ n, ms, cpuMs });
  // CPU time too: on a machine shared with other work, wall time counts the waits for a core.
  console.log(`  ${String(n).padStart(5)} services: ${ms.toFixed(0).padStart(6)} ms  ${((n / ms) * 1000).toFixed(0).padStart(6)} services/s  ${(ms / n).toFixed(3)} ms/service  (CPU ${cpuMs.toFixed(0)} ms, ${((n / cpuMs) * 1000).toFixed(0)} services per CPU-second)`);
}
const at2000 = rows.find((r) => r.n === 2000);
// Least squares, ms = fixed + perService * n: linear growth shows as a fit close to 1 (R²).
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const mx = mean(rows.map((r) => r.n));
const my = mean(rows.map((r) => r.ms));
const slope = rows.reduce((a, r) => a + (r.n - mx) * (r.ms - my), 0) / rows.reduce((a, r) => a + (r.n - mx) ** 2, 0);
const fixed = my - slope * mx;
const ssTot = rows.reduce((a, r) => a + (r.ms - my) ** 2, 0);
const ssRes = rows.reduce((a, r) => a + (r.ms - (fixed + slope * r.n)) ** 2, 0);
console.log(`  2,000 services: ${((2000 / at2000.ms) * 1000).toFixed(0)} services/s wall, ${((2000 / at2000.cpuMs) * 1000).toFixed(0)} per CPU-second (target >= 2,000); load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`);
console.log(`  linear fit: ${fixed.toFixed(0)} ms + ${slope.toFixed(3)} ms per service (R² ${(1 - ssRes / ssTot).toFixed(3)}); marginal rate ${(1000 / slope).toFixed(0)} services/s`);

// The Compose reader alone (loading, validating, translating each service into
// its container), bundled from the sources: the library exports only convert().
// Inside dist/ (git ignores it), so the bundle finds the dependencies in node_modules.
const dir = mkdtempSync(join('dist', '.bench-'));
try {
  const outfile = join(process.cwd(), dir, 'read.mjs');
  await build({
    stdin: { contents: "export { readInputs } from './src/sources/index.ts'; export { Ledger } from './src/model/ledger.ts';", resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  const { readInputs, Ledger } = await import(pathToFileURL(outfile).href);
  console.log('The Compose reader alone (readInputs: load, interpolate, validate, translate):');
  for (const n of [1000, 2000, 4000]) {
    const inputs = [
      { path: 'bench/compose.yaml', content: generatedProject(n) },
      { path: 'bench/.env', content: 'APP_TAG=1.0\nTZ=Europe/Berlin\n' },
    ];
    readInputs(inputs, new Ledger());
    const times = [];
    const cpu = [];
    for (let i = 0; i < 5; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      readInputs(inputs, new Ledger());
      times.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    const ms = median(times);
    const cpuMs = median(cpu);
    console.log(`  ${String(n).padStart(5)} services: ${ms.toFixed(0).padStart(6)} ms  ${((n / ms) * 1000).toFixed(0).padStart(6)} services/s  (CPU ${cpuMs.toFixed(0)} ms, ${((n / cpuMs) * 1000).toFixed(0)} services per CPU-second)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
