// Compaction of a role's rules, as audit2rbac does it: break every rule down
// (one group, resource, verb and name each), merge the pieces that differ only
// by verb (Kubernetes' CompactRules), then merge rules that differ only by
// resource names, or only by resources, and sort by API groups and the rule's
// compact text. CompactRules emits the merged rules in Go map order, which
// varies from run to run, and the second pass depends on that order when
// names are involved: audit2rbac's output can then change between runs. In
// `audit2rbac` mode the merged rules come in first-seen order (one of the
// orders Go may pick); by default they come sorted by group, resource and
// name, so the output is always the same. audit2rbac also merges a rule
// without names into one with names (which then allows only those names);
// by default a rule without names merges only with another without names.
import type { RbacMode } from './request.js';
import { breakdownRule, compactString, compareStrings, type PolicyRule, sortedSet } from './rule.js';

export function compactRules(rules: readonly PolicyRule[], mode: RbacMode = 'porthole'): PolicyRule[] {
  const pieces = rules.flatMap(breakdownRule);
  const compacted: PolicyRule[] = [];
  const simple = new Map<string, { key: [string, string, boolean, string]; rule: PolicyRule }>();
  for (const rule of pieces) {
    const key = simpleKey(rule);
    if (!key) {
      compacted.push(rule);
      continue;
    }
    const id = JSON.stringify(key);
    const seen = simple.get(id);
    if (seen) seen.rule.verbs.push(...rule.verbs);
    else simple.set(id, { key, rule: cloneRule(rule) });
  }
  const merged = [...simple.values()];
  if (mode === 'porthole') merged.sort((a, b) => compareKeys(a.key, b.key));
  for (const m of merged) compacted.push(m.rule);
  for (const r of compacted) r.verbs = sortedSet(r.verbs);

  // The first earlier rule that equals this one but for names, or but for
  // resources, found through two indexes (key -> positions) kept up to date
  // as rules merge, not by comparing with every earlier rule.
  const acc: PolicyRule[] = [];
  const byNameless = new Map<string, Set<number>>();
  const byResourceless = new Map<string, Set<number>>();
  const namelessKey = (r: PolicyRule): string => JSON.stringify([r.verbs, r.apiGroups ?? null, r.resources ?? null, r.nonResourceURLs ?? null, mode === 'audit2rbac' || hasNames(r)]);
  const resourcelessKey = (r: PolicyRule): string => JSON.stringify([r.verbs, r.apiGroups ?? null, r.resourceNames ?? null, r.nonResourceURLs ?? null]);
  const add = (m: Map<string, Set<number>>, k: string, j: number): void => {
    let set = m.get(k);
    if (!set) m.set(k, (set = new Set()));
    set.add(j);
  };
  const first = (set: Set<number> | undefined): number => {
    let min = Number.POSITIVE_INFINITY;
    for (const j of set ?? []) if (j < min) min = j;
    return min;
  };
  for (const rule of compacted) {
    if ((rule.resources ?? []).length === 0) {
      acc.push(rule);
      continue;
    }
    const nk = namelessKey(rule);
    const rk = resourcelessKey(rule);
    const jn = first(byNameless.get(nk));
    const jr = first(byResourceless.get(rk));
    if (jn === Number.POSITIVE_INFINITY && jr === Number.POSITIVE_INFINITY) {
      const j = acc.push(rule) - 1;
      add(byNameless, nk, j);
      add(byResourceless, rk, j);
      continue;
    }
    // Names are compared first: at the same position, a name merge wins.
    const j = Math.min(jn, jr);
    const a = acc[j]!;
    const merged: PolicyRule =
      j === jn ? { ...a, resourceNames: sortedSet([...(a.resourceNames ?? []), ...(rule.resourceNames ?? [])]) } : { ...a, resources: sortedSet([...(a.resources ?? []), ...(rule.resources ?? [])]) };
    byNameless.get(namelessKey(a))?.delete(j);
    byResourceless.get(resourcelessKey(a))?.delete(j);
    acc[j] = merged;
    add(byNameless, namelessKey(merged), j);
    add(byResourceless, resourcelessKey(merged), j);
  }
  const keyed = acc.map((r) => ({ r, groups: (r.apiGroups ?? []).join(','), text: compactString(r) }));
  keyed.sort((a, b) => compareStrings(a.groups, b.groups) || compareStrings(a.text, b.text));
  return keyed.map((k) => k.r);
}

const hasNames = (r: PolicyRule): boolean => (r.resourceNames ?? []).length > 0;

/** A rule of one group, one resource, at most one name and nothing else (isSimpleResourceRule). */
function simpleKey(rule: PolicyRule): [string, string, boolean, string] | undefined {
  if ((rule.resourceNames ?? []).length > 1 || (rule.nonResourceURLs ?? []).length > 0) return undefined;
  if (rule.apiGroups?.length !== 1 || rule.resources?.length !== 1) return undefined;
  if (rule.nonResourceURLs !== undefined) return undefined;
  const name = rule.resourceNames?.[0];
  return [rule.apiGroups[0]!, rule.resources[0]!, name !== undefined, name ?? ''];
}

function compareKeys(a: [string, string, boolean, string], b: [string, string, boolean, string]): number {
  return compareStrings(a[0], b[0]) || compareStrings(a[1], b[1]) || Number(a[2]) - Number(b[2]) || compareStrings(a[3], b[3]);
}

function cloneRule(r: PolicyRule): PolicyRule {
  const out: PolicyRule = { verbs: [...r.verbs] };
  if (r.apiGroups) out.apiGroups = [...r.apiGroups];
  if (r.resources) out.resources = [...r.resources];
  if (r.resourceNames) out.resourceNames = [...r.resourceNames];
  if (r.nonResourceURLs) out.nonResourceURLs = [...r.nonResourceURLs];
  return out;
}
