// What several checks read off the syntax tree the same way: the names of an
// expression that count, and the statement lists an `if` or `optional` holds.
import type { Ident, NameExpr, Statement } from '../ast.js';

/** The names of an expression that are not excluded (declarations, required permissions). */
export function positives(e: NameExpr): Ident[] {
  const out: Ident[] = [];
  addPositives(e, out);
  return out;
}

// Pushed into one array: this runs for every permission a module requires (thousands each).
function addPositives(e: NameExpr, out: Ident[]): void {
  if (e.kind === 'ident') out.push(e);
  else if (e.kind === 'set') {
    for (const i of e.items) {
      if (i.kind === 'ident') out.push(i);
      else if (i.kind === 'set') addPositives(i, out);
    }
  }
}

/** The statement lists of an `if` (then, else) or an `optional` (body, else); none for other statements. */
export function innerStatements(s: Statement): Statement[][] {
  if (s.kind === 'if') return s.else ? [s.then.statements, s.else.statements] : [s.then.statements];
  if (s.kind === 'optional') return s.else ? [s.body.statements, s.else.statements] : [s.body.statements];
  return [];
}
