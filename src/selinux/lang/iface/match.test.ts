// parseAccess, unifyName and the ranking of interfacesGranting over a hand-made index.
import { describe, expect, it } from 'vitest';
import type { AccessIndex, InterfaceAccess } from './accessIndex.js';
import { interfacesGranting, parseAccess, unifyName } from './match.js';

const entry = (name: string, rules: InterfaceAccess['rules'], other = 0, params = 1): InterfaceAccess => ({
  name,
  kind: 'interface',
  file: 'x/x.if',
  line: 1,
  params,
  paramNames: ['domain', 'type'],
  rules,
  other,
});
const rule = (s: string, t: string, c: string, perms: string[]) => ({ sources: [s], targets: [t], classes: [c], perms });
const INDEX: AccessIndex = {
  version: 1,
  includeDir: '/x',
  interfaces: [
    entry('netutils_exec_ping', [rule('porthole_arg1', 'ping_exec_t', 'file', ['read', 'execute', 'getattr']), rule('porthole_arg1', 'bin_t', 'dir', ['search'])]),
    entry('netutils_domtrans_ping', [rule('porthole_arg1', 'ping_exec_t', 'file', ['read', 'execute', 'getattr']), rule('porthole_arg1', 'ping_t', 'process', ['transition'])], 2),
    entry('domain_entry_file', [rule('porthole_arg1', 'porthole_arg2', 'file', ['execute'])], 1, 2),
    entry('netutils_read_ping', [rule('porthole_arg1', 'ping_exec_t', 'file', ['read'])]),
  ],
};

describe('parseAccess', () => {
  it('reads an allow rule (sets, $N, optional ;) or a type name', () => {
    expect(parseAccess('allow $1 ping_exec_t:file { read execute }')).toMatchObject({
      kind: 'rule',
      tuples: [
        ['porthole_q1', 'ping_exec_t', 'file', 'read'],
        ['porthole_q1', 'ping_exec_t', 'file', 'execute'],
      ],
    });
    expect(parseAccess('ping_exec_t')).toEqual({ kind: 'type', text: 'ping_exec_t', type: 'ping_exec_t' });
  });
  it('refuses what is not one allow rule', () => {
    expect(() => parseAccess('allow $1 foo')).toThrow(/ACCESS/);
    expect(() => parseAccess('type_transition a b:file c')).toThrow(/not one allow rule/);
    expect(() => parseAccess('allow a b:file *')).toThrow(/are not taken/);
  });
});

describe('unifyName', () => {
  it('binds placeholders to what they stand for, the same everywhere', () => {
    expect(unifyName('porthole_arg1', 'x', new Map())).toEqual(new Map([[1, 'x']]));
    expect(unifyName('porthole_arg1_t', 'myapp_t', new Map())).toEqual(new Map([[1, 'myapp']]));
    expect(unifyName('porthole_arg1_t', 'myapp_t', new Map([[1, 'other']]))).toBeNull();
    expect(unifyName('ping_exec_t', 'porthole_q1', new Map())).toBeNull();
  });
});

describe('interfacesGranting', () => {
  it('ranks by excess those that grant it alone, then those that need an asked name passed', () => {
    const r = interfacesGranting(INDEX, parseAccess('allow $1 ping_exec_t:file execute'));
    expect(r.map((a) => [a.call, a.excess, a.granted, a.passed])).toEqual([
      ['netutils_exec_ping($1)', 3, 4, 0],
      ['netutils_domtrans_ping($1)', 5, 4, 0],
      ['domain_entry_file($1, ping_exec_t)', 1, 1, 1],
    ]);
  });
  it('needs every asked tuple', () => {
    expect(interfacesGranting(INDEX, parseAccess('allow $1 ping_exec_t:file { read write }'))).toEqual([]);
  });
  it('answers a type name with the interfaces naming it, unbound arguments as <param>', () => {
    expect(interfacesGranting(INDEX, parseAccess('ping_exec_t')).map((a) => [a.call, a.excess])).toEqual([
      ['netutils_read_ping(<domain>)', 0],
      ['netutils_exec_ping(<domain>)', 1],
      ['netutils_domtrans_ping(<domain>)', 3],
    ]);
  });
});
