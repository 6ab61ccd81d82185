import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { CIL_CASES } from '../../../../test/fixtures/cil/cases.js';
import type { Module, XpermRange } from '../../ir/index.js';
import { cilXpermChunks, printCil } from './cil.js';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/cil/', import.meta.url));

describe('printCil golden files (made by libsepol pp, see test/fixtures/cil/cases.ts)', () => {
  it.each(CIL_CASES.map((c) => [c.name, c] as const))('%s', (name, c) => {
    expect(printCil(c.module)).toBe(readFileSync(`${FIXTURES}${name}.cil`, 'utf8'));
  });
});

const base = (over: Partial<Module> = {}): Module => ({
  name: 'm',
  version: '1.0',
  require: { types: ['a_t', 'b_t'], classes: [['file', ['getattr', 'open', 'read']]], roles: [] },
  statements: [],
  ...over,
});

describe('printCil', () => {
  it('prints one line per statement, each ending in a newline, no blank lines or header', () => {
    const out = printCil(
      base({
        statements: [{ kind: 'av', rule: 'allow', sources: ['a_t'], targets: ['b_t'], classes: ['file'], perms: ['read'] }],
      }),
    );
    expect(out).toBe('(typeattributeset cil_gen_require a_t)\n' + '(typeattributeset cil_gen_require b_t)\n' + '(allow a_t b_t (file (read)))\n');
  });

  it('prints nothing for an empty module', () => {
    expect(printCil({ statements: [] })).toBe('');
  });

  it('prints a plain rule list (no module, no require) as bare rules', () => {
    const out = printCil({
      statements: [
        { kind: 'av', rule: 'dontaudit', sources: ['x_t'], targets: ['self'], classes: ['process'], perms: ['signal'] },
        { kind: 'roletypes', role: 'system_r', types: ['x_t'] },
      ],
    });
    expect(out).toBe('(roletype system_r x_t)\n(dontaudit x_t self (process (signal)))\n');
  });

  it('orders permissions by the class as the require block declares it', () => {
    const out = printCil(
      base({
        require: {
          types: ['a_t'],
          classes: [
            ['file', ['read', 'open']],
            ['file', ['getattr']],
          ],
          roles: [],
        },
        statements: [{ kind: 'av', rule: 'allow', sources: ['a_t'], targets: ['a_t'], classes: ['file'], perms: ['getattr', 'open', 'read'] }],
      }),
    );
    expect(out).toContain('(allow a_t a_t (file (read open getattr)))\n');
  });

  it('puts permissions the require block lacks after the declared ones', () => {
    const out = printCil(
      base({
        statements: [{ kind: 'av', rule: 'allow', sources: ['a_t'], targets: ['b_t'], classes: ['file'], perms: ['lock', 'read', 'append'] }],
      }),
    );
    expect(out).toContain('(file (read lock append))');
  });

  it('expands sources x targets x classes in value order, self last, duplicates dropped', () => {
    const out = printCil(
      base({
        require: {
          types: ['a_t', 'b_t', 'c_t'],
          classes: [
            ['file', ['read']],
            ['dir', ['read']],
          ],
          roles: [],
        },
        statements: [
          {
            kind: 'av',
            rule: 'allow',
            sources: ['b_t', 'a_t', 'b_t'],
            targets: ['self', 'c_t'],
            classes: ['dir', 'file'],
            perms: ['read'],
          },
        ],
      }),
    );
    expect(out.split('\n').filter((l) => l.startsWith('(allow'))).toEqual([
      '(allow a_t c_t (file (read)))',
      '(allow a_t c_t (dir (read)))',
      '(allow a_t self (file (read)))',
      '(allow a_t self (dir (read)))',
      '(allow b_t c_t (file (read)))',
      '(allow b_t c_t (dir (read)))',
      '(allow b_t self (file (read)))',
      '(allow b_t self (dir (read)))',
    ]);
  });

  it('prints roles before types: object_r first, roletypes merged, object_r roletypes dropped', () => {
    const out = printCil(
      base({
        require: { types: ['b_t', 'a_t'], classes: [], roles: ['z_r', 'object_r'] },
        statements: [
          { kind: 'roletypes', role: 'z_r', types: ['a_t'] },
          { kind: 'roletypes', role: 'object_r', types: ['a_t'] },
          { kind: 'roletypes', role: 'y_r', types: ['a_t'] },
          { kind: 'roletypes', role: 'z_r', types: ['b_t'] },
        ],
      }),
    );
    expect(out).toBe(
      '(roleattributeset cil_gen_require object_r)\n' +
        '(roleattributeset cil_gen_require z_r)\n' +
        '(roletype z_r b_t)\n' +
        '(roletype z_r a_t)\n' +
        // not required: checkmodule would refuse it; printed without the require line
        '(roletype y_r a_t)\n' +
        '(typeattributeset cil_gen_require b_t)\n' +
        '(typeattributeset cil_gen_require a_t)\n',
    );
  });

  it('uses the CIL names of every rule kind', () => {
    const kinds = ['allow', 'dontaudit', 'auditallow', 'neverallow'] as const;
    const xkinds = ['allowxperm', 'dontauditxperm', 'auditallowxperm', 'neverallowxperm'] as const;
    const out = printCil({
      statements: [
        ...kinds.map((rule) => ({ kind: 'av' as const, rule, sources: ['a_t'], targets: ['b_t'], classes: ['file'], perms: ['ioctl'] })),
        ...xkinds.map((rule) => ({
          kind: 'xperm' as const,
          rule,
          sources: ['a_t'],
          targets: ['b_t'],
          classes: ['file'],
          operation: 'ioctl',
          ranges: [[0x5401, 0x5401]] as XpermRange[],
        })),
      ],
    });
    expect(out.split('\n').map((l) => l.split(' ')[0])).toEqual(['(allow', '(dontaudit', '(auditallow', '(neverallow', '(allowx', '(dontauditx', '(auditallowx', '(neverallowx', '']);
    expect(out).toContain('(allowx a_t b_t (ioctl file (0x5401)))\n');
  });

  it('skips rules with nothing to print', () => {
    const out = printCil({
      statements: [
        { kind: 'av', rule: 'allow', sources: ['a_t'], targets: ['b_t'], classes: ['file'], perms: [] },
        { kind: 'xperm', rule: 'allowxperm', sources: ['a_t'], targets: ['b_t'], classes: ['file'], operation: 'ioctl', ranges: [] },
      ],
    });
    expect(out).toBe('');
  });
});

describe('cilXpermChunks (checkmodule split + pp format; expectations are real pp output)', () => {
  const cases: Array<[XpermRange[], string[]]> = [
    [[[0x5401, 0x5401]], ['0x5401']],
    [
      [
        [0x5401, 0x5401],
        [0x5403, 0x5405],
      ],
      ['0x5401 (range 0x5403 0x5405)'],
    ],
    [[[0x0, 0xfe]], ['(range 0x0 0xfe)']],
    [[[0x0, 0xff]], ['(range 0x0 0xff)']],
    [[[0x1, 0xff]], ['(range 0x1 0xff)']],
    [[[0x0, 0x1ff]], ['(range 0x0 0x1ff)']],
    [[[0xff00, 0xffff]], ['(range 0xff00 0xffff)']],
    [[[0xff01, 0xffff]], ['(range 0xff01 0xffff)']],
    [[[0xfe80, 0xff7f]], ['(range 0xfe80 0xfeff)', '(range 0xff00 0xff7f)']],
    [
      [
        [0x100, 0x17f],
        [0x180, 0x1ff],
      ],
      ['(range 0x100 0x1ff)'],
    ],
    [
      [
        [0x5, 0x5],
        [0x3, 0x3],
        [0x4, 0x4],
        [0x1, 0x2],
      ],
      ['(range 0x1 0x5)'],
    ],
    [
      [
        [0x10, 0x20],
        [0x15, 0x30],
      ],
      ['(range 0x10 0x30)'],
    ],
    [[[0xff, 0x100]], ['0xff', '0x100']],
    [[[0xfe, 0x101]], ['(range 0xfe 0xff)', '(range 0x100 0x101)']],
    [[[0x0, 0xffff]], ['(range 0x0 0xffff)']],
    [
      [
        [0x1150, 0x13ff],
        [0x1400, 0x1400],
      ],
      ['(range 0x1200 0x13ff)', '(range 0x1150 0x11ff)', '0x1400'],
    ],
    [
      [
        [0x1300, 0x13ff],
        [0x1100, 0x11ff],
        [0x1250, 0x1250],
        [0xffff, 0xffff],
        [0x0, 0x0],
      ],
      ['(range 0x1100 0x11ff) (range 0x1300 0x13ff)', '0x0', '0x1250', '0xffff'],
    ],
    [
      [
        [0x8910, 0x8910],
        [0x5401, 0x5401],
        [0x5403, 0x5405],
        [0x54ff, 0x54ff],
        [0x5500, 0x5502],
      ],
      ['0x5401 (range 0x5403 0x5405) 0x54ff', '(range 0x5500 0x5502)', '0x8910'],
    ],
  ];
  it.each(cases)('%j', (ranges, want) => {
    expect(cilXpermChunks('ioctl', ranges)).toEqual(want);
  });

  it('agrees with the value-by-value split on random ranges', () => {
    // checkmodule's split, value by value: drivers whose 256 values are all in (ioctl only), then the others.
    const reference = (operation: string, ranges: readonly XpermRange[]): string[] => {
      const bits = new Uint8Array(0x10000);
      for (const [lo, hi] of ranges) bits.fill(1, lo, hi + 1);
      const hex = (v: number): string => `0x${v.toString(16)}`;
      const runsOf = (values: number[]): Array<[number, number]> => {
        const out: Array<[number, number]> = [];
        for (const v of values) {
          const last = out[out.length - 1];
          if (last && last[1] + 1 === v) last[1] = v;
          else out.push([v, v]);
        }
        return out;
      };
      const complete: number[] = [];
      const partial: number[][] = [];
      for (let d = 0; d < 0x100; d++) {
        const values: number[] = [];
        for (let v = d << 8; v <= ((d << 8) | 0xff); v++) if (bits[v]) values.push(v);
        if (values.length === 0x100 && operation === 'ioctl') complete.push(d);
        else if (values.length > 0) partial.push(values);
      }
      const chunks =
        complete.length > 0
          ? [
              runsOf(complete)
                .map(([a, b]) => `(range ${hex(a << 8)} ${hex((b << 8) | 0xff)})`)
                .join(' '),
            ]
          : [];
      for (const values of partial)
        chunks.push(
          runsOf(values)
            .map(([a, b]) => (a === b ? hex(a) : `(range ${hex(a)} ${hex(b)})`))
            .join(' '),
        );
      return chunks;
    };
    const range = fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0x300 })).map(([lo, len]): XpermRange => [lo, Math.min(0xffff, lo + len)]);
    fc.assert(
      fc.property(fc.constantFrom('ioctl', 'nlmsg'), fc.array(range, { maxLength: 8 }), (operation, ranges) => {
        expect(cilXpermChunks(operation, ranges)).toEqual(reference(operation, ranges));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects values outside 0..0xffff', () => {
    expect(() => cilXpermChunks('ioctl', [[0x10, 0x10000]])).toThrow(RangeError);
    expect(() => cilXpermChunks('ioctl', [[5, 4]])).toThrow(RangeError);
  });
});
