// Access decisions from the binary policy alone: libsepol's
// security_compute_av (context_struct_compute_av: TE rules over attributes and
// conditional rules at given boolean values (teLookup.ts), constraints and MLS
// constraints, the role allow check of process transitions, type bounds) and
// libselinux's selinux.audit2why.analyze() on top of it (audit2why.c: context,
// class and permission checks, then the reason, the booleans that would allow
// the access, and the text of the failed constraints).
import type { Policy } from '../model.js';
import { BoolValues } from './boolValues.js';
import { type CompiledConstraint, type ConstraintEnv, compileConstraints, constraintText, evalConstraint } from './constraint.js';
import { ContextTables, type DContext } from './decideContext.js';
import { type TeDecision, TeLookup } from './teLookup.js';

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

/** The answers that say the policy rejects the request itself (a context, the class, a permission). */
export type RejectedCode = 'BADSCON' | 'BADTCON' | 'BADTCLASS' | 'BADPERM';

/** selinux.audit2why.analyze()'s answer; a rejection also says exactly why (audit2why does not). */
export type AccessAnalysis =
  | { code: 'BOOLEAN'; rc: 3 /** [name, value that allows], in boolean value order */; booleans: [string, number][] }
  | { code: 'CONSTRAINT'; rc: 4 /** libsepol's reason buffer: one `...; Constraint DENIED\n` per failed constraint */; constraint: string }
  | { code: RejectedCode; rc: number /** e.g. `role r is not authorized for type t`, `permission x is not defined for class c` */; reason: string }
  | { code: Exclude<AccessCode, 'BOOLEAN' | 'CONSTRAINT' | RejectedCode>; rc: number };

export interface AvDecision extends TeDecision {
  /** REASON bits for the requested permissions. */
  reason: number;
}

export type { TeDecision };

const CACHE_BITS = 16;

/** booleansThatAllow's answer when no boolean does (most requests): shared, never changed. */
const NO_BOOLEANS: readonly [string, number][] = Object.freeze([]);

/**
 * Prepared state for access decisions over one policy (shared: accessDecider()). Decisions are
 * at the policy's own boolean values unless other values are passed (BoolValues.of / with);
 * nothing here changes after construction but what is filled in on first use: compiled
 * constraints and the decision cache, which holds decisions at the file's values only.
 */
export class AccessDecider {
  readonly contexts: ContextTables;
  readonly lookup: TeLookup;
  /** The boolean values in the policy file. */
  readonly fileBools: BoolValues;
  /** Per class value - 1, compiled on first use. */
  private readonly constraints: (CompiledConstraint[] | undefined)[] = [];
  private readonly env: ConstraintEnv;
  private readonly roleAllow = new Set<number>();
  private readonly processClass: number;
  private readonly processTransDyn: number;
  private readonly classPermBits: Map<string, number>[];
  // Direct-mapped cache of TE decisions at the file's boolean values by (source, target, class).
  private readonly cKey1 = new Int32Array(1 << CACHE_BITS).fill(-1);
  private readonly cKey2 = new Int32Array(1 << CACHE_BITS);
  private readonly cAllowed = new Uint32Array(1 << CACHE_BITS);
  private readonly cAuditallow = new Uint32Array(1 << CACHE_BITS);
  private readonly cAuditdeny = new Uint32Array(1 << CACHE_BITS);
  private readonly out: TeDecision = { allowed: 0, auditallow: 0, auditdeny: 0xffffffff };
  /** analyzeAv's scratch list of failed constraint texts (one call at a time). */
  private readonly reasons: string[] = [];
  /** booleansThatAllow's scratch list of boolean values (one call at a time). */
  private readonly candidates: number[] = [];

  constructor(readonly policy: Policy) {
    const index = policy.index;
    this.contexts = ContextTables.of(policy);
    this.lookup = TeLookup.of(policy).prepare();
    this.fileBools = BoolValues.ofFile(policy);
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

  // ------------------------------------------------------------ TE

  /**
   * The TE decision for types (values) stype -> ttype of class tclass at the file's boolean
   * values (cached): allow / auditallow / dontaudit rules keyed by the types or any of their
   * attributes. The result object is reused: copy it.
   */
  te(stype: number, ttype: number, tclass: number): TeDecision {
    const out = this.out;
    const key1 = (stype << 16) | ttype;
    let h = Math.imul(key1, 0x9e3779b1) ^ Math.imul(tclass, 0x85ebca77);
    h = (h ^ (h >>> 16)) >>> (32 - CACHE_BITS);
    if (this.cKey1[h] === key1 && this.cKey2[h] === tclass) {
      out.allowed = this.cAllowed[h]!;
      out.auditallow = this.cAuditallow[h]!;
      out.auditdeny = this.cAuditdeny[h]!;
      return out;
    }
    this.lookup.decide(stype, ttype, tclass, this.fileBools, out);
    this.cKey1[h] = key1;
    this.cKey2[h] = tclass;
    this.cAllowed[h] = out.allowed;
    this.cAuditallow[h] = out.auditallow;
    this.cAuditdeny[h] = out.auditdeny;
    return out;
  }

  /** The TE decision at other boolean values (not cached). The result object is reused: copy it. */
  teAt(stype: number, ttype: number, tclass: number, values: BoolValues): TeDecision {
    return values === this.fileBools ? this.te(stype, ttype, tclass) : this.lookup.decide(stype, ttype, tclass, values, this.out);
  }

  // ------------------------------------------------------------ full decision

  /**
   * context_struct_compute_av: TE, constraints, role allow for process
   * transitions, type bounds. `reasons` collects the text of every failed
   * constraint (libsepol's reason buffer) when given.
   * @internal
   */
  computeAv(s: DContext, t: DContext, tclass: number, requested: number, reasons?: string[], values: BoolValues = this.fileBools): AvDecision {
    const te = this.teAt(s.type, t.type, tclass, values);
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
      const lo = this.computeAv({ ...s, type: source.bounds }, target.bounds ? { ...t, type: target.bounds } : t, tclass, requested, undefined, values);
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
    const s = this.contexts.resolve(scontext);
    if (typeof s === 'string') return { code: 'BADSCON', rc: AUDIT2WHY_CODES.BADSCON, reason: s };
    const t = this.contexts.resolve(tcontext);
    if (typeof t === 'string') return { code: 'BADTCON', rc: AUDIT2WHY_CODES.BADTCON, reason: t };
    return this.analyzeResolved(s, t, tclassName, perms);
  }

  /** analyze() with both contexts resolved (ContextTables.resolve): the class and permission checks, then the decision. */
  analyzeResolved(s: DContext, t: DContext, tclassName: string, perms: readonly string[]): AccessAnalysis {
    const tclass = this.classValue(tclassName);
    if (tclass === undefined) return { code: 'BADTCLASS', rc: AUDIT2WHY_CODES.BADTCLASS, reason: `class ${tclassName} is not defined` };
    const av = this.permBits(tclass, perms);
    if (av === undefined) return this.badPerms(tclass, tclassName, perms);
    return this.analyzeAv(s, t, tclass, av);
  }

  /** The bits of `perms` in class value `tclass`; undefined when one is not defined for it. */
  permBits(tclass: number, perms: readonly string[]): number | undefined {
    const bits = this.classPermBits[tclass - 1];
    let av = 0;
    for (let i = 0; i < perms.length; i++) {
      const bit = bits?.get(perms[i]!);
      if (bit === undefined) return undefined;
      av |= bit;
    }
    return av >>> 0;
  }

  /** analyze()'s BADPERM answer: the permissions of `perms` that class `tclassName` (value `tclass`) does not define. */
  private badPerms(tclass: number, tclassName: string, perms: readonly string[]): AccessAnalysis {
    const missing = perms.filter((x) => this.permBit(tclass, x) === undefined);
    const reason = `${missing.length > 1 ? 'permissions' : 'permission'} ${missing.join(' ')} ${missing.length > 1 ? 'are' : 'is'} not defined for class ${tclassName}`;
    return { code: 'BADPERM', rc: AUDIT2WHY_CODES.BADPERM, reason };
  }

  /**
   * analyze() past its checks: valid contexts (ContextTables.resolve), a class value and the
   * requested permission bits (permBits). Callers that keep resolved contexts start here.
   */
  analyzeAv(s: DContext, t: DContext, tclass: number, av: number): AccessAnalysis {
    // Denied by the TE rules (most denials): the answer is about booleans and dontaudit rules
    // only, and constraints, RBAC and bounds (which only take permissions away) need not run.
    const te = this.te(s.type, t.type, tclass);
    if ((av & ~te.allowed) !== 0) {
      const auditdeny = te.auditdeny;
      const booleans = this.booleansThatAllow(s, t, tclass, av);
      if (booleans.length === 0) {
        return (av & ~auditdeny) !== 0 ? { code: 'DONTAUDIT', rc: AUDIT2WHY_CODES.DONTAUDIT } : { code: 'TERULE', rc: AUDIT2WHY_CODES.TERULE };
      }
      return { code: 'BOOLEAN', rc: AUDIT2WHY_CODES.BOOLEAN, booleans: [...booleans] };
    }
    const reasons = this.reasons;
    reasons.length = 0;
    const d = this.computeAv(s, t, tclass, av, reasons);
    if (d.reason === 0) return { code: 'ALLOW', rc: AUDIT2WHY_CODES.ALLOW };
    if (d.reason & REASON.CONS) return { code: 'CONSTRAINT', rc: AUDIT2WHY_CODES.CONSTRAINT, constraint: reasons.join('') };
    if (d.reason & REASON.RBAC) return { code: 'RBAC', rc: AUDIT2WHY_CODES.RBAC };
    if (d.reason & REASON.BOUNDS) return { code: 'BOUNDS', rc: AUDIT2WHY_CODES.BOUNDS };
    return { code: 'BADCOMPUTE', rc: AUDIT2WHY_CODES.BADCOMPUTE };
  }

  /**
   * audit2why.c's check_booleans: flip one boolean at a time (in value order)
   * and keep those under which the whole request is allowed.
   * @internal
   */
  booleansThatAllow(s: DContext, t: DContext, tclass: number, av: number, values: BoolValues = this.fileBools): readonly [string, number][] {
    // Only booleans of conditionals whose rules can apply here (to the types
    // or, through bounds, to their parents) can change the answer.
    const candidates = this.candidates;
    candidates.length = 0;
    let st = s.type;
    let tt = t.type;
    for (let depth = 0; depth < 32 && st; depth++) {
      this.lookup.condBools(st, tt, tclass, candidates);
      const src = this.policy.types[st - 1]!;
      if (!src.bounds) break;
      st = src.bounds;
      tt = this.policy.types[tt - 1]!.bounds || tt;
    }
    if (candidates.length === 0) return NO_BOOLEANS;
    let out: [string, number][] | undefined;
    candidates.sort((a, b) => a - b);
    for (const v of candidates) {
      const before = values.isOn(v);
      const flipped = values.with(v, !before);
      // The TE rules alone still deny (the common case): the rest can only take more away.
      if ((av & ~this.teAt(s.type, t.type, tclass, flipped).allowed) !== 0) continue;
      const d = this.computeAv(s, t, tclass, av, undefined, flipped);
      if (d.reason === 0) (out ??= []).push([this.policy.bools[v - 1]!.name, before ? 0 : 1]);
    }
    return out ?? NO_BOOLEANS;
  }
}

/** The policy's decider (built on first use, then shared: policy.index.access.decider). */
export function accessDecider(policy: Policy): AccessDecider {
  return (policy.index.access.decider ??= new AccessDecider(policy));
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
