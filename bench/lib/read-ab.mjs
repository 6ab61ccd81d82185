#!/usr/bin/env node
// A/B of the reading loop of `allow` (readDenials into the range reducer, no policy) between two
// builds, interleaved in one process so that both see the same load on a shared machine; prints
// the minimum and median wall and CPU time of each.
//   node bench/lib/read-ab.mjs LOG ROUNDS DIST_A DIST_B
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [log, roundsArg, ...dists] = process.argv.slice(2);
const size = statSync(log).size;
const variants = await Promise.all(dists.map(async (d) => ({ name: d, reduceRange: (await import(pathToFileURL(`${resolve(d)}/selinux/learn/reduce.js`).href)).reduceRange, wall: [], cpu: [] })));
const check = new Set();
for (let k = 0; k < Number(roundsArg ?? 5); k++) {
  for (const v of k % 2 === 0 ? variants : [...variants].reverse()) {
    const u0 = process.cpuUsage();
    const t0 = performance.now();
    const part = await v.reduceRange({ file: log, name: log, start: 0, end: size }, {});
    v.wall.push((performance.now() - t0) / 1000);
    const u = process.cpuUsage(u0);
    v.cpu.push((u.user + u.system) / 1e6);
    check.add(`${part.denials.length} ${part.stats.records} ${part.stats.malformed}`);
  }
}
const stat = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return `min ${s[0].toFixed(2)} med ${s[Math.floor(s.length / 2)].toFixed(2)} max ${s.at(-1).toFixed(2)}`;
};
for (const v of variants) console.log(`${v.name}: wall ${stat(v.wall)} s, cpu ${stat(v.cpu)} s, best ${(size / 1048576 / Math.min(...v.wall)).toFixed(0)} MiB/s`);
if (check.size !== 1) console.log(`DIFFERENT RESULTS: ${[...check].join(' | ')}`);
