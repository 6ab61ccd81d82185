// The one way to find the TE rules that apply to a (source type, target type, class) at given
// boolean values, as the kernel's context_struct_compute_av reads them: every key (attribute or
// self of the source) x (attribute or self of the target), the unconditional avtab entries plus
// the conditional ones whose list the values enable. decide() merges the allow, auditallow and
// dontaudit bits (the access decisions); entries() returns the entries behind them (transition
// checks, rule texts). Constraints, RBAC and type bounds are decide.ts's; type_transition
// lookups are by exact key (transition/computeCreate.ts), not through attributes.
import { AVTAB } from '../binary/constants.js';
import type { Policy } from '../model.js';
import type { BoolValues } from './boolValues.js';

/** One avtab entry: `cond` says which table (policy.condAvtab or policy.avtab). */
export interface RuleRef {
  cond: boolean;
  index: number;
}

/** A TE decision: permission bits of the class. */
export interface TeDecision {
  allowed: number;
  auditallow: number;
  /** Bits still audited when denied (dontaudit clears them). */
  auditdeny: number;
}

const AV_KINDS = AVTAB.ALLOWED | AVTAB.AUDITALLOW | AVTAB.AUDITDENY;

/** Prepared lookups over one policy; shared (policy.index.access.teLookup) and stateless between calls. */
export class TeLookup {
  /** Per class value: bitmaps of the source / target keys with any av rule of that class (prepare()). */
  private srcKeys: Uint32Array[] = [];
  private tgtKeys: Uint32Array[] = [];
  /** The same for the conditional av rules alone (condBools: most key pairs have none). */
  private condSrcKeys: Uint32Array[] = [];
  private condTgtKeys: Uint32Array[] = [];
  private prepared = false;
  // Scratch lists of keys; JavaScript runs one call at a time.
  private readonly sBuf: Int32Array;
  private readonly tBuf: Int32Array;

  /** The policy's lookup, built on first use. */
  static of(policy: Policy): TeLookup {
    return (policy.index.access.teLookup ??= new TeLookup(policy));
  }

  private constructor(readonly policy: Policy) {
    // A type has at most itself and every attribute as keys.
    this.sBuf = new Int32Array(policy.types.length + 1);
    this.tBuf = new Int32Array(policy.types.length + 1);
  }

  /**
   * Builds what decisions need (one pass over both avtabs: which keys have av rules of each
   * class, so that most key pairs are never looked up) and the indexes. decide() and condBools()
   * do it on first use; the decider does it up front. entries() needs none of it.
   */
  prepare(): this {
    if (this.prepared) return this;
    const policy = this.policy;
    const ncls = policy.classes.length;
    const tw = (policy.types.length + 31) >>> 5;
    this.srcKeys = Array.from({ length: ncls + 1 }, () => new Uint32Array(tw));
    this.tgtKeys = Array.from({ length: ncls + 1 }, () => new Uint32Array(tw));
    this.condSrcKeys = Array.from({ length: ncls + 1 }, () => new Uint32Array(tw));
    this.condTgtKeys = Array.from({ length: ncls + 1 }, () => new Uint32Array(tw));
    for (const tab of [policy.avtab, policy.condAvtab]) {
      const cond = tab === policy.condAvtab;
      for (let i = 0; i < tab.count; i++) {
        if ((tab.spec[i]! & AV_KINDS) === 0) continue;
        const c = tab.cls[i]!;
        const s = tab.src[i]! - 1;
        const t = tab.tgt[i]! - 1;
        this.srcKeys[c]![s >>> 5]! |= 1 << (s & 31);
        this.tgtKeys[c]![t >>> 5]! |= 1 << (t & 31);
        if (cond) {
          this.condSrcKeys[c]![s >>> 5]! |= 1 << (s & 31);
          this.condTgtKeys[c]![t >>> 5]! |= 1 << (t & 31);
        }
      }
    }
    const index = policy.index;
    void index.avtab;
    void index.condAvtab;
    void index.condOf;
    this.prepared = true;
    return this;
  }

  /** The keys of `type` (itself, its attributes, ascending) set in `filter`, into buf; returns how many. */
  private keysOf(type: number, filter: Uint32Array | undefined, buf: Int32Array): number {
    if (!filter) return 0;
    const { start, list } = this.policy.index.keyLists();
    let n = 0;
    for (let i = start[type - 1]!, end = start[type]!; i < end; i++) {
      const b = list[i]! - 1;
      if ((filter[b >>> 5]! & (1 << (b & 31))) !== 0) buf[n++] = b + 1;
    }
    return n;
  }

  /** The allow / auditallow / dontaudit bits for stype -> ttype:tclass at `values`, into `out`. */
  decide(stype: number, ttype: number, tclass: number, values: BoolValues, out: TeDecision): TeDecision {
    if (!this.prepared) this.prepare();
    let allowed = 0;
    let auditallow = 0;
    let auditdeny = 0xffffffff;
    const ns = this.keysOf(stype, this.srcKeys[tclass], this.sBuf);
    const nt = ns === 0 ? 0 : this.keysOf(ttype, this.tgtKeys[tclass], this.tBuf);
    if (nt > 0) {
      const index = this.policy.index;
      const u = index.avtab;
      const cu = index.condAvtab;
      const tab = this.policy.avtab;
      const ctab = this.policy.condAvtab;
      const condOf = index.condOf;
      // BoolValues.enabled, inlined: this is the decisions' inner loop.
      const conds = values.conds;
      for (let a = 0; a < ns; a++) {
        const s = this.sBuf[a]!;
        for (let b = 0; b < nt; b++) {
          const t = this.tBuf[b]!;
          for (let i = u.first(s, t, tclass); i >= 0; i = u.after(i)) {
            const spec = tab.spec[i]!;
            if (spec === AVTAB.ALLOWED) allowed |= tab.data[i]!;
            else if (spec === AVTAB.AUDITALLOW) auditallow |= tab.data[i]!;
            else if (spec === AVTAB.AUDITDENY) auditdeny &= tab.data[i]!;
          }
          for (let i = cu.first(s, t, tclass); i >= 0; i = cu.after(i)) {
            const spec = ctab.spec[i]!;
            if (spec !== AVTAB.ALLOWED && spec !== AVTAB.AUDITALLOW && spec !== AVTAB.AUDITDENY) continue;
            const k = condOf[i]!;
            if (k >= 0 ? conds[k] !== 1 : conds[~k] !== 0) continue;
            if (spec === AVTAB.ALLOWED) allowed |= ctab.data[i]!;
            else if (spec === AVTAB.AUDITALLOW) auditallow |= ctab.data[i]!;
            else auditdeny &= ctab.data[i]!;
          }
        }
      }
    }
    out.allowed = allowed >>> 0;
    out.auditallow = auditallow >>> 0;
    out.auditdeny = auditdeny >>> 0;
    return out;
  }

  /**
   * The entries of one av kind (an AVTAB bit: allow by default) that apply to stype -> ttype:tclass
   * at `values`, those with a bit of `bits` only when given. In the order rules are listed: for
   * each source key (the type itself first, then its attributes), each target key (likewise),
   * the unconditional entries, then the conditional ones, each in file order.
   */
  entries(stype: number, ttype: number, tclass: number, values: BoolValues, kind: number = AVTAB.ALLOWED, bits = 0xffffffff): RuleRef[] {
    const out: RuleRef[] = [];
    const index = this.policy.index;
    const sk = selfFirst(stype, index.keysOf(stype));
    const tk = selfFirst(ttype, index.keysOf(ttype));
    const { avtab, condAvtab } = this.policy;
    // A dontaudit entry holds the bits still audited: the rule is about the others.
    const hit = (data: number): boolean => ((kind === AVTAB.AUDITDENY ? ~data : data) & bits) !== 0;
    for (const s of sk) {
      for (const t of tk) {
        for (let i = index.avtab.first(s, t, tclass); i >= 0; i = index.avtab.after(i)) {
          if (avtab.spec[i] === kind && hit(avtab.data[i]!)) out.push({ cond: false, index: i });
        }
        for (let i = index.condAvtab.first(s, t, tclass); i >= 0; i = index.condAvtab.after(i)) {
          if (condAvtab.spec[i] === kind && hit(condAvtab.data[i]!) && values.enabled(index.condOf, i)) out.push({ cond: true, index: i });
        }
      }
    }
    return out;
  }

  /**
   * The booleans (values) of the conditionals with av rules that can apply to stype -> ttype:tclass,
   * whatever their values, appended to `out` when not in it yet (first seen first).
   */
  condBools(stype: number, ttype: number, tclass: number, out: number[] = []): number[] {
    if (!this.prepared) this.prepare();
    const ns = this.keysOf(stype, this.condSrcKeys[tclass], this.sBuf);
    const nt = ns === 0 ? 0 : this.keysOf(ttype, this.condTgtKeys[tclass], this.tBuf);
    const { condAvtab: cu, condOf } = this.policy.index;
    for (let a = 0; a < ns; a++) {
      for (let b = 0; b < nt; b++) {
        for (let i = cu.first(this.sBuf[a]!, this.tBuf[b]!, tclass); i >= 0; i = cu.after(i)) {
          const k = condOf[i]!;
          for (const e of this.policy.conds[k >= 0 ? k : ~k]!.expr) if (e.kind === 'bool' && !out.includes(e.bool)) out.push(e.bool);
        }
      }
    }
    return out;
  }
}

/** A type's keys with the type itself (when among them) first. */
function selfFirst(self: number, keys: Int32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < keys.length; i++) if (keys[i] === self) out.push(self);
  for (let i = 0; i < keys.length; i++) if (keys[i] !== self) out.push(keys[i]!);
  return out;
}
