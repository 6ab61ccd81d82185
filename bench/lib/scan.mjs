#!/usr/bin/env node
// The newline-scan limit: how fast Node reads a file in 1 MiB chunks and finds every newline (what
// the line splitter does before any parsing). Prints the best of RUNS in MiB/s.
//   node bench/lib/scan.mjs FILE [RUNS]
import { createReadStream, statSync } from 'node:fs';

const [file, runsArg] = process.argv.slice(2);
const size = statSync(file).size;
let best = Infinity;
for (let k = 0; k < Number(runsArg ?? 3); k++) {
  const t0 = performance.now();
  let lines = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
  }
  best = Math.min(best, (performance.now() - t0) / 1000);
  if (lines === 0 && size > 0) throw new Error('no newline found');
}
console.log((size / 1048576 / best).toFixed(0));
