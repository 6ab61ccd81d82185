#!/usr/bin/env node
// bench/build.sh's output check: the CIL files of two folders (ours, the Makefile route's) module
// by module: byte-identical, identical as sorted lines, or different. Prints one line of counts,
// then the differing modules' names (at most BENCH_SHOW_DIFFS, default 10).
//   node bench/lib/cil-compare.mjs OURS_DIR THEIRS_DIR
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [ours, theirs] = process.argv.slice(2);
const names = readdirSync(theirs)
  .filter((f) => f.endsWith('.cil'))
  .sort();
const sorted = (t) => t.split('\n').sort().join('\n');
let same = 0;
let sameSorted = 0;
const differ = [];
const missing = [];
for (const f of names) {
  const o = join(ours, f);
  if (!existsSync(o)) {
    missing.push(f.slice(0, -4));
    continue;
  }
  const a = readFileSync(o, 'latin1');
  const b = readFileSync(join(theirs, f), 'latin1');
  if (a === b) same++;
  else if (sorted(a) === sorted(b)) sameSorted++;
  else differ.push(f.slice(0, -4));
}
console.log(`output: ${names.length} modules: ${same} byte-identical, ${sameSorted} identical as sorted lines, ${differ.length} different, ${missing.length} missing in ours`);
const show = Number(process.env.BENCH_SHOW_DIFFS ?? 10);
if (differ.length > 0) console.log(`  different: ${differ.slice(0, show).join(' ')}${differ.length > show ? ' ...' : ''}`);
if (missing.length > 0) console.log(`  missing: ${missing.slice(0, show).join(' ')}${missing.length > show ? ' ...' : ''}`);
