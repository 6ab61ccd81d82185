// Access decisions from the binary policy alone: libsepol's
// security_compute_av (context_struct_compute_av: TE rules over attributes,
// conditional rules at the current boolean values, constraints and MLS
// constraints, the role allow check of process transitions, type bounds) and
// libselinux's selinux.audit2why.analyze() on top of it (audit2why.c: context,
// class and permission checks, then the reason, the booleans that would allow
// the access, and the text of the failed constraints).
import { AVTAB } from '../binary/constants.js';
import type { Policy } from '../model.js';
import { type CompiledConstraint, type ConstraintEnv, compileConstraints, constraintText, evalConstraint } from './constraint.js';
import { ContextTables, type DContext } from './decideContext.js';

/** selinux.audit2why's result codes. */
export const AUDIT2WHY_CODES = {
  UNKNOWN: -1,
  BADSCON: -2,
  BADTCON: -3,
  BADTCLASS: -4,
  BADPERM: -5,
  BADCOMPUTE: -6,
  NOPOLICY: -7,
  ALLOW: 0,
  DONTAUDIT: 1,
  TERULE: 2,
  BOOLEAN: 3,
  CONSTRAINT: 4,
  RBAC: 5,
  BOUNDS: 6,
} as const;
export type AccessCode = keyof typeof AUDIT2WHY_CODES;

/** The reasons of security_compute_av (SEPOL_COMPUTEAV_*). */
export const REASON = { TE: 1, CONS: 2, RBAC: 4, BOUNDS: 8 } as const;

/** selinux.audit2why.analyze()'s answer. */
export type AccessAnalysis =
  | { code: 'BOOLEAN'; rc: 3 /** [name, value that allows], in boolean value order */; booleans: [string, number][] }
  | { code: 'CONSTRAINT'; rc: 4 /** libsepol's reason buffer: one `...; Constraint DENIED\n` per failed constraint */; constraint: string }
  | { code: Exclude<AccessCode, 'BOOLEAN' | 'CONSTRAINT'>; rc: number };

/** A TE decision: permission bits of the class. */
export interface TeDecision {
  allowed: number;
  auditallow: number;
  /** Bits still audited when denied (dontaudit clears them). */
  auditdeny: number;
}

export interface AvDecision extends TeDecision {
  /** REASON bits for the requested permissions. */
  reason: number;
}

const CACHE_BITS = 16;

/**
 * Prepared state for access decisions over one policy. Booleans start at the
 * values in the file; setBool() changes them (and drops the cache).
 */
export class AccessDecider {
  readonly contexts: ContextTables;
  /** Per class value: bitmaps of the source / target keys with any av rule of that class. */
  private readonly srcKeys: Uint32Array[];
  private readonly tgtKeys: Uint32Array[];
  private readonly boolState: Uint8Array;
  /** Per CondNode: 1 true, 0 false, -1 undefined (rules of both lists off). */
  private readonly condState: Int8Array;
  /** Per class value - 1, compiled on first use. */
  private readonly constraints: (CompiledConstraint[] | undefined)[] = [];
  private readonly env: ConstraintEnv;
  private readonly roleAllow = new Set<number>();
  private readonly processClass: number;
  private readonly processTransDyn: number;
  private readonly classPermBits: Map<string, number>[];
  // Direct-mapped cache of TE decisions by (source, target, class).
  private readonly cKey1 = new Int32Array(1 << CACHE_BITS).fill(-1);
  private readonly cKey2 = new Int32Array(1 << CACHE_BITS);
  private readonly cAllowed = new Uint32Array(1 << CACHE_BITS);
  private readonly cAuditallow = new Uint32Array(1 << CACHE_BITS);
  private readonly cAuditdeny = new Uint32Array(1 << CACHE_BITS);
  private readonly out: TeDecision = { allowed: 0, auditallow: 0, auditdeny: 0xffffffff };

  constructor(readonly policy: Policy) {
    const index = policy.index;
    this.contexts = new ContextTables(policy);
    const ncls = policy.classes.length;
    const tw = (policy.types.length + 31) >>> 5;
    this.srcKeys = Array.from({ length: ncls + 1 }, () => new Uint32Array(tw));
    this.tgtKeys = Array.from({ length: ncls + 1 }, () => new Uint32Array(tw));
    const AV = AVTAB.ALLOWED | AVTAB.AUDITALLOW | AVTAB.AUDITDENY;
    for (const tab of [policy.avtab, policy.condAvtab]) {
      for (let i = 0; i < tab.count; i++) {
        if ((tab.spec[i]! & AV) === 0) continue;
        const c = tab.cls[i]!;
        const s = tab.src[i]! - 1;
        const t = tab.tgt[i]! - 1;
        this.srcKeys[c]![s >>> 5]! |= 1 << (s & 31);
        this.tgtKeys[c]![t >>> 5]! |= 1 << (t & 31);
      }
    }
    void index.avtab;
    void index.condAvtab;
    void index.condOf;
    this.boolState = new Uint8Array(policy.bools.length + 1);
    for (const b of policy.bools) if (b) this.boolState[b.value] = b.state ? 1 : 0;
    this.condState = new Int8Array(policy.conds.length);
    this.evaluateConds();
    this.env = {
      roleDom: policy.roles.map((r) => {
        const bits = new Uint32Array((policy.roles.length + 31) >>> 5 || 1);
        for (const v of r?.dominates ?? []) bits[(v - 1) >>> 5]! |= 1 << ((v - 1) & 31);
        return bits;
      }),
    };
    for (const ra of policy.roleAllows) this.roleAllow.add(ra.role * 65536 + ra.newRole);
    this.classPermBits = policy.classes.map((c) => {
      const m = new Map<string, number>();
      (c?.allPerms ?? []).forEach((p, i) => {
        if (p !== undefined) m.set(p, (1 << i) >>> 0);
      });
      return m;
    });
    this.processClass = index.classValues.get('process') ?? 0;
    const pm = this.processClass ? this.classPermBits[this.processClass - 1]! : new Map<string, number>();
    this.processTransDyn = ((pm.get('transition') ?? 0) | (pm.get('dyntransition') ?? 0)) >>> 0;
  }

  // ------------------------------------------------------------ booleans

  boolValue(value: number): boolean {
    return this.boolState[value] === 1;
  }

  /** Sets a boolean (by value) and re-evaluates the conditionals. */
  setBool(value: number, state: boolean): void {
    if (this.boolState[value] === (state ? 1 : 0)) return;
    this.boolState[value] = state ? 1 : 0;
    this.evaluateConds();
    this.cKey1.fill(-1);
  }

  private evaluateConds(): void {
    const conds = this.policy.conds;
    for (let k = 0; k < conds.length; k++) this.condState[k] = this.evalCond(k);
  }

  /** cond_evaluate_expr: 1, 0, or -1 when the expression is malformed. */
  private evalCond(k: number): number {
    const st: number[] = [];
    for (const e of this.policy.conds[k]!.expr) {
      if (e.kind === 'bool') {
        st.push(this.boolState[e.bool] ?? 0);
        continue;
      }
      if (e.kind === 'not') {
        if (st.length < 1) return -1;
        st[st.length - 1] = st[st.length - 1] ? 0 : 1;
        continue;
      }
      if (st.length < 2) return -1;
      const b = st.pop()!;
      const a = st.pop()!;
      switch (e.kind) {
        case 'or':
          st.push(a | b);
          break;
        case 'and':
          st.push(a & b);
          break;
        case 'xor':
          st.push(a ^ b);
          break;
        case 'eq':
          st.push(a === b ? 1 : 0);
          break;
        case 'neq':
          st.push(a !== b ? 1 : 0);
          break;
      }
    }
    return st.length === 1 ? st[0]! : -1;
  }

  // ------------------------------------------------------------ TE

  /**
   * The TE decision for types (values) stype -> ttype of class tclass at the
   * current boolean values: allow / auditallow / dontaudit rules keyed by the
   * types or any of their attributes. The result object is reused: copy it.
   */
  te(stype: number, ttype: number, tclass: number): TeDecision {
    const key1 = (stype << 16) | ttype;
    let h = Math.imul(key1, 0x9e3779b1) ^ Math.imul(tclass, 0x85ebca77);
    h = (h ^ (h >>> 16)) >>> (32 - CACHE_BITS);
    const out = this.out;
    if (this.cKey1[h] === key1 && this.cKey2[h] === tclass) {
      out.allowed = this.cAllowed[h]!;
      out.auditallow = this.cAuditallow[h]!;
      out.auditdeny = this.cAuditdeny[h]!;
      return out;
    }
    this.teUncached(stype, ttype, tclass, out);
    this.cKey1[h] = key1;
    this.cKey2[h] = tclass;
    this.cAllowed[h] = out.allowed;
    this.cAuditallow[h] = out.auditallow;
    this.cAuditdeny[h] = out.auditdeny;
    return out;
  }

  private readonly sBuf = new Int32Array(4096);
  private readonly tBuf = new Int32Array(4096);

  /** The keys of `type` (itself, its attributes) that are set in `filter`, into buf; returns how many. */
  private keysOf(type: number, filter: Uint32Array | undefined, buf: Int32Array): number {
    if (!filter) return 0;
    const keys = this.policy.index.keysOf(type);
    let n = 0;
    for (let i = 0; i < keys.length; i++) {
      const b = keys[i]! - 1;
      if ((filter[b >>> 5]! & (1 << (b & 31))) !== 0) buf[n++] = b + 1;
    }
    return n;
  }

  private teUncached(stype: number, ttype: number, tclass: number, out: TeDecision): void {
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
      const condState = this.condState;
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
            const on = k >= 0 ? condState[k] === 1 : condState[~k] === 0;
            if (!on) continue;
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
  }

  /** The booleans (values) of the conditionals with av rules that can apply to stype -> ttype:tclass. */
  condBools(stype: number, ttype: number, tclass: number): Set<number> {
    const out = new Set<number>();
    const ns = this.keysOf(stype, this.srcKeys[tclass], this.sBuf);
    const nt = ns === 0 ? 0 : this.keysOf(ttype, this.tgtKeys[tclass], this.tBuf);
    const cu = this.policy.index.condAvtab;
    const condOf = this.policy.index.condOf;
    for (let a = 0; a < ns; a++) {
      for (let b = 0; b < nt; b++) {
        for (let i = cu.first(this.sBuf[a]!, this.tBuf[b]!, tclass); i >= 0; i = cu.after(i)) {
          const k = condOf[i]!;
          for (const e of this.policy.conds[k >= 0 ? k : ~k]!.expr) if (e.kind === 'bool') out.add(e.bool);
        }
      }
    }
    return out;
  }

  // ------------------------------------------------------------ full decision

  /**
   * context_struct_compute_av: TE, constraints, role allow for process
   * transitions, type bounds. `reasons` collects the text of every failed
   * constraint (libsepol's reason buffer) when given.
   */
  computeAv(s: DContext, t: DContext, tclass: number, requested: number, reasons?: string[]): AvDecision {
    const te = this.te(s.type, t.type, tclass);
    let allowed = te.allowed;
    const { auditallow, auditdeny } = te;
    let reason = 0;
    if ((requested & ~allowed) !== 0) {
      reason |= REASON.TE;
      requested &= allowed;
    }
    const cons = (this.constraints[tclass - 1] ??= compileConstraints(this.policy, this.policy.classes[tclass - 1]?.constraints ?? []));
    for (const c of cons) {
      if ((c.perms & allowed) !== 0 && !evalConstraint(this.env, c, s, t)) {
        if (reasons) reasons.push(constraintText(this.env, c, s, t, this.names(tclass)));
        allowed &= ~c.perms;
      }
    }
    if ((requested & ~allowed) !== 0) {
      reason |= REASON.CONS;
      requested &= allowed;
    }
    if (tclass === this.processClass && (allowed & this.processTransDyn) !== 0 && s.role !== t.role) {
      if (!this.roleAllow.has(s.role * 65536 + t.role)) allowed &= ~this.processTransDyn;
    }
    if ((requested & ~allowed) !== 0) {
      reason |= REASON.RBAC;
      requested &= allowed;
    }
    // type_attribute_bounds_av
    const source = this.policy.types[s.type - 1]!;
    if (source.bounds) {
      const target = this.policy.types[t.type - 1]!;
      const lo = this.computeAv({ ...s, type: source.bounds }, target.bounds ? { ...t, type: target.bounds } : t, tclass, requested);
      const masked = ~lo.allowed & allowed;
      if (masked !== 0) {
        allowed &= ~masked;
        reason |= REASON.BOUNDS;
      }
    }
    return { allowed: allowed >>> 0, auditallow, auditdeny, reason };
  }

  private names(tclass: number): import('./constraint.js').ConstraintNames {
    const p = this.policy;
    const cls = p.classes[tclass - 1]!;
    return {
      className: cls.name,
      classPerms: cls.allPerms,
      userName: (v) => p.users[v - 1]?.name ?? '(null)',
      roleName: (v) => p.roles[v - 1]?.name ?? '(null)',
      typeName: (v) => p.types[v - 1]?.name ?? '(null)',
    };
  }

  classValue(name: string): number | undefined {
    return this.policy.index.classValues.get(name);
  }

  permBit(tclass: number, perm: string): number | undefined {
    return this.classPermBits[tclass - 1]?.get(perm);
  }

  /** selinux.audit2why.analyze(scontext, tcontext, tclass, perms). */
  analyze(scontext: string, tcontext: string, tclassName: string, perms: readonly string[]): AccessAnalysis {
    const s = this.contexts.parse(scontext);
    if (!s) return { code: 'BADSCON', rc: AUDIT2WHY_CODES.BADSCON };
    const t = this.contexts.parse(tcontext);
    if (!t) return { code: 'BADTCON', rc: AUDIT2WHY_CODES.BADTCON };
    const tclass = this.classValue(tclassName);
    if (tclass === undefined) return { code: 'BADTCLASS', rc: AUDIT2WHY_CODES.BADTCLASS };
    let av = 0;
    for (const p of perms) {
      const bit = this.permBit(tclass, p);
      if (bit === undefined) return { code: 'BADPERM', rc: AUDIT2WHY_CODES.BADPERM };
      av |= bit;
    }
    av >>>= 0;
    const reasons: string[] = [];
    const d = this.computeAv(s, t, tclass, av, reasons);
    if (d.reason === 0) return { code: 'ALLOW', rc: AUDIT2WHY_CODES.ALLOW };
    if (d.reason & REASON.TE) {
      const booleans = this.booleansThatAllow(s, t, tclass, av);
      if (booleans.length === 0) {
        return (av & ~d.auditdeny) !== 0 ? { code: 'DONTAUDIT', rc: AUDIT2WHY_CODES.DONTAUDIT } : { code: 'TERULE', rc: AUDIT2WHY_CODES.TERULE };
      }
      return { code: 'BOOLEAN', rc: AUDIT2WHY_CODES.BOOLEAN, booleans };
    }
    if (d.reason & REASON.CONS) return { code: 'CONSTRAINT', rc: AUDIT2WHY_CODES.CONSTRAINT, constraint: reasons.join('') };
    if (d.reason & REASON.RBAC) return { code: 'RBAC', rc: AUDIT2WHY_CODES.RBAC };
    if (d.reason & REASON.BOUNDS) return { code: 'BOUNDS', rc: AUDIT2WHY_CODES.BOUNDS };
    return { code: 'BADCOMPUTE', rc: AUDIT2WHY_CODES.BADCOMPUTE };
  }

  /**
   * audit2why.c's check_booleans: flip one boolean at a time (in value order)
   * and keep those under which the whole request is allowed.
   */
  booleansThatAllow(s: DContext, t: DContext, tclass: number, av: number): [string, number][] {
    // Only booleans of conditionals whose rules can apply here (to the types
    // or, through bounds, to their parents) can change the answer.
    const candidates = new Set<number>();
    let st = s.type;
    let tt = t.type;
    for (let depth = 0; depth < 32 && st; depth++) {
      for (const b of this.condBools(st, tt, tclass)) candidates.add(b);
      const src = this.policy.types[st - 1]!;
      if (!src.bounds) break;
      st = src.bounds;
      tt = this.policy.types[tt - 1]!.bounds || tt;
    }
    const out: [string, number][] = [];
    for (const v of [...candidates].sort((a, b) => a - b)) {
      const before = this.boolValue(v);
      this.setBool(v, !before);
      const d = this.computeAv(s, t, tclass, av);
      this.setBool(v, before);
      if (d.reason === 0) out.push([this.policy.bools[v - 1]!.name, before ? 0 : 1]);
    }
    return out;
  }
}

const deciders = new WeakMap<Policy, AccessDecider>();

/** The policy's decider (built on first use, then shared). */
export function accessDecider(policy: Policy): AccessDecider {
  let d = deciders.get(policy);
  if (!d) deciders.set(policy, (d = new AccessDecider(policy)));
  return d;
}

/**
 * selinux.audit2why.analyze(scontext, tcontext, tclass, perms) from the policy
 * file alone: the same code and data (booleans; constraint text).
 */
export function analyzeAccess(policy: Policy, scontext: string, tcontext: string, tclass: string, perms: readonly string[]): AccessAnalysis {
  return accessDecider(policy).analyze(scontext, tcontext, tclass, perms);
}

/**
 * The TE decision for type values stype -> ttype of class value tclass at the
 * booleans' values in the file (allow, auditallow and dontaudit rules over
 * types and attributes, conditionals included). Constraints, RBAC and bounds
 * need whole contexts: see AccessDecider.computeAv. The returned object is
 * reused by the next call.
 */
export function computeAccess(policy: Policy, stype: number, ttype: number, tclass: number): TeDecision {
  return accessDecider(policy).te(stype, ttype, tclass);
}
