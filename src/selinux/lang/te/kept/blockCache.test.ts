// Kept require blocks (blockCache.ts): a placeless text whose first require
// block is the same text at the same offset as one read before gets that
// block's tokens and tree, and everything after it is as a fresh parse gives;
// what differs (the text, the offset, a diagnostic, a comment) is read anew.
import { describe, expect, it } from 'vitest';
import { isShared } from '../../../ir/index.js';
import { lexList } from '../lexer.js';
import { lowerModule } from '../lower/index.js';
import { parseModuleTextKeeping } from '../parse.js';
import { isKeptBlock, RequireBlockCache } from './blockCache.js';

/** A require block past the size worth keeping: many classes with many permissions, on many lines. */
const BLOCK = `require {\n${Array.from({ length: 60 }, (_, i) => `\tclass c${i} { ${Array.from({ length: 8 }, (_, k) => `perm_with_a_long_name_${k}`).join(' ')} };`).join('\n')}\n\ttype r0_t, r1_t;\n\tcategory c0;\n}`;

const moduleText = (name: string, rest: string, block = BLOCK): string => `module ${name} 1.0;\n\n${block}\n${rest}`;

const parse = (text: string, cache?: RequireBlockCache) => parseModuleTextKeeping({ name: 'm.tmp', text, placeless: true }, cache);

/** The token list's columns as plain arrays, names as text. */
function tokens(text: string, cache?: RequireBlockCache): unknown {
  const { list } = lexList(text, undefined, cache);
  const names = Array.from(list.nameIds.subarray(0, list.count), (id, i) => (list.types[i] === 0 ? list.table.strings[id] : ''));
  return [
    Array.from(list.types.subarray(0, list.count)),
    Array.from(list.starts.subarray(0, list.count)),
    Array.from(list.ends.subarray(0, list.count)),
    Array.from(list.keywords.subarray(0, list.count)),
    names,
  ];
}

describe('kept require blocks', () => {
  it('a second text with the block at the same offset shares the first one’s tree, and parses as without the cache', () => {
    const cache = new RequireBlockCache();
    const first = parse(moduleText('aa', 'type a_t;\nallow a_t r0_t:c1 perm_with_a_long_name_3;\n'), cache);
    expect(first.diagnostics).toEqual([]);
    const kept = first.ast.statements[0];
    expect(kept?.kind).toBe('require');
    expect(Object.isFrozen(kept)).toBe(true);
    const text = moduleText('bb', 'type b_t;\nallow b_t r1_t:c2 perm_with_a_long_name_5;\noptional { require { type x_t; } allow b_t x_t:c0 perm_with_a_long_name_0; }\n');
    const second = parse(text, cache);
    expect(second.ast.statements[0]).toBe(kept);
    expect(second.ast).toEqual(parse(text).ast);
    expect(tokens(text, cache)).toEqual(tokens(text));
    // Line starts after the block come from the kept block: positions past it are as a fresh parse's.
    const at = text.indexOf('allow');
    expect(second.map.textPosition(at)).toEqual(parse(text).map.textPosition(at));
  });

  it('reads the block anew at another offset, with other text there, or in a text that is placed', () => {
    const cache = new RequireBlockCache();
    const kept = parse(moduleText('aa', 'type a_t;\n'), cache).ast.statements[0];
    const longer = parse(moduleText('abc', 'type a_t;\n'), cache).ast.statements[0];
    expect(longer).not.toBe(kept);
    const other = BLOCK.replace('perm_with_a_long_name_7 }', 'perm_with_a_long_name_7 other }');
    const changed = parse(moduleText('bb', 'type a_t;\n', other), cache).ast.statements[0];
    expect(changed).not.toBe(kept);
    expect(JSON.stringify(changed)).toContain('"other"');
    const placed = parseModuleTextKeeping({ name: 'm.tmp', text: moduleText('bb', 'type a_t;\n') }, cache);
    expect(placed.ast.statements[0]).not.toBe(kept);
    expect(placed.ast.statements[0]?.span).toMatchObject({ line: 3 });
  });

  it('keeps no block from a text with a diagnostic, a comment in the block, or a short block', () => {
    const notKept = (block: string, rest = ''): void => {
      const cache = new RequireBlockCache();
      const first = parse(moduleText('aa', rest, block), cache).ast.statements[0] as never;
      expect(isKeptBlock(first)).toBe(false);
      expect(parse(moduleText('bb', '', block), cache).ast.statements[0]).not.toBe(first);
    };
    notKept(BLOCK, 'allow $ ;\n');
    notKept(BLOCK.replace('\ttype r0_t', '#line 7\n\ttype r0_t'));
    notKept('require { type r0_t; }');
  });

  it('a kept block lowers once: its IR is shared and frozen, the module’s IR as without the cache', () => {
    const cache = new RequireBlockCache();
    const a = lowerModule(parse(moduleText('aa', 'type a_t;\n'), cache).ast);
    const second = parse(moduleText('bb', 'type b_t;\n'), cache).ast;
    expect(isKeptBlock(second.statements[0] as never)).toBe(true);
    const b = lowerModule(second);
    expect(b.statements[0]).toBe(a.statements[0]);
    expect(Object.isFrozen(b.statements[0])).toBe(true);
    // Marked shared, so that the stages after the lowering may keep what they make of it.
    expect(isShared(b.statements[0] as object)).toBe(true);
    const fresh = lowerModule(parse(moduleText('bb', 'type b_t;\n')).ast);
    expect(b).toEqual(fresh);
    expect(isShared(fresh.statements[0] as object)).toBe(false);
  });
});
