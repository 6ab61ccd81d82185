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

/**
 * A string that is equal for requests the generator and the authorizer
 * cannot tell apart: equal attributes, except that the path of a resource
 * request (a watch's resourceVersion, say) is not looked at.
 */
export function requestKey(r: RequestAttributes): string {
  const groups = r.groups === undefined ? '\u0002' : r.groups.join('\u0003');
  return `${r.user}\u0001${groups}\u0001${r.verb}\u0001${r.resourceRequest ? `${r.apiGroup}\u0001${r.apiVersion}\u0001${r.resource}\u0001${r.subresource}\u0001${r.namespace}\u0001${r.name}` : `\u0001\u0001\u0001\u0001\u0001\u0001${r.path}`}`;
}

/**
 * Keeps one copy of each string: the values of requests that are kept
 * (JSON.parse may hand out slices of the line, which would keep every line
 * alive), shared between the requests that repeat them.
 */
export class StringPool {
  private readonly pool = new Map<string, string>();

  get(s: string): string {
    let v = this.pool.get(s);
    if (v === undefined) {
      // A new string, not a slice of the line (a one-character prefix makes V8 copy).
      v = s.length === 0 ? '' : (' ' + s).slice(1);
      this.pool.set(v, v);
    }
    return v;
  }

  /** The request with its strings (and groups) from the pool. */
  request(r: RequestAttributes): RequestAttributes {
    const p = (x: string): string => this.get(x);
    return {
      user: p(r.user),
      groups: r.groups?.map(p),
      resourceRequest: r.resourceRequest,
      verb: p(r.verb),
      apiGroup: p(r.apiGroup),
      apiVersion: p(r.apiVersion),
      resource: p(r.resource),
      subresource: p(r.subresource),
      namespace: p(r.namespace),
      name: p(r.name),
      path: p(r.path),
    };
  }
}
