import { describe, expect, it } from 'vitest';

import { smallPolicy } from '../../../../../test/fixtures/policy/writer.js';
import { PortholeError } from '../../../../base/diagnostic.js';
import { readPolicy } from '../../index.js';
import { parseXperms, type SearchQuery, searchMlsRules, searchPolicy, searchRbacRules, searchRules, searchTeRules } from './search.js';

/** The code and message of the PortholeError `f` throws. */
function thrown(f: () => unknown): [string, string] {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PortholeError);
    return [(e as PortholeError).code, (e as Error).message];
  }
  return ['', ''];
}

// smallPolicy: types a_t(1) b_t(2) x_attr(3; a_t b_t), alias a_alias; bool b1; see test/fixtures/policy/writer.ts.
const p33 = readPolicy(smallPolicy({ version: 33 }));
const p35 = readPolicy(smallPolicy({ version: 35 }));
const ALL_TE: SearchQuery['te'] = ['allow', 'auditallow', 'dontaudit', 'allowxperm', 'auditallowxperm', 'dontauditxperm', 'type_transition', 'type_change', 'type_member'];
const lines = (q: SearchQuery, p = p33): string[] => searchPolicy(p, q).map((r) => r.text);

describe('searchPolicy on the hand-built policy', () => {
  it('lists every rule as sesearch prints it, sorted per group', () => {
    expect(lines({ te: ALL_TE, rbac: ['role_allow', 'role_transition'], mls: ['range_transition'] })).toEqual([
      'allow a_t b_t:file { execute read };',
      'allow b_t a_t:file read; [ b1 ]:True',
      'allowxperm a_t b_t:file ioctl 0x1234;',
      'auditallow b_t a_t:file read; [ b1 ]:False',
      'dontaudit a_t b_t:file write;',
      'type_transition a_t b_t:file a_t name;',
      'type_transition a_t b_t:process b_t;',
      'allow r_r object_r;',
      'role_transition r_r b_t:process r_r;',
      'range_transition a_t b_t:process s0 - s0:c0.c1;',
    ]);
  });

  it('prints conditional xperm rules (version 34+) with their condition', () => {
    expect(lines({ te: ['dontauditxperm'] }, p35)).toEqual(['dontauditxperm b_t a_t:file ioctl 0x0000-0x00ff; [ b1 ]:False']);
  });

  it('matches a type through the attributes of the rule and an attribute through its members', () => {
    expect(lines({ te: ['allow'], source: 'x_attr' })).toEqual(['allow a_t b_t:file { execute read };', 'allow b_t a_t:file read; [ b1 ]:True']);
    expect(lines({ te: ['allow'], source: 'x_attr', sourceDirect: true })).toEqual([]);
    expect(lines({ te: ['allow'], source: 'a_alias' })).toEqual(['allow a_t b_t:file { execute read };']);
    expect(lines({ te: ['allow'], target: 'a_t' })).toEqual(['allow b_t a_t:file read; [ b1 ]:True']);
  });

  it('patterns: indirect ones try member type names (never the attribute name), direct ones the name in the rule', () => {
    expect(lines({ te: ['allow'], source: '^a_t$', sourceRegex: true })).toEqual(['allow a_t b_t:file { execute read };']);
    // The attribute x_attr holds a_t and b_t, but its own name is not tried.
    expect(lines({ te: ['allow'], source: 'attr', sourceRegex: true })).toEqual([]);
    expect(lines({ te: ['allow'], source: '_t', sourceRegex: true, sourceDirect: true })).toEqual(['allow a_t b_t:file { execute read };', 'allow b_t a_t:file read; [ b1 ]:True']);
    expect(lines({ te: ['type_transition'], default: '^b', defaultRegex: true })).toEqual(['type_transition a_t b_t:process b_t;']);
    expect(lines({ te: ['allow', 'auditallow'], bools: ['^b'], boolsRegex: true, boolsEqual: true })).toEqual(['allow b_t a_t:file read; [ b1 ]:True', 'auditallow b_t a_t:file read; [ b1 ]:False']);
    expect(lines({ te: ['allow'], bools: ['nomatch'], boolsRegex: true })).toEqual([]);
    expect(lines({ te: ['allow'], classes: ['^proc', 'fil'], classRegex: true, perms: ['execute'] })).toEqual(['allow a_t b_t:file { execute read };']);
    expect(searchRbacRules(p33, { rbac: ['role_allow', 'role_transition'], source: 'r_', sourceRegex: true, target: 'obj|^b', targetRegex: true }).map((r) => r.text)).toEqual([
      'allow r_r object_r;',
      'role_transition r_r b_t:process r_r;',
    ]);
    expect(searchMlsRules(p33, { mls: ['range_transition'], target: 'b', targetRegex: true }).map((r) => r.text)).toEqual(['range_transition a_t b_t:process s0 - s0:c0.c1;']);
    expect(thrown(() => searchTeRules(p33, { te: ['allow'], target: '[', targetRegex: true }))[0]).toBe('bad-query');
  });

  it('filters by class, permission, boolean, default type and ioctl', () => {
    expect(lines({ te: ['allow', 'dontaudit'], perms: ['write'] })).toEqual(['dontaudit a_t b_t:file write;']);
    expect(lines({ te: ['allow'], perms: ['read', 'execute'], permsEqual: true })).toEqual(['allow a_t b_t:file { execute read };']);
    expect(lines({ te: ['allow'], perms: ['read', 'execute'], permsSubset: true })).toEqual(['allow a_t b_t:file { execute read };']);
    // type rules never match permissions (xperm rules match their kind, `ioctl`: see the oracle test)
    expect(lines({ te: ['type_transition', 'allow'], perms: ['read'] })).toEqual(['allow a_t b_t:file { execute read };', 'allow b_t a_t:file read; [ b1 ]:True']);
    expect(lines({ te: ALL_TE, bools: ['b1'] })).toEqual(['allow b_t a_t:file read; [ b1 ]:True', 'auditallow b_t a_t:file read; [ b1 ]:False']);
    expect(lines({ te: ['type_transition'], classes: ['process'] })).toEqual(['type_transition a_t b_t:process b_t;']);
    expect(lines({ te: ['type_transition'], default: 'a_t' })).toEqual(['type_transition a_t b_t:file a_t name;']);
    expect(lines({ te: ['allowxperm'], xperms: '0x1200-0x12ff' })).toEqual(['allowxperm a_t b_t:file ioctl 0x1234;']);
    expect(lines({ te: ['allowxperm'], xperms: [[0x1234, 0x1235]], xpermsEqual: true })).toEqual([]);
  });

  it('reports unknown names with sesearch messages, target before source', () => {
    const err = (q: SearchQuery): string => thrown(() => searchPolicy(p33, q))[1];
    expect(thrown(() => searchPolicy(p33, { te: ['allow'], source: 'nonexist_t', target: 'nonexist2_t' }))).toEqual(['unknown-name', 'nonexist2_t is not a valid type attribute']);
    expect(err({ te: ['allow'], classes: ['nofile'] })).toBe('nofile is not a valid class');
    expect(err({ te: ['allow'], classes: ['process'], perms: ['read'] })).toBe('Permission(s) do not exist in the specified classes: read');
    expect(err({ te: ['allow'], perms: ['nope'] })).toBe('Permission(s) do not exist any class: nope');
    expect(err({ te: ['allow'], bools: ['nobool'] })).toBe('nobool is not a valid Boolean');
    expect(err({ rbac: ['role_allow'], source: 'a_t' })).toBe('a_t is not a valid role');
    expect(thrown(() => searchPolicy(p33, { te: ['allowxperm'], xperms: [[0, 0x10000]] }))).toEqual(['bad-query', '0x10000 is not a valid ioctl.']);
  });

  it('searchRules: the rules of the groups before a bad criterion, and its diagnostic', () => {
    const r = searchRules(p33, { te: ['allow'], rbac: ['role_allow'], source: 'a_t' });
    expect(r.rules.map((x) => x.text)).toEqual(['allow a_t b_t:file { execute read };']);
    expect(r.error).toMatchObject({ severity: 'error', code: 'unknown-name', message: 'a_t is not a valid role', data: { kind: 'role', name: 'a_t' } });
    expect(searchRules(p33, { te: ['allow'], source: 'a_t' })).toEqual({ rules: searchTeRules(p33, { te: ['allow'], source: 'a_t' }) });
  });

  it('RBAC: roles, and types for role_transition targets', () => {
    expect(searchRbacRules(p33, { rbac: ['role_allow', 'role_transition'], target: 'b_t' }).map((r) => r.text)).toEqual(['role_transition r_r b_t:process r_r;']);
    expect(searchRbacRules(p33, { rbac: ['role_allow', 'role_transition'], target: 'object_r' }).map((r) => r.text)).toEqual(['allow r_r object_r;']);
    // role allows have no class
    expect(searchRbacRules(p33, { rbac: ['role_allow'], classes: ['process'] })).toEqual([]);
  });

  it('MLS: range transitions', () => {
    const [r] = searchMlsRules(p33, { mls: ['range_transition'], source: 'x_attr' });
    expect(r).toMatchObject({ ruletype: 'range_transition', source: 'a_t', target: 'b_t', tclass: 'process', range: 's0 - s0:c0.c1' });
  });

  it('gives structured rules for --json', () => {
    const [r] = searchTeRules(p33, { te: ['allow'], bools: ['b1'] });
    expect(JSON.parse(JSON.stringify(r))).toEqual({
      ruletype: 'allow',
      group: 'te',
      source: 'b_t',
      target: 'a_t',
      tclass: 'file',
      perms: ['read'],
      conditional: { expression: 'b1', booleans: ['b1'], block: true },
      text: 'allow b_t a_t:file read; [ b1 ]:True',
    });
  });
});

describe('helpers', () => {
  it('indexes the avtab by source and target', () => {
    const col = p33.index.column(false, 'src');
    const a = [...col.items.subarray(col.start[1]!, col.start[2]!)];
    expect(a.length).toBeGreaterThan(0);
    for (const i of a) expect(p33.avtab.src[i]).toBe(1);
    expect(col.start[p33.types.length + 1]).toBe(p33.avtab.count);
  });
  it('parses -x like setools', () => {
    expect(parseXperms('0x8910,0x8900-0x89ff,12')).toEqual([
      [0x8910, 0x8910],
      [0x8900, 0x89ff],
      [0x12, 0x12],
    ]);
    expect(() => parseXperms('1-2-3')).toThrow('Unable to parse "1-2-3" for xperms.');
  });
});

describe('range_transition -D (a range, read as setools reads it)', () => {
  const mls = readPolicy(smallPolicy({ version: 33, mls: true }));
  const mlsLines = (d: string): string[] => searchMlsRules(mls, { mls: ['range_transition'], default: d }).map((r) => r.text);
  const err = (d: string): string => {
    try {
      searchMlsRules(mls, { mls: ['range_transition'], default: d });
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  };

  it('matches the rule with exactly that range, however it is spelled', () => {
    const all = searchMlsRules(mls, { mls: ['range_transition'] });
    expect(all.length).toBeGreaterThan(0);
    const range = all[0]!.range!;
    expect(mlsLines(range)).toEqual([all[0]!.text]);
    expect(mlsLines(range.replace(' - ', '-'))).toEqual([all[0]!.text]);
    // Parts after a second '-' are ignored, as setools ignores them.
    expect(mlsLines(`${range} - nonsense`)).toEqual([all[0]!.text]);
  });

  it("gives setools' messages", () => {
    expect(err('nosens')).toBe('nosens is not a valid range (nosens is not a valid level (nosens is not a valid sensitivity)).');
    expect(err('s0:c9999')).toBe('s0:c9999 is not a valid range (s0:c9999 is not a valid level (c9999 is not a valid category)).');
    expect(err('s0:c0.c9999')).toBe('s0:c0.c9999 is not a valid range (s0:c0.c9999 is not a valid level (c0.c9999 is not a valid category range)).');
    expect(err('s0:c0.c1.c2')).toBe('s0:c0.c1.c2 is not a valid range (s0:c0.c1.c2 is not a valid level (level parsing error)).');
    expect(err('s0:c1-s0')).toBe('s0:c1-s0 is not a valid range (s0:c1 is not dominated by s0)');
    expect(err('s0-')).toBe('s0- is not a valid range ( is not a valid level ( is not a valid sensitivity)).');
  });

  it('is an error without MLS (setools: MLSDisabled, an empty message)', () => {
    const plain = readPolicy(smallPolicy({ version: 33 }));
    if (plain.mls) return;
    expect(thrown(() => searchMlsRules(plain, { mls: ['range_transition'], default: 's0' }))).toEqual(['bad-query', '']);
  });
});
