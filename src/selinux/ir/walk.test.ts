import { describe, expect, it } from 'vitest';
import { everyKindModule } from '../../../test/fixtures/ir/everyKind.js';
import type { Module } from './index.js';
import { boolNames, forEachModuleName, forEachStatement, moduleNames } from './walk.js';

describe('forEachStatement', () => {
  it('visits conditional rules and optional blocks (else branches too), depth first', () => {
    const kinds: string[] = [];
    forEachStatement(everyKindModule(), (st) => kinds.push(st.kind));
    const m = everyKindModule();
    // the module's statements; 7 + 1 rules in its two conditionals; in its optional
    // block 5 statements, 1 rule in the conditional, 1 in the nested optional, 1 in the else branch
    expect(kinds.length).toBe(m.statements.length + 8 + 5 + 1 + 1 + 1);
    expect(kinds.slice(-9)).toEqual(['optional', 'type', 'roletypes', 'av', 'conditional', 'av', 'optional', 'av', 'av']);
  });
});

describe('moduleNames', () => {
  it('lists every name with what it names and where it was written', () => {
    const m: Module = {
      name: 'm',
      version: '1.0',
      require: { types: ['a_t'], classes: [['file', ['read']]], roles: ['r'], bools: ['b'], users: ['u'], sensitivities: ['s0'], categories: ['c0'] },
      statements: [
        { kind: 'av', rule: 'allow', sources: { names: ['a_t'], exclude: ['x_t'] }, targets: ['self'], classes: ['file'], perms: ['read'], span: { file: 'm.te', line: 7 } },
        { kind: 'typerule', rule: 'type_transition', sources: ['a_t'], targets: ['b_t'], classes: ['file'], result: 'c_t', objectName: 'n.conf' },
        { kind: 'range_transition', sources: ['a_t'], targets: ['b_t'], classes: [], range: { low: { sensitivity: 's0' }, high: { sensitivity: 's1', categories: [['c0', 'c9']] } } },
        { kind: 'conditional', condition: { op: 'not', operand: { op: 'bool', name: 'b' } }, whenTrue: [] },
        { kind: 'optional', require: { types: ['o_t'], classes: [], roles: [] }, statements: [{ kind: 'role_allow', roles: ['r'], newRoles: ['r2'] }] },
        { kind: 'xperm', rule: 'allowxperm', sources: ['a_t'], targets: ['a_t'], classes: ['file'], operation: 'ioctl', ranges: [[1, 1]] },
      ],
    };
    expect(moduleNames(m).map((u) => `${u.kind}:${u.name}${u.span ? `@${u.span.line}` : ''}`)).toEqual([
      'module:m',
      'version:1.0',
      'type:a_t',
      'class:file',
      'permission:read',
      'role:r',
      'bool:b',
      'user:u',
      'sensitivity:s0',
      'category:c0',
      'type:a_t@7',
      'type:x_t@7',
      'type:self@7',
      'class:file@7',
      'permission:read@7',
      'type:a_t',
      'type:b_t',
      'class:file',
      'type:c_t',
      'objectName:n.conf',
      'type:a_t',
      'type:b_t',
      'sensitivity:s0',
      'sensitivity:s1',
      'category:c0',
      'category:c9',
      'bool:b',
      'type:o_t',
      'role:r',
      'role:r2',
      'type:a_t',
      'type:a_t',
      'class:file',
      'operation:ioctl',
    ]);
  });

  it('covers every statement kind of the module with every kind', () => {
    const names = new Set(moduleNames(everyKindModule()).map((u) => u.name));
    for (const n of [
      'porthole_every_old_exec_t',
      'porthole_every_alias2_t',
      'porthole_every_roles',
      'httpd_helper_roles',
      'porthole_every_debug',
      'c3',
      'sshd_exec_t',
      'user_home_t',
      'porthole.conf',
      'var_log_t',
    ]) {
      expect(names, n).toContain(n);
    }
  });
});

describe('boolNames', () => {
  it('lists the booleans of an expression left to right', () => {
    expect(boolNames({ op: 'or', left: { op: 'not', operand: { op: 'bool', name: 'a' } }, right: { op: 'eq', left: { op: 'bool', name: 'b' }, right: { op: 'bool', name: 'a' } } })).toEqual([
      'a',
      'b',
      'a',
    ]);
  });
});

describe('forEachModuleName with skip', () => {
  it('passes over the names of the statements skipped, and only those', () => {
    const m = everyKindModule();
    const all: string[] = [];
    forEachModuleName(m, (name) => all.push(name));
    const first = m.statements[0] as Module['statements'][number];
    const own: string[] = [];
    forEachModuleName({ statements: [first] }, (name) => own.push(name));
    expect(own.length).toBeGreaterThan(0);
    const rest: string[] = [];
    forEachModuleName(
      m,
      (name) => rest.push(name),
      (st) => st === first,
    );
    expect(rest.length).toBe(all.length - own.length);
    expect([...own, ...rest].sort()).toEqual([...all].sort());
  });
});
