// YAML as sigs.k8s.io/yaml (yaml.v2) writes it: key order, quoting, layout.
import { describe, expect, it } from 'vitest';
import { goYamlKeyLess, objectYaml, printRbacYaml, scalarStyle } from './yaml.js';

describe('scalarStyle', () => {
  it.each([
    ['alice', 'PLAIN'],
    ['audit2rbac:alice', 'PLAIN'],
    ['/api/v1', 'PLAIN'],
    ['', 'QUOTE_DOUBLE'],
    ['true', 'QUOTE_DOUBLE'],
    ['y', 'QUOTE_DOUBLE'],
    ['No', 'QUOTE_DOUBLE'],
    ['on', 'QUOTE_DOUBLE'],
    ['OFF', 'QUOTE_DOUBLE'],
    ['~', 'QUOTE_DOUBLE'],
    ['null', 'QUOTE_DOUBLE'],
    ['1_000', 'QUOTE_DOUBLE'],
    ['1:20', 'QUOTE_DOUBLE'],
    ['0x1f', 'QUOTE_DOUBLE'],
    ['0755', 'QUOTE_DOUBLE'],
    ['1e3', 'QUOTE_DOUBLE'],
    ['.5', 'QUOTE_DOUBLE'],
    ['2024-01-02', 'QUOTE_DOUBLE'],
    ['v1', 'PLAIN'],
    ['1.2.3', 'PLAIN'],
    ['*', 'QUOTE_SINGLE'],
    ['/api*', 'PLAIN'],
    ['a: b', 'QUOTE_SINGLE'],
    ['a #b', 'QUOTE_SINGLE'],
    [' lead', 'QUOTE_SINGLE'],
    ['- x', 'QUOTE_SINGLE'],
    ['tab\there', 'QUOTE_DOUBLE'],
    ['two\nlines', 'QUOTE_DOUBLE'],
  ])('%j is %s', (s, style) => {
    expect(scalarStyle(s)).toBe(style);
  });
});

describe('goYamlKeyLess', () => {
  it('orders digit runs as numbers and letters after other characters', () => {
    const keys = ['b', 'a10', 'a9', 'a.b', 'A', 'verbs', 'apiGroups'];
    expect(keys.sort((x, y) => (goYamlKeyLess(x, y) ? -1 : goYamlKeyLess(y, x) ? 1 : 0))).toEqual(['A', 'a.b', 'a9', 'a10', 'apiGroups', 'b', 'verbs']);
  });
});

describe('objectYaml / printRbacYaml', () => {
  it('escapes in double quotes what yaml.v2 escapes and a YAML 1.1 reader would refuse or read as a line break', () => {
    expect(objectYaml({ a: 'x\x7fy\u0085z\u2028w\u2029\ufeff\u{1F600}\u009b' })).toBe('a: "x\\x7Fy\\Nz\\Lw\\P\\uFEFF\\U0001F600\\x9B"\n');
    expect(objectYaml({ a: 'é日本' })).toBe('a: é日本\n');
  });

  it('writes sorted keys, unindented sequences and quoted YAML 1.1 words', () => {
    expect(objectYaml({ z: ['yes', '*', 'x'], a: { b: '', c: 'true' } })).toBe('a:\n  b: ""\n  c: "true"\nz:\n- "yes"\n- \'*\'\n- x\n');
  });

  it('separates documents with ---, Roles first', () => {
    const meta = { name: 'r' };
    const text = printRbacYaml({
      roles: [],
      clusterRoles: [{ kind: 'ClusterRole', metadata: meta, rules: [{ verbs: ['get'], nonResourceURLs: ['/x'] }] }],
      roleBindings: [],
      clusterRoleBindings: [
        {
          kind: 'ClusterRoleBinding',
          metadata: meta,
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' },
          subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'g' }],
        },
      ],
    });
    expect(text).toBe(
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\nrules:\n- nonResourceURLs:\n  - /x\n  verbs:\n  - get\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: r\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: r\nsubjects:\n- apiGroup: rbac.authorization.k8s.io\n  kind: Group\n  name: g\n',
    );
  });
});
