// Unit tests of the TE rule lookup (teLookup.ts) and boolean values (boolValues.ts), on a small
// policy built in memory.
import { describe, expect, it } from 'vitest';
import { makePolicy, SPEC } from '../../../../test/fixtures/policy/memoryPolicy.js';
import { thrownDiagnostic } from '../../../../test/fixtures/thrown.js';
import { AVTAB } from '../binary/constants.js';
import { BoolValues, evalCondExpr } from './boolValues.js';
import { ruleText } from './ruleText.js';
import { type TeDecision, TeLookup } from './teLookup.js';

describe('TeLookup', () => {
  const p = makePolicy(SPEC);
  const v = (n: string) => p.index.typeValues.get(n)!;
  const file = p.index.classValues.get('file')!;
  const proc = p.index.classValues.get('process')!;
  const te = TeLookup.of(p);
  const file0 = BoolValues.ofFile(p);
  const b1 = BoolValues.of(p, new Map([['b1', true]]));
  const bit = (c: number, perm: string) => 1 << p.classes[c - 1]!.allPerms.indexOf(perm);
  const allowed = (s: string, t: string, c: number, values = file0) => te.decide(v(s), v(t), c, values, { allowed: 0, auditallow: 0, auditdeny: 0 } as TeDecision).allowed;

  it('is built once per policy', () => {
    expect(TeLookup.of(p)).toBe(te);
    expect(BoolValues.ofFile(p)).toBe(file0);
    expect(BoolValues.of(p)).toBe(file0);
  });

  it('merges rules keyed by attributes, and conditional ones at the values given', () => {
    expect(allowed('init_t', 'bin_t', file)).toBe(bit(file, 'execute') | bit(file, 'read') | bit(file, 'entrypoint'));
    expect(allowed('init_t', 'tmp_t', file)).toBe(0);
    expect(allowed('init_t', 'user_t', proc)).toBe(0);
    expect(allowed('init_t', 'user_t', proc, b1)).toBe(bit(proc, 'transition'));
  });

  it('lists the entries behind a permission: the type before its attributes, unconditional before conditional', () => {
    const texts = (s: string, t: string, c: number, perm: string, values = file0) => te.entries(v(s), v(t), c, values, AVTAB.ALLOWED, bit(c, perm)).map((r) => ruleText(p, r));
    expect(texts('init_t', 'bin_t', file, 'execute')).toEqual(['allow domain exec_type:file { execute read };']);
    expect(texts('init_t', 'bin_t', file, 'entrypoint')).toEqual(['allow init_t bin_t:file entrypoint;']);
    expect(texts('init_t', 'user_t', proc, 'transition')).toEqual([]);
    expect(texts('init_t', 'user_t', proc, 'transition', b1)).toEqual(['allow init_t user_t:process transition; [ b1 ]:True']);
    expect(te.entries(v('init_t'), v('bin_t'), file, file0).length).toBe(2);
  });

  it('finds the booleans of conditional rules that can apply', () => {
    expect([...te.condBools(v('init_t'), v('user_t'), proc)]).toEqual([1]);
    expect([...te.condBools(v('init_t'), v('bin_t'), file)]).toEqual([]);
  });
});

describe('BoolValues', () => {
  const p = makePolicy(SPEC);

  it('never changes: other values are another object', () => {
    const file = BoolValues.ofFile(p);
    const on = file.with(1, true);
    expect([file.isOn(1), on.isOn(1), file.with(1, false) === file]).toEqual([false, true, true]);
    expect([file.conds[0], on.conds[0]]).toEqual([0, 1]);
  });

  it('rejects an unknown boolean by name', () => {
    expect(thrownDiagnostic(() => BoolValues.of(p, new Map([['nope', true]])))).toMatchObject({ code: 'unknown-name', message: 'unknown boolean nope', data: { kind: 'boolean', name: 'nope' } });
  });

  it('evaluates postfix boolean expressions as the kernel does (-1 when malformed)', () => {
    expect(evalCondExpr([{ kind: 'bool', bool: 1 }, { kind: 'bool', bool: 2 }, { kind: 'and' }, { kind: 'not' }], [0, 1, 0])).toBe(1);
    expect(evalCondExpr([{ kind: 'bool', bool: 1 }, { kind: 'bool', bool: 2 }, { kind: 'neq' }], [0, 1, 0])).toBe(1);
    expect(evalCondExpr([{ kind: 'and' }], [0, 1])).toBe(-1);
  });
});
