#!/usr/bin/env node
// The reading loop of `allow` alone (no policy, no learner): a log file through readDenials into
// the range reducer, in this thread, repeated; prints MiB/s per run and the process's user CPU.
//   node bench/lib/read-loop.mjs LOG [RUNS] [DIST]     (DIST: a built dist/ folder, default ./dist)
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [log, runsArg, distArg] = process.argv.slice(2);
const dist = resolve(distArg ?? 'dist');
const { reduceRange } = await import(pathToFileURL(`${dist}/selinux/learn/reduce.js`).href);
const size = statSync(log).size;
const runs = Number(runsArg ?? 3);
for (let k = 0; k < runs; k++) {
  const u0 = process.cpuUsage();
  const t0 = performance.now();
  const part = await reduceRange({ file: log, name: log, start: 0, end: size }, {});
  const s = (performance.now() - t0) / 1000;
  const u = process.cpuUsage(u0);
  console.log(
    `run ${k + 1}: ${s.toFixed(2)} s wall, ${((u.user + u.system) / 1e6).toFixed(2)} s cpu, ${(size / 1048576 / s).toFixed(0)} MiB/s, ${part.denials.length} distinct denials, ${part.stats.records} records`,
  );
}
