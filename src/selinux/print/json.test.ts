import { describe, expect, it } from 'vitest';
import { everyKindModule } from '../../../test/fixtures/ir/everyKind.js';
import type { Module, Statement } from '../ir/index.js';
import { moduleToJson } from './json.js';

describe('moduleToJson', () => {
  it('gives a learned module as before: rules in te order, role types last, evidence on each', () => {
    const m: Module = {
      name: 'm',
      version: '1.0',
      require: { types: ['a_t', 'b_t'], classes: [['file', ['ioctl', 'read']]], roles: ['r'] },
      statements: [
        { kind: 'av', rule: 'allow', sources: ['b_t'], targets: ['a_t'], classes: ['file'], perms: ['read'], evidence: { locs: [{ file: 'x.log', line: 3 }], count: 2 } },
        { kind: 'roletypes', role: 'r', types: ['a_t'], evidence: { locs: [{ file: 'x.log', line: 9 }], count: 1 } },
        { kind: 'av', rule: 'allow', sources: ['a_t'], targets: ['self'], classes: ['file'], perms: ['ioctl'], comment: ['c'], evidence: { locs: [], count: 0 } },
        { kind: 'xperm', rule: 'allowxperm', sources: ['a_t'], targets: ['self'], classes: ['file'], operation: 'ioctl', ranges: [[1, 3]] },
      ],
    };
    expect(JSON.stringify(moduleToJson(m))).toBe(
      JSON.stringify({
        module: 'm',
        version: '1.0',
        require: { types: ['a_t', 'b_t'], classes: { file: ['ioctl', 'read'] }, roles: ['r'] },
        rules: [
          { rule: 'allow', source: 'a_t', target: 'self', class: 'file', perms: ['ioctl'], comment: ['c'], evidence: { count: 0, locations: [] } },
          { rule: 'allowxperm', source: 'a_t', target: 'self', class: 'file', operation: 'ioctl', xperms: '{ 0x1-0x3 }' },
          { rule: 'allow', source: 'b_t', target: 'a_t', class: 'file', perms: ['read'], evidence: { count: 2, locations: ['x.log:3'] } },
          { rule: 'role', role: 'r', types: ['a_t'], evidence: { count: 1, locations: ['x.log:9'] } },
        ],
      }),
    );
  });

  it('gives every statement kind, blocks nested, in written order', () => {
    const json = moduleToJson(everyKindModule()) as { rules: Array<Record<string, unknown>>; require: Record<string, unknown> };
    expect(json.require).toMatchObject({ attributes: ['domain', 'file_type'], attributeRoles: ['httpd_helper_roles'], bools: ['httpd_can_network_connect'], sensitivities: ['s0'] });
    const kinds = json.rules.map((r) => r.rule);
    for (const k of [
      'type',
      'attribute',
      'typeattribute',
      'typealias',
      'expandattribute',
      'typebounds',
      'permissive',
      'bool',
      'role_declaration',
      'role',
      'attribute_role',
      'roleattribute',
      'require',
      'allow',
      'dontaudit',
      'auditallow',
      'neverallow',
      'allowxperm',
      'dontauditxperm',
      'auditallowxperm',
      'neverallowxperm',
      'type_transition',
      'type_change',
      'type_member',
      'range_transition',
      'role_transition',
      'role_allow',
      'if',
      'optional',
    ]) {
      expect(kinds, k).toContain(k);
    }
    expect(json.rules).toContainEqual({ rule: 'allow', source: '{ porthole_every_domain -porthole_every_child_t }', target: 'tmp_t', class: 'dir', perms: ['search'] });
    expect(json.rules).toContainEqual({ rule: 'type_transition', source: 'porthole_every_t', target: 'etc_t', class: 'file', result: 'porthole_every_exec_t', objectName: 'porthole.conf' });
    expect(json.rules).toContainEqual({ rule: 'range_transition', source: 'porthole_every_t', target: 'tmp_t', range: 's0:c0.c3' });
    const cond = json.rules.find((r) => r.rule === 'if')!;
    expect(cond.condition).toBe('(porthole_every_enabled && !httpd_can_network_connect) || (porthole_every_debug == porthole_every_enabled)');
    expect((cond.true as unknown[]).length).toBe(3);
    expect((cond.false as unknown[]).length).toBe(4);
    const opt = json.rules.find((r) => r.rule === 'optional')!;
    expect(opt.require).toEqual({ types: ['sshd_t'], classes: { process: ['transition'] }, roles: [] });
    expect((opt.rules as Array<Record<string, unknown>>).map((r) => r.rule)).toEqual(['type', 'role', 'allow', 'if', 'optional']);
    expect(opt.else).toEqual([{ rule: 'allow', source: 'porthole_every_t', target: 'user_home_t', class: 'file', perms: ['read'] }]);
  });

  it('gives where a statement was written, and merges a class named twice in a require block', () => {
    const st: Statement = { kind: 'permissive', type: 'a_t', span: { file: 'a.te', line: 4, column: 1 } };
    const json = moduleToJson({
      layout: 'written',
      require: {
        types: [],
        classes: [
          ['file', ['read']],
          ['file', ['write', 'read']],
        ],
        roles: [],
      },
      statements: [st],
    });
    expect(json).toEqual({ require: { types: [], classes: { file: ['read', 'write'] }, roles: [] }, rules: [{ rule: 'permissive', type: 'a_t', span: 'a.te:4:1' }] });
  });

  it('gives the statements only hand-written modules have: users, tunables, complemented permissions', () => {
    const m: Module = {
      layout: 'written',
      statements: [
        {
          kind: 'user',
          name: 'u',
          roles: ['r'],
          mls: { level: { sensitivity: 's0' }, range: { low: { sensitivity: 's0' }, high: { sensitivity: 's0', categories: [['c0', 'c3']] } } },
          span: { file: 'm.te', line: 2 },
        },
        { kind: 'bool', name: 't', default: false, tunable: true },
        { kind: 'require', types: [], classes: [], roles: [], tunables: ['t2'] },
        { kind: 'av', rule: 'neverallow', sources: ['a_t'], targets: ['b_t'], classes: ['file'], perms: ['read'], permsComplement: true },
      ],
    };
    expect(moduleToJson(m).rules).toEqual([
      { rule: 'user', name: 'u', roles: ['r'], level: 's0', range: 's0 - s0:c0.c3', span: 'm.te:2' },
      { rule: 'tunable', name: 't', default: false },
      { rule: 'require', types: [], classes: {}, roles: [], tunables: ['t2'] },
      { rule: 'neverallow', source: 'a_t', target: 'b_t', class: 'file', perms: ['read'], permsComplement: true, evidence: undefined },
    ]);
  });
});
