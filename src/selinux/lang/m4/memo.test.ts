// The memo of top-level expansions (memo.ts): every scenario runs with the
// memo and without it, over forks of one engine, and must give the same
// bytes, diagnostics and exit status; the scenarios that can replay must.
import { describe, expect, it } from 'vitest';
import { M4Engine, type M4Options } from './engine.js';
import { chunkWithArgs, deltaNumber, MEMO_MAX_CHARS, type MemoChunk, markSeen, memoFor, memoKey, memoKeyPrefix, placeholder } from './memo.js';

const DEFS = [
  "define(`decl_cats',`dnl\ncategory c$1;\nifelse(`$1',`$2',,`decl_cats(incr($1),$2)')dnl\n')dnl",
  "define(`cats',`\n\trequire {\n\t\tdecl_cats(0,decr($1))\n\t}\n')dnl",
  "define(`greet',`hello $1 `from' inner.')dnl",
  "define(`inner',`INNER')dnl",
  "define(`pair',`[$1|$2]')dnl",
  '',
].join('\n');

interface Run {
  outputs: string[];
  diagnostics: string[][];
  codes: number[];
  hits: number;
}

/**
 * `setup` read by one engine, then each text in a fork of it (`between`
 * read by the original before the fork of that index, when given).
 */
function run(memo: boolean, setup: string, texts: readonly string[], opts: M4Options = {}, between: readonly (string | undefined)[] = []): Run {
  const base = new M4Engine({ ...opts, memo });
  base.processText('defs.m4', setup);
  const r: Run = { outputs: [], diagnostics: [], codes: [], hits: 0 };
  texts.forEach((t, i) => {
    const more = between[i];
    if (more !== undefined) base.processText('more.m4', more);
    const e = base.fork();
    e.processText(`mod${i}.te`, t);
    const res = e.finish();
    r.outputs.push(res.output);
    r.diagnostics.push(res.diagnostics.map((d) => `${d.code} ${d.span?.file}:${d.span?.line} ${d.message}`));
    r.codes.push(res.exitCode);
    r.hits += e.memoHits;
  });
  return r;
}

/** Runs with and without the memo; the same results; the memo's hits. */
function same(setup: string, texts: readonly string[], opts: M4Options = {}, between: readonly (string | undefined)[] = []): Run {
  const off = run(false, setup, texts, opts, between);
  const on = run(true, setup, texts, opts, between);
  expect(off.hits).toBe(0);
  expect({ outputs: on.outputs, diagnostics: on.diagnostics, codes: on.codes }).toEqual({ outputs: off.outputs, diagnostics: off.diagnostics, codes: off.codes });
  return on;
}

describe('the memo of top-level expansions', () => {
  it('replays a recursive expansion with the sync lines of the replaying call (its own line and file)', () => {
    const texts = ['cats(3)\n', 'x\ncats(3)\n', '\n\n\n  cats(3) y\n', 'cats(3)cats(3)\n'];
    const r = same(DEFS, texts, { syncLines: true });
    expect(r.hits).toBeGreaterThanOrEqual(3);
    expect(r.outputs[2]).toBe('#line 1 "mod2.te"\n\n\n\n  \n#line 4\n\trequire {\n#line 4\n\t\tcategory c0;\n#line 4\ncategory c1;\n#line 4\ncategory c2;\n#line 4\n\n#line 4\n\t}\n#line 4\n y\n');
    expect(r.outputs[3]?.split('category c2;').length).toBe(3);
  });

  it('replays without sync lines', () => {
    const r = same(DEFS, ['cats(2) greet(x)\n', 'cats(2) greet(x)\n', 'a cats(2) greet(x) b\n']);
    expect(r.hits).toBeGreaterThanOrEqual(2);
    expect(r.outputs[2]).toBe('a \n\trequire {\n\t\tcategory c0;\ncategory c1;\n\n\t}\n hello x from INNER. b\n');
  });

  it('does not replay after a definition changed, in the fork or in the original', () => {
    const texts = ['greet(a)\n', 'greet(a)\n', 'greet(a)\n', "define(`inner',`NEW')greet(a)\n", "undefine(`inner')greet(a)\n", 'greet(a)\n', 'greet(a)\n'];
    const r = same(DEFS, texts, {}, [undefined, undefined, undefined, undefined, undefined, "define(`inner',`BASE2')dnl\n"]);
    expect(r.outputs).toEqual([
      'hello a from INNER.\n',
      'hello a from INNER.\n',
      'hello a from INNER.\n',
      'hello a from NEW.\n',
      'hello a from inner.\n',
      'hello a from BASE2.\n',
      'hello a from BASE2.\n',
    ]);
    expect(r.hits).toBeGreaterThanOrEqual(1);
  });

  it('keys on the quotes and comment delimiters', () => {
    const texts = ["pair(`a,b',c)\n", "pair(`a,b',c)\n", "pair(`a,b',c)\n", "changequote([,])pair(`a,b',c)\n", "changecom(`[')pair(`a,b',c)\n", 'changequote([,])pair([a,b],c)\n'];
    const r = same(DEFS, texts);
    expect(r.outputs[3]).toBe("`a|b'\n");
    expect(r.hits).toBeGreaterThanOrEqual(1);
  });

  it('does not remember an expansion that reads the text after the call', () => {
    const setup = `${DEFS}define(\`opener',\`pair(')define(\`w',\`ab')define(\`abcd',\`WORD')define(\`eat',\`dnl')define(\`here',\`__line__:__file__')dnl\n`;
    const texts = ['opener x, y) opener 1,2)\n', 'w w w()cd\n', 'eat rest\nnext\n', 'here\n\nhere\n'];
    const r = same(setup, [...texts, ...texts, ...texts.map((t) => `\n${t}`)], { syncLines: true });
    expect(r.outputs[1]).toBe('#line 1 "mod1.te"\nab ab WORD\n');
    // A word at the end of the expansion goes on in the text after the call, or is a macro called with it.
    const ends = same(`${setup}define(\`tail',\`pair')dnl\n`, ['w() tail() x\n', 'w() tail() x\n', 'w()cd tail()(1,2)\n']);
    expect(ends.outputs[2]).toBe('WORD [1|2]\n');
  });

  it('does not replay what warns, diverts, wraps or prints', () => {
    const setup = `${DEFS}define(\`warn',\`incr(x)')define(\`div',\`divert(1)d\ndivert')define(\`wrap',\`m4wrap(\`w')')define(\`err',\`errprint(\`e')')dnl\n`;
    const texts = ['warn div wrap err\n', 'warn div wrap err\n', 'warn div wrap err\n'];
    const r = same(setup, texts);
    expect(r.hits).toBe(0);
    expect(r.diagnostics[2]).toHaveLength(1);
  });

  it('meets the limits where the expansion would', () => {
    const texts = ['cats(20)\n', 'cats(20)\n', 'cats(20)\n', 'cats(20)cats(20)cats(20)\n'];
    const r = same(DEFS, texts, { limits: { maxCalls: 250 } });
    expect(r.codes[3]).toBe(1);
    expect(r.hits).toBeGreaterThanOrEqual(1);
    same(DEFS, texts, { limits: { maxOutput: 900 } });
    same(DEFS, texts, { limits: { maxDepth: 3 } });
  });
});

// refpolicy's interfaces: a body between a pushdef and a popdef of the call depth, calls of other
// interfaces and permission sets, the arguments only passed on.
const IFACES = [
  "define(`depth',0)define(`iface',`define(`$1',`pushdef(`depth',incr(depth))<``$1'' depth>\n$2popdef(`depth')')')dnl",
  "define(`read_perms',`{ getattr open read }')dnl",
  "iface(`files_read',`\tallow $1 etc_t:file read_perms;\n')dnl",
  "iface(`dom_read',`\tfiles_read($1)\n\tallow $1 $2:dir search;\n')dnl",
  "iface(`typed',`\tallow $1_t self:file read;\n')define(`foo_t',`FOO')dnl",
  "iface(`picky',`\tifelse(`$1',`a',`allow A;',`allow B;')\n')dnl",
  "iface(`joined',`\tw()$1 end\n')define(`w',`ab')define(`abcd',`JOINED')dnl",
  "iface(`made',`\tformat(`%c%d%c',1,1,2) $1\n')dnl",
  "iface(`flagged',`\tpushdef(`in_flag')<$1>\n\tpopdef(`in_flag')')dnl",
  '',
].join('\n');

describe('replays with other arguments (placeholders)', () => {
  it('records an interface once and replays it for calls with other plain arguments, depth and all', () => {
    const texts = ['dom_read(a_t, b_t)\nfiles_read(c_t)\n', 'dom_read(x_t,y_t)\n', 'dom_read( q_t , r_t)\nfiles_read({ s_t t_t })\n'];
    const r = same(IFACES, texts, { syncLines: true });
    expect(r.hits).toBeGreaterThanOrEqual(3);
    for (const line of ["<`dom_read' 1>", "\t<`files_read' 2>", '\tallow x_t etc_t:file { getattr open read };', '\tallow x_t y_t:dir search;']) expect(r.outputs[1]).toContain(line);
    expect(r.outputs[2]).toContain('\tallow { s_t t_t } etc_t:file { getattr open read };');
  });

  it('expands with the real arguments what looks at them or joins them to a name', () => {
    const texts = ['picky(a)\npicky(b)\n', 'picky(b)\n', 'typed(bar)\n', 'typed(foo)\n', 'typed(bar)\n', 'joined(cd)\njoined(cd)\n'];
    const r = same(IFACES, [...texts, ...texts]);
    expect(r.outputs[0]).toMatch(/allow A;[\s\S]*allow B;/);
    expect(r.outputs[3]).toContain('\tallow FOO self:file read;');
    expect(r.outputs[5]).toContain('\tJOINED end\n');
  });

  it('takes no placeholder for a macro name, a quote, a line break, or text that holds a placeholder character', () => {
    const texts = ['files_read(read_perms)\n', "files_read(`a_t')\n", 'files_read(\n  a_t)\n', 'files_read(a\x01t)\n', 'made(z)\nmade(y)\n'];
    const r = same(IFACES, [...texts, ...texts]);
    expect(r.outputs[0]).toContain('\tallow { getattr open read } etc_t:file { getattr open read };');
    // An argument named like a macro the expansion defines on its way is expanded there, as m4 would.
    const flag = same(IFACES, ['flagged(in_flag)\n', 'flagged(a_t)\n', 'flagged(in_flag)\nflagged(b_t)\n']);
    expect(flag.outputs.map((o) => o.match(/\t<[^>]*>/g))).toEqual([['\t<>'], ['\t<a_t>'], ['\t<>', '\t<b_t>']]);
    // Quotes moved onto braces: an argument holding one is read as a quoted string there.
    const braces = same(`${IFACES}define(\`show',\`<$1>')dnl\n`, ['changequote({,})show({{x_t}})\n', 'changequote({,})show(y_t)show({{x_t}})\n', 'changequote({,})show({{x_t}})\n']);
    expect(braces.outputs).toEqual(['<x_t>\n', '<y_t><x_t>\n', '<x_t>\n']);
    // A placeholder's very characters made by format: not taken for one.
    expect(r.outputs[4]).toMatch(/\t\x011\x02 z\n[\s\S]*\t\x011\x02 y\n/);
  });
});

// refpolicy's optional_policy pushes `__in_optional_policy' around its body: the interfaces called
// there are top-level calls made with a definition changed.
const OPTIONAL = [`${IFACES}define(\`opt',\`pushdef(\`in_opt')$1\`'popdef(\`in_opt')')dnl`, "iface(`where',`\tifdef(`in_opt',`inside $1',`outside $1')\n')dnl", ''].join('\n');

describe('calls made while the module has changed definitions', () => {
  it('replays a call made with the same changes, and not one made with others or none', () => {
    const texts = ["opt(`where(a_t)')\n", "opt(`where(b_t)')\nwhere(c_t)\n", "define(`in_opt',`x')where(d_t)\nopt(`where(e_t)')\n", "opt(`dom_read(f_t,g_t)')opt(`dom_read(h_t,i_t)')\n"];
    const r = same(OPTIONAL, [...texts, ...texts], { syncLines: true });
    expect(r.hits).toBeGreaterThanOrEqual(4);
    expect(r.outputs[1]).toContain('\tinside b_t\n');
    expect(r.outputs[1]).toContain('\toutside c_t\n');
    expect(r.outputs[2]).toContain('\tinside d_t\n');
    expect(r.outputs[2]).toContain('\tinside e_t\n');
    expect(r.outputs[3]).toContain('\tallow h_t i_t:dir search;');
  });

  it('does not remember a call that leaves the definitions changed, and restores them when a placeholder call is expanded again', () => {
    const setup = `${OPTIONAL}define(\`leak',\`pushdef(\`in_opt')$1')define(\`named',\`define(\`$1',\`N')$1 in_opt')dnl\n`;
    const texts = ["opt(`leak(a) where(b)')where(c)\n", "opt(`leak(a) where(b)')where(c)\n", "opt(`named(q) named(in_opt)')\nopt(`named(r)')\n"];
    const r = same(setup, [...texts, ...texts]);
    expect(r.outputs[1]).toContain('\tinside c');
    // `named(in_opt)': its argument expanded (to nothing) before the call, as m4 does.
    expect(r.outputs[2]).toBe('N   \nN \n');
  });
});

describe("the memo's keys", () => {
  it('hold a number for the changed definitions, each change held once, and stop growing past the limit', () => {
    const memo = memoFor({});
    const long = 'x'.repeat(10_000);
    const a = deltaNumber(memo, long);
    expect(deltaNumber(memo, '')).toBe(1);
    expect(deltaNumber(memo, long)).toBe(a);
    const state = { lquote: '`', rquote: "'", bcomm: '#', ecomm: '\n', currentDiv: 0, sync: false, substituteWarned: false, delta: long, deltaId: a as number };
    const key = memoKey(['files_read', 'a_t'], state) as string;
    expect(key.length).toBeLessThan(100);
    markSeen(memo, key);
    expect(memo.seen.has(key)).toBe(true);
    memo.keyChars = MEMO_MAX_CHARS;
    expect(deltaNumber(memo, 'new')).toBeUndefined();
    expect(deltaNumber(memo, long)).toBe(a);
    markSeen(memo, 'other');
    expect(memo.seen.has('other')).toBe(false);
  });
});

describe("the memo's keys, made from a prefix", () => {
  const state = { lquote: '`', rquote: "'", bcomm: '#', ecomm: '\n', currentDiv: 0, sync: false, substituteWarned: false, delta: '', deltaId: 0 };

  it('are the same key with the prefix made once as with it made for each call', () => {
    const prefix = memoKeyPrefix(state);
    for (const args of [['files_read', 'a_t'], ['m'], ['pair', '', 'x:y'], ['m', '3:abc']]) expect(memoKey(args, state, prefix)).toBe(memoKey(args, state));
    expect(memoKey(['files_read', 'a_t'], state)).toBe(`${prefix}10:files_read3:a_t`);
  });

  it('differ with every part of the state', () => {
    const others = [{ lquote: '[' }, { rquote: ']' }, { bcomm: '%' }, { ecomm: ';' }, { currentDiv: 1 }, { sync: true }, { substituteWarned: true }, { deltaId: 1 }];
    const prefixes = new Set([memoKeyPrefix(state), ...others.map((o) => memoKeyPrefix({ ...state, ...o }))]);
    expect(prefixes.size).toBe(others.length + 1);
  });
});

describe('chunkWithArgs', () => {
  const chunk = (text: string): MemoChunk => ({ text, line: 0 });

  it('puts each argument in its placeholder, next to others and at either end', () => {
    const args = ['m', 'a_t', 'b_t'];
    expect(chunkWithArgs(chunk(`allow ${placeholder(1)} ${placeholder(2)}:file read;`), args)).toBe('allow a_t b_t:file read;');
    expect(chunkWithArgs(chunk(`${placeholder(2)}${placeholder(1)}`), args)).toBe('b_ta_t');
    expect(chunkWithArgs(chunk(`${placeholder(1)}_exec_t`), args)).toBe('a_t_exec_t');
    // An argument not given is empty, as m4's $N past the last.
    expect(chunkWithArgs(chunk(`[${placeholder(3)}]`), args)).toBe('[]');
  });

  it('cuts a chunk once and uses the cut for other arguments; a chunk without placeholders is its text', () => {
    const c = chunk(`type ${placeholder(1)};`);
    expect(chunkWithArgs(c, ['m', 'x_t'])).toBe('type x_t;');
    expect(c.parts).toEqual(['type ', 1, ';']);
    expect(chunkWithArgs(c, ['m', 'y_t'])).toBe('type y_t;');
    const plain = chunk('allow a b:c d;');
    expect(chunkWithArgs(plain, ['m', 'x'])).toBe('allow a b:c d;');
  });
});
