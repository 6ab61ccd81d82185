import { describe, expect, it } from 'vitest';
import { everyKindModule } from '../../../test/fixtures/ir/everyKind.js';
import type { BoolExpr, ConditionalRule, Module, Statement } from '../ir/index.js';
import { printTe, printTeChunks } from './te.js';
import { teStatementLines } from './teStatement.js';
import { teBoolExpr, teLevel, teNames, teRange } from './teText.js';

const te = (st: Statement | ConditionalRule): string => teStatementLines(st).join('\n');
const b = (name: string): BoolExpr => ({ op: 'bool', name });

describe('te text of each statement kind', () => {
  it.each<[string, Statement, string]>([
    ['allow', { kind: 'av', rule: 'allow', sources: ['a_t'], targets: ['b_t', 'self'], classes: ['file', 'dir'], perms: ['read', 'getattr'] }, 'allow a_t { b_t self }:{ file dir } { read getattr };'],
    ['auditallow', { kind: 'av', rule: 'auditallow', sources: ['a_t'], targets: ['b_t'], classes: ['file'], perms: ['read'] }, 'auditallow a_t b_t:file read;'],
    ['dontaudit', { kind: 'av', rule: 'dontaudit', sources: ['a_t'], targets: ['b_t'], classes: ['file'], perms: ['read'] }, 'dontaudit a_t b_t:file read;'],
    [
      'neverallow',
      { kind: 'av', rule: 'neverallow', sources: { names: ['a_t'], complement: true }, targets: { names: [], complement: true }, classes: ['file'], perms: ['write'] },
      'neverallow ~a_t *:file write;',
    ],
    [
      'allowxperm',
      {
        kind: 'xperm',
        rule: 'allowxperm',
        sources: ['a_t'],
        targets: ['self'],
        classes: ['chr_file'],
        operation: 'ioctl',
        ranges: [
          [0x5401, 0x5401],
          [0x5403, 0x5405],
        ],
      },
      'allowxperm a_t self:chr_file ioctl { 0x5401 0x5403-0x5405 };',
    ],
    [
      'auditallowxperm',
      { kind: 'xperm', rule: 'auditallowxperm', sources: ['a_t'], targets: ['b_t'], classes: ['file'], operation: 'ioctl', ranges: [[1, 1]] },
      'auditallowxperm a_t b_t:file ioctl 0x1;',
    ],
    [
      'dontauditxperm',
      { kind: 'xperm', rule: 'dontauditxperm', sources: ['a_t'], targets: ['b_t'], classes: ['file'], operation: 'ioctl', ranges: [[0x8900, 0x89ff]] },
      'dontauditxperm a_t b_t:file ioctl { 0x8900-0x89ff };',
    ],
    [
      'neverallowxperm',
      { kind: 'xperm', rule: 'neverallowxperm', sources: ['a_t'], targets: ['b_t'], classes: ['file'], operation: 'ioctl', ranges: [[1, 2]] },
      'neverallowxperm a_t b_t:file ioctl { 0x1-0x2 };',
    ],
    [
      'type_transition',
      { kind: 'typerule', rule: 'type_transition', sources: ['a_t'], targets: ['tmp_t'], classes: ['file', 'dir'], result: 'a_tmp_t' },
      'type_transition a_t tmp_t:{ file dir } a_tmp_t;',
    ],
    [
      'type_transition with a name',
      { kind: 'typerule', rule: 'type_transition', sources: ['a_t'], targets: ['etc_t'], classes: ['file'], result: 'a_conf_t', objectName: 'a.conf' },
      'type_transition a_t etc_t:file a_conf_t "a.conf";',
    ],
    ['type_change', { kind: 'typerule', rule: 'type_change', sources: ['a_t'], targets: ['tty_t'], classes: ['chr_file'], result: 'a_tty_t' }, 'type_change a_t tty_t:chr_file a_tty_t;'],
    ['type_member', { kind: 'typerule', rule: 'type_member', sources: ['a_t'], targets: ['tmp_t'], classes: ['dir'], result: 'a_tmp_t' }, 'type_member a_t tmp_t:dir a_tmp_t;'],
    [
      'range_transition',
      { kind: 'range_transition', sources: ['a_t'], targets: ['b_exec_t'], classes: ['process'], range: { low: { sensitivity: 's0' }, high: { sensitivity: 's0', categories: ['c0', ['c2', 'c5']] } } },
      'range_transition a_t b_exec_t:process s0 - s0:c0,c2.c5;',
    ],
    [
      'range_transition without a class',
      { kind: 'range_transition', sources: ['a_t'], targets: ['b_exec_t'], classes: [], range: { low: { sensitivity: 's1' } } },
      'range_transition a_t b_exec_t s1;',
    ],
    [
      'role_transition',
      { kind: 'role_transition', roles: ['system_r', 'staff_r'], types: ['a_exec_t'], classes: ['process'], result: 'a_r' },
      'role_transition { system_r staff_r } a_exec_t:process a_r;',
    ],
    ['role_transition without a class', { kind: 'role_transition', roles: ['system_r'], types: ['a_exec_t'], classes: [], result: 'a_r' }, 'role_transition system_r a_exec_t a_r;'],
    ['role allow', { kind: 'role_allow', roles: ['system_r'], newRoles: ['a_r', 'b_r'] }, 'allow system_r { a_r b_r };'],
    ['type', { kind: 'type', name: 'a_t' }, 'type a_t;'],
    ['type with aliases and attributes', { kind: 'type', name: 'a_t', aliases: ['old_t', 'older_t'], attributes: ['domain', 'a_domain'] }, 'type a_t alias { old_t older_t }, domain, a_domain;'],
    ['type with one alias', { kind: 'type', name: 'a_t', aliases: ['old_t'] }, 'type a_t alias old_t;'],
    ['attribute', { kind: 'attribute', name: 'a_domain' }, 'attribute a_domain;'],
    ['typeattribute', { kind: 'typeattribute', type: 'a_t', attributes: ['domain', 'a_domain'] }, 'typeattribute a_t domain, a_domain;'],
    ['typealias', { kind: 'typealias', type: 'a_t', aliases: ['old_t'] }, 'typealias a_t alias old_t;'],
    ['expandattribute', { kind: 'expandattribute', attributes: ['a_domain', 'b_domain'], expand: false }, 'expandattribute { a_domain b_domain } false;'],
    ['typebounds', { kind: 'typebounds', type: 'a_t', bounded: ['a_child_t', 'a_other_t'] }, 'typebounds a_t a_child_t, a_other_t;'],
    ['permissive', { kind: 'permissive', type: 'a_t' }, 'permissive a_t;'],
    ['bool', { kind: 'bool', name: 'a_enabled', default: true }, 'bool a_enabled true;'],
    ['role', { kind: 'role', name: 'a_r' }, 'role a_r;'],
    ['role with attributes', { kind: 'role', name: 'a_r', attributes: ['a_roles', 'b_roles'] }, 'role a_r, a_roles, b_roles;'],
    ['role types', { kind: 'roletypes', role: 'a_r', types: ['a_t', 'b_t'] }, 'role a_r types { a_t b_t };'],
    ['role types with a set', { kind: 'roletypes', role: 'a_r', types: { names: ['domain'], exclude: ['b_t'] } }, 'role a_r types { domain -b_t };'],
    ['attribute_role', { kind: 'attribute_role', name: 'a_roles' }, 'attribute_role a_roles;'],
    ['roleattribute', { kind: 'roleattribute', role: 'a_r', attributes: ['a_roles'] }, 'roleattribute a_r a_roles;'],
    [
      'require',
      {
        kind: 'require',
        types: ['a_t'],
        attributes: ['domain'],
        classes: [['file', ['read', 'write']]],
        roles: ['system_r'],
        attributeRoles: ['a_roles'],
        bools: ['a_enabled'],
        users: ['system_u'],
        sensitivities: ['s0'],
        categories: ['c0'],
      },
      'require {\n\ttype a_t;\n\tattribute domain;\n\tclass file { read write };\n\trole system_r;\n\tattribute_role a_roles;\n\tbool a_enabled;\n\tuser system_u;\n\tsensitivity s0;\n\tcategory c0;\n}',
    ],
    ['an empty require (nothing: checkmodule refuses `require { }`)', { kind: 'require', types: [], classes: [], roles: [] }, ''],
    [
      'conditional',
      {
        kind: 'conditional',
        condition: { op: 'and', left: b('a'), right: { op: 'not', operand: b('b') } },
        whenTrue: [{ kind: 'av', rule: 'allow', sources: ['a_t'], targets: ['b_t'], classes: ['file'], perms: ['read'] }],
        whenFalse: [{ kind: 'typerule', rule: 'type_transition', sources: ['a_t'], targets: ['b_t'], classes: ['file'], result: 'c_t' }],
      },
      'if (a && !b) {\n\tallow a_t b_t:file read;\n} else {\n\ttype_transition a_t b_t:file c_t;\n}',
    ],
    ['conditional without else', { kind: 'conditional', condition: b('a'), whenTrue: [{ kind: 'require', types: ['b_t'], classes: [], roles: [] }] }, 'if (a) {\n\trequire {\n\t\ttype b_t;\n\t}\n}'],
    [
      'optional with an else branch and a nested optional',
      {
        kind: 'optional',
        require: { types: ['b_t'], classes: [], roles: [] },
        statements: [
          { kind: 'permissive', type: 'a_t' },
          { kind: 'optional', require: { types: ['c_t'], classes: [], roles: [] }, statements: [{ kind: 'attribute', name: 'x' }] },
        ],
        else: [{ kind: 'bool', name: 'a_b', default: false }],
      },
      'optional {\n\trequire {\n\t\ttype b_t;\n\t}\n\tpermissive a_t;\n\toptional {\n\t\trequire {\n\t\t\ttype c_t;\n\t\t}\n\t\tattribute x;\n\t}\n} else {\n\tbool a_b false;\n}',
    ],
    [
      'optional with an empty else (no else: checkmodule refuses `else { }`)',
      { kind: 'optional', require: { types: ['b_t'], classes: [], roles: [] }, statements: [], else: [] },
      'optional {\n\trequire {\n\t\ttype b_t;\n\t}\n}',
    ],
  ])('%s', (_what, st, text) => {
    expect(te(st)).toBe(text);
  });

  it('prints an av rule with its comment and notes above it, inside blocks too', () => {
    const rule: Statement = { kind: 'av', rule: 'allow', sources: ['a_t'], targets: ['b_t'], classes: ['file'], perms: ['read'], comment: ['x'], notes: ['#!!!! n'] };
    expect(te(rule)).toBe('#x\n#!!!! n\nallow a_t b_t:file read;');
    expect(te({ kind: 'optional', statements: [rule] })).toBe('optional {\n\t#x\n\t#!!!! n\n\tallow a_t b_t:file read;\n}');
  });
});

describe('te names, levels and conditions', () => {
  it.each<[Parameters<typeof teNames>[0], string]>([
    [['a'], 'a'],
    [['a', 'b'], '{ a b }'],
    [{ names: ['a'] }, 'a'],
    [{ names: ['a', 'b'] }, '{ a b }'],
    [{ names: ['a'], exclude: ['b'] }, '{ a -b }'],
    [{ names: [], exclude: ['b'] }, '{ -b }'],
    [{ names: ['a'], complement: true }, '~a'],
    [{ names: ['a', 'b'], complement: true }, '~{ a b }'],
    [{ names: ['a'], exclude: ['b'], complement: true }, '~{ a -b }'],
    [{ names: [], complement: true }, '*'],
  ])('%j -> %s', (list, text) => {
    expect(teNames(list)).toBe(text);
  });

  it('prints levels and ranges with spaces around the dash (s0-s0 would be one name)', () => {
    expect(teLevel({ sensitivity: 's0' })).toBe('s0');
    expect(teLevel({ sensitivity: 's0', categories: [] })).toBe('s0');
    expect(teLevel({ sensitivity: 's0', categories: ['c1', ['c3', 'c9'], 'c12'] })).toBe('s0:c1,c3.c9,c12');
    expect(teRange({ low: { sensitivity: 's0' }, high: { sensitivity: 's15', categories: [['c0', 'c1023']] } })).toBe('s0 - s15:c0.c1023');
  });

  it.each<[BoolExpr, string]>([
    [b('a'), 'a'],
    [{ op: 'not', operand: b('a') }, '!a'],
    [{ op: 'not', operand: { op: 'not', operand: b('a') } }, '!!a'],
    [{ op: 'not', operand: { op: 'or', left: b('a'), right: b('b') } }, '!(a || b)'],
    [{ op: 'and', left: { op: 'and', left: b('a'), right: b('b') }, right: b('c') }, 'a && b && c'],
    [{ op: 'and', left: b('a'), right: { op: 'and', left: b('b'), right: b('c') } }, 'a && (b && c)'],
    [{ op: 'or', left: { op: 'and', left: b('a'), right: b('b') }, right: b('c') }, '(a && b) || c'],
    [{ op: 'xor', left: b('a'), right: { op: 'not', operand: b('b') } }, 'a ^ !b'],
    [{ op: 'eq', left: { op: 'not', operand: b('a') }, right: b('b') }, '(!a) == b'],
    [{ op: 'neq', left: b('a'), right: { op: 'not', operand: b('b') } }, 'a != (!b)'],
    [{ op: 'eq', left: { op: 'eq', left: b('a'), right: b('b') }, right: b('c') }, 'a == b == c'],
  ])('%j -> %s', (e, text) => {
    expect(teBoolExpr(e)).toBe(text);
  });
});

describe('printTe layouts', () => {
  const rule = (src: string, tgt: string): Statement => ({ kind: 'av', rule: 'allow', sources: [src], targets: [tgt], classes: ['file'], perms: ['read'] });
  const m: Module = {
    name: 'm',
    version: '1.0',
    require: { types: ['a_t', 'b_t'], classes: [['file', ['read']]], roles: ['r'] },
    statements: [rule('b_t', 'a_t'), { kind: 'type', name: 'c_t' }, rule('a_t', 'b_t'), { kind: 'roletypes', role: 'r', types: ['c_t', 'a_t'] }],
  };

  it("audit2allow's layout: other statements first, then the rules in sections, then the ROLES section", () => {
    expect(printTe(m)).toBe(
      [
        '',
        'module m 1.0;',
        '',
        'require {',
        '\ttype a_t;',
        '\ttype b_t;',
        '\tclass file read;',
        '\trole r;',
        '}',
        '',
        'type c_t;',
        '',
        '#============= a_t ==============',
        'allow a_t b_t:file read;',
        '',
        '#============= b_t ==============',
        'allow b_t a_t:file read;',
        '#============= ROLES ==============',
        'role r types c_t;',
        'role r types a_t;',
        '',
        '',
      ].join('\n'),
    );
  });

  it('gives the same text in pieces that end at a line, each about the size asked', () => {
    const many: Module = {
      ...m,
      statements: Array.from({ length: 500 }, (_, i) => ({ ...rule(`t${i}_t`, 'a_t'), comment: [`x${'y'.repeat(i % 97)}`] }) as Statement),
    };
    for (const layout of [undefined, 'written'] as const) {
      const mod = layout ? { ...many, layout } : many;
      const whole = printTe(mod);
      const pieces = printTeChunks(mod, 1000);
      expect(pieces.join('')).toBe(whole);
      expect(pieces.length).toBeGreaterThan(whole.length / 1200);
      for (const p of pieces) {
        expect(p.endsWith('\n')).toBe(true);
        expect(p.length).toBeLessThan(1000 + 200);
      }
    }
    expect(printTeChunks({ statements: [], layout: 'written' })).toEqual([]);
  });

  it('the written layout: the statements in their order, no headers', () => {
    expect(printTe({ ...m, layout: 'written' })).toBe(
      [
        'module m 1.0;',
        '',
        'require {',
        '\ttype a_t;',
        '\ttype b_t;',
        '\tclass file read;',
        '\trole r;',
        '}',
        '',
        'allow b_t a_t:file read;',
        'type c_t;',
        'allow a_t b_t:file read;',
        'role r types { c_t a_t };',
        '',
      ].join('\n'),
    );
  });

  it('a module with every kind prints every keyword of the module language', () => {
    const text = printTe(everyKindModule());
    for (const kw of [
      'type ',
      'attribute ',
      'typeattribute ',
      'typealias ',
      'expandattribute ',
      'typebounds ',
      'permissive ',
      'bool ',
      'role ',
      'attribute_role ',
      'roleattribute ',
      'type_transition ',
      'type_change ',
      'type_member ',
      'range_transition ',
      'role_transition ',
      'allowxperm ',
      'if (',
      'optional {',
      '} else {',
      'require {',
      'neverallow ',
      'auditallow ',
      'dontaudit ',
    ]) {
      expect(text, kw).toContain(`\n${kw}`);
    }
  });
});
