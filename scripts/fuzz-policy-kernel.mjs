#!/usr/bin/env node
// Sweep: the WebAssembly loops of the policy reader (src/selinux/policy/binary/kernel/readerKernel.wat) against
// the JavaScript ones on N mutated copies of a policy (default $SE_POLICY, 1000 copies): the same
// statistics, classes (constraints decoded), index sizes and type attribute map, or the same
// error. Uses the built dist/ (npm run build first). CI runs 60 of these in parity.test.ts.
//   node scripts/fuzz-policy-kernel.mjs [N] [POLICY]
import { readFileSync } from 'node:fs';
import { PortholeError } from '../dist/base/diagnostic.js';
import { useReaderKernel } from '../dist/selinux/policy/binary/kernel/readerKernel.js';
import { policyStats, readPolicy } from '../dist/selinux/policy/index.js';

const n = Number(process.argv[2] ?? 1000);
const path = process.argv[3] ?? process.env.SE_POLICY ?? '/etc/selinux/default/policy/policy.33';
const src = new Uint8Array(readFileSync(path));
let x = 0x6b65726e;
const next = () => {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x >>> 0;
};
const summary = (bytes) => {
  try {
    const p = readPolicy(bytes);
    p.index.buildAll();
    return JSON.stringify([policyStats(p), p.classes, p.index.avtab.size, p.index.condAvtab.size, p.typeAttrMap?.values.length]);
  } catch (e) {
    if (!(e instanceof PortholeError && (e.code === 'policy-format' || e.code === 'policy-is-module'))) throw e;
    return e.message;
  }
};
const counts = { same: 0, different: 0, ok: 0, error: 0 };
for (let i = 0; i < n; i++) {
  const b = src.slice(0, next() % 8 === 0 ? next() % src.length : src.length);
  const view = new DataView(b.buffer);
  for (let k = 1 + (next() % 4); k > 0; k--) {
    const at = next() % Math.max(1, b.length - 4);
    if (next() % 2) b[at] = next() & 0xff;
    else view.setUint32(at & ~3, [0, 1, 2, 0xffffffff, 0x7fffffff, 0x10000, next(), 64, 63][next() % 9], true);
  }
  useReaderKernel(true);
  const a = summary(b);
  useReaderKernel(false);
  const j = summary(b);
  if (a === j) counts.same++;
  else {
    counts.different++;
    console.log(`copy ${i}: kernel ${a.slice(0, 200)}\n         javascript ${j.slice(0, 200)}`);
  }
  counts[a.startsWith('[') ? 'ok' : 'error']++;
}
console.log(`kernel parity: ${n} mutated copies of ${path}: ${counts.same} same, ${counts.different} different (${counts.ok} read, ${counts.error} rejected)`);
process.exit(counts.different ? 1 : 0);
