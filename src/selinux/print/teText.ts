// The small pieces of the kernel policy language (.te) that statements are
// made of: name lists and sets, MLS levels and ranges, boolean expressions.
// Statements themselves are printed by teStatement.ts.
import type { BoolExpr, MlsLevel, MlsRange, NameList } from '../ir/index.js';
import { isNameSet } from '../ir/index.js';

/** One name as itself, several as `{ a b }`. */
export function spaceList(items: readonly string[]): string {
  return items.length === 1 ? items[0]! : `{ ${items.join(' ')} }`;
}

/** A rule's permissions: `read`, `{ read write }`, `~{ read write }` or `*`. */
export function tePerms(perms: readonly string[], complement: boolean | undefined): string {
  if (!complement) return spaceList(perms);
  return perms.length === 0 ? '*' : `~${spaceList(perms)}`;
}

/** `a`, `{ a b }`, `{ a -b }`, `~a`, `~{ a b }` or `*`. */
export function teNames(list: NameList): string {
  if (!isNameSet(list)) return spaceList(list);
  const excluded = list.exclude ?? [];
  const items = [...list.names, ...excluded.map((n) => `-${n}`)];
  // A lone name needs no braces; an exclusion always does (`-b` alone is not a set).
  const inner = items.length === 1 && excluded.length === 0 ? items[0]! : `{ ${items.join(' ')} }`;
  if (!list.complement) return inner;
  return items.length === 0 ? '*' : `~${inner}`;
}

/** `s0` or `s0:c0,c3.c5`. */
export function teLevel(level: MlsLevel): string {
  const cats = level.categories ?? [];
  if (cats.length === 0) return level.sensitivity;
  return `${level.sensitivity}:${cats.map((c) => (typeof c === 'string' ? c : `${c[0]}.${c[1]}`)).join(',')}`;
}

/** `s0` or `s0 - s0:c0.c1023` (the spaces matter: `s0-s0` would read as one name). */
export function teRange(range: MlsRange): string {
  return range.high ? `${teLevel(range.low)} - ${teLevel(range.high)}` : teLevel(range.low);
}

const BOOL_OPERATOR = { and: '&&', or: '||', xor: '^', eq: '==', neq: '!=' } as const;

/**
 * A condition as checkmodule reads it back into the same tree. Its operators
 * bind, loosest first: `||`, `^`, `&&`, `!`, then `==` and `!=`; so a binary
 * operand is parenthesised unless it is the left operand of the same operator
 * (`a && b && c` is `(a && b) && c`), and a `!` operand of `==`/`!=` is too
 * (`!a == b` means `!(a == b)`). The caller adds the parentheses of `if (...)`.
 */
export function teBoolExpr(e: BoolExpr): string {
  switch (e.op) {
    case 'bool':
      return e.name;
    case 'not':
      return `!${e.operand.op === 'bool' || e.operand.op === 'not' ? teBoolExpr(e.operand) : `(${teBoolExpr(e.operand)})`}`;
    default: {
      const comparison = e.op === 'eq' || e.op === 'neq';
      const bare = (child: BoolExpr, left: boolean): boolean => child.op === 'bool' || (child.op === 'not' && !comparison) || (left && child.op === e.op);
      const operand = (child: BoolExpr, left: boolean): string => (bare(child, left) ? teBoolExpr(child) : `(${teBoolExpr(child)})`);
      return `${operand(e.left, true)} ${BOOL_OPERATOR[e.op]} ${operand(e.right, false)}`;
    }
  }
}
