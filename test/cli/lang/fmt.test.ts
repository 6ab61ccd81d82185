// `porthole fmt FILE... [--check] [--write]`: stdout, the files to change, in place.
import { readFileSync, writeFileSync } from 'node:fs';
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

describe('porthole fmt', () => {
  const scratch = tempDir('fmt-cli');
  const UGLY = "optional_policy(`\n    allow a_t  b_t:file {read};\n')\n\n\n";
  const PRETTY = "optional_policy(`\n\tallow a_t b_t:file { read };\n')\n";

  it('prints one file formatted', async () => {
    writeFileSync(scratch.join('a.te'), UGLY);
    expect(await porthole(['fmt', 'a.te'], scratch.path)).toEqual({ code: 0, out: PRETTY, err: '' });
  });

  it('--check names the files that would change and exits 1; 0 when all are formatted', async () => {
    writeFileSync(scratch.join('b.te'), UGLY);
    writeFileSync(scratch.join('c.te'), PRETTY);
    expect(await porthole(['fmt', '--check', 'b.te', 'c.te'], scratch.path)).toEqual({ code: 1, out: 'b.te\n', err: '' });
    expect(await porthole(['fmt', '--check', 'c.te'], scratch.path)).toEqual({ code: 0, out: '', err: '' });
    const j = await porthole(['fmt', '--check', '--json', 'b.te', 'c.te'], scratch.path);
    expect(
      j.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { file: 'b.te', formatted: false },
      { file: 'c.te', formatted: true },
    ]);
  });

  it('--write rewrites in place', async () => {
    writeFileSync(scratch.join('d.te'), UGLY);
    expect((await porthole(['fmt', '--write', 'd.te', 'c.te'], scratch.path)).code).toBe(0);
    expect(readFileSync(scratch.join('d.te'), 'utf8')).toBe(PRETTY);
  });

  it('reports unbalanced input with its place, leaves it alone, exits 1', async () => {
    writeFileSync(scratch.join('e.te'), 'optional_policy(`\nfoo(a)\n');
    const r = await porthole(['fmt', '--write', 'e.te'], scratch.path);
    expect(r.code).toBe(1);
    expect(r.err).toContain('e.te:1:17');
    expect(r.err).toContain('fmt-unbalanced');
    expect(readFileSync(scratch.join('e.te'), 'utf8')).toBe('optional_policy(`\nfoo(a)\n');
  });

  it('usage errors: several files without a mode, another suffix, --check with --write', async () => {
    expect((await porthole(['fmt', 'a.te', 'c.te'], scratch.path)).code).toBe(2);
    expect((await porthole(['fmt', 'a.txt'], scratch.path)).code).toBe(2);
    expect((await porthole(['fmt', '--check', '--write', 'a.te'], scratch.path)).code).toBe(2);
  });
});
