// YAML as sigs.k8s.io/yaml (yaml.v2) writes it: key order, quoting, layout.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { goYamlKeyLess, objectYaml, printRbacYaml, scalarStyle } from './yaml.js';
import { foldLikeYamlV2 } from './yamlFold.js';

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
    // Strings yaml.v2 reads back but other readers do not (found by the long round-trip run, seed 11).
    ['e0', 'QUOTE_DOUBLE'],
    ['-.E1', 'QUOTE_DOUBLE'],
    ['.', 'QUOTE_DOUBLE'],
    ['=', 'QUOTE_DOUBLE'],
    ['==', 'PLAIN'],
    ['e', 'PLAIN'],
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

// yaml.v2's 80-column line breaking, worked out by hand from its rules.
const words = (n: number): string => Array.from({ length: n }, () => 'aaaaaaaaa').join(' ');

describe('foldLikeYamlV2', () => {
  it('breaks a plain value at the first space past column 80, two columns right of its key', () => {
    const value = words(20); // 199 characters, a space every 10th
    const text = objectYaml({ metadata: { annotations: { 'porthole.dev/note': value } } });
    // The value starts at column 23; the space at value index 59 is the first written past column 80.
    expect(text).toBe(['metadata:', '  annotations:', `    porthole.dev/note: ${value.slice(0, 59)}`, `      ${value.slice(60, 139)}`, `      ${value.slice(140)}`, ''].join('\n'));
    expect(parse(text).metadata.annotations['porthole.dev/note']).toBe(value);
  });

  it('continues a double-quoted value with \\ when the break comes before a second space', () => {
    const value = `\t${'b'.repeat(70)}  ccccc d`;
    const text = objectYaml({ metadata: { annotations: { 'porthole.dev/n': value } } });
    expect(text.split('\n').slice(2)).toEqual([`    porthole.dev/n: "\\t${'b'.repeat(70)}`, '      \\ ccccc d"', '']);
    expect(parse(text).metadata.annotations['porthole.dev/n']).toBe(value);
  });

  it('never breaks a quoted value at its first or last character, nor a plain one before a second space', () => {
    // Single-quoted (a leading *): the first space past column 80 is the value's last character.
    const single = `*${'c'.repeat(90)} `;
    expect(objectYaml({ name: single })).toBe(`name: '${single}'\n`);
    const plain = `${'d'.repeat(85)}  e f`;
    // The space at 85 is followed by a space; the one at 86 follows a space; the one at 88 is the first breakable.
    expect(objectYaml({ name: plain })).toBe(`name: ${'d'.repeat(85)}  e\n  f\n`);
  });

  it('indents a sequence item two columns right of its dash, and leaves keys, short lines and unbroken values alone', () => {
    const value = words(12);
    const text = objectYaml({ rules: [{ resourceNames: [value] }] });
    expect(text).toBe(['rules:', '- resourceNames:', `  - ${value.slice(0, 79)}`, `    ${value.slice(80)}`, ''].join('\n'));
    const long = 'x'.repeat(200);
    expect(objectYaml({ name: long })).toBe(`name: ${long}\n`);
    expect(foldLikeYamlV2('a: b\n')).toBe('a: b\n');
  });

  it('counts characters, not bytes', () => {
    const value = `${'é'.repeat(79)} é é`;
    // Column 85 at the first space (6 + 79): broken there, though 79 é are 158 bytes.
    expect(objectYaml({ name: value })).toBe(`name: ${'é'.repeat(79)}\n  é é\n`);
  });
});
