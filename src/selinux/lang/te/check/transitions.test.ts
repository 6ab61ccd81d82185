// Transitions given twice (transitions.ts): name transitions and role
// transitions, with their types expanded as checkmodule expands them, across
// blocks. checkmodule's verdicts on the same modules: test/oracle/te/ (CHECKS).
import { describe, expect, it } from 'vitest';
import { checkModule, parseModuleText } from '../../../../index.js';

const HEAD = 'module m 1.0;\nrequire { type a_t; class file read; class dir read; class process transition; attribute d_attr; }\ntype b_t;\ntype c_t alias c2_t;\nrole r;\nrole q;\n';

function twice(body: string): string[] {
  const r = parseModuleText({ name: 'm.te', text: HEAD + body });
  expect(r.diagnostics).toEqual([]);
  return checkModule(r.ast, r.map).map((d) => `${d.span?.line}:${d.span?.column} ${d.code} ${d.message}`);
}

describe('transitions given twice', () => {
  it('refuses a second name transition for the same source, target, class and name, in any block, with the first place', () => {
    const r = parseModuleText({ name: 'm.te', text: `${HEAD}optional { require { type z_t; } type_transition b_t a_t:file b_t "x"; }\ntype_transition b_t a_t:file b_t "x";\n` });
    const d = checkModule(r.ast, r.map);
    expect(d.map((x) => `${x.span?.line}:${x.span?.column} ${x.code} ${x.message}`)).toEqual([
      '8:1 te-duplicate-transition a second name transition for "x" from b_t on a_t:file, already given at m.te:7',
    ]);
    expect(d[0]?.notes[0]?.message).toBe('checkmodule says: duplicate filename transition for: filename_trans x b_t a_t:file');
  });

  it('expands aliases, attributes the global block fills, sets and self', () => {
    expect(
      twice(
        'typeattribute b_t d_attr;\ntype_transition d_attr a_t:file b_t "a";\ntype_transition b_t a_t:file b_t "a";\ntype_transition c2_t a_t:file b_t "b";\ntype_transition c_t a_t:file b_t "b";\ntype_transition b_t { self a_t }:{ file dir } b_t "c";\ntype_transition b_t b_t:dir b_t "c";\n',
      ).map((l) => l.split(',')[0]),
    ).toEqual([
      '9:1 te-duplicate-transition a second name transition for "a" from b_t on a_t:file',
      '11:1 te-duplicate-transition a second name transition for "b" from c_t on a_t:file',
      '13:1 te-duplicate-transition a second name transition for "c" from b_t on b_t:dir',
    ]);
  });

  it('leaves rules alone whose expansion is not known here (an attribute filled in an optional block, role attributes)', () => {
    expect(
      twice(
        'optional { require { type z_t; } typeattribute b_t d_attr; }\ntype_transition d_attr a_t:file b_t "x";\ntype_transition b_t a_t:file b_t "x";\nattribute_role ar;\nrole_transition ar b_t q;\nrole_transition r b_t q;\nroleattribute r ar;\n',
      ),
    ).toEqual([]);
  });

  it('refuses a second role transition for the same role, type and class; a legacy one stands for process', () => {
    expect(twice('role_transition { r q } b_t q;\nrole_transition q b_t:process r;\nrole_transition r b_t:file q;\n')).toEqual([
      '8:1 te-duplicate-transition a second role transition for q on b_t:process, already given at m.te:7',
    ]);
  });
});
