// The small pieces of statements, syntax tree -> IR: MLS levels and ranges
// (a category `c0.c255` is a run of categories, as checkmodule splits it at
// its dot), boolean expressions, extended permission sets (a complement
// becomes the ranges it stands for, as checkmodule stores it).
import type { BoolExpr, MlsCategory, MlsLevel, MlsRange, XpermRange } from '../../../ir/index.js';
import { addXpermRange } from '../../../ir/index.js';
import type * as te from '../ast.js';

/** Why a piece could not be lowered; the statement holding it is left out. */
export class NotLowered {
  constructor(readonly why: string) {}
}

/** `s0`, `s0:c0,c3.c5`. */
export function lowerLevel(l: te.MlsLevel): MlsLevel {
  const categories: MlsCategory[] = [];
  for (const c of l.categories) {
    const parts = c.name.split('.');
    if (parts.length === 1) categories.push(c.name);
    else if (parts.length === 2) categories.push([parts[0] as string, parts[1] as string]);
    else throw new NotLowered(`category ${c.name} has more than one '.' (checkmodule: unknown category)`);
  }
  return categories.length === 0 ? { sensitivity: l.sensitivity.name } : { sensitivity: l.sensitivity.name, categories };
}

export function lowerRange(r: te.MlsRange): MlsRange {
  const low = lowerLevel(r.low);
  return r.high === undefined ? { low } : { low, high: lowerLevel(r.high) };
}

const BOOL_OPS = { '&&': 'and', '||': 'or', '^': 'xor', '==': 'eq', '!=': 'neq' } as const;

export function lowerCondition(e: te.CondExpr): BoolExpr {
  switch (e.kind) {
    case 'bool':
      return { op: 'bool', name: e.name.name };
    case 'not':
      return { op: 'not', operand: lowerCondition(e.operand) };
    case 'binary':
      return { op: BOOL_OPS[e.op], left: lowerCondition(e.left), right: lowerCondition(e.right) };
  }
}

/** Extended permission values are 16 bits (ioctl command numbers). */
const XPERM_MAX = 0xffff;

function addXperms(item: te.XpermRange | te.XpermSet, ranges: XpermRange[]): void {
  if (item.kind === 'xpermSet') {
    for (const i of item.items) addXperms(i, ranges);
    return;
  }
  const high = item.high ?? item.low;
  if (high < item.low) throw new NotLowered(`the range 0x${item.low.toString(16)}-0x${high.toString(16)} runs backwards`);
  if (high > XPERM_MAX) throw new NotLowered(`0x${high.toString(16)} is over 0xffff, the largest extended permission`);
  addXpermRange(ranges, [item.low, high]);
}

/** An xperm set as sorted, merged ranges; a complement as the ranges of 0-0xffff it leaves. */
export function lowerXperms(e: te.XpermExpr): XpermRange[] {
  const ranges: XpermRange[] = [];
  addXperms(e.operand, ranges);
  if (!e.complement) return ranges;
  const rest: XpermRange[] = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) rest.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= XPERM_MAX) rest.push([next, XPERM_MAX]);
  if (rest.length === 0) throw new NotLowered('the complement leaves no extended permission');
  return rest;
}
