// How many cases a fast-check property runs: a few hundred by default (CI
// included), many more with PORTHOLE_FUZZ=long, or exactly N with
// PORTHOLE_FUZZ_RUNS=N. Seeds are fixed in the tests, so a failure repeats.

/** The number of runs for a property; `base` is the default (200). */
export function fuzzRuns(base = 200): number {
  const n = Number(process.env.PORTHOLE_FUZZ_RUNS);
  if (Number.isSafeInteger(n) && n > 0) return n;
  return process.env.PORTHOLE_FUZZ === 'long' ? base * 50 : base;
}
