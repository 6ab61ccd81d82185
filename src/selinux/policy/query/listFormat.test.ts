import { describe, expect, it } from 'vitest';
import type { Context, Level, Policy } from '../model.js';
import { byString, formatLevel, formatPolicyContext, formatRange, hashtabOrder, symHash, symtabSize } from './listFormat.js';

/** Just what the formatters read: names of users, roles, types, sensitivities and categories. */
function fakePolicy(mls: boolean): Policy {
  const named = (names: string[]) => names.map((name, i) => ({ name, value: i + 1, aliases: [] }));
  return {
    mls,
    users: [{ name: 'system_u' }],
    roles: [{ name: 'object_r' }],
    types: [{ name: 'etc_t' }],
    sensitivities: named(['s0', 's1']),
    categories: named(Array.from({ length: 1024 }, (_, i) => `c${i}`)),
  } as unknown as Policy;
}
const lvl = (sens: number, cats: number[]): Level => ({ sens, cats });

describe('MLS levels and ranges as setools prints them', () => {
  const p = fakePolicy(true);
  it('compacts runs of two or more consecutive categories', () => {
    expect(formatLevel(p, lvl(1, []))).toBe('s0');
    expect(formatLevel(p, lvl(1, [1]))).toBe('s0:c0');
    expect(formatLevel(p, lvl(1, [1, 2]))).toBe('s0:c0.c1');
    expect(formatLevel(p, lvl(2, [1, 3, 4, 5, 7]))).toBe('s1:c0,c2.c4,c6');
    expect(
      formatLevel(
        p,
        lvl(
          1,
          Array.from({ length: 1024 }, (_, i) => i + 1),
        ),
      ),
    ).toBe('s0:c0.c1023');
  });
  it('prints one level when both ends of a range are equal', () => {
    expect(formatRange(p, { low: lvl(1, []), high: lvl(1, []) })).toBe('s0');
    expect(formatRange(p, { low: lvl(1, []), high: lvl(1, [1, 2]) })).toBe('s0 - s0:c0.c1');
    expect(formatRange(p, { low: lvl(1, [1]), high: lvl(1, [2]) })).toBe('s0:c0 - s0:c1');
  });
  it('prints contexts with the range only in an MLS policy', () => {
    const c: Context = { user: 1, role: 1, type: 1, range: { low: lvl(1, []), high: lvl(1, [1, 2, 3]) } };
    expect(formatPolicyContext(p, c)).toBe('system_u:object_r:etc_t:s0 - s0:c0.c2');
    expect(formatPolicyContext(fakePolicy(false), { ...c, range: { low: lvl(0, []), high: lvl(0, []) } })).toBe('system_u:object_r:etc_t');
  });
});

describe("libsepol's symbol table order", () => {
  it('hashes like symhash()', () => {
    expect(symHash('a', 8192)).toBe(97);
    expect(symHash('ab', 8192)).toBe(1650);
    expect(symHash('bin_t', 8192)).toBe(7044);
    expect(symHash('sbin_t', 8192)).toBe(7044);
  });
  it('grows the table to a power of two holding every entry', () => {
    expect(symtabSize(0, 16)).toBe(16);
    expect(symtabSize(6, 16)).toBe(16);
    expect(symtabSize(17, 16)).toBe(32);
    expect(symtabSize(4421, 512)).toBe(8192);
  });
  it("orders bin_t's aliases as seinfo does on the Debian policy (8192 buckets)", () => {
    const aliases = ['ls_exec_t', 'sbin_t', 'systemd_analyze_exec_t', 'systemd_detect_virt_t', 'systemd_run_exec_t'];
    expect(hashtabOrder(aliases, 8192)).toEqual(['systemd_run_exec_t', 'systemd_analyze_exec_t', 'ls_exec_t', 'systemd_detect_virt_t', 'sbin_t']);
  });
  it('orders a small table (16 buckets) by bucket, then strcmp', () => {
    // seinfo on `sensitivity s0 alias { sens0 zz_s0 a_s0 unclassified }; sensitivity s1;`
    const order = hashtabOrder(['s0', 's1', 'sens0', 'zz_s0', 'a_s0', 'unclassified'], 16).filter((n) => n !== 's0' && n !== 's1');
    expect(order).toEqual(['a_s0', 'sens0', 'zz_s0', 'unclassified']);
  });
  it('sorts strings by code point, like Python', () => {
    expect(['b', 'B', 'a', '_'].sort(byString)).toEqual(['B', '_', 'a', 'b']);
  });
});
