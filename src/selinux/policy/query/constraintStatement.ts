// constrain / mlsconstrain / validatetrans / mlsvalidatetrans statements as
// setools prints them (`seinfo --constrain`, `--validatetrans`).
//
// setools turns the postfix expression into infix with one "previous
// operator precedence" carried through the whole expression (not per
// subtree): a binary operator gets parentheses unless its precedence is lower
// than that of the operator handled just before it, and `not` always wraps
// its operand. Hence `u1 == u2 or ( t1 == domain )` and
// `r1 == r2 and not ( ( t2 == c_t ) )`. A name set of more than one name
// prints as `{ a b } ` with a trailing space. setools lists such a set in
// Python set order, which changes from run to run; here the names are sorted.
import { CEXPR } from '../binary/constants.js';
import type { ClassDef, Constraint, ConstraintExpr, Policy } from '../model.js';
import { byString } from './listFormat.js';

const PRECEDENCE: Readonly<Record<string, number>> = { not: 4, and: 2, or: 1, '==': 3, '!=': 3, dom: 3, domby: 3, incomp: 3 };
const MAX_PRECEDENCE = 4;
const OPS: Readonly<Record<number, string>> = { [CEXPR.EQ]: '==', [CEXPR.NEQ]: '!=', [CEXPR.DOM]: 'dom', [CEXPR.DOMBY]: 'domby', [CEXPR.INCOMP]: 'incomp' };

/** The operand names of an `attr` value (and of attr + TARGET). */
const SYMBOLS: Readonly<Record<number, string>> = {
  [CEXPR.USER]: 'u1',
  [CEXPR.ROLE]: 'r1',
  [CEXPR.TYPE]: 't1',
  [CEXPR.USER + CEXPR.TARGET]: 'u2',
  [CEXPR.ROLE + CEXPR.TARGET]: 'r2',
  [CEXPR.TYPE + CEXPR.TARGET]: 't2',
  [CEXPR.USER + CEXPR.XTARGET]: 'u3',
  [CEXPR.ROLE + CEXPR.XTARGET]: 'r3',
  [CEXPR.TYPE + CEXPR.XTARGET]: 't3',
  [CEXPR.L1L2]: 'l1',
  [CEXPR.L1H2]: 'l1',
  [CEXPR.H1L2]: 'h1',
  [CEXPR.H1H2]: 'h1',
  [CEXPR.L1H1]: 'l1',
  [CEXPR.L2H2]: 'l2',
  [CEXPR.L1L2 + CEXPR.TARGET]: 'l2',
  [CEXPR.L1H2 + CEXPR.TARGET]: 'h2',
  [CEXPR.H1L2 + CEXPR.TARGET]: 'l2',
  [CEXPR.H1H2 + CEXPR.TARGET]: 'h2',
  [CEXPR.L1H1 + CEXPR.TARGET]: 'h1',
  [CEXPR.L2H2 + CEXPR.TARGET]: 'h2',
};

/** A printed piece: a word, or a set of names. */
type Piece = string | { names: string[] };
type Infix = Piece | Infix[];

/** The statement of one constraint of class `cls`; `validatetrans` for the validatetrans list. */
export function constraintStatement(p: Policy, cls: ClassDef, c: Constraint, validatetrans: boolean): string {
  const expr = infixText(p, c.expr);
  if (validatetrans) return `${c.mls ? 'mlsvalidatetrans' : 'validatetrans'} ${cls.name} (${expr});`;
  const perms = cls.allPerms.filter((name, bit): name is string => name !== undefined && ((c.perms >>> bit) & 1) === 1).sort(byString);
  const permText = perms.length === 1 ? perms[0]! : `{ ${perms.join(' ')} }`;
  return `${c.mls ? 'mlsconstrain' : 'constrain'} ${cls.name} ${permText} (${expr}); `;
}

function infixText(p: Policy, expr: readonly ConstraintExpr[]): string {
  const postfix: Piece[] = [];
  for (const e of expr) {
    if (e.kind === 'not' || e.kind === 'and' || e.kind === 'or') postfix.push(e.kind);
    else if (e.kind === 'attr') postfix.push(symbol(e.attr), symbol(e.attr + CEXPR.TARGET), OPS[e.op] ?? '?');
    else postfix.push(symbol(e.attr), { names: names(p, e) }, OPS[e.op] ?? '?');
  }
  const stack: Infix[] = [];
  let prev = MAX_PRECEDENCE;
  for (const piece of postfix) {
    const op = typeof piece === 'string' ? PRECEDENCE[piece] : undefined;
    if (op === undefined) {
      stack.push(piece);
      continue;
    }
    if (piece === 'not') stack.push(['not', '(', stack.pop()!, ')']);
    else {
      const right = stack.pop()!;
      const left = stack.pop()!;
      stack.push(op < prev ? [left, piece, right] : ['(', left, piece, right, ')']);
    }
    prev = op;
  }
  return flatten(stack)
    .map((x) => (typeof x === 'string' ? x : x.names.length > 1 ? `{ ${x.names.join(' ')} } ` : x.names.join(' ')))
    .join(' ');
}

function flatten(items: Infix[]): Piece[] {
  const out: Piece[] = [];
  const walk = (x: Infix): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else out.push(x);
  };
  items.forEach(walk);
  return out;
}

function symbol(attr: number): string {
  return SYMBOLS[attr] ?? `?${attr}`;
}

/** The names a `names` node lists, sorted: users, roles, or types (as written, types and attributes, for v29+ policies). */
function names(p: Policy, e: Extract<ConstraintExpr, { kind: 'names' }>): string[] {
  const base = e.attr & ~(CEXPR.TARGET | CEXPR.XTARGET);
  let values: readonly number[];
  let nameOf: (v: number) => string | undefined;
  if (base === CEXPR.ROLE) {
    values = e.names;
    nameOf = (v) => p.roles[v - 1]?.name;
  } else if (base === CEXPR.TYPE) {
    values = p.version >= 29 && e.typeSet ? e.typeSet.types : e.names;
    nameOf = (v) => p.types[v - 1]?.name;
  } else {
    values = e.names;
    nameOf = (v) => p.users[v - 1]?.name;
  }
  return values.map((v) => nameOf(v) ?? `<${v}>`).sort(byString);
}
