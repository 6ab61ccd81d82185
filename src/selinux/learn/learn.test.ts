import { describe, expect, it } from 'vitest';
import { smallPolicy } from '../../../test/fixtures/policy/writer.js';
import type { Denial } from '../../audit/avc.js';
import { parseContext } from '../ir/context.js';
import type { XpermRange } from '../ir/index.js';
import { addXpermRange, formatXperms } from '../ir/index.js';
import { readPolicy } from '../policy/index.js';
import { printTe } from '../print/te.js';
import { policyAnalyzer } from './analysis.js';
import { ModuleLearner } from './learn.js';

let line = 0;
function denial(s: string, t: string, tclass: string, perms: string[], extra: Partial<Denial> = {}): Denial {
  line++;
  return {
    record: 'AVC',
    denied: true,
    scontext: parseContext(`system_u:system_r:${s}:s0`)!,
    tcontext: parseContext(`system_u:object_r:${t}:s0`)!,
    tclass,
    perms,
    header: `audit(1.0:${line}):`,
    loc: { file: 'a.log', line },
    eventLocs: [{ file: 'a.log', line }],
    ...extra,
  };
}

describe('ModuleLearner', () => {
  it('merges permissions per (source, target, class) and uses self', () => {
    const l = new ModuleLearner({ name: 'm' });
    l.addDenial(denial('b_t', 'x_t', 'file', ['write', 'read']));
    l.addDenial(denial('a_t', 'a_t', 'capability', ['setuid']));
    l.addDenial(denial('b_t', 'x_t', 'file', ['read', 'open']));
    l.addDenial(denial('b_t', 'y_t', 'dir', ['search'], { denied: false }));
    expect(printTe(l.toModule())).toBe(
      [
        '',
        'module m 1.0;',
        '',
        'require {',
        '\ttype a_t;',
        '\ttype b_t;',
        '\ttype x_t;',
        '\tclass file { open read write };',
        '\tclass capability setuid;',
        '}',
        '',
        '#============= a_t ==============',
        'allow a_t self:capability setuid;',
        '',
        '#============= b_t ==============',
        'allow b_t x_t:file { open read write };',
        '',
      ].join('\n'),
    );
  });

  it('filters by type (anchored), makes dontaudit and xperm rules, keeps evidence', () => {
    const l = new ModuleLearner({ typeFilter: /^(?:b)/, dontaudit: true, xperms: true, evidenceLimit: 2 });
    for (const cmd of [0x5401, 0x5403, 0x5402, 0, 0x8910]) l.addDenial(denial('b_t', 'tty_t', 'chr_file', ['ioctl'], { ioctlcmd: cmd }));
    l.addDenial(denial('zb_t', 'x_t', 'file', ['read']));
    const m = l.toModule();
    expect(printTe(m)).toBe(['', '', '#============= b_t ==============', 'dontaudit b_t tty_t:chr_file ioctl;', 'dontauditxperm b_t tty_t:chr_file ioctl { 0x5401-0x5403 0x8910 };', ''].join('\n'));
    const rule = m.statements[0]!;
    expect(rule.evidence).toEqual({ count: 5, locs: [expect.objectContaining({ file: 'a.log' }), expect.objectContaining({ file: 'a.log' })] });
  });

  it('forgets everything on reset and learns role types', () => {
    const l = new ModuleLearner({ requires: true });
    l.addDenial(denial('a_t', 'b_t', 'file', ['read']));
    l.reset();
    l.addInvalidContext({ context: parseContext('system_u:system_r:foo_t:s0')! }, { file: 'a.log', line: 9 });
    l.addInvalidContext({ context: parseContext('system_u:system_r:bar_t:s0')! }, { file: 'a.log', line: 10 });
    expect(printTe(l.toModule())).toBe(
      ['', 'require {', '\ttype bar_t;', '\ttype foo_t;', '\trole system_r;', '}', '', '#============= ROLES ==============', 'role system_r types bar_t;', 'role system_r types foo_t;', '', ''].join(
        '\n',
      ),
    );
  });
});

describe('ModuleLearner with a policy (allow -p)', () => {
  // smallPolicy: u_u may be r_r; r_r runs a_t and b_t; s0 has categories c0 and c1;
  // allow a_t b_t:file { read execute }; dontaudit a_t b_t:file write.
  const policy = readPolicy(smallPolicy({ version: 33, mls: true }));
  const avc = (s: string, t: string, perms: string[], extra: Partial<Denial> = {}): Denial => ({
    ...denial('x', 'y', 'file', perms, extra),
    scontext: parseContext(s)!,
    tcontext: parseContext(t)!,
  });
  const learn = (denials: Denial[], opts = {}): string => {
    const l = new ModuleLearner({ analyze: policyAnalyzer(policy), ...opts });
    for (const d of denials) l.addDenial(d);
    return printTe(l.toModule());
  };
  const valid = 'u_u:r_r:a_t:s0';
  const target = 'u_u:object_r:b_t:s0';

  it('says exactly why the policy rejects a context', () => {
    const note = (s: string, t = target): string =>
      learn([avc(s, t, ['write'])])
        .split('\n')
        .find((l) => l.startsWith('#!!!!'))!;
    expect(note('u_u:r_r:a_t:s0:c9')).toBe('#!!!! Not in the policy: the source context of this avc is not valid: invalid MLS context s0:c9: category c9 is not defined');
    expect(note('u_u:object_r:a_t:s0', 'u_u:r_r:nosuch_t:s0')).toBe('#!!!! Not in the policy: the target context of this avc is not valid: type nosuch_t is not defined');
    expect(note('u_u:r_r:a_t:s0-s0:c0.c1', 'u_u:r_r:b_t:s0:c1-s0')).toBe(
      '#!!!! Not in the policy: the target context of this avc is not valid: invalid range s0:c1-s0 (the high level does not dominate the low level)',
    );
    expect(learn([avc(valid, target, ['nosuch', 'read', 'other'])])).toContain('#!!!! Not in the policy: permissions nosuch other are not defined for class file\n');
  });

  it('never prints the same rule twice in a section when a rejected AVC asks what a valid one asks', () => {
    const out = learn([avc(valid, target, ['write']), avc('u_u:r_r:a_t:s0:c9', target, ['write'])], { evidenceLimit: 5 });
    expect(out).toBe('\n\n#============= a_t ==============\n\n#!!!! This avc has a dontaudit rule in the current policy\nallow a_t b_t:file write;\n');
    // The rejected AVC still counts as evidence of the rule that covers it.
    const l = new ModuleLearner({ analyze: policyAnalyzer(policy) });
    l.addDenial(avc(valid, target, ['write']));
    l.addDenial(avc('u_u:r_r:a_t:s0:c9', target, ['write']));
    expect(l.toModule().statements.map((r) => r.evidence?.count)).toEqual([2]);
    // Rejected first: the same.
    expect(learn([avc('u_u:r_r:a_t:s0:c9', target, ['write']), avc(valid, target, ['write'])])).toBe(out);
  });

  it('keeps what only the rejected AVCs ask, with each distinct reason', () => {
    const out = learn([avc(valid, target, ['write']), avc('u_u:r_r:a_t:s0:c9', target, ['write', 'execute']), avc('u_u:r_r:a_t:s0:c8', 'u_u:object_r:b_t:s7', ['execute'])]);
    expect(out).toBe(
      [
        '',
        '',
        '#============= a_t ==============',
        '',
        '#!!!! This avc has a dontaudit rule in the current policy',
        'allow a_t b_t:file write;',
        '',
        '#!!!! Not in the policy: the source context of this avc is not valid: invalid MLS context s0:c9: category c9 is not defined',
        '#!!!! Not in the policy: the source context of this avc is not valid: invalid MLS context s0:c8: category c8 is not defined',
        'allow a_t b_t:file execute;',
        '',
      ].join('\n'),
    );
  });
});

describe('policyAnalyzer', () => {
  // The same small policy as above: a_t may read and execute b_t files, write is dontaudit.
  const policy = readPolicy(smallPolicy({ version: 33, mls: true }));
  const avc = (s: string, t: string, tclass: string, perms: string[]): Denial => ({ ...denial('x', 'y', tclass, perms), scontext: parseContext(s)!, tcontext: parseContext(t)! });
  const valid = 'u_u:r_r:a_t:s0';
  const target = 'u_u:object_r:b_t:s0';

  it('answers each set of permissions of one (source, target, class) on its own', () => {
    const analyze = policyAnalyzer(policy);
    expect(analyze(avc(valid, target, 'file', ['read'])).key).toBe('ALLOW');
    expect(analyze(avc(valid, target, 'file', ['write'])).key).toBe('DONTAUDIT');
    expect(analyze(avc(valid, target, 'file', ['read', 'execute'])).key).toBe('ALLOW');
    expect(analyze(avc(valid, target, 'file', ['read', 'write'])).key).toBe('DONTAUDIT');
    expect(analyze(avc(valid, target, 'file', ['read'])).key).toBe('ALLOW');
    expect(analyze(avc(valid, target, 'dir', ['read'])).key).not.toBe('ALLOW');
  });

  it('gives the same verdict to equal contexts in other objects and permissions in another order', () => {
    const analyze = policyAnalyzer(policy);
    const v = analyze(avc(valid, target, 'file', ['write', 'read']));
    expect(analyze(avc(valid, target, 'file', ['read', 'write']))).toBe(v);
    expect(analyze(avc(valid, 'u_u:object_r:b_t:s0', 'file', ['write', 'read']))).toBe(v);
    expect(analyze(avc(valid, 'u_u:object_r:a_t:s0', 'file', ['write', 'read']))).not.toBe(v);
  });

  it('says why the policy rejects a context, a class or permissions, in the order they were logged', () => {
    const analyze = policyAnalyzer(policy);
    expect(analyze(avc('u_u:r_r:nosuch_t:s0', target, 'file', ['read'])).analysis).toEqual({ code: 'BADSCON', rc: -2, reason: 'type nosuch_t is not defined' });
    expect(analyze(avc(valid, 'u_u:r_r:a_t:s0:c9', 'file', ['read'])).analysis).toEqual({ code: 'BADTCON', rc: -3, reason: 'invalid MLS context s0:c9: category c9 is not defined' });
    expect(analyze(avc(valid, target, 'nosuch', ['read'])).analysis).toEqual({ code: 'BADTCLASS', rc: -4, reason: 'class nosuch is not defined' });
    expect(analyze(avc(valid, target, 'file', ['zz', 'read', 'aa'])).analysis).toEqual({ code: 'BADPERM', rc: -5, reason: 'permissions zz aa are not defined for class file' });
    expect(analyze(avc(valid, target, 'file', ['aa', 'read', 'zz'])).analysis).toEqual({ code: 'BADPERM', rc: -5, reason: 'permissions aa zz are not defined for class file' });
  });
});

describe('xperm ranges', () => {
  it('merges overlapping and adjacent ranges like sepolgen', () => {
    const r: XpermRange[] = [];
    for (const x of [5, 1, 2, 9, 3, 10]) addXpermRange(r, [x, x]);
    expect(r).toEqual([
      [1, 3],
      [5, 5],
      [9, 10],
    ]);
    expect(formatXperms([[0x5401, 0x5401]])).toBe('0x5401');
    expect(formatXperms(r)).toBe('{ 0x1-0x3 0x5 0x9-0xa }');
  });
});
