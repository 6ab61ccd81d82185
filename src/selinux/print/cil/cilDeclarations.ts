// Declarations and requires of one block -> CIL lines, in pp's order: type
// aliases; declared roles, types and booleans (value order within each); then
// what the block requires (roles with the types they get, then types); then
// what the block adds to symbols declared elsewhere (attribute members,
// permissive types, bounds). Rules are cilRules.ts's, blocks cil.ts's.
import type { Block, ConditionalRule, NameList, Require, Statement, UserDecl } from '../../ir/index.js';
import { isPlainNames } from '../../ir/index.js';
import { cilLevel, cilRange, type RuleContext } from './cilRules.js';
import { OBJECT_R } from './cilSymbols.js';

const GEN_REQUIRE = 'cil_gen_require';

/**
 * Roles that pp declares only in a base module: refpolicy declares them in
 * several modules and CIL refuses a second declaration. (auditadm_r and
 * secadm_r are declared by pp for every base module.)
 */
const BASE_ROLES = new Set(['user_r', 'staff_r', 'sysadm_r', 'system_r', 'unconfined_r', 'auditadm_r', 'secadm_r', OBJECT_R]);

/** What one block declares, requires and adds, gathered from its require block and statements. */
export interface BlockFacts {
  requiredTypes: string[];
  requiredRoles: string[];
  /** Declared types and type attributes, by name. */
  types: Map<string, 'type' | 'attribute'>;
  /** Declared roles and role attributes, by name. */
  roles: Map<string, 'role' | 'attribute'>;
  aliases: Array<[alias: string, type: string]>;
  bools: Array<[name: string, value: boolean, tunable: boolean]>;
  users: UserDecl[];
  /** Attribute -> the types given it here. */
  typeAttributes: Map<string, string[]>;
  /** Role attribute -> the roles given it here. */
  roleAttributes: Map<string, string[]>;
  expand: Map<string, boolean>;
  permissive: string[];
  bounds: Array<[parent: string, child: string]>;
  /** Role -> the type lists `role R types ...;` gives it here. */
  roleTypes: Map<string, NameList[]>;
}

function push<K, V>(map: Map<K, V[]>, key: K, ...values: V[]): void {
  const list = map.get(key);
  if (list) list.push(...values);
  else map.set(key, [...values]);
}

/** The facts of a block; a require block inside a conditional counts for the block, optional blocks do not. */
export function blockFacts(block: Block): BlockFacts {
  const f: BlockFacts = {
    requiredTypes: [],
    requiredRoles: [],
    types: new Map(),
    roles: new Map(),
    aliases: [],
    bools: [],
    users: [],
    typeAttributes: new Map(),
    roleAttributes: new Map(),
    expand: new Map(),
    permissive: [],
    bounds: [],
    roleTypes: new Map(),
  };
  const require = (req: Require): void => {
    f.requiredTypes.push(...req.types, ...(req.attributes ?? []));
    f.requiredRoles.push(...req.roles, ...(req.attributeRoles ?? []));
  };
  if (block.require) require(block.require);
  const visit = (st: Statement | ConditionalRule): void => {
    switch (st.kind) {
      case 'require':
        require(st);
        break;
      case 'conditional':
        for (const r of [...st.whenTrue, ...(st.whenFalse ?? [])]) visit(r);
        break;
      case 'type':
        f.types.set(st.name, 'type');
        for (const a of st.aliases ?? []) f.aliases.push([a, st.name]);
        for (const a of st.attributes ?? []) push(f.typeAttributes, a, st.name);
        break;
      case 'attribute':
        f.types.set(st.name, 'attribute');
        break;
      case 'typealias':
        for (const a of st.aliases) f.aliases.push([a, st.type]);
        break;
      case 'typeattribute':
        for (const a of st.attributes) push(f.typeAttributes, a, st.type);
        break;
      case 'expandattribute':
        for (const a of st.attributes) f.expand.set(a, st.expand);
        break;
      case 'typebounds':
        for (const c of st.bounded) f.bounds.push([st.type, c]);
        break;
      case 'permissive':
        f.permissive.push(st.type);
        break;
      case 'bool':
        f.bools.push([st.name, st.default, st.tunable === true]);
        break;
      case 'role':
        f.roles.set(st.name, 'role');
        for (const a of st.attributes ?? []) push(f.roleAttributes, a, st.name);
        break;
      case 'attribute_role':
        f.roles.set(st.name, 'attribute');
        break;
      case 'roleattribute':
        for (const a of st.attributes) push(f.roleAttributes, a, st.role);
        break;
      case 'user':
        f.users.push(st);
        break;
      case 'roletypes':
        // checkmodule accepts `role object_r types T;` (required or not: the
        // role always exists) but pp prints no roletype for it; object_r gets
        // every type implicitly anyway.
        if (st.role !== OBJECT_R) push(f.roleTypes, st.role, st.types);
        break;
      default:
        break;
    }
  };
  for (const st of block.statements) visit(st);
  return f;
}

/**
 * `(roletype R T)` for each type a role gets in this block, in value order; a
 * set is an attribute of its own, declared right after (as pp does).
 */
function roleTypeLines(ctx: RuleContext, f: BlockFacts, role: string): string[] {
  const lists = f.roleTypes.get(role) ?? [];
  const plain = lists.filter(isPlainNames).flatMap((l) => (Array.isArray(l) ? l : l.names));
  const sets = ctx.sets.fresh();
  const named = lists.filter((l) => !isPlainNames(l)).map((l) => sets.types(ctx.syms.types, l).names[0]!);
  return [...[...ctx.syms.types.sort(plain), ...named].map((t) => `(roletype ${role} ${t})`), ...sets.lines()];
}

const list = (names: readonly string[]): string => `(${names.join(' ')})`;

/** The declaration and require lines of a block, before its rules. */
export function cilDeclarationLines(ctx: RuleContext, f: BlockFacts): string[] {
  const { syms } = ctx;
  const out: string[] = [];
  for (const [alias, type] of f.aliases) out.push(`(typealias ${alias})`, `(typealiasactual ${alias} ${type})`);

  // declared roles and role attributes
  for (const role of syms.roles.sort(f.roles.keys())) {
    if (f.roles.get(role) === 'role') {
      if (!BASE_ROLES.has(role)) out.push(`(role ${role})`);
    } else {
      out.push(`(roleattribute ${role})`);
      const members = f.roleAttributes.get(role);
      if (members) out.push(`(roleattributeset ${role} ${list(syms.roles.sort(members))})`);
    }
    out.push(...roleTypeLines(ctx, f, role));
  }

  // declared types and attributes
  for (const type of syms.types.sort(f.types.keys())) {
    if (f.types.get(type) === 'type') {
      out.push(`(type ${type})`, `(roletype ${OBJECT_R} ${type})`);
      if (f.permissive.includes(type)) out.push(`(typepermissive ${type})`);
      for (const [parent, child] of f.bounds) if (child === type) out.push(`(typebounds ${parent} ${child})`);
    } else {
      out.push(`(typeattribute ${type})`);
      const expand = f.expand.get(type);
      if (expand !== undefined) out.push(`(expandtypeattribute (${type}) ${expand})`);
      const members = f.typeAttributes.get(type);
      if (members) out.push(`(typeattributeset ${type} ${list(syms.types.sort(members))})`);
    }
  }

  for (const [name, value, tunable] of f.bools) out.push(`(${tunable ? 'tunable' : 'boolean'} ${name} ${value})`);
  for (const u of f.users) {
    out.push(`(user ${u.name})`, ...u.roles.map((r) => `(userrole ${u.name} ${r})`));
    if (u.mls) out.push(`(userlevel ${u.name} ${cilLevel(u.mls.level)})`, `(userrange ${u.name} ${cilRange(u.mls.range)})`);
  }

  // required roles (and roles that only get types here), each with its types
  const required = new Set(f.requiredRoles);
  const roles = syms.roles.sort([...f.requiredRoles.filter((r) => !f.roles.has(r)), ...[...f.roleTypes.keys()].filter((r) => !f.roles.has(r))]);
  // object_r has value 1 when required; it never gets roletype lines.
  for (const role of roles) {
    if (required.has(role)) out.push(`(roleattributeset ${GEN_REQUIRE} ${role})`);
    out.push(...roleTypeLines(ctx, f, role));
  }

  // required types and attributes
  for (const t of syms.types.sort(f.requiredTypes.filter((t) => !f.types.has(t)))) out.push(`(typeattributeset ${GEN_REQUIRE} ${t})`);

  // what the block adds to symbols declared elsewhere
  for (const attr of syms.types.sort([...f.typeAttributes.keys(), ...f.expand.keys()])) {
    if (f.types.has(attr)) continue;
    const expand = f.expand.get(attr);
    if (expand !== undefined) out.push(`(expandtypeattribute (${attr}) ${expand})`);
    const members = f.typeAttributes.get(attr);
    if (members) out.push(`(typeattributeset ${attr} ${list(syms.types.sort(members))})`);
  }
  for (const t of f.permissive) if (!f.types.has(t)) out.push(`(typepermissive ${t})`);
  for (const [parent, child] of f.bounds) if (!f.types.has(child)) out.push(`(typebounds ${parent} ${child})`);
  for (const attr of syms.roles.sort(f.roleAttributes.keys())) {
    if (!f.roles.has(attr)) out.push(`(roleattributeset ${attr} ${list(syms.roles.sort(f.roleAttributes.get(attr)!))})`);
  }
  return out;
}
