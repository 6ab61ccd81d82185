import { describe, expect, it } from 'vitest';

import { smallPolicy } from '../../../../test/fixtures/policy/writer.js';
import { CEXPR } from '../binary/constants.js';
import { readPolicy } from '../index.js';
import type { Constraint, ConstraintExpr } from '../model.js';
import { constraintStatement } from './constraintStatement.js';

const p = readPolicy(smallPolicy({ version: 33 }));
const file = p.classes.find((c) => c.name === 'file')!;
const attr = (a: number, op: number): ConstraintExpr => ({ kind: 'attr', attr: a, op });
const names = (a: number, op: number, values: number[]): ConstraintExpr => ({ kind: 'names', attr: a, op, names: values, typeSet: { types: values, negset: [], flags: 0 } });
const constraint = (expr: ConstraintExpr[], perms = 0b11, mls = false): Constraint => ({ perms, expr, mls });

describe('constraintStatement (setools notation)', () => {
  it('parenthesises by the precedence of the operator handled just before, as setools does', () => {
    // u1 == u2 or t1 == { b_t a_t }
    const c = constraint([attr(CEXPR.USER, CEXPR.EQ), names(CEXPR.TYPE, CEXPR.EQ, [2, 1]), { kind: 'or' }]);
    expect(constraintStatement(p, file, c, false)).toBe('constrain file { read write } (u1 == u2 or ( t1 == { a_t b_t }  )); ');
  });

  it('wraps the operand of not, and prints one name without braces', () => {
    // r1 == r2 and not (t2 == a_t)
    const c = constraint([attr(CEXPR.ROLE, CEXPR.EQ), names(CEXPR.TYPE | CEXPR.TARGET, CEXPR.EQ, [1]), { kind: 'not' }, { kind: 'and' }], 0b1);
    expect(constraintStatement(p, file, c, false)).toBe('constrain file read (r1 == r2 and not ( ( t2 == a_t ) )); ');
  });

  it('prints MLS operands and validatetrans without permissions or a trailing space', () => {
    // l1 dom h2 and h1 domby l2 (mlsvalidatetrans)
    const c = constraint([attr(CEXPR.L1H2, CEXPR.DOM), attr(CEXPR.H1L2, CEXPR.DOMBY), { kind: 'and' }], 0, true);
    expect(constraintStatement(p, file, c, true)).toBe('mlsvalidatetrans file (l1 dom h2 and ( h1 domby l2 ));');
    const single = constraint([attr(CEXPR.L1L2, CEXPR.INCOMP)], 0, true);
    expect(constraintStatement(p, file, single, true)).toBe('mlsvalidatetrans file (l1 incomp l2);');
  });
});
