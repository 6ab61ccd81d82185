// The tokens of checkmodule's module language, as checkpolicy 3.4's flex
// scanner (policy_scan.l) cuts them: the longest match wins, ties go to the
// earlier rule. Keywords are all-lowercase or all-uppercase (`allow`, `ALLOW`;
// `Allow` is a name); names start with a letter and hold letters, digits, `_`,
// `-` and single dots (`c0.c1023`, `a-b`); `#` starts a comment, and the sync
// lines of `m4 -s` (`#line 1 "FILE"`, `#line N`) move the line count as
// checkmodule moves it. A character no rule takes (`$`, `_` at the start of a
// name, a carriage return) is reported and skipped, as checkmodule does.
// Speed: the whole reference policy is 74 MB of m4 output, so tokens are
// columns of typed arrays (TokenList), not an object each; names are read by
// hand, not by a regular expression; sync lines are read by character codes.
// Not here: what the tokens mean (parser.ts).
import { type Diagnostic, diagnostic } from '../../../base/diagnostic.js';
import { escapeControl } from '../../../base/printDiagnostic.js';
import type { KeptBlock, RequireBlockCache } from './kept/blockCache.js';
import { NameTable } from './nameTable.js';
import { grownInt32, type SourceMap } from './source.js';

export type TokenType =
  | 'id'
  | 'kw'
  | 'number'
  | 'version'
  | 'ipv4'
  | 'ipv6'
  | 'path'
  | 'qpath'
  | 'filename'
  | 'filesystem'
  | '{'
  | '}'
  | '('
  | ')'
  | ';'
  | ':'
  | ','
  | '-'
  | '~'
  | '*'
  | '.'
  | '['
  | ']'
  | '&&'
  | '||'
  | '!'
  | '^'
  | '=='
  | '!='
  | 'eof';

export interface Token {
  type: TokenType;
  /** The text as written. */
  text: string;
  /** For keywords: the keyword in lowercase (`and`, `or`, `not`, `xor`, `eq` come as the operators `&&`, `||`, `!`, `^`, `==`). */
  value: string;
  start: number;
  end: number;
}

/** Every keyword of checkpolicy 3.4's scanner (a name spelt so is not a name: `t1` and `source` cannot name a type). */
export const KEYWORDS: ReadonlySet<string> = new Set(
  (
    'clone common class constrain validatetrans inherits sid role roles roleattribute attribute_role types typealias ' +
    'typeattribute typebounds type bool tunable if else alias attribute expandattribute type_transition type_member ' +
    'type_change role_transition range_transition sensitivity dominance dom domby incomp category level range ' +
    'mlsconstrain mlsvalidatetrans user neverallow allow auditallow auditdeny dontaudit allowxperm auditallowxperm ' +
    'dontauditxperm neverallowxperm source target sameuser module require optional or and not xor eq true false ' +
    'fscon ibpkeycon ibendportcon portcon netifcon nodecon pirqcon iomemcon ioportcon pcidevicecon devicetreecon ' +
    'fs_use_xattr fs_use_task fs_use_trans genfscon r1 r2 r3 u1 u2 u3 t1 t2 t3 l1 l2 h1 h2 policycap permissive ' +
    'default_user default_role default_type default_range low-high high low glblub'
  ).split(' '),
);

const KEYWORD_OPERATORS: Readonly<Record<string, TokenType>> = { and: '&&', or: '||', not: '!', xor: '^', eq: '==' };

/** Every token type; a token list stores a type as its index here. */
export const TOKEN_TYPES: readonly TokenType[] = [
  'id',
  'kw',
  'number',
  'version',
  'ipv4',
  'ipv6',
  'path',
  'qpath',
  'filename',
  'filesystem',
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
  '.',
  '[',
  ']',
  '&&',
  '||',
  '!',
  '^',
  '==',
  '!=',
  'eof',
];

/** A token type's index in TOKEN_TYPES. */
export const TYPE_CODE: Readonly<Record<TokenType, number>> = Object.fromEntries(TOKEN_TYPES.map((t, i) => [t, i])) as Record<TokenType, number>;
export const C_ID = 0;
export const C_KW = 1;
export const C_LBRACE = 10;
export const C_RBRACE = 11;
export const C_SEMICOLON = 14;
export const C_COLON = 15;
export const C_COMMA = 16;
export const C_MINUS = 17;
export const C_TILDE = 18;
export const C_STAR = 19;
export const C_EOF = 29;

/** The keywords in lowercase, indexed as a token list's `keywords` column stores them. */
export const KEYWORD_LIST: readonly string[] = [...KEYWORDS];

/** Each keyword as written (all lowercase or all uppercase) and its type code and 1 + its index in KEYWORD_LIST (type * 256 + 1 + index). */
const KEYWORD_SPELLINGS: readonly (readonly [string, number])[] = KEYWORD_LIST.flatMap((k, i) => {
  const code = TYPE_CODE[KEYWORD_OPERATORS[k] ?? 'kw'] * 256 + 1 + i;
  return k === k.toUpperCase() ? [[k, code] as const] : [[k, code] as const, [k.toUpperCase(), code] as const];
});

// The rules a digit can start, in the scanner's order (a letter starts a name, read by hand below).
const NUMBER = /0x[0-9A-Fa-f]+|[0-9]+/y;
const FILESYSTEM = /[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*/y;
const IPV4 = /[0-9]{1,3}(?:\.[0-9]{1,3}){3}/y;
const IPV6 = /[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]*/y;
const VERSION = /[0-9]+(?:\.[A-Za-z0-9_.]*)?/y;
const DIGIT_RULES: readonly [RegExp, TokenType][] = [
  [NUMBER, 'number'],
  [FILESYSTEM, 'filesystem'],
  [IPV4, 'ipv4'],
  [IPV6, 'ipv6'],
  [VERSION, 'version'],
];

function matchAt(re: RegExp, text: string, pos: number): number {
  re.lastIndex = pos;
  return re.test(text) ? re.lastIndex - pos : 0;
}

/** Characters of a name after its first: letters, digits, `_`, `-` (by character code). */
const NAME_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9_-]/.test(ch)) NAME_CHAR[c] = 1;
}

/** The type code of a one-character token (by character code), or 255. */
const SINGLE = new Uint8Array(128).fill(255);
for (const ch of '{}();:,-~*.[]!^') SINGLE[ch.charCodeAt(0)] = TYPE_CODE[ch as TokenType];

/**
 * The tokens of a text as columns (one entry per token, the `eof` token last):
 * the type's code (TOKEN_TYPES), where it starts and ends, 1 + the keyword's
 * index (KEYWORD_LIST) for keywords and their operators (else 0), and the text of names.
 * No object per token: the parser makes `Token`s only for what it keeps.
 */
export interface TokenList extends TokenColumns {
  readonly text: string;
  /** The text's names (`nameIds` are ids in it). */
  readonly table: NameTable;
}

/** Tokens as columns: `count` of them (a TokenList's, `eof` included; a kept block's, kept/blockCache.ts). */
export interface TokenColumns {
  readonly count: number;
  readonly types: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly keywords: Uint8Array;
  /** Per token: for `id` tokens, the name's id (in a NameTable, or a kept block's `names`). */
  readonly nameIds: Int32Array;
}

/** Token `i` of a list as an object. */
export function tokenAt(list: TokenList, i: number): Token {
  const code = list.types[i] as number;
  const start = list.starts[i] as number;
  const end = list.ends[i] as number;
  const type = TOKEN_TYPES[code] as TokenType;
  if (code === C_EOF) return { type, text: '', value: '', start, end };
  const text = code === C_ID ? (list.table.strings[list.nameIds[i] as number] as string) : list.text.slice(start, end);
  const kw = list.keywords[i] as number;
  const value = kw === 0 ? '' : (KEYWORD_LIST[kw - 1] as string);
  return { type, text, value, start, end };
}

export interface LexResult {
  tokens: Token[];
  diagnostics: Diagnostic[];
  /** The offset of each diagnostic's character. */
  offsets: number[];
}

/** The tokens of `text` as a TokenList, and its diagnostics (see lex). */
export interface LexedList {
  list: TokenList;
  diagnostics: Diagnostic[];
  offsets: number[];
  /** With a RequireBlockCache: the index of the text's first `require` token, and the kept block copied there, if one was. */
  firstRequire?: { at: number; kept: KeptBlock | undefined } | undefined;
}

/** `require`'s index in a token list's `keywords` column. */
const REQUIRE_KEYWORD = KEYWORD_LIST.indexOf('require') + 1;

/**
 * The tokens of `text` (ending with an `eof` token). Sync lines are given to `map`
 * (when there is one), unrecognized characters reported as `te-syntax`.
 */
export function lex(text: string, map?: SourceMap): LexResult {
  const r = lexList(text, map);
  const tokens: Token[] = [];
  for (let i = 0; i < r.list.count; i++) tokens.push(tokenAt(r.list, i));
  return { tokens, diagnostics: r.diagnostics, offsets: r.offsets };
}

/** The decimal number of `text[from, to)` when it is all digits (and not empty), else -1. */
function digitsAt(text: string, from: number, to: number): number {
  if (from >= to) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  // Past 2^53 the sum is not the nearest number: as Number() reads it.
  return to - from > 15 ? Number(text.slice(from, to)) : v;
}

/** The columns of a TokenList being filled (grown by doubling). */
class TokenBuilder {
  count = 0;
  types: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  keywords: Uint8Array;
  nameIds: Int32Array;

  constructor(private cap: number) {
    this.types = new Uint8Array(cap);
    this.starts = new Int32Array(cap);
    this.ends = new Int32Array(cap);
    this.keywords = new Uint8Array(cap);
    this.nameIds = new Int32Array(cap);
  }

  push(code: number, start: number, end: number, kw: number): void {
    if (this.count === this.cap) this.grow();
    const i = this.count++;
    this.types[i] = code;
    this.starts[i] = start;
    this.ends[i] = end;
    this.keywords[i] = kw;
  }

  /** A name token: its id in the name table. */
  pushName(start: number, end: number, id: number): void {
    if (this.count === this.cap) this.grow();
    this.nameIds[this.count] = id;
    this.push(C_ID, start, end, 0);
  }

  /** A kept block's tokens, their names entered in `table`. */
  pushBlock(b: KeptBlock, table: NameTable): void {
    while (this.count + b.count > this.cap) this.grow();
    const at = this.count;
    this.types.set(b.types, at);
    this.starts.set(b.starts, at);
    this.ends.set(b.ends, at);
    this.keywords.set(b.keywords, at);
    const ids = new Int32Array(b.names.length);
    for (let k = 0; k < ids.length; k++) {
      const name = b.names[k] as string;
      ids[k] = table.id(name, 0, name.length, b.hashes[k] as number);
    }
    for (let i = 0; i < b.count; i++) this.nameIds[at + i] = b.types[i] === C_ID ? (ids[b.nameIds[i] as number] as number) : 0;
    this.count += b.count;
  }

  private grow(): void {
    this.cap *= 2;
    const t = new Uint8Array(this.cap);
    t.set(this.types);
    this.types = t;
    const s = new Int32Array(this.cap);
    s.set(this.starts);
    this.starts = s;
    const e = new Int32Array(this.cap);
    e.set(this.ends);
    this.ends = e;
    const k = new Uint8Array(this.cap);
    k.set(this.keywords);
    this.keywords = k;
    const ni = new Int32Array(this.cap);
    ni.set(this.nameIds);
    this.nameIds = ni;
  }
}

/** A comment line at `pos` ending at `end`: when it is a sync line (`#line N`, `#line 1 "FILE"`, nothing else), tells the map. */
function syncLine(text: string, pos: number, end: number, map: SourceMap, lineCount: number): void {
  if (!text.startsWith('#line ', pos)) return;
  // The text's line after the sync line (every earlier newline is counted); the last line's own at the end.
  const textLine = end < text.length ? lineCount + 1 : lineCount;
  const at = pos + 6;
  if (end - at >= 4 && text.charCodeAt(at) === 49 && text.charCodeAt(at + 1) === 32 && text.charCodeAt(at + 2) === 34 && text.charCodeAt(end - 1) === 34) {
    map.addSync(end, 1, text.slice(at + 3, end - 1), textLine);
  } else {
    const line = digitsAt(text, at, end);
    if (line >= 0) map.addSync(end, line, undefined, textLine);
  }
}

/** A token starting with a digit: the longest of the scanner's rules (the earlier on a tie). */
function digitToken(text: string, pos: number, out: TokenBuilder): number {
  let best = 0;
  let type: TokenType = 'number';
  for (const [re, t] of DIGIT_RULES) {
    const len = matchAt(re, text, pos);
    if (len > best) {
      best = len;
      type = t;
    }
  }
  out.push(TYPE_CODE[type], pos, pos + best, 0);
  return pos + best;
}

/**
 * A token starting with anything but a blank, `#`, a letter or a digit; returns where it
 * ends, or -1 for a character no rule takes.
 */
function otherToken(text: string, pos: number, c: number, out: TokenBuilder): number {
  const n = text.length;
  if (c === 47 /* / */) {
    let end = pos + 1;
    for (let d = text.charCodeAt(end); end < n && d !== 32 && d !== 10 && d !== 13 && d !== 9 && d !== 12; d = text.charCodeAt(end)) end++;
    out.push(TYPE_CODE.path, pos, end, 0);
    return end;
  }
  if (c === 34 /* " */) {
    // The closing quote on the same line: a path when the first character is `/`, a file name when none is.
    let close = pos + 1;
    let slash = false;
    for (; close < n; close++) {
      const d = text.charCodeAt(close);
      if (d === 34 || d === 10) break;
      if (d === 47) slash = true;
    }
    if (close < n && text.charCodeAt(close) === 34 && close > pos + 1) {
      if (text.charCodeAt(pos + 1) === 47) {
        out.push(TYPE_CODE.qpath, pos, close + 1, 0);
        return close + 1;
      }
      if (!slash) {
        out.push(TYPE_CODE.filename, pos, close + 1, 0);
        return close + 1;
      }
    }
  }
  if (c === 58 /* : */) {
    const v6 = matchAt(IPV6, text, pos);
    if (v6 > 1) {
      out.push(TYPE_CODE.ipv6, pos, pos + v6, 0);
      return pos + v6;
    }
  }
  if ((c === 61 || c === 33 || c === 38 || c === 124) && pos + 1 < n) {
    const d = text.charCodeAt(pos + 1);
    if ((c === 61 && d === 61) || (c === 33 && d === 61) || (c === 38 && d === 38) || (c === 124 && d === 124)) {
      out.push(TYPE_CODE[text.slice(pos, pos + 2) as TokenType], pos, pos + 2, 0);
      return pos + 2;
    }
  }
  const single = c < 128 ? (SINGLE[c] as number) : 255;
  if (single !== 255) {
    out.push(single, pos, pos + 1, 0);
    return pos + 1;
  }
  return -1;
}

/**
 * lex's work, into columns; also gives `map` the text's line starts. With `blocks`, the text's
 * first `require` block is copied from there when it holds the same text at the same offset.
 */
export function lexList(text: string, map?: SourceMap, blocks?: RequireBlockCache): LexedList {
  const diagnostics: Diagnostic[] = [];
  const offsets: number[] = [];
  const n = text.length;
  const out = new TokenBuilder(Math.max(64, n >> 4));
  const table = new NameTable(KEYWORD_SPELLINGS);
  // Where each line of the text starts (`lines` of them), for the map: every newline is taken by the blank loop.
  let lineStarts: Int32Array = new Int32Array(Math.max(64, n >> 5));
  let lines = 1;
  let firstRequire: LexedList['firstRequire'];
  let pos = 0;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    if (c === 32 || c === 9 || c === 12 || c === 10) {
      while (pos < n) {
        const d = text.charCodeAt(pos);
        if (d === 10) {
          if (lines === lineStarts.length) lineStarts = grownInt32(lineStarts);
          lineStarts[lines++] = pos + 1;
        } else if (d !== 32 && d !== 9 && d !== 12) break;
        pos++;
      }
      continue;
    }
    if (c === 35 /* # */) {
      let end = text.indexOf('\n', pos);
      if (end === -1) end = n;
      if (map !== undefined) syncLine(text, pos, end, map, lines);
      pos = end;
      continue;
    }
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) {
      // A name: [A-Za-z][A-Za-z0-9_-]*(\.?[A-Za-z0-9_-])*
      let e = pos + 1;
      // hashStep, written out: build --all runs with V8's inlining off (src/cli/lang/buildAll.ts).
      let h = c;
      while (e < n) {
        const d = text.charCodeAt(e);
        if (d < 128 && NAME_CHAR[d] === 1) {
          h = (Math.imul(h, 31) + d) | 0;
          e++;
        } else if (d === 46 && e + 1 < n && text.charCodeAt(e + 1) < 128 && NAME_CHAR[text.charCodeAt(e + 1)] === 1) {
          h = (Math.imul((Math.imul(h, 31) + d) | 0, 31) + text.charCodeAt(e + 1)) | 0;
          e += 2;
        } else break;
      }
      // From a letter only an IPv6 address (hex digits, then ':') can be longer than a name.
      if (e - pos <= 4 && text.charCodeAt(e) === 58) {
        const v6 = matchAt(IPV6, text, pos);
        if (v6 > e - pos) {
          out.push(TYPE_CODE.ipv6, pos, pos + v6, 0);
          pos += v6;
          continue;
        }
      }
      const id = table.id(text, pos, e, h);
      const kw = table.keywordCodes[id] as number;
      if (kw !== 0) {
        if (blocks !== undefined && (kw & 255) === REQUIRE_KEYWORD && firstRequire === undefined) {
          const kept = blocks.find(text, pos);
          firstRequire = { at: out.count, kept };
          if (kept !== undefined) {
            out.pushBlock(kept, table);
            for (let k = 0; k < kept.lineStarts.length; k++) {
              if (lines === lineStarts.length) lineStarts = grownInt32(lineStarts);
              lineStarts[lines++] = kept.lineStarts[k] as number;
            }
            pos += kept.text.length;
            continue;
          }
        }
        out.push(kw >> 8, pos, e, kw & 255);
      } else out.pushName(pos, e, id);
      pos = e;
      continue;
    }
    const end = c >= 48 && c <= 57 ? digitToken(text, pos, out) : otherToken(text, pos, c, out);
    if (end >= 0) {
      pos = end;
      continue;
    }
    const ch = text[pos] as string;
    const span = map?.span(pos, pos + 1) ?? { file: '<string>', line: 1 };
    diagnostics.push(diagnostic('error', 'te-syntax', `unrecognized character '${escapeControl(ch)}'`, { span, notes: map?.expansionNotes(pos) ?? [] }));
    offsets.push(pos);
    pos++;
  }
  out.push(C_EOF, n, n, 0);
  map?.setLineStarts(lineStarts.subarray(0, lines));
  const { count, types, starts, ends, keywords, nameIds } = out;
  return { list: { text, count, types, starts, ends, keywords, nameIds, table }, diagnostics, offsets, firstRequire };
}
