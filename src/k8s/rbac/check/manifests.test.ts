// RBAC manifests: kinds, Lists, defaults, and bad-manifest at file:line:col.
import { describe, expect, it } from 'vitest';
import { PortholeError } from '../../../base/diagnostic.js';
import { readRbacManifests } from './manifests.js';

const ROLE = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: r
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [get]
`;

describe('readRbacManifests', () => {
  it('reads YAML documents and JSON Lists; skips other kinds; namespaced objects default to "default"', () => {
    const list = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'b', namespace: 'x' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
          subjects: [{ kind: 'ServiceAccount', name: 'sa' }],
        },
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } },
      ],
    });
    const r = readRbacManifests([
      { name: 'a.yaml', text: `${ROLE}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n` },
      { name: 'b.json', text: list },
    ]);
    expect(r.skipped).toBe(2);
    expect(r.objects.roles).toEqual([{ kind: 'Role', metadata: { name: 'r', namespace: 'default', labels: undefined }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] }]);
    expect(r.objects.roleBindings[0]).toMatchObject({ metadata: { name: 'b', namespace: 'x' }, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }] });
  });

  it('reports an invalid object as bad-manifest at its place', () => {
    const text = `${ROLE}---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: c\nrules:\n- resources: [pods]\n  verbs: []\n`;
    let err: unknown;
    try {
      readRbacManifests([{ name: 'm.yaml', text }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PortholeError);
    const d = (err as PortholeError).diagnostics[0]!;
    expect(d.code).toBe('bad-manifest');
    expect(d.span).toEqual({ file: 'm.yaml', line: 15, column: 3 });
  });

  it('reports text that is not YAML', () => {
    expect(() => readRbacManifests([{ name: 'x.yaml', text: 'kind: [Role\n' }])).toThrow(PortholeError);
  });
});
