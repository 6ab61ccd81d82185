// A class's constraints and validatetrans rules (read_cons_helper of
// libsepol), and the class objects that hold them. Checked as they are read
// but decoded when first used: the WebAssembly kernel checks a class's
// constraints and they are kept as bytes; the `names` sets (the Debian policy's
// name some 55,000 types, which only access decisions and listings read) are
// kept as bytes too. What the kernel declines (not whole in the window, or
// wrong) is read here in JavaScript, which then names what is wrong.

import type { ClassDef, Constraint, ConstraintExpr, TypeSet } from '../model.js';
import { type ConstraintNameTops, checkConstraintEnd, constraintNode, namesKind } from './checks.js';
import { CEXPR, EARLY_BITS, ITEMS } from './constants.js';
import { Cursor } from './cursor.js';
import { checkEbitmap, lastEbitmapTop, readEbitmap } from './ebitmap.js';
import { KERNEL_WINDOW } from './kernel/readerKernel.js';
import type { Reader } from './read.js';

/**
 * `n` constraints (validatetrans: `vt`): checked now by the kernel and kept as bytes, decoded
 * when first used; read now (readConstraints) when the kernel declines them.
 */
export function constraintsLater(r: Reader, n: number, vt: boolean): Constraint[] | KeptConstraints {
  const c = r.c;
  const k = r.kernel;
  const withTypeSet = r.has.constraintTypeSets;
  if (n === 0 || !k) return readConstraints(c, n, vt, withTypeSet, r.namesPool, r.nameTops);
  // Most classes' constraints take a few hundred bytes: copy that much first, all in hand if not enough.
  const all = Math.min(c.end - c.pos, KERNEL_WINDOW);
  let size = Math.min(all, 8192);
  c.copyOut(c.pos, c.pos + size, k.window(), 0);
  let used = k.kernel.readConstraints(0, size, n, vt ? 1 : 0, withTypeSet ? 1 : 0);
  if (used < 0 && size < all) {
    size = all;
    c.copyOut(c.pos, c.pos + size, k.window(), 0);
    used = k.kernel.readConstraints(0, size, n, vt ? 1 : 0, withTypeSet ? 1 : 0);
  }
  if (used < 0) return readConstraints(c, n, vt, withTypeSet, r.namesPool, r.nameTops);
  // The window starts at c.pos: the kernel's offsets are from there.
  r.nameTops.noteKernel(k.kernel, c.pos);
  const pool = r.constraintPool;
  const at = pool.length;
  pool.append(c, c.pos, c.pos + used);
  c.pos += used;
  return new KeptConstraints(pool, at, used, n, vt, withTypeSet);
}

/**
 * Reads `n` constraints; the `names` sets go to `namesPool`, decoded when first used, their
 * highest values to `tops` (checked once the symbol tables are read).
 */
export function readConstraints(c: Cursor, n: number, validatetrans: boolean, withTypeSet: boolean, namesPool: BytePool, tops?: ConstraintNameTops): Constraint[] {
  const out: Constraint[] = [];
  for (let i = 0; i < n; i++) {
    const perms = c.u32();
    const nexpr = c.count(c.u32(), ITEMS.constraintNode.minBytes, ITEMS.constraintNode.what);
    const expr: ConstraintExpr[] = [];
    let depth = -1;
    let mls = false;
    for (let j = 0; j < nexpr; j++) {
      const at = c.pos;
      const type = c.u32();
      const attr = c.u32();
      const op = c.u32();
      depth = constraintNode(c, at, type, attr, op, depth, validatetrans);
      if (attr >= CEXPR.L1L2 && (type === CEXPR.ATTR || type === CEXPR.NAMES)) mls = true;
      if (type === CEXPR.NOT) expr.push({ kind: 'not' });
      else if (type === CEXPR.AND || type === CEXPR.OR) expr.push({ kind: type === CEXPR.AND ? 'and' : 'or' });
      else if (type === CEXPR.ATTR) expr.push({ kind: 'attr', attr, op });
      else {
        const namesAt = namesPool.length;
        const kind = namesKind(attr)!;
        let mapAt = c.pos;
        keepEbitmap(c, namesPool);
        tops?.note(kind, lastEbitmapTop() + 1, mapAt);
        if (withTypeSet) {
          for (let m = 0; m < 2; m++) {
            mapAt = c.pos;
            keepEbitmap(c, namesPool);
            tops?.note('type', lastEbitmapTop() + 1, mapAt);
          }
          namesPool.u32(c.u32());
        }
        expr.push(new NamesExpr(attr, op, namesPool, namesAt, withTypeSet));
      }
    }
    checkConstraintEnd(c, depth);
    out.push({ perms, expr, mls });
  }
  return out;
}

/** Constraints checked by the kernel, as bytes in a pool; decoded by readConstraints when asked for. */
export class KeptConstraints {
  constructor(
    private readonly pool: BytePool,
    private readonly at: number,
    private readonly size: number,
    private readonly n: number,
    private readonly vt: boolean,
    private readonly withTypeSet: boolean,
  ) {}

  decode(): Constraint[] {
    return readConstraints(new Cursor(this.pool.bytes.subarray(this.at, this.at + this.size)), this.n, this.vt, this.withTypeSet, new BytePool());
  }
}

/** A class read from a policy: ClassDef with its constraints decoded on first use. */
export class ClassDecl implements ClassDef {
  allPerms: (string | undefined)[];
  #constraints: Constraint[] | KeptConstraints;
  #validatetrans: Constraint[] | KeptConstraints;

  constructor(
    public name: string,
    public value: number,
    public common: string | undefined,
    public perms: (string | undefined)[],
    constraints: Constraint[] | KeptConstraints,
    validatetrans: Constraint[] | KeptConstraints,
    public defaultUser: number,
    public defaultRole: number,
    public defaultType: number,
    public defaultRange: number,
  ) {
    this.allPerms = perms;
    this.#constraints = constraints;
    this.#validatetrans = validatetrans;
  }

  get constraints(): Constraint[] {
    const v = this.#constraints;
    return v instanceof KeptConstraints ? (this.#constraints = v.decode()) : v;
  }
  set constraints(v: Constraint[]) {
    this.#constraints = v;
  }
  get validatetrans(): Constraint[] {
    const v = this.#validatetrans;
    return v instanceof KeptConstraints ? (this.#validatetrans = v.decode()) : v;
  }
  set validatetrans(v: Constraint[]) {
    this.#validatetrans = v;
  }

  toJSON(): ClassDef {
    const { name, value, common, perms, allPerms, constraints, validatetrans, defaultUser, defaultRole, defaultType, defaultRange } = this;
    return { name, value, ...(common !== undefined && { common }), perms, allPerms, constraints, validatetrans, defaultUser, defaultRole, defaultType, defaultRange };
  }
}

/** Bytes appended as they are read (constraints, their bitmaps), for decoding later. */
export class BytePool {
  bytes = new Uint8Array(4096);
  private view = new DataView(this.bytes.buffer);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const b = new Uint8Array(Math.max(this.length + n, this.bytes.length * 2));
    b.set(this.bytes.subarray(0, this.length));
    this.bytes = b;
    this.view = new DataView(b.buffer);
  }

  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }

  /** Appends the cursor's bytes in hand from file offset `from` to `to`. */
  append(c: Cursor, from: number, to: number): void {
    this.room(to - from);
    c.copyOut(from, to, this.bytes, this.length);
    this.length += to - from;
  }
}

/**
 * Checks one ebitmap (checkEbitmap) and appends its bytes to `pool`. The header is written
 * from what the check established: a window cursor may no longer hold the bytes it read it from.
 */
function keepEbitmap(c: Cursor, pool: BytePool): void {
  const start = c.pos;
  const nbits = checkEbitmap(c, EARLY_BITS);
  pool.u32(64);
  if (nbits === 0) {
    pool.u32(0);
    pool.u32(0);
    return;
  }
  // The nodes are in hand: checkEbitmap's last need() asked for them.
  const count = (c.pos - start - 12) / 12;
  pool.u32(c.view.getUint32(c.pos - 12 - c.base, true) + 64);
  pool.u32(count);
  pool.append(c, c.pos - count * 12, c.pos);
}

/** A `names` constraint node whose sets are decoded from the pool on first use (already checked). */
class NamesExpr {
  readonly kind = 'names' as const;
  private decoded?: { names: number[]; typeSet?: TypeSet };

  constructor(
    readonly attr: number,
    readonly op: number,
    private readonly pool: BytePool,
    private readonly at: number,
    private readonly withTypeSet: boolean,
  ) {}

  get names(): number[] {
    return (this.decoded ??= this.decode()).names;
  }

  get typeSet(): TypeSet | undefined {
    return (this.decoded ??= this.decode()).typeSet;
  }

  private decode(): { names: number[]; typeSet?: TypeSet } {
    const c = new Cursor(this.pool.bytes.subarray(0, this.pool.length));
    c.pos = this.at;
    const names = readEbitmap(c, EARLY_BITS, 1);
    if (!this.withTypeSet) return { names };
    const types = readEbitmap(c, EARLY_BITS, 1);
    const negset = readEbitmap(c, EARLY_BITS, 1);
    return { names, typeSet: { types, negset, flags: c.u32() } };
  }

  toJSON(): object {
    return { kind: this.kind, attr: this.attr, op: this.op, names: this.names, ...(this.withTypeSet ? { typeSet: this.typeSet } : {}) };
  }
}
