// The module language's parser on the whole reference policy: every module
// of $SE_REFPOLICY_SRC expanded by our m4 devel pipeline (expandDevelModule,
// expandDevelFileContexts) parses, .te and .fc, with no syntax error; the .fc
// expansion equals GNU m4's as the devel Makefile runs it; and small modules
// written by hand get checkmodule's verdict (accept or reject) for errors of
// syntax alone.
//
// CI: the m4 oracle's sample (every tenth module by name and the 12 base
// modules). PORTHOLE_FULL_SWEEP=1: all 408 (the time is printed).
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { checkModule, DEFAULT_DEVEL_INCLUDE, develTree, expandDevelFileContexts, expandDevelModule, parseFileContextsText, parseModuleText, printDiagnostics } from '../../../src/index.js';
import { tempDir } from '../../support/tempDir.js';
import { describeOracle, findOracles } from '../support/oracles.js';

const run = promisify(execFile);
const BASE = ['corecommands', 'corenetwork', 'devices', 'domain', 'files', 'filesystem', 'kernel', 'mcs', 'mls', 'selinux', 'terminal', 'ubac'];
const FULL = process.env.PORTHOLE_FULL_SWEEP === '1';

describeOracle('te: every reference policy module parses after our m4', () => {
  const env = findOracles().env;
  const src = join(env.SE_REFPOLICY_SRC ?? '/usr/src/selinux-policy-src', 'policy/modules');
  const include = env.SE_DEVEL_INCLUDE ?? DEFAULT_DEVEL_INCLUDE;
  const modules = readdirSync(src)
    .sort()
    .flatMap((layer) =>
      readdirSync(join(src, layer))
        .filter((f) => f.endsWith('.te'))
        .sort()
        .map((f) => ({ name: f.slice(0, -3), path: join(src, layer, f) })),
    );
  const sample = FULL ? modules : modules.filter((m, i) => i % 10 === 0 || BASE.includes(m.name));

  it(`parses the .te and .fc of ${sample.length} modules with no syntax error`, () => {
    const failed: string[] = [];
    const checked: string[] = [];
    const t0 = performance.now();
    let m4Time = 0;
    for (const m of sample) {
      const a = performance.now();
      const te = expandDevelModule({ name: `${m.name}.te`, text: readFileSync(m.path, 'latin1') }, { includeDir: include });
      const fcPath = m.path.replace(/\.te$/, '.fc');
      const fc = expandDevelFileContexts({ name: `${m.name}.fc`, text: readFileSync(fcPath, 'latin1') }, { includeDir: include });
      m4Time += performance.now() - a;
      const pt = parseModuleText({ name: `tmp/${m.name}.tmp`, text: te.output });
      const pf = parseFileContextsText({ name: `tmp/${m.name}.mod.fc`, text: fc.output });
      const errs = [...pt.diagnostics, ...pf.diagnostics];
      if (errs.length > 0 || pt.ast.header?.name.name !== m.name) failed.push(`${m.name}: ${printDiagnostics(errs.slice(0, 3))}`);
      const codes = [...new Set(checkModule(pt.ast, pt.map).map((d) => d.code))].sort();
      if (codes.length > 0) checked.push(`${m.name}: ${codes.join(' ')}`);
    }
    const total = (performance.now() - t0) / 1000;
    process.stderr.write(
      `te sweep: ${sample.length - failed.length}/${sample.length} modules parse clean; ${total.toFixed(1)} s in all, m4 ${(m4Time / 1000).toFixed(1)} s, parse ${(total - m4Time / 1000).toFixed(1)} s\n`,
    );
    expect(failed).toEqual([]);
    // The checks so far (no name resolution): only base modules hold what a module may not.
    process.stderr.write(`te checks: ${checked.join(', ')}\n`);
    expect(checked.filter((c) => !(BASE.includes(c.split(':')[0] as string) && c.endsWith(': te-base-only')))).toEqual([]);
  }, 1_200_000);

  it('expands .fc files as GNU m4 does (m4 $(M4PARAM) support/*.spt MODULE.fc)', async () => {
    const tree = develTree(include);
    const args = tree.defines.flatMap((d) => ['-D', d.value === '' ? d.name : `${d.name}=${d.value}`]);
    const diffs: string[] = [];
    for (const m of sample.slice(0, FULL ? sample.length : 12)) {
      const fcPath = m.path.replace(/\.te$/, '.fc');
      const real = await run('m4', [...args, ...tree.support, fcPath], { encoding: 'latin1', maxBuffer: 1 << 26 });
      const ours = expandDevelFileContexts({ name: fcPath, text: readFileSync(fcPath, 'latin1') }, { includeDir: include });
      if (ours.output !== real.stdout) diffs.push(m.name);
    }
    expect(diffs).toEqual([]);
  }, 600_000);

  const dir = tempDir('te-checkmodule');
  const HEAD = 'module m 1.0;\nrequire { type a_t; class file { read write }; }\ntype b_t;\n';
  const CASES: { name: string; body: string }[] = [
    { name: 'ok-sets', body: 'allow b_t { a_t -b_t { b_t } }:file { read write };\nallow b_t self:file read;\n' },
    { name: 'ok-cond', body: 'bool x true;\nif (x and not x || x ^ x == x != x) { allow b_t a_t:file read; } else { allow b_t a_t:file write; }\n' },
    { name: 'ok-optional', body: 'optional { require { type c_t; } allow b_t c_t:file read; } else { allow b_t a_t:file read; }\n' },
    { name: 'ok-filename', body: 'type_transition b_t a_t:file b_t "a b.conf";\n' },
    { name: 'ok-empty', body: ';;\nALLOW b_t a_t:file read;\n' },
    { name: 'bad-mixed-case', body: 'Allow b_t a_t:file read;\n' },
    { name: 'bad-missing-colon', body: 'allow b_t a_t file read;\n' },
    { name: 'bad-keyword-name', body: 'type t1;\n' },
    { name: 'bad-empty-set', body: 'allow b_t {}:file read;\n' },
    { name: 'bad-empty-require', body: 'require { }\n' },
    { name: 'bad-char', body: 'allow b_t a_t:file read; $\n' },
    { name: 'bad-xperm-set', body: 'allowxperm b_t a_t:file ioctl { 1 ~2 };\n' },
    { name: 'bad-change-name', body: 'type_change b_t a_t:file b_t "x";\n' },
    { name: 'bad-slash-name', body: 'type_transition b_t a_t:file b_t "a/b";\n' },
    { name: 'bad-unclosed', body: 'optional {\nallow b_t a_t:file read;\n' },
    { name: 'bad-cond-expr', body: 'bool x true;\nif (x && ) { allow b_t a_t:file read; }\n' },
  ];
  // What checkModule refuses: checkmodule rejects each bad one (most as `syntax error`) and accepts the ok ones.
  const CHECKS: { name: string; body: string }[] = [
    { name: 'ok-role-twice', body: 'role r;\nrole r;\n' },
    { name: 'ok-require-then-declare', body: 'type a_t;\n' },
    { name: 'ok-optional-else-without-require', body: 'optional { require { type c_t; } } else { allow b_t a_t:file read; }\n' },
    { name: 'bad-genfscon', body: 'genfscon proc / system_u:object_r:a_t:s0\n' },
    { name: 'bad-type-in-if', body: 'bool x true;\nif (x) { type c_t; }\n' },
    { name: 'bad-neverallow-in-if', body: 'bool x true;\nif (x) { neverallow b_t a_t:file read; }\n' },
    { name: 'bad-optional-in-if', body: 'bool x true;\nif (x) { optional { require { type c_t; } } }\n' },
    { name: 'bad-duplicate-type', body: 'type b_t;\n' },
    { name: 'bad-type-and-attribute', body: 'attribute b_t;\n' },
    { name: 'bad-duplicate-bool', body: 'bool x true;\nbool x false;\n' },
    { name: 'bad-optional-without-require', body: 'optional { allow b_t a_t:file read; }\n' },
  ];

  it('agrees with checkmodule on what checkModule refuses', () => {
    const disagree: string[] = [];
    for (const c of CHECKS) {
      const file = dir.join(`${c.name}.te`);
      writeFileSync(file, HEAD + c.body);
      let real = true;
      try {
        execFileSync('checkmodule', ['-M', '-m', file], { stdio: 'pipe' });
      } catch {
        real = false;
      }
      const r = parseModuleText({ name: file, text: HEAD + c.body });
      const ours = r.diagnostics.length === 0 && checkModule(r.ast, r.map).length === 0;
      if (ours !== real || real !== c.name.startsWith('ok')) disagree.push(`${c.name}: checkmodule ${real ? 'accepts' : 'rejects'}, we ${ours ? 'accept' : 'reject'}`);
    }
    expect(disagree).toEqual([]);
  });

  it('agrees with checkmodule on modules whose only errors are of syntax', () => {
    const disagree: string[] = [];
    for (const c of CASES) {
      const file = dir.join(`${c.name}.te`);
      writeFileSync(file, HEAD + c.body);
      let real = true;
      try {
        execFileSync('checkmodule', ['-M', '-m', file], { stdio: 'pipe' });
      } catch {
        real = false;
      }
      const ours = parseModuleText({ name: file, text: HEAD + c.body }).diagnostics.length === 0;
      if (ours !== real || real !== c.name.startsWith('ok')) disagree.push(`${c.name}: checkmodule ${real ? 'accepts' : 'rejects'}, we ${ours ? 'accept' : 'reject'}`);
    }
    expect(disagree).toEqual([]);
  });
}, ['env', 'm4', 'checkmodule', 'devel-include', 'refpolicy-src']);
