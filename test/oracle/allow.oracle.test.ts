// Differential test of `porthole allow` against Debian's audit2allow (CI sample).
//
// Inputs: every corpus and sample log, plus ~40 generated logs spread over all
// formats, in both generator modes, each run with every option set
// (plain, -m NAME, -D, -e, -x, -r, -v; the corpus, sample and edge logs also -l). audit2allow runs in ONE Python process
// (audit2allow_batch.py); ours in process.
//   * every log: per (source, target, class) union of permissions, role types
//     and xperm rules must be identical;
//   * generated logs whose denials are all missing-rule cases: the whole output
//     must be identical byte for byte (after compare.ts normaliseOutputs()).
// The large sweep (>= 1000 logs) is scripts/sweep-allow.sh.

import { writeFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { tempDir } from '../support/tempDir.js';
import {
  type CaseResult,
  CORPUS_DIRS,
  categoriseDifferences,
  corpusCases,
  describeDifferences,
  generatedCases,
  type OracleCase,
  runCases,
  summarise,
  summaryLine,
  tallyAdjustments,
  WITH_POLICY,
} from './support/harness.js';
import { describeOracle, sharedDirs } from './support/oracles.js';
import { ciGeneratedSpecs } from './support/samples.js';

let cases: OracleCase[] = [];
let results: CaseResult[] = [];
const byId = new Map<string, CaseResult>();

/** Something differs: the logs and the report are kept (their directory is printed). */
function differs(): boolean {
  const s = summarise(results);
  return results.length > 0 && !(s.structIdentical === s.logs && s.fullIdentical === s.fullEligible);
}

describeOracle('porthole allow vs audit2allow (CI sample)', () => {
  const dir = tempDir('allow-oracle', { keep: differs });
  cases = [
    ...corpusCases(sharedDirs('allow vs audit2allow on the corpus and sample logs', CORPUS_DIRS)),
    ...generatedCases(
      dir.path,
      ciGeneratedSpecs().map((gen) => ({ gen })),
    ),
  ];

  beforeAll(async () => {
    results = await runCases(cases, { chunk: cases.length, parallel: 1, cwd: dir.path });
    for (const r of results) byId.set(r.case.id, r);
    const s = summarise(results);
    const report = dir.join('report.txt');
    writeFileSync(
      report,
      `${summaryLine('oracle-ci', s)}\n\nkinds of differences:\n${categoriseDifferences(results)}\n\ninputs prepared / outputs normalised (README "Differences" items):\n${tallyAdjustments(results)}\n\n${describeDifferences(results, { maxCases: 100000, maxLines: 100000 })}\n`,
    );
    process.stdout.write(`${summaryLine('oracle-ci', s)}\n  full report: ${report} (kept when something differs)\n  inputs prepared / outputs normalised:\n${tallyAdjustments(results)}\n`);
  }, 300_000);

  it('audit2allow runs are sane (its rules match its own parser; generated missing-rule logs are TERULE-only)', () => {
    expect(results.map((r) => r.case.id)).toEqual(cases.map((c) => c.id));
    const bad: string[] = [];
    for (const r of results) {
      for (const x of r.runs) if (x.oracleSelfCheck) bad.push(`${r.case.id} ${x.option}: ${x.oracleSelfCheck}`);
      if (r.case.gen?.missingRuleOnly && !r.eligibleFull) {
        const off = r.classify.avcs.filter((a) => a.denial && a.result !== 'TERULE').map((a) => `${a.result}: ${a.line}`);
        const inv = r.classify.invalid.filter((x) => x.reason === 'policy').map((x) => `dropped: ${x.line}`);
        bad.push(`${r.case.id}: generated in missing-rule mode but audit2why disagrees (fixture stale for this policy?): ${[...off, ...inv].slice(0, 5).join(' | ')}`);
      }
    }
    expect(bad, bad.join('\n')).toEqual([]);
  });

  for (const c of cases) {
    it(`same rules per (source, target, class): ${c.id}`, () => {
      const r = byId.get(c.id);
      expect(r, 'no result (beforeAll failed?)').toBeDefined();
      if (!r) return;
      const bad = r.runs.filter((x) => !x.structOk);
      expect(
        bad.map((x) => x.option),
        describeDifferences([{ ...r, runs: bad }], { maxLines: 40 }),
      ).toEqual([]);
    });
  }

  for (const c of cases.filter((x) => !x.gen)) {
    it(`identical output where comparable (with -p: every log; without: all denials missing-rule): ${c.id}`, (ctx) => {
      const r = byId.get(c.id);
      expect(r, 'no result (beforeAll failed?)').toBeDefined();
      if (!r) return;
      if (!r.eligibleFull) {
        // Only without -p (PORTHOLE_ORACLE_NO_POLICY) can a log be out of reach of the full comparison.
        expect(WITH_POLICY, 'with -p every log is compared in full').toBe(false);
        ctx.skip('not comparable in full without -p');
      }
      const bad = r.runs.filter((x) => x.full && !x.full.ok);
      expect(
        bad.map((x) => x.option),
        describeDifferences([{ ...r, runs: bad }], { maxLines: 60 }),
      ).toEqual([]);
    });
  }

  for (const c of cases.filter((x) => x.gen?.missingRuleOnly)) {
    it(`identical output (missing-rule log): ${c.id}`, () => {
      const r = byId.get(c.id);
      expect(r, 'no result (beforeAll failed?)').toBeDefined();
      if (!r) return;
      expect(r.eligibleFull, 'log not eligible for the full comparison (see the sanity test)').toBe(true);
      const bad = r.runs.filter((x) => x.full && !x.full.ok);
      expect(
        bad.map((x) => x.option),
        describeDifferences([{ ...r, runs: bad }], { maxLines: 60 }),
      ).toEqual([]);
    });
  }
});
