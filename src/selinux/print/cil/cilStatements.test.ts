// printCil on hand-written statements, kind by kind (learned modules: cil.test.ts).
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../base/diagnostic.js';
import type { Module, Require, Statement } from '../../ir/index.js';
import { printCil } from './cil.js';

const REQUIRE: Require = { types: ['a_t', 'b_t'], classes: [['file', ['read', 'write']]], roles: [] };

/** The CIL of a module `m` that requires a_t, b_t and file { read write }, minus the two require lines. */
function cil(statements: Statement[], require: Require = REQUIRE): string {
  const out = printCil({ name: 'm', version: '1.0', layout: 'written', require, statements });
  return out.replace('(typeattributeset cil_gen_require a_t)\n(typeattributeset cil_gen_require b_t)\n', '');
}

const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('');

describe('CIL of each statement kind', () => {
  it.each<[string, Statement, string]>([
    [
      'allow',
      { kind: 'av', rule: 'allow', sources: ['a_t'], targets: ['b_t', 'self'], classes: ['file'], perms: ['write', 'read'] },
      lines('(allow a_t b_t (file (read write)))', '(allow a_t self (file (read write)))'),
    ],
    ['auditallow', { kind: 'av', rule: 'auditallow', sources: ['a_t'], targets: ['b_t'], classes: ['file'], perms: ['read'] }, lines('(auditallow a_t b_t (file (read)))')],
    [
      'dontaudit',
      { kind: 'av', rule: 'dontaudit', sources: ['b_t', 'a_t'], targets: ['b_t'], classes: ['file'], perms: ['read'] },
      lines('(dontaudit a_t b_t (file (read)))', '(dontaudit b_t b_t (file (read)))'),
    ],
    ['neverallow', { kind: 'av', rule: 'neverallow', sources: ['a_t'], targets: ['b_t'], classes: ['file'], perms: ['write'] }, lines('(neverallow a_t b_t (file (write)))')],
    [
      'neverallow ~P',
      { kind: 'av', rule: 'neverallow', sources: ['a_t'], targets: ['b_t'], classes: ['file'], perms: ['write'], permsComplement: true },
      lines('(neverallow a_t b_t (file (not (write))))'),
    ],
    ['neverallow *', { kind: 'av', rule: 'neverallow', sources: ['a_t'], targets: ['b_t'], classes: ['file'], perms: [], permsComplement: true }, lines('(neverallow a_t b_t (file (all)))')],
    ['auditdeny', { kind: 'av', rule: 'auditdeny', sources: ['a_t'], targets: ['b_t'], classes: ['file'], perms: ['read'] }, lines('(dontaudit a_t b_t (file (not (read))))')],
    ['auditdeny ~P', { kind: 'av', rule: 'auditdeny', sources: ['a_t'], targets: ['b_t'], classes: ['file'], perms: ['read'], permsComplement: true }, lines('(dontaudit a_t b_t (file (read)))')],
    ['tunable', { kind: 'bool', name: 't', default: true, tunable: true }, lines('(tunable t true)')],
    [
      'user',
      { kind: 'user', name: 'u', roles: ['r'], mls: { level: { sensitivity: 's0' }, range: { low: { sensitivity: 's0' }, high: { sensitivity: 's0', categories: [['c0', 'c3']] } } } },
      lines('(user u)', '(userrole u r)', '(userlevel u (s0))', '(userrange u ((s0) (s0 (range c0 c3))))'),
    ],
    [
      'allowxperm',
      {
        kind: 'xperm',
        rule: 'allowxperm',
        sources: ['a_t'],
        targets: ['b_t'],
        classes: ['file'],
        operation: 'ioctl',
        ranges: [
          [0x5401, 0x5401],
          [0x5403, 0x5405],
        ],
      },
      lines('(allowx a_t b_t (ioctl file (0x5401 (range 0x5403 0x5405))))'),
    ],
    [
      'auditallowxperm',
      { kind: 'xperm', rule: 'auditallowxperm', sources: ['a_t'], targets: ['b_t'], classes: ['file'], operation: 'ioctl', ranges: [[1, 1]] },
      lines('(auditallowx a_t b_t (ioctl file (0x1)))'),
    ],
    [
      'dontauditxperm',
      { kind: 'xperm', rule: 'dontauditxperm', sources: ['a_t'], targets: ['b_t'], classes: ['file'], operation: 'ioctl', ranges: [[1, 1]] },
      lines('(dontauditx a_t b_t (ioctl file (0x1)))'),
    ],
    [
      'neverallowxperm',
      { kind: 'xperm', rule: 'neverallowxperm', sources: ['a_t'], targets: ['b_t'], classes: ['file'], operation: 'ioctl', ranges: [[1, 1]] },
      lines('(neverallowx a_t b_t (ioctl file (0x1)))'),
    ],
    ['type_transition', { kind: 'typerule', rule: 'type_transition', sources: ['a_t'], targets: ['b_t'], classes: ['file'], result: 'c_t' }, lines('(typetransition a_t b_t file c_t)')],
    [
      'type_transition with a name',
      { kind: 'typerule', rule: 'type_transition', sources: ['a_t'], targets: ['b_t'], classes: ['file'], result: 'c_t', objectName: 'x.conf' },
      lines('(typetransition a_t b_t file "x.conf" c_t)'),
    ],
    ['type_change', { kind: 'typerule', rule: 'type_change', sources: ['a_t'], targets: ['b_t'], classes: ['file'], result: 'c_t' }, lines('(typechange a_t b_t file c_t)')],
    ['type_member', { kind: 'typerule', rule: 'type_member', sources: ['a_t'], targets: ['b_t'], classes: ['file'], result: 'c_t' }, lines('(typemember a_t b_t file c_t)')],
    [
      'range_transition',
      { kind: 'range_transition', sources: ['a_t'], targets: ['b_t'], classes: ['file'], range: { low: { sensitivity: 's0' }, high: { sensitivity: 's0', categories: ['c0', ['c2', 'c5']] } } },
      lines('(rangetransition a_t b_t file ((s0) (s0 (c0 (range c2 c5)))))'),
    ],
    [
      'range_transition without a class (process), one level, one run of categories',
      { kind: 'range_transition', sources: ['a_t'], targets: ['b_t'], classes: [], range: { low: { sensitivity: 's0', categories: [['c0', 'c1023']] } } },
      lines('(rangetransition a_t b_t process ((s0 (range c0 c1023)) (s0 (range c0 c1023))))'),
    ],
    ['role_transition', { kind: 'role_transition', roles: ['r1'], types: ['b_t'], classes: ['file'], result: 'r2' }, lines('(roletransition r1 b_t file r2)')],
    ['role_transition without a class (process)', { kind: 'role_transition', roles: ['r1'], types: ['b_t'], classes: [], result: 'r2' }, lines('(roletransition r1 b_t process r2)')],
    ['role allow', { kind: 'role_allow', roles: ['r1', 'r2'], newRoles: ['r3'] }, lines('(roleallow r1 r3)', '(roleallow r2 r3)')],
    ['type', { kind: 'type', name: 'c_t' }, lines('(type c_t)', '(roletype object_r c_t)')],
    [
      'type with an alias and attributes (declared elsewhere)',
      { kind: 'type', name: 'c_t', aliases: ['old_t'], attributes: ['domain'] },
      lines('(typealias old_t)', '(typealiasactual old_t c_t)', '(type c_t)', '(roletype object_r c_t)', '(typeattributeset domain (c_t))'),
    ],
    ['attribute', { kind: 'attribute', name: 'c_attr' }, lines('(typeattribute c_attr)')],
    ['typeattribute', { kind: 'typeattribute', type: 'a_t', attributes: ['x_attr', 'y_attr'] }, lines('(typeattributeset x_attr (a_t))', '(typeattributeset y_attr (a_t))')],
    ['typealias', { kind: 'typealias', type: 'a_t', aliases: ['old_t', 'older_t'] }, lines('(typealias old_t)', '(typealiasactual old_t a_t)', '(typealias older_t)', '(typealiasactual older_t a_t)')],
    ['expandattribute', { kind: 'expandattribute', attributes: ['x_attr'], expand: false }, lines('(expandtypeattribute (x_attr) false)')],
    ['typebounds', { kind: 'typebounds', type: 'a_t', bounded: ['b_t'] }, lines('(typebounds a_t b_t)')],
    ['permissive', { kind: 'permissive', type: 'a_t' }, lines('(typepermissive a_t)')],
    ['bool', { kind: 'bool', name: 'm_on', default: true }, lines('(boolean m_on true)')],
    ['role', { kind: 'role', name: 'm_r' }, lines('(role m_r)')],
    ['a role the base module declares (pp never declares it in a module)', { kind: 'role', name: 'system_r' }, ''],
    ['role with an attribute (declared elsewhere)', { kind: 'role', name: 'm_r', attributes: ['x_roles'] }, lines('(role m_r)', '(roleattributeset x_roles (m_r))')],
    ['role types', { kind: 'roletypes', role: 'r1', types: ['b_t', 'a_t'] }, lines('(roletype r1 a_t)', '(roletype r1 b_t)')],
    ['role types of object_r (nothing: it has every type)', { kind: 'roletypes', role: 'object_r', types: ['a_t'] }, ''],
    ['attribute_role', { kind: 'attribute_role', name: 'm_roles' }, lines('(roleattribute m_roles)')],
    ['roleattribute', { kind: 'roleattribute', role: 'r1', attributes: ['x_roles'] }, lines('(roleattributeset x_roles (r1))')],
    [
      'require',
      {
        kind: 'require',
        types: ['c_t'],
        attributes: ['domain'],
        classes: [['dir', ['search']]],
        roles: ['r1'],
        attributeRoles: ['x_roles'],
        bools: ['b'],
        users: ['u'],
        sensitivities: ['s0'],
        categories: ['c0'],
      },
      lines('(roleattributeset cil_gen_require r1)', '(roleattributeset cil_gen_require x_roles)', '(typeattributeset cil_gen_require c_t)', '(typeattributeset cil_gen_require domain)'),
    ],
  ])('%s', (_what, st, text) => {
    expect(cil([st])).toBe(text);
  });

  it('declared roles and types come first (value order), then required roles with their types, then required types', () => {
    // m_t is used (roletypes) before m_attr is declared, but checkmodule numbers
    // declarations in its first pass: m_attr comes before m_t.
    const out = printCil({
      name: 'm',
      layout: 'written',
      require: { types: ['a_t'], classes: [], roles: ['system_r'] },
      statements: [
        { kind: 'roletypes', role: 'system_r', types: ['m_t'] },
        { kind: 'attribute', name: 'm_attr' },
        { kind: 'type', name: 'm_t', attributes: ['m_attr'] },
        { kind: 'role', name: 'm_r' },
        { kind: 'roletypes', role: 'm_r', types: ['m_t', 'a_t'] },
        { kind: 'permissive', type: 'm_t' },
        { kind: 'typebounds', type: 'a_t', bounded: ['m_t'] },
        { kind: 'expandattribute', attributes: ['m_attr'], expand: true },
        { kind: 'bool', name: 'm_on', default: false },
      ],
    });
    expect(out).toBe(
      lines(
        '(role m_r)',
        '(roletype m_r a_t)',
        '(roletype m_r m_t)',
        '(typeattribute m_attr)',
        '(expandtypeattribute (m_attr) true)',
        '(typeattributeset m_attr (m_t))',
        '(type m_t)',
        '(roletype object_r m_t)',
        '(typepermissive m_t)',
        '(typebounds a_t m_t)',
        '(boolean m_on false)',
        '(roleattributeset cil_gen_require system_r)',
        '(roletype system_r m_t)',
        '(typeattributeset cil_gen_require a_t)',
      ),
    );
  });

  it('type sets become attributes named after the module, one per distinct set, printed at the end of the block, last made first', () => {
    const out = cil([
      { kind: 'av', rule: 'allow', sources: { names: ['a_t', 'b_t'], exclude: ['b_t'] }, targets: ['self'], classes: ['file'], perms: ['read'] },
      { kind: 'av', rule: 'neverallow', sources: { names: ['a_t'], complement: true }, targets: { names: [], complement: true }, classes: ['file'], perms: ['write'] },
      { kind: 'av', rule: 'neverallow', sources: { names: ['a_t'], complement: true }, targets: { names: ['b_t', 'self'], exclude: ['a_t'] }, classes: ['file'], perms: ['read'] },
      // a role's type set is declared right after the role (pp prints it with the role)
      { kind: 'roletypes', role: 'r1', types: { names: ['a_t'], exclude: ['b_t'] } },
      // a set without operators is its names
      { kind: 'av', rule: 'allow', sources: { names: ['b_t'] }, targets: { names: ['a_t'] }, classes: ['file'], perms: ['read'] },
    ]);
    expect(out).toBe(
      lines(
        '(roletype r1 m_typeattr_1)',
        '(typeattribute m_typeattr_1)',
        '(typeattributeset m_typeattr_1 (and (a_t) (not (b_t))))',
        '(allow m_typeattr_2 self (file (read)))',
        '(neverallow m_typeattr_3 m_typeattr_4 (file (write)))',
        '(neverallow m_typeattr_3 m_typeattr_5 (file (read)))',
        '(neverallow m_typeattr_3 self (file (read)))',
        '(allow b_t a_t (file (read)))',
        '(typeattribute m_typeattr_5)',
        '(typeattributeset m_typeattr_5 (and (b_t) (not (a_t))))',
        '(typeattribute m_typeattr_4)',
        '(typeattributeset m_typeattr_4 (all))',
        '(typeattribute m_typeattr_3)',
        '(typeattributeset m_typeattr_3 (not (a_t)))',
        '(typeattribute m_typeattr_2)',
        '(typeattributeset m_typeattr_2 (and (a_t b_t) (not (b_t))))',
      ),
    );
  });

  it('prints transitions, role allows and name-based type transitions after the other rules, in pp order', () => {
    const out = cil([
      { kind: 'typerule', rule: 'type_transition', sources: ['a_t'], targets: ['b_t'], classes: ['file'], result: 'c_t', objectName: 'n' },
      { kind: 'range_transition', sources: ['a_t'], targets: ['b_t'], classes: [], range: { low: { sensitivity: 's0' } } },
      { kind: 'role_allow', roles: ['r1'], newRoles: ['r2'] },
      { kind: 'role_transition', roles: ['r1'], types: ['b_t'], classes: [], result: 'r2' },
      { kind: 'typerule', rule: 'type_member', sources: ['a_t'], targets: ['b_t'], classes: ['file'], result: 'c_t' },
      { kind: 'av', rule: 'allow', sources: ['a_t'], targets: ['b_t'], classes: ['file'], perms: ['read'] },
    ]);
    expect(out).toBe(
      lines(
        '(typemember a_t b_t file c_t)',
        '(allow a_t b_t (file (read)))',
        '(roletransition r1 b_t process r2)',
        '(roleallow r1 r2)',
        '(rangetransition a_t b_t process ((s0) (s0)))',
        '(typetransition a_t b_t file "n" c_t)',
      ),
    );
  });

  it('prints a conditional block as booleanif, branches without rules left out', () => {
    const out = cil([
      {
        kind: 'conditional',
        condition: { op: 'or', left: { op: 'not', operand: { op: 'bool', name: 'x' } }, right: { op: 'neq', left: { op: 'bool', name: 'y' }, right: { op: 'bool', name: 'z' } } },
        whenTrue: [
          { kind: 'require', types: ['c_t'], classes: [], roles: [] },
          { kind: 'av', rule: 'allow', sources: ['a_t'], targets: ['c_t'], classes: ['file'], perms: ['read'] },
          { kind: 'typerule', rule: 'type_transition', sources: ['a_t'], targets: ['b_t'], classes: ['file'], result: 'c_t' },
        ],
        whenFalse: [],
      },
      {
        kind: 'conditional',
        condition: { op: 'xor', left: { op: 'bool', name: 'x' }, right: { op: 'bool', name: 'y' } },
        whenTrue: [],
        whenFalse: [{ kind: 'av', rule: 'dontaudit', sources: ['a_t'], targets: ['b_t'], classes: ['file'], perms: ['write'] }],
      },
    ]);
    expect(out).toBe(
      lines(
        // the require inside the conditional counts for the module
        '(typeattributeset cil_gen_require c_t)',
        '(booleanif (or (not (x)) (neq (y) (z)))',
        '    (true',
        '        (allow a_t c_t (file (read)))',
        '        (typetransition a_t b_t file c_t)',
        '    )',
        ')',
        '(booleanif (xor (x) (y))',
        '    (false',
        '        (dontaudit a_t b_t (file (write)))',
        '    )',
        ')',
      ),
    );
  });

  it('prints optional blocks after the rest, nested and numbered as pp does, each with its own declarations and sets', () => {
    const warnings: Diagnostic[] = [];
    const module: Module = {
      name: 'm',
      layout: 'written',
      require: REQUIRE,
      statements: [
        {
          kind: 'optional',
          span: { file: 'm.te', line: 3 },
          require: { types: ['c_t'], classes: [], roles: [] },
          statements: [
            { kind: 'optional', require: { types: ['d_t'], classes: [], roles: [] }, statements: [{ kind: 'permissive', type: 'd_t' }] },
            { kind: 'type', name: 'm_t' },
            { kind: 'av', rule: 'allow', sources: { names: ['a_t'], exclude: ['c_t'] }, targets: ['c_t'], classes: ['file'], perms: ['read'] },
          ],
          else: [{ kind: 'optional', require: { types: ['e_t'], classes: [], roles: [] }, statements: [] }],
        },
        { kind: 'optional', require: { types: ['f_t'], classes: [], roles: [] }, statements: [] },
        { kind: 'av', rule: 'allow', sources: ['a_t'], targets: ['b_t'], classes: ['file'], perms: ['read'] },
      ],
    };
    const out = printCil(module, { onDiagnostic: (d) => warnings.push(d) });
    expect(out).toBe(
      lines(
        '(typeattributeset cil_gen_require a_t)',
        '(typeattributeset cil_gen_require b_t)',
        '(allow a_t b_t (file (read)))',
        '(optional m_optional_2',
        '    (type m_t)',
        '    (roletype object_r m_t)',
        '    (typeattributeset cil_gen_require c_t)',
        '    (allow m_typeattr_1 c_t (file (read)))',
        '    (typeattribute m_typeattr_1)',
        '    (typeattributeset m_typeattr_1 (and (a_t) (not (c_t))))',
        '    (optional m_optional_3',
        '        (typeattributeset cil_gen_require d_t)',
        '        (typepermissive d_t)',
        '    )',
        ')',
        // 4 is the else branch, 5 the optional block inside it
        '(optional m_optional_6',
        '    (typeattributeset cil_gen_require f_t)',
        ')',
      ),
    );
    expect(warnings).toEqual([
      {
        severity: 'warning',
        code: 'cil-unsupported',
        message: 'CIL has no else branch for an optional block: the else branch is left out of the CIL',
        span: { file: 'm.te', line: 3 },
        notes: [],
      },
    ]);
  });
});
