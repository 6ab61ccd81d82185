// m4's eval: 32-bit signed integer expressions with C's operators (and `**`),
// numbers in decimal, octal (0N), hex (0xN), binary (0bN) and any radix
// (0rR:N), as GNU m4 1.4's eval.c parses them: the same precedence, the same
// short-circuit of errors in dead branches of && and ||, the same messages.

enum T {
  Error,
  BadOp,
  Plus,
  Minus,
  Exponent,
  Times,
  Divide,
  Modulo,
  Assign,
  Eq,
  NotEq,
  Gt,
  GtEq,
  Ls,
  LsEq,
  LShift,
  RShift,
  LNot,
  LAnd,
  LOr,
  Not,
  And,
  Or,
  Xor,
  LeftP,
  RightP,
  Number,
  EoText,
}

enum E {
  None,
  DivideZero,
  ModuloZero,
  NegativeExponent,
  Syntax,
  MissingRight,
  UnknownInput,
  ExcessInput,
  InvalidOperator,
}

export interface EvalResult {
  value: number;
  /** The message when the expression is bad (m4 prints it and expands to nothing). */
  error?: string | undefined;
  /** m4 exits 1 at the end for this error (an invalid operator). */
  fatalStatus?: boolean;
  /** `=` used for `==` (allowed, with this warning). */
  warning?: string | undefined;
}

class Parser {
  pos = 0;
  last = 0;
  val = 0;
  warning: string | undefined;
  constructor(readonly s: string) {}

  lex(): T {
    const s = this.s;
    while (/[ \t\n\v\f\r]/.test(s[this.pos] ?? '')) this.pos++;
    this.last = this.pos;
    if (this.pos >= s.length) return T.EoText;
    let c = s.charCodeAt(this.pos);
    if (c >= 48 && c <= 57) {
      let base = 10;
      if (c === 48) {
        this.pos++;
        const d = s[this.pos];
        if (d === 'x' || d === 'X') {
          base = 16;
          this.pos++;
        } else if (d === 'b' || d === 'B') {
          base = 2;
          this.pos++;
        } else if (d === 'r' || d === 'R') {
          base = 0;
          this.pos++;
          while (this.pos < s.length && s.charCodeAt(this.pos) >= 48 && s.charCodeAt(this.pos) <= 57 && base <= 36) base = 10 * base + s.charCodeAt(this.pos++) - 48;
          if (base === 0 || base > 36 || s[this.pos] !== ':') return T.Error;
          this.pos++;
        } else base = 8;
      }
      let v = 0;
      for (; this.pos < s.length; this.pos++) {
        c = s.charCodeAt(this.pos);
        let digit: number;
        if (c >= 48 && c <= 57) digit = c - 48;
        else if (c >= 97 && c <= 122) digit = c - 97 + 10;
        else if (c >= 65 && c <= 90) digit = c - 65 + 10;
        else break;
        if (base === 1) {
          if (digit === 1) v = (v + 1) | 0;
          else if (digit === 0 && v === 0) continue;
          else break;
        } else if (digit >= base) break;
        else v = (Math.imul(v, base) + digit) | 0;
      }
      this.val = v;
      return T.Number;
    }
    const ch = s[this.pos++];
    const nx = s[this.pos];
    switch (ch) {
      case '+':
        return nx === '+' || nx === '=' ? T.BadOp : T.Plus;
      case '-':
        return nx === '-' || nx === '=' ? T.BadOp : T.Minus;
      case '*':
        if (nx === '*') {
          this.pos++;
          return T.Exponent;
        }
        return nx === '=' ? T.BadOp : T.Times;
      case '/':
        return nx === '=' ? T.BadOp : T.Divide;
      case '%':
        return nx === '=' ? T.BadOp : T.Modulo;
      case '=':
        if (nx === '=') {
          this.pos++;
          return T.Eq;
        }
        return T.Assign;
      case '!':
        if (nx === '=') {
          this.pos++;
          return T.NotEq;
        }
        return T.LNot;
      case '>':
        if (nx === '=') {
          this.pos++;
          return T.GtEq;
        }
        if (nx === '>') {
          this.pos++;
          return s[this.pos] === '=' ? T.BadOp : T.RShift;
        }
        return T.Gt;
      case '<':
        if (nx === '=') {
          this.pos++;
          return T.LsEq;
        }
        if (nx === '<') {
          this.pos++;
          return s[this.pos] === '=' ? T.BadOp : T.LShift;
        }
        return T.Ls;
      case '^':
        return nx === '=' ? T.BadOp : T.Xor;
      case '~':
        return T.Not;
      case '&':
        if (nx === '&') {
          this.pos++;
          return T.LAnd;
        }
        return nx === '=' ? T.BadOp : T.And;
      case '|':
        if (nx === '|') {
          this.pos++;
          return T.LOr;
        }
        return nx === '=' ? T.BadOp : T.Or;
      case '(':
        return T.LeftP;
      case ')':
        return T.RightP;
      default:
        return T.Error;
    }
  }

  undo(): void {
    this.pos = this.last;
  }

  /** Parses one binary level: `next` for the operands, `ops` the operators, `apply` the operation. */
  binary(et: T, next: (et: T) => [E, number], ops: readonly T[], apply: (op: T, a: number, b: number) => [E, number]): [E, number] {
    let [er, v1] = next(et);
    if (er !== E.None) return [er, v1];
    let op: T;
    while (ops.includes((op = this.lex()))) {
      const t = this.lex();
      if (t === T.Error) return [E.UnknownInput, v1];
      const [er2, v2] = next(t);
      if (er2 !== E.None) return [er2, v1];
      [er, v1] = apply(op, v1, v2);
      if (er !== E.None) return [er, v1];
    }
    if (op === T.Error) return [E.UnknownInput, v1];
    this.undo();
    return [E.None, v1];
  }

  logicalOr = (et: T): [E, number] => {
    let [er, v1] = this.logicalAnd(et);
    if (er !== E.None) return [er, v1];
    let t: T;
    while ((t = this.lex()) === T.LOr) {
      t = this.lex();
      if (t === T.Error) return [E.UnknownInput, v1];
      const [er2, v2] = this.logicalAnd(t);
      if (er2 === E.None) v1 = v1 !== 0 || v2 !== 0 ? 1 : 0;
      else if (v1 !== 0 && er2 < E.Syntax) v1 = 1;
      else return [er2, v1];
    }
    if (t === T.Error) return [E.UnknownInput, v1];
    this.undo();
    er = E.None;
    return [er, v1];
  };

  logicalAnd = (et: T): [E, number] => {
    let [er, v1] = this.or(et);
    if (er !== E.None) return [er, v1];
    let t: T;
    while ((t = this.lex()) === T.LAnd) {
      t = this.lex();
      if (t === T.Error) return [E.UnknownInput, v1];
      const [er2, v2] = this.or(t);
      if (er2 === E.None) v1 = v1 !== 0 && v2 !== 0 ? 1 : 0;
      else if (v1 === 0 && er2 < E.Syntax) v1 = 0;
      else return [er2, v1];
    }
    if (t === T.Error) return [E.UnknownInput, v1];
    this.undo();
    er = E.None;
    return [er, v1];
  };

  or = (et: T): [E, number] => this.binary(et, this.xor, [T.Or], (_o, a, b) => [E.None, a | b]);
  xor = (et: T): [E, number] => this.binary(et, this.and, [T.Xor], (_o, a, b) => [E.None, a ^ b]);
  and = (et: T): [E, number] => this.binary(et, this.equality, [T.And], (_o, a, b) => [E.None, a & b]);
  equality = (et: T): [E, number] =>
    this.binary(et, this.cmp, [T.Eq, T.NotEq, T.Assign], (o, a, b) => {
      if (o === T.Assign) {
        this.warning = 'Warning: recommend ==, not =, for equality operator';
        o = T.Eq;
      }
      return [E.None, (o === T.Eq) === (a === b) ? 1 : 0];
    });
  cmp = (et: T): [E, number] => this.binary(et, this.shift, [T.Gt, T.GtEq, T.Ls, T.LsEq], (o, a, b) => [E.None, (o === T.Gt ? a > b : o === T.GtEq ? a >= b : o === T.Ls ? a < b : a <= b) ? 1 : 0]);
  shift = (et: T): [E, number] =>
    this.binary(et, this.add, [T.LShift, T.RShift], (o, a, b) => {
      const n = b & 0x1f;
      if (o === T.LShift) return [E.None, (a << n) | 0];
      const u = (a < 0 ? ~a : a) >>> n;
      return [E.None, a < 0 ? ~u | 0 : u | 0];
    });
  add = (et: T): [E, number] => this.binary(et, this.mult, [T.Plus, T.Minus], (o, a, b) => [E.None, o === T.Plus ? (a + b) | 0 : (a - b) | 0]);
  mult = (et: T): [E, number] =>
    this.binary(et, this.exp, [T.Times, T.Divide, T.Modulo], (o, a, b) => {
      if (o === T.Times) return [E.None, Math.imul(a, b)];
      if (b === 0) return [o === T.Divide ? E.DivideZero : E.ModuloZero, a];
      if (b === -1) return [E.None, o === T.Divide ? -a | 0 : 0];
      return [E.None, o === T.Divide ? (a / b) | 0 : (a % b) | 0];
    });

  exp = (et: T): [E, number] => {
    let [er, v1] = this.unary(et);
    if (er !== E.None) return [er, v1];
    let t: T;
    while ((t = this.lex()) === T.Exponent) {
      t = this.lex();
      if (t === T.Error) return [E.UnknownInput, v1];
      const [er2, v2] = this.exp(t);
      if (er2 !== E.None) return [er2, v1];
      if (v2 < 0) return [E.NegativeExponent, v1];
      if (v1 === 0 && v2 === 0) return [E.DivideZero, v1];
      v1 = powMod32(v1, v2);
    }
    if (t === T.Error) return [E.UnknownInput, v1];
    this.undo();
    er = E.None;
    return [er, v1];
  };

  unary = (et: T): [E, number] => {
    if (et === T.Plus || et === T.Minus || et === T.Not || et === T.LNot) {
      const t2 = this.lex();
      if (t2 === T.Error) return [E.UnknownInput, 0];
      const [er, v] = this.unary(t2);
      if (er !== E.None) return [er, v];
      if (et === T.Minus) return [E.None, -v | 0];
      if (et === T.Not) return [E.None, ~v];
      if (et === T.LNot) return [E.None, v === 0 ? 1 : 0];
      return [E.None, v];
    }
    return this.simple(et);
  };

  simple = (et: T): [E, number] => {
    switch (et) {
      case T.LeftP: {
        const t = this.lex();
        if (t === T.Error) return [E.UnknownInput, 0];
        const [er, v] = this.logicalOr(t);
        if (er !== E.None) return [er, v];
        const t2 = this.lex();
        if (t2 === T.Error) return [E.UnknownInput, v];
        if (t2 !== T.RightP) return [E.MissingRight, v];
        return [E.None, v];
      }
      case T.Number:
        return [E.None, this.val];
      case T.BadOp:
        return [E.InvalidOperator, 0];
      default:
        return [E.Syntax, 0];
    }
  };
}

function powMod32(base: number, e: number): number {
  let result = 1;
  let b = base | 0;
  let n = e;
  while (n > 0) {
    if (n & 1) result = Math.imul(result, b);
    b = Math.imul(b, b);
    n = Math.floor(n / 2);
  }
  return result;
}

/** Evaluates an m4 eval expression. */
export function evaluate(expr: string): EvalResult {
  const p = new Parser(expr);
  const t = p.lex();
  let [err, value] = p.logicalOr(t);
  // eval.c: anything left is excess input, or an invalid operator.
  if (err === E.None && p.pos < expr.length) err = p.lex() === T.BadOp ? E.InvalidOperator : E.ExcessInput;
  const w = p.warning;
  switch (err) {
    case E.None:
      return { value, warning: w };
    case E.MissingRight:
      return { value: 0, warning: w, error: `bad expression in eval (missing right parenthesis): ${expr}` };
    case E.Syntax:
      return { value: 0, warning: w, error: `bad expression in eval: ${expr}` };
    case E.UnknownInput:
      return { value: 0, warning: w, error: `bad expression in eval (bad input): ${expr}` };
    case E.ExcessInput:
      return { value: 0, warning: w, error: `bad expression in eval (excess input): ${expr}` };
    case E.InvalidOperator:
      return { value: 0, warning: w, error: `invalid operator in eval: ${expr}`, fatalStatus: true };
    case E.DivideZero:
      return { value: 0, warning: w, error: `divide by zero in eval: ${expr}` };
    case E.ModuloZero:
      return { value: 0, warning: w, error: `modulo by zero in eval: ${expr}` };
    default:
      return { value: 0, warning: w, error: `negative exponent in eval: ${expr}` };
  }
}
