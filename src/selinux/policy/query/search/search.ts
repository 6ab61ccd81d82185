// Rule search over a binary policy: what `sesearch` (setools 4.4) finds and
// prints. A query names rule types and optional criteria (source, target,
// classes, permissions, booleans, default type, ioctls); the result is the
// matching rules of the policy as stored (the avtab keeps attributes where
// the compiler kept them), each with its sesearch line, sorted as sesearch
// sorts (by that line).
//
// Matching follows setools' TERuleQuery / RBACRuleQuery / MLSRuleQuery:
// - indirect (default): a type or attribute criterion matches a rule whose
//   source (target) shares at least one type with it, after expanding
//   attributes to their member types; direct (-ds / -dt): the rule names it.
// - an attribute with no member types is "false" in setools and so is no
//   criterion at all: `-s empty_attr` matches every rule.
// - permissions: any listed permission (or the exact set, or a subset);
//   type rules never match a permission criterion; extended-permission rules
//   match when their kind (`ioctl`) is one of the listed permissions.
// - regular expressions (-rs, -rt, -rc, -rd, -rb): Python syntax, found
//   anywhere in the name (re.search). Indirect source/target patterns match
//   a rule whose source (target) has a member type whose name matches (an
//   attribute's own name is not tried); direct ones match the name the rule
//   holds. A class or boolean pattern matches any class or boolean name.
// Criteria are checked in setools' order, so the first unknown name reported
// is the one sesearch reports (target before source).
//
// Candidates come from per-source and per-target indexes of the avtab (built
// once per table) or, with source, target and class, from the (s, t, c) hash

import { type Diagnostic, PortholeError } from '../../../../base/diagnostic.js';
import type { Policy } from '../../model.js';
import type { FoundRule, SearchQuery } from './searchQuery.js';
import { searchMlsRules, searchRbacRules } from './searchRoles.js';
import { searchTeRules } from './searchTe.js';

export { parseXperms } from './searchCriteria.js';
export type { FoundRule, MlsRuleType, RbacRuleType, SearchQuery, TeRuleType } from './searchQuery.js';
export { TE_RULE_TYPES } from './searchQuery.js';
export { searchMlsRules, searchRbacRules } from './searchRoles.js';
export { searchTeRules } from './searchTe.js';

/** Every group of the query in sesearch's order (TE, RBAC, MLS); throws the first bad criterion (a PortholeError). */
export function searchPolicy(p: Policy, q: SearchQuery): FoundRule[] {
  return [...searchTeRules(p, q), ...searchRbacRules(p, q), ...searchMlsRules(p, q)];
}

/** What a search gives: the rules found and, when a criterion is bad, its diagnostic. */
export interface SearchResult {
  rules: FoundRule[];
  error?: Diagnostic;
}

/**
 * What sesearch prints for a query: the rules of each group (TE, RBAC, MLS) in turn; a bad
 * criterion of a group stops there, after the rules of the groups before it, as sesearch does.
 */
export function searchRules(p: Policy, q: SearchQuery): SearchResult {
  const rules: FoundRule[] = [];
  for (const group of [searchTeRules, searchRbacRules, searchMlsRules]) {
    try {
      rules.push(...group(p, q));
    } catch (e) {
      if (!(e instanceof PortholeError) || !e.diagnostics[0]) throw e;
      return { rules, error: e.diagnostics[0] };
    }
  }
  return { rules };
}
