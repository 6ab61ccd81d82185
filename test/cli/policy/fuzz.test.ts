// Random damage to a small binary policy, given to every command that reads one: `policy info`
// (statistics: the scan; a listing: the reader), `policy search`, `why -p` and `allow -p`. Each
// copy is either read by all of them, or rejected by all of them with the same one-line
// policy-format error naming the file, the section and the byte offset, exit 1: never another
// exception, never a hang (the test's timeout), never one command accepting what another rejects.
// A fixed seed and fuzzRuns() cases (PORTHOLE_FUZZ=long for many more).
import { writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/main.js';
import { smallPolicy } from '../../fixtures/policy/writer.js';
import { fuzzRuns } from '../../support/fuzzRuns.js';
import { tempDir } from '../../support/tempDir.js';

const scratch = tempDir('cli-policy-fuzz');
const LOG = 'type=AVC msg=audit(1700000000.100:1): avc:  denied  { write } for  pid=1 comm="a" scontext=u_u:r_r:a_t:s0 tcontext=u_u:object_r:b_t:s0 tclass=file permissive=0\n';

async function porthole(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: scratch.path, stdin: Readable.from([]) });
  const code = await run(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

/** The commands that read a policy, each as it is given the file P. */
const COMMANDS: readonly (readonly string[])[] = [
  ['policy', 'info', 'P'],
  ['policy', 'info', 'P', '-t'],
  ['policy', 'search', 'P', '-A'],
  ['why', '-p', 'P', 'log'],
  ['allow', '-p', 'P', 'log'],
];

/** One damaged copy: bytes overwritten, cut short, or 32-bit words (counts, lengths) set to 0xFFFFFFFF. */
function damage(src: Uint8Array): fc.Arbitrary<Uint8Array> {
  const flips = fc.array(fc.tuple(fc.nat(src.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }).map((fs) => {
    const b = src.slice();
    for (const [at, x] of fs) b[at] = x;
    return b;
  });
  const cut = fc.nat(src.length - 1).map((len) => src.slice(0, len));
  // At any offset: names between the fields leave them unaligned.
  const words = fc.array(fc.nat(src.length - 4), { minLength: 1, maxLength: 3 }).map((ws) => {
    const b = src.slice();
    const v = new DataView(b.buffer);
    for (const w of ws) v.setUint32(w, 0xffffffff, true);
    return b;
  });
  return fc.oneof(flips, cut, words);
}

describe('every command reading a damaged policy', () => {
  it('reads it with all of them, or rejects it with the same one-line error everywhere', async () => {
    writeFileSync(scratch.join('log'), LOG);
    const counts = { read: 0, rejected: 0 };
    for (const [version, mls] of [
      [33, true],
      [24, false],
      [35, true],
    ] as const) {
      const src = smallPolicy({ version, mls });
      await fc.assert(
        fc.asyncProperty(damage(src), async (bytes) => {
          writeFileSync(scratch.join('P'), bytes);
          const results = [];
          for (const args of COMMANDS) results.push(await porthole(args.slice()));
          const errors = results.map((r) => (/error\[policy-format\]/.test(r.err) ? r.err : undefined));
          if (errors.every((e) => e === undefined)) {
            counts.read++;
            // Read by all: info and search succeed.
            expect(results[0]!.code).toBe(0);
            expect(results[2]!.code).toBe(0);
            return;
          }
          counts.rejected++;
          const first = errors[0];
          expect(first).toMatch(/^P: error\[policy-format\]: [^\n]+ at byte \d+: [^\n]+\n$/);
          for (let i = 0; i < COMMANDS.length; i++) {
            expect(results[i]!.err, COMMANDS[i]!.join(' ')).toBe(first);
            expect(results[i]!.code, COMMANDS[i]!.join(' ')).toBe(1);
            expect(results[i]!.out).toBe('');
          }
        }),
        { seed: 0x90a7, numRuns: fuzzRuns(100) },
      );
    }
    // Both ways are exercised.
    expect(counts.read).toBeGreaterThan(0);
    expect(counts.rejected).toBeGreaterThan(0);
  }, 600_000);
});
