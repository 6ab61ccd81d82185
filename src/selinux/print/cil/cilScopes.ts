// A hand-written module as checkmodule stores it, for the pp printer
// (cilModule.ts): one avrule_decl per scope (the module is decl 1; each
// optional block and each else branch takes the next number, in source
// order), each with what it declares, what it requires itself, what it adds
// to symbols of other scopes (its own copies of attributes and roles, the
// "additive" symbols), and its rule lists in checkmodule's order (av rules
// appended; role transitions, role allows, range transitions and name-based
// type transitions prepended; conditionals merged when their expressions
// have the same truth table, new ones prepended). The global datums (what
// the module's own block gives attributes and roles) are kept apart, as the
// module's symbol tables keep them.
// Not here: symbol values (cilSymbols.ts), printing (cilModule.ts).
import type {
  AvRule,
  BoolExpr,
  Conditional,
  ConditionalRule,
  Module,
  NameList,
  Optional,
  RangeTransition,
  Require,
  RoleAllow,
  RoleTransition,
  Rule,
  Statement,
  TypeRule,
  UserDecl,
  XpermRule,
} from '../../ir/index.js';

/** What a decl requires itself (its require blocks), by symbol kind. */
export interface Requires {
  roles: Set<string>;
  types: Set<string>;
  users: Set<string>;
  bools: Set<string>;
  sens: Set<string>;
  cats: Set<string>;
  /** Class -> its required permissions. */
  classes: Map<string, Set<string>>;
}

/** A role or role attribute's datum: the types it gets, and (an attribute) the roles it holds. */
export interface RoleDatum {
  types: NameList[];
  roles: string[];
}

/** A merged conditional of one decl: the expression of its first occurrence, with a top-level `not` taken off and the branches swapped. */
export interface CondNode {
  expr: BoolExpr;
  bools: string[];
  /** Truth table over `bools` (undefined past 5 booleans: compared as written). */
  mask: number | undefined;
  whenTrue: ConditionalRule[];
  whenFalse: ConditionalRule[];
}

export type AvListRule = AvRule | XpermRule | TypeRule;

export interface Decl {
  id: number;
  /** The optional block this decl is the body of; undefined for the module and for else branches. */
  optional?: Optional | undefined;
  /** Enclosing decl in the source (its requirements are inherited). */
  parent?: Decl | undefined;
  own: Requires;
  declaredTypes: Map<string, 'type' | 'attribute'>;
  declaredRoles: Map<string, 'role' | 'attribute'>;
  declaredUsers: UserDecl[];
  declaredBools: string[];
  aliases: Array<[alias: string, type: string]>;
  /** Additive copies (non-global decls): attribute -> types given here. */
  localTypes: Map<string, string[]>;
  /** Additive copies (non-global decls): role -> what it gets here. */
  localRoles: Map<string, RoleDatum>;
  avrules: AvListRule[];
  roleTrans: RoleTransition[];
  roleAllows: RoleAllow[];
  rangeTrans: RangeTransition[];
  filenameTrans: TypeRule[];
  conds: CondNode[];
}

/** The module as pp reads it: decls in id order, blocks in list order, global datums and scopes. */
export interface ModuleScopes {
  decls: Decl[];
  /** The decls that are blocks (the module, then optional bodies in source order). */
  blocks: Decl[];
  /** What the module's own block gives attributes (global datums). */
  globalAttrMembers: Map<string, string[]>;
  globalRoles: Map<string, RoleDatum>;
  permissive: Set<string>;
  /** Child type -> its bounding type. */
  bounds: Map<string, string>;
  /** Symbol -> the decls that declare or require it (libsepol's scope decl_ids). */
  typeScopes: Map<string, number[]>;
  roleScopes: Map<string, number[]>;
  /** Attributes named in expandattribute (pp drops the statement). */
  expandAttributes: string[];
  /** Declared booleans' default values. */
  boolDefaults: Map<string, boolean>;
  /** Names required as type attributes and as role attributes. */
  requiredAttributes: Set<string>;
  requiredRoleAttributes: Set<string>;
}

const emptyRequires = (): Requires => ({ roles: new Set(), types: new Set(), users: new Set(), bools: new Set(), sens: new Set(), cats: new Set(), classes: new Map() });

function newDecl(id: number, parent?: Decl, optional?: Optional): Decl {
  return {
    id,
    optional,
    parent,
    own: emptyRequires(),
    declaredTypes: new Map(),
    declaredRoles: new Map(),
    declaredUsers: [],
    declaredBools: [],
    aliases: [],
    localTypes: new Map(),
    localRoles: new Map(),
    avrules: [],
    roleTrans: [],
    roleAllows: [],
    rangeTrans: [],
    filenameTrans: [],
    conds: [],
  };
}

/** Adds `id` to a symbol's decls (a few at most: an array, not a Set, for each of a module's thousands of names). */
function addScope(map: Map<string, number[]>, name: string, id: number): void {
  const ids = map.get(name);
  if (ids === undefined) map.set(name, [id]);
  else if (!ids.includes(id)) ids.push(id);
}

function pushTo<V>(map: Map<string, V[]>, key: string, ...values: V[]): void {
  const list = map.get(key);
  if (list) list.push(...values);
  else map.set(key, [...values]);
}

/** Builds the decls of a module (its layout 'written': requires among the statements). */
export function moduleScopes(module: Module): ModuleScopes {
  const s: ModuleScopes = {
    decls: [],
    blocks: [],
    globalAttrMembers: new Map(),
    globalRoles: new Map(),
    permissive: new Set(),
    bounds: new Map(),
    typeScopes: new Map(),
    roleScopes: new Map(),
    expandAttributes: [],
    boolDefaults: new Map(),
    requiredAttributes: new Set(),
    requiredRoleAttributes: new Set(),
  };
  let nextId = 1;
  const open = (parent?: Decl, optional?: Optional): Decl => {
    const d = newDecl(nextId++, parent, optional);
    s.decls.push(d);
    return d;
  };
  const global = open();
  s.blocks.push(global);

  const require = (d: Decl, r: Require): void => {
    for (const a of r.attributes ?? []) s.requiredAttributes.add(a);
    for (const a of r.attributeRoles ?? []) s.requiredRoleAttributes.add(a);
    const types = (list: readonly string[]): void => {
      for (const t of list) {
        d.own.types.add(t);
        addScope(s.typeScopes, t, d.id);
      }
    };
    const roles = (list: readonly string[]): void => {
      for (const x of list) {
        d.own.roles.add(x);
        addScope(s.roleScopes, x, d.id);
      }
    };
    types(r.types);
    if (r.attributes) types(r.attributes);
    roles(r.roles);
    if (r.attributeRoles) roles(r.attributeRoles);
    for (const u of r.users ?? []) d.own.users.add(u);
    for (const b of r.bools ?? []) d.own.bools.add(b);
    for (const b of r.tunables ?? []) d.own.bools.add(b);
    for (const x of r.sensitivities ?? []) d.own.sens.add(x);
    for (const x of r.categories ?? []) d.own.cats.add(x);
    for (const [cls, perms] of r.classes) {
      let set = d.own.classes.get(cls);
      if (!set) d.own.classes.set(cls, (set = new Set()));
      for (const p of perms) set.add(p);
    }
  };
  const isGlobal = (d: Decl): boolean => d === global;
  const attrMembers = (d: Decl, attr: string, type: string): void => {
    pushTo(isGlobal(d) ? s.globalAttrMembers : d.localTypes, attr, type);
  };
  const roleDatum = (d: Decl, role: string): RoleDatum => {
    const table = isGlobal(d) ? s.globalRoles : d.localRoles;
    let datum = table.get(role);
    if (!datum) table.set(role, (datum = { types: [], roles: [] }));
    return datum;
  };
  const declareType = (d: Decl, name: string, kind: 'type' | 'attribute'): void => {
    d.declaredTypes.set(name, kind);
    addScope(s.typeScopes, name, d.id);
  };
  const declareRole = (d: Decl, name: string, kind: 'role' | 'attribute'): void => {
    d.declaredRoles.set(name, kind);
    addScope(s.roleScopes, name, d.id);
    // declare_role makes the decl's own copy (the module's block uses the global one).
    roleDatum(d, name);
  };

  // The statements by kind, in three functions: the optimizing compiler takes each alone.
  const declare = (d: Decl, st: Statement): void => {
    switch (st.kind) {
      case 'type':
        declareType(d, st.name, 'type');
        for (const a of st.aliases ?? []) {
          d.aliases.push([a, st.name]);
          addScope(s.typeScopes, a, d.id);
        }
        for (const a of st.attributes ?? []) attrMembers(d, a, st.name);
        break;
      case 'attribute':
        declareType(d, st.name, 'attribute');
        break;
      case 'typealias':
        for (const a of st.aliases) {
          d.aliases.push([a, st.type]);
          addScope(s.typeScopes, a, d.id);
        }
        break;
      case 'typeattribute':
        for (const a of st.attributes) attrMembers(d, a, st.type);
        break;
      case 'expandattribute':
        s.expandAttributes.push(...st.attributes);
        break;
      case 'typebounds':
        for (const c of st.bounded) s.bounds.set(c, st.type);
        break;
      case 'permissive':
        s.permissive.add(st.type);
        break;
      case 'bool':
        d.declaredBools.push(st.name);
        s.boolDefaults.set(st.name, st.default);
        break;
      case 'role':
        declareRole(d, st.name, 'role');
        for (const a of st.attributes ?? []) roleDatum(d, a).roles.push(st.name);
        break;
      case 'attribute_role':
        declareRole(d, st.name, 'attribute');
        break;
      case 'roleattribute':
        for (const a of st.attributes) roleDatum(d, a).roles.push(st.role);
        break;
      case 'roletypes':
        roleDatum(d, st.role).types.push(st.types);
        break;
      case 'user':
        d.declaredUsers.push(st);
        break;
      default:
        break;
    }
  };
  const rule = (d: Decl, st: Rule): void => {
    switch (st.kind) {
      case 'av':
      case 'xperm':
        d.avrules.push(st);
        break;
      case 'typerule':
        if (st.objectName === undefined) d.avrules.push(st);
        else d.filenameTrans.unshift(st);
        break;
      case 'role_transition':
        d.roleTrans.unshift(st);
        break;
      case 'role_allow':
        d.roleAllows.unshift(st);
        break;
      case 'range_transition':
        d.rangeTrans.unshift(st);
        break;
    }
  };
  const visit = (d: Decl, statements: readonly Statement[]): void => {
    for (const st of statements) {
      switch (st.kind) {
        case 'require':
          require(d, st);
          break;
        case 'av':
        case 'xperm':
        case 'typerule':
        case 'role_transition':
        case 'role_allow':
        case 'range_transition':
          rule(d, st);
          break;
        case 'conditional':
          for (const r of [...st.whenTrue, ...(st.whenFalse ?? [])]) if (r.kind === 'require') require(d, r);
          addCond(d, st);
          break;
        case 'optional': {
          const body = open(d, st);
          s.blocks.push(body);
          visit(body, st.statements);
          if (st.else !== undefined) visit(open(d), st.else);
          break;
        }
        default:
          declare(d, st);
      }
    }
  };
  visit(global, module.statements);
  return s;
}

/** The booleans of an expression in order of first appearance. */
function boolsOf(e: BoolExpr, out: string[] = []): string[] {
  if (e.op === 'bool') {
    if (!out.includes(e.name)) out.push(e.name);
  } else if (e.op === 'not') boolsOf(e.operand, out);
  else {
    boolsOf(e.left, out);
    boolsOf(e.right, out);
  }
  return out;
}

function evaluate(e: BoolExpr, value: (name: string) => boolean): boolean {
  switch (e.op) {
    case 'bool':
      return value(e.name);
    case 'not':
      return !evaluate(e.operand, value);
    case 'and':
      return evaluate(e.left, value) && evaluate(e.right, value);
    case 'or':
      return evaluate(e.left, value) || evaluate(e.right, value);
    case 'xor':
      return evaluate(e.left, value) !== evaluate(e.right, value);
    case 'eq':
      return evaluate(e.left, value) === evaluate(e.right, value);
    case 'neq':
      return evaluate(e.left, value) !== evaluate(e.right, value);
  }
}

const COND_MAX_BOOLS = 5;

/** cond_normalize_expr, then get_decl_cond_list and append_cond_list. */
function addCond(d: Decl, c: Conditional): void {
  let expr = c.condition;
  const rules = (list: readonly ConditionalRule[] | undefined): ConditionalRule[] => (list ?? []).filter((r) => r.kind !== 'require');
  // define_cond_pol_list prepends: a branch's rules come last first.
  let whenTrue = rules(c.whenTrue).reverse();
  let whenFalse = rules(c.whenFalse).reverse();
  if (expr.op === 'not') {
    expr = expr.operand;
    [whenTrue, whenFalse] = [whenFalse, whenTrue];
  }
  const bools = boolsOf(expr);
  let mask: number | undefined;
  if (bools.length <= COND_MAX_BOOLS) {
    mask = 0;
    for (let test = 0; test < 1 << bools.length; test++) {
      if (evaluate(expr, (name) => (test & (1 << bools.indexOf(name))) !== 0)) mask |= 1 << test;
    }
  }
  const same = (n: CondNode): boolean => {
    if (n.bools.length !== bools.length) return false;
    if (mask !== undefined && n.mask !== undefined) return bools.every((b) => n.bools.includes(b)) && n.mask === mask;
    return JSON.stringify(n.expr) === JSON.stringify(expr);
  };
  const found = d.conds.find(same);
  if (found) {
    found.whenTrue.push(...whenTrue);
    found.whenFalse.push(...whenFalse);
  } else d.conds.unshift({ expr, bools, mask, whenTrue, whenFalse });
}

const REQUIRE_KINDS = ['roles', 'types', 'users', 'bools', 'sens', 'cats'] as const;

/**
 * What a decl requires (copy_requirements: its own and its enclosing decls'),
 * without the module block's own requirements, which every decl inherits and
 * so never decide a comparison. Read from the decls' own sets along the
 * parent chain (a few decls deep): no copies, no keys.
 */
export class RequireSets {
  constructor(private readonly global: Decl) {}

  /** Whether `d` or a decl enclosing it (the module block aside) requires `name` of `kind`. */
  private has(d: Decl | undefined, kind: (typeof REQUIRE_KINDS)[number], name: string): boolean {
    for (let x = d; x !== undefined && x !== this.global; x = x.parent) if (x.own[kind].has(name)) return true;
    return false;
  }

  /** The same for a class, or a class's permission when `perm` is given. */
  private hasClass(d: Decl | undefined, cls: string, perm?: string): boolean {
    for (let x = d; x !== undefined && x !== this.global; x = x.parent) {
      const perms = x.own.classes.get(cls);
      if (perms !== undefined && (perm === undefined || perms.has(perm))) return true;
    }
    return false;
  }

  /** is_scope_superset: whether `sup` requires everything `sub` requires (classes' permissions too). */
  superset(sup: Decl, sub: Decl): boolean {
    const g = this.global.own;
    for (let x: Decl | undefined = sub; x !== undefined && x !== this.global; x = x.parent) {
      for (const k of REQUIRE_KINDS) for (const n of x.own[k]) if (!g[k].has(n) && !this.has(sup, k, n)) return false;
      for (const [cls, perms] of x.own.classes) {
        const gp = g.classes.get(cls);
        if (gp === undefined && !this.hasClass(sup, cls)) return false;
        for (const p of perms) if (!gp?.has(p) && !this.hasClass(sup, cls, p)) return false;
      }
    }
    return true;
  }
}
