import { describe, expect, it } from 'vitest';

import type { CondExpr } from '../../model.js';
import { formatCondExpr, formatIoctlRanges, formatPermSet, toRanges, xpermRanges } from './searchFormat.js';

const names = ['b1', 'b2', 'b3', 'b4'];
const b = (n: number): CondExpr => ({ kind: 'bool', bool: n });
const op = (kind: Exclude<CondExpr['kind'], 'bool'>): CondExpr => ({ kind }) as CondExpr;
const fmt = (expr: CondExpr[]): string => formatCondExpr(expr, (v) => names[v - 1]!);

describe('formatCondExpr (setools infix, checked against sesearch)', () => {
  it('prints a single boolean and not', () => {
    expect(fmt([b(1)])).toBe('b1');
    expect(fmt([b(1), op('not')])).toBe('! b1');
  });
  it('prints the right-hand operand first', () => {
    // b1 && !b2 (checkpolicy: b1 b2 ! &&)
    expect(fmt([b(1), b(2), op('not'), op('and')])).toBe('! b2 && b1');
    expect(fmt([b(1), b(2), op('xor')])).toBe('b2 ^ b1');
    expect(fmt([b(1), b(2), op('eq')])).toBe('b2 == b1');
    expect(fmt([b(1), b(4), op('not'), op('neq')])).toBe('! b4 != b1');
  });
  it('adds parentheses by the precedence of the operator before, as setools does', () => {
    // b1 && b2 || !b3
    expect(fmt([b(1), b(2), op('and'), b(3), op('not'), op('or')])).toBe('! b3 || b2 && b1');
    // !(b1 || b2)
    expect(fmt([b(1), b(2), op('or'), op('not')])).toBe('! ( b2 || b1 )');
    // b1 && (b2 && (b3 && b4))
    expect(fmt([b(1), b(2), b(3), b(4), op('and'), op('and'), op('and')])).toBe('( ( b4 && b3 && b2 ) && b1 )');
    // (b1 || b2) && (b3 || b4)
    expect(fmt([b(1), b(2), op('or'), b(3), b(4), op('or'), op('and')])).toBe('( ( b4 || b3 ) && b2 || b1 )');
  });
});

describe('ioctl sets', () => {
  it('formats runs with four hex digits', () => {
    expect(formatIoctlRanges([[1, 1]])).toBe('0x0001');
    expect(
      formatIoctlRanges([
        [0x8910, 0x8910],
        [0x8912, 0x8915],
      ]),
    ).toBe('0x8910 0x8912-0x8915');
  });
  it('reads function and driver records', () => {
    const perms = new Uint32Array(8);
    perms[0] = 0b1011; // bits 0, 1, 3
    expect(xpermRanges(1, 0x89, perms)).toEqual([
      [0x8900, 0x8901],
      [0x8903, 0x8903],
    ]);
    // driver record: bit d = the whole driver d; adjacent drivers join
    expect(xpermRanges(2, 0, perms)).toEqual([
      [0x0000, 0x01ff],
      [0x0300, 0x03ff],
    ]);
  });
  it('toRanges joins consecutive numbers', () => {
    expect(toRanges([5, 1, 2, 3, 9])).toEqual([
      [1, 3],
      [5, 5],
      [9, 9],
    ]);
  });
});

describe('formatPermSet', () => {
  it('braces only several permissions', () => {
    expect(formatPermSet(['read'])).toBe('read');
    expect(formatPermSet(['open', 'read'])).toBe('{ open read }');
  });
});
