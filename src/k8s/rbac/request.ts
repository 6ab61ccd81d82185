// Audit event -> request attributes: what the API server's authorizer was
// asked for each request (audit2rbac's eventToAttributes). The principal is
// the impersonated user when there is one. Two rules differ between the
// modes: audit2rbac keeps a non-resource path's query string and drops the
// name of every create; by default Porthole strips the query (the authorizer
// matches the bare path) and drops the name only of a create on a resource
// itself, not on a subresource (pods/exec, serviceaccounts/token: the
// authorizer sees that name).
import type { KubeAuditEvent } from '../audit/event.js';

/** The attributes the authorizer sees for one request (authorizer.AttributesRecord). */
export interface RequestAttributes {
  user: string;
  /** The user's groups; `undefined` when the event had none (Go's nil). */
  groups: readonly string[] | undefined;
  resourceRequest: boolean;
  verb: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  path: string;
}

export type RbacMode = 'porthole' | 'audit2rbac';

/** The principal of an event: the impersonated user, else the user. */
export function eventUser(event: KubeAuditEvent): { username: string; groups: readonly string[] | undefined } {
  const u = event.impersonatedUser ?? event.user;
  return { username: u?.username ?? '', groups: u?.groups };
}

/** The request attributes of an event. */
export function eventToRequest(event: KubeAuditEvent, mode: RbacMode = 'porthole'): RequestAttributes {
  const u = eventUser(event);
  const ref = event.objectRef;
  const r: RequestAttributes = {
    user: u.username,
    groups: u.groups,
    resourceRequest: ref !== undefined,
    verb: event.verb ?? '',
    apiGroup: ref?.apiGroup ?? '',
    apiVersion: ref?.apiVersion ?? '',
    resource: ref?.resource ?? '',
    subresource: ref?.subresource ?? '',
    namespace: ref?.namespace ?? '',
    name: ref?.name ?? '',
    path: event.requestURI ?? '',
  };
  if (r.verb === 'create' && (mode === 'audit2rbac' || r.subresource === '')) r.name = '';
  if (mode === 'porthole') {
    const q = r.path.indexOf('?');
    if (q >= 0) r.path = r.path.slice(0, q);
  }
  return r;
}

/** A string that is equal for equal attributes (reflect.DeepEqual on AttributesRecord). */
export function requestKey(r: RequestAttributes): string {
  return JSON.stringify([r.user, r.groups ?? null, r.resourceRequest, r.verb, r.apiGroup, r.apiVersion, r.resource, r.subresource, r.namespace, r.name, r.path]);
}
