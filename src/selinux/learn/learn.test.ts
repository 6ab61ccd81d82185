import { describe, expect, it } from 'vitest';
import type { Denial } from '../../audit/avc.js';
import { parseContext } from '../ir/context.js';
import type { XpermRange } from '../ir/index.js';
import { addXpermRange, formatXperms } from '../ir/index.js';
import { printTe } from '../print/te.js';
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
