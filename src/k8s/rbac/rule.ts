// The RBAC objects Porthole reads and writes (rbac.authorization.k8s.io/v1),
// as plain data, and the rule helpers Kubernetes uses on them: building a rule
// with sorted, de-duplicated lists (RuleOrDie), breaking a rule down into one
// rule per (group, resource, verb, name) (BreakdownRule), and the compact text
// of a rule its sorting compares (CompactString). An absent list and an empty
// one are different values here, as Go's nil and empty slices are to
// reflect.DeepEqual.

/** One rule of a Role or ClusterRole. Absent lists are `undefined`. */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[] | undefined;
  resources?: string[] | undefined;
  resourceNames?: string[] | undefined;
  nonResourceURLs?: string[] | undefined;
}

export interface ObjectMeta {
  name: string;
  namespace?: string | undefined;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
}

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  apiGroup?: string | undefined;
  namespace?: string | undefined;
}

export interface RoleRef {
  apiGroup: string;
  kind: 'Role' | 'ClusterRole';
  name: string;
}

export interface AggregationRule {
  clusterRoleSelectors: { matchLabels?: Record<string, string> | undefined }[];
}

export interface Role {
  kind: 'Role' | 'ClusterRole';
  metadata: ObjectMeta;
  rules: PolicyRule[];
  aggregationRule?: AggregationRule | undefined;
}

export interface RoleBinding {
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  metadata: ObjectMeta;
  roleRef: RoleRef;
  subjects: Subject[];
}

/** A set of RBAC objects, by kind, in order. */
export interface RbacObjects {
  roles: Role[];
  clusterRoles: Role[];
  roleBindings: RoleBinding[];
  clusterRoleBindings: RoleBinding[];
}

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

export function emptyRbacObjects(): RbacObjects {
  return { roles: [], clusterRoles: [], roleBindings: [], clusterRoleBindings: [] };
}

/** Sorted and de-duplicated (Go's sets.NewString(...).List()). */
export function sortedSet(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareStrings);
}

/** Go's strings.Compare: by UTF-16 code unit, which orders like bytes for the BMP. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A resource rule as NewRule(verbs).Groups(g).Resources(r).RuleOrDie() builds it. */
export function resourceRule(verbs: readonly string[], groups: readonly string[], resources: readonly string[]): PolicyRule {
  return { verbs: sortedSet(verbs), apiGroups: sortedSet(groups), resources: sortedSet(resources) };
}

/** A non-resource rule as NewRule(verbs).URLs(urls).RuleOrDie() builds it. */
export function urlRule(verbs: readonly string[], urls: readonly string[]): PolicyRule {
  return { verbs: sortedSet(verbs), nonResourceURLs: sortedSet(urls) };
}

/** One rule per group, resource, verb (and name); then one per URL and verb (BreakdownRule). */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs) {
        if ((rule.resourceNames ?? []).length > 0) {
          for (const name of rule.resourceNames!) out.push({ verbs: [verb], apiGroups: [group], resources: [resource], resourceNames: [name] });
        } else {
          out.push({ verbs: [verb], apiGroups: [group], resources: [resource] });
        }
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs) out.push({ verbs: [verb], nonResourceURLs: [url] });
  return out;
}

/** Equal as reflect.DeepEqual sees two lists: absent and empty differ. */
export function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function sameRule(a: PolicyRule, b: PolicyRule): boolean {
  return (
    sameList(a.verbs, b.verbs) &&
    sameList(a.apiGroups, b.apiGroups) &&
    sameList(a.resources, b.resources) &&
    sameList(a.resourceNames, b.resourceNames) &&
    sameList(a.nonResourceURLs, b.nonResourceURLs)
  );
}

/** The rule as Kubernetes' CompactString writes it: `{APIGroups:["" "apps"], Resources:["pods"], Verbs:["get"]}`. */
export function compactString(r: PolicyRule): string {
  const parts: string[] = [];
  if ((r.apiGroups ?? []).length > 0) parts.push(`APIGroups:${goQuoteList(r.apiGroups!)}`);
  if ((r.resources ?? []).length > 0) parts.push(`Resources:${goQuoteList(r.resources!)}`);
  if ((r.nonResourceURLs ?? []).length > 0) parts.push(`NonResourceURLs:${goQuoteList(r.nonResourceURLs!)}`);
  if ((r.resourceNames ?? []).length > 0) parts.push(`ResourceNames:${goQuoteList(r.resourceNames!)}`);
  if (r.verbs.length > 0) parts.push(`Verbs:${goQuoteList(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}

/** fmt's %q of a []string: `["a" "b"]`. */
function goQuoteList(list: readonly string[]): string {
  return `[${list.map(goQuote).join(' ')}]`;
}

/** strconv.Quote: printable characters as they are, the rest escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0x80 && c < 0xa0) out += `\\u00${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}
