#!/usr/bin/env node
// Our side of bench/m4.sh: the devel pipeline over every module of the reference
// policy in ONE process (the interface pass once, then each module's pass), as the
// module compiler's `build --all` runs it. Prints one line: modules, seconds, bytes.
//   node bench/lib/m4-devel.mjs SRC_MODULES_DIR [DEVEL_INCLUDE]
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = process.env.BENCH_DIST ?? new URL('../../dist/', import.meta.url).pathname;
const { expandDevelModule } = await import(pathToFileURL(resolve(dist, 'index.js')).href);
const [src, include] = process.argv.slice(2);
const start = performance.now();
let modules = 0;
let bytes = 0;
let failed = 0;
for (const layer of readdirSync(src).sort()) {
  for (const f of readdirSync(join(src, layer)).sort()) {
    if (!f.endsWith('.te')) continue;
    const r = expandDevelModule({ name: f, text: readFileSync(join(src, layer, f), 'latin1') }, include ? { includeDir: include } : {});
    modules++;
    bytes += r.output.length;
    if (r.exitCode !== 0) failed++;
  }
}
const s = (performance.now() - start) / 1000;
const cpu = process.cpuUsage();
console.log(`modules=${modules} seconds=${s.toFixed(2)} cpu=${((cpu.user + cpu.system) / 1e6).toFixed(2)} bytes=${bytes} failed=${failed}`);
