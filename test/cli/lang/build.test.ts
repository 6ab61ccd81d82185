// `porthole build FILE.te [-I DIR] [-o OUT] [--te] [--json]`: diagnostics at the user's line, exit
// codes, the CIL written (NAME.cil beside the .te, -o, -o -), --te; a plain module needs no headers;
// with the devel headers, the seed's example.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/main.js';
import { describeOracle } from '../../oracle/support/oracles.js';
import { tempDir } from '../../support/tempDir.js';

async function porthole(args: string[], cwd: string) {
  const io = memoryIo({ cwd, stdin: Readable.from([]) });
  const code = await run(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

const NO_HEADERS = '/nonexistent/devel/include';
const PLAIN = 'module p 1.0;\nrequire { type a_t; class file read; }\ntype p_t;\nallow p_t a_t:file read;\n';
/** What make + pp give for PLAIN (checkmodule -M -m, semodule_package, /usr/libexec/selinux/hll/pp). */
const PLAIN_CIL = '(type p_t)\n(roletype object_r p_t)\n(typeattributeset cil_gen_require a_t)\n(allow p_t a_t (file (read)))\n';

describe('porthole build', () => {
  const scratch = tempDir('build-cli');

  it('compiles a plain module without headers to NAME.cil beside the .te (exit 0, nothing printed)', async () => {
    mkdirSync(scratch.join('src'), { recursive: true });
    writeFileSync(scratch.join('src', 'p.te'), PLAIN);
    expect(await porthole(['build', 'src/p.te', '-I', NO_HEADERS], scratch.path)).toEqual({ code: 0, out: '', err: '' });
    expect(readFileSync(scratch.join('src', 'p.cil'), 'utf8')).toBe(PLAIN_CIL);
  });

  it('-o OUT.cil writes there, -o - to stdout; --te prints the module as .te', async () => {
    writeFileSync(scratch.join('p.te'), PLAIN);
    expect((await porthole(['build', 'p.te', '-I', NO_HEADERS, '-o', 'p.cil'], scratch.path)).code).toBe(0);
    expect(readFileSync(scratch.join('p.cil'), 'utf8')).toBe(PLAIN_CIL);
    expect(await porthole(['build', 'p.te', '-I', NO_HEADERS, '-o', '-'], scratch.path)).toEqual({ code: 0, out: PLAIN_CIL, err: '' });
    const te = await porthole(['build', 'p.te', '-I', NO_HEADERS, '--te'], scratch.path);
    expect(te.code).toBe(0);
    expect(te.out).toContain('module p 1.0;');
    expect(te.out).toContain('allow p_t a_t:file read;');
  });

  it('writes nothing when there are errors', async () => {
    writeFileSync(scratch.join('e.te'), PLAIN.replace('module p', 'module e').replace('a_t:file', 'b_t:file'));
    expect((await porthole(['build', 'e.te', '-I', NO_HEADERS], scratch.path)).code).toBe(1);
    expect(existsSync(scratch.join('e.cil'))).toBe(false);
  });

  it("reports checkmodule's errors at the file's line, and as JSON lines", async () => {
    writeFileSync(scratch.join('q.te'), PLAIN.replace('module p', 'module q').replace('a_t:file', 'b_t:file'));
    const r = await porthole(['build', 'q.te', '-I', NO_HEADERS], scratch.path);
    expect(r.code).toBe(1);
    expect(r.err).toContain('q.te:4:11: error[te-unknown-name]');
    const j = await porthole(['build', 'q.te', '-I', NO_HEADERS, '--json'], scratch.path);
    const lines = j.err
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((d) => [d.code, d.span.line])).toEqual([['te-unknown-name', 4]]);
  });

  it('-o: the module must have the output base name (checkmodule -o)', async () => {
    writeFileSync(scratch.join('p.te'), PLAIN);
    const r = await porthole(['build', 'p.te', '-I', NO_HEADERS, '-o', 'out/other.pp'], scratch.path);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[te-module-name]: Module name p is different than the output base filename other');
  });

  it('says how to get the headers when a module uses macros and there are none', async () => {
    writeFileSync(scratch.join('m.te'), 'policy_module(m, 1.0)\n');
    const r = await porthole(['build', 'm.te', '-I', NO_HEADERS], scratch.path);
    expect(r.code).toBe(1);
    expect(r.err).toContain('te-no-headers');
  });

  it('usage errors exit 2', async () => {
    expect((await porthole(['build', 'x.txt'], scratch.path)).code).toBe(2);
    expect((await porthole(['build', 'a.if'], scratch.path)).code).toBe(2);
    expect((await porthole(['build', 'a.te', 'b.te'], scratch.path)).code).toBe(2);
  });

  it('a missing file is an error naming it (exit 1)', async () => {
    const r = await porthole(['build', 'none.te', '-I', NO_HEADERS], scratch.path);
    expect(r.code).toBe(1);
    expect(r.err).toContain('none.te');
  });
});

describeOracle('porthole build with the devel headers', () => {
  const examples = join(import.meta.dirname, '../../../examples/gravity');
  it("gives the seed's attribute error at the call's line, with the chain", async () => {
    const r = await porthole(['build', 'gravity.te'], examples);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'gravity.te:24:22: error[te-attribute-as-type]: gravity_domain is an attribute, and an attribute cannot be given attributes: kernel_read_messages, called at gravity.te:24:1',
    );
    expect(r.err).toContain('gravity.te:24:1: note: in the expansion of kernel_read_messages');
  });
}, ['devel-include']);
