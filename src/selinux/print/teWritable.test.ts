import { describe, expect, it } from 'vitest';
import { PortholeError } from '../../base/diagnostic.js';
import type { Module, Statement } from '../ir/index.js';
import { printTe } from './te.js';
import { checkTeWritable, isTeKeyword } from './teWritable.js';

const module = (statements: Statement[], layout: Module['layout'] = 'written', name = 'm'): Module => ({ name, version: '1.0', layout, statements });
const allow = (source: string): Statement => ({ kind: 'av', rule: 'allow', sources: [source], targets: ['b_t'], classes: ['file'], perms: ['read'] });

describe('checkTeWritable', () => {
  it("knows the scanner's keywords, all lowercase or all uppercase", () => {
    expect(['source', 't1', 'ALLOW', 'low-high', 'Self'].map(isTeKeyword)).toEqual([true, true, true, true, false]);
    expect(isTeKeyword('Allow')).toBe(false);
  });

  it('refuses keyword names, dotted categories, object names with a slash and module names that are not identifiers', () => {
    const m = module(
      [
        allow('source'),
        { kind: 'range_transition', sources: ['a_t'], targets: ['b_t'], classes: [], range: { low: { sensitivity: 's0', categories: ['c0.c1'] } } },
        { kind: 'typerule', rule: 'type_transition', sources: ['a_t'], targets: ['b_t'], classes: ['file'], result: 'c_t', objectName: 'a/b' },
      ],
      'written',
      'a..b',
    );
    expect(checkTeWritable(m).map((d) => [d.code, d.data?.kind, d.data?.name])).toEqual([
      ['bad-identifier', 'module', 'a..b'],
      ['bad-identifier', 'type', 'source'],
      ['bad-identifier', 'category', 'c0.c1'],
      ['bad-identifier', 'objectName', 'a/b'],
    ]);
    expect(() => printTe(m)).toThrow(PortholeError);
  });

  it("leaves audit2allow's layout as it is", () => {
    expect(printTe(module([allow('source')], 'audit2allow'))).toContain('allow source b_t:file read;');
    expect(checkTeWritable(module([allow('a_t')]))).toEqual([]);
  });
});
