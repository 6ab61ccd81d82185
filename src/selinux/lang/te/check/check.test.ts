// checkModule: what checkmodule refuses without looking at a policy, said
// plainly at the user's line (base-only statements, declarations inside if,
// duplicates, optional blocks without require, a file that is not a module).
import { describe, expect, it } from 'vitest';
import { checkModule, parseModuleText, te } from '../../../../index.js';

/** The diagnostics but name resolution's (scope.test.ts tests those; the modules here use names freely). */
function unscoped(d: ReturnType<typeof checkModule>): ReturnType<typeof checkModule> {
  return d.filter((x) => !x.code.startsWith('te-unknown-'));
}

function check(text: string): string[] {
  const r = parseModuleText({ name: 'm.te', text });
  expect(r.diagnostics).toEqual([]);
  return unscoped(checkModule(r.ast, r.map)).map((d) => `${d.span?.line}:${d.span?.column} ${d.code} ${d.message}`);
}

describe('checkModule', () => {
  it('accepts a clean module', () => {
    expect(
      check(
        'module m 1.0;\nrequire { type a_t; }\ntype b_t;\nrole r;\nrole r types b_t;\nbool x true;\nif (x) { allow b_t a_t:file read; }\noptional { require { type c_t; } allow b_t c_t:file read; } else { allow b_t a_t:file write; optional { require { type e_t; } type d_t; } }\n',
      ),
    ).toEqual([]);
  });

  it('refuses base-only statements, naming them', () => {
    expect(check('module m 1.0;\ngenfscon proc / system_u:object_r:proc_t:s0\nsid kernel\nclass file { read }\n')).toEqual([
      '2:1 te-base-only genfscon is only allowed in a base policy, not in a module',
      '3:1 te-base-only sid is only allowed in a base policy, not in a module',
      '4:1 te-base-only class is only allowed in a base policy, not in a module',
    ]);
  });

  it('refuses declarations, role rules, neverallow, xperm rules and optional inside if', () => {
    const out = check('module m 1.0;\nbool x true;\nif (x) {\n  type a_t;\n  neverallow a b:c d;\n  allowxperm a b:c ioctl 1;\n  optional { require { type q; } }\n  allow a b:c d;\n}\n');
    expect(out.map((l) => l.split(' is not allowed')[0])).toEqual([
      '4:3 te-conditional-declaration type',
      '5:3 te-conditional-declaration neverallow',
      '6:3 te-conditional-declaration allowxperm',
      '7:3 te-conditional-declaration an optional block cannot stand inside an if block',
    ]);
  });

  it('finds duplicates: types, attributes and aliases share a name space; the first place is a note', () => {
    const r = parseModuleText({
      name: 'm.te',
      text: 'module m 1.0;\ntype a_t alias b_t;\nattribute a_t;\ntypealias c_t alias b_t;\nbool x true;\ntunable x false;\noptional { require { type q; } type a_t; }\nrole r;\nrole r;\n',
    });
    const d = unscoped(checkModule(r.ast, r.map));
    expect(d.map((x) => `${x.span?.line}:${x.span?.column} ${x.message}`)).toEqual([
      '3:11 duplicate declaration of attribute a_t',
      '4:21 duplicate declaration of type alias b_t',
      '6:9 duplicate declaration of tunable x',
      '7:37 duplicate declaration of type a_t',
    ]);
    expect(d[0]?.notes[0]?.message).toBe('first declared at m.te:2:6');
  });

  it("says an optional block has no require (checkmodule's words), and a file without module is not a module", () => {
    expect(check('module m 1.0;\noptional { allow a b:c d; } else { allow a b:c d; }\n')).toEqual(['2:1 te-no-require This block has no require section.']);
    expect(check('type a_t;\nmodule m 1.0;\n')).toEqual([
      '1:1 te-syntax not a module: the file must start with module NAME VERSION; (without it checkmodule reads a base policy)',
      '2:1 te-syntax the module statement must be the first statement of the file',
    ]);
  });

  it('puts user statements last in their block, after at least one other statement', () => {
    const out = check(
      'module m 1.0;\nrequire { sensitivity s0; }\nuser u roles r level s0 range s0;\nallow a b:c d;\noptional { require { type q; } user u roles r level s0 range s0; } else { user u roles r level s0 range s0; }\n',
    );
    expect(out.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['4:1 te-syntax', '5:75 te-syntax', '5:75 te-else-declaration']);
    expect(out[0]).toContain('move this allow above the user statement of line 3');
    expect(
      check('module m 1.0;\nrequire { sensitivity s0; }\noptional { require { type q; } user u roles r level s0 range s0; }\nuser u roles r level s0 range s0;\nuser v roles r level s0 range s0;\n'),
    ).toEqual([]);
  });
});

describe('the module name against the output file (checkmodule -o)', () => {
  function named(outputName: string | undefined): string[] {
    const r = parseModuleText({ name: 'm.te', text: 'module myapp 1.0;\n' });
    return checkModule(r.ast, r.map, { outputName }).map((d) => `${d.span?.line}:${d.span?.column} ${d.code} ${d.message}`);
  }

  it('accepts an output named after the module, with or without a suffix, in any directory', () => {
    expect([named(undefined), named('myapp.mod'), named('tmp/myapp.mod'), named('myapp'), named('/x/myapp.pp/')]).toEqual([[], [], [], [], []]);
  });

  it("says checkmodule's words at the module's name otherwise; only the last suffix goes", () => {
    expect(named('other.mod')).toEqual(['1:8 te-module-name Module name myapp is different than the output base filename other']);
    expect(named('myapp.v1.mod')).toEqual(['1:8 te-module-name Module name myapp is different than the output base filename myapp.v1']);
    const r = parseModuleText({ name: 'm.te', text: 'module myapp 1.0;\n' });
    const d = checkModule(r.ast, r.map, { outputName: 'out/x.mod' });
    expect(d[0]?.data).toEqual({ module: 'myapp', output: 'x' });
    expect(d[0]?.notes[0]?.message).toBe('checkmodule names the output after the module: rename the module (module x ...) or write myapp.mod');
  });

  it('takes the base name as POSIX basename does', () => {
    expect(['a/b.c.mod', 'b', '.mod', 'dir/', '/', ''].map(te.outputBaseName)).toEqual(['b.c', 'b', '', 'dir', '/', '.']);
  });
});

describe("an optional block's else branch", () => {
  it('declares and requires nothing itself (an if inside it neither); an optional inside it may', () => {
    expect(
      check(
        'module m 1.0;\nbool x true;\noptional { require { type q; } } else {\n  require { type y_t; }\n  type d_t;\n  bool b true;\n  role z;\n  if (x) { require { type w_t; } }\n  typeattribute a d;\n  role r types a;\n  optional { require { type v_t; } type e_t; }\n}\n',
      ).map((l) => l.split(' cannot')[0]),
    ).toEqual([
      '4:3 te-else-declaration a require block',
      '5:3 te-else-declaration a type declaration',
      '6:3 te-else-declaration a bool declaration',
      '7:3 te-else-declaration a role declaration',
      '8:12 te-else-declaration a require block',
    ]);
  });
});
