// MLS names and the process class of legacy rules (mls.ts): what checkmodule
// -M looks up in the module's tables, required anywhere in the module.
// checkmodule's verdicts on the same modules: test/oracle/te/ (CHECKS).
import { describe, expect, it } from 'vitest';
import { checkModule, parseModuleText } from '../../../../index.js';

const HEAD = 'module m 1.0;\nrequire { type a_t; class file { read write }; }\ntype b_t;\nrole r;\nrole q;\n';

function mls(body: string): string[] {
  const r = parseModuleText({ name: 'm.te', text: HEAD + body });
  expect(r.diagnostics).toEqual([]);
  return checkModule(r.ast, r.map).map((d) => `${d.span?.line}:${d.span?.column} ${d.code} ${d.message}`);
}

describe('MLS names and legacy rules', () => {
  it('accepts levels whose sensitivities and categories are required anywhere, and legacy rules when process is', () => {
    expect(
      mls(
        'optional { require { sensitivity s0; class process transition; } }\nrequire { category c0; category c5; }\nrange_transition b_t a_t:file s0:c0.c5 - s0:c0,c5;\nrange_transition b_t a_t s0;\nrole_transition r b_t q;\nuser u roles r level s0 range s0 - s0:c0;\n',
      ),
    ).toEqual([]);
  });

  it('reports each sensitivity and category the module does not require, both ends of a category range', () => {
    const r = parseModuleText({ name: 'm.te', text: `${HEAD}require { sensitivity s0; category c0; }\nrange_transition b_t a_t:file s0:c0.c9 - s1;\nuser u roles r level s2 range s0:c3;\n` });
    const d = checkModule(r.ast, r.map);
    expect(d.map((x) => `${x.span?.line}:${x.span?.column} ${x.code} ${x.message}`)).toEqual([
      '7:34 te-unknown-name unknown category c9',
      '7:42 te-unknown-name unknown sensitivity s1',
      '8:22 te-unknown-name unknown sensitivity s2',
      '8:34 te-unknown-name unknown category c3',
    ]);
    expect(d[0]?.data).toEqual({ space: 'category', name: 'c9', reason: 'unknown' });
    expect(d[1]?.notes.map((n) => n.message)).toEqual(['require it: require { sensitivity s1; }', 'checkmodule says: unknown level s1 used in range_transition definition']);
  });

  it('says a legacy role_transition or range_transition needs the process class', () => {
    expect(mls('require { sensitivity s0; }\nrole_transition r b_t q;\nrange_transition b_t a_t s0;\nrole_transition r b_t:file q;\n')).toEqual([
      '7:1 te-unknown-name role_transition without classes applies to the process class, which the module does not require',
      '8:1 te-unknown-name range_transition without classes applies to the process class, which the module does not require',
    ]);
  });

  it('wants a level and a range on every user', () => {
    expect(mls('user u roles r;\n')).toEqual(["6:1 te-user-level user u has no level and range: an MLS module's users need them (user NAME roles ROLES level LEVEL range RANGE;)"]);
  });
});
