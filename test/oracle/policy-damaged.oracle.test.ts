// Mutated copies of the oracle policy ($SE_POLICY): what `policy info` reads for its statistics
// (scanPolicyStats, which builds no model) and what `policy search`, `why` and `allow -p` read
// (readPolicy, every index built, every constraint decoded) must agree on each copy: the same
// statistics, or the same policy-format error (the same words, section and offset). 400 copies
// with a fixed seed (truncation, byte flips, 32-bit words set to extreme values); more with
// PORTHOLE_FUZZ=long. Before the scan made the reader's reference checks and gave the reader's
// error, 24 of these 400 disagreed: 3 read by `info` and rejected by `search`, 21 rejected by both
// in other words (the scan's messages did not name the symbol) or at another offset.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { policyStats, readPolicy, scanPolicyStats } from '../../src/selinux/policy/index.js';
import { policyError, policyErrorPlace } from '../fixtures/policy/outcome.js';
import { Rng } from '../gen/prng.js';
import { fuzzRuns } from '../support/fuzzRuns.js';
import { describeOracle, findOracles } from './support/oracles.js';

/** The statistics as JSON, or the error's message (and where it says the problem is). */
function outcome(read: () => unknown): string {
  try {
    return JSON.stringify(read());
  } catch (e) {
    const pe = policyError(e);
    if (!pe) throw e;
    const { section, offset } = policyErrorPlace(pe);
    return `error ${section} ${offset}: ${pe.message}`;
  }
}

function mutate(src: Uint8Array, rng: Rng): Uint8Array {
  const b = src.slice(0, rng.u32() % 8 === 0 ? rng.u32() % src.length : src.length);
  const view = new DataView(b.buffer);
  for (let k = 1 + (rng.u32() % 4); k > 0; k--) {
    const at = rng.u32() % Math.max(1, b.length - 4);
    if (rng.u32() % 2) b[at] = rng.u32() & 0xff;
    else if (at + 4 <= b.length) view.setUint32(at & ~3, [0, 1, 2, 0xffffffff, 0x7fffffff, 0x10000, rng.u32(), 64, 63][rng.u32() % 9]!, true);
  }
  return b;
}

// About 32 ms a copy here: the long run (20,000 copies) needs more than 10 minutes.
const TIME_LIMIT = Math.max(600_000, fuzzRuns(400) * 100);

describeOracle('policy info and policy search on damaged copies of the oracle policy', () => {
  it(
    'agree on every copy: the same statistics or the same error',
    () => {
      const src = new Uint8Array(readFileSync(findOracles().policy));
      const rng = new Rng(0x1d0c);
      const n = fuzzRuns(400);
      const disagree: string[] = [];
      let rejected = 0;
      for (let i = 0; i < n; i++) {
        const bytes = mutate(src, rng);
        const info = outcome(() => scanPolicyStats(bytes));
        const search = outcome(() => {
          const p = readPolicy(bytes);
          p.index.buildAll();
          for (const c of p.classes) for (const k of [...c.constraints, ...c.validatetrans]) for (const e of k.expr) if (e.kind === 'names') void e.names;
          return policyStats(p);
        });
        if (search.startsWith('error')) rejected++;
        if (info !== search) disagree.push(`copy ${i}:\n  info:   ${info.slice(0, 200)}\n  search: ${search.slice(0, 200)}`);
      }
      process.stderr.write(`damaged policies: ${n} copies, ${rejected} rejected, ${disagree.length} where info and search disagree\n`);
      expect(disagree).toEqual([]);
      expect(rejected).toBeGreaterThan(0);
      expect(rejected).toBeLessThan(n);
    },
    TIME_LIMIT,
  );
}, ['env', 'policy']);
