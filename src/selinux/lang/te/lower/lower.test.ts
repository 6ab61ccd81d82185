import { describe, expect, it } from 'vitest';
import { everyKindExtrasModule, everyKindModule } from '../../../../../test/fixtures/ir/everyKind.js';
import { stripSpans } from '../../../../../test/support/stripSpans.js';
import type { Diagnostic } from '../../../../base/diagnostic.js';
import type { Block, Module } from '../../../ir/index.js';
import { printTe } from '../../../print/te.js';
import { parseModuleText } from '../parse.js';
import { lowerModule } from './lower.js';

function lower(text: string): { module: Module; warnings: Diagnostic[] } {
  const parsed = parseModuleText({ name: 'm.te', text });
  expect(parsed.diagnostics).toEqual([]);
  const warnings: Diagnostic[] = [];
  return { module: lowerModule(parsed.ast, { onDiagnostic: (d) => warnings.push(d) }), warnings };
}

/** The statements of `module m 1.0;` + `body`, spans left out. */
function statementsOf(body: string): unknown[] {
  const { module, warnings } = lower(`module m 1.0;\n${body}`);
  expect(warnings).toEqual([]);
  return stripSpans(module.statements);
}

describe('lowerModule', () => {
  it('takes the module line as name and version, and the written layout', () => {
    const { module } = lower('module my_app 1.2.3;\nrequire { type a_t; }\n');
    expect(stripSpans(module)).toEqual({ name: 'my_app', version: '1.2.3', layout: 'written', statements: [{ kind: 'require', types: ['a_t'], classes: [], roles: [] }] });
    expect(lower('type a_t;').module.name).toBeUndefined();
  });

  it('lowers declarations', () => {
    expect(
      statementsOf(
        'type a_t alias { b_t c_t }, d, e;\ntype f_t;\ntypealias a_t alias g_t;\nattribute d;\ntypeattribute a_t d, e;\nexpandattribute { d e } false;\n' +
          'typebounds a_t f_t, h_t;\npermissive a_t;\nbool b1 true;\ntunable t_x false;\nrole r;\nrole q, ra;\nrole r types { a_t -f_t };\n' +
          'attribute_role ra;\nroleattribute r ra;\nuser u roles { r q } level s0 range s0 - s0:c0.c255,c300;\nuser v roles r;\n',
      ),
    ).toEqual([
      { kind: 'type', name: 'a_t', aliases: ['b_t', 'c_t'], attributes: ['d', 'e'] },
      { kind: 'type', name: 'f_t' },
      { kind: 'typealias', type: 'a_t', aliases: ['g_t'] },
      { kind: 'attribute', name: 'd' },
      { kind: 'typeattribute', type: 'a_t', attributes: ['d', 'e'] },
      { kind: 'expandattribute', attributes: ['d', 'e'], expand: false },
      { kind: 'typebounds', type: 'a_t', bounded: ['f_t', 'h_t'] },
      { kind: 'permissive', type: 'a_t' },
      { kind: 'bool', name: 'b1', default: true },
      { kind: 'bool', name: 't_x', default: false, tunable: true },
      { kind: 'role', name: 'r' },
      { kind: 'role', name: 'q', attributes: ['ra'] },
      { kind: 'roletypes', role: 'r', types: { names: ['a_t'], exclude: ['f_t'] } },
      { kind: 'attribute_role', name: 'ra' },
      { kind: 'roleattribute', role: 'r', attributes: ['ra'] },
      {
        kind: 'user',
        name: 'u',
        roles: ['r', 'q'],
        mls: { level: { sensitivity: 's0' }, range: { low: { sensitivity: 's0' }, high: { sensitivity: 's0', categories: [['c0', 'c255'], 'c300'] } } },
      },
      { kind: 'user', name: 'v', roles: ['r'] },
    ]);
  });

  it('lowers rules, with every form of name set and permission list', () => {
    expect(
      statementsOf(
        'allow a_t { b_t { c_t -d_t } }:{ file dir } { read { write } };\nneverallow ~{ a_t b_t } *:process *;\nneverallow a_t - b_t ~c_t:file ~{ read write };\n' +
          'auditdeny a_t self:file read;\nallowxperm a_t b_t:chr_file ioctl { 0x5401 0x5403-0x5405 { 0x5402 } };\ndontauditxperm a_t b_t:chr_file ioctl ~{ 0x0-0xfffe };\n' +
          'type_transition a_t b_t:file c_t "my file.conf";\ntype_member a_t b_t:dir c_t;\ntype_change a_t b_t:file c_t;\n' +
          'range_transition a_t b_t s0 - s1:c0;\nrange_transition a_t b_t:{ process file } s0;\nrole_transition { r q } a_t r;\nrole_transition r a_t:process q;\nallow { r q } r;\n',
      ),
    ).toEqual([
      { kind: 'av', rule: 'allow', sources: ['a_t'], targets: { names: ['b_t', 'c_t'], exclude: ['d_t'] }, classes: ['file', 'dir'], perms: ['read', 'write'] },
      { kind: 'av', rule: 'neverallow', sources: { names: ['a_t', 'b_t'], complement: true }, targets: { names: [], complement: true }, classes: ['process'], perms: [], permsComplement: true },
      {
        kind: 'av',
        rule: 'neverallow',
        sources: { names: ['a_t'], exclude: ['b_t'] },
        targets: { names: ['c_t'], complement: true },
        classes: ['file'],
        perms: ['read', 'write'],
        permsComplement: true,
      },
      { kind: 'av', rule: 'auditdeny', sources: ['a_t'], targets: ['self'], classes: ['file'], perms: ['read'] },
      { kind: 'xperm', rule: 'allowxperm', sources: ['a_t'], targets: ['b_t'], classes: ['chr_file'], operation: 'ioctl', ranges: [[0x5401, 0x5405]] },
      { kind: 'xperm', rule: 'dontauditxperm', sources: ['a_t'], targets: ['b_t'], classes: ['chr_file'], operation: 'ioctl', ranges: [[0xffff, 0xffff]] },
      { kind: 'typerule', rule: 'type_transition', sources: ['a_t'], targets: ['b_t'], classes: ['file'], result: 'c_t', objectName: 'my file.conf' },
      { kind: 'typerule', rule: 'type_member', sources: ['a_t'], targets: ['b_t'], classes: ['dir'], result: 'c_t' },
      { kind: 'typerule', rule: 'type_change', sources: ['a_t'], targets: ['b_t'], classes: ['file'], result: 'c_t' },
      { kind: 'range_transition', sources: ['a_t'], targets: ['b_t'], classes: [], range: { low: { sensitivity: 's0' }, high: { sensitivity: 's1', categories: ['c0'] } } },
      { kind: 'range_transition', sources: ['a_t'], targets: ['b_t'], classes: ['process', 'file'], range: { low: { sensitivity: 's0' } } },
      { kind: 'role_transition', roles: ['r', 'q'], types: ['a_t'], classes: [], result: 'r' },
      { kind: 'role_transition', roles: ['r'], types: ['a_t'], classes: ['process'], result: 'q' },
      { kind: 'role_allow', roles: ['r', 'q'], newRoles: ['r'] },
    ]);
  });

  it('lowers requires of every kind where they are written, and blocks with their branches', () => {
    expect(
      statementsOf(
        'require { type a_t, b_t; attribute d; class file { read write }; class dir search; role r; attribute_role ra; bool b; tunable t; user u; sensitivity s0; category c0, c1; }\n' +
          'if (b && !(t || b) ^ b == t != b) { require { type e_t; } allow a_t e_t:file read; type_transition a_t e_t:file a_t; } else { dontaudit a_t b_t:file write; }\n' +
          'if (b) { allow a_t b_t:file read; } else { }\n' +
          'optional { require { type o_t; } allow a_t o_t:file read; optional { require { type p_t; } } } else { allow a_t b_t:file write; }\n',
      ),
    ).toEqual([
      {
        kind: 'require',
        types: ['a_t', 'b_t'],
        attributes: ['d'],
        classes: [
          ['file', ['read', 'write']],
          ['dir', ['search']],
        ],
        roles: ['r'],
        attributeRoles: ['ra'],
        bools: ['b'],
        tunables: ['t'],
        users: ['u'],
        sensitivities: ['s0'],
        categories: ['c0', 'c1'],
      },
      {
        kind: 'conditional',
        // || < ^ < && < ! < == and !=
        condition: {
          op: 'xor',
          left: { op: 'and', left: { op: 'bool', name: 'b' }, right: { op: 'not', operand: { op: 'or', left: { op: 'bool', name: 't' }, right: { op: 'bool', name: 'b' } } } },
          right: { op: 'neq', left: { op: 'eq', left: { op: 'bool', name: 'b' }, right: { op: 'bool', name: 't' } }, right: { op: 'bool', name: 'b' } },
        },
        whenTrue: [
          { kind: 'require', types: ['e_t'], classes: [], roles: [] },
          { kind: 'av', rule: 'allow', sources: ['a_t'], targets: ['e_t'], classes: ['file'], perms: ['read'] },
          { kind: 'typerule', rule: 'type_transition', sources: ['a_t'], targets: ['e_t'], classes: ['file'], result: 'a_t' },
        ],
        whenFalse: [{ kind: 'av', rule: 'dontaudit', sources: ['a_t'], targets: ['b_t'], classes: ['file'], perms: ['write'] }],
      },
      { kind: 'conditional', condition: { op: 'bool', name: 'b' }, whenTrue: [{ kind: 'av', rule: 'allow', sources: ['a_t'], targets: ['b_t'], classes: ['file'], perms: ['read'] }], whenFalse: [] },
      {
        kind: 'optional',
        statements: [
          { kind: 'require', types: ['o_t'], classes: [], roles: [] },
          { kind: 'av', rule: 'allow', sources: ['a_t'], targets: ['o_t'], classes: ['file'], perms: ['read'] },
          { kind: 'optional', statements: [{ kind: 'require', types: ['p_t'], classes: [], roles: [] }] },
        ],
        else: [{ kind: 'av', rule: 'allow', sources: ['a_t'], targets: ['b_t'], classes: ['file'], perms: ['write'] }],
      },
    ]);
  });

  it('splits a require block where printing it whole would change the order checkmodule numbers its symbols in', () => {
    expect(statementsOf('require { type a_t; attribute d; type b_t; class file read; attribute_role ra; role r; tunable t; bool b; }')).toEqual([
      { kind: 'require', types: ['a_t'], attributes: ['d'], classes: [], roles: [] },
      { kind: 'require', types: ['b_t'], classes: [['file', ['read']]], roles: [], attributeRoles: ['ra'] },
      { kind: 'require', types: [], classes: [], roles: ['r'], tunables: ['t'] },
      { kind: 'require', types: [], classes: [], roles: [], bools: ['b'] },
    ]);
  });

  it('keeps each statement at the place it was written', () => {
    const { module } = lower('module m 1.0;\nrequire { type a_t; }\n\n  allow a_t a_t:file read;\noptional {\n\trequire { type b_t; }\n}\n');
    expect(module.statements.map((s) => [s.kind, s.span?.file, s.span?.line, s.span?.column])).toEqual([
      ['require', 'm.te', 2, 1],
      ['av', 'm.te', 4, 3],
      ['optional', 'm.te', 5, 1],
    ]);
    const opt = module.statements[2];
    expect(opt?.kind === 'optional' && opt.statements[0]?.span?.line).toBe(6);
  });

  it('leaves out what checkmodule would not take, with a warning at its place, and lowers the rest', () => {
    const { module, warnings } = lower(
      'module m 1.0;\nrequire { type a_t; class file read; class dir *; }\ngenfscon proc / system_u:object_r:a_t:s0\nbool b true;\n' +
        'if (b) { type c_t; allow a_t a_t:file read; if (b) { allow a_t a_t:file read; } }\nallow a_t a_t:~file read;\nallow { r -q } r;\n' +
        'allow a_t a_t:file { read -write };\nallowxperm a_t a_t:file ioctl 0x10000;\nallowxperm a_t a_t:file ioctl ~{ 0x0-0xffff };\n' +
        'range_transition a_t a_t s0:c0.c1.c2;\noptional { require { type d_t; } } else { }\nmodule n 1.0;\ntype e_t alias *;\n',
    );
    expect(warnings.every((d) => d.code === 'te-not-lowered' && d.severity === 'warning')).toBe(true);
    expect(warnings.map((d) => [d.span?.line, d.data?.node])).toEqual([
      [2, 'requireClass'],
      [3, 'baseOnly'],
      [5, 'type'],
      [5, 'if'],
      [6, 'avrule'],
      [7, 'roleallow'],
      [8, 'avrule'],
      [9, 'xpermrule'],
      [10, 'xpermrule'],
      [11, 'range_transition'],
      [12, 'block'],
      [13, 'module'],
      [14, 'type'],
    ]);
    expect(stripSpans(module.statements)).toEqual([
      { kind: 'require', types: ['a_t'], classes: [['file', ['read']]], roles: [] },
      { kind: 'bool', name: 'b', default: true },
      { kind: 'conditional', condition: { op: 'bool', name: 'b' }, whenTrue: [{ kind: 'av', rule: 'allow', sources: ['a_t'], targets: ['a_t'], classes: ['file'], perms: ['read'] }] },
      { kind: 'optional', statements: [{ kind: 'require', types: ['d_t'], classes: [], roles: [] }] },
    ]);
  });

  it('never throws without options, whatever it leaves out', () => {
    expect(lowerModule(parseModuleText('module m 1.0;\nsid kernel system_u:system_r:kernel_t:s0\nif (b) { role r; }\n').ast).statements).toHaveLength(1);
  });
});

/** A block's `require` as a require statement first in the block, in it and in its optional blocks. */
function inlineRequires<B extends Block>(block: B): B {
  const statements = block.statements.map((s) => (s.kind === 'optional' ? inlineRequires(s) : s));
  const { require, ...rest } = block;
  return { ...rest, statements: require ? [{ kind: 'require', ...require }, ...statements] : statements } as B;
}

describe('print, parse, lower: the round trip', () => {
  /** parse(text) lowered, printed, parsed and lowered again: the same module, and the same text when printed. */
  function roundTrip(text: string): string {
    const { module } = lower(text);
    const printed = printTe(module);
    const again = parseModuleText({ name: 'printed.te', text: printed });
    expect(again.diagnostics).toEqual([]);
    const relowered = lowerModule(again.ast);
    expect(stripSpans(relowered)).toEqual(stripSpans(module));
    expect(printTe(relowered)).toBe(printed);
    return printed;
  }

  const CASES: Record<string, string> = {
    require: 'require { type a_t; attribute d; class file { read write }; role r; attribute_role ra; bool b; tunable t; user u; sensitivity s0; category c0; }',
    type: 'type a_t alias { b_t c_t }, d, e;\ntype f_t alias g_t;\ntype h_t, d;',
    typealias: 'typealias a_t alias { b_t c_t };',
    attribute: 'attribute d;\nattribute_role ra;',
    typeattribute: 'typeattribute a_t d, e;\nroleattribute r ra, rb;',
    expandattribute: 'expandattribute { d e } true;\nexpandattribute d false;',
    typebounds: 'typebounds a_t b_t, c_t;',
    permissive: 'permissive a_t;',
    bool: 'bool b true;\ntunable t false;',
    role: 'role r;\nrole q, ra, rb;\nrole r types { a_t b_t };\nrole r types ~{ a_t -b_t };',
    user: 'user u roles { r q } level s0 range s0 - s15:c0.c1023;\nuser v roles r level s0:c1,c3 range s0:c1,c3;\nuser w roles r;',
    av: 'allow a_t self:{ file dir } { read write };\ndontaudit a_t b_t:file *;\nauditallow { a_t b_t -c_t } b_t:file read;\nneverallow ~a_t * :file ~{ read };\nauditdeny a_t b_t:file ~write;',
    xperm:
      'allowxperm a_t b_t:chr_file ioctl 0x8910;\nauditallowxperm a_t b_t:chr_file ioctl { 0x1 0x3-0x9 };\nneverallowxperm a_t b_t:chr_file ioctl ~{ 0x5401 };\ndontauditxperm a_t b_t:chr_file ioctl ~0x0-0xfffe;',
    typerule: 'type_transition a_t b_t:{ file dir } c_t;\ntype_transition a_t b_t:file c_t "a b.conf";\ntype_change a_t b_t:file c_t;\ntype_member { a_t -b_t } b_t:file c_t;',
    range_transition: 'range_transition a_t b_t s0;\nrange_transition a_t b_t:file s0:c0 - s1:c0.c3,c9;',
    role_transition: 'role_transition r a_t q;\nrole_transition { r q } { a_t b_t }:{ process file } q;\nallow { r q } { q r };',
    if: 'if (a && !b || c ^ (d == e) != f) { require { type x_t; } allow a_t x_t:file read; type_transition a_t b_t:file c_t; allowxperm a_t b_t:file ioctl 0x1; } else { dontaudit a_t b_t:file read; }\nif (!(a || b) == c) { allow a_t b_t:file read; } else { }\nif (a) { }',
    optional:
      'optional { require { type x_t; } allow a_t x_t:file read; optional { require { type y_t; } if (a) { allow a_t y_t:file read; } } } else { allow a_t b_t:file read; optional { require { type z_t; } } }\noptional { }',
  };
  for (const [kind, body] of Object.entries(CASES)) {
    it(`holds for ${kind}`, () => {
      roundTrip(`module m 1.0;\n${body}\n`);
    });
  }

  it('holds for a file without a module line', () => {
    expect(roundTrip('allow a_t b_t:file read;\n')).toBe('allow a_t b_t:file read;\n');
  });

  it('prints the hand-built modules with every kind as text that lowers to the same modules', () => {
    for (const fixture of [everyKindModule, everyKindExtrasModule]) {
      const printed = printTe(fixture());
      const again = parseModuleText(printed);
      expect(again.diagnostics).toEqual([]);
      // The fixture's block requires come back as require statements in their place (first in their block).
      expect(stripSpans(lowerModule(again.ast))).toEqual(inlineRequires(fixture()));
    }
  });

  it('prints in checkmodule syntax', () => {
    expect(roundTrip('module m 1.0;\nuser u roles { r q } level s0 range s0 - s0:c0.c255;\ntunable t true;\nneverallow a_t b_t:file ~{ read write };\nallow a_t b_t:file *;\n')).toBe(
      'module m 1.0;\n\nuser u roles { r q } level s0 range s0 - s0:c0.c255;\ntunable t true;\nneverallow a_t b_t:file ~{ read write };\nallow a_t b_t:file *;\n',
    );
  });
});
