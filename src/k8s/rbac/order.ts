// The order requests are considered in: broader ones first, so that what they
// generate covers narrower ones. audit2rbac's comparator checks "list before
// get" ahead of the group and resource, which makes it non-transitive; its
// result is whatever Go's sort.SliceStable makes of it (goSort.ts). Porthole's
// default order is total: non-resource before resource requests; cluster-wide
// before namespaced; unnamed before named; then group, resource, subresource;
// list before every other verb, then verbs by name; then namespace, name,
// API version, path, user and groups. The output then never depends on the
// order events arrived in.
import type { RequestAttributes } from './request.js';
import { compareStrings } from './rule.js';

/** audit2rbac's less(i, j) (sortRequests). */
export function audit2rbacLess(a: RequestAttributes, b: RequestAttributes): boolean {
  if (a.resourceRequest !== b.resourceRequest) return !a.resourceRequest;
  if (a.resourceRequest) {
    const n1 = a.namespace.length === 0;
    const n2 = b.namespace.length === 0;
    if (n1 !== n2) return n1;
    const m1 = a.name.length === 0;
    const m2 = b.name.length === 0;
    if (m1 !== m2) return m1;
    if (a.verb === 'list' && b.verb === 'get') return true;
    if (a.verb === 'get' && b.verb === 'list') return false;
    for (const k of ['apiGroup', 'resource', 'subresource', 'namespace', 'name', 'verb'] as const) {
      const c = compareStrings(a[k], b[k]);
      if (c !== 0) return c < 0;
    }
    return false;
  }
  const c = compareStrings(a.verb, b.verb);
  if (c !== 0) return c < 0;
  return compareStrings(a.path, b.path) < 0;
}

/** Porthole's total order (negative, zero, positive). */
export function compareRequests(a: RequestAttributes, b: RequestAttributes): number {
  if (a.resourceRequest !== b.resourceRequest) return a.resourceRequest ? 1 : -1;
  let c: number;
  if (a.resourceRequest) {
    if ((c = Number(a.namespace !== '') - Number(b.namespace !== '')) !== 0) return c;
    if ((c = Number(a.name !== '') - Number(b.name !== '')) !== 0) return c;
    if ((c = compareStrings(a.apiGroup, b.apiGroup)) !== 0) return c;
    if ((c = compareStrings(a.resource, b.resource)) !== 0) return c;
    if ((c = compareStrings(a.subresource, b.subresource)) !== 0) return c;
    if ((c = Number(a.verb !== 'list') - Number(b.verb !== 'list')) !== 0) return c;
    if ((c = compareStrings(a.verb, b.verb)) !== 0) return c;
    if ((c = compareStrings(a.namespace, b.namespace)) !== 0) return c;
    if ((c = compareStrings(a.name, b.name)) !== 0) return c;
    if ((c = compareStrings(a.apiVersion, b.apiVersion)) !== 0) return c;
  } else if ((c = compareStrings(a.verb, b.verb)) !== 0) return c;
  if ((c = compareStrings(a.path, b.path)) !== 0) return c;
  if ((c = compareStrings(a.user, b.user)) !== 0) return c;
  return compareStrings(JSON.stringify(a.groups ?? null), JSON.stringify(b.groups ?? null));
}
