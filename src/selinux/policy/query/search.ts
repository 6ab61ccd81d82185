// Rule search over a binary policy: what `sesearch` (setools 4.4) finds and
// prints. A query names rule types and optional criteria (source, target,
// classes, permissions, booleans, default type, ioctls); the result is the
// matching rules of the policy as stored (the avtab keeps attributes where
// the compiler kept them), each with its sesearch line, sorted as sesearch
// sorts (by that line).
//
// Matching follows setools' TERuleQuery / RBACRuleQuery / MLSRuleQuery:
// - indirect (default): a type or attribute criterion matches a rule whose
//   source (target) shares at least one type with it, after expanding
//   attributes to their member types; direct (-ds / -dt): the rule names it.
// - an attribute with no member types is "false" in setools and so is no
//   criterion at all: `-s empty_attr` matches every rule.
// - permissions: any listed permission (or the exact set, or a subset);
//   type rules never match a permission criterion; extended-permission rules
//   match when their kind (`ioctl`) is one of the listed permissions.
// - regular expressions (-rs, -rt, -rc, -rd, -rb): Python syntax, found
//   anywhere in the name (re.search). Indirect source/target patterns match
//   a rule whose source (target) has a member type whose name matches (an
//   attribute's own name is not tried); direct ones match the name the rule
//   holds. A class or boolean pattern matches any class or boolean name.
// Criteria are checked in setools' order, so the first unknown name reported
// is the one sesearch reports (target before source).
//
// Candidates come from per-source and per-target indexes of the avtab (built
// once per table) or, with source, target and class, from the (s, t, c) hash
// index; attribute expansion uses the PolicyIndex bitmaps.

import { pythonRegex } from '../../../base/pythonRe.js';
import type { AvTab } from '../binary/avtab.js';
import { isAvKind, isTypeKind, isXpermKind } from '../binary/avtab.js';
import { AVTAB } from '../binary/constants.js';
import type { AvTabIndex } from '../indexes.js';
import type { Policy } from '../model.js';
import { SearchError } from './searchError.js';
import { formatCondExpr, formatIoctlRanges, formatPermSet, formatRange, xpermRanges } from './searchFormat.js';
import { parseSearchRange, sameRange } from './searchRange.js';

export const TE_RULE_TYPES = [
  'allow',
  'auditallow',
  'dontaudit',
  'neverallow',
  'allowxperm',
  'auditallowxperm',
  'dontauditxperm',
  'neverallowxperm',
  'type_transition',
  'type_change',
  'type_member',
] as const;
export type TeRuleType = (typeof TE_RULE_TYPES)[number];
export type RbacRuleType = 'role_allow' | 'role_transition';
export type MlsRuleType = 'range_transition';

export interface SearchQuery {
  /** TE rule types to search (sesearch -A, --allow, -T, ...). */
  te?: readonly TeRuleType[];
  /** RBAC rule types (--role_allow, --role_trans). */
  rbac?: readonly RbacRuleType[];
  /** MLS rule types (--range_trans). */
  mls?: readonly MlsRuleType[];
  /** Source type or attribute (a role for RBAC rules). */
  source?: string;
  /** Target type or attribute (a role or a type for RBAC rules). */
  target?: string;
  /** Match the source (target) itself, without expanding attributes (-ds / -dt). */
  sourceDirect?: boolean;
  targetDirect?: boolean;
  /** Object classes, any of. */
  classes?: readonly string[];
  /** Permissions: any of (default), exactly these (permsEqual, -ep), or all of these (permsSubset, -Sp). */
  perms?: readonly string[];
  permsEqual?: boolean;
  permsSubset?: boolean;
  /**
   * Extended permissions (ioctl numbers) as [low, high] ranges, or as sesearch's -x text
   * (`0x8910,0x8900-0x89ff`, parsed when the TE criteria are, so errors come in sesearch's order):
   * any of, or exactly (xpermsEqual, -ex). Only xperm rules can match.
   */
  xperms?: readonly (readonly [number, number])[] | string;
  xpermsEqual?: boolean;
  /** Default (new) type of type rules, or new role of role_transition rules (-D). */
  default?: string;
  /** Booleans of the conditional expression: any of, or exactly these (boolsEqual, -eb). */
  bools?: readonly string[];
  boolsEqual?: boolean;
  /**
   * Regular expressions instead of names (sesearch -rs, -rt, -rc, -rd, -rb): source, target and
   * default are patterns; `classes` and `bools` are patterns, any of which may match (sesearch
   * passes its -c or -b text whole as one). Python syntax, found anywhere in the name; with
   * boolsRegex, boolsEqual does not apply.
   */
  sourceRegex?: boolean;
  targetRegex?: boolean;
  classRegex?: boolean;
  defaultRegex?: boolean;
  boolsRegex?: boolean;
}

export interface FoundRule {
  /** The keyword sesearch prints: `allow`, `type_transition`, `role_transition`, `range_transition`, ... (`allow` for a role allow). */
  ruletype: string;
  /** Which table the rule came from. */
  group: 'te' | 'rbac' | 'mls';
  source: string;
  target: string;
  tclass?: string | undefined;
  /** Permissions of an AV rule, sorted. */
  perms?: string[] | undefined;
  /** Extended permissions of an xperm rule. */
  xpermType?: string | undefined;
  xperms?: [number, number][] | undefined;
  /** New type (type rules), new role (role_transition). */
  default?: string | undefined;
  /** File name of a name type_transition. */
  filename?: string | undefined;
  /** Range of a range_transition. */
  range?: string | undefined;
  conditional?: { expression: string; booleans: string[]; block: boolean } | undefined;
  /** The line sesearch prints. */
  text: string;
}

export { SearchError } from './searchError.js';

const TE_KIND: Record<TeRuleType, number> = {
  allow: AVTAB.ALLOWED,
  auditallow: AVTAB.AUDITALLOW,
  dontaudit: AVTAB.AUDITDENY,
  neverallow: 0,
  allowxperm: AVTAB.XPERMS_ALLOWED,
  auditallowxperm: AVTAB.XPERMS_AUDITALLOW,
  dontauditxperm: AVTAB.XPERMS_DONTAUDIT,
  neverallowxperm: 0,
  type_transition: AVTAB.TRANSITION,
  type_change: AVTAB.CHANGE,
  type_member: AVTAB.MEMBER,
};

const KIND_NAME = new Map<number, string>([
  [AVTAB.ALLOWED, 'allow'],
  [AVTAB.AUDITALLOW, 'auditallow'],
  [AVTAB.AUDITDENY, 'dontaudit'],
  [AVTAB.XPERMS_ALLOWED, 'allowxperm'],
  [AVTAB.XPERMS_AUDITALLOW, 'auditallowxperm'],
  [AVTAB.XPERMS_DONTAUDIT, 'dontauditxperm'],
  [AVTAB.TRANSITION, 'type_transition'],
  [AVTAB.CHANGE, 'type_change'],
  [AVTAB.MEMBER, 'type_member'],
]);

/** Kinds of extended permission records (avtab_extended_perms.specified). */
function xpermTypeName(specified: number): string {
  return specified === 3 ? 'nlmsg' : 'ioctl';
}

// ------------------------------------------------------------------ indexes

/** Entries of an AvTab grouped by one column (source or target type): entries of value v are items[start[v] .. start[v + 1]). */
interface ColumnIndex {
  start: Int32Array;
  items: Int32Array;
}

const columnCache = new WeakMap<AvTab, { src?: ColumnIndex; tgt?: ColumnIndex }>();

function buildColumn(col: Uint16Array, count: number, ntypes: number): ColumnIndex {
  const start = new Int32Array(ntypes + 2);
  for (let i = 0; i < count; i++) start[col[i]! + 1]!++;
  for (let v = 1; v < start.length; v++) start[v]! += start[v - 1]!;
  const pos = start.slice();
  const items = new Int32Array(count);
  for (let i = 0; i < count; i++) items[pos[col[i]!]!++] = i;
  return { start, items };
}

/** The avtab's entries grouped by source type value (which = 'src') or target type value. */
export function avtabColumn(p: Policy, tab: AvTab, which: 'src' | 'tgt'): ColumnIndex {
  let c = columnCache.get(tab);
  if (!c) columnCache.set(tab, (c = {}));
  return (c[which] ??= buildColumn(which === 'src' ? tab.src : tab.tgt, tab.count, p.types.length));
}

// ------------------------------------------------------------------ criteria

/** Type values (by value, 1-based) a rule's source or target may have to match; undefined when unconstrained. */
type TypeMatch = Uint8Array | undefined;

/**
 * The type or attribute a criterion names; undefined for no name, or for an
 * attribute without members (no criterion at all, as in setools).
 */
function criterionType(p: Policy, name: string | undefined): { v: number; t: Policy['types'][number] } | undefined {
  if (!name) return undefined;
  const v = p.index.typeValues.get(name);
  if (v === undefined) throw new SearchError(`${name} is not a valid type attribute`);
  const t = p.types[v - 1]!;
  return t.isAttribute && t.attrs.length === 0 ? undefined : { v, t };
}

/** A criterion's pattern (sesearch -r*): Python's re.search. */
function searchPattern(pattern: string): RegExp {
  try {
    return pythonRegex(pattern, 'search');
  } catch (e) {
    throw new SearchError(`invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message.replace(/^Invalid regular expression: \/.*\/\w*: /, '')}`);
  }
}

/** Values (1-based) of the named items whose name the pattern finds, as a membership array. */
function namesMatching(items: readonly ({ name: string; value: number } | undefined)[], re: RegExp, keep: (v: number) => boolean = () => true): Uint8Array {
  const ok = new Uint8Array(items.length + 1);
  for (const it of items) if (it && keep(it.value) && re.test(it.name)) ok[it.value] = 1;
  return ok;
}

/**
 * Resolves a type/attribute name (or pattern, with regex) to the rule-side values that match it.
 * Returns undefined for an attribute without members (no criterion, as in setools).
 */
function typeCriterion(p: Policy, name: string | undefined, direct: boolean, regex = false): TypeMatch {
  if (regex) {
    if (!name) return undefined;
    const re = searchPattern(name);
    if (direct) return namesMatching(p.types, re);
    // A rule side matches when one of its member types is named by the pattern.
    const ok = new Uint8Array(p.types.length + 1);
    const idx = p.index;
    for (const t of p.types) {
      if (t.isAttribute || !re.test(t.name)) continue;
      const keys = idx.keysOf(t.value);
      for (let k = 0; k < keys.length; k++) ok[keys[k]!] = 1;
    }
    return ok;
  }
  const named = criterionType(p, name);
  if (named === undefined) return undefined;
  const { v, t } = named;
  const ok = new Uint8Array(p.types.length + 1);
  if (direct) {
    ok[v] = 1;
    return ok;
  }
  // Rule side value r matches when types(r) and types(v) intersect, i.e. when r is
  // one of the member types of v or an attribute of one of them.
  const idx = p.index;
  const members = t.isAttribute ? t.attrs : [v];
  for (const m of members) {
    const keys = idx.keysOf(m);
    for (let k = 0; k < keys.length; k++) ok[keys[k]!] = 1;
  }
  return ok;
}

/** Types (values) standing for type or attribute `name`, for the default-type criterion (always indirect). */
function defaultTypeCriterion(p: Policy, name: string | undefined, regex = false): Uint8Array | undefined {
  if (regex) return name ? namesMatching(p.types, searchPattern(name), (v) => !p.types[v - 1]!.isAttribute) : undefined;
  const named = criterionType(p, name);
  if (named === undefined) return undefined;
  const { v, t } = named;
  const ok = new Uint8Array(p.types.length + 1);
  for (const m of t.isAttribute ? t.attrs : [v]) ok[m] = 1;
  return ok;
}

function classCriterion(p: Policy, names: readonly string[] | undefined, regex = false): Uint8Array | undefined {
  if (!names || names.length === 0) return undefined;
  if (regex) return anyPattern(p.classes, names);
  const ok = new Uint8Array(p.classes.length + 1);
  for (const n of names) {
    const v = p.index.classValues.get(n);
    if (v === undefined) throw new SearchError(`${n} is not a valid class`);
    ok[v] = 1;
  }
  return ok;
}

/** setools' validate_perms_any: every permission must exist in at least one of the classes (all classes when none given). */
function validatePerms(p: Policy, perms: readonly string[], classes: Uint8Array | undefined): void {
  const invalid = new Set(perms);
  for (const c of p.classes) {
    if (!c || (classes && !classes[c.value])) continue;
    for (const name of c.allPerms) if (name !== undefined) invalid.delete(name);
    if (invalid.size === 0) return;
  }
  if (invalid.size === 0) return;
  const list = [...invalid].join(', ');
  throw new SearchError(classes ? `Permission(s) do not exist in the specified classes: ${list}` : `Permission(s) do not exist any class: ${list}`);
}

/** Items named by any of the patterns. */
function anyPattern(items: readonly ({ name: string; value: number } | undefined)[], patterns: readonly string[]): Uint8Array {
  const ok = new Uint8Array(items.length + 1);
  for (const pat of patterns) {
    const m = namesMatching(items, searchPattern(pat));
    for (let v = 1; v < ok.length; v++) ok[v]! |= m[v]!;
  }
  return ok;
}

function boolCriterion(p: Policy, names: readonly string[] | undefined, regex = false): Set<number> | undefined {
  if (!names || names.length === 0) return undefined;
  if (regex) {
    const ok = anyPattern(p.bools, names);
    return new Set(listOf(ok));
  }
  const out = new Set<number>();
  for (const n of names) {
    const v = p.index.boolValues.get(n);
    if (v === undefined) throw new SearchError(`${n} is not a valid Boolean`);
    out.add(v);
  }
  return out;
}

/** Checks and normalizes ioctl ranges as setools' xperms setter does. */
function xpermCriterion(ranges: readonly (readonly [number, number])[] | undefined): Uint8Array | undefined {
  if (!ranges || ranges.length === 0) return undefined;
  const set = new Uint8Array(0x10000);
  for (let [lo, hi] of ranges) {
    for (const x of [lo, hi]) if (!(x >= 0 && x <= 0xffff)) throw new SearchError(`${hex7(x)} is not a valid ioctl.`);
    if (hi < lo) [lo, hi] = [hi, lo];
    set.fill(1, lo, hi + 1);
  }
  return set;
}

/** Python's `"{0:#07x}".format(n)`. */
function hex7(n: number): string {
  const sign = n < 0 ? '-' : '';
  return `${sign}0x${Math.abs(Math.trunc(n))
    .toString(16)
    .padStart(5 - sign.length, '0')}`;
}

/** Parses sesearch's -x argument (`0x8910,0x8900-0x89ff`): hexadecimal numbers and ranges, comma-separated. */
export function parseXperms(text: string): [number, number][] {
  const out: [number, number][] = [];
  const hex = (s: string): number => {
    const t = s.trim().replace(/^0x/i, '').replace(/_/g, '');
    if (!/^[0-9a-f]+$/i.test(t)) throw new SearchError(`invalid literal for int() with base 16: '${s}'`);
    return parseInt(t, 16);
  };
  for (const item of text.split(',')) {
    const r = item.split('-');
    if (r.length === 2) out.push([hex(r[0]!), hex(r[1]!)]);
    else if (r.length === 1) out.push([hex(r[0]!), hex(r[0]!)]);
    else throw new SearchError(`Unable to parse "${item}" for xperms.`);
  }
  return out;
}

// ------------------------------------------------------------------ TE rules

interface TeContext {
  p: Policy;
  kinds: number;
  src: TypeMatch;
  tgt: TypeMatch;
  cls: Uint8Array | undefined;
  perms: readonly string[] | undefined;
  /** Per class value: the bits of the criterion permissions in that class, and whether all of them exist there. */
  permBits: Int32Array | undefined;
  permAllIn: Uint8Array | undefined;
  xperms: Uint8Array | undefined;
  xpermCount: number;
  dflt: Uint8Array | undefined;
  bools: Set<number> | undefined;
  permMode: 'any' | 'equal' | 'subset';
  /** -ep with more than one permission: extended-permission rules can never match. */
  permsEqualMulti: boolean;
  xpermsEqual: boolean;
  /** Permission lists by class value and bits, shared by the rules that have them. */
  permSets: Map<number, { perms: string[]; text: string }>;
}

/** Bits of the permissions each class defines (own and common). */
const definedCache = new WeakMap<Policy, Int32Array>();
function definedPerms(p: Policy): Int32Array {
  let d = definedCache.get(p);
  if (!d) {
    d = new Int32Array(p.classes.length + 1);
    for (const c of p.classes) {
      if (!c) continue;
      let m = 0;
      c.allPerms.forEach((n, i) => {
        if (n !== undefined && i < 32) m |= 1 << i;
      });
      d[c.value] = m;
    }
    definedCache.set(p, d);
  }
  return d;
}

/** Does avtab entry i (other than source, target, class and conditional) meet the criteria? */
function teEntryMatches(ctx: TeContext, tab: AvTab, i: number): boolean {
  const spec = tab.spec[i]!;
  if (ctx.perms) {
    if (isXpermKind(spec)) {
      if (ctx.permsEqualMulti) return false;
      const x = tab.xpermOf(i)!;
      if (!ctx.perms.includes(xpermTypeName(x.specified))) return false;
    } else if (isTypeKind(spec)) return false;
    else {
      const c = tab.cls[i]!;
      const data = spec === AVTAB.AUDITDENY ? ~tab.data[i]! : tab.data[i]!;
      const have = data & definedPerms(ctx.p)[c]!;
      const want = ctx.permBits![c]!;
      if (ctx.permMode === 'subset') {
        if (!ctx.permAllIn![c] || (have & want) !== want) return false;
      } else if (ctx.permMode === 'equal') {
        if (!ctx.permAllIn![c] || have !== want) return false;
      } else if ((have & want) === 0) return false;
    }
  }
  if (ctx.xperms) {
    if (!isXpermKind(spec)) return false;
    const x = tab.xpermOf(i)!;
    const ranges = xpermRanges(x.specified, x.driver, x.perms);
    if (ctx.xpermsEqual) {
      let n = 0;
      for (const [lo, hi] of ranges) {
        for (let k = lo; k <= hi; k++) if (!ctx.xperms[k]) return false;
        n += hi - lo + 1;
      }
      if (n !== ctx.xpermCount) return false;
    } else {
      let hit = false;
      for (const [lo, hi] of ranges) {
        for (let k = lo; k <= hi && !hit; k++) if (ctx.xperms[k]) hit = true;
        if (hit) break;
      }
      if (!hit) return false;
    }
  }
  if (ctx.dflt) {
    if (!isTypeKind(spec)) return false;
    if (!ctx.dflt[tab.data[i]!]) return false;
  }
  return true;
}

type Cond = { expression: string; booleans: string[]; block: boolean };

/** A FoundRule with every field present (undefined when absent): one object shape for all rules. */
function found(
  ruletype: string,
  group: FoundRule['group'],
  source: string,
  target: string,
  tclass: string | undefined,
  text: string,
  extra: { perms?: string[]; xpermType?: string; xperms?: [number, number][]; dflt?: string; filename?: string; range?: string; conditional?: Cond | undefined } = {},
): FoundRule {
  return {
    ruletype,
    group,
    source,
    target,
    tclass,
    perms: extra.perms,
    xpermType: extra.xpermType,
    xperms: extra.xperms,
    default: extra.dflt,
    filename: extra.filename,
    range: extra.range,
    conditional: extra.conditional,
    text,
  };
}

function teRule(ctx: TeContext, tab: AvTab, i: number, cond: Cond | undefined): FoundRule {
  const p = ctx.p;
  const spec = tab.spec[i]!;
  const ruletype = KIND_NAME.get(spec) ?? `unknown(0x${spec.toString(16)})`;
  const source = p.types[tab.src[i]! - 1]!.name;
  const target = p.types[tab.tgt[i]! - 1]!.name;
  const cls = p.classes[tab.cls[i]! - 1]!;
  const head = ruletype + ' ' + source + ' ' + target + ':' + cls.name + ' ';
  const suffix = cond ? ` [ ${cond.expression} ]:${cond.block ? 'True' : 'False'}` : '';
  if (isAvKind(spec)) {
    const data = (spec === AVTAB.AUDITDENY ? ~tab.data[i]! : tab.data[i]!) & definedPerms(p)[cls.value]!;
    const key = cls.value * 0x100000000 + (data >>> 0);
    let ps = ctx.permSets.get(key);
    if (!ps) {
      const perms: string[] = [];
      const all = cls.allPerms;
      for (let b = 0; b < all.length && b < 32; b++) if (all[b] !== undefined && ((data >>> b) & 1) !== 0) perms.push(all[b]!);
      perms.sort(cmp);
      ctx.permSets.set(key, (ps = { perms, text: formatPermSet(perms) }));
    }
    // Rules with the same permissions share one (frozen) array.
    return found(ruletype, 'te', source, target, cls.name, head + ps.text + ';' + suffix, { perms: ps.perms, conditional: cond });
  }
  if (isXpermKind(spec)) {
    const x = tab.xpermOf(i)!;
    const xpermType = xpermTypeName(x.specified);
    const xperms = xpermRanges(x.specified, x.driver, x.perms);
    const set = formatIoctlRanges(xperms);
    // setools 4.4 prints no conditional for xperm rules; they can only be conditional from version 34 on,
    // which it cannot read. Print it anyway: dropping it would make the rule look unconditional.
    const text = head + xpermType + ' ' + (xperms.length > 1 ? `{ ${set} }` : set) + ';' + suffix;
    return found(ruletype, 'te', source, target, cls.name, text, { xpermType, xperms, conditional: cond });
  }
  const dflt = p.types[tab.data[i]! - 1]?.name ?? String(tab.data[i]);
  return found(ruletype, 'te', source, target, cls.name, head + dflt + ';' + suffix, { dflt, conditional: cond });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function listOf(ok: Uint8Array): number[] {
  const out: number[] = [];
  for (let v = 1; v < ok.length; v++) if (ok[v]) out.push(v);
  return out;
}

/** Calls visit(i) for every entry of tab whose source, target and class pass (and maybe a few that do not: visit re-checks). */
function candidates(p: Policy, tab: AvTab, hash: () => AvTabIndex, ctx: TeContext, restrict: [number, number][] | undefined, visit: (i: number) => void): void {
  const srcList = ctx.src && listOf(ctx.src);
  const tgtList = ctx.tgt && listOf(ctx.tgt);
  const clsList = ctx.cls && listOf(ctx.cls);
  let costAll = tab.count;
  if (restrict) costAll = restrict.reduce((n, [a, b]) => n + b - a, 0);
  let costSrc = Infinity;
  let costTgt = Infinity;
  let costKey = Infinity;
  if (srcList) {
    const { start } = avtabColumn(p, tab, 'src');
    costSrc = 0;
    for (const v of srcList) costSrc += start[v + 1]! - start[v]!;
  }
  if (tgtList) {
    const { start } = avtabColumn(p, tab, 'tgt');
    costTgt = 0;
    for (const v of tgtList) costTgt += start[v + 1]! - start[v]!;
  }
  if (srcList && tgtList && clsList) costKey = srcList.length * tgtList.length * clsList.length * 2;
  const best = Math.min(costAll, costSrc, costTgt, costKey);
  if (best === costAll) {
    if (restrict) for (const [a, b] of restrict) for (let i = a; i < b; i++) visit(i);
    else for (let i = 0; i < tab.count; i++) visit(i);
  } else if (best === costKey) {
    const idx = hash();
    for (const s of srcList!) for (const t of tgtList!) for (const c of clsList!) for (let i = idx.first(s, t, c); i >= 0; i = idx.after(i)) visit(i);
  } else {
    const col = avtabColumn(p, tab, best === costSrc ? 'src' : 'tgt');
    for (const v of best === costSrc ? srcList! : tgtList!) for (let k = col.start[v]!; k < col.start[v + 1]!; k++) visit(col.items[k]!);
  }
}

/** TE rules matching the query (avtab, conditional avtab, name transitions), sorted as sesearch sorts them. */
export function searchTeRules(p: Policy, q: SearchQuery): FoundRule[] {
  const types = q.te ?? [];
  if (types.length === 0) return [];
  // setools sets the criteria in this order; the first bad name wins.
  const tgt = typeCriterion(p, q.target, !!q.targetDirect, !!q.targetRegex);
  const src = typeCriterion(p, q.source, !!q.sourceDirect, !!q.sourceRegex);
  const dflt = defaultTypeCriterion(p, q.default, !!q.defaultRegex);
  const cls = classCriterion(p, q.classes, !!q.classRegex);
  const perms = q.perms?.length ? q.perms : undefined;
  // With a class pattern, setools checks the permissions against every class.
  if (perms) validatePerms(p, perms, q.classRegex ? undefined : cls);
  const xperms = xpermCriterion(typeof q.xperms === 'string' ? (q.xperms ? parseXperms(q.xperms) : undefined) : q.xperms);
  const bools = boolCriterion(p, q.bools, !!q.boolsRegex);
  const boolsEqual = !!q.boolsEqual && !q.boolsRegex;

  let kinds = 0;
  for (const t of types) kinds |= TE_KIND[t];
  let permBits: Int32Array | undefined;
  let permAllIn: Uint8Array | undefined;
  if (perms) {
    permBits = new Int32Array(p.classes.length + 1);
    permAllIn = new Uint8Array(p.classes.length + 1);
    for (const c of p.classes) {
      if (!c) continue;
      let m = 0;
      let all = 1;
      for (const name of perms) {
        const b = c.allPerms.indexOf(name);
        if (b >= 0 && b < 32) m |= 1 << b;
        else all = 0;
      }
      permBits[c.value] = m;
      permAllIn[c.value] = all;
    }
  }
  const ctx: TeContext = {
    p,
    kinds,
    src,
    tgt,
    cls,
    perms,
    permBits,
    permAllIn,
    xperms,
    xpermCount: xperms ? xperms.reduce((n, b) => n + b, 0) : 0,
    dflt,
    bools,
    permMode: q.permsSubset ? 'subset' : q.permsEqual ? 'equal' : 'any',
    permsEqualMulti: !!q.permsEqual && !!perms && new Set(perms).size > 1,
    xpermsEqual: !!q.xpermsEqual,
    permSets: new Map(),
  };
  const out: FoundRule[] = [];
  const check = (tab: AvTab, i: number): boolean =>
    (tab.spec[i]! & kinds) !== 0 && (!src || src[tab.src[i]!] === 1) && (!tgt || tgt[tab.tgt[i]!] === 1) && (!cls || cls[tab.cls[i]!] === 1) && teEntryMatches(ctx, tab, i);

  // Unconditional rules.
  if (!bools && kinds !== 0) {
    const tab = p.avtab;
    candidates(
      p,
      tab,
      () => p.index.avtab,
      ctx,
      undefined,
      (i) => {
        if (check(tab, i)) out.push(teRule(ctx, tab, i, undefined));
      },
    );
  }

  // Conditional rules.
  if (kinds !== 0 && p.conds.length > 0) {
    const tab = p.condAvtab;
    const condOf = p.index.condOf;
    const condOk = new Uint8Array(p.conds.length);
    const condInfo: ({ expression: string; booleans: string[] } | undefined)[] = new Array(p.conds.length);
    const restrict: [number, number][] = [];
    p.conds.forEach((c, k) => {
      const used = new Set<number>();
      for (const e of c.expr) if (e.kind === 'bool') used.add(e.bool);
      let ok = true;
      if (bools) {
        if (boolsEqual) ok = used.size === bools.size && [...bools].every((b) => used.has(b));
        else ok = [...bools].some((b) => used.has(b));
      }
      if (!ok) return;
      condOk[k] = 1;
      restrict.push([c.trueStart, c.trueEnd], [c.falseStart, c.falseEnd]);
    });
    const infoOf = (k: number): { expression: string; booleans: string[] } =>
      (condInfo[k] ??= {
        expression: formatCondExpr(p.conds[k]!.expr, (b) => p.bools[b - 1]?.name ?? `bool${b}`),
        booleans: [...new Set(p.conds[k]!.expr.flatMap((e) => (e.kind === 'bool' ? [p.bools[e.bool - 1]?.name ?? `bool${e.bool}`] : [])))].sort(cmp),
      });
    candidates(
      p,
      tab,
      () => p.index.condAvtab,
      ctx,
      bools ? restrict : undefined,
      (i) => {
        const o = condOf[i]!;
        const k = o < 0 ? ~o : o;
        if (!condOk[k] || !check(tab, i)) return;
        out.push(teRule(ctx, tab, i, { ...infoOf(k), block: o >= 0 }));
      },
    );
  }

  // Name type_transitions: no permissions, never conditional.
  if ((kinds & AVTAB.TRANSITION) !== 0 && !perms && !bools && !xperms) {
    for (const ft of p.filenameTransitions) {
      if ((cls && !cls[ft.tclass]) || (tgt && !tgt[ft.ttype]) || (dflt && !dflt[ft.otype])) continue;
      const target = p.types[ft.ttype - 1]!.name;
      const tclass = p.classes[ft.tclass - 1]!.name;
      const otype = p.types[ft.otype - 1]!.name;
      for (const s of ft.stypes) {
        if (src && !src[s]) continue;
        const source = p.types[s - 1]!.name;
        const text = 'type_transition ' + source + ' ' + target + ':' + tclass + ' ' + otype + ' ' + ft.name + ';';
        out.push(found('type_transition', 'te', source, target, tclass, text, { dflt: otype, filename: ft.name }));
      }
    }
  }
  return sortRules(out);
}

function sortRules(rules: FoundRule[]): FoundRule[] {
  return rules.sort((a, b) => cmp(a.text, b.text));
}

// ------------------------------------------------------------------ RBAC rules

/** Role allow and role_transition rules matching the query, sorted as sesearch sorts them. */
export function searchRbacRules(p: Policy, q: SearchQuery): FoundRule[] {
  const types = q.rbac ?? [];
  if (types.length === 0) return [];
  const roleOf = (name: string): number => {
    const v = p.index.roleValues.get(name);
    if (v === undefined) throw new SearchError(`${name} is not a valid role`);
    return v;
  };
  const oneRole = (v: number): Uint8Array => {
    const ok = new Uint8Array(p.roles.length + 1);
    ok[v] = 1;
    return ok;
  };
  // Target: a type or attribute, else a role; with -rt a pattern for either.
  let tgtRole: Uint8Array | undefined;
  let tgtType: TypeMatch;
  let tgtGiven = false;
  if (q.target) {
    tgtGiven = true;
    if (q.targetRegex) {
      tgtRole = namesMatching(p.roles, searchPattern(q.target));
      tgtType = typeCriterion(p, q.target, !!q.targetDirect, true);
    } else if (p.index.typeValues.has(q.target)) {
      tgtType = typeCriterion(p, q.target, !!q.targetDirect);
      tgtGiven = tgtType !== undefined;
    } else tgtRole = oneRole(roleOf(q.target));
  }
  const roleCriterion = (name: string | undefined, regex: boolean | undefined): Uint8Array | undefined =>
    !name ? undefined : regex ? namesMatching(p.roles, searchPattern(name)) : oneRole(roleOf(name));
  const srcRole = roleCriterion(q.source, q.sourceRegex);
  const dfltRole = roleCriterion(q.default, q.defaultRegex);
  const cls = classCriterion(p, q.classes, !!q.classRegex);
  const roleName = (v: number): string => p.roles[v - 1]?.name ?? `role${v}`;
  const out: FoundRule[] = [];
  if (types.includes('role_allow') && !cls && dfltRole === undefined) {
    for (const ra of p.roleAllows) {
      if (srcRole && !srcRole[ra.role]) continue;
      if (tgtGiven && !tgtRole?.[ra.newRole]) continue;
      const source = roleName(ra.role);
      const target = roleName(ra.newRole);
      out.push(found('allow', 'rbac', source, target, undefined, `allow ${source} ${target};`));
    }
  }
  if (types.includes('role_transition')) {
    for (const rt of p.roleTransitions) {
      if (srcRole && !srcRole[rt.role]) continue;
      if (tgtGiven && !tgtType?.[rt.type]) continue;
      if (cls && !cls[rt.tclass]) continue;
      if (dfltRole && !dfltRole[rt.newRole]) continue;
      const source = roleName(rt.role);
      const target = p.types[rt.type - 1]!.name;
      const tclass = p.classes[rt.tclass - 1]!.name;
      const dflt = roleName(rt.newRole);
      out.push(found('role_transition', 'rbac', source, target, tclass, `role_transition ${source} ${target}:${tclass} ${dflt};`, { dflt }));
    }
  }
  return sortRules(out);
}

// ------------------------------------------------------------------ MLS rules

/** range_transition rules matching the query, sorted as sesearch sorts them. A default (-D) is a range, matched exactly (never a pattern: sesearch ignores -rd here). */
export function searchMlsRules(p: Policy, q: SearchQuery): FoundRule[] {
  const types = q.mls ?? [];
  if (types.length === 0) return [];
  const tgt = typeCriterion(p, q.target, !!q.targetDirect, !!q.targetRegex);
  const src = typeCriterion(p, q.source, !!q.sourceDirect, !!q.sourceRegex);
  const dflt = q.default ? parseSearchRange(p, q.default) : undefined;
  const cls = classCriterion(p, q.classes, !!q.classRegex);
  const out: FoundRule[] = [];
  for (const rt of p.rangeTransitions) {
    if ((src && !src[rt.source]) || (tgt && !tgt[rt.target]) || (cls && !cls[rt.tclass]) || (dflt && !sameRange(rt.range, dflt))) continue;
    const source = p.types[rt.source - 1]!.name;
    const target = p.types[rt.target - 1]!.name;
    const tclass = p.classes[rt.tclass - 1]!.name;
    const range = formatRange(p, rt.range);
    out.push(found('range_transition', 'mls', source, target, tclass, `range_transition ${source} ${target}:${tclass} ${range};`, { range }));
  }
  return sortRules(out);
}

/** Every group of the query in sesearch's order (TE, RBAC, MLS); throws the first SearchError. */
export function searchPolicy(p: Policy, q: SearchQuery): FoundRule[] {
  return [...searchTeRules(p, q), ...searchRbacRules(p, q), ...searchMlsRules(p, q)];
}
