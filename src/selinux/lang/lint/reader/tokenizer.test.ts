import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, no types
import { assembleWasm, WASM_MODULES } from '../../../../../scripts/build-wasm.mjs';
import { Rng } from '../../../../../test/gen/prng.js';
import { PRIMER } from '../primer.js';
import { type Tokens, tokenizeInJs, tokenizeInWasm } from './tokenizer.js';

/** A token list as rows (text, line, quote depth, spaced), for comparing and reading. */
const rows = (t: Tokens): [string, number, number, number][] => t.text.map((w, i) => [w, t.line[i]!, t.q[i]!, t.spaced[i]!]);

/** The WebAssembly loop's tokens (there is WebAssembly here: tokenize never falls back to JavaScript in these tests). */
function wasmTokens(text: string): Tokens {
  const t = tokenizeInWasm(text);
  expect(t).toBeDefined();
  return t!;
}

describe('the lint tokenizer', () => {
  it('is the assembly of tokenizer.wat (run node scripts/build-wasm.mjs after editing it)', async () => {
    const committed = readFileSync(new URL('./tokenizer.wasm.ts', import.meta.url), 'utf8');
    expect(committed).toBe(await assembleWasm(WASM_MODULES[1]));
  });

  it('gives words, strings and punctuation with their line, quote depth and spacing', () => {
    const text = "allow a_t self:file { read };\n`x'y`q' \"s t\" # c `\ndnl gone\n`dnl kept' z.1$2~*-";
    const expected: [string, number, number, number][] = [
      ['allow', 1, 0, 1],
      ['a_t', 1, 0, 1],
      ['self', 1, 0, 1],
      [':', 1, 0, 0],
      ['file', 1, 0, 0],
      ['{', 1, 0, 1],
      ['read', 1, 0, 1],
      ['}', 1, 0, 1],
      [';', 1, 0, 0],
      ['x', 2, 1, 1],
      ['y', 2, 0, 0],
      ['q', 2, 1, 0],
      ['"s t"', 2, 0, 1],
      ['dnl', 4, 1, 1],
      ['kept', 4, 1, 1],
      ['z.1$2', 4, 0, 1],
      ['~', 4, 0, 0],
      ['*', 4, 0, 0],
      ['-', 4, 0, 0],
    ];
    expect(rows(wasmTokens(text))).toEqual(expected);
    expect(rows(tokenizeInJs(text))).toEqual(expected);
  });

  it('ends a string without its closing quote at the end of its line (the next line keeps its number)', () => {
    const expected = [
      ['"abc', 1, 0, 1],
      ['d', 2, 0, 1],
    ];
    expect(rows(wasmTokens('"abc\nd'))).toEqual(expected);
    expect(rows(tokenizeInJs('"abc\nd'))).toEqual(expected);
  });

  it('counts the quotes of a comment inside quotes, not outside', () => {
    // Inside quotes the policy's comment: its ` opens a quote m4 counts. Outside, m4's comment: nothing counts.
    expect(rows(wasmTokens("`# a ` b\n' c' d\n# e `\nf"))).toEqual([
      ['c', 2, 1, 1],
      ['d', 2, 0, 1],
      ['f', 4, 0, 1],
    ]);
  });

  it('drops characters beyond latin1 as any other character it does not keep', () => {
    // A character of a text not read from a file (the library's callers): not a word character.
    for (const text of ['a\u0161b', 'x \u{1F600}y', '\u0100(']) expect(rows(wasmTokens(text))).toEqual(rows(tokenizeInJs(text)));
    expect(wasmTokens('a\u0161b').text).toEqual(['a', 'b']);
  });

  it('gives the same tokens in WebAssembly and in JavaScript (the primer, generated sources)', () => {
    for (const p of PRIMER) expect(rows(wasmTokens(p.text))).toEqual(rows(tokenizeInJs(p.text)));
    const alphabet = ['a', 'b_t', '$1', '.', ' ', '\t', '\r', '\n', '`', "'", '#', '"', 'dnl', 'dn', '{', '}', '(', ')', ';', ',', ':', '~', '*', '-', '=', '\u00e9', '\u0161', '\0'];
    const rng = new Rng(16, 3);
    for (let n = 0; n < 2000; n++) {
      let text = '';
      const len = rng.int(60);
      for (let i = 0; i < len; i++) text += alphabet[rng.int(alphabet.length)];
      expect(rows(wasmTokens(text)), JSON.stringify(text)).toEqual(rows(tokenizeInJs(text)));
    }
  });

  it('reads sources with more distinct words than its table holds (a new table, a larger one)', () => {
    // 40,000 distinct words in one source fill the first table (32,768 words): it is made twice the
    // size; sources after it with new words fill that one and it is started again.
    const many = (k: number, n: number) => Array.from({ length: n }, (_, i) => `w${k}_${i}`).join(' ');
    for (let k = 0; k < 4; k++) {
      const text = many(k, k === 0 ? 40_000 : 30_000);
      const wasm = wasmTokens(text);
      expect(wasm.text.length).toBe(k === 0 ? 40_000 : 30_000);
      expect(wasm.text).toEqual(tokenizeInJs(text).text);
    }
    expect(wasmTokens('w0_1 w3_2 fresh').text).toEqual(['w0_1', 'w3_2', 'fresh']);
  });

  it('reads an empty source and one without tokens', () => {
    expect(wasmTokens('').text).toEqual([]);
    expect(wasmTokens('# only a comment\n\n').text).toEqual([]);
  });
});
