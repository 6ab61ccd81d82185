// Lookup structures over a Policy, built on first use (policy.index): name -> value maps, each
// type's rule keys (itself and its attributes), the avtab keyed by (source, target, class) as one
// number and by one column, filename transitions by key, and the access engine's prepared state.
// Everything that lives as long as the policy lives here (no module-level WeakMaps), built once and
// never changed afterwards: a shared policy can be queried from anywhere.

import type { BoolValues } from './access/boolValues.js';
import type { AccessDecider } from './access/decide.js';
import type { ContextTables } from './access/decideContext.js';
import type { TeLookup } from './access/teLookup.js';
import type { AvTab } from './binary/avtab.js';
import { sortedHas } from './binary/ebitmap.js';
import { arenaIndexBytes, indexCapacity } from './binary/kernel/readerKernel.js';
import type { FilenameTransition, Policy, TypeDef } from './model.js';
import type { TypeAttrMap } from './typeAttrMap.js';

/** One number for an avtab key: source and target type values and class value, 16 bits each. */
export function avtabKey(source: number, target: number, tclass: number): number {
  return source * 0x100000000 + target * 0x10000 + tclass;
}

/**
 * The entries of an AvTab grouped by key, in an open-addressing hash table of
 * typed arrays (a Map with 100k+ non-Smi number keys costs ~10x more to
 * build): `slots` holds the first entry of each key; after(i) is the following
 * entry with the same key, -1 at the end. Chains list entries in file order.
 * When a key's entries are consecutive in the file, as libsepol writes them,
 * the chain is just the next entries and no `next` table is built (fresh
 * memory is what costs most in a new process).
 */
export class AvTabIndex {
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** next[i]: the following entry with entry i's key, -1 at the end; undefined when keys are grouped. */
  private readonly next: Int32Array | undefined;
  /** Number of distinct keys. */
  readonly size: number;

  constructor(readonly tab: AvTab) {
    const n = tab.count;
    const cap = indexCapacity(n);
    this.mask = cap - 1;
    const arena = tab.arena;
    const at = arena ? arena.take(arenaIndexBytes(n)) : -1;
    if (arena && at >= 0) {
      this.slots = new Int32Array(arena.buffer, at, cap);
      const [src, tgt, cls] = tab.arenaColumns as [number, number, number];
      let size = arena.kernel.buildIndex(src, tgt, cls, n, at, this.mask, -1);
      if (arena.kernel.scattered.value !== 0) {
        this.next = new Int32Array(arena.buffer, at + 4 * cap, n);
        size = arena.kernel.buildIndex(src, tgt, cls, n, at, this.mask, at + 4 * cap);
      }
      this.size = size;
      return;
    }
    const slots = (this.slots = new Int32Array(cap).fill(-1));
    const next = (this.next = new Int32Array(n));
    const { src, tgt, cls } = tab;
    const mask = this.mask;
    let size = 0;
    // Backwards, each entry pushed at the head of its key's chain: the chains
    // come out in file order without a tail table.
    for (let i = n - 1; i >= 0; i--) {
      const s = src[i]!;
      const t = tgt[i]!;
      const c = cls[i]!;
      let h = hash(s, t, c) & mask;
      for (;;) {
        const e = slots[h]!;
        if (e < 0) {
          slots[h] = i;
          next[i] = -1;
          size++;
          break;
        }
        if (src[e] === s && tgt[e] === t && cls[e] === c) {
          slots[h] = i;
          next[i] = e;
          break;
        }
        h = (h + 1) & mask;
      }
    }
    this.size = size;
  }

  /** The entry after `i` with the same key, or -1. */
  after(i: number): number {
    if (this.next) return this.next[i]!;
    const { src, tgt, cls, count } = this.tab;
    const j = i + 1;
    return j < count && src[j] === src[i] && tgt[j] === tgt[i] && cls[j] === cls[i] ? j : -1;
  }

  /** First entry with this key, or -1. */
  first(source: number, target: number, tclass: number): number {
    const { src, tgt, cls } = this.tab;
    const slots = this.slots;
    let h = hash(source, target, tclass) & this.mask;
    for (;;) {
      const e = slots[h]!;
      if (e < 0) return -1;
      if (src[e] === source && tgt[e] === target && cls[e] === tclass) return e;
      h = (h + 1) & this.mask;
    }
  }

  /** Entry indexes with this key (any kind), in file order. */
  lookup(source: number, target: number, tclass: number): number[] {
    const out: number[] = [];
    for (let i = this.first(source, target, tclass); i >= 0; i = this.after(i)) out.push(i);
    return out;
  }

  /** The entry of one kind (an AVTAB.* bit) with this key, or -1. */
  find(source: number, target: number, tclass: number, kind: number): number {
    for (let i = this.first(source, target, tclass); i >= 0; i = this.after(i)) if (this.tab.spec[i] === kind) return i;
    return -1;
  }
}

/** Does every type's map hold the type, and every attribute's map the attribute alone? */
function mapIsKeys(map: TypeAttrMap, types: readonly TypeDef[]): boolean {
  const { ends, values } = map;
  for (let i = 0; i < types.length; i++) {
    const from = ends[i]!;
    const to = ends[i + 1]!;
    const self = i + 1;
    if (types[i]!.isAttribute ? to - from !== 1 || values[from] !== self : !sortedHas(values, self, from, to)) return false;
  }
  return true;
}

/** Entries of an AvTab grouped by one column (source or target type): entries of value v are items[start[v] .. start[v + 1]). */
export interface AvTabColumn {
  start: Int32Array;
  items: Int32Array;
}

function buildColumn(col: Uint16Array, count: number, ntypes: number): AvTabColumn {
  const start = new Int32Array(ntypes + 2);
  for (let i = 0; i < count; i++) start[col[i]! + 1]!++;
  for (let v = 1; v < start.length; v++) start[v]! += start[v - 1]!;
  const pos = start.slice();
  const items = new Int32Array(count);
  for (let i = 0; i < count; i++) items[pos[col[i]!]!++] = i;
  return { start, items };
}

/**
 * The access engine's state over one policy, built by access/ on first use and then shared: the
 * TE rule lookup, the context checks, the decider (whose decision cache is for the file's
 * boolean values only) and the file's boolean values. Read-only once set.
 */
export interface AccessCaches {
  teLookup?: TeLookup;
  contexts?: ContextTables;
  decider?: AccessDecider;
  fileBools?: BoolValues;
  /** By boolean value: the CondNode indexes whose expressions use it. */
  condsOfBool?: number[][];
}

function hash(s: number, t: number, c: number): number {
  let h = Math.imul(s, 0x9e3779b1) ^ Math.imul(t, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}

export class PolicyIndex {
  private _types?: Map<string, number>;
  private _classes?: Map<string, number>;
  private _roles?: Map<string, number>;
  private _users?: Map<string, number>;
  private _bools?: Map<string, number>;
  private _keys?: { start: Int32Array; list: Int32Array };
  private _avtab?: AvTabIndex;
  private _condAvtab?: AvTabIndex;
  private _condOf?: Int32Array;
  private _sens?: Map<string, number>;
  private _cats?: Map<string, number>;
  private _definedPerms?: Int32Array;
  private _columns?: (AvTabColumn | undefined)[];
  private _filenames?: Map<string, FilenameTransition[]>;
  /** The access engine's prepared state (see AccessCaches). @internal */
  readonly access: AccessCaches = {};

  constructor(readonly policy: Policy) {}

  /** Type and attribute names (aliases included) -> value. */
  get typeValues(): Map<string, number> {
    if (!this._types) {
      const m = new Map<string, number>();
      // Indexed loops: this runs once, before the JIT has warmed up, where for-of allocates.
      const types = this.policy.types;
      for (let i = 0; i < types.length; i++) {
        const t = types[i]!;
        m.set(t.name, t.value);
        for (let j = 0; j < t.aliases.length; j++) m.set(t.aliases[j]!, t.value);
      }
      this._types = m;
    }
    return this._types;
  }

  get classValues(): Map<string, number> {
    return (this._classes ??= new Map(this.policy.classes.filter(Boolean).map((c) => [c.name, c.value])));
  }
  get roleValues(): Map<string, number> {
    return (this._roles ??= new Map(this.policy.roles.filter(Boolean).map((r) => [r.name, r.value])));
  }
  get userValues(): Map<string, number> {
    return (this._users ??= new Map(this.policy.users.filter(Boolean).map((u) => [u.name, u.value])));
  }
  get boolValues(): Map<string, number> {
    return (this._bools ??= new Map(this.policy.bools.filter(Boolean).map((b) => [b.name, b.value])));
  }

  /** Sensitivity names, aliases included -> sensitivity value. */
  get sensValues(): Map<string, number> {
    if (!this._sens) {
      const m = new Map<string, number>();
      for (const s of this.policy.sensitivities) if (s) for (const name of [s.name, ...s.aliases]) m.set(name, s.value);
      this._sens = m;
    }
    return this._sens;
  }

  /** Category names, aliases included -> category value. */
  get catValues(): Map<string, number> {
    if (!this._cats) {
      const m = new Map<string, number>();
      for (const c of this.policy.categories) if (c) for (const name of [c.name, ...c.aliases]) m.set(name, c.value);
      this._cats = m;
    }
    return this._cats;
  }

  /** By class value: the bits of the permissions the class defines (its own and its common's). */
  get definedPerms(): Int32Array {
    if (!this._definedPerms) {
      const d = new Int32Array(this.policy.classes.length + 1);
      for (const c of this.policy.classes) {
        if (!c) continue;
        let m = 0;
        c.allPerms.forEach((n, i) => {
          if (n !== undefined && i < 32) m |= 1 << i;
        });
        d[c.value] = m;
      }
      this._definedPerms = d;
    }
    return this._definedPerms;
  }

  /** The entries of the unconditional (cond false) or conditional avtab grouped by source or target type value. @internal */
  column(cond: boolean, which: 'src' | 'tgt'): AvTabColumn {
    const cols = (this._columns ??= []);
    const k = (cond ? 2 : 0) + (which === 'src' ? 0 : 1);
    const tab = cond ? this.policy.condAvtab : this.policy.avtab;
    return (cols[k] ??= buildColumn(which === 'src' ? tab.src : tab.tgt, tab.count, this.policy.types.length));
  }

  /** The filename transitions of (target type, class, object name), in file order. */
  filenameTransitions(ttype: number, tclass: number, name: string): readonly FilenameTransition[] {
    if (!this._filenames) {
      const m = new Map<string, FilenameTransition[]>();
      for (const ft of this.policy.filenameTransitions) {
        const k = `${ft.ttype}:${ft.tclass}:${ft.name}`;
        const l = m.get(k);
        if (l) l.push(ft);
        else m.set(k, [ft]);
      }
      this._filenames = m;
    }
    return this._filenames.get(`${ttype}:${tclass}:${name}`) ?? [];
  }

  typeName(value: number): string | undefined {
    return this.policy.types[value - 1]?.name;
  }
  className(value: number): string | undefined {
    return this.policy.classes[value - 1]?.name;
  }

  /**
   * The keys under which rules can apply to type `value`: the type itself and
   * its attributes, ascending (an attribute's list is just itself). Lists, not
   * a dense type x type bitmap: the Debian policy's would be 2 MB of fresh
   * memory, and touching fresh pages is what costs most in a new process.
   */
  keysOf(value: number): Int32Array {
    const { start, list } = (this._keys ??= this.buildKeys());
    return list.subarray(start[value - 1]!, start[value]!);
  }

  /** keysOf(value) for every type at once: type `value`'s keys are list[start[value - 1]] up to list[start[value]] (no view made per call). */
  keyLists(): { readonly start: Int32Array; readonly list: Int32Array } {
    return (this._keys ??= this.buildKeys());
  }

  private buildKeys(): { start: Int32Array; list: Int32Array } {
    const types = this.policy.types;
    const map = this.policy.typeAttrMap;
    const n = types.length;
    // libsepol writes each type's map with the type itself in it, and an attribute's map as the
    // attribute alone: then the map is the key lists already.
    if (map && map.size === n && mapIsKeys(map, types)) return { start: map.ends, list: map.values };
    // From the file's map when there is one (a type's map already holds its attributes and,
    // normally, itself): no per-type attribute list is decoded for the index.
    let total = n;
    for (let i = 0; i < n; i++) if (!types[i]!.isAttribute) total += map ? map.ends[i + 1]! - map.ends[i]! : types[i]!.attrs.length;
    const start = new Int32Array(n + 1);
    const list = new Int32Array(total);
    let k = 0;
    for (let i = 0; i < n; i++) {
      start[i] = k;
      const self = i + 1;
      if (types[i]!.isAttribute) {
        list[k++] = self;
        continue;
      }
      // Ascending, `self` merged in once.
      const a: ArrayLike<number> = map ? map.values : types[i]!.attrs;
      let j = map ? map.ends[i]! : 0;
      const end = map ? map.ends[i + 1]! : a.length;
      while (j < end && a[j]! < self) list[k++] = a[j++]!;
      list[k++] = self;
      if (j < end && a[j] === self) j++;
      while (j < end) list[k++] = a[j++]!;
    }
    start[n] = k;
    return { start, list };
  }

  /** Does type or attribute `set` stand for type `type`? */
  covers(set: number, type: number): boolean {
    if (set === type) return true;
    const s = this.policy.types[set - 1];
    if (!s?.isAttribute) return false;
    const t = this.policy.types[type - 1];
    if (!t || t.isAttribute) return false;
    return sortedHas(t.attrs, set);
  }

  /** The unconditional avtab keyed by (source, target, class). */
  get avtab(): AvTabIndex {
    return (this._avtab ??= new AvTabIndex(this.policy.avtab));
  }

  /** The conditional avtab keyed by (source, target, class). */
  get condAvtab(): AvTabIndex {
    return (this._condAvtab ??= new AvTabIndex(this.policy.condAvtab));
  }

  /** For each conditional avtab entry, the index of its CondNode (true list) or ~index (false list). */
  get condOf(): Int32Array {
    if (!this._condOf) {
      const out = new Int32Array(this.policy.condAvtab.count);
      this.policy.conds.forEach((c, k) => {
        out.fill(k, c.trueStart, c.trueEnd);
        out.fill(~k, c.falseStart, c.falseEnd);
      });
      this._condOf = out;
    }
    return this._condOf;
  }

  /** Builds every index now (for timing, or before sharing the policy). */
  buildAll(): this {
    void this.typeValues;
    void this.classValues;
    void this.roleValues;
    void this.userValues;
    void this.boolValues;
    this._keys ??= this.buildKeys();
    void this.avtab;
    void this.condAvtab;
    void this.condOf;
    return this;
  }
}
