// RBAC and MLS rule search (sesearch --role_allow, --role_trans, --range_trans): role allow
// and role_transition rules, and range_transition rules, as setools' RBACRuleQuery and
// MLSRuleQuery match them.

import { fail } from '../../../../base/diagnostic.js';
import type { Policy } from '../../model.js';
import { classCriterion, namesMatching, searchPattern, type TypeMatch, typeCriterion } from './searchCriteria.js';
import { formatRange } from './searchFormat.js';
import { type FoundRule, found, type SearchQuery, sortRules } from './searchQuery.js';
import { parseSearchRange, sameRange } from './searchRange.js';

/** Role allow and role_transition rules matching the query, sorted as sesearch sorts them. */
export function searchRbacRules(p: Policy, q: SearchQuery): FoundRule[] {
  const types = q.rbac ?? [];
  if (types.length === 0) return [];
  const roleOf = (name: string): number => {
    const v = p.index.roleValues.get(name);
    if (v === undefined) fail('unknown-name', `${name} is not a valid role`, { data: { kind: 'role', name } });
    return v;
  };
  const oneRole = (v: number): Uint8Array => {
    const ok = new Uint8Array(p.roles.length + 1);
    ok[v] = 1;
    return ok;
  };
  // Target: a type or attribute, else a role; with -rt a pattern for either.
  let tgtRole: Uint8Array | undefined;
  let tgtType: TypeMatch;
  let tgtGiven = false;
  if (q.target) {
    tgtGiven = true;
    if (q.targetRegex) {
      tgtRole = namesMatching(p.roles, searchPattern(q.target));
      tgtType = typeCriterion(p, q.target, !!q.targetDirect, true);
    } else if (p.index.typeValues.has(q.target)) {
      tgtType = typeCriterion(p, q.target, !!q.targetDirect);
      tgtGiven = tgtType !== undefined;
    } else tgtRole = oneRole(roleOf(q.target));
  }
  const roleCriterion = (name: string | undefined, regex: boolean | undefined): Uint8Array | undefined =>
    !name ? undefined : regex ? namesMatching(p.roles, searchPattern(name)) : oneRole(roleOf(name));
  const srcRole = roleCriterion(q.source, q.sourceRegex);
  const dfltRole = roleCriterion(q.default, q.defaultRegex);
  const cls = classCriterion(p, q.classes, !!q.classRegex);
  const roleName = (v: number): string => p.roles[v - 1]?.name ?? `role${v}`;
  const out: FoundRule[] = [];
  if (types.includes('role_allow') && !cls && dfltRole === undefined) {
    for (const ra of p.roleAllows) {
      if (srcRole && !srcRole[ra.role]) continue;
      if (tgtGiven && !tgtRole?.[ra.newRole]) continue;
      const source = roleName(ra.role);
      const target = roleName(ra.newRole);
      out.push(found('allow', 'rbac', source, target, undefined, `allow ${source} ${target};`));
    }
  }
  if (types.includes('role_transition')) {
    for (const rt of p.roleTransitions) {
      if (srcRole && !srcRole[rt.role]) continue;
      if (tgtGiven && !tgtType?.[rt.type]) continue;
      if (cls && !cls[rt.tclass]) continue;
      if (dfltRole && !dfltRole[rt.newRole]) continue;
      const source = roleName(rt.role);
      const target = p.types[rt.type - 1]!.name;
      const tclass = p.classes[rt.tclass - 1]!.name;
      const dflt = roleName(rt.newRole);
      out.push(found('role_transition', 'rbac', source, target, tclass, `role_transition ${source} ${target}:${tclass} ${dflt};`, { dflt }));
    }
  }
  return sortRules(out);
}

// ------------------------------------------------------------------ MLS rules

/** range_transition rules matching the query, sorted as sesearch sorts them. A default (-D) is a range, matched exactly (never a pattern: sesearch ignores -rd here). */
export function searchMlsRules(p: Policy, q: SearchQuery): FoundRule[] {
  const types = q.mls ?? [];
  if (types.length === 0) return [];
  const tgt = typeCriterion(p, q.target, !!q.targetDirect, !!q.targetRegex);
  const src = typeCriterion(p, q.source, !!q.sourceDirect, !!q.sourceRegex);
  const dflt = q.default ? parseSearchRange(p, q.default) : undefined;
  const cls = classCriterion(p, q.classes, !!q.classRegex);
  const out: FoundRule[] = [];
  for (const rt of p.rangeTransitions) {
    if ((src && !src[rt.source]) || (tgt && !tgt[rt.target]) || (cls && !cls[rt.tclass]) || (dflt && !sameRange(rt.range, dflt))) continue;
    const source = p.types[rt.source - 1]!.name;
    const target = p.types[rt.target - 1]!.name;
    const tclass = p.classes[rt.tclass - 1]!.name;
    const range = formatRange(p, rt.range);
    out.push(found('range_transition', 'mls', source, target, tclass, `range_transition ${source} ${target}:${tclass} ${range};`, { range }));
  }
  return sortRules(out);
}
