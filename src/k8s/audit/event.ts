// The Kubernetes audit event (audit.k8s.io/v1 and v1beta1 `Event`), reduced
// to the fields Porthole reads, and the checks that turn a parsed JSON or
// YAML value into one (the values that reach RBAC rules are checked against
// what Kubernetes allows there). Google Cloud Logging entries for Kubernetes audit
// (`protoPayload` of type google.cloud.audit.AuditLog) are mapped to the same
// shape (cloudLogging.ts).

export interface KubeUserInfo {
  username?: string | undefined;
  groups?: string[] | undefined;
}

export interface KubeObjectReference {
  resource?: string | undefined;
  namespace?: string | undefined;
  name?: string | undefined;
  apiGroup?: string | undefined;
  apiVersion?: string | undefined;
  subresource?: string | undefined;
}

export interface KubeAuditEvent {
  verb?: string | undefined;
  requestURI?: string | undefined;
  user?: KubeUserInfo | undefined;
  impersonatedUser?: KubeUserInfo | undefined;
  objectRef?: KubeObjectReference | undefined;
  stage?: string | undefined;
  responseStatus?: { code?: number | undefined } | undefined;
}

const AUDIT_VERSIONS = new Set(['audit.k8s.io/v1', 'audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1']);

/** What a parsed value is: events (one, or the items of a List/EventList), or why it is not. */
export type Decoded = { events: unknown[] } | { error: string };

/** Sorts a parsed JSON/YAML value: an Event, a List or EventList of them, or something else (an error). */
export function decodeValue(v: unknown): Decoded {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return { error: 'not an object' };
  const o = v as Record<string, unknown>;
  const kind = o.kind;
  if ((kind === 'List' && o.apiVersion === 'v1') || (kind === 'EventList' && typeof o.apiVersion === 'string' && AUDIT_VERSIONS.has(o.apiVersion))) {
    if (!Array.isArray(o.items)) return { error: `a ${kind} without items` };
    return { events: o.items };
  }
  return { events: [o] };
}

/**
 * The event in an item, or why it is not one. Items of an EventList may lack
 * kind and apiVersion; a top-level value needs both.
 */
export function toAuditEvent(v: unknown, inList: boolean): KubeAuditEvent | string {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'not an object';
  const o = v as Record<string, unknown>;
  if (o.kind !== undefined || !inList) {
    if (o.kind !== 'Event') return `not an audit Event (kind ${JSON.stringify(o.kind ?? null)})`;
    if (typeof o.apiVersion !== 'string' || !AUDIT_VERSIONS.has(o.apiVersion)) return `not an audit Event (apiVersion ${JSON.stringify(o.apiVersion ?? null)})`;
  }
  if (typeof o.verb !== 'string') return 'an audit Event without a verb';
  if (!isUser(o.user)) return 'an audit Event with a malformed user';
  if (o.impersonatedUser !== undefined && o.impersonatedUser !== null && !isUser(o.impersonatedUser)) return 'an audit Event with a malformed impersonatedUser';
  if (o.objectRef !== undefined && o.objectRef !== null && !isRef(o.objectRef)) return 'an audit Event with a malformed objectRef';
  if (o.requestURI !== undefined && typeof o.requestURI !== 'string') return 'an audit Event with a malformed requestURI';
  const bad = badIdentifier(o);
  if (bad) return bad;
  const e = o as KubeAuditEvent;
  if (o.impersonatedUser === null) e.impersonatedUser = undefined;
  if (o.objectRef === null) e.objectRef = undefined;
  return e;
}

function isUser(u: unknown): boolean {
  if (u === undefined) return true;
  if (u === null || typeof u !== 'object') return false;
  const o = u as Record<string, unknown>;
  if (o.username !== undefined && typeof o.username !== 'string') return false;
  if (o.groups !== undefined && o.groups !== null && !(Array.isArray(o.groups) && o.groups.every((g) => typeof g === 'string'))) return false;
  if (o.groups === null) o.groups = undefined;
  return true;
}

function isRef(r: unknown): boolean {
  if (typeof r !== 'object' || r === null) return false;
  const o = r as Record<string, unknown>;
  for (const k of ['resource', 'namespace', 'name', 'apiGroup', 'apiVersion', 'subresource']) if (o[k] !== undefined && typeof o[k] !== 'string') return false;
  return true;
}

const VERB = /^[a-z][a-zA-Z]*$/;
const RESOURCE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const GROUP = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VERSION = /^[a-z0-9]+$/;

/**
 * Why an event's values cannot become RBAC rules, or undefined. What reaches
 * a rule is checked against what Kubernetes allows there, so that a crafted
 * log cannot widen a rule: a verb or resource `*`, or a `*` in a
 * non-resource path (a prefix wildcard in RBAC), would grant more than was
 * asked for.
 */
function badIdentifier(o: Record<string, unknown>): string | undefined {
  if (!VERB.test(o.verb as string)) return `an audit Event with a verb that is not a Kubernetes verb: ${JSON.stringify(o.verb)}`;
  const ref = o.objectRef as Record<string, string | undefined> | undefined | null;
  if (ref) {
    if (ref.resource && !RESOURCE.test(ref.resource)) return `an audit Event with a resource that is not a resource name: ${JSON.stringify(ref.resource)}`;
    if (ref.subresource && !RESOURCE.test(ref.subresource)) return `an audit Event with a subresource that is not a resource name: ${JSON.stringify(ref.subresource)}`;
    if (ref.apiGroup && !GROUP.test(ref.apiGroup)) return `an audit Event with an API group that is not a DNS name: ${JSON.stringify(ref.apiGroup)}`;
    if (ref.apiVersion && !VERSION.test(ref.apiVersion)) return `an audit Event with an API version that is not a version: ${JSON.stringify(ref.apiVersion)}`;
    if (ref.namespace && !RESOURCE.test(ref.namespace)) return `an audit Event with a namespace that is not a namespace name: ${JSON.stringify(ref.namespace)}`;
  } else {
    const uri = o.requestURI;
    if (typeof uri === 'string' && uri !== '' && (!uri.startsWith('/') || uri.split('?')[0]!.includes('*')))
      return `an audit Event with a non-resource path that cannot be an RBAC URL (a * would be a wildcard): ${JSON.stringify(uri)}`;
  }
  return undefined;
}
