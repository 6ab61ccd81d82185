// Symbol values for the CIL printer: checkmodule numbers a module's types,
// roles, classes and each class's permissions in the order they first appear
// (the require block first, as the te printers write it), and pp lists names
// in that value order. This file computes the order; cil.ts says what pp does
// with it.
import type { ConditionalRule, Module, Require, Rule, Statement } from '../../ir/index.js';
import { mentionedNames } from '../../ir/index.js';

export const OBJECT_R = 'object_r';
export const SELF = 'self';

/** Names numbered in first-seen order, like a policydb symbol table. */
export class SymbolOrder {
  private readonly values = new Map<string, number>();
  /** The names by value. */
  private readonly byValue: string[] = [];

  add(name: string): void {
    this.valueOf(name);
  }

  private valueOf(name: string): number {
    let v = this.values.get(name);
    if (v === undefined) {
      v = this.byValue.length;
      this.values.set(name, v);
      this.byValue.push(name);
    }
    return v;
  }

  names(): string[] {
    return this.byValue.slice();
  }

  /** Distinct names, in value order (as an ebitmap walk yields them); names not seen before are numbered in the order given. */
  sort(names: Iterable<string>): string[] {
    const list = Array.isArray(names) ? (names as readonly string[]) : [...names];
    const k = list.length;
    // Most lists hold one or two names (a rule's classes, permissions, types): no sorting needed.
    if (k <= 2) {
      if (k === 0) return [];
      const a = this.valueOf(list[0] as string);
      if (k === 1) return [this.byValue[a] as string];
      const b = this.valueOf(list[1] as string);
      if (a === b) return [this.byValue[a] as string];
      return a < b ? [this.byValue[a] as string, this.byValue[b] as string] : [this.byValue[b] as string, this.byValue[a] as string];
    }
    // The values sorted as numbers in a buffer kept for the next call, duplicates dropped as they meet.
    if (k > sortBuffer.length) sortBuffer = new Int32Array(2 * k);
    for (let i = 0; i < k; i++) sortBuffer[i] = this.valueOf(list[i] as string);
    const vs = sortBuffer.subarray(0, k).sort();
    const out: string[] = [];
    let last = -1;
    for (let i = 0; i < k; i++) {
      const v = vs[i] as number;
      if (v !== last) out.push(this.byValue[v] as string);
      last = v;
    }
    return out;
  }
}

/** SymbolOrder.sort's values (a thread sorts one list at a time). */
let sortBuffer = new Int32Array(256);

export interface Symbols {
  /** Types, type attributes and aliases (one table, as in a policydb). */
  types: SymbolOrder;
  classes: SymbolOrder;
  perms: Map<string, SymbolOrder>;
  /** Roles and role attributes. */
  roles: SymbolOrder;
}

export function permOrder(syms: Symbols, cls: string): SymbolOrder {
  let order = syms.perms.get(cls);
  if (!order) {
    order = new SymbolOrder();
    syms.perms.set(cls, order);
  }
  return order;
}

function addRequire(syms: Symbols, req: Require): void {
  for (const t of req.types) syms.types.add(t);
  for (const a of req.attributes ?? []) syms.types.add(a);
  for (const [cls, perms] of req.classes) {
    syms.classes.add(cls);
    const order = permOrder(syms, cls);
    for (const p of perms) order.add(p);
  }
  for (const r of req.roles) syms.roles.add(r);
  for (const r of req.attributeRoles ?? []) syms.roles.add(r);
}

/**
 * The module's symbols, numbered as checkmodule numbers them: its first pass
 * declares what the require blocks and declarations name, in source order
 * (the module's require block first, then statement by statement, into
 * conditional and optional blocks); names only used (by rules, attribute
 * lists) come after, in first-use order. A valid module uses nothing it does
 * not declare or require; the second part orders what an invalid one (a
 * plain rule list) uses.
 */
export function collectSymbols(module: Module): Symbols {
  const syms: Symbols = { types: new SymbolOrder(), classes: new SymbolOrder(), perms: new Map(), roles: new SymbolOrder() };
  // object_r is created by policydb_init, so it always has value 1.
  if (module.require?.roles.includes(OBJECT_R)) syms.roles.add(OBJECT_R);
  if (module.require) addRequire(syms, module.require);
  addDeclared(syms, module.statements);
  addUsed(syms, module.statements);
  return syms;
}

/** What the statements declare or require (checkmodule's first pass). */
function addDeclared(syms: Symbols, statements: ReadonlyArray<Statement | ConditionalRule>): void {
  for (const st of statements) {
    switch (st.kind) {
      case 'require':
        addRequire(syms, st);
        break;
      case 'type':
        syms.types.add(st.name);
        for (const a of st.aliases ?? []) syms.types.add(a);
        break;
      case 'attribute':
        syms.types.add(st.name);
        break;
      case 'typealias':
        for (const a of st.aliases) syms.types.add(a);
        break;
      case 'role':
      case 'attribute_role':
        syms.roles.add(st.name);
        break;
      case 'roletypes':
        // `role R types T;` declares R in a module. `role object_r types T;`
        // never prints (see cil.ts); a required object_r is already first.
        if (st.role !== OBJECT_R) syms.roles.add(st.role);
        break;
      case 'conditional':
        addDeclared(syms, st.whenTrue);
        addDeclared(syms, st.whenFalse ?? []);
        break;
      case 'optional':
        if (st.require) addRequire(syms, st.require);
        addDeclared(syms, st.statements);
        addDeclared(syms, st.else ?? []);
        break;
      default:
        break;
    }
  }
}

/** Every name the statements use, in order (checkmodule's second pass; only new names get values). */
function addUsed(syms: Symbols, statements: ReadonlyArray<Statement | ConditionalRule>): void {
  for (const st of statements) {
    switch (st.kind) {
      case 'av':
      case 'xperm':
      case 'typerule':
      case 'range_transition':
      case 'role_transition':
      case 'role_allow':
        ruleUses(syms, st);
        break;
      case 'conditional':
        addUsed(syms, st.whenTrue);
        addUsed(syms, st.whenFalse ?? []);
        break;
      case 'optional':
        addUsed(syms, st.statements);
        addUsed(syms, st.else ?? []);
        break;
      default:
        declarationUses(syms, st);
    }
  }
}

// addUsed's parts, each compiled alone by the optimizing compiler.

function usedTypes(syms: Symbols, names: Iterable<string>): void {
  for (const t of names) if (t !== SELF) syms.types.add(t);
}

function usedType(syms: Symbols, name: string): void {
  if (name !== SELF) syms.types.add(name);
}

function usedClasses(syms: Symbols, names: readonly string[], perms?: readonly string[]): void {
  for (const c of names) {
    syms.classes.add(c);
    if (perms) {
      const order = permOrder(syms, c);
      for (const p of perms) order.add(p);
    }
  }
}

function usedRoles(syms: Symbols, names: Iterable<string>): void {
  for (const r of names) syms.roles.add(r);
}

function ruleUses(syms: Symbols, st: Rule): void {
  switch (st.kind) {
    case 'av':
      // A learned rule never has "self" as a source; a source named so is a type here.
      for (const s of mentionedNames(st.sources)) syms.types.add(s);
      usedTypes(syms, mentionedNames(st.targets));
      usedClasses(syms, st.classes, st.perms);
      break;
    case 'xperm':
      for (const s of mentionedNames(st.sources)) syms.types.add(s);
      usedTypes(syms, mentionedNames(st.targets));
      usedClasses(syms, st.classes);
      break;
    case 'typerule':
    case 'range_transition':
      usedTypes(syms, mentionedNames(st.sources));
      usedTypes(syms, mentionedNames(st.targets));
      usedClasses(syms, st.classes);
      if (st.kind === 'typerule') usedType(syms, st.result);
      break;
    case 'role_transition':
      usedRoles(syms, st.roles);
      usedTypes(syms, mentionedNames(st.types));
      usedClasses(syms, st.classes);
      syms.roles.add(st.result);
      break;
    case 'role_allow':
      usedRoles(syms, st.roles);
      usedRoles(syms, st.newRoles);
      break;
  }
}

function declarationUses(syms: Symbols, st: Statement | ConditionalRule): void {
  switch (st.kind) {
    case 'roletypes':
      usedTypes(syms, mentionedNames(st.types));
      break;
    case 'type':
      usedTypes(syms, st.attributes ?? []);
      break;
    case 'typeattribute':
      usedType(syms, st.type);
      usedTypes(syms, st.attributes);
      break;
    case 'typealias':
      usedType(syms, st.type);
      break;
    case 'expandattribute':
      usedTypes(syms, st.attributes);
      break;
    case 'typebounds':
      usedType(syms, st.type);
      usedTypes(syms, st.bounded);
      break;
    case 'permissive':
      usedType(syms, st.type);
      break;
    case 'role':
      usedRoles(syms, st.attributes ?? []);
      break;
    case 'roleattribute':
      syms.roles.add(st.role);
      usedRoles(syms, st.attributes);
      break;
    default:
      break;
  }
}
