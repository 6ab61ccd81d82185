// The module language's parser on the whole reference policy: every module
// of $SE_REFPOLICY_SRC expanded by our m4 devel pipeline (expandDevelModule,
// expandDevelFileContexts) parses, .te and .fc, with no syntax error; the .fc
// expansion equals GNU m4's as the devel Makefile runs it; checkModule finds
// nothing but base-only statements in the 7 base modules that hold them and
// systemd's missing require (which checkmodule reports too); and small modules
// written by hand get checkmodule's verdict (accept or reject), for errors of
// syntax alone and for what checkModule refuses (name resolution included).
//
// CI: the m4 oracle's sample (every tenth module by name, the 12 base modules
// and systemd). PORTHOLE_FULL_SWEEP=1: all 408 (the time is printed), each
// also given to checkmodule, whose accept/reject must be ours.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { checkModule, DEFAULT_DEVEL_INCLUDE, develTree, expandDevelFileContexts, expandDevelModule, parseFileContextsText, parseModuleText, printDiagnostics } from '../../../src/index.js';
import { tempDir } from '../../support/tempDir.js';
import { describeOracle, findOracles } from '../support/oracles.js';
import { REFPOLICY_BASE, refpolicyModules, refpolicySample } from '../support/refpolicy.js';

const run = promisify(execFile);

/** Whether `checkmodule -M -m` accepts a module file. */
function checkmoduleAccepts(file: string): boolean {
  try {
    execFileSync('checkmodule', ['-M', '-m', file], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
const FULL = process.env.PORTHOLE_FULL_SWEEP === '1';

describeOracle('te: every reference policy module parses after our m4', () => {
  const env = findOracles().env;
  const src = join(env.SE_REFPOLICY_SRC ?? '/usr/src/selinux-policy-src', 'policy/modules');
  const include = env.SE_DEVEL_INCLUDE ?? DEFAULT_DEVEL_INCLUDE;
  const modules = refpolicyModules(src);
  const sample = refpolicySample(modules, FULL, ['systemd']);
  const dir = tempDir('te-checkmodule');

  it(`parses the .te and .fc of ${sample.length} modules with no syntax error`, () => {
    const failed: string[] = [];
    const checked: string[] = [];
    let systemd: { text: string; found: string[] } | undefined;
    const verdicts: string[] = [];
    const t0 = performance.now();
    let m4Time = 0;
    let checkmoduleTime = 0;
    let checkTime = 0;
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
      const c0 = performance.now();
      const found = checkModule(pt.ast, pt.map);
      checkTime += performance.now() - c0;
      const codes = [...new Set(found.map((d) => d.code))].sort();
      if (codes.length > 0) checked.push(`${m.name}: ${codes.join(' ')}`);
      // The full sweep also asks checkmodule about each module: the same verdict as ours.
      if (FULL) {
        const b = performance.now();
        const file = dir.join(`${m.name}.te`);
        writeFileSync(file, te.output, 'latin1');
        const real = spawnSync('checkmodule', ['-M', '-m', file], { encoding: 'utf8' }).status === 0;
        checkmoduleTime += performance.now() - b;
        if (real !== (errs.length === 0 && found.length === 0)) verdicts.push(`${m.name}: checkmodule ${real ? 'accepts' : 'rejects'}`);
      }
      if (m.name === 'systemd') {
        systemd = { text: te.output, found: found.map((d) => `${d.span?.file}:${d.span?.line}:${d.span?.column} ${d.code} ${d.message}`) };
      }
    }
    const total = (performance.now() - t0 - checkmoduleTime) / 1000;
    process.stderr.write(
      `te sweep: ${sample.length - failed.length}/${sample.length} modules parse clean; ${total.toFixed(1)} s in all, m4 ${(m4Time / 1000).toFixed(1)} s, parse and checks ${(total - m4Time / 1000).toFixed(1)} s (checks ${(checkTime / 1000).toFixed(1)} s)${FULL ? `; checkmodule on each ${(checkmoduleTime / 1000).toFixed(1)} s, ${verdicts.length} verdicts differ` : ''}\n`,
    );
    expect(failed).toEqual([]);
    // Only base modules hold what a module may not; every other module resolves all its names
    // but systemd, which uses init's systemd_transient_unit_t without requiring it (a base
    // policy that holds init and systemd together hides it; checkmodule on the module alone
    // says so too).
    process.stderr.write(`te checks: ${checked.join(', ')}\n`);
    expect(checked.filter((c) => !(REFPOLICY_BASE.includes(c.split(':')[0] as string) && c.endsWith(': te-base-only')))).toEqual(systemd === undefined ? [] : ['systemd: te-unknown-name']);
    expect(verdicts).toEqual([]);
    if (systemd !== undefined) {
      // At the user's line and column of systemd.te (the name expandDevelModule was given).
      expect(systemd.found).toEqual(['systemd.te:510:27 te-unknown-name unknown type systemd_transient_unit_t', 'systemd.te:1112:26 te-unknown-name unknown type systemd_transient_unit_t']);
      const file = dir.join('systemd.te');
      writeFileSync(file, systemd.text, 'latin1');
      const real = spawnSync('checkmodule', ['-M', '-m', file], { encoding: 'utf8' });
      expect(real.status).not.toBe(0);
      expect(real.stderr + real.stdout).toContain('unknown type systemd_transient_unit_t');
    }
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
  const CHECKS: { name: string; body: string; code?: string }[] = [
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
    // Name resolution: what is declared or required in scope (the code is ours; checkmodule's message beside it).
    { name: 'ok-require-after-use', body: 'allow b_t c_t:file read;\nrequire { type c_t; }\n' },
    { name: 'ok-require-in-if-serves-its-block', body: 'bool x true;\nif (x) { allow b_t c_t:file read; require { type c_t; } }\nallow b_t c_t:file write;\n' },
    { name: 'ok-nested-optional-sees-outer', body: 'optional { require { type c_t; } optional { require { type d_t; } allow c_t d_t:file read; } }\n' },
    { name: 'ok-permission-required-elsewhere', body: 'optional { require { class file getattr; } }\nallow b_t a_t:file getattr;\n' },
    { name: 'ok-self-star-complement', body: 'allow b_t self:file *;\nallow b_t a_t:file ~write;\n' },
    { name: 'ok-alias', body: 'type c_t alias d_t;\nallow d_t a_t:file read;\n' },
    { name: 'ok-required-role', body: 'require { role r; }\nrole r types b_t;\n' },
    { name: 'ok-role-declared-after', body: 'role r types b_t;\nrole r;\nrole q;\nallow r q;\n' },
    { name: 'bad-unknown-type', body: 'allow b_t c_t:file read;\n', code: 'te-unknown-name' }, // unknown type c_t
    { name: 'bad-unknown-class', body: 'allow b_t a_t:dir read;\n', code: 'te-unknown-name' }, // unknown class dir
    { name: 'bad-unknown-permission', body: 'allow b_t a_t:file getattr;\n', code: 'te-unknown-permission' }, // permission getattr is not defined for class file
    { name: 'bad-permission-of-one-class', body: 'require { class dir { read getattr }; }\nallow b_t a_t:{ file dir } getattr;\n', code: 'te-unknown-permission' },
    { name: 'bad-complement-permission', body: 'allow b_t a_t:file ~getattr;\n', code: 'te-unknown-permission' },
    { name: 'bad-required-in-optional-only', body: 'optional { require { type c_t; } }\nallow b_t c_t:file read;\n', code: 'te-unknown-name' }, // type c_t is not within scope
    { name: 'bad-declared-in-optional-only', body: 'optional { require { type c_t; } type d_t; }\nallow b_t d_t:file read;\n', code: 'te-unknown-name' },
    { name: 'bad-else-does-not-see-optional', body: 'optional { require { type c_t; } } else { allow b_t c_t:file read; }\n', code: 'te-unknown-name' },
    { name: 'bad-class-in-optional-only', body: 'optional { require { class dir read; } }\nallow b_t a_t:dir read;\n', code: 'te-unknown-name' }, // class dir is not within scope
    { name: 'bad-boolean-in-optional-only', body: 'optional { require { type c_t; } bool x true; }\nif (x) { allow b_t a_t:file read; }\n', code: 'te-unknown-name' },
    { name: 'bad-unknown-boolean', body: 'if (y) { allow b_t a_t:file read; }\n', code: 'te-unknown-name' },
    { name: 'bad-unknown-attribute', body: 'type c_t, foo_attr;\n', code: 'te-unknown-name' }, // attribute foo_attr is not declared
    { name: 'bad-typeattribute-unknown', body: 'typeattribute b_t zz;\n', code: 'te-unknown-name' },
    { name: 'bad-role-types-undeclared', body: 'role r types b_t;\n', code: 'te-unknown-name' }, // unknown role r
    { name: 'bad-role-allow-unknown', body: 'role r;\nallow r q;\n', code: 'te-unknown-name' },
    { name: 'bad-roleattribute-unknown', body: 'role r;\nroleattribute r ar;\n', code: 'te-unknown-name' },
    { name: 'bad-transition-result', body: 'type_transition b_t a_t:file c_t;\n', code: 'te-unknown-name' },
    { name: 'bad-excluded-unknown', body: 'allow b_t { a_t -c_t }:file read;\n', code: 'te-unknown-name' },
    { name: 'bad-complement-unknown', body: 'allow b_t ~c_t:file read;\n', code: 'te-unknown-name' },
    { name: 'bad-typealias-unknown', body: 'typealias c_t alias d_t;\n', code: 'te-unknown-name' },
    { name: 'bad-permissive-unknown', body: 'permissive c_t;\n', code: 'te-unknown-name' },
    { name: 'bad-typebounds-unknown', body: 'typebounds b_t c_t;\n', code: 'te-unknown-name' },
    { name: 'bad-expandattribute-unknown', body: 'expandattribute q_attr true;\n', code: 'te-unknown-name' },
    { name: 'ok-class-required-in-if', body: 'bool x true;\nif (x) { require { class dir read; } }\nallow b_t a_t:dir read;\n' },
    { name: 'ok-permission-for-else', body: 'optional { require { type c_t; class file getattr; } } else { allow b_t a_t:file getattr; }\n' },
    { name: 'ok-minus', body: 'attribute d_attr;\nallow d_attr - b_t a_t:file read;\n' },
    { name: 'ok-second-pass-order-free', body: 'permissive c_t;\ntypebounds b_t c_t;\nexpandattribute d_attr true;\nrole r types c_t;\nallow r q;\ntype c_t;\nattribute d_attr;\nrole r;\nrole q;\n' },
    { name: 'ok-require-in-if-above-typeattribute', body: 'bool x true;\nif (x) { require { attribute d_attr; } }\ntypeattribute b_t d_attr;\n' },
    { name: 'bad-minus-unknown', body: 'attribute d_attr;\nallow d_attr - z_t a_t:file read;\n', code: 'te-unknown-name' },
    { name: 'bad-xperm-unknown', body: 'allowxperm b_t c_t:file ioctl 0x1;\n', code: 'te-unknown-name' },
    { name: 'bad-sibling-optional', body: 'optional { require { type c_t; } }\noptional { require { type d_t; } allow d_t c_t:file read; }\n', code: 'te-unknown-name' },
    { name: 'bad-class-in-optional-transition', body: 'optional { require { class dir read; } }\ntype_transition b_t a_t:dir b_t;\n', code: 'te-unknown-name' },
    // checkmodule's first pass: what stands above only (`attribute d_attr is not declared`).
    { name: 'bad-typeattribute-before-require', body: 'typeattribute b_t d_attr;\nrequire { attribute d_attr; }\n', code: 'te-unknown-name' },
    { name: 'bad-type-attribute-declared-after', body: 'type c_t, d_attr;\nattribute d_attr;\n', code: 'te-unknown-name' },
    { name: 'bad-typeattribute-type-after', body: 'typeattribute c_t d_attr;\nattribute d_attr;\ntype c_t;\n', code: 'te-unknown-name' },
    { name: 'bad-roleattribute-before-declaration', body: 'role r;\nroleattribute r ar;\nattribute_role ar;\n', code: 'te-unknown-name' },
    { name: 'bad-role-attribute-after', body: 'role r, ar;\nattribute_role ar;\n', code: 'te-unknown-name' },
    { name: 'bad-typealias-before-type', body: 'typealias c_t alias d_t;\ntype c_t;\n', code: 'te-unknown-name' },
    { name: 'bad-typeattribute-in-optional-then-require', body: 'optional { require { type c_t; } typeattribute c_t d_attr; require { attribute d_attr; } }\n', code: 'te-unknown-name' },
    { name: 'bad-typeattribute-attribute-of-other-optional', body: 'optional { require { attribute d_attr; } }\ntypeattribute b_t d_attr;\n', code: 'te-unknown-name' },
    // An attribute where a type is required (checkmodule: `unknown type X`, ...), and the other way round.
    { name: 'bad-typeattribute-attribute', body: 'attribute g_attr;\nattribute h_attr;\ntypeattribute g_attr h_attr;\n', code: 'te-attribute-as-type' },
    { name: 'bad-typeattribute-required-attribute', body: 'require { attribute g_attr; attribute h_attr; }\ntypeattribute g_attr h_attr;\n', code: 'te-attribute-as-type' },
    { name: 'bad-transition-to-attribute', body: 'attribute g_attr;\ntype_transition b_t a_t:file g_attr;\n', code: 'te-attribute-as-type' },
    { name: 'bad-type-change-to-attribute', body: 'attribute g_attr;\ntype_change b_t a_t:file g_attr;\n', code: 'te-attribute-as-type' },
    { name: 'bad-type-member-to-attribute', body: 'attribute g_attr;\ntype_member b_t a_t:file g_attr;\n', code: 'te-attribute-as-type' },
    { name: 'ok-name-transition-to-attribute', body: 'attribute g_attr;\ntype_transition b_t a_t:file g_attr "x";\n' },
    { name: 'bad-typealias-of-attribute', body: 'attribute g_attr;\ntypealias g_attr alias g2_t;\n', code: 'te-attribute-as-type' },
    { name: 'bad-typebounds-attribute-bounding', body: 'attribute g_attr;\ntypebounds g_attr b_t;\n', code: 'te-attribute-as-type' },
    { name: 'bad-typebounds-attribute-bounded', body: 'attribute g_attr;\ntypebounds b_t g_attr;\n', code: 'te-attribute-as-type' },
    { name: 'bad-permissive-attribute', body: 'attribute g_attr;\npermissive g_attr;\n', code: 'te-attribute-as-type' },
    { name: 'bad-transition-to-attribute-in-if', body: 'bool x true;\nattribute g_attr;\nif (x) { type_transition b_t a_t:file g_attr; }\n', code: 'te-attribute-as-type' },
    { name: 'bad-typeattribute-attribute-in-optional', body: 'attribute d_attr;\noptional { require { attribute g_attr; } typeattribute g_attr d_attr; }\n', code: 'te-attribute-as-type' },
    { name: 'ok-role-types-attribute', body: 'attribute g_attr;\nrole r;\nrole r types g_attr;\n' },
    { name: 'ok-role-transition-types-attribute', body: 'attribute g_attr;\nrequire { class process transition; }\nrole r;\nrole q;\nrole_transition r g_attr q;\n' },
    { name: 'bad-role-transition-to-role-attribute', body: 'require { class process transition; }\nrole r;\nattribute_role ar;\nrole_transition r b_t ar;\n', code: 'te-attribute-as-type' },
    { name: 'ok-aliases-where-types-go', body: 'attribute d_attr;\ntype c_t alias c2_t;\ntypeattribute c2_t d_attr;\npermissive c2_t;\ntypebounds b_t c2_t;\ntype_transition b_t a_t:file c2_t;\n' },
    { name: 'bad-required-type-declared-attribute', body: 'attribute a_t;\n', code: 'te-kind-conflict' },
    { name: 'bad-required-attribute-declared-type', body: 'require { attribute d_attr; }\ntype d_attr;\n', code: 'te-kind-conflict' },
    { name: 'bad-required-type-and-attribute', body: 'require { type x_t; }\nrequire { attribute x_t; }\n', code: 'te-kind-conflict' },
    { name: 'bad-required-attribute-in-optional', body: 'optional { require { attribute a_t; } }\n', code: 'te-kind-conflict' },
    { name: 'bad-required-role-declared-role-attribute', body: 'require { role z; }\nattribute_role z;\n', code: 'te-kind-conflict' },
    { name: 'ok-required-twice-alike', body: 'require { type a_t; attribute d_attr; }\noptional { require { attribute d_attr; } }\nattribute d_attr;\n' },
    { name: 'bad-dotted-boolean', body: 'bool x.y true;\n', code: 'te-dotted-name' },
    { name: 'bad-dotted-alias', body: 'type c_t alias c_t.x;\n', code: 'te-dotted-name' },
    { name: 'ok-dotted-type', body: 'type b_t.sub;\n' },
    { name: 'ok-dotted-type-in-optional', body: 'optional { require { type q_t; } type b_t.x; }\nrequire { role z; }\nrole z.y;\n' },
    { name: 'bad-dotted-type-unknown-bounds', body: 'type x.y;\n', code: 'te-dotted-name' },
    { name: 'bad-dotted-type-attribute-bounds', body: 'attribute x;\ntype x.y;\n', code: 'te-dotted-name' },
    { name: 'bad-dotted-role-unknown-bounds', body: 'role z.y;\n', code: 'te-dotted-name' },
    { name: 'bad-typebounds-two-masters', body: 'type c_t;\ntypebounds b_t c_t;\ntypebounds a_t c_t;\n', code: 'te-typebounds-conflict' },
    { name: 'bad-typebounds-against-name', body: 'type b_t.x;\ntypebounds a_t b_t.x;\n', code: 'te-typebounds-conflict' },
    { name: 'ok-typebounds-twice-alike', body: 'type c_t;\ntypebounds b_t c_t;\ntypebounds b_t c_t;\ntype b_t.x;\ntypebounds b_t b_t.x;\n' },
    { name: 'bad-typeattribute-to-type', body: 'typeattribute b_t a_t;\n', code: 'te-type-as-attribute' },
    { name: 'bad-type-with-type-attribute', body: 'type c_t, a_t;\n', code: 'te-type-as-attribute' },
    { name: 'bad-typeattribute-to-alias', body: 'type c_t alias c2_t;\ntypeattribute b_t c2_t;\n', code: 'te-type-as-attribute' },
    { name: 'bad-expandattribute-type', body: 'expandattribute b_t true;\n', code: 'te-type-as-attribute' },
    { name: 'bad-roleattribute-regular-role', body: 'role r;\nrole q;\nroleattribute r q;\n', code: 'te-type-as-attribute' },
    { name: 'bad-role-regular-role-attribute', body: 'role q;\nrole z, q;\n', code: 'te-type-as-attribute' },
    { name: 'ok-role-allow-role-attribute', body: 'attribute_role ar;\nrole q;\nallow ar q;\n' },
    // self: only among the target types of access and type rules, never excluded, never declared.
    { name: 'bad-self-source', body: 'allow self a_t:file read;\n', code: 'te-self' },
    { name: 'bad-self-source-set', body: 'allow { b_t self } a_t:file read;\n', code: 'te-self' },
    { name: 'bad-self-neverallow-source', body: 'neverallow self a_t:file read;\n', code: 'te-self' },
    { name: 'bad-self-excluded', body: 'attribute d_attr;\nallow b_t { d_attr -self }:file read;\n', code: 'te-self' },
    { name: 'bad-self-minus', body: 'attribute d_attr;\nallow b_t d_attr - self:file read;\n', code: 'te-self' },
    { name: 'bad-self-neverallow-excluded', body: 'attribute d_attr;\nneverallow b_t { d_attr -self }:file read;\n', code: 'te-self' },
    { name: 'ok-self-transition-target', body: 'type_transition b_t self:file b_t;\ntype_member b_t { a_t self }:file b_t;\n' },
    { name: 'ok-self-name-transition-target', body: 'type_transition b_t self:file b_t "x";\n' },
    { name: 'ok-neverallow-complement-self', body: 'neverallow b_t ~self:file read;\nneverallow b_t ~{ self a_t }:file read;\n' },
    { name: 'bad-self-transition-source', body: 'type_transition self a_t:file b_t;\n', code: 'te-self' },
    { name: 'bad-self-transition-result', body: 'type_transition b_t a_t:file self;\n', code: 'te-self' },
    { name: 'bad-self-role-types', body: 'role r;\nrole r types self;\n', code: 'te-self' },
    { name: 'bad-self-role-transition', body: 'require { class process transition; }\nrole r;\nrole q;\nrole_transition r self q;\n', code: 'te-self' },
    { name: 'bad-self-range-transition', body: 'require { sensitivity s0; }\nrange_transition b_t self:file s0;\n', code: 'te-self' },
    { name: 'bad-self-typeattribute', body: 'attribute d_attr;\ntypeattribute self d_attr;\n', code: 'te-self' },
    { name: 'bad-self-permissive', body: 'permissive self;\n', code: 'te-self' },
    { name: 'bad-self-typebounds', body: 'typebounds b_t self;\n', code: 'te-self' },
    { name: 'bad-self-expandattribute', body: 'expandattribute self true;\n', code: 'te-self' },
    { name: 'bad-self-declared', body: 'type self;\n', code: 'te-self' },
    { name: 'bad-self-attribute-declared', body: 'attribute self;\n', code: 'te-self' },
    { name: 'ok-alias-named-self', body: 'type c_t alias self;\ntypealias b_t alias { x_t };\n' },
    { name: 'bad-self-in-if', body: 'bool x true;\nif (x) { allow self a_t:file read; }\n', code: 'te-self' },
    { name: 'bad-self-excluded-transition-target', body: 'attribute d_attr;\ntype_transition b_t { d_attr -self }:file b_t;\n', code: 'te-self' },
    { name: 'bad-self-neverallow-complemented-source', body: 'neverallow ~self a_t:file read;\n', code: 'te-self' },
    { name: 'bad-self-role-allow', body: 'role r;\nallow r self;\n', code: 'te-unknown-name' },
    // `*`, `~` and `-`: type sets take `*` and `~` in neverallow only; role sets, classes and expandattribute none of them.
    { name: 'bad-star-allow-source', body: 'allow * a_t:file read;\n', code: 'te-set-operator' },
    { name: 'bad-star-allow-target', body: 'allow b_t *:file read;\n', code: 'te-set-operator' },
    { name: 'bad-complement-allow-source', body: 'allow ~b_t a_t:file read;\n', code: 'te-set-operator' },
    { name: 'bad-complement-dontaudit-target', body: 'dontaudit b_t ~a_t:file read;\n', code: 'te-set-operator' },
    { name: 'ok-neverallow-star-complement', body: 'neverallow * ~{ a_t }:file read;\n' },
    { name: 'bad-star-xperm', body: 'require { class file ioctl; }\nallowxperm b_t *:file ioctl 0x1;\n', code: 'te-set-operator' },
    { name: 'ok-neverallowxperm-star', body: 'require { class file ioctl; }\nneverallowxperm * *:file ioctl 0x1;\n' },
    { name: 'bad-star-class', body: 'allow b_t a_t:* read;\n', code: 'te-set-operator' },
    { name: 'bad-complement-class', body: 'allow b_t a_t:~file read;\n', code: 'te-set-operator' },
    { name: 'bad-excluded-class', body: 'allow b_t a_t:{ file -file } read;\n', code: 'te-set-operator' },
    { name: 'bad-excluded-permission', body: 'allow b_t a_t:file { read -write };\n', code: 'te-set-operator' },
    { name: 'bad-minus-permission', body: 'allow b_t a_t:file read - write;\n', code: 'te-set-operator' },
    { name: 'bad-star-transition', body: 'type_transition * a_t:file b_t;\n', code: 'te-set-operator' },
    { name: 'bad-complement-transition', body: 'type_transition b_t ~a_t:file b_t;\n', code: 'te-set-operator' },
    { name: 'bad-star-name-transition', body: 'type_transition b_t *:file b_t "x";\n', code: 'te-set-operator' },
    { name: 'bad-star-role-types', body: 'role r;\nrole r types *;\n', code: 'te-set-operator' },
    { name: 'bad-complement-role-types', body: 'role r;\nrole r types ~b_t;\n', code: 'te-set-operator' },
    { name: 'ok-excluded-types', body: 'attribute d_attr;\nrole r;\nrole r types { d_attr -b_t };\nallow { d_attr -b_t } a_t:file read;\n' },
    { name: 'bad-star-role-transition-roles', body: 'require { class process transition; }\nrole q;\nrole_transition * b_t q;\n', code: 'te-set-operator' },
    { name: 'bad-complement-role-transition-roles', body: 'require { class process transition; }\nrole r;\nrole q;\nrole_transition ~r b_t q;\n', code: 'te-set-operator' },
    { name: 'bad-excluded-role-transition-roles', body: 'require { class process transition; }\nrole r;\nrole q;\nrole_transition { r -q } b_t q;\n', code: 'te-set-operator' },
    { name: 'bad-star-role-transition-types', body: 'require { class process transition; }\nrole r;\nrole q;\nrole_transition r * q;\n', code: 'te-set-operator' },
    { name: 'bad-star-role-allow', body: 'role r;\nallow r *;\n', code: 'te-set-operator' },
    { name: 'bad-complement-role-allow', body: 'role r;\nrole q;\nallow ~r q;\n', code: 'te-set-operator' },
    { name: 'bad-excluded-role-allow', body: 'role r;\nrole q;\nallow { r -q } q;\n', code: 'te-set-operator' },
    { name: 'bad-minus-role-allow', body: 'role r;\nrole q;\nallow r - q q;\n', code: 'te-set-operator' },
    { name: 'bad-star-user-roles', body: 'require { sensitivity s0; }\nuser u roles * level s0 range s0;\n', code: 'te-set-operator' },
    { name: 'bad-complement-user-roles', body: 'require { sensitivity s0; }\nrole r;\nuser u roles ~r level s0 range s0;\n', code: 'te-set-operator' },
    { name: 'bad-excluded-user-roles', body: 'require { sensitivity s0; }\nrole r;\nrole q;\nuser u roles { r -q } level s0 range s0;\n', code: 'te-set-operator' },
    { name: 'bad-star-range-transition', body: 'require { sensitivity s0; }\nrange_transition * a_t:file s0;\n', code: 'te-set-operator' },
    { name: 'bad-star-expandattribute', body: 'expandattribute * true;\n', code: 'te-set-operator' },
    { name: 'bad-excluded-expandattribute', body: 'attribute d_attr;\nexpandattribute { d_attr -d_attr } true;\n', code: 'te-set-operator' },
    { name: 'bad-star-in-if', body: 'bool x true;\nif (x) { allow * a_t:file read; }\n', code: 'te-set-operator' },
    { name: 'bad-excluded-class-neverallow', body: 'neverallow b_t a_t:{ file -file } read;\n', code: 'te-set-operator' },
    { name: 'bad-star-class-range-transition', body: 'require { sensitivity s0; }\nrange_transition b_t a_t:* s0;\n', code: 'te-set-operator' },
    { name: 'bad-complement-expandattribute', body: 'attribute d_attr;\nexpandattribute ~d_attr true;\n', code: 'te-set-operator' },
    // An optional's else branch declares and requires nothing itself (checkmodule: `Could not declare type here`).
    { name: 'bad-else-type', body: 'optional { require { type z_t; } } else { type d_t; }\n', code: 'te-else-declaration' },
    { name: 'bad-else-require', body: 'optional { require { type z_t; } } else { require { type y_t; } allow b_t y_t:file read; }\n', code: 'te-else-declaration' },
    { name: 'bad-else-bool', body: 'optional { require { type z_t; } } else { bool x true; }\n', code: 'te-else-declaration' },
    { name: 'bad-else-role', body: 'optional { require { type z_t; } } else { role q; }\n', code: 'te-else-declaration' },
    { name: 'bad-else-typealias', body: 'optional { require { type z_t; } } else { typealias b_t alias b2_t; }\n', code: 'te-else-declaration' },
    { name: 'bad-else-if-require', body: 'bool x true;\noptional { require { type z_t; } } else { if (x) { require { type y_t; } allow b_t y_t:file read; } }\n', code: 'te-else-declaration' },
    {
      name: 'ok-else-rules-and-nested-optional',
      body: 'role r;\nattribute d_attr;\noptional { require { type z_t; } } else { typeattribute b_t d_attr; role r types b_t; permissive b_t; optional { require { type y_t; } type d_t; } }\n',
    },
    // Transitions given twice: name transitions and role transitions, across blocks, types expanded.
    { name: 'bad-name-transition-twice-same-type', body: 'type_transition b_t a_t:file b_t "x";\ntype_transition b_t a_t:file b_t "x";\n', code: 'te-duplicate-transition' },
    {
      name: 'bad-name-transition-in-two-optionals',
      body: 'optional { require { type z_t; } type_transition b_t a_t:file b_t "x"; }\noptional { require { type y_t; } type_transition b_t a_t:file a_t "x"; }\n',
      code: 'te-duplicate-transition',
    },
    { name: 'bad-name-transition-alias', body: 'type c_t alias c2_t;\ntype_transition c_t a_t:file b_t "x";\ntype_transition c2_t a_t:file b_t "x";\n', code: 'te-duplicate-transition' },
    {
      name: 'bad-name-transition-attribute-member',
      body: 'require { attribute d_attr; }\ntypeattribute b_t d_attr;\ntype_transition d_attr a_t:file b_t "x";\ntype_transition b_t a_t:file b_t "x";\n',
      code: 'te-duplicate-transition',
    },
    { name: 'bad-name-transition-self', body: 'type_transition b_t self:file b_t "x";\ntype_transition b_t b_t:file b_t "x";\n', code: 'te-duplicate-transition' },
    {
      name: 'ok-name-transitions-differ',
      body: 'require { class dir read; }\ntype_transition b_t a_t:file b_t "x";\ntype_transition b_t a_t:dir b_t "x";\ntype_transition b_t a_t:file b_t "y";\ntype_transition b_t a_t:file b_t;\ntype_transition b_t a_t:file a_t;\n',
    },
    {
      name: 'ok-name-transition-excluded-member',
      body: 'attribute e_attr;\ntypeattribute b_t e_attr;\ntype c_t, e_attr;\ntype_transition { e_attr -b_t } a_t:file b_t "x";\ntype_transition b_t a_t:file b_t "x";\n',
    },
    { name: 'bad-name-transition-in-if', body: 'bool x true;\nif (x) { type_transition b_t a_t:file b_t "x"; }\n', code: 'te-conditional-declaration' },
    {
      name: 'bad-role-transition-twice',
      body: 'require { class process transition; }\nrole r;\nrole q;\noptional { require { type z_t; } role_transition r b_t q; }\nrole_transition r b_t:process r;\n',
      code: 'te-duplicate-transition',
    },
    { name: 'ok-role-transitions-differ', body: 'require { class process transition; }\nrole r;\nrole q;\nrole_transition r b_t:file q;\nrole_transition r b_t q;\nrole_transition q b_t q;\n' },
    // Extended permissions: the operation is a permission of the class, and only ioctl.
    { name: 'ok-xperm', body: 'require { class file ioctl; }\nallowxperm b_t self:file ioctl { 0x1 0x5-0x7 };\n' },
    { name: 'bad-xperm-ioctl-not-required', body: 'allowxperm b_t a_t:file ioctl 0x1;\n', code: 'te-unknown-permission' },
    { name: 'bad-xperm-operation', body: 'require { class file ioctl; }\nallowxperm b_t a_t:file read 0x1;\n', code: 'te-xperm-operation' },
    // MLS names and the process class of legacy rules: required anywhere in the module.
    { name: 'bad-legacy-role-transition-without-process', body: 'role r;\nrole q;\nrole_transition r b_t q;\n', code: 'te-unknown-name' },
    { name: 'ok-legacy-role-transition-process-in-optional', body: 'optional { require { class process transition; } }\nrole r;\nrole q;\nrole_transition r b_t q;\n' },
    { name: 'ok-role-transition-with-class', body: 'require { class process transition; }\nrole r;\nrole q;\nrole_transition r b_t:process q;\n' },
    { name: 'bad-legacy-range-transition-without-process', body: 'require { sensitivity s0; }\nrange_transition b_t a_t s0;\n', code: 'te-unknown-name' },
    { name: 'ok-legacy-range-transition', body: 'require { sensitivity s0; class process transition; }\nrange_transition b_t a_t s0;\n' },
    { name: 'bad-range-sensitivity-not-required', body: 'range_transition b_t a_t:file s0;\n', code: 'te-unknown-name' },
    { name: 'ok-range-sensitivity-in-optional', body: 'optional { require { sensitivity s0; } }\nrange_transition b_t a_t:file s0;\n' },
    { name: 'bad-range-category-not-required', body: 'require { sensitivity s0; }\nrange_transition b_t a_t:file s0:c0;\n', code: 'te-unknown-name' },
    { name: 'bad-range-category-range-end', body: 'require { sensitivity s0; category c0; }\nrange_transition b_t a_t:file s0:c0.c9;\n', code: 'te-unknown-name' },
    { name: 'ok-range-categories', body: 'require { sensitivity s0; category c0; category c5; }\nrange_transition b_t a_t:file s0:c0.c5 - s0:c0,c5;\n' },
    { name: 'bad-range-high-not-required', body: 'require { sensitivity s0; }\nrange_transition b_t a_t:file s0 - s1;\n', code: 'te-unknown-name' },
    { name: 'bad-user-without-level', body: 'role r;\nuser u roles r;\n', code: 'te-user-level' },
    { name: 'ok-user', body: 'require { sensitivity s0; }\nrole r;\nuser u roles r level s0 range s0 - s0;\n' },
    { name: 'bad-user-level-not-required', body: 'role r;\nuser u roles r level s0 range s0 - s0;\n', code: 'te-unknown-name' },
    { name: 'bad-user-category-not-required', body: 'require { sensitivity s0; }\nrole r;\nuser u roles r level s0:c1 range s0;\n', code: 'te-unknown-name' },
    {
      name: 'ok-user-role-attribute-twice-in-optional',
      body: 'require { sensitivity s0; }\nattribute_role ar;\noptional { require { type c_t; } user u roles ar level s0 range s0; }\nuser u roles ar level s0 range s0;\nuser u roles ar level s0 range s0;\n',
    },
    // A block's user statements come after its other statements (checkmodule: `syntax error`).
    { name: 'bad-rule-after-user', body: 'require { sensitivity s0; }\nrole r;\nuser u roles r level s0 range s0;\nallow b_t a_t:file read;\n', code: 'te-syntax' },
    { name: 'bad-optional-after-user', body: 'require { sensitivity s0; }\nrole r;\nuser u roles r level s0 range s0;\noptional { require { type c_t; } }\n', code: 'te-syntax' },
    { name: 'bad-else-of-users-only', body: 'require { sensitivity s0; }\nrole r;\noptional { require { type c_t; } } else { user u roles r level s0 range s0; }\n', code: 'te-syntax' },
  ];

  it('agrees with checkmodule on what checkModule refuses', () => {
    const disagree: string[] = [];
    for (const c of CHECKS) {
      const file = dir.join(`${c.name}.te`);
      writeFileSync(file, HEAD + c.body);
      const real = checkmoduleAccepts(file);
      const r = parseModuleText({ name: file, text: HEAD + c.body });
      const found = [...r.diagnostics, ...checkModule(r.ast, r.map)];
      const ours = found.length === 0;
      if (ours !== real || real !== c.name.startsWith('ok')) disagree.push(`${c.name}: checkmodule ${real ? 'accepts' : 'rejects'}, we ${ours ? 'accept' : 'reject'}`);
      if (c.code !== undefined && !found.some((d) => d.code === c.code)) disagree.push(`${c.name}: no ${c.code} in ${found.map((d) => d.code).join(' ')}`);
    }
    expect(disagree).toEqual([]);
  });

  // The seed's case through the devel headers: refpolicy's kernel_read_messages gives its
  // argument an attribute; checkmodule says `unknown type gravity_domain` at a line of m4 output.
  it("gives the seed's attribute error at the user's line where checkmodule refuses the module", () => {
    const head = 'policy_module(gravity, 1.0)\n\nattribute gravity_domain;\nrequire { attribute can_receive_kernel_messages; }\n';
    const cases = [
      { body: 'kernel_read_messages(gravity_domain)\n', at: 'gravity.te:5:22', call: 'kernel_read_messages' },
      { body: 'typeattribute gravity_domain can_receive_kernel_messages;\n', at: 'gravity.te:5:15', call: undefined },
    ];
    for (const c of cases) {
      const m4 = expandDevelModule({ name: 'gravity.te', text: head + c.body }, { includeDir: include, origins: true });
      const file = dir.join('gravity.tmp');
      writeFileSync(file, m4.output, 'latin1');
      const real = spawnSync('checkmodule', ['-M', '-m', file], { encoding: 'utf8' });
      expect(real.status).not.toBe(0);
      expect(real.stderr + real.stdout).toContain('unknown type gravity_domain');
      const r = parseModuleText({ name: file, text: m4.output, origins: m4.origins });
      const found = [...r.diagnostics, ...checkModule(r.ast, r.map)];
      expect(found.map((d) => `${d.span?.file}:${d.span?.line}:${d.span?.column} ${d.code} ${d.data?.call}`)).toEqual([`${c.at} te-attribute-as-type ${c.call}`]);
    }
  });

  it('says the module name differs from the output file where checkmodule -o does, in its words', () => {
    const file = dir.join('named.te');
    writeFileSync(file, `${HEAD}allow b_t a_t:file read;\n`);
    const r = parseModuleText({ name: file, text: `${HEAD}allow b_t a_t:file read;\n` });
    const disagree: string[] = [];
    for (const out of ['m.mod', 'm', 'other.mod', 'm.v1.mod', 'M.mod', 'sub/m.mod', 'sub/x.mod']) {
      mkdirSync(dir.join('sub'), { recursive: true });
      const real = spawnSync('checkmodule', ['-M', '-m', '-o', dir.join(out), file], { encoding: 'utf8' });
      const found = checkModule(r.ast, r.map, { outputName: dir.join(out) });
      const said = real.stderr.trim().replace(/^checkmodule: {2}/, '');
      const ours = found.map((d) => d.message).join('\n');
      if ((real.status === 0) !== (found.length === 0) || (found.length > 0 && (ours !== said || found[0]?.code !== 'te-module-name'))) {
        disagree.push(`${out}: checkmodule ${real.status} ${said} / ours ${ours}`);
      }
    }
    expect(disagree).toEqual([]);
  });

  it('agrees with checkmodule on modules whose only errors are of syntax', () => {
    const disagree: string[] = [];
    for (const c of CASES) {
      const file = dir.join(`${c.name}.te`);
      writeFileSync(file, HEAD + c.body);
      const real = checkmoduleAccepts(file);
      const ours = parseModuleText({ name: file, text: HEAD + c.body }).diagnostics.length === 0;
      if (ours !== real || real !== c.name.startsWith('ok')) disagree.push(`${c.name}: checkmodule ${real ? 'accepts' : 'rejects'}, we ${ours ? 'accept' : 'reject'}`);
    }
    expect(disagree).toEqual([]);
  });
}, ['env', 'm4', 'checkmodule', 'devel-include', 'refpolicy-src']);
