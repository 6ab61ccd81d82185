// Differential test on the hand-made priority fixture
// (test/fixtures/labels/priority/: .homedirs, .local, .subs and .subs_dist
// exercising every priority and equivalence rule): `porthole label -m MODE -f`
// against matchpathcon itself in each mode, and the library against
// selabel_lookup for the paths and variants of them in every mode (any included,
// which matchpathcon -m cannot ask).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/main.js';
import { loadFileContexts } from '../../../src/selinux/labels/index.js';
import { describeOracle } from '../support/oracles.js';
import { SWEEP_MODES, selabelLookups } from './selabel.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/labels/priority/', import.meta.url));
const FC = FIXTURE + 'file_contexts';
const PATHS = readFileSync(FIXTURE + 'paths.txt', 'utf8')
  .split('\n')
  .filter(Boolean);

describeOracle('file labels: the priority fixture against matchpathcon and selabel_lookup', () => {
  for (const mode of ['file', 'dir', 'lnk_file', 'chr_file', 'blk_file', 'sock_file', 'pipe']) {
    it(`porthole label -m ${mode} prints what matchpathcon -m ${mode} prints`, async () => {
      const real = spawnSync('matchpathcon', ['-m', mode, '-f', FC, ...PATHS], { encoding: 'utf8' });
      const io = memoryIo({ cwd: FIXTURE, stdin: Readable.from([]) });
      const code = await run(['label', '-m', mode, '-f', FC, ...PATHS], io);
      expect([code, io.out.join(''), io.err.join('')]).toEqual([real.status, real.stdout, real.stderr]);
    });
  }

  it('the library answers as selabel_lookup in every mode, also for odd forms of the paths', () => {
    const paths = PATHS.flatMap((p) => [p, p + '/', `/${p}`, p.replace(/\//g, '//'), p + '\n', p + '/\xff', p + '/.', p.replace(/\/[^/]*$/, '/..$&')]);
    const queries = paths.flatMap((p) => SWEEP_MODES.map((m) => [p, m] as const));
    const { answers } = selabelLookups(FC, queries);
    const fc = loadFileContexts(FC).contexts;
    const diffs = queries
      .map(([p, m], i) => {
        const a = fc.lookup(p, m);
        return { path: JSON.stringify(p), mode: m, ours: a.error === 'EINVAL' ? '!EINVAL' : (a.context ?? null), libselinux: answers[i] };
      })
      .filter((d) => d.ours !== d.libselinux);
    expect(diffs).toEqual([]);
  });
}, ['env', 'python-selinux', 'matchpathcon']);
