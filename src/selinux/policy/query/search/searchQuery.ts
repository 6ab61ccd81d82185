// The shapes of a rule search (`policy search`, sesearch): the query, one rule found (with the
// line sesearch prints) and the helpers every group of rules builds its results with.

export const TE_RULE_TYPES = [
  'allow',
  'auditallow',
  'dontaudit',
  'neverallow',
  'allowxperm',
  'auditallowxperm',
  'dontauditxperm',
  'neverallowxperm',
  'type_transition',
  'type_change',
  'type_member',
] as const;
export type TeRuleType = (typeof TE_RULE_TYPES)[number];
export type RbacRuleType = 'role_allow' | 'role_transition';
export type MlsRuleType = 'range_transition';

export interface SearchQuery {
  /** TE rule types to search (sesearch -A, --allow, -T, ...). */
  te?: readonly TeRuleType[];
  /** RBAC rule types (--role_allow, --role_trans). */
  rbac?: readonly RbacRuleType[];
  /** MLS rule types (--range_trans). */
  mls?: readonly MlsRuleType[];
  /** Source type or attribute (a role for RBAC rules). */
  source?: string;
  /** Target type or attribute (a role or a type for RBAC rules). */
  target?: string;
  /** Match the source (target) itself, without expanding attributes (-ds / -dt). */
  sourceDirect?: boolean;
  targetDirect?: boolean;
  /** Object classes, any of. */
  classes?: readonly string[];
  /** Permissions: any of (default), exactly these (permsEqual, -ep), or all of these (permsSubset, -Sp). */
  perms?: readonly string[];
  permsEqual?: boolean;
  permsSubset?: boolean;
  /**
   * Extended permissions (ioctl numbers) as [low, high] ranges, or as sesearch's -x text
   * (`0x8910,0x8900-0x89ff`, parsed when the TE criteria are, so errors come in sesearch's order):
   * any of, or exactly (xpermsEqual, -ex). Only xperm rules can match.
   */
  xperms?: readonly (readonly [number, number])[] | string;
  xpermsEqual?: boolean;
  /** Default (new) type of type rules, or new role of role_transition rules (-D). */
  default?: string;
  /** Booleans of the conditional expression: any of, or exactly these (boolsEqual, -eb). */
  bools?: readonly string[];
  boolsEqual?: boolean;
  /**
   * Regular expressions instead of names (sesearch -rs, -rt, -rc, -rd, -rb): source, target and
   * default are patterns; `classes` and `bools` are patterns, any of which may match (sesearch
   * passes its -c or -b text whole as one). Python syntax, found anywhere in the name; with
   * boolsRegex, boolsEqual does not apply.
   */
  sourceRegex?: boolean;
  targetRegex?: boolean;
  classRegex?: boolean;
  defaultRegex?: boolean;
  boolsRegex?: boolean;
}

export interface FoundRule {
  /** The keyword sesearch prints: `allow`, `type_transition`, `role_transition`, `range_transition`, ... (`allow` for a role allow). */
  ruletype: string;
  /** Which table the rule came from. */
  group: 'te' | 'rbac' | 'mls';
  source: string;
  target: string;
  tclass?: string | undefined;
  /** Permissions of an AV rule, sorted. */
  perms?: string[] | undefined;
  /** Extended permissions of an xperm rule. */
  xpermType?: string | undefined;
  xperms?: [number, number][] | undefined;
  /** New type (type rules), new role (role_transition). */
  default?: string | undefined;
  /** File name of a name type_transition. */
  filename?: string | undefined;
  /** Range of a range_transition. */
  range?: string | undefined;
  conditional?: { expression: string; booleans: string[]; block: boolean } | undefined;
  /** The line sesearch prints. */
  text: string;
}

type Cond = { expression: string; booleans: string[]; block: boolean };

/** A FoundRule with every field present (undefined when absent): one object shape for all rules. */
export function found(
  ruletype: string,
  group: FoundRule['group'],
  source: string,
  target: string,
  tclass: string | undefined,
  text: string,
  extra: { perms?: string[]; xpermType?: string; xperms?: [number, number][]; dflt?: string; filename?: string; range?: string; conditional?: Cond | undefined } = {},
): FoundRule {
  return {
    ruletype,
    group,
    source,
    target,
    tclass,
    perms: extra.perms,
    xpermType: extra.xpermType,
    xperms: extra.xperms,
    default: extra.dflt,
    filename: extra.filename,
    range: extra.range,
    conditional: extra.conditional,
    text,
  };
}

/** Python's str order (code points). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorted as sesearch sorts them: by their text. */
export function sortRules(rules: FoundRule[]): FoundRule[] {
  return rules.sort((a, b) => cmp(a.text, b.text));
}
