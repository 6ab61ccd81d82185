// Unit tests of context parsing and validity (decideContext.ts): every reason libsepol can have
// to reject a context, in its order, and contexts of the model checked the same way.
import { describe, expect, it } from 'vitest';
import { makePolicy, SPEC } from '../../../../test/fixtures/policy/memoryPolicy.js';
import { smallPolicy } from '../../../../test/fixtures/policy/writer.js';
import { readPolicy } from '../index.js';
import { ContextTables, contextInvalidReason } from './decideContext.js';
import { parseContextIn } from './transition/contextText.js';

// smallPolicy: user u_u (role r_r, range s0 - s0:c0,c1), role r_r (types a_t b_t), attribute x_attr,
// sensitivity s0 (alias sens0; categories c0 c1), categories c0 c1 (alias cat1).
const mls = ContextTables.of(readPolicy(smallPolicy({ version: 33, mls: true })));
const plain = ContextTables.of(readPolicy(smallPolicy({ version: 33, mls: false })));
const why = (tables: ContextTables, text: string): string | undefined => {
  const r = tables.resolve(text);
  return typeof r === 'string' ? r : undefined;
};

describe('ContextTables.resolve: why libsepol rejects a context string', () => {
  it('accepts valid contexts, aliases included', () => {
    expect(why(mls, 'u_u:r_r:a_t:s0')).toBeUndefined();
    expect(why(mls, 'u_u:r_r:a_alias:sens0-s0:c0,cat1')).toBeUndefined();
    expect(why(mls, 'u_u:object_r:b_t:s0:c0.c1')).toBeUndefined();
    expect(why(plain, 'u_u:r_r:a_t')).toBeUndefined();
    expect(mls.parse('u_u:r_r:a_t:s0')).toMatchObject({ user: 1, role: 2, type: 1 });
  });

  it('resolves each distinct string once: the same answer object again, levels shared between contexts', () => {
    const a = mls.parse('u_u:r_r:a_t:s0-s0:c0,c1')!;
    expect(mls.parse('u_u:r_r:a_t:s0-s0:c0,c1')).toBe(a);
    expect(mls.parse('u_u:object_r:b_t:s0-s0:c0,c1')!.high).toBe(a.high);
    expect(why(mls, 'u_u:r_r:a_t:s0-s0:c0,c1,c9')).toBe(why(mls, 'u_u:r_r:a_t:s0-s0:c0,c1,c9'));
    expect(why(mls, 'u_u:r_r:b_t:s0-s0:c0,c1')).toBeUndefined();
  });

  it('names what is not defined, in the order libsepol looks', () => {
    expect(why(mls, 'u_u:r_r')).toBe('malformed context "u_u:r_r"');
    expect(why(mls, 'x_u:x_r:x_t:s9')).toBe('user x_u is not defined');
    expect(why(mls, 'u_u:x_r:x_t:s9')).toBe('role x_r is not defined');
    expect(why(mls, 'u_u:r_r:x_t:s9')).toBe('type x_t is not defined');
    expect(why(mls, 'u_u:r_r:x_attr:s0')).toBe('type x_attr is not defined (it is an attribute)');
  });

  it('wants an MLS part exactly when the policy is MLS', () => {
    expect(why(mls, 'u_u:r_r:a_t')).toBe('MLS is enabled, but no MLS context found');
    expect(why(plain, 'u_u:r_r:a_t:s0')).toBe('MLS is disabled, but MLS context "s0" found');
  });

  it('says what in the MLS part is not defined', () => {
    expect(why(mls, 'u_u:r_r:a_t:s1')).toBe('invalid MLS context s1: sensitivity s1 is not defined');
    expect(why(mls, 'u_u:r_r:a_t:s0:c5')).toBe('invalid MLS context s0:c5: category c5 is not defined');
    expect(why(mls, 'u_u:r_r:a_t:s0:c0.c9')).toBe('invalid MLS context s0:c0.c9: category c9 is not defined');
    expect(why(mls, 'u_u:r_r:a_t:s0:c1.c0')).toBe('invalid MLS context s0:c1.c0: category range c1.c0 does not go upwards');
    // The high sensitivity runs to the next ':', as in mls_context_to_sid.
    expect(why(mls, 'u_u:r_r:a_t:s0-s0-s0')).toBe('invalid MLS context s0-s0-s0: sensitivity s0-s0 is not defined');
  });
});

describe('ContextTables.invalidReason: context_is_valid, in its order', () => {
  // Tables are built on first use: the extra user and the narrower s0 are in place before.
  const p = makePolicy(SPEC);
  p.users.push({ name: 'other_u', value: 2, bounds: 0, roles: [1, 2], range: { low: { sens: 1, cats: [] }, high: { sens: 1, cats: [] } }, defaultLevel: { sens: 1, cats: [] } });
  p.sensitivities[0]!.level.cats = [1, 2];
  const t = ContextTables.of(p);

  it('checks the role against the type, then the user against the role', () => {
    expect(why(t, 'system_u:user_r:sshd_t:s0')).toBe('role user_r is not authorized for type sshd_t');
    expect(why(t, 'other_u:user_r:user_t:s0')).toBe('user other_u is not authorized for role user_r');
    // object_r needs neither.
    expect(why(t, 'other_u:object_r:sshd_t:s0')).toBeUndefined();
  });

  it('checks the range, each level, then the user range', () => {
    expect(why(t, 'system_u:system_r:init_t:s1-s0')).toBe('invalid range s1-s0 (the high level does not dominate the low level)');
    expect(why(t, 'system_u:system_r:init_t:s0:c3-s1:c0.c3')).toBe('invalid level s0:c3 (category c3 is not associated with sensitivity s0)');
    expect(why(t, 'other_u:system_r:init_t:s0-s1')).toBe('range s0-s1 is not valid for user other_u (its range is s0)');
    expect(why(t, 'other_u:system_r:init_t:s1')).toBe('level s1 is not valid for user other_u (its range is s0)');
    expect(why(t, 'other_u:object_r:init_t:s1')).toBeUndefined();
  });

  it('checks contexts of the model the same way', () => {
    expect(contextInvalidReason(p, parseContextIn(p, 'system_u:user_r:sshd_t:s0'))).toBe('role user_r is not authorized for type sshd_t');
    expect(contextInvalidReason(p, parseContextIn(p, 'other_u:system_r:init_t:s0-s1:c0,c1'))).toBe('range s0-s1:c0,c1 is not valid for user other_u (its range is s0)');
    expect(contextInvalidReason(p, parseContextIn(p, 'system_u:system_r:init_t:s0-s1:c0.c3'))).toBeUndefined();
  });
});
