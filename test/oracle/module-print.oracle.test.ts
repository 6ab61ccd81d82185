// Differential test of the te and CIL printers on hand-written modules
// (test/fixtures/ir/everyKind.ts: every statement kind of the IR):
// * printTe's text, in both layouts, compiles with `checkmodule -M -m`;
// * printCil's text compiles with secilc next to the policy's own CIL
//   ($SE_CIL_DIR/*.cil), and the policy it gives is the one secilc builds from
//   the CIL that libsepol's pp makes of the compiled te, so the CIL means what
//   the te means. The two binary policies are compared as the policy.conf
//   text `checkpolicy -M -b -F` writes of them (seconds, where sediff takes
//   minutes; any rule or symbol missing on one side shows). pp 3.4 cannot convert
//   what everyKindExtrasModule holds (it crashes on a required user, and
//   writes bad CIL for `s0:c0,c2.c3`): that module goes into both policies as
//   our CIL.
// Temporary files are removed afterwards.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/base/diagnostic.js';
import type { Module } from '../../src/selinux/ir/index.js';
import { printCil } from '../../src/selinux/print/cil/cil.js';
import { printTe } from '../../src/selinux/print/te.js';
import { everyKindExtrasModule, everyKindModule } from '../fixtures/ir/everyKind.js';
import { describeOracle, findOracles } from './support/oracles.js';

const run = promisify(execFile);

describeOracle('hand-written modules: printTe compiles with checkmodule, printCil with secilc, to the policy pp gives (oracle)', () => {
  const env = findOracles().env;
  const pp = env.SE_PP2CIL ?? '/usr/libexec/selinux/hll/pp';
  const cilDir = env.SE_CIL_DIR ?? '/var/lib/selinux-oracles/cil';
  const every = everyKindModule();
  const extras = everyKindExtrasModule();
  let dir = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'porthole-module-print-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** checkmodule -M -m on printTe's text, in a directory of its own (the module name must match the file name). */
  async function compileTe(m: Module, sub: string): Promise<string> {
    const d = join(dir, sub);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, `${m.name}.te`), printTe(m));
    const r = await run('checkmodule', ['-M', '-m', '-o', `${m.name}.mod`, `${m.name}.te`], { cwd: d });
    expect(r.stderr, `checkmodule on\n${printTe(m)}`).toBe('');
    return d;
  }

  it('printTe compiles with checkmodule -M -m, in both layouts', async () => {
    await compileTe(every, 'written');
    await compileTe({ ...every, layout: 'audit2allow' }, 'audit2allow');
    await compileTe(extras, 'extras');
  });

  it('printCil compiles with secilc next to the policy CIL, to the policy the CIL of libsepol pp gives', async () => {
    // pp's CIL of the te
    const d = await compileTe(every, 'pp');
    await run('semodule_package', ['-o', `${every.name}.pp`, '-m', `${every.name}.mod`], { cwd: d });
    await run(pp, [`${every.name}.pp`, 'pp.cil'], { cwd: d });
    // ours
    const warnings: Diagnostic[] = [];
    writeFileSync(join(dir, 'ours.cil'), printCil(every, { onDiagnostic: (w) => warnings.push(w) }));
    writeFileSync(join(dir, 'extras.cil'), printCil(extras));
    // one else branch, left out by both
    expect(warnings.map((w) => w.code)).toEqual(['cil-unsupported']);

    const policyCil = readdirSync(cilDir)
      .filter((f) => f.endsWith('.cil'))
      .sort()
      .map((f) => join(cilDir, f));
    const secilc = (out: string, files: string[]) => run('secilc', ['-o', join(dir, out), '-f', '/dev/null', ...policyCil, ...files], { maxBuffer: 1 << 24 });
    try {
      await Promise.all([secilc('ours.33', [join(dir, 'ours.cil'), join(dir, 'extras.cil')]), secilc('pp.33', [join(d, 'pp.cil'), join(dir, 'extras.cil')])]);
    } catch (e) {
      const err = e as { stderr?: string; stdout?: string; message: string };
      throw new Error(`secilc failed:\n${err.stdout ?? ''}${err.stderr || err.message}`);
    }
    const conf = async (policy: string): Promise<string> => {
      await run('checkpolicy', ['-M', '-b', '-F', '-o', join(dir, `${policy}.conf`), join(dir, policy)]);
      return readFileSync(join(dir, `${policy}.conf`), 'utf8');
    };
    const [ours, theirs] = await Promise.all([conf('ours.33'), conf('pp.33')]);
    if (ours !== theirs) {
      const a = ours.split('\n');
      const b = theirs.split('\n');
      const inA = new Set(a);
      const inB = new Set(b);
      const onlyOurs = a.filter((l) => !inB.has(l)).slice(0, 20);
      const onlyTheirs = b.filter((l) => !inA.has(l)).slice(0, 20);
      expect({ onlyOurs, onlyTheirs }).toEqual({ onlyOurs: [], onlyTheirs: [] });
      expect(ours, 'the same statements in another order').toBe(theirs);
    }

    // and the module's statements are there (the comparison would not see them missing from both)
    const lines = ours.split('\n');
    for (const line of [
      'type porthole_every_t;',
      'typealias porthole_every_exec_t alias porthole_every_old_exec_t;',
      'typebounds porthole_every_t porthole_every_child_t;',
      'permissive porthole_every_t;',
      'bool porthole_every_debug true;',
      'allow porthole_every_t etc_t:file { read getattr open };',
      'allow porthole_every_typeattr_1 tmp_t:dir { search };',
      'allowxperm porthole_every_t self:chr_file ioctl { 0x5401 0x5403-0x5405 };',
      'type_transition porthole_every_t etc_t:file porthole_every_exec_t "porthole.conf";',
      'range_transition porthole_every_t porthole_every_exec_t:process s0:c1 - s0:c1.c3;',
      'range_transition porthole_every_extras_t tmp_t:process s0 - s0:c0,c2,c3;',
      'role_transition system_r porthole_every_exec_t:process porthole_every_r;',
      'allow system_r porthole_every_r;',
      'if (porthole_every_enabled) {',
      '    allow porthole_every_t porthole_every_ssh_t:file { read };',
      '    allow porthole_every_t var_log_t:file { read write };',
    ]) {
      expect(lines, line).toContain(line);
    }
  }, 240_000);
}, ['env', 'module-tools']);
