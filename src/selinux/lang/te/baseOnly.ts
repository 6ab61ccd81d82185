// The statements only a base policy may hold (checkpolicy 3.4's base
// grammar: classes and commons, initial SIDs, MLS declarations, constraints,
// file system and network labelling, policy capabilities, default_* rules),
// parsed far enough to know where each ends (many have no `;`) and what it
// names, so that the checks can say `genfscon is only allowed in a base
// policy` at the user's line instead of checkmodule's `syntax error`.
// Constraint expressions are skipped to their `;`, not built.
// Not here: what a module may hold (statements.ts).
import type { BaseOnlyKeyword, BaseOnlyStatement, Ident, SecurityContext } from './ast.js';
import type { Token } from './lexer.js';
import type { Parser } from './parser.js';

const BASE_ONLY: ReadonlySet<string> = new Set<BaseOnlyKeyword>([
  'class',
  'common',
  'sid',
  'sensitivity',
  'dominance',
  'category',
  'level',
  'mlsconstrain',
  'mlsvalidatetrans',
  'constrain',
  'validatetrans',
  'fs_use_xattr',
  'fs_use_task',
  'fs_use_trans',
  'genfscon',
  'portcon',
  'netifcon',
  'nodecon',
  'fscon',
  'pirqcon',
  'iomemcon',
  'ioportcon',
  'pcidevicecon',
  'devicetreecon',
  'ibpkeycon',
  'ibendportcon',
  'policycap',
  'default_user',
  'default_role',
  'default_type',
  'default_range',
]);

export function isBaseOnlyKeyword(kw: string): kw is BaseOnlyKeyword {
  return BASE_ONLY.has(kw);
}

/** A file system name: a name or a token such as `9p`. */
function fileSystem(p: Parser): Ident {
  const t = p.peek();
  if (t.type !== 'id' && t.type !== 'filesystem') p.fail('expected a file system name');
  p.next();
  return { kind: 'ident', name: t.text, ...p.node(t.start, t.end) };
}

function number(p: Parser, what: string): Token {
  const t = p.peek();
  if (t.type !== 'number') p.fail(`expected ${what}`);
  return p.next();
}

/** `N` or `N-M` */
function numberRange(p: Parser, what: string): void {
  number(p, what);
  if (p.accept('-')) number(p, `the end of the ${what} range`);
}

/** `{ id id ... }` (a class's or common's permissions). */
function idList(p: Parser): void {
  p.expect('{', "'{'");
  if (p.at('}')) p.fail('expected a permission');
  while (!p.at('}')) p.ident('a permission');
  p.next();
}

/** Tokens up to the `;` (taken), parentheses and braces balanced: a constraint or a default_* rule. */
function skipToSemicolon(p: Parser): void {
  let parens = 0;
  let braces = 0;
  while (true) {
    const t = p.peek();
    if (t.type === 'eof' || (t.type === '}' && braces === 0)) p.fail("expected ';' at the end of the statement");
    p.next();
    if (t.type === '(') parens++;
    else if (t.type === ')') parens--;
    else if (t.type === '{') braces++;
    else if (t.type === '}') braces--;
    else if (t.type === ';' && parens <= 0 && braces === 0) return;
  }
}

export function baseOnlyStatement(p: Parser, t: Token, kw: BaseOnlyKeyword): BaseOnlyStatement {
  p.next();
  let name: Ident | undefined;
  const contexts: SecurityContext[] = [];
  switch (kw) {
    case 'class':
      name = p.ident('a class name');
      if (p.accept('kw', 'inherits')) p.ident('a common name');
      if (p.at('{')) idList(p);
      break;
    case 'common':
      name = p.ident('a common name');
      idList(p);
      break;
    case 'sid':
      name = p.ident('an initial SID name');
      if (p.at('id') && p.peek(1).type === ':') contexts.push(p.context());
      break;
    case 'sensitivity':
    case 'category':
      name = p.ident(`a ${kw} name`);
      if (p.accept('kw', 'alias')) p.names('an alias');
      p.semicolon(`the ${kw}`);
      break;
    case 'dominance':
      if (p.at('{')) {
        let depth = 0;
        do {
          const x = p.next();
          if (x.type === '{') depth++;
          else if (x.type === '}') depth--;
          else if (x.type === 'eof') p.fail("expected '}'");
        } while (depth > 0);
      } else name = p.ident('a sensitivity');
      break;
    case 'level':
      p.level();
      p.semicolon('the level');
      break;
    case 'policycap':
      name = p.ident('a policy capability');
      p.semicolon('the capability');
      break;
    case 'fs_use_xattr':
    case 'fs_use_task':
    case 'fs_use_trans':
      name = fileSystem(p);
      contexts.push(p.context());
      p.semicolon('the context');
      break;
    case 'genfscon': {
      name = fileSystem(p);
      const path = p.peek();
      if (path.type !== 'path' && path.type !== 'qpath') p.fail('expected a path');
      p.next();
      if (p.accept('-')) {
        if (!p.accept('-')) p.ident('a file type letter');
      }
      contexts.push(p.context());
      break;
    }
    case 'portcon':
      name = p.ident('a protocol');
      numberRange(p, 'a port number');
      contexts.push(p.context());
      break;
    case 'netifcon':
      name = p.ident('an interface name');
      contexts.push(p.context(), p.context());
      break;
    case 'nodecon': {
      const a = p.peek();
      if (a.type !== 'ipv4' && a.type !== 'ipv6') p.fail('expected an IP address');
      p.next();
      const m = p.peek();
      if (m.type !== a.type) p.fail(`expected the ${a.type === 'ipv4' ? 'IPv4' : 'IPv6'} mask`);
      p.next();
      contexts.push(p.context());
      break;
    }
    case 'fscon':
      number(p, 'a number');
      number(p, 'a number');
      contexts.push(p.context(), p.context());
      break;
    case 'pirqcon':
    case 'pcidevicecon':
      number(p, 'a number');
      contexts.push(p.context());
      break;
    case 'iomemcon':
    case 'ioportcon':
      numberRange(p, 'an address');
      contexts.push(p.context());
      break;
    case 'devicetreecon': {
      const path = p.peek();
      if (path.type !== 'path' && path.type !== 'qpath') p.fail('expected a device tree path');
      p.next();
      contexts.push(p.context());
      break;
    }
    case 'ibpkeycon': {
      const subnet = p.peek();
      if (subnet.type !== 'ipv6' && subnet.type !== 'id' && subnet.type !== 'number') p.fail('expected a subnet prefix');
      p.next();
      numberRange(p, 'a partition key');
      contexts.push(p.context());
      break;
    }
    case 'ibendportcon':
      name = p.ident('a device name');
      number(p, 'a port number');
      contexts.push(p.context());
      break;
    default:
      // constrain, validatetrans, their mls forms, default_*.
      skipToSemicolon(p);
  }
  return { kind: 'baseOnly', keyword: kw, name, contexts, ...p.node(t.start, p.lastEnd()) };
}
