// Security context strings -> context structures, and their validity, as
// libsepol's sepol_context_to_sid() decides it (context_from_string,
// context_from_record, mls_context_to_sid, context_is_valid,
// mls_context_isvalid), with exactly why a context is rejected (libsepol itself
// only says "invalid security context"). Used by the access decisions in
// decide.ts, the notes of `allow -p` and the contexts `policy transition` computes.
import { levelText, rangeText } from '../level.js';
import type { Context, Policy } from '../model.js';

/** An MLS level: sensitivity value and a dense bitmap of category values (bit = value - 1). */
export interface DLevel {
  sens: number;
  cats: Uint32Array;
}

/** A context structure: symbol values and the MLS range (sens 0 and no cats in a non-MLS policy). */
export interface DContext {
  user: number;
  role: number;
  type: number;
  low: DLevel;
  high: DLevel;
}

const OBJECT_R_VAL = 1;

export function levelEq(a: DLevel, b: DLevel): boolean {
  if (a.sens !== b.sens) return false;
  const n = a.cats.length;
  for (let i = 0; i < n; i++) if (a.cats[i] !== b.cats[i]) return false;
  return true;
}

/** mls_level_dom(a, b): a's sensitivity >= b's and a's categories contain b's. */
export function levelDom(a: DLevel, b: DLevel): boolean {
  if (a.sens < b.sens) return false;
  const n = a.cats.length;
  for (let i = 0; i < n; i++) if ((b.cats[i]! & ~a.cats[i]!) !== 0) return false;
  return true;
}

export function levelIncomp(a: DLevel, b: DLevel): boolean {
  return !levelDom(a, b) && !levelDom(b, a);
}

/** A model level as a DLevel of `words` words. */
function dlevel(words: number, sens: number, cats: readonly number[]): DLevel {
  const bits = new Uint32Array(words);
  for (const c of cats) if (c >= 1 && c <= words * 32) bits[(c - 1) >>> 5]! |= 1 << ((c - 1) & 31);
  return { sens, cats: bits };
}

/** The category values of a DLevel, ascending. */
function catsOf(l: DLevel): number[] {
  const out: number[] = [];
  for (let w = 0; w < l.cats.length; w++) for (let b = 0; b < 32; b++) if ((l.cats[w]! >>> b) & 1) out.push(w * 32 + b + 1);
  return out;
}

/**
 * The sets the context checks need, each built the first time a context asks for it (a command
 * that checks one context pays for one role, not for all of them); cached on the policy
 * (ContextTables.of); the names come from the policy's index.
 * @internal
 */
export class ContextTables {
  readonly catWords: number;
  private readonly roleBits: (Uint32Array | undefined)[] = [];
  private readonly userRoleSets: (Set<number> | undefined)[] = [];
  private readonly userRanges: ({ low: DLevel; high: DLevel } | undefined)[] = [];
  private readonly sensBits: (Uint32Array | undefined)[] = [];
  // Every distinct string is resolved once: logs repeat few contexts many times, and the answers
  // (and their levels, shared through mlsRanges) never change.
  private readonly resolved = new Map<string, Readonly<DContext> | string>();
  private readonly mlsRanges = new Map<string, [DLevel, DLevel] | string>();

  /** The policy's tables, built on first use. */
  static of(policy: Policy): ContextTables {
    return (policy.index.access.contexts ??= new ContextTables(policy));
  }

  constructor(readonly policy: Policy) {
    this.catWords = Math.max(1, (policy.categories.length + 31) >>> 5);
  }

  /** Bitmap (bit = value - 1) of the types role `role` is authorized for, attributes expanded. */
  roleTypes(role: number): Uint32Array {
    let bits = this.roleBits[role - 1];
    if (!bits) {
      const p = this.policy;
      bits = new Uint32Array((p.types.length + 31) >>> 5);
      for (const v of p.roles[role - 1]?.types ?? []) {
        const t = p.types[v - 1];
        for (const m of t?.isAttribute ? t.attrs : [v]) bits[(m - 1) >>> 5]! |= 1 << ((m - 1) & 31);
      }
      this.roleBits[role - 1] = bits;
    }
    return bits;
  }

  private userRoles(user: number): Set<number> {
    return (this.userRoleSets[user - 1] ??= new Set(this.policy.users[user - 1]?.roles ?? []));
  }

  private userRange(user: number): { low: DLevel; high: DLevel } {
    const u = this.policy.users[user - 1];
    return (this.userRanges[user - 1] ??= { low: this.level(u?.range.low.sens ?? 0, u?.range.low.cats ?? []), high: this.level(u?.range.high.sens ?? 0, u?.range.high.cats ?? []) });
  }

  /** The categories allowed with sensitivity `sens`. */
  private sensCats(sens: number): Uint32Array {
    return (this.sensBits[sens - 1] ??= this.level(0, this.policy.sensitivities[sens - 1]?.level.cats ?? []).cats);
  }

  level(sens: number, cats: readonly number[]): DLevel {
    return dlevel(this.catWords, sens, cats);
  }

  emptyLevel(): DLevel {
    return { sens: 0, cats: new Uint32Array(this.catWords) };
  }

  /** A context of the model (values; categories as lists) as a context structure. */
  fromModel(c: Context): DContext {
    return { user: c.user, role: c.role, type: c.type, low: this.level(c.range.low.sens, c.range.low.cats), high: this.level(c.range.high.sens, c.range.high.cats) };
  }

  /** sepol_context_to_sid: the context structure, or undefined when libsepol rejects the string. */
  parse(text: string): Readonly<DContext> | undefined {
    const c = this.resolve(text);
    return typeof c === 'string' ? undefined : c;
  }

  /**
   * sepol_context_to_sid (sepol_context_from_string, context_from_record, mls_from_string,
   * context_is_valid): the context structure, or exactly why libsepol rejects the string, its
   * checks in its order. The answer is shared by every caller asking for the same string: do not
   * change it.
   */
  resolve(text: string): Readonly<DContext> | string {
    let r = this.resolved.get(text);
    if (r === undefined) {
      r = this.resolveOnce(text);
      this.resolved.set(text, r);
    }
    return r;
  }

  private resolveOnce(text: string): DContext | string {
    // sepol_context_from_string: user:role:type[:mls]
    const a = text.indexOf(':');
    const b = a < 0 ? -1 : text.indexOf(':', a + 1);
    if (b < 0) return `malformed context "${text}"`;
    const c = text.indexOf(':', b + 1);
    const userName = text.slice(0, a);
    const roleName = text.slice(a + 1, b);
    const typeName = c < 0 ? text.slice(b + 1) : text.slice(b + 1, c);
    const mls = c < 0 ? undefined : text.slice(c + 1);
    const p = this.policy;
    const index = p.index;
    const user = index.userValues.get(userName);
    if (user === undefined) return `user ${userName} is not defined`;
    const role = index.roleValues.get(roleName);
    if (role === undefined) return `role ${roleName} is not defined`;
    const type = index.typeValues.get(typeName);
    if (type === undefined) return `type ${typeName} is not defined`;
    if (p.types[type - 1]!.isAttribute) return `type ${typeName} is not defined (it is an attribute)`;
    if (mls !== undefined && !p.mls) return `MLS is disabled, but MLS context "${mls}" found`;
    if (mls === undefined && p.mls) return 'MLS is enabled, but no MLS context found';
    let low: DLevel;
    let high: DLevel;
    if (mls !== undefined) {
      let r = this.mlsRanges.get(mls);
      if (r === undefined) this.mlsRanges.set(mls, (r = this.parseMls(mls)));
      if (typeof r === 'string') return `invalid MLS context ${mls}: ${r}`;
      [low, high] = r;
    } else {
      low = this.emptyLevel();
      high = low;
    }
    const ctx: DContext = { user, role, type, low, high };
    return this.invalidReason(ctx) ?? ctx;
  }

  /** mls_context_to_sid over the MLS part: the range, or what is wrong with it. */
  private parseMls(s: string): [DLevel, DLevel] | string {
    const levels: DLevel[] = [];
    const { sensValues, catValues } = this.policy.index;
    let p = 0;
    const n = s.length;
    // Low sensitivity.
    let start = p;
    while (p < n && s[p] !== ':' && s[p] !== '-') p++;
    let delim = p < n ? s[p]! : '';
    let word = s.slice(start, p);
    if (delim !== '') p++;
    let l = 0;
    for (; l < 2; l++) {
      const sens = sensValues.get(word);
      if (sens === undefined) return `sensitivity ${word} is not defined`;
      const lev = this.emptyLevel();
      lev.sens = sens;
      levels.push(lev);
      if (delim === ':') {
        for (;;) {
          start = p;
          while (p < n && s[p] !== ',' && s[p] !== '-') p++;
          delim = p < n ? s[p]! : '';
          let cat = s.slice(start, p);
          if (delim !== '') p++;
          let rng: string | undefined;
          const dot = cat.indexOf('.');
          if (dot >= 0) {
            rng = cat.slice(dot + 1);
            cat = cat.slice(0, dot);
          }
          const cv = catValues.get(cat);
          if (cv === undefined) return `category ${cat} is not defined`;
          lev.cats[(cv - 1) >>> 5]! |= 1 << ((cv - 1) & 31);
          if (rng !== undefined) {
            const rv = catValues.get(rng);
            if (rv === undefined) return `category ${rng} is not defined`;
            if (cv >= rv) return `category range ${cat}.${rng} does not go upwards`;
            for (let i = cv; i < rv; i++) lev.cats[i >>> 5]! |= 1 << (i & 31);
          }
          if (delim !== ',') break;
        }
      }
      if (delim === '-') {
        start = p;
        while (p < n && s[p] !== ':') p++;
        delim = p < n ? s[p]! : '';
        word = s.slice(start, p);
        if (delim !== '') p++;
      } else break;
    }
    if (l === 0) return [levels[0]!, { sens: levels[0]!.sens, cats: levels[0]!.cats.slice() }];
    return [levels[0]!, levels[1]!];
  }

  /** context_is_valid. */
  isValid(c: DContext): boolean {
    return this.invalidReason(c) === undefined;
  }

  /** Why context_is_valid (with mls_context_isvalid) rejects the context, in its order; undefined when valid. */
  invalidReason(c: DContext): string | undefined {
    const p = this.policy;
    if (c.role < 1 || c.role > p.roles.length) return `role value ${c.role} is not defined`;
    if (c.user < 1 || c.user > p.users.length) return `user value ${c.user} is not defined`;
    if (c.type < 1 || c.type > p.types.length) return `type value ${c.type} is not defined`;
    if (c.role !== OBJECT_R_VAL) {
      const rt = this.roleTypes(c.role);
      if ((rt[(c.type - 1) >>> 5]! & (1 << ((c.type - 1) & 31))) === 0) return `role ${p.roles[c.role - 1]?.name} is not authorized for type ${p.types[c.type - 1]?.name}`;
      if (!this.userRoles(c.user).has(c.role)) return `user ${p.users[c.user - 1]?.name} is not authorized for role ${p.roles[c.role - 1]?.name}`;
    }
    if (!p.mls) return undefined;
    // mls_context_isvalid
    if (!levelDom(c.high, c.low)) return `invalid range ${this.rangeText(c.low, c.high)} (the high level does not dominate the low level)`;
    for (const lev of [c.low, c.high]) {
      if (lev.sens < 1 || lev.sens > p.sensitivities.length) return `invalid level ${this.levelText(lev)} (sensitivity value ${lev.sens} is not defined)`;
      const allowed = this.sensCats(lev.sens);
      for (let i = 0; i < lev.cats.length; i++) {
        const extra = lev.cats[i]! & ~(allowed[i] ?? 0);
        if (extra !== 0) {
          const cat = i * 32 + 31 - Math.clz32(extra & -extra) + 1;
          return `invalid level ${this.levelText(lev)} (category ${p.categories[cat - 1]?.name ?? `value ${cat}`} is not associated with sensitivity ${p.sensitivities[lev.sens - 1]?.name})`;
        }
      }
    }
    if (c.role === OBJECT_R_VAL) return undefined;
    const ur = this.userRange(c.user);
    if (levelDom(c.low, ur.low) && levelDom(ur.high, c.high)) return undefined;
    const what = levelEq(c.low, c.high) ? 'level' : 'range';
    return `${what} ${this.rangeText(c.low, c.high)} is not valid for user ${p.users[c.user - 1]?.name} (its range is ${this.rangeText(ur.low, ur.high)})`;
  }

  /** A level as libsepol writes it in a context. */
  levelText(l: DLevel): string {
    return levelText(this.policy, { sens: l.sens, cats: catsOf(l) });
  }

  rangeText(low: DLevel, high: DLevel): string {
    return rangeText(this.policy, { low: { sens: low.sens, cats: catsOf(low) }, high: { sens: high.sens, cats: catsOf(high) } });
  }
}

/** Why the kernel would reject a context of the model (context_is_valid), in libsepol's order; undefined when valid. */
export function contextInvalidReason(policy: Policy, c: Context): string | undefined {
  const tables = ContextTables.of(policy);
  return tables.invalidReason(tables.fromModel(c));
}
