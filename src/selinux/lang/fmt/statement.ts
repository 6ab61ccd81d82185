// The spacing of one module-language statement written on one line
// (`allow a_t b_t:file { read open };`): one space between words, none
// before `;` and `,` nor around `:`, spaces inside `{ }`. Only lines that are
// plainly one statement are touched: the first word a statement keyword, one
// `;` at the end, no m4 quote, parenthesis or `dnl` (m4 keeps the spacing of
// what it reads as arguments, and `foo (x)` is not the call `foo(x)`). The
// result is checked against the module language's lexer: the same tokens, or
// the line is left as written.
// Not here: indentation (format.ts).
import { lex, type Token } from '../te/lexer.js';

/** The statements whose spacing is normalized (lowercase only, as refpolicy writes them). */
const STATEMENT_KEYWORDS: ReadonlySet<string> = new Set(
  (
    'allow auditallow dontaudit neverallow allowxperm auditallowxperm dontauditxperm neverallowxperm type typealias ' +
    'attribute attribute_role typeattribute roleattribute expandattribute typebounds permissive type_transition ' +
    'type_member type_change range_transition role role_transition bool class'
  ).split(' '),
);

const ATOM = /"[^"]*"|[{}:;,]|[^\s{}:;,"]+/g;

/** `code` (a line's text without indentation or comment) with its statement's spacing normalized, or undefined to keep it. */
export function normalizeStatement(code: string): string | undefined {
  if (!code.endsWith(';') || code.indexOf(';') !== code.length - 1) return undefined;
  if (/[`'()#]/.test(code) || /(?<![A-Za-z0-9_])dnl(?![A-Za-z0-9_])/.test(code)) return undefined;
  const first = /^[a-z_]+/.exec(code)?.[0];
  if (first === undefined || !STATEMENT_KEYWORDS.has(first)) return undefined;
  const atoms = code.match(ATOM) ?? [];
  if (atoms.join('').length !== code.replace(/\s/g, '').length) return undefined;
  let out = '';
  let prev = '';
  for (const a of atoms) {
    if (out !== '' && spaceBetween(prev, a)) out += ' ';
    out += a;
    prev = a;
  }
  return sameTokens(code, out) ? out : undefined;
}

function spaceBetween(prev: string, next: string): boolean {
  if (next === ';' || next === ',' || next === ':') return false;
  if (prev === ':' || prev === '~') return false;
  return true;
}

function sameTokens(a: string, b: string): boolean {
  const x = lex(a);
  const y = lex(b);
  const key = (t: Token): string => `${t.type} ${t.text}`;
  return (
    x.tokens.length === y.tokens.length &&
    x.tokens.every((t, i) => key(t) === key(y.tokens[i] as Token)) &&
    x.diagnostics.length === y.diagnostics.length &&
    x.offsets.every((o, i) => a[o] === b[y.offsets[i] as number])
  );
}
