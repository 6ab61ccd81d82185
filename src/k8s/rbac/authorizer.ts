// The Kubernetes RBAC authorizer: may this request be made, given these
// Roles, ClusterRoles and bindings? ClusterRoleBindings first, then the
// RoleBindings of the request's namespace (a RoleBinding may grant a Role of
// its namespace or a ClusterRole); subjects match by user name, group
// membership, or service account (whose namespace defaults to the binding's).
// Rules match on verb, API group, resource (`*`, `*/subresource`), resource
// name and non-resource URL (`*` suffix). Aggregated ClusterRoles take the
// rules of the ClusterRoles their label selectors pick, as the aggregation
// controller would. Roles are read when a request is decided, so rules added
// to them later count (the generator relies on it).
import type { RequestAttributes } from './request.js';
import type { PolicyRule, RbacObjects, Role, RoleBinding, Subject } from './rule.js';

/** Which rule allowed a request: the role (kind, namespace/name) and the rule's index in it. */
export interface AllowingRule {
  role: Role;
  index: number;
}

export class RbacAuthorizer {
  private readonly clusterRoles = new Map<string, Role>();
  private readonly roles = new Map<string, Role>();
  private readonly bindingsByNamespace = new Map<string, RoleBinding[]>();
  private readonly aggregated = new Map<Role, Role[]>();

  constructor(private readonly objects: RbacObjects) {
    this.reindex();
  }

  /** Call after adding objects (not rules) to the RbacObjects. */
  reindex(): void {
    this.clusterRoles.clear();
    this.roles.clear();
    this.bindingsByNamespace.clear();
    this.aggregated.clear();
    for (const r of this.objects.clusterRoles) if (!this.clusterRoles.has(r.metadata.name)) this.clusterRoles.set(r.metadata.name, r);
    for (const r of this.objects.roles) {
      const key = `${r.metadata.namespace ?? ''}/${r.metadata.name}`;
      if (!this.roles.has(key)) this.roles.set(key, r);
    }
    for (const b of this.objects.roleBindings) {
      const ns = b.metadata.namespace ?? '';
      let list = this.bindingsByNamespace.get(ns);
      if (!list) this.bindingsByNamespace.set(ns, (list = []));
      list.push(b);
    }
    for (const r of this.objects.clusterRoles) {
      const selectors = r.aggregationRule?.clusterRoleSelectors;
      if (!selectors || selectors.length === 0) continue;
      const picked = this.objects.clusterRoles.filter((c) => c !== r && selectors.some((s) => matchLabels(s.matchLabels, c.metadata.labels)));
      this.aggregated.set(r, picked);
    }
  }

  /** Whether the request is allowed. */
  allows(req: RequestAttributes): boolean {
    return this.visit(req, () => true);
  }

  /** The first rule that allows the request, in the authorizer's order; undefined when denied. */
  allowingRule(req: RequestAttributes): AllowingRule | undefined {
    let found: AllowingRule | undefined;
    this.visit(req, (ref) => {
      found = ref;
      return true;
    });
    return found;
  }

  /** Calls `fn` for each rule that allows the request until it returns true; returns whether it did. */
  private visit(req: RequestAttributes, fn: (ref: AllowingRule) => boolean): boolean {
    for (const b of this.objects.clusterRoleBindings) {
      if (b.roleRef.kind !== 'ClusterRole' || !appliesTo(req, b.subjects, '')) continue;
      if (this.visitRole(this.clusterRoles.get(b.roleRef.name), req, fn)) return true;
    }
    if (req.namespace !== '') {
      for (const b of this.bindingsByNamespace.get(req.namespace) ?? []) {
        if (!appliesTo(req, b.subjects, req.namespace)) continue;
        const role = b.roleRef.kind === 'ClusterRole' ? this.clusterRoles.get(b.roleRef.name) : this.roles.get(`${req.namespace}/${b.roleRef.name}`);
        if (this.visitRole(role, req, fn)) return true;
      }
    }
    return false;
  }

  private visitRole(role: Role | undefined, req: RequestAttributes, fn: (ref: AllowingRule) => boolean): boolean {
    if (!role) return false;
    for (let i = 0; i < role.rules.length; i++) if (ruleAllows(req, role.rules[i]!) && fn({ role, index: i })) return true;
    for (const part of this.aggregated.get(role) ?? []) if (this.visitRole(part, req, fn)) return true;
    return false;
  }
}

function matchLabels(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector)) if (labels?.[k] !== v) return false;
  return true;
}

/** Whether one of the subjects is the request's user (appliesTo). */
export function appliesTo(req: RequestAttributes, subjects: readonly Subject[], namespace: string): boolean {
  for (const s of subjects) {
    switch (s.kind) {
      case 'User':
        if (req.user === s.name) return true;
        break;
      case 'Group':
        if (req.groups?.includes(s.name)) return true;
        break;
      case 'ServiceAccount': {
        const ns = s.namespace || namespace;
        if (ns !== '' && req.user === `system:serviceaccount:${ns}:${s.name}`) return true;
        break;
      }
    }
  }
  return false;
}

/** Whether one rule allows the request (RuleAllows). */
export function ruleAllows(req: RequestAttributes, rule: PolicyRule): boolean {
  if (!has(rule.verbs, req.verb)) return false;
  if (req.resourceRequest) {
    const combined = req.subresource !== '' ? `${req.resource}/${req.subresource}` : req.resource;
    return has(rule.apiGroups, req.apiGroup) && resourceMatches(rule.resources, combined, req.subresource) && nameMatches(rule.resourceNames, req.name);
  }
  for (const url of rule.nonResourceURLs ?? []) {
    if (url === '*' || url === req.path) return true;
    if (url.endsWith('*') && req.path.startsWith(url.replace(/\*+$/, ''))) return true;
  }
  return false;
}

function has(list: readonly string[] | undefined, value: string): boolean {
  if (!list) return false;
  for (const v of list) if (v === '*' || v === value) return true;
  return false;
}

function resourceMatches(resources: readonly string[] | undefined, combined: string, subresource: string): boolean {
  for (const r of resources ?? []) {
    if (r === '*' || r === combined) return true;
    if (subresource !== '' && r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

function nameMatches(names: readonly string[] | undefined, name: string): boolean {
  if (!names || names.length === 0) return true;
  return names.includes(name);
}
