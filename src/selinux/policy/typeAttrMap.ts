// The type attribute map as the file has it (for each type or attribute value,
// the values whose rules apply to it: its attributes and itself), kept as one
// list and decoded into per-type arrays only when asked for. The index's rule
// keys come straight from it; TypeDecl.attrs (a type's attributes, an
// attribute's members) is built on first use: most commands read a few.
import type { TypeDef } from './model.js';

export class TypeAttrMap {
  #members: { ends: Int32Array; list: Int32Array } | undefined;

  /**
   * `ends[v]` is where the map of value v ends in `values` (ends[0] = 0); a map's
   * values are ascending.
   */
  constructor(
    readonly ends: Int32Array,
    readonly values: Int32Array,
  ) {}

  get size(): number {
    return this.ends.length - 1;
  }

  /** The attributes of type `value` (its map without itself). */
  attrsOf(value: number): number[] {
    const from = this.ends[value - 1]!;
    const to = this.ends[value]!;
    const out: number[] = [];
    for (let i = from; i < to; i++) if (this.values[i] !== value) out.push(this.values[i]!);
    return out;
  }

  /** The values whose maps hold `value`, itself excluded, ascending: an attribute's members. */
  membersOf(value: number): number[] {
    const { ends, list } = (this.#members ??= this.transpose());
    return Array.from(list.subarray(ends[value - 1]!, ends[value]!));
  }

  private transpose(): { ends: Int32Array; list: Int32Array } {
    const n = this.size;
    const { ends: from, values } = this;
    const ends = new Int32Array(n + 1);
    for (let t = 1; t <= n; t++) for (let i = from[t - 1]!; i < from[t]!; i++) if (values[i] !== t) ends[values[i]!]!++;
    for (let v = 1; v <= n; v++) ends[v]! += ends[v - 1]!;
    const list = new Int32Array(ends[n]!);
    const fill = ends.slice(0, n);
    for (let t = 1; t <= n; t++) {
      for (let i = from[t - 1]!; i < from[t]!; i++) {
        const v = values[i]!;
        if (v !== t) list[fill[v - 1]!++] = t;
      }
    }
    return { ends, list };
  }
}

/** Where the TypeDecls of one policy find the map (read last, after the declarations). */
export interface TypeAttrSource {
  map?: TypeAttrMap;
}

/**
 * A type or attribute of a policy read from a file: TypeDef with `attrs` decoded on first use.
 * Fields are assigned in the constructor, not declared with initializers: 4,000+ of these are
 * built before the JIT has warmed up, and field initializers cost a call per object there.
 */
export class TypeDecl implements TypeDef {
  declare name: string;
  declare value: number;
  declare isAttribute: boolean;
  declare aliases: string[];
  declare bounds: number;
  declare permissive: boolean;
  declare neveraudit: boolean;
  /** The attributes once decoded, or where to decode them from. */
  declare private held: number[] | TypeAttrSource;

  constructor(name: string, value: number, isAttribute: boolean, aliases: string[], bounds: number, source: TypeAttrSource) {
    this.name = name;
    this.value = value;
    this.isAttribute = isAttribute;
    this.aliases = aliases;
    this.bounds = bounds;
    this.permissive = false;
    this.neveraudit = false;
    this.held = source;
  }

  /** For a type: the attributes (values) it has. For an attribute: its member types (values). */
  get attrs(): number[] {
    const h = this.held;
    if (Array.isArray(h)) return h;
    const map = h.map;
    if (!map) return [];
    return (this.held = this.isAttribute ? map.membersOf(this.value) : map.attrsOf(this.value));
  }

  set attrs(v: number[]) {
    this.held = v;
  }

  toJSON(): TypeDef {
    const { name, value, isAttribute, aliases, bounds, permissive, neveraudit, attrs } = this;
    return { name, value, isAttribute, aliases, bounds, permissive, neveraudit, attrs };
  }
}
