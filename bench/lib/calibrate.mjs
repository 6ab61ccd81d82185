// What two threads are worth on this machine: a loop of arithmetic and a loop that allocates
// (short-lived objects plus a window that survives a young collection, as parsers do), each run
// alone and then on two worker threads at once, three rounds, medians. Prints how much work two
// threads get done against one (2.0x: two full cores). `build --all` and `allow` on large files
// count on that gain; on a VM whose two vCPUs share a core or memory bandwidth the allocating loop
// gains much less than the arithmetic one, and so do they.
//   node bench/lib/calibrate.mjs   (about 15 s)
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

function compute() {
  const a = new Float64Array(1024);
  for (let i = 0; i < a.length; i++) a[i] = i;
  let s0 = 0;
  let s1 = 0;
  for (let r = 0; r < 300_000; r++) {
    for (let i = 0; i < 1024; i += 2) {
      s0 += a[i] * 1.0001;
      s1 += a[i + 1] * 0.9999;
    }
  }
  return s0 + s1;
}

function allocate() {
  let keep = [];
  let n = 0;
  for (let i = 0; i < 6_000_000; i++) {
    keep.push({ a: i, b: `x${i % 1000}` });
    if (keep.length > 100_000) {
      n += keep.length;
      keep = [];
    }
  }
  return n;
}

const LOOPS = { compute, allocate };

function timed(name) {
  const t = performance.now();
  LOOPS[name]();
  return performance.now() - t;
}

function onWorker(name) {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: name });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

const median = (xs) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)];

if (!isMainThread) {
  parentPort.postMessage(timed(workerData));
} else {
  const parts = [];
  for (const name of Object.keys(LOOPS)) {
    const one = [];
    const two = [];
    for (let round = 0; round < 3; round++) {
      one.push(await onWorker(name));
      const pair = await Promise.all([onWorker(name), onWorker(name)]);
      two.push(Math.max(...pair));
    }
    const a = median(one);
    const b = median(two);
    parts.push(`${name} ${a.toFixed(0)} ms alone, ${b.toFixed(0)} ms as two at once: ${((2 * a) / b).toFixed(2)}x`);
  }
  console.log(`two threads here: ${parts.join('; ')}`);
}
