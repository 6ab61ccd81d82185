// The statements of checkmodule's module language (checkpolicy 3.4's
// policy_parse.y, module grammar): declarations, requires, rules, if and
// optional blocks, user statements, and, through baseOnly.ts, what only a base
// policy holds. The grammar is taken as written, with two widenings the checks
// narrow again with better messages than `syntax error`: any statement may
// stand inside `if` (checkmodule takes rules and requires only), and `module`
// may appear anywhere (only the first statement is the header).
// Not here: the machinery (parser.ts), spans (source.ts).
import type { AvRuleKind, Block, CondExpr, CondOperator, Ident, NameExpr, RequireItem, RequireKind, Statement, TypeRule, TypeRuleKind, XpermExpr, XpermRange, XpermRuleKind, XpermSet } from './ast.js';
import { baseOnlyStatement, isBaseOnlyKeyword } from './baseOnly.js';
import type { Token } from './lexer.js';
import { type Parser, SyntaxStop } from './parser.js';
import { undefinedCall } from './undefinedCall.js';

const AV_RULES: ReadonlySet<string> = new Set(['allow', 'auditallow', 'auditdeny', 'dontaudit', 'neverallow']);
const XPERM_RULES: ReadonlySet<string> = new Set(['allowxperm', 'auditallowxperm', 'dontauditxperm', 'neverallowxperm']);
const TYPE_RULES: ReadonlySet<string> = new Set(['type_transition', 'type_member', 'type_change']);
const REQUIRE_KINDS: ReadonlySet<string> = new Set(['type', 'attribute', 'role', 'attribute_role', 'user', 'bool', 'tunable', 'sensitivity', 'category']);
/** What a require item's names are called in messages (`a type name`, `an attribute name`). */
const REQUIRE_WHAT = Object.fromEntries([...REQUIRE_KINDS].map((k) => [k, `${/^[aeiou]/.test(k) ? 'an' : 'a'} ${k} name`])) as Record<RequireKind, string>;

/**
 * Statements up to the `}` closing the block (left for the caller) or the end of the
 * text. Each failed statement is skipped (Parser.recover) and the next one parsed.
 */
export function statementList(p: Parser, topLevel: boolean): Statement[] {
  const out: Statement[] = [];
  while (true) {
    if (topLevel && p.pos === p.reuse?.at) {
      out.push(p.reuse.statement);
      p.pos += p.reuse.count;
      continue;
    }
    const t = p.peek();
    if (t.type === 'eof') return out;
    if (t.type === '}') {
      if (!topLevel) return out;
      p.report("unexpected '}': no block is open here");
      p.next();
      continue;
    }
    if (t.type === ';') {
      p.next();
      continue;
    }
    // A name and `(`: a call m4 left as written (undefinedCall.ts).
    if (t.type === 'id' && undefinedCall(p)) continue;
    const from = p.pos;
    const depth = p.depth;
    try {
      out.push(statement(p));
    } catch (e) {
      if (!(e instanceof SyntaxStop)) throw e;
      p.depth = depth;
      p.recover(from);
    }
  }
}

/** `{ statements }` */
function block(p: Parser, what: string): Block {
  const open = p.expect('{', `'{' to open ${what}`);
  p.enter(open);
  const statements = statementList(p, false);
  if (!p.at('}')) {
    p.report(`missing '}' to close ${what} opened at line ${p.map.position(open.start).line}`);
    throw new SyntaxStop();
  }
  const close = p.next();
  p.leave();
  return { kind: 'block', statements, span: p.map.span(open.start, close.end), start: open.start, end: close.end };
}

/** One statement; its first token is the current one. */
export function statement(p: Parser): Statement {
  const t = p.peek();
  if (t.type !== 'kw') return p.fail('expected a statement (allow, type, require, ...)');
  const kw = t.value;
  if (AV_RULES.has(kw)) return avRule(p, t);
  if (XPERM_RULES.has(kw)) return xpermRule(p, t);
  if (TYPE_RULES.has(kw)) return typeRule(p, t);
  if (isBaseOnlyKeyword(kw)) return baseOnlyStatement(p, t, kw);
  p.next();
  switch (kw) {
    case 'module': {
      const name = p.ident('the module name');
      const v = p.peek();
      if (v.type !== 'version' && v.type !== 'number' && v.type !== 'ipv4') p.fail('expected the module version (1.0)');
      p.next();
      p.semicolon('the module version');
      return { kind: 'module', name, version: v.text, ...p.node(t.start, p.lastEnd()) };
    }
    case 'require':
      return requireBlock(p, t);
    case 'type': {
      const name = p.ident('the type name');
      let aliases: NameExpr | undefined;
      if (p.accept('kw', 'alias')) aliases = p.names('an alias name or set');
      const attributes = p.accept(',') ? p.identCommaList('an attribute') : [];
      p.semicolon('the type declaration');
      const end = p.lastEnd();
      return { kind: 'type', name, aliases, attributes, span: p.map.span(t.start, end), start: t.start, end };
    }
    case 'typealias': {
      const type = p.ident('the type name');
      p.expect('kw', "'alias'", 'alias');
      const aliases = p.names('an alias name or set');
      p.semicolon('the aliases');
      return { kind: 'typealias', type, aliases, ...p.node(t.start, p.lastEnd()) };
    }
    case 'attribute':
    case 'attribute_role': {
      const name = p.ident(`the ${kw === 'attribute' ? 'attribute' : 'role attribute'} name`);
      p.semicolon('the name');
      return { kind: kw, name, ...p.node(t.start, p.lastEnd()) };
    }
    case 'typeattribute':
    case 'roleattribute': {
      const subject = p.ident(kw === 'typeattribute' ? 'a type' : 'a role');
      const attributes = p.identCommaList('an attribute');
      p.semicolon('the attributes');
      const end = p.lastEnd();
      return { kind: kw, subject, attributes, span: p.map.span(t.start, end), start: t.start, end };
    }
    case 'expandattribute': {
      const attributes = p.names('an attribute or a set of attributes');
      const value = p.boolValue();
      p.semicolon("'true' or 'false'");
      return { kind: 'expandattribute', attributes, value, ...p.node(t.start, p.lastEnd()) };
    }
    case 'typebounds': {
      const bounding = p.ident('the bounding type');
      const bounded = p.identCommaList('a bounded type');
      p.semicolon('the bounded types');
      return { kind: 'typebounds', bounding, bounded, ...p.node(t.start, p.lastEnd()) };
    }
    case 'permissive': {
      const type = p.ident('a type');
      p.semicolon('the type');
      return { kind: 'permissive', type, ...p.node(t.start, p.lastEnd()) };
    }
    case 'bool':
    case 'tunable': {
      const name = p.ident(`the ${kw === 'bool' ? 'boolean' : 'tunable'} name`);
      const value = p.boolValue();
      p.semicolon("'true' or 'false'");
      return { kind: kw, name, value, ...p.node(t.start, p.lastEnd()) };
    }
    case 'range_transition': {
      const source = p.names('the source types');
      const target = p.names('the target types');
      const classes = p.accept(':') ? p.names('the classes') : undefined;
      const range = p.range();
      p.semicolon('the range');
      return { kind: 'range_transition', source, target, classes, range, ...p.node(t.start, p.lastEnd()) };
    }
    case 'role': {
      const name = p.ident('the role name');
      if (p.accept('kw', 'types')) {
        const types = p.names('the types of the role');
        p.semicolon('the types');
        const end = p.lastEnd();
        return { kind: 'role', name, types, attributes: [], span: p.map.span(t.start, end), start: t.start, end };
      }
      const attributes = p.accept(',') ? p.identCommaList('a role attribute') : [];
      p.semicolon("the role (or 'types' and the role's types)");
      return { kind: 'role', name, attributes, ...p.node(t.start, p.lastEnd()) };
    }
    case 'role_transition': {
      const roles = p.names('the source roles');
      const types = p.names('the target types');
      const classes = p.accept(':') ? p.names('the classes') : undefined;
      const result = p.ident('the new role');
      p.semicolon('the new role');
      return { kind: 'role_transition', roles, types, classes, result, ...p.node(t.start, p.lastEnd()) };
    }
    case 'user': {
      const name = p.ident('the user name');
      p.expect('kw', "'roles'", 'roles');
      const roles = p.names('the roles of the user');
      let level: ReturnType<Parser['level']> | undefined;
      let range: ReturnType<Parser['range']> | undefined;
      if (p.accept('kw', 'level')) {
        level = p.level();
        p.expect('kw', "'range' after the user's level", 'range');
        range = p.range();
      }
      p.semicolon('the user statement');
      return { kind: 'user', name, roles, level, range, ...p.node(t.start, p.lastEnd()) };
    }
    case 'if': {
      const condition = condExpr(p);
      const then = block(p, 'the if block');
      const elseBlock = p.accept('kw', 'else') ? block(p, 'the else block') : undefined;
      const end = p.lastEnd();
      return { kind: 'if', condition, then, else: elseBlock, span: p.map.span(t.start, end), start: t.start, end };
    }
    case 'optional': {
      const body = block(p, 'the optional block');
      const elseBlock = p.accept('kw', 'else') ? block(p, 'the else block') : undefined;
      const end = p.lastEnd();
      return { kind: 'optional', body, else: elseBlock, span: p.map.span(t.start, end), start: t.start, end };
    }
    case 'else':
      return p.fail("'else' without an 'if' or 'optional' block before it: expected a statement", t);
    default:
      return p.fail(`expected a statement; '${t.text}' does not start one`, t);
  }
}

/** `require { type a, b; class file { read }; ... }` */
function requireBlock(p: Parser, t: Token): Statement {
  const open = p.expect('{', "'{' after require");
  const items: RequireItem[] = [];
  while (!p.at('}')) {
    if (p.at('eof')) {
      p.report(`missing '}' to close the require block opened at line ${p.map.position(open.start).line}`);
      throw new SyntaxStop();
    }
    const from = p.pos;
    try {
      items.push(requireItem(p));
    } catch (e) {
      if (!(e instanceof SyntaxStop)) throw e;
      p.recover(from);
    }
  }
  if (items.length === 0) p.fail('expected a declaration in the require block (type, class, role, ...)');
  const close = p.next();
  return { kind: 'require', items, span: p.map.span(t.start, close.end), start: t.start, end: close.end };
}

// Read by token codes, not Tokens: the devel headers' require blocks hold thousands of items.
function requireItem(p: Parser): RequireItem {
  const kw = p.keyword();
  const start = p.start();
  if (kw === 'class') {
    p.pos++;
    const name = p.ident('a class');
    const perms = p.names('the permissions of the class');
    p.semicolon('the permissions');
    const end = p.lastEnd();
    return { kind: 'requireClass', name, perms, span: p.map.span(start, end), start, end };
  }
  if (REQUIRE_KINDS.has(kw)) {
    p.pos++;
    const names = p.identCommaList(REQUIRE_WHAT[kw as RequireKind]);
    p.semicolon('the names');
    const end = p.lastEnd();
    return { kind: 'requireNames', what: kw as RequireKind, names, span: p.map.span(start, end), start, end };
  }
  return p.fail('expected type, attribute, role, attribute_role, user, bool, tunable, sensitivity, category or class in the require block');
}

/** `SOURCES TARGETS : CLASSES` */
function sourceTargetClass(p: Parser): { source: NameExpr; target: NameExpr; classes: NameExpr } {
  const source = p.names('the source types');
  const target = p.names('the target types');
  p.expect(':', "':' between the target types and the classes");
  const classes = p.names('the classes');
  return { source, target, classes };
}

function avRule(p: Parser, t: Token): Statement {
  p.next();
  const source = p.names(t.value === 'allow' ? 'the source types (or roles)' : 'the source types');
  const target = p.names(t.value === 'allow' ? 'the target types (or roles)' : 'the target types');
  if (t.value === 'allow' && p.at(';')) {
    p.next();
    return { kind: 'roleallow', from: source, to: target, ...p.node(t.start, p.lastEnd()) };
  }
  p.expect(':', "':' between the target types and the classes");
  const classes = p.names('the classes');
  const perms = p.names('the permissions');
  p.semicolon('the permissions');
  const end = p.lastEnd();
  return { kind: 'avrule', rule: t.value as AvRuleKind, source, target, classes, perms, span: p.map.span(t.start, end), start: t.start, end };
}

function xpermRule(p: Parser, t: Token): Statement {
  p.next();
  const stc = sourceTargetClass(p);
  const operation = p.ident('the operation (ioctl)');
  const perms = xperms(p);
  p.semicolon('the extended permissions');
  return { kind: 'xpermrule', rule: t.value as XpermRuleKind, ...stc, operation, perms, ...p.node(t.start, p.lastEnd()) };
}

function typeRule(p: Parser, t: Token): TypeRule {
  p.next();
  const stc = sourceTargetClass(p);
  const result = p.ident('the new type');
  let fileName: TypeRule['fileName'];
  const f = p.peek();
  if (t.value === 'type_transition' && f.type === 'filename') {
    p.next();
    fileName = { value: f.text.slice(1, -1), ...p.node(f.start, f.end) };
  }
  p.semicolon(t.value === 'type_transition' ? 'the new type (or the object name)' : 'the new type');
  const end = p.lastEnd();
  return { kind: 'typerule', rule: t.value as TypeRuleKind, source: stc.source, target: stc.target, classes: stc.classes, result, fileName, span: p.map.span(t.start, end), start: t.start, end };
}

// ---- Extended permissions: `0x8910`, `{ 0x1 0x5-0x7 { 0x9 } }`, `~...`

function xpermNumber(p: Parser): { value: number; token: Token } {
  const t = p.peek();
  if (t.type !== 'number') p.fail('expected an extended permission number (0x8910)');
  p.next();
  const value = t.text.startsWith('0x') ? Number.parseInt(t.text.slice(2), 16) : Number.parseInt(t.text, 10);
  return { value, token: t };
}

function xpermRange(p: Parser): XpermRange {
  const low = xpermNumber(p);
  if (p.accept('-')) {
    const high = xpermNumber(p);
    return { kind: 'xpermRange', low: low.value, high: high.value, ...p.node(low.token.start, high.token.end) };
  }
  return { kind: 'xpermRange', low: low.value, ...p.node(low.token.start, low.token.end) };
}

function xpermSet(p: Parser): XpermSet {
  const open = p.expect('{', "'{'");
  p.enter(open);
  const items: (XpermRange | XpermSet)[] = [];
  while (!p.at('}')) items.push(p.at('{') ? xpermSet(p) : xpermRange(p));
  if (items.length === 0) p.fail('expected an extended permission number in the set');
  const close = p.next();
  p.leave();
  return { kind: 'xpermSet', items, ...p.node(open.start, close.end) };
}

function xperms(p: Parser): XpermExpr {
  const start = p.peek().start;
  const complement = p.accept('~') !== undefined;
  const operand = p.at('{') ? xpermSet(p) : xpermRange(p);
  return { kind: 'xperms', complement, operand, ...p.node(start, operand.end) };
}

// ---- Boolean expressions, with checkpolicy's precedence: || < ^ < && < ! < == !=

const BINARY_LEVELS: readonly (readonly CondOperator[])[] = [['||'], ['^'], ['&&']];

export function condExpr(p: Parser, level = 0): CondExpr {
  const start = p.peek();
  p.enter(start);
  let left: CondExpr;
  if (level < BINARY_LEVELS.length) {
    const ops = BINARY_LEVELS[level] as readonly CondOperator[];
    left = condExpr(p, level + 1);
    while (ops.includes(p.peek().type as CondOperator)) {
      const op = p.next().type as CondOperator;
      const right = condExpr(p, level + 1);
      left = { kind: 'binary', op, left, right, ...p.node(left.start, right.end) };
    }
  } else if (p.at('!')) {
    p.next();
    const operand = condExpr(p, level);
    left = { kind: 'not', operand, ...p.node(start.start, operand.end) };
  } else {
    left = condPrimary(p);
    while (p.at('==') || p.at('!=')) {
      const op = p.next().type as CondOperator;
      const right = p.at('!') ? condExpr(p, level) : condPrimary(p);
      left = { kind: 'binary', op, left, right, ...p.node(left.start, right.end) };
    }
  }
  p.leave();
  return left;
}

function condPrimary(p: Parser): CondExpr {
  const t = p.peek();
  if (t.type === '(') {
    p.next();
    const inner = condExpr(p);
    p.expect(')', "')' to close the '('");
    return inner;
  }
  if (t.type === 'id') {
    const name: Ident = p.ident();
    return { kind: 'bool', name, ...p.node(name.start, name.end) };
  }
  return p.fail('expected a boolean name, ! or (');
}
