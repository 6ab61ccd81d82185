// A call m4 left as written: where a statement starts, a name directly
// followed by `(` (as m4 sees a call) is no statement of the module language;
// it is an interface, template or macro call that nothing defined, so m4 copied
// it through. checkmodule says `syntax error` there; the parser says what it
// is (`te-undefined-interface`, the name in `data`) and goes on after the
// call's closing parenthesis, so no generic syntax error follows it. The
// build (lang/build/) adds the nearest defined names.
// Not here: the statements (statements.ts), recovery from other errors (parser.ts).
import type { Token } from './lexer.js';
import type { Parser } from './parser.js';

/**
 * At a name followed by `(` with nothing between (the current token): reports the
 * undefined call and skips it through its `)`. False, with nothing done, when the
 * parentheses do not close before the end of the text (the usual recovery then runs).
 */
export function undefinedCall(p: Parser): boolean {
  const name = p.peek();
  const open = p.peek(1);
  if (name.type !== 'id' || open.type !== '(' || open.start !== name.end) return false;
  let depth = 0;
  let k = 1;
  let close: Token;
  for (; ; k++) {
    close = p.peek(k);
    if (close.type === 'eof') return false;
    if (close.type === '(') depth++;
    else if (close.type === ')' && --depth === 0) break;
  }
  p.report(`${name.text} is not defined: no interface, template or macro of that name, so m4 left the call as written`, { ...name, end: close.end }, 'te-undefined-interface', { name: name.text });
  p.pos += k + 1;
  return true;
}
