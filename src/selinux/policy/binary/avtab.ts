// The access vector table, stored column-wise in typed arrays: no object per
// rule. Entry i is (src[i], tgt[i], cls[i], spec[i]) -> data[i], or, for an
// extended-permission entry, xperm record data[i] in xperms.

import { badAvtabKey, checkNewType, checkXpermEntry } from './checks.js';
import { AVTAB, AVTAB_AV, AVTAB_SPEC_MASK, AVTAB_TYPE, AVTAB_XPERMS } from './constants.js';
import type { Cursor } from './cursor.js';
import { arenaColumnBytes, KERNEL_WINDOW, type KernelArena } from './kernel/readerKernel.js';

/** Words per xperm record in AvTab.xperms: [specified, driver, perms0..perms7]. */
export const XPERM_RECORD = 10;

export class AvTab {
  count = 0;
  src: Uint16Array;
  tgt: Uint16Array;
  cls: Uint16Array;
  /** key.specified without AVTAB_ENABLED. */
  spec: Uint16Array;
  /**
   * Permission bits (AV rules; for AUDITDENY the bits still audited, i.e. the complement of dontaudit),
   * the new type (type rules), or the index of the xperm record in `xperms` (xperm rules).
   */
  data: Uint32Array;
  xperms: Uint32Array;
  xcount = 0;
  /** Where the columns live when the WebAssembly loops fill them (undefined: plain arrays). @internal */
  arena: KernelArena | undefined;
  private colAt = [0, 0, 0, 0, 0];

  /** @internal */
  constructor(capacity: number, xcapacity = 0, arena?: KernelArena) {
    const at = arena ? arena.take(arenaColumnBytes(capacity)) : -1;
    if (arena && at >= 0) {
      this.arena = arena;
      const b = arena.buffer;
      const a16 = (k: number): Uint16Array => new Uint16Array(b, (this.colAt[k] = at + k * 2 * (capacity + 4)), capacity);
      this.src = a16(0);
      this.tgt = a16(1);
      this.cls = a16(2);
      this.spec = a16(3);
      this.data = new Uint32Array(b, (this.colAt[4] = at + 8 * (capacity + 4)), capacity);
    } else {
      this.src = new Uint16Array(capacity);
      this.tgt = new Uint16Array(capacity);
      this.cls = new Uint16Array(capacity);
      this.spec = new Uint16Array(capacity);
      this.data = new Uint32Array(capacity);
    }
    this.xperms = new Uint32Array(xcapacity * XPERM_RECORD);
  }

  /** The table's data (not where it lives). */
  toJSON(): object {
    const { count, src, tgt, cls, spec, data, xperms, xcount } = this;
    return { count, src, tgt, cls, spec, data, xperms, xcount };
  }

  /** Byte offsets of the columns src, tgt, cls, spec, data in the arena. */
  get arenaColumns(): readonly number[] {
    return this.colAt;
  }

  private grow(n: number): void {
    const cap = Math.max(n, this.src.length * 2, 16);
    const g16 = (a: Uint16Array): Uint16Array => {
      const b = new Uint16Array(cap);
      b.set(a);
      return b;
    };
    this.src = g16(this.src);
    this.tgt = g16(this.tgt);
    this.cls = g16(this.cls);
    this.spec = g16(this.spec);
    const d = new Uint32Array(cap);
    d.set(this.data);
    this.data = d;
    // Out of the arena's fixed room: plain arrays from now on.
    this.arena = undefined;
  }

  /** Trims the arrays to the entries read. */
  seal(): void {
    if (this.src.length !== this.count) {
      this.src = this.src.subarray(0, this.count);
      this.tgt = this.tgt.subarray(0, this.count);
      this.cls = this.cls.subarray(0, this.count);
      this.spec = this.spec.subarray(0, this.count);
      this.data = this.data.subarray(0, this.count);
    }
    if (this.xperms.length !== this.xcount * XPERM_RECORD) this.xperms = this.xperms.subarray(0, this.xcount * XPERM_RECORD);
  }

  /** The extended permissions of entry i: specified (1 ioctl function, 2 ioctl driver, 3 nlmsg), driver, 256-bit map. */
  xpermOf(i: number): { specified: number; driver: number; perms: Uint32Array } | undefined {
    if (i < 0 || i >= this.count || (this.spec[i]! & AVTAB_XPERMS) === 0) return undefined;
    const o = this.data[i]! * XPERM_RECORD;
    return { specified: this.xperms[o]!, driver: this.xperms[o + 1]!, perms: this.xperms.subarray(o + 2, o + 10) };
  }

  /**
   * Reads `n` entries (avtab_read_item, version >= 20 layout) and appends them.
   * `ntypes` and `nclasses` bound the type and class values.
   * @internal
   */
  readItems(c: Cursor, n: number, version: number, conditional: boolean, ntypes: number, nclasses: number): void {
    const need = this.count + n;
    if (need > this.src.length) this.grow(need);
    const arena = this.arena;
    if (!arena) {
      this.readSome(c, n, 0, version, conditional, ntypes, nclasses);
      return;
    }
    // The plain entries go through the WebAssembly loop a window at a time; an entry it stops
    // at (an xperm entry, a bad key, one cut by the window's end) is read here, in JavaScript.
    const win = arena.window();
    const at = this.colAt;
    let k = 0;
    while (k < n) {
      // No more than the entries asked for (a conditional list is a few dozen).
      const inHand = Math.min(c.end - c.pos, KERNEL_WINDOW, (n - k) * 12);
      if (inHand >= 12) {
        c.copyOut(c.pos, c.pos + inHand, win, 0);
        const got = arena.kernel.readEntries(0, inHand, n - k, ntypes, nclasses, at[0]!, at[1]!, at[2]!, at[3]!, at[4]!, this.count);
        this.count += got;
        c.pos += got * 12;
        k += got;
        if (k === n) break;
        if (got > 0 && c.end - c.pos >= 12) continue;
      }
      this.readSome(c, 1, k, version, conditional, ntypes, nclasses);
      k++;
    }
  }

  /** The JavaScript loop: `n` entries, the first being entry `k0` of the list (for messages). */
  private readSome(c: Cursor, n: number, k0: number, version: number, conditional: boolean, ntypes: number, nclasses: number): void {
    let view = c.view;
    let base = c.base;
    for (let k = k0; k < k0 + n; k++) {
      const at = c.pos;
      if (c.end - at < 12) {
        c.need(12, 'avtab entry');
        view = c.view;
        base = c.base;
      }
      const p = at - base;
      const s = view.getUint16(p, true);
      const t = view.getUint16(p + 2, true);
      const cl = view.getUint16(p + 4, true);
      const spec = view.getUint16(p + 6, true) & ~AVTAB.ENABLED;
      if ((spec & AVTAB_SPEC_MASK) === 0 || (spec & (spec - 1)) !== 0 || (spec & ~AVTAB_SPEC_MASK) !== 0 || s === 0 || s > ntypes || t === 0 || t > ntypes || cl === 0 || cl > nclasses) {
        badAvtabKey(c, k, at, s, t, cl, spec, ntypes, nclasses);
      }
      const i = this.count;
      this.src[i] = s;
      this.tgt[i] = t;
      this.cls[i] = cl;
      this.spec[i] = spec;
      if ((spec & AVTAB_XPERMS) !== 0) {
        if (c.end - at < 42) {
          c.need(42, 'avtab xperm entry');
          view = c.view;
          base = c.base;
        }
        const x = at - base;
        const specified = view.getUint8(x + 8);
        const driver = view.getUint8(x + 9);
        checkXpermEntry(c, k, at, version, conditional, specified);
        const xi = this.xcount++;
        const need2 = this.xcount * XPERM_RECORD;
        if (need2 > this.xperms.length) {
          const b = new Uint32Array(Math.max(need2, this.xperms.length * 2, 16 * XPERM_RECORD));
          b.set(this.xperms);
          this.xperms = b;
        }
        const o = xi * XPERM_RECORD;
        this.xperms[o] = specified;
        this.xperms[o + 1] = driver;
        for (let w = 0; w < 8; w++) this.xperms[o + 2 + w] = view.getUint32(x + 10 + w * 4, true);
        this.data[i] = xi;
        c.pos = at + 42;
      } else {
        const data = view.getUint32(p + 8, true);
        if ((spec & AVTAB_TYPE) !== 0) checkNewType(c, k, at, data, ntypes);
        this.data[i] = data;
        c.pos = at + 12;
      }
      this.count++;
    }
  }
}

/**
 * scanPolicyStats's walk of `n` avtab entries: counts them by kind into `kinds` (indexed by
 * AVTAB.*), with the checks of AvTab.readItems (checks.ts). Beside readSome so that the two
 * stay in step: the hottest loops of both walkers, run once and cold, where a call per entry
 * would cost more than it reads.
 */
export function countAvtabKinds(c: Cursor, n: number, version: number, conditional: boolean, ntypes: number, nclasses: number, kinds: Uint32Array): void {
  let view = c.view;
  let base = c.base;
  for (let k = 0; k < n; k++) {
    const at = c.pos;
    if (c.end - at < 12) {
      c.need(12, 'avtab entry');
      view = c.view;
      base = c.base;
    }
    const p = at - base;
    const s = view.getUint16(p, true);
    const t = view.getUint16(p + 2, true);
    const cl = view.getUint16(p + 4, true);
    const spec = view.getUint16(p + 6, true) & ~AVTAB.ENABLED;
    if ((spec & AVTAB_SPEC_MASK) === 0 || (spec & (spec - 1)) !== 0 || (spec & ~AVTAB_SPEC_MASK) !== 0 || s === 0 || s > ntypes || t === 0 || t > ntypes || cl === 0 || cl > nclasses) {
      badAvtabKey(c, k, at, s, t, cl, spec, ntypes, nclasses);
    }
    kinds[spec]!++;
    if ((spec & AVTAB_XPERMS) !== 0) {
      if (c.end - at < 42) {
        c.need(42, 'avtab xperm entry');
        view = c.view;
        base = c.base;
      }
      checkXpermEntry(c, k, at, version, conditional, view.getUint8(at - base + 8));
      c.pos = at + 42;
    } else {
      if ((spec & AVTAB_TYPE) !== 0) checkNewType(c, k, at, view.getUint32(p + 8, true), ntypes);
      c.pos = at + 12;
    }
  }
}

export function isAvKind(spec: number): boolean {
  return (spec & AVTAB_AV) !== 0;
}
export function isTypeKind(spec: number): boolean {
  return (spec & AVTAB_TYPE) !== 0;
}
export function isXpermKind(spec: number): boolean {
  return (spec & AVTAB_XPERMS) !== 0;
}

/** Rule keyword of an avtab kind, as in policy.conf. */
export function avtabKindName(spec: number): string {
  switch (spec) {
    case AVTAB.ALLOWED:
      return 'allow';
    case AVTAB.AUDITALLOW:
      return 'auditallow';
    case AVTAB.AUDITDENY:
      return 'dontaudit';
    case AVTAB.TRANSITION:
      return 'type_transition';
    case AVTAB.MEMBER:
      return 'type_member';
    case AVTAB.CHANGE:
      return 'type_change';
    case AVTAB.XPERMS_ALLOWED:
      return 'allowxperm';
    case AVTAB.XPERMS_AUDITALLOW:
      return 'auditallowxperm';
    case AVTAB.XPERMS_DONTAUDIT:
      return 'dontauditxperm';
    default:
      return `unknown(0x${spec.toString(16)})`;
  }
}
