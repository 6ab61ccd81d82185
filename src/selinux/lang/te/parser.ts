// The parser's machinery: the token cursor, nodes with their spans, errors
// and recovery, and the pieces every statement is made of (names, sets,
// levels, ranges, contexts). A syntax error is reported once, where it is,
// saying what was expected; the statement is then skipped to its `;` (or to
// the `}` that closes the enclosing block, or to the next statement keyword
// on a later line) and parsing goes on, so every error of a file is found.
// Nesting (sets, expressions, blocks) is bounded: past MAX_DEPTH the parser
// reports `te-limit` instead of growing the stack.
// Not here: the statements (statements.ts, baseOnly.ts), the tokens (lexer.ts).
import { type Diagnostic, type DiagnosticCode, diagnostic } from '../../../base/diagnostic.js';
import { escapeControl } from '../../../base/printDiagnostic.js';
import type { Ident, MlsLevel, MlsRange, NameExpr, NameSetExpr, NodeBase, SecurityContext, SetItem, Statement } from './ast.js';
import {
  C_COLON,
  C_COMMA,
  C_EOF,
  C_ID,
  C_KW,
  C_LBRACE,
  C_MINUS,
  C_RBRACE,
  C_SEMICOLON,
  C_STAR,
  C_TILDE,
  KEYWORD_LIST,
  type Token,
  type TokenList,
  type TokenType,
  TYPE_CODE,
  tokenAt,
} from './lexer.js';
import type { SourceMap } from './source.js';

/** How deep sets, expressions and blocks may nest. */
export const MAX_DEPTH = 1000;

/** Syntax errors reported per file; after them one `te-limit` says how many more were not. */
export const MAX_ERRORS = 100;

/** Thrown after an error is reported: the statement being parsed is abandoned. */
export class SyntaxStop {
  readonly stop = true;
}

/** The keywords that start a statement: recovery stops before one that starts a later line. */
export const STATEMENT_KEYWORDS: ReadonlySet<string> = new Set(
  (
    'module require type typealias attribute attribute_role typeattribute roleattribute expandattribute typebounds ' +
    'permissive bool tunable allow auditallow auditdeny dontaudit neverallow allowxperm auditallowxperm ' +
    'dontauditxperm neverallowxperm type_transition type_member type_change range_transition role role_transition ' +
    'if optional user class common sid sensitivity dominance category level mlsconstrain mlsvalidatetrans constrain ' +
    'validatetrans fs_use_xattr fs_use_task fs_use_trans genfscon portcon netifcon nodecon fscon pirqcon iomemcon ' +
    'ioportcon pcidevicecon devicetreecon ibpkeycon ibendportcon policycap default_user default_role default_type ' +
    'default_range'
  ).split(' '),
);

/** Statements whose braces hold statements or declarations, not names. */
const BLOCK_KEYWORDS: ReadonlySet<string> = new Set(['if', 'optional', 'require', 'else', 'class', 'common', 'dominance']);

/** How a token is named in messages. */
export function describeToken(t: Token): string {
  if (t.type === 'eof') return 'the end of the file';
  const text = t.text.length > 40 ? `${t.text.slice(0, 40)}...` : t.text;
  return `'${escapeControl(text)}'`;
}

export class Parser {
  pos = 0;
  depth = 0;
  errors = 0;
  readonly diagnostics: Diagnostic[] = [];
  /** The offset of each diagnostic's token. */
  readonly offsets: number[] = [];
  // The token list's columns (the hot paths read them; Token objects are made on request).
  private readonly types: Uint8Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly keywords: Uint8Array;
  private readonly nameIds: Int32Array;
  private readonly nameTexts: readonly string[];
  /** The index of the `eof` token. */
  private readonly last: number;
  /** A kept require block to take as it is where a top-level statement starts at token `at` (its tokens are in the list). */
  reuse: { at: number; count: number; statement: Statement } | undefined;
  // The last token made by peek(), and its index.
  private cachedAt = -1;
  private cached: Token | undefined;

  constructor(
    readonly tokens: TokenList,
    readonly map: SourceMap,
  ) {
    this.types = tokens.types;
    this.starts = tokens.starts;
    this.ends = tokens.ends;
    this.keywords = tokens.keywords;
    this.nameIds = tokens.nameIds;
    this.nameTexts = tokens.table.strings;
    this.last = tokens.count - 1;
  }

  peek(k = 0): Token {
    const i = Math.min(this.pos + k, this.last);
    if (i !== this.cachedAt) {
      this.cached = tokenAt(this.tokens, i);
      this.cachedAt = i;
    }
    return this.cached as Token;
  }

  next(): Token {
    const t = this.peek();
    this.skip();
    return t;
  }

  /** Moves past the current token (not past `eof`). */
  private skip(): void {
    if (this.types[this.pos] !== C_EOF) this.pos++;
  }

  /** The current token is `type` (and, for a keyword, `value`). */
  at(type: TokenType, value?: string): boolean {
    const i = this.pos;
    if (this.types[i] !== TYPE_CODE[type]) return false;
    if (value === undefined) return true;
    const kw = this.keywords[i] as number;
    return (kw === 0 ? '' : KEYWORD_LIST[kw - 1]) === value;
  }

  /** Takes the token when it is `type` (and `value`). */
  accept(type: TokenType, value?: string): Token | undefined {
    return this.at(type, value) ? this.next() : undefined;
  }

  /** Takes the token `type`, or reports what was expected and stops the statement. */
  expect(type: TokenType, what: string, value?: string): Token {
    const t = this.accept(type, value);
    if (t === undefined) this.fail(`expected ${what}`);
    return t as Token;
  }

  /** Takes the token when its type code is `code` (TYPE_CODE): accept() without a Token. */
  private take(code: number): boolean {
    if (this.types[this.pos] !== code) return false;
    this.pos++;
    return true;
  }

  /** Offsets to a node's span. */
  node(start: number, end: number): NodeBase {
    return { span: this.map.span(start, end), start, end };
  }

  /** The end of the last token taken. */
  lastEnd(): number {
    return this.pos === 0 ? 0 : (this.ends[this.pos - 1] as number);
  }

  /** Reports an error at a token (default: the current one). */
  report(message: string, at: Token = this.peek(), code: DiagnosticCode = 'te-syntax', data?: Record<string, string>): void {
    this.errors++;
    if (this.errors > MAX_ERRORS) return;
    const span = this.map.span(at.start, Math.max(at.end, at.start + 1));
    if (at.type === 'eof') {
      delete span.endLine;
      delete span.endColumn;
    }
    this.diagnostics.push(diagnostic('error', code, message, { span, notes: this.map.expansionNotes(at.start), ...(data === undefined ? {} : { data }) }));
    this.offsets.push(at.start);
  }

  /** Reports `expected X, found Y` at the current token and stops the statement. */
  fail(expected: string, at: Token = this.peek()): never {
    this.report(`${expected}, found ${describeToken(at)}`, at);
    throw new SyntaxStop();
  }

  /** Enters a nested construct; past MAX_DEPTH reports `te-limit` and stops the statement. */
  enter(at: Token): void {
    if (++this.depth > MAX_DEPTH) {
      this.report(`nested more than ${MAX_DEPTH} levels deep`, at, 'te-limit');
      throw new SyntaxStop();
    }
  }

  /** enter() at token `i`. */
  private enterAt(i: number): void {
    if (this.depth + 1 > MAX_DEPTH) this.enter(tokenAt(this.tokens, i));
    this.depth++;
  }

  leave(): void {
    this.depth--;
  }

  /**
   * After an error: skips to the statement's `;` (taken), or to the `}` that closes the
   * enclosing block or a statement keyword starting a later line (left for the caller).
   * Always moves past the token the error was at, unless it is one of those.
   */
  recover(from: number): void {
    // Braces the statement opened before the error are still open.
    let depth = 0;
    for (let k = from; k < this.pos; k++) {
      const x = this.types[k];
      if (x === C_LBRACE) depth++;
      else if (x === C_RBRACE && depth > 0) depth--;
    }
    const first = tokenAt(this.tokens, from);
    // Statements made of blocks: their braces hold statements (and `;`s); in the others braces hold names.
    const blocky = first.type === 'kw' && BLOCK_KEYWORDS.has(first.value);
    const startLine = this.map.textPosition(first.start).line;
    while (true) {
      const t = this.peek();
      if (t.type === 'eof') return;
      if (t.type === '{') depth++;
      else if (t.type === '}') {
        if (depth === 0) return;
        depth--;
        if (blocky && depth === 0) {
          this.next();
          if (this.at('kw', 'else')) continue;
          return;
        }
      } else if (t.type === ';' && (depth === 0 || !blocky)) {
        this.next();
        return;
      } else if ((depth === 0 || !blocky) && this.pos > from && t.type === 'kw' && STATEMENT_KEYWORDS.has(t.value) && this.map.textPosition(t.start).line > startLine) return;
      this.next();
    }
  }

  // ---- Pieces of statements

  ident(what = 'a name'): Ident {
    const i = this.pos;
    if (this.types[i] !== C_ID) this.fail(`expected ${what}`);
    this.pos++;
    const start = this.starts[i] as number;
    const end = this.ends[i] as number;
    return { kind: 'ident', name: this.nameTexts[this.nameIds[i] as number] as string, span: this.map.span(start, end), start, end };
  }

  /** `id, id, ...` */
  identCommaList(what = 'a name'): Ident[] {
    const list = [this.ident(what)];
    while (this.take(C_COMMA)) list.push(this.ident(what));
    return list;
  }

  /** `names`: a name, `{ ... }`, `*`, `~name`, `~{ ... }`, `name - name`. */
  names(what = 'a name or a set of names'): NameExpr {
    const i = this.pos;
    const type = this.types[i];
    const start = this.starts[i] as number;
    if (type === C_ID) {
      const left = this.ident();
      if (this.types[this.pos] === C_MINUS && this.types[Math.min(this.pos + 1, this.last)] === C_ID) {
        this.pos++;
        const right = this.ident();
        return { kind: 'minus', left, right, span: this.map.span(start, right.end), start, end: right.end };
      }
      return left;
    }
    if (type === C_LBRACE) return this.nameSet();
    if (type === C_STAR) {
      this.pos++;
      const end = this.ends[i] as number;
      return { kind: 'star', span: this.map.span(start, end), start, end };
    }
    if (type === C_TILDE) {
      this.pos++;
      const operand = this.types[this.pos] === C_LBRACE ? this.nameSet() : this.ident('a name or a set after ~');
      return { kind: 'complement', operand, span: this.map.span(start, operand.end), start, end: operand.end };
    }
    return this.fail(`expected ${what}`);
  }

  /** `{ a -b { c } }` (at least one element). */
  nameSet(): NameSetExpr {
    const open = this.pos;
    if (!this.take(C_LBRACE)) this.fail("expected '{'");
    this.enterAt(open);
    const items: SetItem[] = [];
    while (true) {
      const i = this.pos;
      const type = this.types[i];
      if (type === C_RBRACE) break;
      if (type === C_ID) items.push(this.ident());
      else if (type === C_MINUS) {
        this.pos++;
        const name = this.ident('a name after -');
        const start = this.starts[i] as number;
        items.push({ kind: 'exclude', name, span: this.map.span(start, name.end), start, end: name.end });
      } else if (type === C_LBRACE) items.push(this.nameSet());
      else this.fail(items.length === 0 ? 'expected a name in the set' : "expected a name or '}' in the set");
    }
    if (items.length === 0) this.fail('expected a name in the set');
    const close = this.pos++;
    this.leave();
    const start = this.starts[open] as number;
    const end = this.ends[close] as number;
    return { kind: 'set', items, span: this.map.span(start, end), start, end };
  }

  /** `s0` or `s0:c0.c3,c5` */
  level(): MlsLevel {
    const sensitivity = this.ident('a sensitivity');
    const categories: Ident[] = [];
    if (this.take(C_COLON)) categories.push(...this.identCommaList('a category'));
    return { kind: 'level', sensitivity, categories, ...this.node(sensitivity.start, this.lastEnd()) };
  }

  /** `LEVEL [- LEVEL]` */
  range(): MlsRange {
    const low = this.level();
    let high: MlsLevel | undefined;
    if (this.accept('-')) high = this.level();
    return { kind: 'range', low, high, ...this.node(low.start, this.lastEnd()) };
  }

  /** `user:role:type[:range]` */
  context(): SecurityContext {
    const user = this.ident('a user (user:role:type)');
    this.expect(':', "':' after the user of a context");
    const role = this.ident('a role');
    this.expect(':', "':' after the role of a context");
    const type = this.ident('a type');
    let range: MlsRange | undefined;
    if (this.accept(':')) range = this.range();
    return { kind: 'context', user, role, type, range, ...this.node(user.start, this.lastEnd()) };
  }

  /** `true` or `false` */
  boolValue(): boolean {
    const t = this.peek();
    if (t.type === 'kw' && (t.value === 'true' || t.value === 'false')) {
      this.next();
      return t.value === 'true';
    }
    return this.fail("expected 'true' or 'false'");
  }

  /** `;` closing a statement (expect() without a Token: every statement ends so). */
  semicolon(after: string): void {
    if (!this.take(C_SEMICOLON)) this.fail(`expected ';' after ${after}`);
  }

  /** The current token's keyword in lowercase, or '' when it is no keyword (peek().value for a `kw` token, without a Token). */
  keyword(): string {
    const i = this.pos;
    return this.types[i] === C_KW ? (KEYWORD_LIST[(this.keywords[i] as number) - 1] as string) : '';
  }

  /** Where the current token starts. */
  start(): number {
    return this.starts[this.pos] as number;
  }
}
