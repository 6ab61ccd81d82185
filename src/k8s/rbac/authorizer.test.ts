// The RBAC authorizer, as a table: each row a request and whether the
// objects allow it (Kubernetes' RBAC rules: verbs, groups, resources with
// * and */subresource, names, URLs with a * suffix, bindings, subjects).
import { describe, expect, it } from 'vitest';
import { RbacAuthorizer, ruleAllows } from './authorizer.js';
import type { RequestAttributes } from './request.js';
import type { PolicyRule, RbacObjects } from './rule.js';

const G = 'rbac.authorization.k8s.io';
const req = (o: Partial<RequestAttributes>): RequestAttributes => ({
  user: 'alice',
  groups: ['system:authenticated'],
  resourceRequest: true,
  verb: 'get',
  apiGroup: '',
  apiVersion: 'v1',
  resource: 'pods',
  subresource: '',
  namespace: 'ns1',
  name: '',
  path: '',
  ...o,
});

describe('ruleAllows', () => {
  const rows: [string, PolicyRule, Partial<RequestAttributes>, boolean][] = [
    ['exact', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, {}, true],
    ['other verb', { verbs: ['list'], apiGroups: [''], resources: ['pods'] }, {}, false],
    ['verb *', { verbs: ['*'], apiGroups: [''], resources: ['pods'] }, {}, true],
    ['other group', { verbs: ['get'], apiGroups: ['apps'], resources: ['pods'] }, {}, false],
    ['group *', { verbs: ['get'], apiGroups: ['*'], resources: ['pods'] }, {}, true],
    ['resource *', { verbs: ['get'], apiGroups: [''], resources: ['*'] }, { subresource: 'log' }, true],
    ['resource without its subresource', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, { subresource: 'log' }, false],
    ['resource/subresource', { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, { subresource: 'log' }, true],
    ['*/subresource', { verbs: ['get'], apiGroups: [''], resources: ['*/log'] }, { subresource: 'log' }, true],
    ['*/subresource, other one', { verbs: ['get'], apiGroups: [''], resources: ['*/log'] }, { subresource: 'exec' }, false],
    ['named rule, that name', { verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }, { name: 'a' }, true],
    ['named rule, other name', { verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }, { name: 'b' }, false],
    ['named rule, no name (list)', { verbs: ['list'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }, { verb: 'list' }, false],
    ['URL exact', { verbs: ['get'], nonResourceURLs: ['/healthz'] }, { resourceRequest: false, path: '/healthz' }, true],
    ['URL prefix *', { verbs: ['get'], nonResourceURLs: ['/api*'] }, { resourceRequest: false, path: '/apis/apps' }, true],
    ['URL *', { verbs: ['get'], nonResourceURLs: ['*'] }, { resourceRequest: false, path: '/x' }, true],
    ['URL other', { verbs: ['get'], nonResourceURLs: ['/healthz'] }, { resourceRequest: false, path: '/healthz/ping' }, false],
    ['URL rule, resource request', { verbs: ['get'], nonResourceURLs: ['*'] }, {}, false],
    ['resource rule, URL request', { verbs: ['get'], apiGroups: ['*'], resources: ['*'] }, { resourceRequest: false, path: '/x' }, false],
  ];
  it.each(rows)('%s', (_name, rule, r, allowed) => {
    expect(ruleAllows(req(r), rule)).toBe(allowed);
  });
});

describe('RbacAuthorizer', () => {
  const objects: RbacObjects = {
    roles: [{ kind: 'Role', metadata: { name: 'reader', namespace: 'ns1' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] }],
    clusterRoles: [
      { kind: 'ClusterRole', metadata: { name: 'nodes' }, rules: [{ verbs: ['list'], apiGroups: [''], resources: ['nodes'] }] },
      { kind: 'ClusterRole', metadata: { name: 'secrets' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }] },
      { kind: 'ClusterRole', metadata: { name: 'agg' }, rules: [], aggregationRule: { clusterRoleSelectors: [{ matchLabels: { part: 'yes' } }] } },
      { kind: 'ClusterRole', metadata: { name: 'part', labels: { part: 'yes' } }, rules: [{ verbs: ['delete'], apiGroups: ['apps'], resources: ['deployments'] }] },
    ],
    roleBindings: [
      { kind: 'RoleBinding', metadata: { name: 'b1', namespace: 'ns1' }, roleRef: { apiGroup: G, kind: 'Role', name: 'reader' }, subjects: [{ kind: 'User', apiGroup: G, name: 'alice' }] },
      { kind: 'RoleBinding', metadata: { name: 'b2', namespace: 'ns2' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'secrets' }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }] },
      { kind: 'RoleBinding', metadata: { name: 'b3', namespace: 'ns3' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'agg' }, subjects: [{ kind: 'Group', apiGroup: G, name: 'devs' }] },
    ],
    clusterRoleBindings: [
      { kind: 'ClusterRoleBinding', metadata: { name: 'c1' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'nodes' }, subjects: [{ kind: 'Group', apiGroup: G, name: 'ops' }] },
    ],
  };
  const authz = new RbacAuthorizer(objects);
  const rows: [string, Partial<RequestAttributes>, boolean][] = [
    ['a Role through a RoleBinding, in its namespace', {}, true],
    ['the same in another namespace', { namespace: 'ns2' }, false],
    ['cluster-wide', { namespace: '' }, false],
    ['another user', { user: 'bob' }, false],
    ['a ClusterRoleBinding to a group', { user: 'carol', groups: ['ops'], verb: 'list', resource: 'nodes', namespace: '' }, true],
    ['not in the group', { user: 'carol', groups: ['dev'], verb: 'list', resource: 'nodes', namespace: '' }, false],
    ['a service account, namespace from the binding', { user: 'system:serviceaccount:ns2:sa', resource: 'secrets', namespace: 'ns2' }, true],
    ['a service account of another namespace', { user: 'system:serviceaccount:ns1:sa', resource: 'secrets', namespace: 'ns2' }, false],
    ['an aggregated ClusterRole', { user: 'dan', groups: ['devs'], verb: 'delete', apiGroup: 'apps', resource: 'deployments', namespace: 'ns3' }, true],
  ];
  it.each(rows)('%s', (_name, r, allowed) => {
    expect(authz.allows(req(r))).toBe(allowed);
  });

  it('names the rule that allowed a request', () => {
    const ref = authz.allowingRule(req({}));
    expect(ref?.role.metadata.name).toBe('reader');
    expect(ref?.index).toBe(0);
  });
});
