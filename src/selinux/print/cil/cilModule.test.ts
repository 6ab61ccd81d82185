// printModuleCil against pp's own output: test/fixtures/cil/porthole_pp.{te,fc}
// exercises each rule of the emitter (permission order, generated attributes
// numbered by first use and printed last first, classes of a type rule last
// first, name transitions last first, conditionals merged and printed last
// first with a top-level `not` taken off, rules of a branch last first,
// aliases resolved, optional numbering and nesting by requirements, the else
// branch dropped, additive attributes and role types, filecon), and
// porthole_pp.cil is what checkmodule + semodule_package + pp 3.4 printed for
// it (test/oracle/te/te-cil.oracle.test.ts checks it still is). Deleting any
// of those rules changes a line of the output.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../base/diagnostic.js';
import type { Module } from '../../ir/index.js';
import { parseFileContextsText, parseModuleText } from '../../lang/te/index.js';
import { lowerFileContexts, lowerModule } from '../../lang/te/lower/index.js';
import { hashOrder, symhash } from './cilHash.js';
import { printModuleCil } from './cilModule.js';

const fixture = (name: string): string => readFileSync(new URL(`../../../../test/fixtures/cil/${name}`, import.meta.url), 'latin1');

function lowered(te: string, fc = ''): { module: Module; fc: ReturnType<typeof lowerFileContexts> } {
  const parsed = parseModuleText({ name: 'm.te', text: te });
  expect(parsed.diagnostics).toEqual([]);
  const fcParsed = parseFileContextsText({ name: 'm.fc', text: fc });
  return { module: lowerModule(parsed.ast), fc: lowerFileContexts(fcParsed.ast) };
}

describe('printModuleCil', () => {
  it('prints the fixture module byte for byte as pp does, and warns of what it drops', () => {
    const { module, fc } = lowered(fixture('porthole_pp.te'), fixture('porthole_pp.fc'));
    const warnings: Diagnostic[] = [];
    const out = printModuleCil(module, fc, { onDiagnostic: (d) => warnings.push(d) });
    expect(out).toBe(fixture('porthole_pp.cil'));
    expect(warnings.map((d) => d.code)).toEqual(['cil-unsupported']);
  });

  const head = 'module m 1.0;\nrequire { type a_t, b_t, c_t; class file { read write }; }\ntype m_t;\n';

  it('nests an optional in the one before it when it requires all that one does, else closes it', () => {
    // The module's own requires count in every optional's (and so never decide).
    const te = `module m 1.0;\nrequire { class file read; }\ntype m_t;\noptional { require { type a_t; } allow m_t a_t:file read; }\noptional { require { type a_t; type b_t; } allow m_t b_t:file read; }\noptional { require { type c_t; } allow m_t c_t:file read; }\n`;
    const lines = printModuleCil(lowered(te).module).split('\n');
    expect(lines.filter((l) => l.includes('(optional') || l.trim() === ')')).toEqual(['(optional m_optional_2', '    (optional m_optional_3', '    )', ')', '(optional m_optional_4', ')']);
  });

  it("numbers generated attributes over the whole module and prints each block's last first", () => {
    const te = `${head}allow m_t { a_t -b_t }:file read;\nallow m_t { a_t -c_t }:file read;\nallow m_t { a_t -b_t }:file write;\noptional { require { type a_t; } allow m_t { b_t -a_t }:file read; }\n`;
    const out = printModuleCil(lowered(te).module);
    expect(out.match(/\(typeattribute m_typeattr_\d\)/g)).toEqual(['(typeattribute m_typeattr_2)', '(typeattribute m_typeattr_1)', '(typeattribute m_typeattr_3)']);
    expect(out).toContain('(allow m_t m_typeattr_1 (file (write)))');
    expect(out).toContain('(typeattributeset m_typeattr_1 (and (a_t ) (not (b_t ))))');
  });

  it('lists permissions in the order the module declares them', () => {
    const out = printModuleCil(lowered(`${head}allow m_t a_t:file { write read };\n`).module);
    expect(out).toContain('(allow m_t a_t (file (read write)))');
  });

  it("prints filecon lines with pp's modes and contexts", () => {
    const { module, fc } = lowered(head, '/x(/.*)?\tsystem_u:object_r:m_t:s0\n/y\t-s\t<<none>>\n');
    expect(printModuleCil(module, fc).split('\n').slice(-3)).toEqual(['(filecon "/x(/.*)?" any (system_u object_r m_t ((s0) (s0))))', '(filecon "/y" socket ())', '']);
  });
});

describe('libsepol hash-table order', () => {
  it('hashes as symhash does and orders buckets, then keys', () => {
    expect(symhash('a')).toBe(0x61);
    expect(symhash('ab')).toBe((0x61 << 4) ^ 0x62);
    // 33 keys: a table of 32 buckets doubles to 64 before the 33rd insertion.
    const keys = Array.from({ length: 33 }, (_, i) => `t${i}`);
    const order = hashOrder(keys, 32);
    const bucket = (k: string): number => symhash(k) & 63;
    for (let i = 1; i < order.length; i++) {
      const [a, b] = [order[i - 1]!, order[i]!];
      expect(bucket(a) < bucket(b) || (bucket(a) === bucket(b) && a < b)).toBe(true);
    }
  });
});
