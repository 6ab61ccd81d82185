// Walking a module: every statement (inside conditional and optional blocks
// too) and every name the module uses, with what it names. The printers print
// names as they are, so a module must have its names checked before it is
// printed: that check (identifier.ts, the SELinux identifier grammar) runs
// over moduleNames(). Nothing here decides what a valid name is.
import type { Span } from '../../base/span.js';
import type { Block, BoolExpr, ConditionalRule, Statement } from './blocks.js';
import type { MlsLevel, MlsRange } from './mls.js';
import type { Module } from './module.js';
import { mentionedNames, type NameList } from './names.js';
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

type AddNames = (kind: NameKind, names: Iterable<string>) => void;

/** Every name of a module with what it names, in order (requires of optional blocks included). */
export function moduleNames(module: Module): NameUse[] {
  const out: NameUse[] = [];
  forEachModuleName(module, (name, kind, span) => out.push(span ? { name, kind, span } : { name, kind }));
  return out;
}

/** moduleNames without the list: `visit` is called for each name in the same order (a check over a large module allocates nothing per name). */
export function forEachModuleName(module: Module, visit: (name: string, kind: NameKind, span: Span | undefined) => void): void {
  const adder =
    (span: Span | undefined): AddNames =>
    (kind, names) => {
      for (const name of names) visit(name, kind, span);
    };
  const add = adder(undefined);
  if (module.name !== undefined) add('module', [module.name]);
  if (module.version !== undefined) add('version', [module.version]);
  if (module.require) requireNames(module.require, add);
  forEachStatement(module, (st) => {
    const addHere = adder(st.span);
    statementNames(st, addHere);
    // An optional block's own require is not a statement.
    if (st.kind === 'optional' && st.require) requireNames(st.require, addHere);
  });
}

function requireNames(req: Require, add: AddNames): void {
  add('type', req.types);
  add('type', req.attributes ?? []);
  for (const [cls, perms] of req.classes) {
    add('class', [cls]);
    add('permission', perms);
  }
  add('role', req.roles);
  add('role', req.attributeRoles ?? []);
  add('bool', req.bools ?? []);
  add('bool', req.tunables ?? []);
  add('user', req.users ?? []);
  add('sensitivity', req.sensitivities ?? []);
  add('category', req.categories ?? []);
}

function statementNames(st: Statement | ConditionalRule, add: AddNames): void {
  const types = (list: NameList): void => add('type', mentionedNames(list));
  switch (st.kind) {
    case 'av':
      types(st.sources);
      types(st.targets);
      add('class', st.classes);
      add('permission', st.perms);
      break;
    case 'xperm':
      types(st.sources);
      types(st.targets);
      add('class', st.classes);
      add('operation', [st.operation]);
      break;
    case 'typerule':
      types(st.sources);
      types(st.targets);
      add('class', st.classes);
      add('type', [st.result]);
      if (st.objectName !== undefined) add('objectName', [st.objectName]);
      break;
    case 'range_transition':
      types(st.sources);
      types(st.targets);
      add('class', st.classes);
      rangeNames(st.range, add);
      break;
    case 'role_transition':
      add('role', st.roles);
      types(st.types);
      add('class', st.classes);
      add('role', [st.result]);
      break;
    case 'role_allow':
      add('role', st.roles);
      add('role', st.newRoles);
      break;
    case 'type':
      add('type', [st.name, ...(st.aliases ?? []), ...(st.attributes ?? [])]);
      break;
    case 'attribute':
      add('type', [st.name]);
      break;
    case 'typeattribute':
      add('type', [st.type, ...st.attributes]);
      break;
    case 'typealias':
      add('type', [st.type, ...st.aliases]);
      break;
    case 'expandattribute':
      add('type', st.attributes);
      break;
    case 'typebounds':
      add('type', [st.type, ...st.bounded]);
      break;
    case 'permissive':
      add('type', [st.type]);
      break;
    case 'bool':
      add('bool', [st.name]);
      break;
    case 'role':
      add('role', [st.name, ...(st.attributes ?? [])]);
      break;
    case 'roletypes':
      add('role', [st.role]);
      types(st.types);
      break;
    case 'attribute_role':
      add('role', [st.name]);
      break;
    case 'roleattribute':
      add('role', [st.role, ...st.attributes]);
      break;
    case 'user':
      add('user', [st.name]);
      add('role', st.roles);
      if (st.mls) {
        levelNames(st.mls.level, add);
        rangeNames(st.mls.range, add);
      }
      break;
    case 'conditional':
      add('bool', boolNames(st.condition));
      break;
    case 'require':
      requireNames(st, add);
      break;
    case 'optional':
      break;
  }
}

function levelNames(l: MlsLevel, add: AddNames): void {
  add('sensitivity', [l.sensitivity]);
  for (const c of l.categories ?? []) add('category', typeof c === 'string' ? [c] : c);
}

function rangeNames(range: MlsRange, add: AddNames): void {
  levelNames(range.low, add);
  if (range.high) levelNames(range.high, add);
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
