import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeOracle, SYSTEM_PYTHON } from '../../test/oracle/support/oracles.js';
import { pythonRegex } from './pythonRe.js';

const TABLE = new URL('../../test/fixtures/pythonRe/table.json', import.meta.url);
const SCRIPT = new URL('../../test/fixtures/pythonRe/table.py', import.meta.url);
interface Table {
  names: string[];
  cases: { pattern: string; search: string[]; match: string[] }[];
}
const table = JSON.parse(readFileSync(TABLE, 'utf8')) as Table;

describe('pythonRegex', () => {
  it("finds what Python's re.search and re.match find (table written by Python)", () => {
    expect(table.cases.length).toBeGreaterThan(0);
    for (const c of table.cases) {
      const s = pythonRegex(c.pattern, 'search');
      const m = pythonRegex(c.pattern, 'match');
      expect(
        table.names.filter((n) => s.test(n)),
        `search ${c.pattern}`,
      ).toEqual(c.search);
      expect(
        table.names.filter((n) => m.test(n)),
        `match ${c.pattern}`,
      ).toEqual(c.match);
    }
  });

  it('refuses what it cannot translate faithfully', () => {
    expect(() => pythonRegex('(?x) a b')).toThrow('verbose mode');
    expect(() => pythonRegex('a(?#no end')).toThrow('unterminated comment');
    expect(() => pythonRegex('(')).toThrow(SyntaxError);
  });
});

describeOracle('pythonRegex table', () => {
  it('is what Python says today', () => {
    const r = spawnSync(SYSTEM_PYTHON, [SCRIPT.pathname], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(table);
  });
}, ['python']);
