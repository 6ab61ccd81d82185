// The lint reader's tokens (source.ts reads them into items): words (names,
// `$1`, numbers), `"strings"` and the punctuation { } ( ) ; , : ~ * - of a
// policy source as selint reads it without m4: m4's quotes (` ') dropped with
// their depth kept on each token, `#` comments and `dnl` lines dropped.
// Two implementations of the one definition: the WebAssembly loop
// (tokenizer.wat), compiled before it runs, whose tokens for the reference
// policy's 6.5 MB cost ≈ 85 ms of a fresh process (≈ 25 ms in WebAssembly,
// the rest making their strings) where the JavaScript loop, not yet
// compiled, took 90-150 ms; and the JavaScript loop, used without
// WebAssembly. Tests hold them to the same tokens.
import { TOKENIZER_BASE64 } from './tokenizer.wasm.js';

/** A source's tokens as columns: each a word (a name, `$1`, a number), a `"string"`, or one punctuation character. */
// The numeric columns are typed arrays: off the garbage-collected heap, which then holds only the
// items kept for the rules.
export interface Tokens {
  text: string[];
  line: Uint32Array;
  /** m4's quote depth where the token stands. */
  q: Int32Array;
  /** Whether whitespace (or a comment) stands right before it (1) or not (0). */
  spaced: Uint8Array;
}

/** Characters of a word: letters, digits, `_`, `$`, `.`. */
const WORD = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$.') WORD[c.charCodeAt(0)] = 1;
export const isWord = (code: number): boolean => code < 128 && WORD[code] === 1;

/** Whether a token is a word (not punctuation, not a string). */
export const isWordToken = (t: string): boolean => isWord(t.charCodeAt(0));

/** Punctuation kept as a token: { } ( ) ; , : ~ * - (the rest is dropped). */
export const PUNCT_CODE = new Uint8Array(128);
for (const c of '{}();,:~*-') PUNCT_CODE[c.charCodeAt(0)] = 1;
/** The punctuation tokens by character code (the WebAssembly loop writes -code for them). */
const PUNCT_TEXT: string[] = [];
for (const c of '{}();,:~*-') PUNCT_TEXT[c.charCodeAt(0)] = c;

/** The tokens of a source: comments, dnl lines and m4's quote characters dropped (their depth kept on each token). */
export function tokenize(text: string): Tokens {
  return tokenizeInWasm(text) ?? tokenizeInJs(text);
}

// ---- the WebAssembly loop ----

interface TokenizerExports {
  reset(table: number, size: number, arena: number, arenaEnd: number): void;
  tokenize(at: number, n: number, out: number): number;
}

const PAGE = 64 * 1024;
/** Where the word table starts: the loop's byte classes take the first 256 bytes. */
const TABLE = 256;
/** Stay well below a 32-bit memory's 4 GB. */
const MAX_BYTES = 2 ** 31;
const NON_LATIN1 = /[^\0-\xff]/;
const NON_LATIN1_ALL = /[^\0-\xff]/g;

/** One instance per process: its word table (and the strings of its word numbers) serve every source. */
class WasmTokenizer {
  private readonly memory: WebAssembly.Memory;
  private readonly loop: TokenizerExports;
  private bytes: Buffer;
  /** Entries of the word table (a power of 2) and bytes of its arena: doubled when one source fills them. */
  private size = 1 << 16;
  private arena = 1 << 20;
  /** The word of each number the table gave. */
  private words: string[] = [];
  /** No source has been tokenized since the table was emptied. */
  private fresh = true;

  constructor(mod: WebAssembly.Module) {
    // Room for the table, the arena and a 2 MB source from the start (pages never written cost nothing): growing the
    // memory detaches its buffer, and V8 then throws away all optimized code that reads typed arrays.
    this.memory = new WebAssembly.Memory({ initial: Math.ceil((TABLE + this.size * 16 + this.arena + 22 * 2 * 1024 * 1024) / PAGE), maximum: MAX_BYTES / PAGE });
    this.loop = new WebAssembly.Instance(mod, { porthole: { memory: this.memory } }).exports as unknown as TokenizerExports;
    this.bytes = Buffer.from(this.memory.buffer);
    this.reset();
  }

  private reset(): void {
    this.loop.reset(TABLE, this.size, TABLE + this.size * 16, TABLE + this.size * 16 + this.arena);
    this.words = [];
    this.fresh = true;
  }

  /** The tokens, or undefined when the memory cannot hold the source. */
  tokens(text: string): Tokens | undefined {
    const n = text.length;
    const at = TABLE + this.size * 16 + this.arena;
    const out = (at + n + 8) & ~3;
    // Six columns of n + 1 entries (the last of one byte), and room for the loop's 4-byte look at a word's bytes.
    if (!this.room(out + 21 * (n + 1) + 8)) return undefined;
    // A character beyond latin1 (text not read from a file) is no word or punctuation character: any such byte stands for it.
    this.bytes.write(NON_LATIN1.test(text) ? text.replace(NON_LATIN1_ALL, '\x80') : text, at, 'latin1');
    const k = this.loop.tokenize(at, n, out);
    if (k < 0) return this.refill(text);
    this.fresh = false;
    const buf = this.memory.buffer;
    const stride = n + 1;
    return {
      text: tokenTexts(text, new Int32Array(buf, out, k), new Uint32Array(buf, out + 12 * stride, k), new Uint32Array(buf, out + 16 * stride, k), this.words),
      line: new Uint32Array(buf, out + 4 * stride, k).slice(),
      q: new Int32Array(buf, out + 8 * stride, k).slice(),
      spaced: new Uint8Array(buf, out + 20 * stride, k).slice(),
    };
  }

  /** Whether the memory reaches `top` bytes (grown if needed). */
  private room(top: number): boolean {
    if (top <= this.bytes.length) return true;
    if (top > MAX_BYTES) return false;
    try {
      this.memory.grow(Math.ceil((top - this.bytes.length) / PAGE));
    } catch {
      return false;
    }
    this.bytes = Buffer.from(this.memory.buffer);
    return true;
  }

  /** The tokens when the word table filled: a new table (twice the size when this source alone filled it), and the source again. */
  private refill(text: string): Tokens | undefined {
    if (this.fresh) {
      this.size *= 2;
      this.arena *= 2;
    }
    this.reset();
    return this.tokens(text);
  }
}

/** The tokens' strings: a word by its number (a number not seen before is the next one: its word cut from the text once), a string cut from the text, punctuation by its character. */
function tokenTexts(text: string, ids: Int32Array, start: Uint32Array, end: Uint32Array, words: string[]): string[] {
  const k = ids.length;
  const toks: string[] = [];
  for (let j = 0; j < k; j++) {
    const id = ids[j]!;
    if (id >= 0) {
      if (id < words.length) toks.push(words[id]!);
      else {
        const w = text.slice(start[j], end[j]);
        words.push(w);
        toks.push(w);
      }
    } else if (id === -1) toks.push(text.slice(start[j], end[j]));
    else toks.push(PUNCT_TEXT[-id]!);
  }
  return toks;
}

let instance: WasmTokenizer | null | undefined;

/** tokenize's WebAssembly loop; undefined without WebAssembly, or for a source too large for its memory. */
export function tokenizeInWasm(text: string): Tokens | undefined {
  if (instance === undefined) {
    try {
      instance = typeof WebAssembly === 'object' ? new WasmTokenizer(new WebAssembly.Module(Buffer.from(TOKENIZER_BASE64, 'base64'))) : null;
    } catch {
      instance = null;
    }
  }
  return instance?.tokens(text);
}

// ---- the JavaScript loop ----

// One string per distinct word across all sources: a few thousand distinct words make most of the
// millions of tokens of a tree.
const words = new Map<string, string>();

// Scratch columns, grown as needed and shared by every call: a token a character at worst, copied
// out at their length (sizing them per file would zero and account megabytes of memory per file).
let scratch = { line: new Uint32Array(0), q: new Int32Array(0), spaced: new Uint8Array(0) };

const NL = 10;
const BACKQUOTE = 96;
const QUOTE = 39;
const HASH = 35;
const DQUOTE = 34;

/** tokenize's JavaScript loop. */
export function tokenizeInJs(text: string): Tokens {
  const n = text.length;
  if (scratch.line.length < n + 1) scratch = { line: new Uint32Array(n + 1), q: new Int32Array(n + 1), spaced: new Uint8Array(n + 1) };
  const { line: lines, q: qs, spaced: sp } = scratch;
  const toks: string[] = [];
  let k = 0;
  let line = 1;
  let q = 0;
  let spaced = 1;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === NL) {
      line++;
      i++;
      spaced = 1;
    } else if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
      // Whitespace: space, \t, \r, \f, \v.
      i++;
      spaced = 1;
    } else if (c === BACKQUOTE) {
      q++;
      i++;
    } else if (c === QUOTE) {
      if (q > 0) q--;
      i++;
    } else if (c === HASH) {
      // Outside quotes an m4 comment (quotes in it do not count); inside, the policy's comment, whose quotes m4 still counts.
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === NL) break;
        if (q > 0 && d === BACKQUOTE) q++;
        else if (q > 0 && d === QUOTE) q--;
        i++;
      }
      spaced = 1;
    } else if (c === DQUOTE) {
      // To its closing quote, or to the end of its line (the newline not in it).
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== DQUOTE && text.charCodeAt(j) !== NL) j++;
      if (j < n && text.charCodeAt(j) === DQUOTE) j++;
      toks.push(text.slice(i, j));
      lines[k] = line;
      qs[k] = q;
      sp[k++] = spaced;
      i = j;
      spaced = 0;
    } else if (isWord(c)) {
      let j = i + 1;
      while (j < n && isWord(text.charCodeAt(j))) j++;
      const slice = text.slice(i, j);
      let word = words.get(slice);
      if (word === undefined) {
        words.set(slice, slice);
        word = slice;
      }
      if (word === 'dnl' && q === 0) {
        while (j < n && text.charCodeAt(j) !== NL) j++;
        spaced = 1;
      } else {
        toks.push(word);
        lines[k] = line;
        qs[k] = q;
        sp[k++] = spaced;
        spaced = 0;
      }
      i = j;
    } else {
      if (c < 128 && PUNCT_CODE[c] === 1) {
        toks.push(text[i]!);
        lines[k] = line;
        qs[k] = q;
        sp[k++] = spaced;
      }
      i++;
      spaced = 0;
    }
  }
  return { text: toks, line: lines.slice(0, k), q: qs.slice(0, k), spaced: sp.slice(0, k) };
}
