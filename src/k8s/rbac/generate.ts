// Requests -> the smallest RBAC objects that allow them (audit2rbac's
// Generator): requests are sorted broadest first; a request that the existing
// RBAC (by default only the built-in discovery role) or what was generated so
// far already allows adds nothing; otherwise its namespace is dropped when the
// same operation was seen in another namespace, and its name when it was seen
// on another name (found through an index of the requests, not a scan), and it
// becomes a rule (verbs expanded: list/watch/get, update/patch/get) of the
// ClusterRole, or of the Role of its namespace. Rules are compacted at the end.
// One Role per namespace and one ClusterRole, each with its binding to the
// subject.
import { RbacAuthorizer } from './authorizer.js';
import { compactRules } from './compact.js';
import { goSliceStable } from './goSort.js';
import { audit2rbacLess, compareRequests } from './order.js';
import type { RbacMode, RequestAttributes } from './request.js';
import { emptyRbacObjects, type ObjectMeta, type PolicyRule, RBAC_GROUP, type RbacObjects, type Role, resourceRule, type Subject, urlRule } from './rule.js';

export interface GenerateOptions {
  verbExpansions: Record<string, readonly string[]>;
  expandMultipleNamesToUnnamed: boolean;
  expandMultipleNamespacesToClusterScoped: boolean;
  name: string;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
  /** The subject of the bindings; default: the first request's user (a User or ServiceAccount). */
  subject?: Subject | undefined;
  mode?: RbacMode | undefined;
}

export const DEFAULT_VERB_EXPANSIONS: Readonly<Record<string, readonly string[]>> = {
  watch: ['get', 'list'],
  list: ['get', 'watch'],
  update: ['get', 'patch'],
  patch: ['get', 'update'],
};

export function defaultGenerateOptions(): GenerateOptions {
  return { verbExpansions: { ...DEFAULT_VERB_EXPANSIONS }, expandMultipleNamesToUnnamed: true, expandMultipleNamespacesToClusterScoped: true, name: 'audit2rbac' };
}

/** The built-in discovery role audit2rbac assumes: get on /api*, /healthz, /openapi*, /swagger*, /version for authenticated and unauthenticated users. */
export function discoveryRbac(): RbacObjects {
  const o = emptyRbacObjects();
  o.clusterRoles.push({ kind: 'ClusterRole', metadata: { name: 'system:discovery' }, rules: [urlRule(['get'], ['/healthz', '/version', '/swagger*', '/openapi*', '/api*'])] });
  o.clusterRoleBindings.push({
    kind: 'ClusterRoleBinding',
    metadata: { name: 'system:discovery' },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: 'system:discovery' },
    subjects: [
      { kind: 'Group', apiGroup: RBAC_GROUP, name: 'system:authenticated' },
      { kind: 'Group', apiGroup: RBAC_GROUP, name: 'system:unauthenticated' },
    ],
  });
  return o;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The subject a user name stands for: a ServiceAccount for system:serviceaccount:NS:NAME, else a User. */
export function userToSubject(user: string): Subject {
  const m = /^system:serviceaccount:([^:]*):([^:]*)$/.exec(user);
  if (m && DNS_LABEL.test(m[1]!) && m[2]!.length <= 253 && DNS_SUBDOMAIN.test(m[2]!)) return { kind: 'ServiceAccount', name: m[2]!, namespace: m[1]! };
  return { kind: 'User', apiGroup: RBAC_GROUP, name: user };
}

/** The generated objects for the requests (which are sorted in place). */
export function generateRbac(existing: RbacObjects, requests: RequestAttributes[], options: GenerateOptions): RbacObjects {
  const mode = options.mode ?? 'porthole';
  const existingAuthz = new RbacAuthorizer(existing);
  const generated = emptyRbacObjects();
  const generatedAuthz = new RbacAuthorizer(generated);
  if (mode === 'audit2rbac') goSliceStable(requests, audit2rbacLess);
  else requests.sort(compareRequests);

  const index = new ExpansionIndex(requests, options);
  let clusterRole: Role | undefined;
  const namespaced = new Map<string, Role>();
  const meta = (namespace?: string): ObjectMeta => {
    const m: ObjectMeta = { name: options.name };
    if (namespace !== undefined) m.namespace = namespace;
    if (options.labels) m.labels = options.labels;
    if (options.annotations) m.annotations = options.annotations;
    return m;
  };
  const ensureCluster = (subject: Subject): Role => {
    if (clusterRole) return clusterRole;
    clusterRole = { kind: 'ClusterRole', metadata: meta(), rules: [] };
    generated.clusterRoles.push(clusterRole);
    generated.clusterRoleBindings.push({ kind: 'ClusterRoleBinding', metadata: meta(), roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: options.name }, subjects: [subject] });
    generatedAuthz.reindex();
    return clusterRole;
  };
  const ensureNamespaced = (subject: Subject, ns: string): Role => {
    let role = namespaced.get(ns);
    if (role) return role;
    role = { kind: 'Role', metadata: meta(ns), rules: [] };
    namespaced.set(ns, role);
    generated.roles.push(role);
    generated.roleBindings.push({ kind: 'RoleBinding', metadata: meta(ns), roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: options.name }, subjects: [subject] });
    generatedAuthz.reindex();
    return role;
  };

  for (const request of requests) {
    if (existingAuthz.allows(request) || generatedAuthz.allows(request)) continue;
    const subject = options.subject ?? userToSubject(request.user);
    if (!request.resourceRequest) {
      ensureCluster(subject).rules.push(urlRule([request.verb], [request.path]));
      continue;
    }
    let namespace = request.namespace;
    let name = request.name;
    if ((namespace !== '' && options.expandMultipleNamespacesToClusterScoped) || (name !== '' && options.expandMultipleNamesToUnnamed)) {
      const seen = index.get(request);
      if (options.expandMultipleNamespacesToClusterScoped && seen && hasOther(seen.namespaces, namespace)) namespace = '';
      if (options.expandMultipleNamesToUnnamed && seen && hasOther(seen.names, name)) name = '';
    }
    const rule = attributesToResourceRule({ ...request, namespace, name }, options);
    if (namespace === '') ensureCluster(subject).rules.push(rule);
    else ensureNamespaced(subject, namespace).rules.push(rule);
  }

  for (const role of generated.clusterRoles) role.rules = compactRules(role.rules, mode);
  for (const role of generated.roles) role.rules = compactRules(role.rules, mode);
  return generated;
}

/** A set holds a non-empty value other than `value`. */
function hasOther(set: ReadonlySet<string>, value: string): boolean {
  return set.size > (set.has(value) ? 1 : 0);
}

/** The rule one request needs (attributesToResourceRule). */
export function attributesToResourceRule(r: RequestAttributes, options: GenerateOptions): PolicyRule {
  const rule = resourceRule([r.verb, ...(options.verbExpansions[r.verb] ?? [])], [r.apiGroup], [r.resource]);
  if (r.subresource !== '') rule.resources![0] = `${rule.resources![0]}/${r.subresource}`;
  if (r.name !== '') rule.resourceNames = [r.name];
  return rule;
}

/**
 * The namespaces and names each operation was seen with: requests that are
 * equal once the name and namespace are cleared (as the options say) share
 * an entry.
 */
class ExpansionIndex {
  private readonly map = new Map<string, { namespaces: Set<string>; names: Set<string> }>();

  constructor(
    requests: readonly RequestAttributes[],
    private readonly options: GenerateOptions,
  ) {
    for (const r of requests) {
      if (!r.resourceRequest) continue;
      const k = this.key(r);
      let e = this.map.get(k);
      if (!e) this.map.set(k, (e = { namespaces: new Set(), names: new Set() }));
      if (r.namespace !== '') e.namespaces.add(r.namespace);
      if (r.name !== '') e.names.add(r.name);
    }
  }

  get(r: RequestAttributes): { namespaces: Set<string>; names: Set<string> } | undefined {
    return this.map.get(this.key(r));
  }

  private key(r: RequestAttributes): string {
    const name = this.options.expandMultipleNamesToUnnamed ? '' : r.name;
    const namespace = this.options.expandMultipleNamespacesToClusterScoped ? '' : r.namespace;
    return JSON.stringify([r.user, r.groups ?? null, r.verb, r.apiGroup, r.apiVersion, r.resource, r.subresource, namespace, name]);
  }
}
