// bench/check.sh's summary: lines `WHO WALL USER SYS` (from /usr/bin/time) on stdin, WHO one of
// `cold` (ours, --no-cache), `warm` (ours, every source in the store) and `selint`; each run, the
// medians and spreads, and the ratios to selint. Exit 1 when the cold median wall ratio exceeds 2
// (a first run, or CI's, reads every source: that is the figure the target is about).
import { readFileSync } from 'node:fs';

const runs = { cold: [], warm: [], selint: [] };
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
console.log('| run | ours cold wall | CPU | ours warm wall | CPU | selint wall | CPU |');
console.log('|---:|---:|---:|---:|---:|---:|---:|');
runs.cold.forEach((c, i) => {
  const w = runs.warm[i];
  const s = runs.selint[i];
  console.log(`| ${i + 1} | ${c.wall.toFixed(2)} | ${c.cpu.toFixed(2)} | ${w.wall.toFixed(2)} | ${w.cpu.toFixed(2)} | ${s.wall.toFixed(2)} | ${s.cpu.toFixed(2)} |`);
});
const ratio = (who, key) => median(runs[who].map((r) => r[key])) / median(runs.selint.map((r) => r[key]));
console.log('\nmedian (min-max):');
for (const who of ['cold', 'warm', 'selint']) console.log(`  ${who.padEnd(6)} wall ${row(who, 'wall')}, CPU ${row(who, 'cpu')}`);
console.log(
  `ratio to selint: cold wall ${ratio('cold', 'wall').toFixed(2)}x (CPU ${ratio('cold', 'cpu').toFixed(2)}x); warm wall ${ratio('warm', 'wall').toFixed(2)}x (CPU ${ratio('warm', 'cpu').toFixed(2)}x); target: cold wall at most 2x`,
);
process.exitCode = ratio('cold', 'wall') <= 2 ? 0 : 1;
