#!/usr/bin/env node
// Compare `allow` rules of our output and audit2allow's, in substance:
//   node bench/compare.mjs OURS.te A2A.te
// Both are parsed for `allow S T:C perm;` / `allow S T:C { p q };` lines (comments such as
// audit2allow's `#!!!!` lines and `#====` headers are skipped). Permissions are unioned per
// (source, target, class) triple on each side, because audit2allow may split one triple over
// several lines (one per verdict: missing rule / allowed / boolean / constraint). audit2allow
// silently drops AVCs the policy rejects (unknown types, ...), so only the triples audit2allow
// printed are compared; ours that audit2allow lacks are counted as "extra". "ours-superset": our
// permission set strictly contains audit2allow's (audit2allow dropped a whole AVC that named a
// permission or class the policy does not define; README "Differences from audit2allow" #2).
// Triples of audit2allow's naming something that is not an SELinux identifier (`:(null)`, a cut
// line's `:(`) are counted apart, as "not-identifiers": Porthole reports such AVCs as malformed
// (README #11).
import { readFileSync } from 'node:fs';
import { isIdentifier } from '../dist/selinux/ir/identifier.js';

function load(f) {
  const m = new Map();
  for (const line of readFileSync(f, 'utf8').split('\n')) {
    const r = /^\s*allow\s+(\S+)\s+(\S+):(\S+)\s+(?:\{([^}]*)\}|(\S+?))\s*;/.exec(line);
    if (!r) continue;
    const k = `${r[1]} ${r[2]}:${r[3]}`;
    let s = m.get(k);
    if (!s) m.set(k, (s = new Set()));
    for (const p of (r[4] ?? r[5]).trim().split(/\s+/)) if (p) s.add(p);
  }
  return m;
}
const ours = load(process.argv[2]);
const theirs = load(process.argv[3]);
let same = 0,
  diff = 0,
  superset = 0,
  missing = 0,
  extra = 0,
  notIdentifiers = 0;
const samples = [];
for (const [k, ps] of theirs) {
  if (!k.split(/[ :]/).every(isIdentifier) || ![...ps].every(isIdentifier)) {
    notIdentifiers++;
    continue;
  }
  const o = ours.get(k);
  if (!o) {
    missing++;
    if (samples.length < 10) samples.push(`missing in ours: allow ${k} { ${[...ps].sort().join(' ')} }`);
    continue;
  }
  const a = [...ps].sort().join(' '),
    b = [...o].sort().join(' ');
  if (a === b) same++;
  else if ([...ps].every((p) => o.has(p))) superset++;
  else {
    diff++;
    if (samples.length < 10) samples.push(`perms differ: ${k}: audit2allow { ${a} } ours { ${b} }`);
  }
}
for (const k of ours.keys()) if (!theirs.has(k)) extra++;
console.log(
  `audit2allow triples=${theirs.size} ours triples=${ours.size} identical=${same} ours-superset=${superset} other-perm-differences=${diff} missing-in-ours=${missing} extra-in-ours=${extra} not-identifiers=${notIdentifiers}`,
);
for (const s of samples) console.log(`  ${s}`);
process.exitCode = diff + missing === 0 ? 0 : 1;
