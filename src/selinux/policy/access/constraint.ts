// Constraint expressions: evaluation over two context structures
// (libsepol's constraint_expr_eval) and the text libsepol's
// constraint_expr_eval_reason() puts in the reason buffer that audit2why
// prints, e.g.
//   mlsconstrain file { ioctl read } ((h1 dom h2 -Fail-)  or (t1 != mcs_constrained_type -Fail-) ); Constraint DENIED\n
import { CEXPR, CEXPR_MAXDEPTH } from '../binary/constants.js';
import type { Constraint, Policy } from '../model.js';
import { type DContext, type DLevel, levelDom, levelEq, levelIncomp } from './decideContext.js';

/** A constraint node ready for evaluation. */
type Node =
  | { kind: 'not' }
  | { kind: 'and' }
  | { kind: 'or' }
  | { kind: 'attr'; attr: number; op: number }
  | { kind: 'names'; attr: number; op: number; bits: Uint32Array; names: number[]; shown: number[] };

export interface CompiledConstraint {
  perms: number;
  mls: boolean;
  nodes: Node[];
}

function bitsOf(values: readonly number[]): Uint32Array {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  const out = new Uint32Array((max + 31) >>> 5);
  for (const v of values) if (v >= 1) out[(v - 1) >>> 5]! |= 1 << ((v - 1) & 31);
  return out;
}

function hasBit(bits: Uint32Array, v: number): boolean {
  const b = v - 1;
  return b >= 0 && ((bits[b >>> 5] ?? 0) & (1 << (b & 31))) !== 0;
}

/**
 * Prepares a class's constraints. `shown` is what libsepol's text lists: for
 * type names in a v29+ kernel policy the type set as written (types and
 * attributes, negations left out), else the expanded names.
 */
export function compileConstraints(policy: Policy, list: readonly Constraint[]): CompiledConstraint[] {
  return list.map((c) => ({
    perms: c.perms,
    mls: c.mls,
    nodes: c.expr.map((e): Node => {
      if (e.kind === 'attr') return { kind: 'attr', attr: e.attr, op: e.op };
      if (e.kind === 'names') {
        const isType = (e.attr & CEXPR.TYPE) !== 0 && (e.attr & CEXPR.USER) === 0 && (e.attr & CEXPR.ROLE) === 0;
        const shown = isType && policy.version >= 29 && e.typeSet ? e.typeSet.types : e.names;
        return { kind: 'names', attr: e.attr, op: e.op, bits: bitsOf(e.names), names: e.names, shown };
      }
      return e.kind === 'not' ? { kind: 'not' } : e.kind === 'and' ? { kind: 'and' } : { kind: 'or' };
    }),
  }));
}

/** Role dominance lookups: roleDom[r - 1] holds the roles r dominates. */
export interface ConstraintEnv {
  roleDom: Uint32Array[];
}

function roleDominates(env: ConstraintEnv, r1: number, r2: number): boolean {
  const d = env.roleDom[r1 - 1];
  return d !== undefined && hasBit(d, r2);
}

function mlsPair(attr: number, s: DContext, t: DContext): [DLevel, DLevel, string, string] | undefined {
  switch (attr) {
    case CEXPR.L1L2:
      return [s.low, t.low, 'l1', 'l2'];
    case CEXPR.L1H2:
      return [s.low, t.high, 'l1', 'h2'];
    case CEXPR.H1L2:
      return [s.high, t.low, 'h1', 'l2'];
    case CEXPR.H1H2:
      return [s.high, t.high, 'h1', 'h2'];
    case CEXPR.L1H1:
      return [s.low, s.high, 'l1', 'h1'];
    case CEXPR.L2H2:
      return [t.low, t.high, 'l2', 'h2'];
    default:
      return undefined;
  }
}

const OP_TEXT: Record<number, string> = { [CEXPR.EQ]: '==', [CEXPR.NEQ]: '!=', [CEXPR.DOM]: 'dom', [CEXPR.DOMBY]: 'domby', [CEXPR.INCOMP]: 'incomp' };
const MLS_OP_TEXT: Record<number, string> = { [CEXPR.EQ]: 'eq', [CEXPR.NEQ]: '!=', [CEXPR.DOM]: 'dom', [CEXPR.DOMBY]: 'domby', [CEXPR.INCOMP]: 'incomp' };

/** The value of one leaf, or undefined where libsepol hits BUG() (the constraint then denies). */
function leaf(env: ConstraintEnv, n: Node, s: DContext, t: DContext, x: DContext | undefined): boolean | undefined {
  if (n.kind === 'attr') {
    const { attr, op } = n;
    if (attr === CEXPR.ROLE && (op === CEXPR.DOM || op === CEXPR.DOMBY || op === CEXPR.INCOMP)) {
      if (op === CEXPR.DOM) return roleDominates(env, s.role, t.role);
      if (op === CEXPR.DOMBY) return roleDominates(env, t.role, s.role);
      return !roleDominates(env, s.role, t.role) && !roleDominates(env, t.role, s.role);
    }
    let v1: number;
    let v2: number;
    switch (attr) {
      case CEXPR.USER:
        v1 = s.user;
        v2 = t.user;
        break;
      case CEXPR.ROLE:
        v1 = s.role;
        v2 = t.role;
        break;
      case CEXPR.TYPE:
        v1 = s.type;
        v2 = t.type;
        break;
      default: {
        const m = mlsPair(attr, s, t);
        if (!m) return undefined;
        const [l1, l2] = m;
        switch (op) {
          case CEXPR.EQ:
            return levelEq(l1, l2);
          case CEXPR.NEQ:
            return !levelEq(l1, l2);
          case CEXPR.DOM:
            return levelDom(l1, l2);
          case CEXPR.DOMBY:
            return levelDom(l2, l1);
          case CEXPR.INCOMP:
            return levelIncomp(l2, l1);
          default:
            return undefined;
        }
      }
    }
    if (op === CEXPR.EQ) return v1 === v2;
    if (op === CEXPR.NEQ) return v1 !== v2;
    return undefined;
  }
  if (n.kind === 'names') {
    let c: DContext | undefined = s;
    if (n.attr & CEXPR.TARGET) c = t;
    else if (n.attr & CEXPR.XTARGET) c = x;
    if (!c) return undefined;
    let v: number;
    if (n.attr & CEXPR.USER) v = c.user;
    else if (n.attr & CEXPR.ROLE) v = c.role;
    else if (n.attr & CEXPR.TYPE) v = c.type;
    else return undefined;
    if (n.op === CEXPR.EQ) return hasBit(n.bits, v);
    if (n.op === CEXPR.NEQ) return !hasBit(n.bits, v);
    return undefined;
  }
  return undefined;
}

/** evalConstraint's stack (1 true, 0 false): one call at a time, none allocated per call. */
const evalStack = new Uint8Array(CEXPR_MAXDEPTH);

/** constraint_expr_eval: true when the constraint grants. */
export function evalConstraint(env: ConstraintEnv, c: CompiledConstraint, s: DContext, t: DContext, x?: DContext): boolean {
  const st = evalStack;
  let depth = 0;
  for (const n of c.nodes) {
    switch (n.kind) {
      case 'not':
        if (depth < 1) return false;
        st[depth - 1] = st[depth - 1]! ^ 1;
        break;
      case 'and':
        if (depth < 2) return false;
        depth--;
        st[depth - 1] = st[depth - 1]! & st[depth]!;
        break;
      case 'or':
        if (depth < 2) return false;
        depth--;
        st[depth - 1] = st[depth - 1]! | st[depth]!;
        break;
      default: {
        if (depth === CEXPR_MAXDEPTH) return false;
        const v = leaf(env, n, s, t, x);
        if (v === undefined) return false;
        st[depth++] = v ? 1 : 0;
      }
    }
  }
  return depth > 0 && st[0] === 1;
}

/** sepol_av_to_string: " perm1 perm2" in bit order. */
export function avToString(perms: readonly (string | undefined)[], av: number): string {
  let out = '';
  for (let i = 0; i < 32; i++) if ((av >>> i) & 1 && perms[i] !== undefined) out += ` ${perms[i]}`;
  return out;
}

export interface ConstraintNames {
  className: string;
  classPerms: readonly (string | undefined)[];
  userName(v: number): string;
  roleName(v: number): string;
  typeName(v: number): string;
}

/**
 * The reason-buffer text of one constraint evaluated over s and t (x for
 * validatetrans): `<statement> <class> {<perms> } (<infix>); Constraint DENIED\n`.
 */
export function constraintText(env: ConstraintEnv, c: CompiledConstraint, s: DContext, t: DContext, names: ConstraintNames, x?: DContext): string {
  const mls = c.nodes.some((n) => (n.kind === 'attr' || n.kind === 'names') && n.attr >= CEXPR.L1L2);
  const statement = (x ? (mls ? 'mlsvalidatetrans ' : 'validatetrans ') : mls ? 'mlsconstrain ' : 'constrain ') + `${names.className} `;
  const classBuf = x ? `${statement}(` : `${statement}{${avToString(names.classPerms, c.perms)} } (`;
  // Each node's text, in postfix order, then to infix with a stack.
  const exprs: string[] = [];
  const st: boolean[] = [];
  for (const n of c.nodes) {
    if (n.kind === 'not') {
      st[st.length - 1] = !st[st.length - 1];
      exprs.push('not');
      continue;
    }
    if (n.kind === 'and' || n.kind === 'or') {
      const b = st.pop()!;
      st[st.length - 1] = n.kind === 'and' ? st[st.length - 1]! && b : st[st.length - 1]! || b;
      exprs.push(n.kind);
      continue;
    }
    const v = leaf(env, n, s, t, x) ?? false;
    st.push(v);
    const fail = !v;
    if (n.kind === 'attr') {
      let src: string;
      let tgt: string;
      let op: string;
      if (n.attr === CEXPR.USER || n.attr === CEXPR.ROLE || n.attr === CEXPR.TYPE) {
        const ch = n.attr === CEXPR.USER ? 'u' : n.attr === CEXPR.ROLE ? 'r' : 't';
        src = `${ch}1`;
        tgt = `${ch}2`;
        op = OP_TEXT[n.op] ?? '?';
      } else {
        const m = mlsPair(n.attr, s, t);
        src = m?.[2] ?? '?';
        tgt = m?.[3] ?? '?';
        op = MLS_OP_TEXT[n.op] ?? '?';
      }
      exprs.push(fail ? `(${src} ${op} ${tgt} -Fail-) ` : `(${src} ${op} ${tgt}) `);
    } else {
      const which = n.attr & CEXPR.TARGET ? 2 : n.attr & CEXPR.XTARGET ? 3 : 1;
      const kind = n.attr & CEXPR.USER ? 'u' : n.attr & CEXPR.ROLE ? 'r' : 't';
      const nameOf = kind === 'u' ? names.userName : kind === 'r' ? names.roleName : names.typeName;
      let text = `(${kind}${which} ${n.op === CEXPR.EQ ? '==' : '!='}`;
      const shown = n.shown;
      if (shown.length === 0) text += '<empty_set> ';
      if (shown.length > 1) text += ' {';
      for (const v2 of shown) text += ` ${nameOf(v2)}`;
      if (shown.length > 1) text += ' }';
      text += fail ? ' -Fail-) ' : ') ';
      exprs.push(text);
    }
  }
  const stack: string[] = [];
  for (const e of exprs) {
    if (e.startsWith('and') || e.startsWith('or')) {
      const b = stack.pop() ?? '';
      const a = stack.pop() ?? '';
      stack.push(`${a} ${e} ${b}`);
    } else if (e.startsWith('not')) {
      const b = stack.pop() ?? '';
      stack.push(b.startsWith('not') ? `${e} (${b})` : `${e}${b}`);
    } else stack.push(e);
  }
  const granted = st[0] ?? false;
  return `${classBuf}${stack.pop() ?? ''}); ${x ? 'Validatetrans' : 'Constraint'} ${granted ? 'GRANTED' : 'DENIED'}\n`;
}
