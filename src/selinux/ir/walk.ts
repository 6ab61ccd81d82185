// Walking a module: every statement (inside conditional and optional blocks
// too) and every name the module uses, with what it names. The printers print
// names as they are, so a module must have its names checked before it is
// printed: that check (identifier.ts, the SELinux identifier grammar) runs
// over moduleNames(). Nothing here decides what a valid name is.
import type { Span } from '../../base/span.js';
import type { Block, BoolExpr, ConditionalRule, Statement } from './blocks.js';
import type { MlsLevel, MlsRange } from './mls.js';
import type { Module } from './module.js';
import { mentionedNames } from './names.js';
import type { Require } from './require.js';

/**
 * What a name stands for, so that a checker can apply the right grammar:
 * `type` covers types, type attributes and aliases (one symbol table), `role`
 * roles and role attributes; `version` is the module version (`1.0`),
 * `objectName` the quoted file name of a type_transition, `operation` an
 * extended-permission kind (`ioctl`).
 */
export type NameKind = 'module' | 'version' | 'type' | 'role' | 'class' | 'permission' | 'bool' | 'user' | 'sensitivity' | 'category' | 'operation' | 'objectName';

export interface NameUse {
  name: string;
  kind: NameKind;
  /** The statement's span, when it has one. */
  span?: Span;
}

/** Calls `visit` for every statement of a block, depth first, in order (conditional rules and optional bodies included). */
export function forEachStatement(block: Block, visit: (st: Statement | ConditionalRule) => void): void {
  for (const st of block.statements) {
    visit(st);
    if (st.kind === 'conditional') {
      for (const r of st.whenTrue) visit(r);
      for (const r of st.whenFalse ?? []) visit(r);
    } else if (st.kind === 'optional') {
      forEachStatement(st, visit);
      if (st.else) forEachStatement({ statements: st.else }, visit);
    }
  }
}

/** Called for each name: what it names, and the span of the statement it is in. */
export type VisitName = (name: string, kind: NameKind, span: Span | undefined) => void;

/**
 * A statement's names handed to `visit` with the statement's span. One object per statement
 * walked (not a closure): the walk's functions always call the same `add`, so the optimizing
 * compiler keeps their code for every module.
 */
class NameAdder {
  span: Span | undefined = undefined;
  constructor(readonly visit: VisitName) {}

  add(kind: NameKind, names: Iterable<string>): void {
    for (const name of names) this.visit(name, kind, this.span);
  }

  one(kind: NameKind, name: string): void {
    this.visit(name, kind, this.span);
  }
}

/** Every name of a module with what it names, in order (requires of optional blocks included). */
export function moduleNames(module: Module): NameUse[] {
  const out: NameUse[] = [];
  forEachModuleName(module, (name, kind, span) => out.push(span ? { name, kind, span } : { name, kind }));
  return out;
}

/**
 * moduleNames without the list: `visit` is called for each name in the same order (a check over a
 * large module allocates nothing per name); the names of a statement `skip` answers true for are
 * passed over (an optional block's body still walked).
 */
export function forEachModuleName(module: Module, visit: VisitName, skip?: (st: Statement | ConditionalRule) => boolean): void {
  const a = new NameAdder(visit);
  if (module.name !== undefined) a.one('module', module.name);
  if (module.version !== undefined) a.one('version', module.version);
  if (module.require) requireNames(module.require, a);
  forEachStatement(module, (st) => {
    if (skip?.(st) === true) return;
    a.span = st.span;
    statementNames(st, a);
    // An optional block's own require is not a statement.
    if (st.kind === 'optional' && st.require) requireNames(st.require, a);
  });
}

function requireNames(req: Require, a: NameAdder): void {
  a.add('type', req.types);
  a.add('type', req.attributes ?? []);
  for (const [cls, perms] of req.classes) {
    a.one('class', cls);
    a.add('permission', perms);
  }
  a.add('role', req.roles);
  a.add('role', req.attributeRoles ?? []);
  a.add('bool', req.bools ?? []);
  a.add('bool', req.tunables ?? []);
  a.add('user', req.users ?? []);
  a.add('sensitivity', req.sensitivities ?? []);
  a.add('category', req.categories ?? []);
}

function statementNames(st: Statement | ConditionalRule, a: NameAdder): void {
  switch (st.kind) {
    case 'av':
      a.add('type', mentionedNames(st.sources));
      a.add('type', mentionedNames(st.targets));
      a.add('class', st.classes);
      a.add('permission', st.perms);
      break;
    case 'xperm':
      a.add('type', mentionedNames(st.sources));
      a.add('type', mentionedNames(st.targets));
      a.add('class', st.classes);
      a.one('operation', st.operation);
      break;
    case 'typerule':
      a.add('type', mentionedNames(st.sources));
      a.add('type', mentionedNames(st.targets));
      a.add('class', st.classes);
      a.one('type', st.result);
      if (st.objectName !== undefined) a.one('objectName', st.objectName);
      break;
    case 'range_transition':
      a.add('type', mentionedNames(st.sources));
      a.add('type', mentionedNames(st.targets));
      a.add('class', st.classes);
      rangeNames(st.range, a);
      break;
    case 'role_transition':
      a.add('role', st.roles);
      a.add('type', mentionedNames(st.types));
      a.add('class', st.classes);
      a.one('role', st.result);
      break;
    case 'role_allow':
      a.add('role', st.roles);
      a.add('role', st.newRoles);
      break;
    case 'type':
      a.one('type', st.name);
      a.add('type', st.aliases ?? []);
      a.add('type', st.attributes ?? []);
      break;
    case 'attribute':
      a.one('type', st.name);
      break;
    case 'typeattribute':
      a.one('type', st.type);
      a.add('type', st.attributes);
      break;
    case 'typealias':
      a.one('type', st.type);
      a.add('type', st.aliases);
      break;
    case 'expandattribute':
      a.add('type', st.attributes);
      break;
    case 'typebounds':
      a.one('type', st.type);
      a.add('type', st.bounded);
      break;
    case 'permissive':
      a.one('type', st.type);
      break;
    case 'bool':
      a.one('bool', st.name);
      break;
    case 'role':
      a.one('role', st.name);
      a.add('role', st.attributes ?? []);
      break;
    case 'roletypes':
      a.one('role', st.role);
      a.add('type', mentionedNames(st.types));
      break;
    case 'attribute_role':
      a.one('role', st.name);
      break;
    case 'roleattribute':
      a.one('role', st.role);
      a.add('role', st.attributes);
      break;
    case 'user':
      a.one('user', st.name);
      a.add('role', st.roles);
      if (st.mls) {
        levelNames(st.mls.level, a);
        rangeNames(st.mls.range, a);
      }
      break;
    case 'conditional':
      a.add('bool', boolNames(st.condition));
      break;
    case 'require':
      requireNames(st, a);
      break;
    case 'optional':
      break;
  }
}

function levelNames(l: MlsLevel, a: NameAdder): void {
  a.one('sensitivity', l.sensitivity);
  for (const c of l.categories ?? []) {
    if (typeof c === 'string') a.one('category', c);
    else a.add('category', c);
  }
}

function rangeNames(range: MlsRange, a: NameAdder): void {
  levelNames(range.low, a);
  if (range.high) levelNames(range.high, a);
}

/** The booleans of an expression, left to right, with repeats. */
export function boolNames(e: BoolExpr): string[] {
  switch (e.op) {
    case 'bool':
      return [e.name];
    case 'not':
      return boolNames(e.operand);
    default:
      return [...boolNames(e.left), ...boolNames(e.right)];
  }
}
