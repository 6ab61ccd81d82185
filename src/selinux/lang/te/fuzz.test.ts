// The parser on what no one writes: random streams of the language's tokens
// and random bytes never throw, never hang, and every diagnostic has a place
// inside the text; nor do the checks (checkModule) or the lowering (lowerModule) on what the parser made,
// and what lowers prints as text that parses and lowers back to it. Fixed seeds; PORTHOLE_FUZZ=long runs many more cases.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '../../../../test/support/fuzzRuns.js';
import { stripSpans } from '../../../../test/support/stripSpans.js';
import { checkModule, lowerFileContexts, lowerModule, parseFileContextsText, parseModuleText, printTe } from '../../../index.js';

const WORDS = [
  'module',
  'require',
  'type',
  'attribute',
  'typeattribute',
  'typealias',
  'alias',
  'expandattribute',
  'typebounds',
  'permissive',
  'bool',
  'tunable',
  'true',
  'false',
  'if',
  'else',
  'optional',
  'allow',
  'auditallow',
  'dontaudit',
  'neverallow',
  'allowxperm',
  'type_transition',
  'type_member',
  'type_change',
  'range_transition',
  'role',
  'types',
  'roles',
  'attribute_role',
  'roleattribute',
  'role_transition',
  'user',
  'level',
  'range',
  'class',
  'common',
  'inherits',
  'sid',
  'genfscon',
  'portcon',
  'netifcon',
  'nodecon',
  'fs_use_xattr',
  'constrain',
  'mlsconstrain',
  'sensitivity',
  'dominance',
  'category',
  'policycap',
  'default_range',
  'ioctl',
  'self',
  'a_t',
  'b_t',
  'file',
  'read',
  's0',
  'c0.c1023',
  'system_u:object_r:a_t:s0',
  '0x8910',
  '42',
  '1.0',
  '127.0.0.1',
  '::1',
  '/usr/bin',
  '"name"',
  '{',
  '}',
  '(',
  ')',
  ';',
  ':',
  ',',
  '-',
  '~',
  '*',
  '&&',
  '||',
  '!',
  '^',
  '==',
  '!=',
  'and',
  'not',
  '#line 7',
  '#line 1 "x.te"',
  '\n',
  '$',
  '"',
];

function checkResult(text: string, r: { diagnostics: { span?: { line: number } | undefined }[] }): void {
  const lines = text.split('\n').length;
  for (const d of r.diagnostics) expect(d.span === undefined || d.span.line <= lines).toBe(true);
}

describe('fuzz', () => {
  it('random token streams parse without throwing', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { maxLength: 120 }), (words) => {
        const text = words.join(' ');
        const r = parseModuleText({ name: 'f.te', text });
        expect(r.ast.kind).toBe('moduleFile');
        checkResult(text, r);
        checkResult(text, { diagnostics: checkModule(r.ast, r.map) });
        const m = lowerModule(r.ast);
        const printed = printTe(m);
        const again = parseModuleText(printed);
        expect(again.diagnostics).toEqual([]);
        expect(stripSpans(lowerModule(again.ast))).toEqual(stripSpans(m));
      }),
      { seed: 14, numRuns: fuzzRuns(300) },
    );
  });

  it('random bytes parse as .te and .fc without throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const text = Buffer.from(bytes).toString('latin1');
        const r = parseModuleText(text);
        checkResult(text, r);
        lowerModule(r.ast);
        lowerFileContexts(parseFileContextsText(text).ast);
      }),
      { seed: 15, numRuns: fuzzRuns(300) },
    );
  });

  it('deep random nesting ends in a diagnostic, not an overflow', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('{', '(', 'optional {', 'if (', '~{', 'allow {', '-'), { minLength: 500, maxLength: 3000 }), (words) => {
        parseModuleText(words.join(' '));
      }),
      { seed: 16, numRuns: fuzzRuns(20) },
    );
  });
});
