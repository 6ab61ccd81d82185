// The tokens of checkmodule's module language, as checkpolicy 3.4's flex
// scanner (policy_scan.l) cuts them: the longest match wins, ties go to the
// earlier rule. Keywords are all-lowercase or all-uppercase (`allow`, `ALLOW`;
// `Allow` is a name); names start with a letter and hold letters, digits, `_`,
// `-` and single dots (`c0.c1023`, `a-b`); `#` starts a comment, and the sync
// lines of `m4 -s` (`#line 1 "FILE"`, `#line N`) move the line count as
// checkmodule moves it. A character no rule takes (`$`, `_` at the start of a
// name, a carriage return) is reported and skipped, as checkmodule does.
// Not here: what the tokens mean (parser.ts).
import { type Diagnostic, diagnostic } from '../../../base/diagnostic.js';
import { escapeControl } from '../../../base/printDiagnostic.js';
import type { SourceMap } from './source.js';

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

// The rules a letter or a digit can start, in the scanner's order.
const IDENTIFIER = /[A-Za-z][A-Za-z0-9_-]*(?:\.?[A-Za-z0-9_-])*/y;
const NUMBER = /0x[0-9A-Fa-f]+|[0-9]+/y;
const FILESYSTEM = /[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*/y;
const IPV4 = /[0-9]{1,3}(?:\.[0-9]{1,3}){3}/y;
const IPV6 = /[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]*/y;
const VERSION = /[0-9]+(?:\.[A-Za-z0-9_.]*)?/y;
const WORD_RULES: readonly [RegExp, TokenType][] = [
  [IDENTIFIER, 'id'],
  [NUMBER, 'number'],
  [FILESYSTEM, 'filesystem'],
  [IPV4, 'ipv4'],
  [IPV6, 'ipv6'],
  [VERSION, 'version'],
];

const SYNC_FILE = /#line 1 "([^\n]*)"$/y;
const SYNC_LINE = /#line ([0-9]+)$/y;

function matchAt(re: RegExp, text: string, pos: number): number {
  re.lastIndex = pos;
  return re.test(text) ? re.lastIndex - pos : 0;
}

const SINGLE: Readonly<Record<string, TokenType>> = {
  '{': '{',
  '}': '}',
  '(': '(',
  ')': ')',
  ';': ';',
  ':': ':',
  ',': ',',
  '-': '-',
  '~': '~',
  '*': '*',
  '.': '.',
  '[': '[',
  ']': ']',
  '!': '!',
  '^': '^',
};

export interface LexResult {
  tokens: Token[];
  diagnostics: Diagnostic[];
  /** The offset of each diagnostic's character. */
  offsets: number[];
}

/**
 * The tokens of `text` (ending with an `eof` token). Sync lines are given to `map`
 * (when there is one), unrecognized characters reported as `te-syntax`.
 */
export function lex(text: string, map?: SourceMap): LexResult {
  const tokens: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  const offsets: number[] = [];
  const n = text.length;
  let pos = 0;
  const push = (type: TokenType, len: number, value = ''): void => {
    const t = text.slice(pos, pos + len);
    tokens.push({ type, text: t, value, start: pos, end: pos + len });
    pos += len;
  };
  while (pos < n) {
    const c = text.charCodeAt(pos);
    const ch = text[pos] as string;
    if (c === 32 || c === 9 || c === 12 || c === 10) {
      pos++;
      while (pos < n) {
        const d = text.charCodeAt(pos);
        if (d !== 32 && d !== 9 && d !== 12 && d !== 10) break;
        pos++;
      }
      continue;
    }
    if (ch === '#') {
      let end = text.indexOf('\n', pos);
      if (end === -1) end = n;
      if (map !== undefined && text.startsWith('#line ', pos)) {
        const line = text.slice(pos, end);
        SYNC_FILE.lastIndex = 0;
        SYNC_LINE.lastIndex = 0;
        const f = SYNC_FILE.exec(line);
        const l = f ? undefined : SYNC_LINE.exec(line);
        if (f) map.addSync(end, 1, f[1]);
        else if (l) map.addSync(end, Number(l[1]));
      }
      pos = end;
      continue;
    }
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      let best = 0;
      let type: TokenType = 'id';
      if (c > 57) {
        // From a letter only an IPv6 address (hex digits, then ':') can be longer than a name.
        best = matchAt(IDENTIFIER, text, pos);
        if (best <= 4 && text.charCodeAt(pos + best) === 58) {
          const v6 = matchAt(IPV6, text, pos);
          if (v6 > best) {
            best = v6;
            type = 'ipv6';
          }
        }
      } else {
        for (const [re, t] of WORD_RULES) {
          if (t === 'id') continue;
          const len = matchAt(re, text, pos);
          if (len > best) {
            best = len;
            type = t;
          }
        }
      }
      if (type === 'id') {
        const word = text.slice(pos, pos + best);
        const lower = word.toLowerCase();
        if ((word === lower || word === word.toUpperCase()) && KEYWORDS.has(lower)) {
          const op = KEYWORD_OPERATORS[lower];
          push(op ?? 'kw', best, lower);
          continue;
        }
      }
      push(type, best);
      continue;
    }
    if (ch === '/') {
      let end = pos + 1;
      for (let d = text.charCodeAt(end); end < n && d !== 32 && d !== 10 && d !== 13 && d !== 9 && d !== 12; d = text.charCodeAt(end)) end++;
      push('path', end - pos);
      continue;
    }
    if (ch === '"') {
      const close = text.indexOf('"', pos + 1);
      const nl = text.indexOf('\n', pos + 1);
      if (close !== -1 && (nl === -1 || close < nl)) {
        const inner = text.slice(pos + 1, close);
        if (inner.startsWith('/')) {
          push('qpath', close + 1 - pos);
          continue;
        }
        if (inner.length > 0 && !inner.includes('/')) {
          push('filename', close + 1 - pos);
          continue;
        }
      }
    }
    if (ch === ':' && matchAt(IPV6, text, pos) > 1) {
      push('ipv6', matchAt(IPV6, text, pos));
      continue;
    }
    if ((c === 61 || c === 33 || c === 38 || c === 124) && pos + 1 < n) {
      const two = text.slice(pos, pos + 2);
      if (two === '==' || two === '!=' || two === '&&' || two === '||') {
        push(two, 2);
        continue;
      }
    }
    const single = SINGLE[ch];
    if (single !== undefined) {
      push(single, 1);
      continue;
    }
    const span = map?.span(pos, pos + 1) ?? { file: '<string>', line: 1 };
    diagnostics.push(diagnostic('error', 'te-syntax', `unrecognized character '${escapeControl(ch)}'`, { span, notes: map?.expansionNotes(pos) ?? [] }));
    offsets.push(pos);
    pos++;
  }
  tokens.push({ type: 'eof', text: '', value: '', start: n, end: n });
  return { tokens, diagnostics, offsets };
}
