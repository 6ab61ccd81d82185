// Stage 5: denials -> Module. What audit2allow (sepolgen) does: one rule per
// (source type, target type, class) with the union of the denied permissions,
// optional ioctl extended permissions, `role R types T` from invalid-context
// errors, and a require block.
import type { Denial } from '../../audit/avc.js';
import type { InvalidContextMessage } from '../../audit/record/record.js';
import type { Span } from '../../base/span.js';
import type { AvRule, Evidence, Module, Require, RoleTypes, Statement, XpermRange, XpermRule } from '../ir/index.js';
import { addXpermRange, mentionedNames } from '../ir/index.js';
import { type Analyzer, REJECTED, type Verdict, verdictNotes } from './analysis.js';
import { explainLong, explainShort } from './explain.js';

export type ExplainLevel = 'none' | 'short' | 'long';

export interface LearnOptions {
  /** `dontaudit` rules instead of `allow` (audit2allow -D). */
  dontaudit?: boolean;
  /** Emit allowxperm rules from ioctlcmd (audit2allow -x). */
  xperms?: boolean;
  /** Comments explaining each rule (audit2allow -v / -e). */
  explain?: ExplainLevel;
  /** Keep only denials whose source or target type matches (audit2allow -t; anchored at the start). */
  typeFilter?: RegExp;
  /** Emit a require block (audit2allow -r; implied by a module name). */
  requires?: boolean;
  name?: string;
  version?: string;
  /** How many source locations each rule keeps as evidence. */
  evidenceLimit?: number;
  /** Analyse each denial against a policy (allow -p): rules split by verdict, with notes. */
  analyze?: Analyzer;
}

/** A rule being learned: everything seen for one (source, target, class). */
interface RuleAcc {
  source: string;
  target: string;
  tclass: string;
  /** Few per rule: an array beats a Set here. */
  perms: string[];
  ioctl: XpermRange[];
  locs: Span[];
  /** With places merged from ranges (addDenialFact): each place's number in input order. */
  orders: number[];
  count: number;
  /** The denials to explain: the first one (-v) or all (-e). */
  explained: Denial[];
  verdict: Verdict | undefined;
  /** For the rule of denials the policy rejects: each distinct verdict (its note), in first-seen order. */
  rejections: Verdict[];
  /** Whether any denial carried an ioctl number (sepolgen notes it for allowed rules). */
  xperms: boolean;
}

/** The verdict key of every denial the policy rejects: one rule per (source, target, class) for them all. */
const REJECTED_KEY = 15;

interface RoleAcc {
  types: Set<string>;
  locs: Span[];
  orders: number[];
  count: number;
}

/** A rule as ModuleLearner.factRule hands it out (opaque); null when -t filters it out. */
export type FactRule = object | null;

/**
 * The places of a fact merged from a range (addDenialFact), first to last: each one's number in
 * input order, and its span, made only when the rule keeps it (most rules are full long before).
 */
export interface FactPlaces {
  readonly length: number;
  order(i: number): number;
  span(i: number): Span;
}

/** Accumulates denials; memory grows with distinct (source, target, class) triples. */
export class ModuleLearner {
  // One flat map keyed by numbers (type and class ids) is much faster than
  // string-keyed maps on the hot path. sepolgen's order (source, then target,
  // then class, each in order of first appearance), which decides the order of
  // classes in the require block, is rebuilt in toModule.
  private ids = new Map<string, number>();
  private rules = new Map<number | string, RuleAcc>();
  /** The rule of each memoised decision (Denial.decisionId); null when filtered out. */
  private byDecision: Array<RuleAcc | null> = [];
  /** The rule of each fact key merged before (addDenialFact); null when filtered out. */
  private byFact = new Map<string, RuleAcc | null>();
  private roles = new Map<string, RoleAcc>();
  private readonly evidenceLimit: number;
  private readonly explain: ExplainLevel;

  constructor(private readonly opts: LearnOptions = {}) {
    this.evidenceLimit = opts.evidenceLimit ?? 5;
    this.explain = opts.explain ?? 'none';
  }

  /** Forgets everything (a policy reload with `-l`). */
  reset(): void {
    this.rules = new Map();
    this.byDecision = [];
    this.byFact = new Map();
    this.roles = new Map();
  }

  private id(name: string): number {
    let i = this.ids.get(name);
    if (i === undefined) this.ids.set(name, (i = this.ids.size));
    return i;
  }

  addDenial(d: Denial): void {
    if (!d.denied) return;
    const known = d.decisionId === undefined ? undefined : this.byDecision[d.decisionId];
    if (known !== undefined) {
      // A decision seen before: only the evidence changes.
      if (known !== null) this.addEvidence(known, d);
      return;
    }
    const acc = this.ruleFor(d);
    if (d.decisionId !== undefined) this.byDecision[d.decisionId] = acc;
    if (acc === null) return;
    for (const p of d.perms) if (!acc.perms.includes(p)) acc.perms.push(p);
    // sepolgen ignores ioctlcmd=0 (it tests the number for truth).
    if (d.ioctlcmd) {
      addXpermRange(acc.ioctl, [d.ioctlcmd, d.ioctlcmd]);
      acc.xperms = true;
    }
    this.addEvidence(acc, d);
  }

  /**
   * Counts one more denial of a decision already learned (Denial.decisionId),
   * without a Denial object: the hot path of large logs. False when the
   * decision is new: then call addDenial.
   */
  addRepeat(decisionId: number, file: string, line: number): boolean {
    if (this.explain !== 'none') return false;
    const known = this.byDecision[decisionId];
    if (known === undefined) return false;
    if (known !== null) {
      known.count++;
      if (known.locs.length < this.evidenceLimit) known.locs.push({ file, line });
    }
    return true;
  }

  /**
   * A denial standing for `count` denials of one decision at `places` (their first places, in
   * input order): what a range read by a worker reports (reduce.ts), merged in input order. A
   * rule keeps its first places, as when read in one pass. `key`, when given, names the denial
   * (record, contexts, class, permissions, ioctl): a key merged before skips the rule's lookup and
   * the policy's analysis. Explanations (-v/-e) are not kept this way.
   */
  addDenialFact(d: Denial, count: number, places: FactPlaces, key?: string): void {
    if (d.denied) this.addFactCount(this.factRule(d, key), count, places);
  }

  /**
   * The rule a denial merged from ranges counts for (see addDenialFact), made and analysed the
   * first time its key is seen; null when -t filters it out. Valid until the next reset.
   */
  factRule(d: Denial, key?: string): FactRule {
    let acc = key === undefined ? undefined : this.byFact.get(key);
    if (acc !== undefined) return acc;
    acc = this.ruleFor(d);
    if (key !== undefined) this.byFact.set(key, acc);
    if (acc === null) return null;
    for (const p of d.perms) if (!acc.perms.includes(p)) acc.perms.push(p);
    if (d.ioctlcmd) {
      addXpermRange(acc.ioctl, [d.ioctlcmd, d.ioctlcmd]);
      acc.xperms = true;
    }
    return acc;
  }

  /**
   * Analyses a denial ahead of its merge (factRule), where a policy is given: the analyser keeps
   * the verdict, and the merge, which must run in input order, then finds it made. Changes
   * nothing else.
   */
  prepare(d: Denial): void {
    const filter = this.opts.typeFilter;
    if (!d.denied || (filter && !filter.test(d.scontext.type) && !filter.test(d.tcontext.type))) return;
    this.opts.analyze?.(d);
  }

  /** `count` more denials of a rule (factRule) at `places`. */
  addFactCount(rule: FactRule, count: number, places: FactPlaces): void {
    if (rule === null) return;
    const acc = rule as RuleAcc;
    acc.count += count;
    mergePlaces(acc, places, this.evidenceLimit);
  }

  /** An invalid-context message standing for `count` of them at `places` (see addDenialFact). */
  addInvalidContextFact(m: InvalidContextMessage, count: number, places: FactPlaces): void {
    const acc = this.roleFor(m);
    if (acc === undefined) return;
    acc.count += count;
    mergePlaces(acc, places, this.evidenceLimit);
  }

  /** The rule a denial belongs to, created on first use; null when -t filters it out. */
  private ruleFor(d: Denial): RuleAcc | null {
    const src = d.scontext.type;
    const tgt = d.tcontext.type;
    const filter = this.opts.typeFilter;
    if (filter && !filter.test(src) && !filter.test(tgt)) return null;
    // sepolgen keeps one rule per verdict, so a policy splits rules; the denials it rejects
    // (audit2allow drops them) share one rule, folded in toModule into the others.
    const verdict = this.opts.analyze?.(d);
    const rejected = verdict !== undefined && REJECTED.has(verdict.analysis.code);
    const v = verdict === undefined ? 0 : rejected ? REJECTED_KEY : verdict.analysis.rc + 8;
    const s = this.id(src);
    const t = this.id(tgt);
    const c = this.id(d.tclass);
    // An exact integer while ids stay below 2^16 (always, in practice).
    const key: number | string = s < 65536 && t < 65536 && c < 65536 ? ((s * 65536 + t) * 65536 + c) * 16 + v : `${s},${t},${c},${v}`;
    let acc = this.rules.get(key);
    if (acc === undefined) {
      acc = { source: src, target: tgt, tclass: d.tclass, perms: [], ioctl: [], locs: [], orders: [], count: 0, explained: [], verdict, rejections: [], xperms: false };
      this.rules.set(key, acc);
    }
    if (rejected && !acc.rejections.some((r) => r.key === verdict.key && sameReason(r, verdict))) acc.rejections.push(verdict);
    return acc;
  }

  private addEvidence(acc: RuleAcc, d: Denial): void {
    acc.count++;
    if (acc.locs.length < this.evidenceLimit) acc.locs.push(d.loc);
    if (this.explain === 'long' || (this.explain === 'short' && acc.explained.length === 0)) acc.explained.push(d);
  }

  /** The rules in sepolgen's order: grouped by source, then target, each in first-seen order. */
  private orderedRules(): RuleAcc[] {
    const bySource = new Map<string, Map<string, RuleAcc[]>>();
    for (const acc of this.rules.values()) {
      let byTarget = bySource.get(acc.source);
      if (!byTarget) bySource.set(acc.source, (byTarget = new Map()));
      let list = byTarget.get(acc.target);
      if (!list) byTarget.set(acc.target, (list = []));
      list.push(acc);
    }
    const out: RuleAcc[] = [];
    for (const byTarget of bySource.values()) for (const list of byTarget.values()) out.push(...this.foldRejected(list));
    return out;
  }

  /**
   * The rule of the denials a policy rejects, for one (source, target, class), keeps only the
   * permissions no other rule of that triple has: the same access is never printed twice in a
   * section. When nothing is left it is dropped, its evidence and ioctls going to the first
   * other rule. `list`: the rules of one (source, target); the accumulators are not changed.
   */
  private foldRejected(list: RuleAcc[]): RuleAcc[] {
    if (!list.some((a) => a.rejections.length)) return list;
    const kept: RuleAcc[] = [];
    const absorbed = new Map<RuleAcc, RuleAcc[]>();
    for (const acc of list) {
      const others = acc.rejections.length ? list.filter((o) => o.tclass === acc.tclass && o.rejections.length === 0) : [];
      if (others.length === 0) {
        kept.push(acc);
        continue;
      }
      const covered = new Set(others.flatMap((o) => o.perms));
      const perms = acc.perms.filter((p) => !covered.has(p));
      if (perms.length === acc.perms.length) kept.push(acc);
      else if (perms.length > 0) kept.push({ ...acc, perms });
      else absorbed.set(others[0]!, [...(absorbed.get(others[0]!) ?? []), acc]);
    }
    return kept.map((acc) => {
      const more = absorbed.get(acc);
      if (!more) return acc;
      const merged: RuleAcc = { ...acc, ioctl: [...acc.ioctl], locs: [...acc.locs], explained: [...acc.explained] };
      for (const m of more) {
        merged.count += m.count;
        for (const loc of m.locs) if (merged.locs.length < this.evidenceLimit) merged.locs.push(loc);
        for (const r of m.ioctl) addXpermRange(merged.ioctl, r);
        merged.xperms ||= m.xperms;
        if (this.explain === 'long') merged.explained.push(...m.explained);
      }
      return merged;
    });
  }

  addInvalidContext(m: InvalidContextMessage, loc: Span): void {
    const acc = this.roleFor(m);
    if (acc === undefined) return;
    acc.count++;
    if (acc.locs.length < this.evidenceLimit) acc.locs.push(loc);
  }

  /** The accumulator of the message's role, with its type added; undefined when -t filters the message out. */
  private roleFor(m: InvalidContextMessage): RoleAcc | undefined {
    const filter = this.opts.typeFilter;
    if (filter && !filter.test(m.context.type) && !(m.scontext && filter.test(m.scontext.type)) && !(m.tcontext && filter.test(m.tcontext.type))) {
      return undefined;
    }
    let acc = this.roles.get(m.context.role);
    if (!acc) this.roles.set(m.context.role, (acc = { types: new Set(), locs: [], orders: [], count: 0 }));
    acc.types.add(m.context.type);
    return acc;
  }

  toModule(): Module {
    const o = this.opts;
    const statements: Statement[] = [];
    const avRules: AvRule[] = [];
    for (const acc of this.orderedRules()) {
      const evidence: Evidence = { locs: acc.locs, count: acc.count };
      const rule: AvRule = {
        kind: 'av',
        rule: o.dontaudit ? 'dontaudit' : 'allow',
        sources: [acc.source],
        targets: [acc.source === acc.target ? 'self' : acc.target],
        classes: [acc.tclass],
        perms: [...acc.perms].sort(compareStrings),
        evidence,
      };
      if (o.explain === 'short') rule.comment = explainShort(acc.source, acc.target, acc.tclass, rule.perms, acc.explained[0]);
      else if (o.explain === 'long') rule.comment = explainLong(acc.explained);
      if (acc.verdict) {
        const notes = acc.rejections.length ? acc.rejections.flatMap((v) => verdictNotes(v, acc.xperms)) : verdictNotes(acc.verdict, acc.xperms);
        if (notes.length > 0) rule.notes = notes;
      }
      avRules.push(rule);
      statements.push(rule);
      if (o.xperms && acc.ioctl.length > 0) {
        const x: XpermRule = {
          kind: 'xperm',
          rule: o.dontaudit ? 'dontauditxperm' : 'allowxperm',
          sources: rule.sources,
          targets: rule.targets,
          classes: rule.classes,
          operation: 'ioctl',
          ranges: acc.ioctl,
          evidence,
        };
        statements.push(x);
      }
    }
    const roleTypes: RoleTypes[] = [];
    for (const [role, acc] of this.roles) {
      const rt: RoleTypes = { kind: 'roletypes', role, types: [...acc.types].sort(compareStrings), evidence: { locs: acc.locs, count: acc.count } };
      roleTypes.push(rt);
      statements.push(rt);
    }
    const module: Module = { statements };
    if (o.name !== undefined) {
      module.name = o.name;
      module.version = o.version ?? '1.0';
    }
    if (o.requires || o.name !== undefined) module.require = collectRequire(avRules, roleTypes);
    return module;
  }
}

/**
 * Keeps the first `limit` of an accumulator's places and `places` (each list in input order), by
 * their numbers: nothing to do, and nothing made, when the accumulator is full of earlier places.
 */
function mergePlaces(acc: { locs: Span[]; orders: number[] }, places: FactPlaces, limit: number): void {
  const n = acc.locs.length;
  const m = places.length;
  if (m === 0 || (n >= limit && acc.orders[n - 1]! < places.order(0))) return;
  const locs: Span[] = [];
  const orders: number[] = [];
  let i = 0;
  let j = 0;
  while (locs.length < limit && (i < n || j < m)) {
    if (j >= m || (i < n && acc.orders[i]! < places.order(j))) {
      locs.push(acc.locs[i]!);
      orders.push(acc.orders[i++]!);
    } else {
      orders.push(places.order(j));
      locs.push(places.span(j++));
    }
  }
  acc.locs = locs;
  acc.orders = orders;
}

/** Do two verdicts give the same note? */
function sameReason(a: Verdict, b: Verdict): boolean {
  return 'reason' in a.analysis && 'reason' in b.analysis ? a.analysis.reason === b.analysis.reason : a.key === b.key;
}

/** sepolgen's gen_requires: types and roles as sets, classes in first-use order. */
export function collectRequire(avRules: AvRule[], roleTypes: RoleTypes[]): Require {
  const types = new Set<string>();
  const classes = new Map<string, Set<string>>();
  const roles = new Set<string>();
  for (const r of avRules) {
    for (const t of mentionedNames(r.sources)) types.add(t);
    for (const t of mentionedNames(r.targets)) types.add(t);
    for (const c of r.classes) {
      let s = classes.get(c);
      if (!s) classes.set(c, (s = new Set()));
      for (const p of r.perms) s.add(p);
    }
  }
  for (const rt of roleTypes) {
    roles.add(rt.role);
    for (const t of mentionedNames(rt.types)) types.add(t);
  }
  types.delete('self');
  return {
    types: [...types].sort(compareStrings),
    classes: [...classes].map(([c, p]): [string, string[]] => [c, [...p].sort(compareStrings)]),
    roles: [...roles].sort(compareStrings),
  };
}

/** Code-point order, as Python sorts strings. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Learns a module from denials and invalid-context messages in one call. */
export function learnModule(denials: Iterable<Denial>, opts: LearnOptions = {}): Module {
  const l = new ModuleLearner(opts);
  for (const d of denials) l.addDenial(d);
  return l.toModule();
}
