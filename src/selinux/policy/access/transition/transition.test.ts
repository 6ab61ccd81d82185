// Unit tests of compute_create (computeCreate.ts), the exec checks (execChecks.ts) and the
// report of `policy transition` (transitionReport.ts), on a small policy built in memory.
import { describe, expect, it } from 'vitest';
import { makePolicy, SPEC } from '../../../../../test/fixtures/policy/memoryPolicy.js';
import { thrownDiagnostic } from '../../../../../test/fixtures/thrown.js';
import { rangeText } from '../../level.js';
import { BoolValues } from '../boolValues.js';
import { computeCreate } from './computeCreate.js';
import { contextText, parseContextIn, parseRange } from './contextText.js';
import { execChecks } from './execChecks.js';
import { computeTransition, formatTransition, transitionJson } from './transitionReport.js';

describe('computeCreate (security_compute_create)', () => {
  const p = makePolicy(SPEC);
  const ctx = (t: string) => parseContextIn(p, t);
  const cls = (n: string) => p.index.classValues.get(n)!;
  const create = (s: string, t: string, c: string, o = {}) => contextText(p, computeCreate(p, ctx(s), ctx(t), cls(c), o).context);

  it('process: type_transition, source role, source range', () => {
    expect(create('system_u:system_r:init_t:s0-s1:c0.c3', 'system_u:object_r:sshd_exec_t:s0', 'process')).toBe('system_u:system_r:sshd_t:s0-s1:c0.c3');
    // No rule: the source type stays.
    expect(create('system_u:system_r:init_t:s0', 'system_u:object_r:tmp_t:s0', 'process')).toBe('system_u:system_r:init_t:s0');
  });

  it('objects: object_r, target type without a rule, source low level', () => {
    expect(create('system_u:system_r:sshd_t:s0:c1-s1:c0.c3', 'system_u:object_r:tmp_t:s1', 'file')).toBe('system_u:object_r:sshd_tmp_t:s0:c1');
    expect(create('system_u:system_r:init_t:s0', 'system_u:object_r:tmp_t:s0', 'file')).toBe('system_u:object_r:tmp_t:s0');
    // Sockets are like processes.
    expect(create('system_u:system_r:init_t:s0-s1', 'system_u:object_r:tmp_t:s0', 'tcp_socket')).toBe('system_u:system_r:init_t:s0-s1');
  });

  it('filename transitions override type_transition, by exact name', () => {
    p.filenameTransitions.push({ name: 'special', ttype: p.index.typeValues.get('tmp_t')!, tclass: cls('file'), otype: p.index.typeValues.get('bin_t')!, stypes: [p.index.typeValues.get('sshd_t')!] });
    expect(create('system_u:system_r:sshd_t:s0', 'system_u:object_r:tmp_t:s0', 'file', { name: 'special' })).toBe('system_u:object_r:bin_t:s0');
    expect(create('system_u:system_r:sshd_t:s0', 'system_u:object_r:tmp_t:s0', 'file', { name: 'other' })).toBe('system_u:object_r:sshd_tmp_t:s0');
    p.filenameTransitions.pop();
  });

  it('conditional type rules follow the booleans', () => {
    expect(create('system_u:system_r:init_t:s0', 'system_u:object_r:bin_t:s0', 'process')).toBe('system_u:system_r:init_t:s0');
    expect(create('system_u:system_r:init_t:s0', 'system_u:object_r:bin_t:s0', 'process', { bools: BoolValues.of(p, new Map([['b1', true]])) })).toBe('system_u:system_r:user_t:s0');
    // The policy's own values are untouched.
    expect(create('system_u:system_r:init_t:s0', 'system_u:object_r:bin_t:s0', 'process')).toBe('system_u:system_r:init_t:s0');
  });

  it('class defaults, role_transition and range_transition', () => {
    // A policy of its own: its tables are built on first use, after the second user is in.
    const p = makePolicy(SPEC);
    p.users.push({ name: 'other_u', value: 2, bounds: 0, roles: [1, 2], range: { low: { sens: 1, cats: [] }, high: { sens: 1, cats: [] } }, defaultLevel: { sens: 1, cats: [] } });
    const ctx = (t: string) => parseContextIn(p, t);
    const create = (s: string, t: string, c: string) => contextText(p, computeCreate(p, ctx(s), ctx(t), cls(c)).context);
    const file = p.classes[cls('file') - 1]!;
    file.defaultUser = 2;
    file.defaultRole = 1;
    file.defaultType = 1;
    file.defaultRange = 6;
    expect(create('system_u:system_r:init_t:s0', 'other_u:object_r:tmp_t:s1:c2', 'file')).toBe('other_u:system_r:init_t:s1:c2');
    file.defaultRange = 7; // glblub
    expect(create('system_u:system_r:init_t:s0-s1:c0.c2', 'system_u:object_r:tmp_t:s0:c1-s1:c1,c3', 'file')).toBe('system_u:system_r:init_t:s0-s1:c1');
    Object.assign(file, { defaultUser: 0, defaultRole: 0, defaultType: 0, defaultRange: 0 });
    p.roleTransitions.push({ role: 2, type: p.index.typeValues.get('sshd_exec_t')!, tclass: cls('process'), newRole: 3 });
    p.rangeTransitions.push({ source: p.index.typeValues.get('init_t')!, target: p.index.typeValues.get('sshd_exec_t')!, tclass: cls('process'), range: parseRange(p, 's1:c0') });
    const r = computeCreate(p, ctx('system_u:system_r:init_t:s0'), ctx('system_u:object_r:sshd_exec_t:s0'), cls('process'));
    expect(contextText(p, r.context)).toBe('system_u:user_r:sshd_t:s1:c0');
    // user_r is not authorized for sshd_t.
    expect(r.invalid).toMatch(/role user_r is not authorized for type sshd_t/);
    p.roleTransitions.pop();
    p.rangeTransitions.pop();
  });

  it('prints categories like the kernel', () => {
    expect(rangeText(p, parseRange(p, 's0:c0,c1,c3-s1:c0.c3'))).toBe('s0:c0,c1,c3-s1:c0.c3');
    expect(rangeText(p, parseRange(p, 's1:c1.c2'))).toBe('s1:c1,c2');
    expect(thrownDiagnostic(() => parseContextIn(p, 'system_u:system_r:domain:s0'))).toMatchObject({ code: 'context-invalid', message: 'domain is an attribute, not a type' });
    expect(thrownDiagnostic(() => parseContextIn(p, 'system_u:system_r:nope_t'))).toMatchObject({ code: 'unknown-name', message: 'unknown type nope_t' });
    expect(thrownDiagnostic(() => parseContextIn(p, 'system_u:system_r'))).toMatchObject({ code: 'bad-query' });
  });
});

describe('exec checks', () => {
  const p = makePolicy(SPEC);
  const v = (n: string) => p.index.typeValues.get(n)!;
  const ctx = (t: string) => parseContextIn(p, t);

  it('lists what an exec needs and what is missing', () => {
    const s = ctx('system_u:system_r:init_t:s0');
    const checks = execChecks(p, s, v('sshd_exec_t'), ctx('system_u:system_r:sshd_t:s0'), false);
    expect(checks.map((c) => [c.what, c.allowed])).toEqual([
      ['process transition', true],
      ['file entrypoint', true],
      ['file execute', true],
    ]);
    const explicit = execChecks(p, s, v('bin_t'), ctx('system_u:system_r:sshd_t:s0'), true);
    expect(explicit.filter((c) => !c.allowed).map((c) => c.rules[0])).toEqual(['allow init_t init_t:process setexec;', 'allow sshd_t bin_t:file entrypoint;']);
    const same = execChecks(p, s, v('bin_t'), s, false);
    expect(same.map((c) => [c.what, c.allowed])).toEqual([
      ['file execute', true],
      ['file execute_no_trans', false],
    ]);
  });
  it('follows the boolean values given, not the shared ones', () => {
    const s = ctx('system_u:system_r:init_t:s0');
    const to = ctx('system_u:system_r:user_t:s0');
    const transition = (bools?: BoolValues) => execChecks(p, s, v('bin_t'), to, false, bools)[0]!;
    expect(transition().allowed).toBe(false);
    expect(transition(BoolValues.of(p, new Map([['b1', true]])))).toMatchObject({ allowed: true, rules: ['allow init_t user_t:process transition; [ b1 ]:True'] });
    expect(transition().allowed).toBe(false);
  });
});

describe('policy transition report', () => {
  const p = makePolicy(SPEC);

  it('computes, checks and prints an exec', () => {
    const r = computeTransition(p, { source: 'system_u:system_r:init_t:s0', target: 'sshd_exec_t' });
    expect(r.allowed).toBe(true);
    expect(contextText(p, r.newContext)).toBe('system_u:system_r:sshd_t:s0');
    const text = formatTransition(p, r);
    expect(text).toContain('new context: system_u:system_r:sshd_t:s0\n');
    expect(text).toContain('  type:  sshd_t  (type_transition init_t sshd_exec_t:process sshd_t;)\n');
    expect(text).toContain('exec of sshd_exec_t by init_t: allowed\n');
    expect(transitionJson(p, r)).toMatchObject({ newContext: 'system_u:system_r:sshd_t:s0', valid: true, missing: [], allowed: true });
  });

  it('is not allowed when a check fails or the new context is invalid', () => {
    const denied = computeTransition(p, { source: 'system_u:system_r:sshd_t:s0', target: 'tmp_t' });
    expect(denied.allowed).toBe(false);
    expect(formatTransition(p, denied)).toContain('  missing  file execute_no_trans: allow sshd_t tmp_t:file execute_no_trans;\n');
    // user_r may not run sshd_t.
    const invalid = computeTransition(p, { source: 'system_u:user_r:user_t:s0', target: 'sshd_exec_t', setexec: 'system_u:user_r:sshd_t:s0' });
    expect(invalid.invalid).toBe('role user_r is not authorized for type sshd_t');
    expect(invalid.allowed).toBe(false);
    // Objects: only the context's validity counts.
    expect(computeTransition(p, { source: 'system_u:system_r:sshd_t:s0', target: 'tmp_t', class: 'file' })).toMatchObject({ checks: [], allowed: true });
  });

  it('takes boolean values by name; an unknown one, or class, is an unknown-name error', () => {
    const r = computeTransition(p, { source: 'system_u:system_r:init_t:s0', target: 'bin_t', bools: new Map([['b1', true]]) });
    expect(contextText(p, r.newContext)).toBe('system_u:system_r:user_t:s0');
    expect(thrownDiagnostic(() => computeTransition(p, { source: 'system_u:system_r:init_t:s0', target: 'bin_t', bools: new Map([['nob', true]]) }))).toMatchObject({
      code: 'unknown-name',
      message: 'unknown boolean nob',
    });
    expect(thrownDiagnostic(() => computeTransition(p, { source: 'system_u:system_r:init_t:s0', target: 'bin_t', class: 'nocls' }))).toMatchObject({ code: 'unknown-name' });
  });
});
