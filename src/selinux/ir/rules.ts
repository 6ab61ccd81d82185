// The rules of the module IR: access vector rules (allow, auditallow,
// dontaudit, neverallow), their extended-permission forms, type rules
// (type_transition, type_change, type_member), range_transition,
// role_transition and role allow. Declarations are in declarations.ts,
// conditional and optional blocks in blocks.ts.
import type { MlsRange } from './mls.js';
import type { NameList } from './names.js';
import type { StatementBase } from './statement.js';

/**
 * `auditdeny` is checkmodule's old spelling of the opposite of dontaudit:
 * `auditdeny s t:c p;` audits the denials of `p` only, i.e. dontaudit of every
 * other permission (hand-written modules only).
 */
export type AvRuleKind = 'allow' | 'dontaudit' | 'auditallow' | 'neverallow' | 'auditdeny';
export type XpermRuleKind = 'allowxperm' | 'dontauditxperm' | 'auditallowxperm' | 'neverallowxperm';
export type TypeRuleKind = 'type_transition' | 'type_change' | 'type_member';

/** `allow src tgt:class perms;` ("self" is a target like any other name). */
export interface AvRule extends StatementBase {
  kind: 'av';
  rule: AvRuleKind;
  sources: NameList;
  targets: NameList;
  classes: string[];
  /** Sorted, no duplicates, in a learned rule; as written in a hand-written one. */
  perms: string[];
  /**
   * `~perms`: every permission of the classes but these; with no perms it is
   * `*` (every permission). Only in hand-written rules (checkmodule resolves
   * it against the classes' permissions).
   */
  permsComplement?: boolean;
  /** Comment lines printed above the rule, without the leading '#'. */
  comment?: string[];
  /** Analysis notes (`#!!!! ...`) printed after the comment, as they are (with their '#'). */
  notes?: string[];
}

/** An inclusive range of extended permission values, e.g. ioctl numbers. */
export type XpermRange = readonly [number, number];

/**
 * `allowxperm src tgt:class ioctl { 0x5401 0x5403-0x5405 };`. A complemented
 * set (`~{ 0x5401 }`) is stored as the ranges it stands for, as checkmodule
 * stores it.
 */
export interface XpermRule extends StatementBase {
  kind: 'xperm';
  rule: XpermRuleKind;
  sources: NameList;
  targets: NameList;
  classes: string[];
  operation: string;
  /** Sorted, non-overlapping, non-adjacent. */
  ranges: XpermRange[];
}

/** `type_transition src tgt:class result ["name"];`, `type_change ...;`, `type_member ...;`. */
export interface TypeRule extends StatementBase {
  kind: 'typerule';
  rule: TypeRuleKind;
  sources: NameList;
  targets: NameList;
  classes: string[];
  /** The new type. */
  result: string;
  /** The object name of a name-based type_transition (printed quoted); only with type_transition. */
  objectName?: string;
}

/** `range_transition src tgt[:class] low - high;` (no class means `process`). */
export interface RangeTransition extends StatementBase {
  kind: 'range_transition';
  sources: NameList;
  targets: NameList;
  /** Empty for the short form, which checkmodule reads as `process`. */
  classes: string[];
  range: MlsRange;
}

/** `role_transition roles types[:class] newrole;` (no class means `process`). */
export interface RoleTransition extends StatementBase {
  kind: 'role_transition';
  roles: string[];
  types: NameList;
  /** Empty for the short form, which checkmodule reads as `process`. */
  classes: string[];
  result: string;
}

/** `allow roles newroles;`: a role may change to another. */
export interface RoleAllow extends StatementBase {
  kind: 'role_allow';
  roles: string[];
  newRoles: string[];
}

export type Rule = AvRule | XpermRule | TypeRule | RangeTransition | RoleTransition | RoleAllow;

// Extended permission sets (ioctl numbers) as sorted, merged ranges.

/** Adds a range, keeping the list sorted and merging overlapping or adjacent ranges. */
export function addXpermRange(ranges: XpermRange[], range: XpermRange): void {
  ranges.push(range);
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let i = 0;
  while (i < ranges.length - 1) {
    const cur = ranges[i]!;
    const next = ranges[i + 1]!;
    if (next[0] <= cur[1] + 1) {
      ranges[i] = [cur[0], Math.max(cur[1], next[1])];
      ranges.splice(i + 1, 1);
    } else {
      i++;
    }
  }
}

/** `0x5401`, or `{ 0x5401 0x5403-0x5405 }`, as sepolgen prints an xperm set. */
export function formatXperms(ranges: readonly XpermRange[]): string {
  const hex = (n: number): string => '0x' + n.toString(16);
  const one = ranges[0];
  if (ranges.length === 1 && one && one[0] === one[1]) return hex(one[0]);
  return '{ ' + ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join(' ') + ' }';
}
