// Domain transition analysis, as setools 4.4 (`sedta`, setools/dta.py)
// defines it. A graph edge a -> b (a != b) is a valid transition when
//   allow a b:process transition;
//   some entrypoint type e with  allow a e:file execute;  and  allow b e:file entrypoint;
//   and either  allow a <any>:process setexec;  or  type_transition a e:process b;
// or a valid dynamic transition:
//   allow a b:process dyntransition;  and  allow a <any>:process setcurrent;
// Rules are matched through attributes (each rule's source and target are
// expanded to their types). Like setools, conditional rules count whatever
// the boolean values (both branches), and constraints are not looked at.
//
// Edges are created in setools' rule order (avtabOrder.ts), which decides the
// order paths come out in (pathSearch.ts); printing is sedtaText.ts's.
import { AVTAB } from '../../binary/constants.js';
import type { Policy } from '../../model.js';
import type { RuleRef } from '../teLookup.js';
import { libsepolAvtabOrder } from './avtabOrder.js';
import { shortestPaths } from './pathSearch.js';

export interface DtaEntrypoint {
  /** The entrypoint (executable file) type. */
  type: number;
  entrypoint: RuleRef[];
  execute: RuleRef[];
  typeTransition: RuleRef[];
}

/** One step of a path, with the rules sedta --full lists for it. */
export interface DtaStep {
  source: number;
  target: number;
  transition: RuleRef[];
  setexec: RuleRef[];
  /** Sorted by type name (sedta's order is Python set order, different on each run). */
  entrypoints: DtaEntrypoint[];
  dyntransition: RuleRef[];
  setcurrent: RuleRef[];
}

interface Edge {
  source: number;
  target: number;
  transition: RuleRef[];
  dyntransition: RuleRef[];
  validTransition: boolean;
  validDyn: boolean;
}

function bitGet(bits: Uint32Array | undefined, v: number): boolean {
  if (!bits) return false;
  const b = v - 1;
  return ((bits[b >>> 5]! >>> (b & 31)) & 1) !== 0;
}

function bitsOf(bits: Uint32Array): number[] {
  const out: number[] = [];
  for (let w = 0; w < bits.length; w++) {
    let x = bits[w]!;
    while (x) {
      const low = x & -x;
      out.push(w * 32 + 31 - Math.clz32(low) + 1);
      x ^= low;
    }
  }
  return out;
}

export class DomainTransitionGraph {
  /** Successors of each domain in edge-creation order (valid edges only). */
  readonly succ = new Map<number, number[]>();
  /** The graph's nodes in networkx's order: as each first became an end of a created edge (source first). */
  readonly nodeOrder: number[] = [];
  private readonly nodeSeen = new Set<number>();
  private readonly edges = new Map<number, Edge>();
  /** Every created edge's target per source, before validation (for sedta's entrypoint listing quirk). */
  private readonly created = new Map<number, number[]>();
  private readonly setexec = new Map<number, RuleRef[]>();
  private readonly setcurrent = new Map<number, RuleRef[]>();
  /** Types each domain may execute / file types that are entrypoints of each domain (bitmaps, bit = value - 1). */
  private readonly execute = new Map<number, Uint32Array>();
  private readonly entrypoint = new Map<number, Uint32Array>();
  /** type_transition s e:process d, by s: [e, d] pairs. */
  private readonly typeTrans = new Map<number, [number, number][]>();
  private readonly words: number;
  private fileRulesCache?: RuleRef[];
  private readonly procClass: number;
  private readonly fileClass: number;

  constructor(readonly policy: Policy) {
    const idx = policy.index;
    this.words = (policy.types.length + 31) >>> 5;
    this.procClass = idx.classValues.get('process') ?? 0;
    this.fileClass = idx.classValues.get('file') ?? 0;
    this.build();
  }

  /** Types a rule's source or target stands for, ascending. */
  private expand(v: number): number[] {
    const t = this.policy.types[v - 1];
    if (!t) return [];
    return t.isAttribute ? t.attrs : [v];
  }

  private perm(tclass: number, name: string): number {
    const i = this.policy.classes[tclass - 1]?.allPerms.indexOf(name) ?? -1;
    return i < 0 ? 0 : 1 << i;
  }

  /** Rules in setools' order: the unconditional table in libsepol hash order, then the conditional ones in file order. */
  private ordered(keep: (tab: Policy['avtab'], i: number) => boolean): RuleRef[] {
    const { avtab, condAvtab } = this.policy;
    const out: RuleRef[] = libsepolAvtabOrder(avtab, (i) => keep(avtab, i)).map((index) => ({ cond: false, index }));
    for (let i = 0; i < condAvtab.count; i++) if (keep(condAvtab, i)) out.push({ cond: true, index: i });
    return out;
  }

  private tab(r: RuleRef): Policy['avtab'] {
    return r.cond ? this.policy.condAvtab : this.policy.avtab;
  }

  private build(): void {
    const P = this.procClass;
    const F = this.fileClass;
    const trans = this.perm(P, 'transition');
    const dyn = this.perm(P, 'dyntransition');
    const setexec = this.perm(P, 'setexec');
    const setcur = this.perm(P, 'setcurrent');
    const exec = this.perm(F, 'execute');
    const entry = this.perm(F, 'entrypoint');
    const w = this.words;

    const rules = this.ordered((tab, i) => {
      const spec = tab.spec[i];
      const c = tab.cls[i];
      if (spec === AVTAB.ALLOWED) return (c === P && (tab.data[i]! & (trans | dyn | setexec | setcur)) !== 0) || (c === F && (tab.data[i]! & (exec | entry)) !== 0);
      return spec === AVTAB.TRANSITION && c === P;
    });
    const edgeOf = (s: number, t: number): Edge => {
      const k = s * 65536 + t;
      let e = this.edges.get(k);
      if (!e) {
        e = { source: s, target: t, transition: [], dyntransition: [], validTransition: false, validDyn: false };
        this.edges.set(k, e);
        for (const v of [s, t]) {
          if (this.nodeSeen.has(v)) continue;
          this.nodeSeen.add(v);
          this.nodeOrder.push(v);
        }
        let list = this.created.get(s);
        if (!list) this.created.set(s, (list = []));
        list.push(t);
      }
      return e;
    };
    const orBits = (m: Map<number, Uint32Array>, key: number, types: readonly number[]): void => {
      let b = m.get(key);
      if (!b) m.set(key, (b = new Uint32Array(w)));
      for (const v of types) b[(v - 1) >>> 5]! |= 1 << ((v - 1) & 31);
    };
    for (const r of rules) {
      const tab = this.tab(r);
      const i = r.index;
      const src = tab.src[i]!;
      const tgt = tab.tgt[i]!;
      const data = tab.data[i]!;
      if (tab.spec[i] === AVTAB.TRANSITION) {
        for (const s of this.expand(src)) {
          let l = this.typeTrans.get(s);
          if (!l) this.typeTrans.set(s, (l = []));
          for (const t of this.expand(tgt)) l.push([t, data]);
        }
        continue;
      }
      if (tab.cls[i] === P) {
        if (data & trans) for (const s of this.expand(src)) for (const t of this.expand(tgt)) if (s !== t) edgeOf(s, t).transition.push(r);
        if (data & dyn) for (const s of this.expand(src)) for (const t of this.expand(tgt)) if (s !== t) edgeOf(s, t).dyntransition.push(r);
        const add = (m: Map<number, RuleRef[]>): void => {
          for (const s of this.expand(src)) {
            const l = m.get(s);
            if (l) l.push(r);
            else m.set(s, [r]);
          }
        };
        if (data & setexec) add(this.setexec);
        if (data & setcur) add(this.setcurrent);
      } else {
        const row = this.expand(tgt);
        if (data & exec) for (const s of this.expand(src)) orBits(this.execute, s, row);
        if (data & entry) for (const s of this.expand(src)) orBits(this.entrypoint, s, row);
      }
    }
    // Validate, keeping creation order among the surviving edges.
    for (const [s, targets] of this.created) {
      const out: number[] = [];
      for (const t of targets) {
        const e = this.edges.get(s * 65536 + t)!;
        if (e.transition.length) e.validTransition = this.transitionValid(s, t);
        e.validDyn = e.dyntransition.length > 0 && this.setcurrent.has(s);
        if (e.validTransition || e.validDyn) out.push(t);
      }
      if (out.length) this.succ.set(s, out);
    }
  }

  /** Entrypoint types e with `a e:file execute` and `b e:file entrypoint` (bitmap), or undefined when none. */
  private match(s: number, t: number): Uint32Array | undefined {
    const ex = this.execute.get(s);
    const en = this.entrypoint.get(t);
    if (!ex || !en) return undefined;
    const m = new Uint32Array(this.words);
    let any = 0;
    for (let k = 0; k < m.length; k++) any |= m[k] = ex[k]! & en[k]!;
    return any ? m : undefined;
  }

  private transitionValid(s: number, t: number): boolean {
    const m = this.match(s, t);
    if (!m) return false;
    if (this.setexec.has(s)) return true;
    for (const [e, d] of this.typeTrans.get(s) ?? []) if (d === t && bitGet(m, e)) return true;
    return false;
  }

  /** Is there a valid transition (or dyntransition) edge a -> b? */
  hasEdge(s: number, t: number): boolean {
    const e = this.edges.get(s * 65536 + t);
    return !!e && (e.validTransition || e.validDyn);
  }

  /** Number of valid edges. */
  get edgeCount(): number {
    let n = 0;
    for (const l of this.succ.values()) n += l.length;
    return n;
  }

  /** Is the domain a node of sedta's graph (an end of some created edge)? Valid or not: networkx keeps nodes whose edges were removed. */
  hasNode(v: number): boolean {
    return this.nodeSeen.has(v);
  }

  /** All shortest paths over the whole graph (sedta -S); see shortestPaths. */
  allShortestPaths(source: number, target: number): number[][] {
    return shortestPaths(this, source, target);
  }

  /**
   * The entrypoint types sedta lists for the edge a -> b (the keys of its `entrypoint` table); [] when
   * the edge is not a valid transition.
   */
  listedEntrypoints(s: number, t: number): number[] {
    const e = this.edges.get(s * 65536 + t);
    if (!e?.validTransition) return [];
    const m = this.match(s, t)!;
    // dta.py lists entrypoint e when s has setexec or `type_trans[s][e]` is truthy: a real
    // type_transition s e:process (any default), or - a defaultdict side effect - e was in the
    // match of an edge s -> t' checked before this one.
    const listed = new Uint32Array(this.words);
    if (this.setexec.has(s)) listed.set(m);
    else {
      for (const [e2] of this.typeTrans.get(s) ?? []) if (bitGet(m, e2)) listed[(e2 - 1) >>> 5]! |= 1 << ((e2 - 1) & 31);
      for (const t2 of this.created.get(s) ?? []) {
        if (t2 === t) break;
        if (!this.edges.get(s * 65536 + t2)!.transition.length) continue;
        const m2 = this.match(s, t2);
        if (m2) for (let k = 0; k < m.length; k++) listed[k]! |= m2[k]! & m[k]!;
      }
    }
    return bitsOf(listed);
  }

  /** Is a -> b a valid dynamic transition? */
  validDyn(s: number, t: number): boolean {
    return this.edges.get(s * 65536 + t)?.validDyn ?? false;
  }

  /** File-class execute/entrypoint allow rules and process type_transitions, in setools' order (for step details). */
  private fileRules(): RuleRef[] {
    if (!this.fileRulesCache) {
      const F = this.fileClass;
      const P = this.procClass;
      const bits = this.perm(F, 'execute') | this.perm(F, 'entrypoint');
      this.fileRulesCache = this.ordered((tab, i) => (tab.spec[i] === AVTAB.ALLOWED && tab.cls[i] === F && (tab.data[i]! & bits) !== 0) || (tab.spec[i] === AVTAB.TRANSITION && tab.cls[i] === P));
    }
    return this.fileRulesCache;
  }

  /** The rules sedta --full lists for the step a -> b (an edge of the graph); `exclude`: entrypoint types left out (sedta's excluded types). */
  step(s: number, t: number, exclude?: ReadonlySet<number>): DtaStep {
    const e = this.edges.get(s * 65536 + t);
    const out: DtaStep = { source: s, target: t, transition: [], setexec: [], entrypoints: [], dyntransition: [], setcurrent: [] };
    if (!e) return out;
    if (e.validDyn) {
      out.dyntransition = e.dyntransition;
      out.setcurrent = this.setcurrent.get(s) ?? [];
    }
    if (!e.validTransition) return out;
    out.transition = e.transition;
    out.setexec = this.setexec.get(s) ?? [];
    const types = this.listedEntrypoints(s, t).filter((v) => !exclude?.has(v));
    if (!types.length) return out;
    const want = new Set(types);
    const eps = new Map<number, DtaEntrypoint>(types.map((v) => [v, { type: v, entrypoint: [], execute: [], typeTransition: [] }]));
    const F = this.fileClass;
    const exec = this.perm(F, 'execute');
    const entry = this.perm(F, 'entrypoint');
    const idx = this.policy.index;
    for (const r of this.fileRules()) {
      const tab = this.tab(r);
      const i = r.index;
      const src = tab.src[i]!;
      const tgt = tab.tgt[i]!;
      if (tab.spec[i] === AVTAB.TRANSITION) {
        if (tab.data[i] === t && idx.covers(src, s)) for (const v of want) if (idx.covers(tgt, v)) eps.get(v)!.typeTransition.push(r);
        continue;
      }
      const data = tab.data[i]!;
      for (const v of want) {
        if (!idx.covers(tgt, v)) continue;
        if (data & entry && idx.covers(src, t)) eps.get(v)!.entrypoint.push(r);
        if (data & exec && idx.covers(src, s)) eps.get(v)!.execute.push(r);
      }
    }
    const name = (v: number): string => this.policy.types[v - 1]?.name ?? '';
    out.entrypoints = [...eps.values()].sort((a, b) => (name(a.type) < name(b.type) ? -1 : name(a.type) > name(b.type) ? 1 : 0));
    return out;
  }
}
