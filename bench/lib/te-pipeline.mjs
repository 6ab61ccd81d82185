#!/usr/bin/env node
// Our side of bench/te.sh: the module compiler's front end over every module of the
// reference policy in ONE process: each .te through the devel m4 pipeline, the parser
// and checkModule, each .fc through m4 and the .fc parser (V8's pretenuring off, as below). Prints one line: modules,
// seconds per stage and in all, CPU seconds, bytes, and how many modules had findings.
//   node bench/lib/te-pipeline.mjs SRC_MODULES_DIR [DEVEL_INCLUDE]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';

// As `porthole allow` does (src/cli/allow.ts), and as a command running this pipeline should:
// V8 otherwise moves the syntax trees' allocation sites to the old generation after a few
// modules, and each module's tree, garbage after its checks, then costs write barriers and
// old-generation collections (≈ 1.5 s over the 408 modules). BENCH_PRETENURE=1 leaves V8's default.
if (process.env.BENCH_PRETENURE !== '1') setFlagsFromString('--no-allocation-site-pretenuring');

const dist = process.env.BENCH_DIST ?? new URL('../../dist/', import.meta.url).pathname;
const api = await import(pathToFileURL(resolve(dist, 'index.js')).href);
const { expandDevelModule, expandDevelFileContexts, parseModuleText, parseFileContextsText, checkModule } = api;
const [src, include] = process.argv.slice(2);
const opts = include ? { includeDir: include } : {};
const limit = Number(process.env.BENCH_MODULES || Number.POSITIVE_INFINITY);
const files = readdirSync(src)
  .sort()
  .flatMap((layer) =>
    readdirSync(join(src, layer))
      .filter((f) => f.endsWith('.te'))
      .sort()
      .map((f) => join(src, layer, f)),
  )
  .slice(0, limit);
const cpu0 = process.cpuUsage();
const start = performance.now();
const t = { m4: 0, parse: 0, check: 0, fcM4: 0, fcParse: 0 };
let bytes = 0;
let withFindings = 0;
for (const path of files) {
  const name = path.slice(path.lastIndexOf('/') + 1, -3);
  let a = performance.now();
  const te = expandDevelModule({ name: `${name}.te`, text: readFileSync(path, 'latin1') }, opts);
  let b = performance.now();
  t.m4 += b - a;
  const parsed = parseModuleText({ name: `tmp/${name}.tmp`, text: te.output });
  a = performance.now();
  t.parse += a - b;
  const found = checkModule(parsed.ast, parsed.map);
  b = performance.now();
  t.check += b - a;
  bytes += te.output.length;
  if (parsed.diagnostics.length + found.length > 0) withFindings++;
  const fcPath = path.replace(/\.te$/, '.fc');
  if (!existsSync(fcPath)) continue;
  a = performance.now();
  const fc = expandDevelFileContexts({ name: `${name}.fc`, text: readFileSync(fcPath, 'latin1') }, opts);
  b = performance.now();
  t.fcM4 += b - a;
  const pf = parseFileContextsText({ name: `tmp/${name}.mod.fc`, text: fc.output });
  t.fcParse += performance.now() - b;
  if (pf.diagnostics.length > 0) withFindings++;
}
const s = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpu0);
const f = (ms) => (ms / 1000).toFixed(2);
console.log(
  `modules=${files.length} seconds=${s.toFixed(2)} cpu=${((cpu.user + cpu.system) / 1e6).toFixed(2)} m4=${f(t.m4)} parse=${f(t.parse)} check=${f(t.check)} fc_m4=${f(t.fcM4)} fc_parse=${f(t.fcParse)} bytes=${bytes} with_findings=${withFindings}`,
);
