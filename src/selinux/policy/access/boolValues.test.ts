import { describe, expect, it } from 'vitest';
import type { CondExpr, Policy } from '../model.js';
import { BoolValues, evalCondExpr } from './boolValues.js';

// A policy holding only what BoolValues reads: booleans, conditionals, the caches.
function condPolicy(nBools: number, exprs: CondExpr[][]): Policy {
  const bools = Array.from({ length: nBools }, (_, i) => ({ name: `b${i + 1}`, value: i + 1, state: i % 3 === 0 }));
  const conds = exprs.map((expr) => ({ expr, state: false, trueStart: 0, trueEnd: 0, falseStart: 0, falseEnd: 0 }));
  return { bools, conds, index: { access: {}, boolValues: new Map(bools.map((b) => [b.name, b.value])) } } as unknown as Policy;
}

// Postfix expressions over booleans 1..n, some malformed, from a fixed seed.
function randomExprs(n: number, count: number): CondExpr[][] {
  let seed = 12345;
  const next = (k: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % k;
  };
  const ops = ['not', 'or', 'and', 'xor', 'eq', 'neq'] as const;
  return Array.from({ length: count }, () => {
    const expr: CondExpr[] = [{ kind: 'bool', bool: 1 + next(n) }];
    for (let i = next(5); i > 0; i--) {
      expr.push({ kind: 'bool', bool: 1 + next(n) });
      expr.push({ kind: ops[next(ops.length)]! });
    }
    if (next(10) === 0) expr.push({ kind: 'and' }); // malformed: one operand
    return expr;
  });
}

describe('BoolValues.with', () => {
  const policy = condPolicy(7, randomExprs(7, 60));
  const file = BoolValues.ofFile(policy);
  const full = (v: BoolValues): number[] => {
    const bools = [0, ...policy.bools.map((b) => (v.isOn(b.value) ? 1 : 0))];
    return policy.conds.map((c) => evalCondExpr(c.expr, bools));
  };

  it('re-evaluates exactly what a full evaluation gives, for every boolean flipped from the file and twice over', () => {
    expect([...file.conds]).toEqual(full(file));
    let changed = 0;
    for (const b of policy.bools) {
      const one = file.with(b.value, !file.isOn(b.value));
      expect([...one.conds]).toEqual(full(one));
      if ([...one.conds].some((x, k) => x !== file.conds[k])) changed++;
      for (const c of policy.bools) {
        const two = one.with(c.value, !one.isOn(c.value));
        expect([...two.conds]).toEqual(full(two));
      }
    }
    expect(changed).toBeGreaterThan(3);
  });

  it('gives the same values object for the same flip, and itself when nothing changes', () => {
    const v = policy.bools[1]!.value;
    expect(file.with(v, !file.isOn(v))).toBe(file.with(v, !file.isOn(v)));
    expect(file.with(v, file.isOn(v))).toBe(file);
    expect(file.with(v, !file.isOn(v)).with(v, file.isOn(v)).conds).toEqual(file.conds);
  });
});
