// Security context strings -> context structures, and their validity, as
// libsepol's sepol_context_to_sid() decides it (context_from_string,
// context_from_record, mls_context_to_sid, context_is_valid,
// mls_context_isvalid). Used by the access decisions in decide.ts.
import type { Policy } from '../model.js';

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

/** Name tables and expanded sets the context checks need; built once per policy. */
export class ContextTables {
  readonly users = new Map<string, number>();
  readonly roles = new Map<string, number>();
  /** Types and aliases (attributes excluded: they are not valid in a context). */
  readonly types = new Map<string, number>();
  readonly sens = new Map<string, number>();
  readonly cats = new Map<string, number>();
  readonly catWords: number;
  /** Per role value - 1: bitmap of the types it is authorized for (attributes expanded). */
  readonly roleTypes: Uint32Array[];
  /** Per user value - 1: set of role values. */
  readonly userRoles: Set<number>[];
  readonly userRange: { low: DLevel; high: DLevel }[];
  /** Per sensitivity value - 1: the categories allowed with it. */
  readonly sensCats: Uint32Array[];

  constructor(readonly policy: Policy) {
    for (const u of policy.users) if (u) this.users.set(u.name, u.value);
    for (const r of policy.roles) if (r) this.roles.set(r.name, r.value);
    for (const t of policy.types) {
      if (t.isAttribute) continue;
      this.types.set(t.name, t.value);
      for (const a of t.aliases) this.types.set(a, t.value);
    }
    for (const s of policy.sensitivities) {
      if (!s) continue;
      this.sens.set(s.name, s.value);
      for (const a of s.aliases) this.sens.set(a, s.value);
    }
    for (const c of policy.categories) {
      if (!c) continue;
      this.cats.set(c.name, c.value);
      for (const a of c.aliases) this.cats.set(a, c.value);
    }
    this.catWords = Math.max(1, (policy.categories.length + 31) >>> 5);
    const tw = (policy.types.length + 31) >>> 5;
    this.roleTypes = policy.roles.map((r) => {
      const bits = new Uint32Array(tw);
      for (const v of r?.types ?? []) {
        const t = policy.types[v - 1];
        const members = t?.isAttribute ? t.attrs : [v];
        for (const m of members) bits[(m - 1) >>> 5]! |= 1 << ((m - 1) & 31);
      }
      return bits;
    });
    this.userRoles = policy.users.map((u) => new Set(u?.roles ?? []));
    this.userRange = policy.users.map((u) => ({ low: this.level(u?.range.low.sens ?? 0, u?.range.low.cats ?? []), high: this.level(u?.range.high.sens ?? 0, u?.range.high.cats ?? []) }));
    this.sensCats = policy.sensitivities.map((s) => this.level(0, s?.level.cats ?? []).cats);
  }

  level(sens: number, cats: readonly number[]): DLevel {
    const bits = new Uint32Array(this.catWords);
    for (const c of cats) if (c >= 1 && c <= this.catWords * 32) bits[(c - 1) >>> 5]! |= 1 << ((c - 1) & 31);
    return { sens, cats: bits };
  }

  emptyLevel(): DLevel {
    return { sens: 0, cats: new Uint32Array(this.catWords) };
  }

  /** sepol_context_to_sid: the context structure, or undefined when libsepol rejects the string. */
  parse(text: string): DContext | undefined {
    // sepol_context_from_string: user:role:type[:mls]
    const a = text.indexOf(':');
    if (a < 0) return undefined;
    const b = text.indexOf(':', a + 1);
    if (b < 0) return undefined;
    const c = text.indexOf(':', b + 1);
    const userName = text.slice(0, a);
    const roleName = text.slice(a + 1, b);
    const typeName = c < 0 ? text.slice(b + 1) : text.slice(b + 1, c);
    const mls = c < 0 ? undefined : text.slice(c + 1);
    const user = this.users.get(userName);
    if (user === undefined) return undefined;
    const role = this.roles.get(roleName);
    if (role === undefined) return undefined;
    const type = this.types.get(typeName);
    if (type === undefined) return undefined;
    const p = this.policy;
    if ((mls !== undefined) !== p.mls) return undefined;
    let low: DLevel;
    let high: DLevel;
    if (mls !== undefined) {
      const r = this.parseMls(mls);
      if (!r) return undefined;
      [low, high] = r;
    } else {
      low = this.emptyLevel();
      high = low;
    }
    const ctx: DContext = { user, role, type, low, high };
    return this.isValid(ctx) ? ctx : undefined;
  }

  /** mls_context_to_sid over the MLS part. */
  private parseMls(s: string): [DLevel, DLevel] | undefined {
    const levels: DLevel[] = [];
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
      const sens = this.sens.get(word);
      if (sens === undefined) return undefined;
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
          const cv = this.cats.get(cat);
          if (cv === undefined) return undefined;
          lev.cats[(cv - 1) >>> 5]! |= 1 << ((cv - 1) & 31);
          if (rng !== undefined) {
            const rv = this.cats.get(rng);
            if (rv === undefined) return undefined;
            if (cv >= rv) return undefined;
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
    const p = this.policy;
    if (c.role < 1 || c.role > p.roles.length || c.user < 1 || c.user > p.users.length || c.type < 1 || c.type > p.types.length) return false;
    if (c.role !== OBJECT_R_VAL) {
      const rt = this.roleTypes[c.role - 1]!;
      if ((rt[(c.type - 1) >>> 5]! & (1 << ((c.type - 1) & 31))) === 0) return false;
      if (!this.userRoles[c.user - 1]!.has(c.role)) return false;
    }
    if (!p.mls) return true;
    // mls_context_isvalid
    if (!levelDom(c.high, c.low)) return false;
    for (const lev of [c.low, c.high]) {
      if (lev.sens < 1 || lev.sens > p.sensitivities.length) return false;
      const allowed = this.sensCats[lev.sens - 1]!;
      for (let i = 0; i < lev.cats.length; i++) if ((lev.cats[i]! & ~(allowed[i] ?? 0)) !== 0) return false;
    }
    if (c.role === OBJECT_R_VAL) return true;
    const ur = this.userRange[c.user - 1]!;
    return levelDom(c.low, ur.low) && levelDom(ur.high, c.high);
  }
}
