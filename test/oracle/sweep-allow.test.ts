// The large differential sweep of `porthole allow` against audit2allow: run by
// hand before resolving (scripts/sweep-allow.sh), skipped unless
// PORTHOLE_SWEEP=<number of logs> is set. Same harness as allow.oracle.test.ts.
//   PORTHOLE_SWEEP=1000 [PORTHOLE_SWEEP_SEED=100000] [PORTHOLE_SWEEP_OUT=dir] npx vitest run test/oracle/sweep-allow.test.ts
// Writes DIR/summary.txt (the `sweep: ...` line), DIR/report.txt (every
// difference) and the generated logs (DIR/logs/*.log with .meta.json).
// Without PORTHOLE_SWEEP_OUT, DIR is a new porthole-sweep-* directory under
// $TMPDIR: the sweep's output, kept, and its path printed.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { categoriseDifferences, describeDifferences, generatedCases, runCases, summarise, summaryLine, tallyAdjustments } from './support/harness.js';
import { describeOracle } from './support/oracles.js';
import { sweepSpecs } from './support/samples.js';

const count = Number(process.env.PORTHOLE_SWEEP ?? '0');
const NAME = 'allow sweep vs audit2allow';

const sweep = (): void => {
  it.skipIf(!(count > 0))(
    `${count} generated logs (set PORTHOLE_SWEEP=<logs>; see scripts/sweep-allow.sh)`,
    async () => {
      const seed = Number(process.env.PORTHOLE_SWEEP_SEED ?? '100000');
      const out = process.env.PORTHOLE_SWEEP_OUT ?? mkdtempSync(join(tmpdir(), 'porthole-sweep-'));
      const logs = join(out, 'logs');
      mkdirSync(logs, { recursive: true });
      const cases = generatedCases(
        logs,
        sweepSpecs(count, seed).map((gen) => ({ gen })),
      );
      const t0 = Date.now();
      const results = await runCases(cases, {
        chunk: 50,
        parallel: 2,
        cwd: logs,
        onProgress: (done, total) => process.stderr.write(`sweep: ${done}/${total} logs (${Math.round((Date.now() - t0) / 1000)} s)\n`),
      });
      const s = summarise(results);
      const line = summaryLine('sweep', s);
      writeFileSync(join(out, 'summary.txt'), `${line}\n`);
      writeFileSync(
        join(out, 'report.txt'),
        `${line}\nseed ${seed}, ${Math.round((Date.now() - t0) / 1000)} s\n\nkinds of differences:\n${categoriseDifferences(results)}\n\ninputs prepared / outputs normalised (README "Differences" items):\n${tallyAdjustments(results)}\n\n${describeDifferences(results, { maxCases: 1_000_000, maxLines: 200 })}\n`,
      );
      process.stdout.write(`${line}\n  report: ${join(out, 'report.txt')}\n`);
      expect(s.logs, line).toBe(count);
      expect(s.structIdentical, line).toBe(s.logs);
      expect(s.fullIdentical, line).toBe(s.fullEligible);
    },
    3 * 3600_000,
  );
};

// Asked for, the sweep needs the oracle tools (skipped or failing without them, as every oracle suite);
// not asked for, its one test is skipped and nothing is checked.
if (count > 0) describeOracle(NAME, sweep);
else describe(NAME, sweep);
