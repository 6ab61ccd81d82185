// The gzip reader against `gzip -dc` on generated inputs: members split at
// random places of random text, then nothing, zero bytes, random bytes, the
// start of a gzip header, a cut member or a member with a flipped byte. The
// data must be gzip's byte for byte when gzip succeeds (exit 0) or warns
// (exit 2, "trailing garbage ignored": then one trailing-garbage warning);
// when gzip fails (exit 1), so must we, with the data of every whole member
// before the failure. Trailing bytes 1f 1e, 1f 9d and 1f a0 are left out: gzip
// unpacks them as pack, compress or LZH data, Porthole refuses them.
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { fuzzRuns } from '../../support/fuzzRuns.js';
import { gunzipAll } from '../../support/gunzipAll.js';
import { unavailable } from '../support/oracles.js';

const RUNS = fuzzRuns(150);
const hasGzip = spawnSync('gzip', ['--version']).status === 0;
if (!hasGzip) unavailable('gzip -dc differential', 'gzip is not on PATH (apt-get install gzip)');
else {
  it(
    'gives what gzip -dc gives, on random members and trailing bytes',
    async () => {
      const text = fc.string({ unit: 'binary', maxLength: 3000 });
      const trailing = fc.oneof(
        fc.constant(Buffer.alloc(0)),
        fc.integer({ min: 1, max: 70000 }).map((n) => Buffer.alloc(n)),
        fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => Buffer.from(b)),
        fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.concat([Buffer.from([0x1f, 0x8b, 8]), b])),
        fc.tuple(text, fc.nat()).map(([t, n]) => {
          const g = gzipSync(t);
          return g.subarray(0, n % g.length);
        }),
        fc.tuple(text, fc.nat(), fc.integer({ min: 1, max: 255 })).map(([t, n, x]) => {
          const g = Buffer.from(gzipSync(t));
          g[10 + (n % (g.length - 10))]! ^= x;
          return g;
        }),
      );
      await fc.assert(
        fc.asyncProperty(text, fc.array(fc.nat(), { maxLength: 4 }), fc.integer({ min: 1, max: 9 }), trailing, fc.integer({ min: 1, max: 5000 }), async (t, cuts, level, tail, chunk) => {
          fc.pre(!(tail[0] === 0x1f && (tail[1] === 0x1e || tail[1] === 0x9d || tail[1] === 0xa0)));
          const at = [...new Set(cuts.map((c) => c % (t.length + 1)))].sort((a, b) => a - b);
          const parts = [0, ...at, t.length].slice(0, -1).map((s, i, all) => t.slice(s, [...all.slice(1), t.length][i]));
          const members = parts.map((p) => gzipSync(Buffer.from(p, 'latin1'), { level }));
          const whole = Buffer.from(t, 'latin1');
          const input = Buffer.concat([...members, tail]);
          const gz = spawnSync('gzip', ['-dc'], { input, maxBuffer: 1 << 26 });
          const ours = await gunzipAll(input, chunk);
          const got = { status: gz.status, warned: ours.warnings.length, failed: ours.error !== undefined };
          if (gz.status === 0) expect(got).toEqual({ status: 0, warned: 0, failed: false });
          else if (gz.status === 2) expect(got).toEqual({ status: 2, warned: 1, failed: false });
          else expect(got).toEqual({ status: 1, warned: 0, failed: true });
          if (gz.status !== 1) expect(ours.data.equals(gz.stdout)).toBe(true);
          else {
            expect(ours.data.subarray(0, whole.length).equals(whole)).toBe(true);
            expect(gz.stdout.subarray(0, whole.length).equals(whole)).toBe(true);
          }
        }),
        { seed: 11, numRuns: RUNS },
      );
    },
    Math.max(120_000, RUNS * 200),
  );
}
