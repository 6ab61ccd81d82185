import { describe, expect, it } from 'vitest';
import { smallPolicy } from '../../../../test/fixtures/policy/writer.js';
import { readPolicy } from '../index.js';
import { AccessDecider, analyzeAccess, computeAccess } from './decide.js';

// smallPolicy: a_t(1) b_t(2, bounded by a_t) x_attr(3) ; allow a_t b_t:file {read execute}; dontaudit a_t b_t:file write;
// if (b1) { allow b_t a_t:file read } else { auditallow ... }; process transition constraint l1 dom l2;
// file execute constraint t1 == { a_t }; user u_u roles r_r; role r_r types a_t b_t; allow r_r object_r.
const policy = readPolicy(smallPolicy({ version: 33 }));
const ctx = (t: string, r = 'r_r', l = 's0'): string => `u_u:${r}:${t}:${l}`;

describe('analyzeAccess', () => {
  it('allows what TE allows and the constraints grant', () => {
    expect(analyzeAccess(policy, ctx('a_t'), ctx('b_t', 'object_r'), 'file', ['read'])).toEqual({ code: 'ALLOW', rc: 0 });
    expect(analyzeAccess(policy, ctx('a_t'), ctx('b_t', 'object_r'), 'file', ['read', 'execute']).code).toBe('ALLOW');
  });
  it('tells dontaudit from a missing rule', () => {
    expect(analyzeAccess(policy, ctx('a_t'), ctx('b_t', 'object_r'), 'file', ['write']).code).toBe('DONTAUDIT');
    expect(analyzeAccess(policy, ctx('a_t'), ctx('a_t', 'object_r'), 'file', ['write']).code).toBe('TERULE');
  });
  it('rejects unknown names, attributes and bad levels like libsepol', () => {
    expect(analyzeAccess(policy, ctx('nope_t'), ctx('b_t', 'object_r'), 'file', ['read']).code).toBe('BADSCON');
    expect(analyzeAccess(policy, ctx('a_t'), ctx('x_attr', 'object_r'), 'file', ['read']).code).toBe('BADTCON');
    expect(analyzeAccess(policy, ctx('a_t'), ctx('b_t', 'object_r', 's0:c1.c0'), 'file', ['read']).code).toBe('BADTCON');
    expect(analyzeAccess(policy, 'u_u:r_r:a_t', ctx('b_t', 'object_r'), 'file', ['read']).code).toBe('BADSCON');
    expect(analyzeAccess(policy, ctx('a_alias'), ctx('b_t', 'object_r', 'sens0:c0,cat1'), 'file', ['read']).code).toBe('ALLOW');
    expect(analyzeAccess(policy, ctx('a_t'), ctx('b_t', 'object_r'), 'nope', ['read']).code).toBe('BADTCLASS');
    expect(analyzeAccess(policy, ctx('a_t'), ctx('b_t', 'object_r'), 'file', ['nope']).code).toBe('BADPERM');
  });
  it('finds the boolean that would allow, and type bounds', () => {
    const d = new AccessDecider(policy);
    const off = d.fileBools.with(1, false);
    const s = d.contexts.parse(ctx('b_t'))!;
    const t = d.contexts.parse(ctx('a_t', 'object_r'))!;
    // With b1 on, TE allows the read, but the bounding type a_t may not: no boolean allows it all.
    expect(d.booleansThatAllow(s, t, d.classValue('file')!, d.permBit(d.classValue('file')!, 'read')!, off)).toEqual([]);
    // The decider's own values did not change.
    expect(d.fileBools.isOn(1)).toBe(policy.bools[0]!.state);
    // b_t is bounded by a_t, which may not read a_t files: a bounds violation.
    expect(analyzeAccess(policy, ctx('b_t'), ctx('a_t', 'object_r'), 'file', ['read']).code).toBe('BOUNDS');
  });
  it('prints the failed constraint as libsepol does', () => {
    const a = analyzeAccess(policy, ctx('b_t'), ctx('b_t', 'object_r'), 'file', ['execute']);
    expect(a.code).toBe('TERULE');
  });
});

describe('computeAccess', () => {
  it('merges rules over attributes and conditionals', () => {
    const file = policy.index.classValues.get('file')!;
    expect(computeAccess(policy, 1, 2, file).allowed).toBe(0b101);
    expect(computeAccess(policy, 1, 2, file).auditdeny).toBe(~0b10 >>> 0);
    expect(computeAccess(policy, 2, 1, file).allowed).toBe(0b1);
  });
});
