// Differential test of the PCRE2 -> JavaScript translation of file_contexts
// specs against PCRE2 itself (libpcre2-8 through ctypes, compiled as
// libselinux compiles them: ^SPEC$, DOTALL, no UTF): every spec of $SE_FC and
// its .homedirs plus hand-written tricky ones, each on examples generated from
// it and their near misses (a byte more, a byte less, a final newline, bytes
// that are not ASCII). Where PCRE2 refuses a spec we must refuse it too, and
// the fast syntax check at load (quickScan) must not pass it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { compileSpecRegex, literalPrefix, PcreError, parsePcre, quickScan, sampleMatch } from '../../../src/selinux/labels/index.js';
import { Rng } from '../../gen/prng.js';
import { describeOracle, findOracles, SYSTEM_PYTHON } from '../support/oracles.js';

const BATCH = new URL('./pcre_batch.py', import.meta.url).pathname;

const TRICKY = [
  '/a|/b',
  '/x$',
  '/x\\z',
  '/x\\Z',
  '^/x',
  '/[]a]+',
  '/[^]a]',
  '/[a-]+',
  '/[-a]+',
  '/[\\d-]+',
  '/[[:alpha:][:digit:]]+',
  '/[[:^space:]]+',
  '/a\\sb',
  '/a\\Sb',
  '/\\w+\\W',
  '/\\d{2,3}',
  '/a{,2}',
  '/a{2',
  '/a}',
  '/a]',
  '/\\x41\\x{42}\\0',
  '/\\Q.*\\E+',
  '/a(?=b)b',
  '/a(?!b).',
  '/(?<=a)b',
  '/a(?#c)b',
  '/(a|)+b',
  '/a*?b+?c??',
  '/\\.\\-\\/\\\\',
  '/.\\n.',
  '/\\ba\\B',
  '/a(',
  '/a)',
  '*a',
  '/a**',
  '/[z-a]',
  '/[abc',
  '/\\y',
  '/x{3,2}',
  '',
  '|',
  '(/.*)?',
  '/[a-z0-9._-]+',
  '/a?*',
  '/x|',
  '(|a)',
  '/[]-a]',
  '/a\\.?b',
  '/a^*',
  '/(a)+?',
  '/[^-]',
];

describeOracle('file labels: specs as PCRE2 compiles and matches them', () => {
  const fc = findOracles().env.SE_FC ?? '/etc/selinux/default/contexts/files/file_contexts';
  it.runIf(existsSync(fc))('every spec matches (and fails to compile) as under PCRE2', { timeout: 300_000 }, () => {
    const specs = new Set(TRICKY);
    for (const f of [fc, `${fc}.homedirs`])
      if (existsSync(f))
        for (const line of readFileSync(f, 'latin1').split('\n')) {
          const s = line.trim().split(/\s+/)[0];
          if (s && !s.startsWith('#')) specs.add(s);
        }
    const rng = new Rng(7);
    const rnd = { next: () => rng.next() };
    const cases: Array<[string, string[]]> = [];
    for (const spec of specs) {
      const subjects = new Set<string>(['', '/', '/a', 'b', '/x\n', '/a\n', 'a]', '/\\.-/\\']);
      try {
        const tree = parsePcre(spec);
        for (let k = 0; k < 8; k++) {
          const s = sampleMatch(tree, rnd);
          for (const v of [s, s + 'x', s.slice(0, -1), s + '\n', s + '\n\n', s + '/\xff', s.replace('/', '/\xe9')]) subjects.add(v);
        }
      } catch {
        // refused: PCRE2 must refuse it too, or it is a construct we do not translate
      }
      cases.push([spec, [...subjects]]);
    }
    const input = JSON.stringify({ cases: cases.map(([s, subj]) => [s, subj.map((x) => Buffer.from(x, 'latin1').toString('hex'))]) });
    const r = spawnSync(SYSTEM_PYTHON, ['-s', BATCH], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(r.status, r.stderr).toBe(0);
    const results = (JSON.parse(r.stdout) as { results: Array<{ error?: string; matches?: boolean[] }> }).results;
    const diffs: unknown[] = [];
    cases.forEach(([spec, subjects], i) => {
      const pcre = results[i]!;
      let re: RegExp | undefined;
      let ours: PcreError | undefined;
      try {
        re = compileSpecRegex(spec);
      } catch (e) {
        if (!(e instanceof PcreError)) throw e;
        ours = e;
      }
      // The fast check at load may only pass what PCRE2 compiles, with a prefix of the full parser's.
      const quick = quickScan(spec);
      if (quick && (pcre.error !== undefined || ours || !literalPrefix(parsePcre(spec)).startsWith(quick.prefix))) diffs.push({ spec, quick: quick.prefix, pcre: pcre.error ?? 'compiles' });
      if (pcre.error !== undefined) {
        if (!ours) diffs.push({ spec, pcre: pcre.error, ours: 'compiles' });
        return;
      }
      if (ours) {
        if (ours.kind !== 'unsupported') diffs.push({ spec, pcre: 'compiles', ours: ours.message });
        return;
      }
      subjects.forEach((s, k) => {
        if (re!.test(s) !== pcre.matches![k]) diffs.push({ spec, subject: JSON.stringify(s), pcre: pcre.matches![k] });
      });
    });
    expect(cases.length).toBeGreaterThan(4000);
    expect(diffs.slice(0, 20)).toEqual([]);
  });
}, ['env', 'python']);
