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
import { breakdownRule, compactString, compareStrings, type PolicyRule, sameRule, sortedSet } from './rule.js';

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

  const acc: PolicyRule[] = [];
  for (const rule of compacted) {
    if ((rule.resources ?? []).length === 0) {
      acc.push(rule);
      continue;
    }
    const resourceless: PolicyRule = { ...rule, resources: undefined };
    const nameless: PolicyRule = { ...rule, resourceNames: undefined };
    let done = false;
    for (let j = 0; j < acc.length; j++) {
      const a = acc[j]!;
      // audit2rbac merges a rule without names into one with names, which then allows only those names; by default only rules that both have names merge.
      if (sameRule(nameless, { ...a, resourceNames: undefined }) && (mode === 'audit2rbac' || hasNames(rule) === hasNames(a))) {
        acc[j] = { ...a, resourceNames: sortedSet([...(a.resourceNames ?? []), ...(rule.resourceNames ?? [])]) };
        done = true;
        break;
      }
      if (sameRule(resourceless, { ...a, resources: undefined })) {
        acc[j] = { ...a, resources: sortedSet([...(a.resources ?? []), ...(rule.resources ?? [])]) };
        done = true;
        break;
      }
    }
    if (!done) acc.push(rule);
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
