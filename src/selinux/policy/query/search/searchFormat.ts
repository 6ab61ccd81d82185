// Text of rules as sesearch (setools 4.4) prints them: conditional
// expressions in setools' infix form, ioctl sets as ranges, MLS levels and
// ranges with category runs. Pure functions over names and numbers.

import type { CondExpr } from '../../model.js';
import { formatLevel, formatRange } from '../listFormat.js';

/** Operator text and precedence, as setools' ConditionalOperator has them. */
const COND_OPS: Record<Exclude<CondExpr['kind'], 'bool'>, [string, number]> = {
  not: ['!', 5],
  or: ['||', 1],
  and: ['&&', 3],
  xor: ['^', 2],
  eq: ['==', 4],
  neq: ['!=', 4],
};

type Infix = string | Infix[];

function flatten(node: Infix, out: string[]): void {
  if (typeof node === 'string') out.push(node);
  else for (const n of node) flatten(n, out);
}

/**
 * A conditional expression (postfix, as stored) in the infix text setools
 * prints. This reproduces setools' algorithm, quirks included: the operands of
 * a binary operator come out right-hand first (`b1 && !b2` is stored
 * `b1 b2 ! &&` and printed `! b2 && b1`), and whether parentheses are added
 * depends on the precedence of the operator handled just before, not on the
 * operand's own operator.
 */
export function formatCondExpr(expr: readonly CondExpr[], boolName: (value: number) => string): string {
  const stack: Infix[] = [];
  let prevPrecedence = 5;
  for (const node of expr) {
    if (node.kind === 'bool') {
      stack.push(boolName(node.bool));
      continue;
    }
    const [text, precedence] = COND_OPS[node.kind];
    if (node.kind === 'not') {
      const operand = stack.pop() ?? '';
      stack.push(Array.isArray(operand) ? [text, '(', operand, ')'] : [text, operand]);
    } else {
      const operand1 = stack.pop() ?? '';
      const operand2 = stack.pop() ?? '';
      stack.push(prevPrecedence > precedence ? [operand1, text, operand2] : ['(', operand1, text, operand2, ')']);
    }
    prevPrecedence = precedence;
  }
  const out: string[] = [];
  flatten(stack, out);
  return out.join(' ');
}

/** Sorted, disjoint, non-adjacent [low, high] runs of a set of numbers. */
export function toRanges(values: Iterable<number>): [number, number][] {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && last[1] + 1 === v) last[1] = v;
    else out.push([v, v]);
  }
  return out;
}

function hex4(n: number): string {
  return '0x' + n.toString(16).padStart(4, '0');
}

/** An ioctl set as setools' IoctlSet prints it: `0x8900-0x8905 0x1234`, ranges space-separated. */
export function formatIoctlRanges(ranges: readonly (readonly [number, number])[]): string {
  return ranges.map(([lo, hi]) => (lo === hi ? hex4(lo) : `${hex4(lo)}-${hex4(hi)}`)).join(' ');
}

/** The ioctl numbers of one avtab xperm record, as runs: a driver record covers whole drivers. */
export function xpermRanges(specified: number, driver: number, perms: ArrayLike<number>): [number, number][] {
  const out: [number, number][] = [];
  for (let bit = 0; bit < 256; bit++) {
    if (((perms[bit >>> 5]! >>> (bit & 31)) & 1) === 0) continue;
    const [lo, hi] = specified === 2 ? [bit << 8, (bit << 8) | 0xff] : [(driver << 8) | bit, (driver << 8) | bit];
    const last = out[out.length - 1];
    if (last && last[1] + 1 === lo) last[1] = hi;
    else out.push([lo, hi]);
  }
  return out;
}

// Levels and ranges print as seinfo prints them (listFormat.ts).
export { formatLevel, formatRange };

/** Permission names in sesearch's form: one bare, several `{ a b }` (sorted by the caller). */
export function formatPermSet(perms: readonly string[]): string {
  return perms.length === 1 ? perms[0]! : `{ ${perms.join(' ')} }`;
}
