// Differential test of file-label lookups against libselinux (selabel_lookup
// through /usr/bin/python3, ctypes for paths that are not UTF-8) on the
// committed corpus (test/fixtures/labels/corpus.txt.gz, about 100,000 paths)
// with the Debian policy's file_contexts ($SE_FC, with its .homedirs and
// .subs_dist), each path in every mode (any, file, dir, lnk_file, chr_file,
// blk_file, sock_file, pipe). CI compares every 25th path; the whole corpus
// with PORTHOLE_FULL_SWEEP=1 (prints the count).
import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { loadFileContexts } from '../../../src/selinux/labels/index.js';
import { describeOracle, findOracles } from '../support/oracles.js';
import { readCorpus, SWEEP_MODES, selabelLookups } from './selabel.js';

const FULL = /^(1|true|yes)$/i.test(process.env.PORTHOLE_FULL_SWEEP ?? '');
const STEP = FULL ? 1 : 25;

describeOracle('file labels: the corpus against libselinux selabel_lookup', () => {
  const fc = findOracles().env.SE_FC ?? '/etc/selinux/default/contexts/files/file_contexts';
  it.runIf(existsSync(fc))(`every ${STEP === 1 ? '' : `${STEP}th `}corpus path, in every mode, gets libselinux's answer`, { timeout: 1_800_000 }, () => {
    const corpus = readCorpus();
    expect(corpus.length).toBeGreaterThan(100_000);
    const paths = corpus.filter((_, i) => i % STEP === 0);
    const queries = paths.flatMap((p) => SWEEP_MODES.map((m) => [p, m] as const));
    const { answers, elapsed } = selabelLookups(fc, queries);
    const ours = loadFileContexts(fc).contexts;
    const t0 = performance.now();
    const mine = queries.map(([p, m]) => {
      const a = ours.lookup(p, m);
      return a.error === 'EINVAL' ? '!EINVAL' : (a.context ?? null);
    });
    const t1 = performance.now();
    const diffs = queries.map((q, i) => ({ path: JSON.stringify(q[0]), mode: q[1], libselinux: answers[i], ours: mine[i] })).filter((d) => d.libselinux !== d.ours);
    if (FULL)
      process.stderr.write(
        `label sweep: ${queries.length - diffs.length}/${queries.length} lookups agree (${paths.length} paths x ${SWEEP_MODES.length} modes); libselinux ${(queries.length / elapsed).toFixed(0)}/s, ours ${(queries.length / ((t1 - t0) / 1000)).toFixed(0)}/s\n`,
      );
    expect(diffs.slice(0, 20)).toEqual([]);
  });
}, ['env', 'python-selinux']);
