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
import type { LintAvRule, LintDeclaration } from '../statementTypes.js';
import { isWord, PUNCT_CODE, type Tokens, tokenize } from './tokenizer.js';

export { isWordToken, type Tokens, tokenize } from './tokenizer.js';

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
  memo: { av: LintAvRule | null | undefined; declared: LintDeclaration[] | undefined; required: LintDeclaration[] | undefined } | undefined;
}

export type Item = CallItem | BlockItem | StatementItem;

const isPunct = (t: string | undefined): boolean => t !== undefined && t.length === 1 && PUNCT_CODE[t.charCodeAt(0)] === 1;

class Reader {
  i = 0;
  readonly n: number;
  constructor(readonly t: Tokens) {
    this.n = t.text.length;
  }

  // Where a list of items ends: at the end, a `}` of its block (`brace`), or an argument separator
  // of its call at the call's quote depth (`argQ`, -1 outside a call). Two arguments, not an
  // object: one object a call, 60,000 calls a tree.
  private atStop(brace: boolean, argQ: number): boolean {
    if (this.i >= this.n) return true;
    const k = this.t.text[this.i]!;
    if (brace && k === '}') return true;
    return argQ >= 0 && this.t.q[this.i] === argQ && (k === ',' || k === ')');
  }

  private isCall(): boolean {
    const k = this.t.text[this.i];
    return k !== undefined && isWord(k.charCodeAt(0)) && this.t.text[this.i + 1] === '(' && (this.t.spaced[this.i + 1] === 0 || k === 'if');
  }

  /** The items up to where the list stops, or (a source's top level read in parts) the first item that ends at or past token `until`. */
  items(brace: boolean, argQ: number, req: boolean, until = Number.POSITIVE_INFINITY): Item[] {
    const out: Item[] = [];
    const text = this.t.text;
    while (this.i < until && !this.atStop(brace, argQ)) {
      const k = text[this.i]!;
      if (this.isCall()) out.push(this.call(req));
      else if (k === '{') out.push(this.block('', this.t.line[this.i]!, req));
      else if ((k === 'require' || k === 'optional' || k === 'else') && text[this.i + 1] === '{') {
        const line = this.t.line[this.i]!;
        this.i++;
        out.push(this.block(k, line, req || k === 'require'));
      } else if (isPunct(k) && k !== '~' && k !== '*' && k !== '-') this.i++;
      else out.push(this.statement(brace, argQ, req));
    }
    return out;
  }

  private call(req: boolean): CallItem {
    const name = this.t.text[this.i]!;
    const line = this.t.line[this.i]!;
    const q = this.t.q[this.i + 1]!;
    this.i += 2;
    const args: Item[][] = [];
    const inner = req || name === 'gen_require';
    for (;;) {
      args.push(this.items(false, q, inner));
      if (this.i >= this.n) return { kind: 'call', inRequire: req, name, line, endLine: this.n > 0 ? this.t.line[this.n - 1]! : line, args };
      const k = this.t.text[this.i];
      if (k === ',') {
        this.i++;
        continue;
      }
      if (k === ')') {
        const endLine = this.t.line[this.i]!;
        this.i++;
        return { kind: 'call', inRequire: req, name, line, endLine, args };
      }
      // A stray `}` inside the argument list: step over it.
      this.i++;
    }
  }

  private block(keyword: string, line: number, req: boolean): BlockItem {
    this.i++; // {
    const items = this.items(true, -1, req);
    if (this.t.text[this.i] === '}') this.i++;
    return { kind: 'block', inRequire: req, keyword, line, items };
  }

  private statement(brace: boolean, argQ: number, req: boolean): StatementItem {
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
      if (depth === 0 && this.atStop(brace, argQ)) break;
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
        } else if (k === ')' && depth === 0 && argQ < 0) {
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
  return new Reader(tokenize(text)).items(false, -1, false);
}

/**
 * A source's items in parts of whole top-level items of about `partTokens` tokens each, in order,
 * each given to `each` before the next is read (an empty source: one empty part). A large source's
 * items then never all live at once: those of the reference policy's corenetwork.if (1.6 MB), all
 * alive, made the garbage collector copy megabytes at each collection while it was read.
 */
export function readSourceInParts(text: string, partTokens: number, each: (items: Item[]) => void): void {
  const r = new Reader(tokenize(text));
  do each(r.items(false, -1, false, r.i + partTokens));
  while (r.i < r.n);
}
