#!/usr/bin/env node
// Where `allow` time goes, by stage, on the built dist/ (bench-only diagnostic; no src/ changes):
//   node bench/lib/stages.mjs LOG
// Runs the same pipeline pieces as `allow -i LOG` cumulatively:
//   read     fs stream, 1 MiB chunks, nothing else
//   split    + LineSplitter
//   parse    + parseRecord (allow's options: full=false, DECISION keys)
//   learn    = learnFromLogs (parse + toDenials + ModuleLearner.addDenial), what `allow` does before printing
import { createReadStream } from 'node:fs';
import { WordMatcher } from '../../dist/audit/record/bytes.js';
import { parseRecord } from '../../dist/audit/record/record.js';
import { LineSplitter } from '../../dist/base/lines.js';
import { fileSource } from '../../dist/base/source.js';
import { learnFromLogs } from '../../dist/selinux/learn/fromLogs.js';
import { printTe } from '../../dist/selinux/print/te.js';

const path = process.argv[2];
const KEYS = new WordMatcher(['scontext', 'tcontext', 'tclass', 'permissive', 'ioctlcmd', 'op', 'invalid_context', 'path']);
const t = () => Number(process.hrtime.bigint()) / 1e9;
async function stream(onChunk) {
  for await (const c of createReadStream(path, { highWaterMark: 1024 * 1024 })) onChunk(c);
}
const res = {};
let t0 = t();
let bytes = 0;
await stream((c) => {
  bytes += c.length;
});
res.read = t() - t0;
t0 = t();
let lines = 0;
{
  const s = new LineSplitter(() => {
    lines++;
  });
  await stream((c) => s.push(c));
  s.end();
}
res.split = t() - t0;
t0 = t();
let recs = 0,
  avcs = 0;
{
  const opts = { full: false, keepText: false, keys: KEYS };
  const s = new LineSplitter((buf, a, b, line) => {
    const r = parseRecord(buf, a, b, { file: path, line }, opts);
    if (r && r.kind === 'record') {
      recs++;
      if (r.avc) avcs++;
    }
  });
  await stream((c) => s.push(c));
  s.end();
}
res.parse = t() - t0;
t0 = t();
const { module } = await learnFromLogs([fileSource(path)], {});
res.learn = t() - t0;
t0 = t();
const te = printTe(module);
res.print = t() - t0;
const mb = bytes / 1048576;
console.log(`${path}: ${mb.toFixed(1)} MiB, ${lines} lines, ${recs} parsed SELinux records, ${avcs} AVC/USER_AVC, ${module.statements.length} statements, ${te.length} output chars`);
for (const [k, v] of Object.entries(res)) console.log(`  ${k.padEnd(6)} ${v.toFixed(2).padStart(7)} s  ${(mb / v).toFixed(0).padStart(6)} MB/s`);
