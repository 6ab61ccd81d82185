// The engine beyond GNU m4's output: where output came from (origins),
// limits, fork, what is refused, and the diagnostics' places and chains.
import { describe, expect, it } from 'vitest';
import { expandM4, M4Engine, type M4Origin } from '../../../index.js';

/** Each origin with the output text it covers, its site, and its chain of macros (innermost first). */
function stretches(output: string, origins: readonly M4Origin[]) {
  return origins.map((o, i) => {
    const chain: string[] = [];
    for (let x = o.expansion; x !== undefined; x = x.parent) chain.push(`${x.macro}@${x.site.line}:${x.site.column}`);
    return { text: output.slice(o.offset, origins[i + 1]?.offset ?? output.length), at: `${o.site.file}:${o.site.line}:${o.site.column}`, chain };
  });
}

describe('origins', () => {
  it('maps every token to the line and column written (an argument where it was written), and to the chain of calls', () => {
    const src = "define(`inner', `allow $1 self:file read;')dnl\ndefine(`outer', `inner($1)')dnl\n  outer(foo_t)\n";
    const r = expandM4([{ name: 'm.te', text: src }], { origins: true });
    expect(r.output).toBe('  allow foo_t self:file read;\n');
    expect(stretches(r.output, r.origins)).toEqual([
      { text: '  ', at: 'm.te:3:1', chain: [] },
      { text: 'allow ', at: 'm.te:3:3', chain: ['inner@3:3', 'outer@3:3'] },
      { text: 'foo_t', at: 'm.te:3:9', chain: ['inner@3:3', 'outer@3:3'] },
      { text: ' self:file read;', at: 'm.te:3:3', chain: ['inner@3:3', 'outer@3:3'] },
      { text: '\n', at: 'm.te:3:15', chain: [] },
    ]);
  });

  it('follows text into diversions and back', () => {
    const r = expandM4([{ name: 'd.m4', text: 'divert(1)later\ndivert(0)now\n' }], { origins: true });
    expect(r.output).toBe('now\nlater\n');
    expect(stretches(r.output, r.origins).map((s) => [s.text, s.at])).toEqual([
      ['now', 'd.m4:2:10'],
      ['\n', 'd.m4:2:13'],
      ['later', 'd.m4:1:10'],
      ['\n', 'd.m4:1:15'],
    ]);
  });

  it('costs nothing when not asked for', () => {
    expect(expandM4([{ name: 'x', text: 'a\n' }]).origins).toEqual([]);
  });
});

describe('limits and errors', () => {
  it('ends runaway recursion with m4-limit, the place and the chain', () => {
    const r = expandM4([{ name: 'r.m4', text: "define(`f', `f(f($1))')dnl\nf(x)\n" }], { limits: { maxDepth: 50 } });
    expect(r.exitCode).toBe(1);
    const d = r.diagnostics.find((x) => x.code === 'm4-limit');
    expect(d?.span).toMatchObject({ file: 'r.m4', line: 2 });
    expect(d?.notes.map((n) => n.message)).toContain("in expansion of `f' (50 times)");
  });

  it('ends a macro that expands to itself forever (m4 would hang)', () => {
    const r = expandM4([{ name: 'l.m4', text: "define(`a', `a')a\n" }], { limits: { maxCalls: 10_000 } });
    expect(r.exitCode).toBe(1);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['m4-limit']);
  });

  it('bounds the output', () => {
    const r = expandM4([{ name: 'o.m4', text: "define(`x', `xxxxxxxxxx')define(`y', `x x x x x x x x')y y y y y y y y\n" }], { limits: { maxOutput: 100 } });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['m4-limit']);
  });

  it('reports an unterminated string at the line it starts', () => {
    const r = expandM4([{ name: 'q.m4', text: 'a\nb `c\nd\n' }]);
    expect(r.exitCode).toBe(1);
    expect(r.output).toBe('a\nb ');
    expect(r.diagnostics[0]).toMatchObject({ code: 'm4-error', span: { file: 'q.m4', line: 2 } });
  });

  it('refuses alternation in regular expressions, with the place', () => {
    const r = expandM4([{ name: 'x.m4', text: "\nregexp(`ab', `a\\|b')\n" }]);
    expect(r.output).toBe('\n\n');
    expect(r.diagnostics[0]).toMatchObject({ code: 'm4-regex', span: { file: 'x.m4', line: 2 } });
  });

  it('refuses syscmd and esyscmd', () => {
    const r = expandM4([{ name: 's.m4', text: "syscmd(`touch /tmp/x')esyscmd(`id')\n" }]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['m4-unsupported', 'm4-unsupported']);
    expect(r.exitCode).toBe(1);
  });

  it('warns about wrong argument counts as m4 does, and goes on', () => {
    const r = expandM4([{ name: 'w.m4', text: 'len(a, b)|incr(x)\n' }]);
    expect(r.output).toBe('1|\n');
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['m4-warning', "Warning: excess arguments to builtin `len' ignored"],
      ['m4-warning', "non-numeric argument to builtin `incr'"],
    ]);
    expect(r.exitCode).toBe(0);
  });
});

describe('M4Engine', () => {
  it('forks: a copy goes on from the same state, the original is untouched', () => {
    const m = new M4Engine();
    m.processText('a.m4', "define(`x', `1')divert(1)d\ndivert`'x\n");
    const a = m.fork();
    a.processText('b.m4', "define(`x', `2')x\n");
    const b = m.fork();
    b.processText('c.m4', 'x\n');
    expect(a.finish().output).toBe('1\n2\nd\n');
    expect(b.finish().output).toBe('1\n1\nd\n');
  });

  it('forks a fork without changing what the original sees', () => {
    const m = new M4Engine();
    m.processText('a.m4', "define(`x', `1')");
    const a = m.fork();
    a.processText('b.m4', "define(`y', `2')");
    a.fork();
    const b = m.fork();
    b.processText('c.m4', 'x y\n');
    expect(b.finish().output).toBe('1 y\n');
  });

  it('reads include files through the -I path', () => {
    const files: Record<string, string> = { 'inc/x.m4': "define(`y', `Y')" };
    const r = expandM4([{ name: 'm', text: "include(`x.m4')y sinclude(`nope')\n" }], { includeDirs: ['inc'], readFile: (p) => files[p] });
    expect(r.output).toBe('Y \n');
  });
});
