// bench/check.sh's summary: lines `WHO WALL USER SYS` (from /usr/bin/time) on stdin; each run,
// the medians and spreads, and the ratios ours/selint. Exit 1 when the median wall ratio exceeds 2.
import { readFileSync } from 'node:fs';

const runs = { ours: [], selint: [] };
for (const line of readFileSync(0, 'utf8').split('\n')) {
  const [who, wall, user, sys] = line.trim().split(/\s+/);
  if (who in runs) runs[who].push({ wall: Number(wall), cpu: Number(user) + Number(sys) });
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const row = (who, key) => {
  const xs = runs[who].map((r) => r[key]);
  return `${median(xs).toFixed(2)} s (${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)})`;
};
console.log('| run | ours wall | ours CPU | selint wall | selint CPU |');
console.log('|---:|---:|---:|---:|---:|');
runs.ours.forEach((o, i) => {
  const s = runs.selint[i];
  console.log(`| ${i + 1} | ${o.wall.toFixed(2)} | ${o.cpu.toFixed(2)} | ${s.wall.toFixed(2)} | ${s.cpu.toFixed(2)} |`);
});
const wallRatio = median(runs.ours.map((r) => r.wall)) / median(runs.selint.map((r) => r.wall));
const cpuRatio = median(runs.ours.map((r) => r.cpu)) / median(runs.selint.map((r) => r.cpu));
console.log(`\nmedian (min-max): ours wall ${row('ours', 'wall')}, CPU ${row('ours', 'cpu')}; selint wall ${row('selint', 'wall')}, CPU ${row('selint', 'cpu')}`);
console.log(`ratio ours/selint: wall ${wallRatio.toFixed(2)}x, CPU ${cpuRatio.toFixed(2)}x (target: wall at most 2x)`);
process.exitCode = wallRatio <= 2 ? 0 : 1;
