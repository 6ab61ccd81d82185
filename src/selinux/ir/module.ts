// The one SELinux IR: a policy module. A module learned from denials and one
// written by hand are the same value; every printer (te, CIL, ...) reads it.

/** Where a fact came from: a file and a 1-based line. */
export interface SourceLoc {
  file: string;
  line: number;
}

/** Why a rule exists: the log records that justified it. */
export interface Evidence {
  /** The first few locations, in input order. */
  locs: SourceLoc[];
  /** How many records in all. */
  count: number;
}

export type AvRuleKind = 'allow' | 'dontaudit' | 'auditallow' | 'neverallow';
export type XpermRuleKind = 'allowxperm' | 'dontauditxperm' | 'auditallowxperm' | 'neverallowxperm';

/** `allow src tgt:class perms;` ("self" is a target like any other name). */
export interface AvRule {
  kind: 'av';
  rule: AvRuleKind;
  sources: string[];
  targets: string[];
  classes: string[];
  /** Sorted, no duplicates. */
  perms: string[];
  /** Comment lines printed above the rule, without the leading '#'. */
  comment?: string[];
  /** Analysis notes (`#!!!! ...`) printed after the comment, as they are (with their '#'). */
  notes?: string[];
  evidence?: Evidence;
}

/** An inclusive range of extended permission values, e.g. ioctl numbers. */
export type XpermRange = readonly [number, number];

/** `allowxperm src tgt:class ioctl { 0x5401 0x5403-0x5405 };` */
export interface XpermRule {
  kind: 'xperm';
  rule: XpermRuleKind;
  sources: string[];
  targets: string[];
  classes: string[];
  operation: string;
  /** Sorted, non-overlapping, non-adjacent. */
  ranges: XpermRange[];
  evidence?: Evidence;
}

/** `role R types T;` for each type. */
export interface RoleTypes {
  kind: 'roletypes';
  role: string;
  /** Sorted, no duplicates. */
  types: string[];
  evidence?: Evidence;
}

export type Statement = AvRule | XpermRule | RoleTypes;

/** The `require { }` block of a non-base module. */
export interface Require {
  /** Sorted. */
  types: string[];
  /** Class name and its sorted permissions, in first-use order. */
  classes: Array<[string, string[]]>;
  /** Sorted. */
  roles: string[];
}

export interface Module {
  /** Absent for a plain rule list (no `module` line). */
  name?: string;
  version?: string;
  require?: Require;
  statements: Statement[];
}
