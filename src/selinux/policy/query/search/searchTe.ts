// TE rule search (sesearch -A, --allow, -T, ...): the avtab, the conditional avtab and the
// filename transitions, matched against the resolved criteria (searchCriteria.ts) as setools'
// TERuleQuery matches them. Candidates come from the policy index: by source or target column,
// or with source, target and class from the (s, t, c) hash index, whichever visits fewest.

import type { AvTab } from '../../binary/avtab.js';
import { avtabKindName, isAvKind, isTypeKind, isXpermKind } from '../../binary/avtab.js';
import { AVTAB } from '../../binary/constants.js';
import type { AvTabIndex } from '../../indexes.js';
import type { Policy } from '../../model.js';
import { boolCriterion, classCriterion, defaultTypeCriterion, listOf, parseXperms, type TypeMatch, typeCriterion, validatePerms, xpermCriterion } from './searchCriteria.js';
import { formatCondExpr, formatIoctlRanges, formatPermSet, xpermRanges } from './searchFormat.js';
import { cmp, type FoundRule, found, type SearchQuery, sortRules, type TeRuleType } from './searchQuery.js';

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

/** Kinds of extended permission records (avtab_extended_perms.specified). */
function xpermTypeName(specified: number): string {
  return specified === 3 ? 'nlmsg' : 'ioctl';
}

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
      const have = data & ctx.p.index.definedPerms[c]!;
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

function teRule(ctx: TeContext, tab: AvTab, i: number, cond: Cond | undefined): FoundRule {
  const p = ctx.p;
  const spec = tab.spec[i]!;
  const ruletype = avtabKindName(spec);
  const source = p.types[tab.src[i]! - 1]!.name;
  const target = p.types[tab.tgt[i]! - 1]!.name;
  const cls = p.classes[tab.cls[i]! - 1]!;
  const head = ruletype + ' ' + source + ' ' + target + ':' + cls.name + ' ';
  const suffix = cond ? ` [ ${cond.expression} ]:${cond.block ? 'True' : 'False'}` : '';
  if (isAvKind(spec)) {
    const data = (spec === AVTAB.AUDITDENY ? ~tab.data[i]! : tab.data[i]!) & p.index.definedPerms[cls.value]!;
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

/** Calls visit(i) for every entry of tab whose source, target and class pass (and maybe a few that do not: visit re-checks). */
function candidates(p: Policy, tab: AvTab, cond: boolean, hash: () => AvTabIndex, ctx: TeContext, restrict: [number, number][] | undefined, visit: (i: number) => void): void {
  const srcList = ctx.src && listOf(ctx.src);
  const tgtList = ctx.tgt && listOf(ctx.tgt);
  const clsList = ctx.cls && listOf(ctx.cls);
  let costAll = tab.count;
  if (restrict) costAll = restrict.reduce((n, [a, b]) => n + b - a, 0);
  let costSrc = Infinity;
  let costTgt = Infinity;
  let costKey = Infinity;
  if (srcList) {
    const { start } = p.index.column(cond, 'src');
    costSrc = 0;
    for (const v of srcList) costSrc += start[v + 1]! - start[v]!;
  }
  if (tgtList) {
    const { start } = p.index.column(cond, 'tgt');
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
    const col = p.index.column(cond, best === costSrc ? 'src' : 'tgt');
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
      false,
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
      true,
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
