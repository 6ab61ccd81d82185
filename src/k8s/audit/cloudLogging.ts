// Google Cloud Logging entries of Kubernetes (GKE) audit logs -> audit Events.
// An entry's `protoPayload` (type google.cloud.audit.AuditLog) names the
// method (`io.k8s.core.v1.pods.list`: the verb is its last part), the
// principal (`authenticationInfo.principalEmail`) and the object
// (`resourceName`: `core/v1/namespaces/NS/pods/NAME[/SUBRESOURCE]`, `core` for
// the core group; cluster-scoped objects have no `namespaces/NS` part). A
// resource name that is not GROUP/VERSION/... is a non-resource path
// (`/version`). Cloud Logging does not record groups: an entry's principal is
// taken to be in system:authenticated (system:unauthenticated for
// system:anonymous), which is what the discovery role is bound to.
import type { KubeAuditEvent } from './event.js';

/** Whether a value looks like a Cloud Logging entry (it has a protoPayload object). */
export function isCloudLoggingEntry(o: Record<string, unknown>): boolean {
  return typeof o.protoPayload === 'object' && o.protoPayload !== null;
}

/** The audit Event of a Cloud Logging entry, or why there is none. */
export function cloudEntryToEvent(o: Record<string, unknown>): KubeAuditEvent | string {
  const p = o.protoPayload as Record<string, unknown>;
  const method = p.methodName;
  if (typeof method !== 'string' || !method.startsWith('io.k8s.')) return 'a Cloud Logging entry that is not a Kubernetes audit entry (methodName is not io.k8s.*)';
  const verb = method.slice(method.lastIndexOf('.') + 1);
  const auth = p.authenticationInfo as Record<string, unknown> | undefined;
  const principal = typeof auth?.principalEmail === 'string' ? auth.principalEmail : '';
  const groups = principal === 'system:anonymous' ? ['system:unauthenticated'] : ['system:authenticated'];
  const event: KubeAuditEvent = { verb, user: { username: principal, groups } };
  const name = typeof p.resourceName === 'string' ? p.resourceName : '';
  const parts = name.split('/');
  if (parts.length >= 3 && /^[a-z0-9.-]+$/.test(parts[0]!) && /^v[0-9]+((alpha|beta)[0-9]+)?$/.test(parts[1]!)) {
    const group = parts[0] === 'core' ? '' : parts[0]!;
    let rest = parts.slice(2);
    let namespace = '';
    if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && (rest[2] === 'finalize' || rest[2] === 'status'))) {
      namespace = rest[1]!;
      rest = rest.slice(2);
    }
    event.objectRef = { apiGroup: group, apiVersion: parts[1]!, resource: rest[0] ?? '', namespace, name: rest[1] ?? '', subresource: rest[2] ?? '' };
    event.requestURI = `/${group === '' ? 'api' : `apis/${group}`}/${parts[1]}/${parts.slice(2).join('/')}`;
  } else {
    event.requestURI = name.startsWith('/') ? name : `/${name}`;
  }
  return event;
}
