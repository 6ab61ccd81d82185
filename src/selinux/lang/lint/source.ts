// A policy source (.te, .if, .spt) read for the lint rules as written, without
// running m4, as selint reads it: m4's quotes (` ') only group macro arguments,
// `#` comments and `dnl` run to the end of the line, a name written right
// before `(` is a macro call whose arguments are split at commas outside
// deeper quotes, `{ }` groups statements (require, optional, if/else), and
// anything else is a statement up to its `;`. m4 expansion (about 3 s for the
// reference policy's 408 modules) is the build's job; the lint rules need the
// source's own shape (permission lists as written, require blocks, interface
// bodies), which expansion would erase.
// Not here: what a statement means (statements.ts).
import type { LintAvRule, LintDeclaration } from './statementTypes.js';

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

export interface CallItem {
  kind: 'call';
  /** It stands in a require block (gen_require's argument, `require { }`). */
  inRequire: boolean;
  name: string;
  line: number;
  /** The line of the closing parenthesis. */
  endLine: number;
  args: Item[][];
}

export interface BlockItem {
  kind: 'block';
  inRequire: boolean;
  /** `require`, `optional`, `else`, or '' for a bare `{ }` (after `if (...)`). */
  keyword: string;
  line: number;
  items: Item[];
}

export interface StatementItem {
  kind: 'statement';
  inRequire: boolean;
  /** Its tokens' text without the closing `;`; calls written inside it are its `calls`. */
  tokens: string[];
  calls: CallItem[];
  line: number;
  endLine: number;
  /**
   * What statements.ts read from it, kept for the next rule (null: not an access rule); made when
   * first needed. There from the start (undefined): a property added later would give statements
   * two shapes, and code optimized for one is thrown away when it meets the other.
   */
  memo: { av?: LintAvRule | null; declared?: LintDeclaration[]; required?: LintDeclaration[] } | undefined;
}

export type Item = CallItem | BlockItem | StatementItem;

/** Characters of a word: letters, digits, `_`, `$`, `.`. */
const WORD = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$.') WORD[c.charCodeAt(0)] = 1;
const isWord = (code: number): boolean => code < 128 && WORD[code] === 1;

/** Whether a token is a word (not punctuation, not a string). */
export const isWordToken = (t: string): boolean => isWord(t.charCodeAt(0));
const PUNCT = new Set(['{', '}', '(', ')', ';', ',', ':', '~', '*', '-']);

// One string per distinct word across all sources: the items of a whole tree are kept for the
// rules, and a few thousand distinct words make most of their millions of tokens (the slice itself
// dies young, which the garbage collector does not pay for; a kept copy it copies twice).
const words = new Map<string, string>();

// Scratch columns, grown as needed and shared by every call: a token a character at worst, copied
// out at their length (sizing them per file would zero and account megabytes of memory per file).
let scratch = { line: new Uint32Array(0), q: new Int32Array(0), spaced: new Uint8Array(0) };

const NL = 10;
const BACKQUOTE = 96;
const QUOTE = 39;
const HASH = 35;
const DQUOTE = 34;
/** Punctuation kept as a token: { } ( ) ; , : ~ * - (the rest is dropped). */
const PUNCT_CODE = new Uint8Array(128);
for (const c of PUNCT) PUNCT_CODE[c.charCodeAt(0)] = 1;

/** The tokens of a source: comments, dnl lines and m4's quote characters dropped (their depth kept on each token). */
export function tokenize(text: string): Tokens {
  const n = text.length;
  if (scratch.line.length < n + 1) scratch = { line: new Uint32Array(n + 1), q: new Int32Array(n + 1), spaced: new Uint8Array(n + 1) };
  const { line: lines, q: qs, spaced: sp } = scratch;
  const toks: string[] = [];
  let k = 0;
  let line = 1;
  let q = 0;
  let spaced = 1;
  let i = 0;
  // The character tests and the word table are written out here, not called: this loop runs once
  // per character in a fresh process, where check turns the optimizing compiler's inlining off
  // (src/cli/check.ts).
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
      if (q === 0) {
        const end = text.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else
        while (i < n) {
          const d = text.charCodeAt(i);
          if (d === NL) break;
          if (q > 0 && d === BACKQUOTE) q++;
          else if (q > 0 && d === QUOTE) q--;
          i++;
        }
      spaced = 1;
    } else if (c === DQUOTE) {
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== DQUOTE && text.charCodeAt(j) !== NL) j++;
      toks.push(text.slice(i, j + 1));
      lines[k] = line;
      qs[k] = q;
      sp[k++] = spaced;
      i = j + 1;
      spaced = 0;
    } else if (c < 128 && WORD[c] === 1) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d >= 128 || WORD[d] !== 1) break;
        j++;
      }
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

/** Where a list of items ends: at the end, a `}` of its block, or an argument separator of its call (at the call's quote depth). */
interface Stop {
  brace: boolean;
  argQ: number;
}

const isPunct = (t: string | undefined): boolean => t !== undefined && t.length === 1 && PUNCT_CODE[t.charCodeAt(0)] === 1;

class Reader {
  i = 0;
  readonly n: number;
  constructor(readonly t: Tokens) {
    this.n = t.text.length;
  }

  private atStop(stop: Stop): boolean {
    if (this.i >= this.n) return true;
    const k = this.t.text[this.i]!;
    if (stop.brace && k === '}') return true;
    return stop.argQ >= 0 && this.t.q[this.i] === stop.argQ && (k === ',' || k === ')');
  }

  private isCall(): boolean {
    const k = this.t.text[this.i];
    return k !== undefined && isWord(k.charCodeAt(0)) && this.t.text[this.i + 1] === '(' && (this.t.spaced[this.i + 1] === 0 || k === 'if');
  }

  items(stop: Stop, req: boolean): Item[] {
    const out: Item[] = [];
    const text = this.t.text;
    while (!this.atStop(stop)) {
      const k = text[this.i]!;
      if (this.isCall()) out.push(this.call(req));
      else if (k === '{') out.push(this.block('', this.t.line[this.i]!, req));
      else if ((k === 'require' || k === 'optional' || k === 'else') && text[this.i + 1] === '{') {
        const line = this.t.line[this.i]!;
        this.i++;
        out.push(this.block(k, line, req || k === 'require'));
      } else if (isPunct(k) && k !== '~' && k !== '*' && k !== '-') this.i++;
      else out.push(this.statement(stop, req));
    }
    // An exact-size copy: the list grown by push keeps room for more, and the whole tree's lists are kept.
    return out.slice();
  }

  private call(req: boolean): CallItem {
    const name = this.t.text[this.i]!;
    const line = this.t.line[this.i]!;
    const q = this.t.q[this.i + 1]!;
    this.i += 2;
    const args: Item[][] = [];
    const stop: Stop = { brace: false, argQ: q };
    const inner = req || name === 'gen_require';
    for (;;) {
      args.push(this.items(stop, inner));
      if (this.i >= this.n) return { kind: 'call', inRequire: req, name, line, endLine: this.n > 0 ? this.t.line[this.n - 1]! : line, args: args.slice() };
      const k = this.t.text[this.i];
      if (k === ',') {
        this.i++;
        continue;
      }
      if (k === ')') {
        const endLine = this.t.line[this.i]!;
        this.i++;
        return { kind: 'call', inRequire: req, name, line, endLine, args: args.slice() };
      }
      // A stray `}` inside the argument list: step over it.
      this.i++;
    }
  }

  private block(keyword: string, line: number, req: boolean): BlockItem {
    this.i++; // {
    const items = this.items({ brace: true, argQ: -1 }, req);
    if (this.t.text[this.i] === '}') this.i++;
    return { kind: 'block', inRequire: req, keyword, line, items };
  }

  private statement(stop: Stop, req: boolean): StatementItem {
    // Its tokens are text[start, end) until a call stands among them (rare): then a list of their own.
    let tokens: string[] | undefined;
    const start = this.i;
    let end = start;
    const calls: CallItem[] = [];
    const text = this.t.text;
    const lines = this.t.line;
    const first = text[this.i]!;
    const line = lines[this.i]!;
    let depth = 0;
    let endLine = line;
    while (this.i < this.n) {
      if (depth === 0 && this.atStop(stop)) break;
      const k = text[this.i]!;
      // A statement runs to its `;`; one without (genfscon, sid, portcon ... gen_context(...), a macro's word list) ends at its line's end when a statement keyword starts the next line.
      if (depth === 0 && lines[this.i] !== endLine && STARTS.has(k) && !STARTS.has(first)) break;
      if (this.isCall()) {
        tokens ??= text.slice(start, end);
        const c = this.call(req);
        calls.push(c);
        endLine = c.endLine;
        continue;
      }
      endLine = lines[this.i]!;
      if (k.length === 1 && isPunct(k)) {
        if (k === ';' && depth === 0) {
          this.i++;
          break;
        }
        if (k === '{') depth++;
        else if (k === '}') {
          if (depth === 0) break;
          depth--;
        } else if (k === ')' && depth === 0 && stop.argQ < 0) {
          // A parenthesis of no call (outside any argument list): not part of a statement.
          this.i++;
          break;
        }
      }
      if (tokens) tokens.push(k);
      else end = this.i + 1;
      this.i++;
    }
    return { kind: 'statement', inRequire: req, tokens: tokens ?? text.slice(start, end), calls: calls.length > 0 ? calls : NO_CALLS, line, endLine, memo: undefined };
  }
}

/** The calls of most statements: none (one list shared, never written to). */
const NO_CALLS: CallItem[] = [];

/** The keywords a statement starts with (a word list without `;` before one of them has ended). */
const STARTS: ReadonlySet<string> = new Set([
  'allow',
  'dontaudit',
  'auditallow',
  'neverallow',
  'allowxperm',
  'dontauditxperm',
  'auditallowxperm',
  'neverallowxperm',
  'type',
  'typealias',
  'typeattribute',
  'attribute',
  'attribute_role',
  'role',
  'roleattribute',
  'type_transition',
  'type_change',
  'type_member',
  'role_transition',
  'range_transition',
  'class',
  'bool',
  'permissive',
  'module',
]);

/** A source's items, in order. */
export function readSource(text: string): Item[] {
  return new Reader(tokenize(text)).items({ brace: false, argQ: -1 }, false);
}
