#!/usr/bin/env node
// In-process cost of the policy reader on the built dist/ (see bench/README.md, "policy"):
//   node bench/policy-load.mjs [POLICY] [--cold N] [--warm N] [--queries N] [--json]
//
//   cold  N fresh `node` processes (default 11); each imports dist/selinux/policy/index.js, then times
//         readPolicyFile ("read": the file through a 64 KB window, as the CLI reads it; builds
//         without it: readFileSync + readPolicy) and policy.index.buildAll() ("index"): the first call
//         in a fresh process, JIT cold. Import time is reported apart.
//   warm  in this process, read + index repeated N times (default 15) after 3 unmeasured rounds.
//   decide computeAccess over N random (stype, ttype, class) queries (default 1,000,000): stype and
//         ttype drawn uniformly from the policy's types (not attributes), tclass from its classes,
//         pregenerated (xorshift, fixed seed); the decider is built (and reported) before the loop,
//         which runs twice: "first pass" (every query new to the decision cache, JIT warming up)
//         and "second pass" (same queries again). decisions/s is the first pass.
// Medians everywhere. POLICY defaults to $SE_POLICY.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// BENCH_DIST: another build to measure (e.g. one of a previous commit), default ../dist.
const dist = resolve(process.env.BENCH_DIST ?? resolve(here, '../dist'));
const lib = pathToFileURL(resolve(dist, 'selinux/policy/index.js')).href;
const decideLib = pathToFileURL(resolve(dist, 'selinux/policy/access/decide.js')).href;
const now = () => Number(process.hrtime.bigint()) / 1e6;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  if (i < 0) return def;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};

// ---- one cold sample (child mode) -----------------------------------------------------------
if (args[0] === '--sample') {
  const path = args[1];
  const t0 = now();
  const { readPolicy, readPolicyFile } = await import(lib);
  const t1 = now();
  const c1 = process.cpuUsage();
  const p = readPolicyFile ? readPolicyFile(path) : readPolicy(readFileSync(path));
  const t2 = now();
  p.index.buildAll();
  const t3 = now();
  const cpu = process.cpuUsage(c1);
  process.stdout.write(JSON.stringify({ import: t1 - t0, read: t2 - t1, index: t3 - t2, total: t3 - t1, cpu: (cpu.user + cpu.system) / 1000 }) + '\n');
  process.exit(0);
}

const coldN = Number(opt('--cold', '11'));
const warmN = Number(opt('--warm', '15'));
const queries = Number(opt('--queries', '1000000'));
const json = args.includes('--json');
const path = args.find((a) => !a.startsWith('--')) ?? process.env.SE_POLICY;
if (!path) {
  console.error('usage: node bench/policy-load.mjs POLICY (or set $SE_POLICY)');
  process.exit(2);
}

// ---- cold ----------------------------------------------------------------------------------
const cold = [];
for (let i = 0; i < coldN; i++) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--sample', path], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(r.stderr);
    process.exit(1);
  }
  cold.push(JSON.parse(r.stdout));
}
const col = (k) => median(cold.map((s) => s[k]));

// ---- warm ----------------------------------------------------------------------------------
const { readPolicy, readPolicyFile } = await import(lib);
const { computeAccess, accessDecider } = await import(decideLib);
const warm = [];
let policy;
for (let i = 0; i < warmN + 3; i++) {
  const t1 = now();
  const p = readPolicyFile ? readPolicyFile(path) : readPolicy(readFileSync(path));
  const t2 = now();
  p.index.buildAll();
  const t3 = now();
  if (i >= 3) warm.push({ read: t2 - t1, index: t3 - t2, total: t3 - t1 });
  policy = p;
}
const wcol = (k) => median(warm.map((s) => s[k]));

// ---- decisions -----------------------------------------------------------------------------
const typeVals = policy.types.filter((t) => !t.isAttribute).map((t) => t.value);
const classVals = policy.classes.filter(Boolean).map((c) => c.value);
const qs = new Uint16Array(queries * 3);
let x = 0x2545f491;
const rnd = (n) => {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return (x >>> 0) % n;
};
for (let i = 0; i < queries; i++) {
  qs[3 * i] = typeVals[rnd(typeVals.length)];
  qs[3 * i + 1] = typeVals[rnd(typeVals.length)];
  qs[3 * i + 2] = classVals[rnd(classVals.length)];
}
const t = now();
accessDecider(policy);
const deciderMs = now() - t;
let sink = 0;
let allowedAny = 0;
const pass = () => {
  const t0 = now();
  for (let i = 0; i < queries; i++) {
    const d = computeAccess(policy, qs[3 * i], qs[3 * i + 1], qs[3 * i + 2]);
    sink ^= d.allowed ^ d.auditdeny;
    if (d.allowed !== 0) allowedAny++;
  }
  return now() - t0;
};
const first = pass();
const second = pass();
const rate = (queries / first) * 1000;

const res = {
  policy: path,
  coldSamples: coldN,
  cold: { import: col('import'), read: col('read'), index: col('index'), readIndex: col('total'), readIndexCpu: col('cpu') },
  warmSamples: warmN,
  warm: { read: wcol('read'), index: wcol('index'), readIndex: wcol('total') },
  decider: deciderMs,
  queries,
  decide: { firstPassMs: first, secondPassMs: second, perSecond: rate, allowedShare: allowedAny / (2 * queries), sink },
};
if (json) {
  console.log(JSON.stringify(res));
} else {
  const f = (v) => v.toFixed(1).padStart(7);
  console.log(`policy ${path} (${readFileSync(path).length} bytes), ${dist}, medians`);
  console.log(
    `  cold (${coldN} fresh processes):  import ${f(res.cold.import)} ms   read ${f(res.cold.read)} ms   index ${f(res.cold.index)} ms   read+index ${f(res.cold.readIndex)} ms (CPU ${res.cold.readIndexCpu.toFixed(1)} ms, all threads)`,
  );
  console.log(`  warm (${warmN} rounds):            ${' '.repeat(18)}read ${f(res.warm.read)} ms   index ${f(res.warm.index)} ms   read+index ${f(res.warm.readIndex)} ms`);
  console.log(
    `  decisions: decider build ${deciderMs.toFixed(1)} ms; ${queries} random queries: first pass ${first.toFixed(0)} ms (${(rate / 1e6).toFixed(2)} M/s), second pass ${second.toFixed(0)} ms (${(queries / second / 1e3).toFixed(2)} M/s); ${(100 * res.decide.allowedShare).toFixed(1)}% with some allowed bit`,
  );
}
