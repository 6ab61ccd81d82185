// `porthole m4`: inputs and stdin, -D/-U order, -I, -s, errors with their
// place and call chain, exit statuses, --module.
import { writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/main.js';
import { tempDir } from '../../support/tempDir.js';

const dir = tempDir('m4-cli');

async function porthole(args: string[], stdin = '') {
  const io = memoryIo({ cwd: dir.path, stdin: Readable.from([Buffer.from(stdin)]), env: {} });
  const code = await run(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('porthole m4', () => {
  it('expands files in order, and stdin for - or no file', async () => {
    writeFileSync(dir.join('a.m4'), "define(`x', `X')dnl\n");
    writeFileSync(dir.join('b.m4'), 'x y\n');
    expect(await porthole(['m4', 'a.m4', 'b.m4'])).toEqual({ code: 0, out: 'X y\n', err: '' });
    expect((await porthole(['m4', 'a.m4', '-'], 'x\n')).out).toBe('X\n');
    expect((await porthole(['m4'], "len(`abc')\n")).out).toBe('3\n');
  });

  it('applies -D and -U in the order given, before the files', async () => {
    expect((await porthole(['m4', '-D', 'a=1', '-D', 'b', '-U', 'a', '-'], 'a|b|\n')).out).toBe('a||\n');
    expect((await porthole(['m4', '-U', 'a', '-D', 'a=2', '-'], 'a\n')).out).toBe('2\n');
  });

  it('searches -I directories for include and inputs', async () => {
    const inc = dir.join('inc');
    await import('node:fs').then((fs) => fs.mkdirSync(inc, { recursive: true }));
    writeFileSync(dir.join('inc', 'defs.m4'), "define(`y', `Y')dnl\n");
    expect((await porthole(['m4', '-I', 'inc', '-'], "include(`defs.m4')y\n")).out).toBe('Y\n');
  });

  it('writes sync lines with -s', async () => {
    writeFileSync(dir.join('s.m4'), "define(`two', `a\nb')dnl\ntwo\n");
    expect((await porthole(['m4', '-s', 's.m4'])).out).toBe('#line 3 "s.m4"\na\n#line 3\nb\n');
  });

  it('reports an unterminated string where it starts, and exits 1', async () => {
    const r = await porthole(['m4', '-'], "x\ndefine(`a', `b\n");
    expect(r.code).toBe(1);
    expect(r.out).toBe('x\n');
    expect(r.err).toMatch(/^stdin:2: error\[m4-error\]: ERROR: end of file in string\n/);
  });

  it('names an unknown builtin at its place with the chain of calls, exit status as m4', async () => {
    const r = await porthole(['m4', '-'], "define(`f', `builtin(`nosuch')')\nf\n");
    expect(r.code).toBe(0);
    expect(r.err).toContain("stdin:2: error[m4-error]: undefined builtin `nosuch'");
    expect(r.err).toContain("  stdin:2:1: note: in expansion of `f'");
  });

  it('stops runaway recursion with m4-limit and the chain, never a stack overflow', async () => {
    const r = await porthole(['m4', '-'], "define(`f', `f(f($1))')\nf(x)\n");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error\[m4-limit\]: recursion limit of \d+ exceeded/);
    expect(r.err).toMatch(/ {2}stdin:2:1: note: in expansion of `f' \(\d+ times\)\n/);
  });

  it('refuses syscmd', async () => {
    const r = await porthole(['m4', '-'], "syscmd(`true')\n");
    expect(r.err).toContain('error[m4-unsupported]');
    expect(r.code).toBe(1);
  });

  it('m4exit sets the exit status', async () => {
    expect(await porthole(['m4', '-'], 'a\nm4exit(4)b\n')).toEqual({ code: 4, out: 'a\n', err: '' });
  });

  it('a missing file is an error; the others are read', async () => {
    const r = await porthole(['m4', 'nosuch.m4', 'b.m4']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('x y\n');
    expect(r.err).toContain("error[m4-error]: cannot open `nosuch.m4'");
  });

  it('--module refuses m4 options', async () => {
    expect((await porthole(['m4', '--module', 'x.te', '-s'])).code).toBe(2);
  });
});
