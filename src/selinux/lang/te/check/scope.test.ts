// Name resolution (scope.ts): each name against what its block declares or
// requires, at the user's line and column, unknown told from out of scope,
// permissions against what the module requires for the class, and the chain
// of macro calls when the name came from one. checkmodule's verdicts on such
// modules are in test/oracle/te/.
import { describe, expect, it } from 'vitest';
import { checkModule, expandM4, parseModuleText } from '../../../../index.js';

function names(text: string): string[] {
  const r = parseModuleText({ name: 'm.te', text });
  expect(r.diagnostics).toEqual([]);
  return checkModule(r.ast, r.map).map((d) => `${d.span?.line}:${d.span?.column} ${d.code} ${d.message}`);
}

const HEAD = 'module m 1.0;\nrequire { type a_t; class file { read write }; }\ntype b_t;\n';

describe('name resolution', () => {
  it('accepts names declared or required in scope, in any order; an if lends its requires to its block', () => {
    expect(
      names(
        `${HEAD}allow b_t c_t:file read;\nrequire { type c_t; role r; }\nrole r types b_t;\nbool x true;\nif (x) { allow b_t d_t:file read; require { type d_t; } }\nallow b_t d_t:file write;\n` +
          'optional { require { type e_t; class dir getattr; } allow b_t e_t:dir getattr; optional { require { type f_t; } allow e_t f_t:file read; } }\n' +
          'allow b_t self:file *;\nallow b_t a_t:file ~write;\ntype g_t alias h_t;\nallow h_t a_t:file read;\n',
      ),
    ).toEqual([]);
  });

  it('tells a name unknown to the module from one declared or required in another block', () => {
    expect(names(`${HEAD}allow b_t z_t:file read;\noptional { require { type c_t; } type d_t; }\nallow c_t d_t:file read;\n`)).toEqual([
      '4:11 te-unknown-name unknown type z_t',
      '6:7 te-unknown-name type c_t is not within scope',
      '6:11 te-unknown-name type d_t is not within scope',
    ]);
  });

  it("an optional's else block sees the enclosing block, not the optional", () => {
    expect(names(`${HEAD}optional { require { type c_t; } } else { allow b_t c_t:file read; }\n`)).toEqual(['4:53 te-unknown-name type c_t is not within scope']);
  });

  it('checks classes, booleans, roles and attributes; excluded and complemented names too', () => {
    expect(
      names(`${HEAD}allow b_t a_t:dir read;\nif (y) { allow b_t a_t:file read; }\nrole r types b_t;\ntype c_t, c_attr;\nallow b_t { a_t -q_t }:file read;\nneverallow b_t ~p_t:file read;\n`),
    ).toEqual([
      '4:15 te-unknown-name unknown class dir',
      '5:5 te-unknown-name unknown boolean y',
      '6:6 te-unknown-name unknown role r',
      '7:11 te-unknown-name unknown attribute c_attr',
      '8:18 te-unknown-name unknown type q_t',
      '9:17 te-unknown-name unknown type p_t',
    ]);
  });

  it("says a permission is not defined for a class the module requires without it (checkmodule's words), for each class of the rule", () => {
    const r = parseModuleText({ name: 'm.te', text: `${HEAD}require { class dir { read getattr }; }\nallow b_t a_t:{ file dir } { read getattr };\n` });
    const d = checkModule(r.ast, r.map);
    expect(d.map((x) => `${x.span?.line}:${x.span?.column} ${x.code} ${x.message}`)).toEqual(['5:35 te-unknown-permission permission getattr is not defined for class file']);
    expect(d[0]?.data).toEqual({ class: 'file', permission: 'getattr' });
    expect(d[0]?.notes[0]?.message).toContain('require { class file getattr; }');
  });

  it('what checkmodule reads in its first pass (attributes of type and role, typeattribute, roleattribute, typealias) sees only what stands above it', () => {
    expect(names(`${HEAD}typeattribute b_t d_attr;\ntype c_t, d_attr;\nattribute d_attr;\ntypeattribute b_t d_attr;\ntypealias e_t alias f_t;\ntype e_t;\n`)).toEqual([
      '4:19 te-unknown-name attribute d_attr is not declared before this typeattribute',
      '5:11 te-unknown-name attribute d_attr is not declared before this type statement',
      '8:11 te-unknown-name type e_t is not declared before this typealias',
    ]);
  });

  it('gives the name as data and, for a name from a macro, the chain of calls', () => {
    const m4 = expandM4([{ name: 'm.te', text: `define(\`use', \`allow b_t $1:file read;')dnl\n${HEAD}use(z_t)\n` }], { origins: true });
    const r = parseModuleText({ name: 'm.te', text: m4.output, origins: m4.origins });
    const d = checkModule(r.ast, r.map);
    expect(d.map((x) => `${x.span?.file}:${x.span?.line}:${x.span?.column} ${x.message}`)).toEqual(['m.te:5:5 unknown type z_t']);
    expect(d[0]?.data).toEqual({ space: 'type', name: 'z_t', reason: 'unknown' });
    expect(d[0]?.notes.map((n) => n.message).join('\n')).toContain('use');
  });

  it('takes the operation of an xperm rule as a permission of each class, and only ioctl', () => {
    expect(names(`${HEAD}allowxperm b_t a_t:file ioctl 0x1;\nrequire { class dir ioctl; }\nallowxperm b_t a_t:dir ioctl 0x1;\nallowxperm b_t a_t:file read 0x1;\n`)).toEqual([
      '4:25 te-unknown-permission permission ioctl is not defined for class file',
      '7:25 te-xperm-operation read is no extended permission operation: only ioctl is',
    ]);
  });
});
