#!/usr/bin/env node
// Distinct denials in a bench pool, from gen-log's --meta files:
//   node bench/lib/count-denials.mjs POOL.meta.json [...]
// Prints: denied AVC records, distinct (source type, target type, class, perm set) over all of them,
// the same over those not marked invalid, and distinct (source, target, class) triples.
import { readFileSync } from 'node:fs';

const t = (c) => c.split(':')[2] ?? '';
const all = new Set(),
  valid = new Set(),
  triples = new Set();
let n = 0;
for (const f of process.argv.slice(2)) {
  for (const a of JSON.parse(readFileSync(f, 'utf8')).avcs) {
    if (a.result !== 'denied') continue;
    n++;
    const k = `${t(a.scontext)} ${t(a.tcontext)} ${a.tclass} {${[...a.perms].sort().join(' ')}}`;
    all.add(k);
    if (!a.invalid) {
      valid.add(k);
      triples.add(`${t(a.scontext)} ${t(a.tcontext)} ${a.tclass}`);
    }
  }
}
console.log(`denied_records=${n} distinct_denials=${all.size} distinct_valid_denials=${valid.size} distinct_valid_triples=${triples.size}`);
