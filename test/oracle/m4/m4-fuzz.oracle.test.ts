// Fuzzing the m4 engine against /usr/bin/m4: random macro programs (fast-check,
// fixed seed) with user macros calling one another ($1.., $#, $*, $@, quoting,
// shift, recursion over arguments), builtins (ifelse, ifdef, defn, pushdef,
// popdef, len, index, substr, translit, incr, decr, eval, regexp, patsubst,
// format, divert, undivert, dnl), comments and unbalanced input. Each program
// must give the same stdout and exit status as m4, or both must fail. Each is
// also run as its definitions read once and the rest in forks (the devel
// pipeline's way), repeated so that the memo of top-level calls (memo.ts)
// records and replays, with and without sync lines: the same bytes,
// diagnostics and status as without the memo.
// 300 programs in CI; PORTHOLE_M4_FUZZ=N for N.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { expandM4, M4Engine } from '../../../src/index.js';
import { tempDir } from '../../support/tempDir.js';
import { describeOracle } from '../support/oracles.js';

const RUNS = Number(process.env.PORTHOLE_M4_FUZZ ?? 300);

const word = fc.constantFrom('a', 'b', 'foo', 'x y', '1', '0', '-3', '42', 'abc def', '', ' ', 'Hello', 'm0', 'm1', 'dnl', 'len', '$1', '#c', '(', ')', ',');
const num = fc.constantFrom('0', '1', '2', '3', '7', '-1', '-5', '10', '0x1f', '010', '0b11', '31');
const evalExpr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    num,
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '%', '**', '==', '!=', '<', '>=', '&&', '||', '<<', '>>', '&', '|', '^'), tie('e')).map(([a, o, b]) => `${a}${o}${b}`),
    fc.tuple(fc.constantFrom('-', '!', '~', '+'), tie('e')).map(([o, a]) => `${o}${a}`),
    tie('e').map((a) => `(${a})`),
  ),
})).e;
const regexAtom = fc.constantFrom('a', 'b', 'o', '.', '[a-c]', '[^x ]', '\\w', '\\W', ' ', 'x');
const regex = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(regexAtom, fc.constantFrom('', '', '*', '+', '?')), { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean())
  .map(([caret, atoms, group, dollar]) => {
    const body = atoms.map(([a, q]) => a + q).join('');
    return `${caret ? '^' : ''}${group ? `\\(${body}\\)` : body}${dollar ? '$' : ''}`;
  });
const replacement = fc.constantFrom('<\\&>', '[\\1]', '', 'z', '\\\\', '-\\&-\\1');

/** Text with macro calls; `names` are the macros that may be called. */
function text(names: readonly string[], depth: number): fc.Arbitrary<string> {
  const leaf = fc.oneof(
    word,
    word.map((w) => `\`${w}'`),
    fc.constantFrom("``q'' `'", '# comment\n', '\n', ' ', ',', '$#', '$@', '$*', '$1', '$2'),
  );
  if (depth <= 0) return fc.array(leaf, { maxLength: 4 }).map((a) => a.join(''));
  const sub = text(names, depth - 1);
  const args = fc.array(
    fc.oneof(
      sub,
      sub.map((t) => `\`${t}'`),
    ),
    { maxLength: 4 },
  );
  const call = fc.oneof(
    fc.tuple(fc.constantFrom(...names), args).map(([n, a]) => `${n}(${a.join(',')})`),
    fc.constantFrom(...names),
    args.map((a) => `ifelse(${a.join(',')})`),
    fc.tuple(fc.constantFrom(...names, 'zz', 'len'), sub, sub).map(([n, a, b]) => `ifdef(\`${n}', \`${a}', \`${b}')`),
    args.map((a) => `shift(${a.join(',')})`),
    sub.map((a) => `len(\`${a}')`),
    fc.tuple(sub, word).map(([a, b]) => `index(\`${a}', \`${b}')`),
    fc.tuple(sub, num, fc.option(num)).map(([a, s, l]) => `substr(\`${a}', ${s}${l === null ? '' : `, ${l}`})`),
    fc.tuple(sub, fc.constantFrom('a-z', 'abc', 'o', 'a-c-e', 'z-a'), fc.constantFrom('A-Z', 'xy', '', '1-3')).map(([a, f, t]) => `translit(\`${a}', \`${f}', \`${t}')`),
    fc.tuple(fc.constantFrom('incr', 'decr'), num).map(([m, n]) => `${m}(${n})`),
    fc
      .tuple(evalExpr, fc.option(fc.constantFrom('2', '8', '16', '36', '1')), fc.option(fc.constantFrom('0', '3')))
      .map(([e, r, w]) => `eval(${e}${r === null ? '' : `, ${r}${w === null ? '' : `, ${w}`}`})`),
    fc.tuple(sub, regex, fc.option(replacement)).map(([a, r, p]) => `regexp(\`${a}', \`${r}'${p === null ? '' : `, \`${p}'`})`),
    fc.tuple(sub, regex, replacement).map(([a, r, p]) => `patsubst(\`${a}', \`${r}', \`${p}')`),
    fc.tuple(fc.constantFrom('%s|%d', '%5s', '%-3d|%x', '%c%%', '%05d'), sub, num).map(([f, a, n]) => `format(\`${f}', \`${a}', ${n})`),
    fc.constantFrom('divert(1)', 'divert(-1)', 'divert', 'divert(2)', 'undivert(1)', 'undivert', 'divnum', 'dnl ', '__line__'),
    fc.tuple(fc.constantFrom(...names), sub).map(([n, b]) => `pushdef(\`${n}', \`${b}')`),
    fc.constantFrom(...names).map((n) => `popdef(\`${n}')`),
    fc.constantFrom(...names).map((n) => `defn(\`${n}')`),
  );
  return fc.array(fc.oneof(leaf, call), { maxLength: 5 }).map((a) => a.join(''));
}

const NAMES = ['m0', 'm1', 'm2', 'm3'];
const program = fc
  .tuple(
    fc.tuple(...NAMES.map((_, k) => (k === 0 ? text(['len'], 1) : text(NAMES.slice(0, k), 2)))),
    fc.array(text(NAMES, 3), { minLength: 1, maxLength: 4 }),
    fc.constantFrom('', '', '`unbalanced', 'm1(', '(x', "'"),
  )
  .map(([bodies, lines, tail]) => ({ defs: `${bodies.map((b, k) => `define(\`m${k}', \`${b}')`).join('dnl\n')}dnl\n`, rest: `${lines.join('\n')}\n${tail}` }));

/** `rest` in forks of an engine that read `defs`, once for each variant: output, status and diagnostics, and the memo's replays. */
function forked(defs: string, rest: string, memo: boolean, syncLines: boolean): { results: string[]; hits: number } {
  const base = new M4Engine({ memo, syncLines, limits: { maxOutput: 1 << 26 } });
  base.processText('defs.m4', defs);
  const results: string[] = [];
  let hits = 0;
  for (const text of [rest, rest, `\n${rest}`, rest]) {
    const e = base.fork();
    e.processText('p.m4', text);
    const r = e.finish();
    hits += e.memoHits;
    results.push(JSON.stringify([r.output, r.exitCode, r.diagnostics.map((d) => [d.code, d.message, d.span, d.notes])]));
  }
  return { results, hits };
}

describeOracle('m4: random macro programs, ours == /usr/bin/m4', () => {
  const dir = tempDir('m4-fuzz');
  it(`expands ${RUNS} random programs as m4 does`, () => {
    let compared = 0;
    let replayed = 0;
    let n = 0;
    fc.assert(
      fc.property(program, ({ defs, rest }) => {
        const src = defs + rest;
        writeFileSync(dir.join('p.m4'), src, 'latin1');
        const real = spawnSync('m4', ['p.m4'], { cwd: dir.path, encoding: 'latin1', timeout: 10_000, maxBuffer: 1 << 26 });
        if (real.error !== undefined || real.status === null) return; // m4 did not finish
        // The memo's runs only for programs m4 finishes (a runaway one would run eight times to the call limit).
        const sync = n++ % 2 === 1;
        const on = forked(defs, rest, true, sync);
        expect(on.results).toEqual(forked(defs, rest, false, sync).results);
        replayed += on.hits;
        const ours = expandM4([{ name: 'p.m4', text: src }], { limits: { maxOutput: 1 << 26 } });
        compared++;
        if (real.status !== 0 && ours.exitCode !== 0) return;
        expect({ out: ours.output, code: ours.exitCode }).toEqual({ out: real.stdout, code: real.status });
      }),
      { seed: 20261205, numRuns: RUNS, endOnFailure: true },
    );
    expect(compared).toBeGreaterThan(RUNS * 0.9);
    expect(replayed).toBeGreaterThan(0);
  }, 600_000);
}, ['m4']);
