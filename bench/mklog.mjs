#!/usr/bin/env node
// Benchmark log writer (bench only; NOT a generator — the events come from
// scripts/gen-log.mjs, see bench/allow.sh for the exact pool).
//
//   node bench/mklog.mjs --out FILE --bytes N POOL.log [POOL.log ...]
//
// Streams the pool files (each one a gen-log output, kept whole in memory)
// one after another, over and over ("passes"), until FILE holds N bytes; the
// last write is cut at the last newline at or before N bytes. Pass 0 is the
// pool verbatim; in pass p every `msg=audit(SEC.MS:SERIAL)` header gets
// SEC += p * secSpan and SERIAL += p * serialSpan, where the spans cover all
// the pool's headers, so passes never reuse a (time, serial) pair and time
// keeps going forward. Nothing else changes: a pass repeats exactly the same
// denials, so the set of distinct denials is the pool's as soon as pass 0 is
// complete (every size >= the pool size).
//
// The pool must be valid UTF-8 (checked); the rewrite only touches ASCII
// digits, so the output is too.
import { closeSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

const argv = process.argv.slice(2);
let out;
let bytes;
const pool = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--out') out = argv[++i];
  else if (argv[i] === '--bytes') bytes = Number(argv[++i]);
  else pool.push(argv[i]);
}
if (!out || !Number.isFinite(bytes) || bytes <= 0 || pool.length === 0) {
  process.stderr.write('usage: mklog.mjs --out FILE --bytes N POOL.log [POOL.log ...]\n');
  process.exit(2);
}

const HDR = /msg=audit\((\d+)\.(\d+):(\d+)\)/g;
const texts = [];
let minSec = Infinity,
  maxSec = -Infinity,
  minSer = Infinity,
  maxSer = -Infinity;
for (const f of pool) {
  const buf = readFileSync(f);
  // fatal: throws on invalid UTF-8
  const t = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  for (const m of t.matchAll(HDR)) {
    const s = Number(m[1]);
    const n = Number(m[3]);
    if (s < minSec) minSec = s;
    if (s > maxSec) maxSec = s;
    if (n < minSer) minSer = n;
    if (n > maxSer) maxSer = n;
  }
  texts.push(t);
}
const secSpan = maxSec - minSec + 1;
const serSpan = maxSer - minSer + 1;

const tmp = `${out}.tmp`;
const fd = openSync(tmp, 'w');
let written = 0;
let pass = 0;
outer: for (;;) {
  for (const t of texts) {
    const dSec = pass * secSpan;
    const dSer = pass * serSpan;
    const body = pass === 0 ? t : t.replace(HDR, (_m, s, ms, n) => `msg=audit(${Number(s) + dSec}.${ms}:${Number(n) + dSer})`);
    let buf = Buffer.from(body, 'utf8');
    if (written + buf.length > bytes) {
      const cut = buf.lastIndexOf(0x0a, bytes - written - 1);
      buf = buf.subarray(0, cut + 1);
      writeSync(fd, buf);
      written += buf.length;
      break outer;
    }
    writeSync(fd, buf);
    written += buf.length;
  }
  pass++;
}
closeSync(fd);
renameSync(tmp, out);
process.stderr.write(`mklog: ${out}: ${written} bytes, ${pass} full passes + part of pass ${pass} over ${pool.length} pool files\n`);
