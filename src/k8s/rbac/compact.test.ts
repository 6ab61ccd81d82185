// Compaction, the request orders and Go's stable sort.
import { describe, expect, it } from 'vitest';
import { compactRules } from './compact.js';
import { goSliceStable } from './goSort.js';
import { compareRequests } from './order.js';
import type { RequestAttributes } from './request.js';

describe('compactRules', () => {
  it('merges verbs, then resources, then names', () => {
    const rules = [
      { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['list'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['secrets'] },
      { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['a'] },
      { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['b'] },
      { verbs: ['get'], nonResourceURLs: ['/x'] },
    ];
    // Sorted by the joined groups ("" for both first rules), then by the compact text ({APIGroups... before {NonResourceURLs...).
    expect(compactRules(rules)).toEqual([
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'secrets'] },
      { verbs: ['get'], nonResourceURLs: ['/x'] },
      { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['a', 'b'] },
    ]);
  });

  it('by default keeps an unnamed rule apart from a named one (audit2rbac merges them, narrowing the unnamed one)', () => {
    const rules = [
      { verbs: ['get'], apiGroups: [''], resources: ['nodes'] },
      { verbs: ['get'], apiGroups: [''], resources: ['nodes'], resourceNames: ['n1'] },
    ];
    expect(compactRules(rules)).toHaveLength(2);
    expect(compactRules(rules, 'audit2rbac')).toEqual([{ verbs: ['get'], apiGroups: [''], resources: ['nodes'], resourceNames: ['n1'] }]);
  });

  it('by default gives the same rules whatever their order', () => {
    const rules = [
      { verbs: ['patch'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
      { verbs: ['update'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['b'] },
      { verbs: ['update'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] },
      { verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] },
    ];
    const a = compactRules(rules);
    expect(compactRules([...rules].reverse())).toEqual(a);
    expect(compactRules([rules[2]!, rules[0]!, rules[3]!, rules[1]!])).toEqual(a);
  });
});

describe('goSliceStable', () => {
  it('is stable and sorts like a stable sort for a strict weak order', () => {
    const data = Array.from({ length: 237 }, (_, i) => ({ k: (i * 7919) % 13, i }));
    const ours = [...data];
    goSliceStable(ours, (a, b) => a.k < b.k);
    expect(ours).toEqual([...data].sort((a, b) => a.k - b.k));
  });
});

describe('compareRequests', () => {
  const r = (o: Partial<RequestAttributes>): RequestAttributes => ({
    user: 'u',
    groups: undefined,
    resourceRequest: true,
    verb: 'get',
    apiGroup: '',
    apiVersion: 'v1',
    resource: 'pods',
    subresource: '',
    namespace: '',
    name: '',
    path: '',
    ...o,
  });
  it('puts non-resource, cluster-wide, unnamed and list first', () => {
    const list = [r({ namespace: 'a', name: 'x' }), r({ namespace: 'a' }), r({ name: 'x' }), r({ verb: 'watch' }), r({ verb: 'list' }), r({ resourceRequest: false, path: '/x' })];
    const sorted = [...list].sort(compareRequests);
    expect(sorted.map((x) => [x.resourceRequest, x.namespace, x.name, x.verb])).toEqual([
      [false, '', '', 'get'],
      [true, '', '', 'list'],
      [true, '', '', 'watch'],
      [true, '', 'x', 'get'],
      [true, 'a', '', 'get'],
      [true, 'a', 'x', 'get'],
    ]);
  });
});
