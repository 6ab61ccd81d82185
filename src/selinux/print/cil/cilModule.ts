// A hand-written module (layout 'written') -> CIL byte for byte as libsepol
// 3.4's pp converter (module_to_cil.c) writes it for the .pp that the devel
// Makefile builds (checkmodule -M -m, semodule_package with the .fc). pp
// walks checkmodule's data, not the source; cilScopes.ts rebuilds that data
// from the IR, this file walks it as pp does:
// * blocks in list order: the module, then each optional body in source
//   order, named MODULE_optional_ID (ID: the decl number; else branches take
//   numbers too). pp nests a block inside the one before it whenever the new
//   block requires everything that one requires (is_scope_superset), which is
//   how source nesting comes out, and also how a later sibling that requires
//   more ends up inside an earlier one; otherwise it closes blocks until one
//   fits. An optional's else branch is dropped (pp warns; so do we).
// * in each block: type aliases; declared roles, types, users, booleans
//   (value order); what the block itself requires (`cil_gen_require` lines,
//   each with the global datum's members and role types); the block's own
//   copies of attributes and roles ("additive", in hash-table order, each
//   again with a cil_gen_require line); av rules in order; role transitions,
//   role allows, range transitions, name-based type transitions (each list
//   last first); conditionals (merged, last new first); then the attributes
//   made for type sets, last made first, numbered over the whole module.
// * lists print with a space after each name (`(a b )`), as pp does.
// * `filecon` lines from the .fc, after the blocks.
// What pp leaves out, this leaves out too, with a `cil-unsupported` warning:
// an optional's else branch, expandattribute (pp drops it silently).
import { type Diagnostic, diagnostic } from '../../../base/diagnostic.js';
import type { ConditionalRule, FcSpec, Module, NameList, UserDecl } from '../../ir/index.js';
import { assertPrintable, isNameSet, isPlainNames } from '../../ir/index.js';
import { cilBoolExpr } from './cil.js';
import { resolveAliases } from './cilAliases.js';
import { ppFileContexts } from './cilFileContexts.js';
import { DECL_TABLE_SIZE, GLOBAL_TABLE_SIZE, hashOrder } from './cilHash.js';
import { cilAvRule, cilRangeTransition, cilRoleAllow, cilRoleTransition, cilTypeRule, cilXpermRule, ppLevel, type RuleContext } from './cilRules.js';
import { type AvListRule, type CondNode, type Decl, type ModuleScopes, moduleScopes, RequireSets, type RoleDatum } from './cilScopes.js';
import { BlockSets, type SetCounter } from './cilSets.js';
import { collectSymbols, OBJECT_R, type Symbols } from './cilSymbols.js';

export interface PrintModuleCilOptions {
  /** Receives a `cil-unsupported` warning for each thing pp leaves out. */
  onDiagnostic?: (d: Diagnostic) => void;
}

const GEN_REQUIRE = 'cil_gen_require';
/** Roles pp declares only in a base module, and the two it never declares in a module. */
const BASE_ROLES = new Set(['user_r', 'staff_r', 'sysadm_r', 'system_r', 'unconfined_r']);
const BUILTIN_ROLES = new Set(['auditadm_r', 'secadm_r']);

interface Printer {
  m: ModuleScopes;
  syms: Symbols;
  prefix: string;
  counter: SetCounter;
  out: string[];
  /** The decls of the blocks open now, outermost first (pp's decl stack). */
  stack: Decl[];
  /** Roles of the module's role table in pp's role_list order (reverse hash order). */
  roleList: string[];
  /** Decl id -> its aliases in pp's order. */
  aliases: Map<number, Array<[string, string]>>;
  /** Role -> the types the module's block gives it (globalRoleTypes). */
  roleTypeCache: Map<string, Set<string>>;
  /** Type -> typeKind's answer (the decls are all built before printing starts). */
  typeKinds: Map<string, 'type' | 'attribute'>;
}

/** Indents by depth, made once (blocks nest a few deep). */
const INDENTS = Array.from({ length: 8 }, (_, depth) => ' '.repeat(4 * depth));
const ind = (depth: number): string => INDENTS[depth] ?? ' '.repeat(4 * depth);
const spaced = (names: readonly string[]): string => `(${names.map((n) => `${n} `).join('')})`;

/** The CIL pp writes for a hand-written module and its file contexts. */
export function printModuleCil(module: Module, fileContexts: readonly FcSpec[] = [], options: PrintModuleCilOptions = {}): string {
  assertPrintable(module);
  module = resolveAliases(module);
  const m = moduleScopes(module);
  const warn = (message: string, span?: Module['statements'][number]['span']): void => {
    options.onDiagnostic?.(diagnostic('warning', 'cil-unsupported', message, span ? { span } : {}));
  };
  for (const d of m.decls) {
    const opt = d.optional;
    if (opt?.else !== undefined && opt.else.length > 0) warn("pp drops an optional block's else branch ('else' blocks in optional statements are unsupported in CIL): it is left out", opt.span);
  }
  if (m.expandAttributes.length > 0) warn(`pp drops expandattribute: left out for ${m.expandAttributes.join(', ')}`);
  const syms = collectSymbols(module);
  const p: Printer = {
    m,
    syms,
    prefix: module.name ?? 'module',
    counter: { next: 0 },
    out: [],
    stack: [],
    roleList: roleList(syms),
    aliases: aliasLists(m, syms),
    roleTypeCache: new Map(),
    typeKinds: new Map(),
  };
  const blocks = m.blocks;
  const required = new RequireSets(blocks[0]!);
  let depth = 0;
  for (const [i, block] of blocks.entries()) {
    if (i > 0) {
      while (p.stack.length > 1 && !required.superset(block, p.stack[p.stack.length - 1]!)) {
        p.stack.pop();
        depth--;
        p.out.push(`${ind(depth)})`);
      }
      p.out.push(`${ind(depth)}(optional ${p.prefix}_optional_${block.id}`);
      depth++;
    }
    p.stack.push(block);
    printBlock(p, block, depth);
  }
  while (depth > 0) {
    depth--;
    p.out.push(`${ind(depth)})`);
  }
  p.out.push(...ppFileContexts(fileContexts));
  return p.out.length === 0 ? '' : `${p.out.join('\n')}\n`;
}

/** role_list: the module's role table in hash order, prepended one by one. */
function roleList(syms: Symbols): string[] {
  return hashOrder(tableNames(syms.roles.names(), OBJECT_R), GLOBAL_TABLE_SIZE.roles).reverse();
}

/** A table's names; object_r is in every policydb's role table. */
function tableNames(names: string[], always?: string): string[] {
  return always !== undefined && !names.includes(always) ? [always, ...names] : names;
}

/** typealias_lists: each decl's aliases, the type table in hash order, prepended. */
function aliasLists(m: ModuleScopes, syms: Symbols): Map<number, Array<[string, string]>> {
  const where = new Map<string, [number, string]>();
  for (const d of m.decls) for (const [alias, type] of d.aliases) where.set(alias, [d.id, type]);
  const out = new Map<number, Array<[string, string]>>();
  if (where.size === 0) return out;
  for (const name of hashOrder(syms.types.names(), GLOBAL_TABLE_SIZE.types)) {
    const w = where.get(name);
    if (!w) continue;
    const list = out.get(w[0]) ?? [];
    list.unshift([name, w[1]]);
    out.set(w[0], list);
  }
  return out;
}

function printBlock(p: Printer, d: Decl, depth: number): void {
  const line = (text: string): void => {
    p.out.push(ind(depth) + text);
  };
  const rc: RuleContext = { syms: p.syms, sets: new BlockSets(p.prefix, p.counter, true), ppLevels: true };
  // Each part a function of its own: the optimizing compiler takes them one by one, and a part
  // that meets a new shape of data is compiled again alone.
  declarationLines(p, rc, d, line);
  requireLines(p, rc, d, line);
  ruleLines(rc, d, line);
  for (const c of d.conds) condLines(rc, c, line);
  for (const l of rc.sets.lines()) line(l);
}

/** A block's aliases, then declared_scopes_to_cil: roles, types, users, booleans, each in value order. */
function declarationLines(p: Printer, rc: RuleContext, d: Decl, line: (text: string) => void): void {
  const { syms, m } = p;
  for (const [alias, type] of p.aliases.get(d.id) ?? []) {
    line(`(typealias ${alias})`);
    line(`(typealiasactual ${alias} ${type})`);
  }
  for (const role of syms.roles.sort(d.declaredRoles.keys())) roleLines(p, rc, line, role, d.declaredRoles.get(role)!, m.globalRoles.get(role), 'decl');
  for (const type of syms.types.sort(d.declaredTypes.keys())) typeLines(p, line, type, d.declaredTypes.get(type)!, m.globalAttrMembers.get(type), 'decl');
  for (const u of d.declaredUsers) userLines(line, u);
  for (const b of d.declaredBools) line(`(boolean ${b} ${m.boolDefaults.get(b) === true})`);
}

/** required_scopes_to_cil (what the decl requires itself), then additive_scopes_to_cil (its own copies, in its tables' hash order). */
function requireLines(p: Printer, rc: RuleContext, d: Decl, line: (text: string) => void): void {
  const { syms, m } = p;
  for (const role of syms.roles.sort(d.own.roles)) roleLines(p, rc, line, role, roleKind(p, role), m.globalRoles.get(role), 'req');
  for (const type of syms.types.sort(d.own.types)) typeLines(p, line, type, typeKind(p, type), m.globalAttrMembers.get(type), 'req');
  if (d.id !== 1) {
    for (const role of hashOrder(d.localRoles.keys(), DECL_TABLE_SIZE.roles)) roleLines(p, rc, line, role, roleKind(p, role), d.localRoles.get(role), 'req');
    for (const type of hashOrder(d.localTypes.keys(), DECL_TABLE_SIZE.types)) typeLines(p, line, type, 'attribute', d.localTypes.get(type), 'req');
  }
}

/** A block's rule lists in pp's order. */
function ruleLines(rc: RuleContext, d: Decl, line: (text: string) => void): void {
  for (const r of d.avrules) for (const l of avLines(rc, r)) line(l);
  for (const r of d.roleTrans) for (const l of cilRoleTransition(rc, r)) line(l);
  for (const r of d.roleAllows) for (const l of cilRoleAllow(rc, r)) line(l);
  for (const r of d.rangeTrans) for (const l of cilRangeTransition(rc, r)) line(l);
  for (const r of d.filenameTrans) for (const l of cilTypeRule(rc, r)) line(l);
}

/** A merged conditional: its expression, then the rules of each branch that has any. */
function condLines(rc: RuleContext, c: CondNode, line: (text: string) => void): void {
  line(`(booleanif ${cilBoolExpr(c.expr)}`);
  branchLines(rc, 'true', c.whenTrue, line);
  branchLines(rc, 'false', c.whenFalse, line);
  line(')');
}

function branchLines(rc: RuleContext, name: 'true' | 'false', rules: readonly ConditionalRule[], line: (text: string) => void): void {
  if (rules.length === 0) return;
  line(`${ind(1)}(${name}`);
  for (const r of rules) if (r.kind !== 'require') for (const l of avLines(rc, r)) line(ind(2) + l);
  line(`${ind(1)})`);
}

function avLines(rc: RuleContext, r: AvListRule): string[] {
  if (r.kind === 'av') return cilAvRule(rc, r);
  if (r.kind === 'xperm') return cilXpermRule(rc, r);
  return cilTypeRule(rc, r);
}

function roleKind(p: Printer, role: string): 'role' | 'attribute' {
  for (const d of p.m.decls) {
    const k = d.declaredRoles.get(role);
    if (k) return k;
  }
  return p.m.requiredRoleAttributes.has(role) ? 'attribute' : 'role';
}

function typeKind(p: Printer, type: string): 'type' | 'attribute' {
  let k = p.typeKinds.get(type);
  if (k === undefined) {
    for (const d of p.m.decls) {
      k = d.declaredTypes.get(type);
      if (k) break;
    }
    k ??= p.m.requiredAttributes.has(type) ? 'attribute' : 'type';
    p.typeKinds.set(type, k);
  }
  return k;
}

/** Whether a symbol is declared or required by a decl on the stack (from `top` down). */
function inScope(p: Printer, scopes: Map<string, number[]>, name: string, top: number): boolean {
  const ids = scopes.get(name);
  if (!ids) return false;
  for (let i = top; i >= 0; i--) if (ids.includes(p.stack[i]!.id)) return true;
  return false;
}

/** The names a role's type lists stand for, in value order (a set stands for its attribute). */
function roleTypeNames(rc: RuleContext, lists: readonly NameList[]): string[] {
  const plain = lists.filter(isPlainNames).flatMap((l) => (isNameSet(l) ? l.names : l));
  const named = lists.filter((l) => !isPlainNames(l)).map((l) => rc.sets.types(rc.syms.types, l).names[0]!);
  return [...rc.syms.types.sort(plain), ...named];
}

/** role_to_cil */
function roleLines(p: Printer, rc: RuleContext, line: (t: string) => void, role: string, kind: 'role' | 'attribute', datum: RoleDatum | undefined, scope: 'decl' | 'req'): void {
  if (scope === 'req') line(`(roleattributeset ${GEN_REQUIRE} ${role})`);
  if (kind === 'role') {
    if (scope === 'decl' && !BASE_ROLES.has(role) && !BUILTIN_ROLES.has(role)) line(`(role ${role})`);
  } else {
    if (scope === 'decl') line(`(roleattribute ${role})`);
    if (datum && datum.roles.length > 0) line(`(roleattributeset ${role} ${spaced(p.syms.roles.sort(datum.roles))})`);
  }
  const own: RuleContext = { syms: rc.syms, sets: rc.sets.fresh() };
  for (const t of roleTypeNames(own, datum?.types ?? [])) if (inScope(p, p.m.typeScopes, t, p.stack.length - 1)) line(`(roletype ${role} ${t})`);
  for (const l of own.sets.lines()) line(l);
}

/**
 * The type names the module's block gives a role (a set's generated
 * attribute never equals a type's name, so only plain names count). pp makes
 * such an attribute for a role given a type set each time it looks (and so
 * counts it); no reference policy module gives a role a set.
 */
function globalRoleTypes(p: Printer, role: string): Set<string> {
  let names = p.roleTypeCache.get(role);
  if (!names) {
    const lists = p.m.globalRoles.get(role)?.types ?? [];
    names = new Set(lists.filter(isPlainNames).flatMap((l) => (isNameSet(l) ? l.names : l)));
    p.roleTypeCache.set(role, names);
  }
  return names;
}

/** type_to_cil */
function typeLines(p: Printer, line: (t: string) => void, type: string, kind: 'type' | 'attribute', members: readonly string[] | undefined, scope: 'decl' | 'req'): void {
  if (scope === 'req') line(`(typeattributeset ${GEN_REQUIRE} ${type})`);
  // roletype_role_in_ancestor_to_cil: roles of the enclosing blocks that the module's block gave this type.
  for (const role of p.roleList) {
    if (!inScope(p, p.m.roleScopes, role, p.stack.length - 2)) continue;
    if (globalRoleTypes(p, role).has(type)) line(`(roletype ${role} ${type})`);
  }
  if (kind === 'type') {
    if (scope === 'decl') {
      line(`(type ${type})`);
      line(`(roletype ${OBJECT_R} ${type})`);
    }
    if (p.m.permissive.has(type)) line(`(typepermissive ${type})`);
    const parent = p.m.bounds.get(type);
    if (parent !== undefined) line(`(typebounds ${parent} ${type})`);
  } else {
    if (scope === 'decl') line(`(typeattribute ${type})`);
    if (members && members.length > 0) line(`(typeattributeset ${type} ${spaced(p.syms.types.sort(members))})`);
  }
}

/** user_to_cil (a declared user). */
function userLines(line: (t: string) => void, u: UserDecl): void {
  line(`(user ${u.name})`);
  line(`(userrole ${u.name} ${OBJECT_R})`);
  for (const r of u.roles) line(`(userrole ${u.name} ${r})`);
  if (u.mls) {
    line(`(userlevel ${u.name} ${ppLevel(u.mls.level)})`);
    line(`(userrange ${u.name} (${ppLevel(u.mls.range.low)} ${ppLevel(u.mls.range.high ?? u.mls.range.low)}))`);
  }
}
