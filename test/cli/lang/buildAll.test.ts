// `porthole build --all DIR [-o OUTDIR] [--json]`: OUTDIR/NAME.cil for each module that builds, a
// summary on stdout (built, failed with each one's first diagnostic), exit 1 when one failed.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/main.js';
import { tempDir } from '../../support/tempDir.js';

async function porthole(args: string[], cwd: string) {
  const io = memoryIo({ cwd, stdin: Readable.from([]) });
  const code = await run(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

const NO_HEADERS = '/nonexistent/devel/include';
const plain = (name: string, rule: string): string => `module ${name} 1.0;\nrequire { type a_t; class file read; }\ntype ${name}_t;\n${rule}\n`;

describe('porthole build --all', () => {
  const scratch = tempDir('build-all-cli');

  it('writes NAME.cil for each module that builds and sums up the failures (exit 1)', async () => {
    mkdirSync(scratch.join('mods'));
    writeFileSync(scratch.join('mods', 'one.te'), plain('one', 'allow one_t a_t:file read;'));
    writeFileSync(scratch.join('mods', 'two.te'), plain('two', 'allow two_t b_t:file read;\nallow two_t c_t:file read;'));
    const r = await porthole(['build', '--all', 'mods', '-I', NO_HEADERS, '-o', 'out'], scratch.path);
    expect(r.code).toBe(1);
    expect(readdirSync(scratch.join('out'))).toEqual(['one.cil']);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(`built 1 of 2 modules in ${scratch.join('mods')}; 1 CIL files in out`);
    expect(lines[1]).toBe('failed 1:');
    expect(lines[2]).toBe(`  two: ${scratch.join('mods', 'two.te')}:4:13: error[te-unknown-name]: unknown type b_t (1 more)`);
    expect(r.err).toBe('');
  });

  it('--json: a summary object on stdout, every diagnostic as a JSON line on stderr; nothing written without -o', async () => {
    mkdirSync(scratch.join('ok'));
    writeFileSync(scratch.join('ok', 'one.te'), plain('one', 'allow one_t a_t:file read;'));
    const r = await porthole(['build', '--all', 'ok', '-I', NO_HEADERS, '--json'], scratch.path);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const s = JSON.parse(r.out);
    expect([s.built, s.failed, s.outDir, s.modules.map((m: { name: string; built: boolean }) => [m.name, m.built])]).toEqual([1, 0, null, [['one', true]]]);
    expect(existsSync(scratch.join('ok', 'one.cil'))).toBe(false);
  });

  it('refuses a folder without modules, and more than one folder (usage, exit 2)', async () => {
    mkdirSync(scratch.join('empty'));
    expect((await porthole(['build', '--all', 'empty', '-I', NO_HEADERS], scratch.path)).code).toBe(2);
    expect((await porthole(['build', '--all', 'ok', 'empty'], scratch.path)).code).toBe(2);
    expect((await porthole(['build', '--all', 'ok', '-j', '0'], scratch.path)).code).toBe(2);
  });
});
