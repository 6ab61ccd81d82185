// What several checks read off the syntax tree the same way: the names of an
// expression that count, and the statement lists an `if` or `optional` holds.
import type { Ident, NameExpr, Statement } from '../ast.js';

/** The names of an expression that are not excluded (declarations, required permissions). */
export function positives(e: NameExpr): Ident[] {
  if (e.kind === 'ident') return [e];
  if (e.kind === 'set') return e.items.flatMap((i) => (i.kind === 'ident' ? [i] : i.kind === 'set' ? positives(i) : []));
  return [];
}

/** The statement lists of an `if` (then, else) or an `optional` (body, else); none for other statements. */
export function innerStatements(s: Statement): Statement[][] {
  if (s.kind === 'if') return s.else ? [s.then.statements, s.else.statements] : [s.then.statements];
  if (s.kind === 'optional') return s.else ? [s.body.statements, s.else.statements] : [s.body.statements];
  return [];
}
