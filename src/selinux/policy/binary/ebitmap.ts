// ebitmaps: the sparse bitmaps of the binary format, read into a sorted array
// of the set bit numbers (memory stays proportional to the file, whatever the
// bit numbers; plain arrays because thousands of small typed arrays cost more
// to allocate), or checked and skipped; and sortedHas, the lookup in such an
// array.
import type { Cursor } from './cursor.js';

const MAPSIZE = 64;

/**
 * Reads one ebitmap (libsepol ebitmap_read): mapsize (64), highbit, node count,
 * then per node a start bit (multiple of 64) and a 64-bit map. Returns the set
 * bits plus `add` (1 turns bit numbers into symbol values), ascending.
 * `limit` rejects bit numbers >= limit.
 */
export function readEbitmap(c: Cursor, limit = 0x100000000, add = 0): number[] {
  const start = c.pos + 12;
  const nbits = checkEbitmap(c, limit);
  if (nbits === 0) return [];
  // Sized up front: no growth garbage (the constraint and attribute bitmaps hold ≈ 100k bits).
  const out: number[] = new Array<number>(nbits);
  decodeNodes(c, start, add, out);
  return out;
}

/**
 * readEbitmap into `out` (which must have room for every bit below `limit`):
 * returns the number of values written. No allocation.
 */
export function readEbitmapInto(c: Cursor, limit: number, add: number, out: Int32Array): number {
  const start = c.pos + 12;
  return checkEbitmap(c, limit) === 0 ? 0 : decodeNodes(c, start, add, out);
}

/** Writes the bits of the nodes from file offset `start` to c.pos (checked by checkEbitmap, in hand) plus `add`. */
function decodeNodes(c: Cursor, start: number, add: number, out: number[] | Int32Array): number {
  const count = (c.pos - start) / 12;
  const view = c.view;
  const nodes = start - c.base;
  let k = 0;
  const base = add + 31;
  for (let i = 0; i < count; i++) {
    const p = nodes + i * 12;
    const startbit = view.getUint32(p, true) + base;
    let lo = view.getUint32(p + 4, true);
    let hi = view.getUint32(p + 8, true);
    while (lo !== 0) {
      const t = lo & -lo;
      out[k++] = startbit - Math.clz32(t);
      lo ^= t;
    }
    while (hi !== 0) {
      const t = hi & -hi;
      out[k++] = startbit + 32 - Math.clz32(t);
      hi ^= t;
    }
  }
  return k;
}

/**
 * Checks one ebitmap as readEbitmap does and moves past it without decoding
 * it; returns its number of set bits.
 */
export function checkEbitmap(c: Cursor, limit = 0x100000000): number {
  const at = c.pos;
  const mapsize = c.u32();
  const highbit = c.u32();
  const count = c.u32();
  if (mapsize !== MAPSIZE) c.fail(`ebitmap map size ${mapsize}, expected ${MAPSIZE}`, at);
  lastTop = -1;
  if (highbit === 0) return 0;
  if (highbit % MAPSIZE !== 0) c.fail(`ebitmap high bit ${highbit} is not a multiple of ${MAPSIZE}`, at);
  if (count === 0) c.fail('ebitmap with a high bit but no nodes', at);
  c.count(count, 12, 'ebitmap node');
  let prev = -1;
  let nbits = 0;
  const start = c.pos;
  c.need(count * 12, 'ebitmap nodes');
  const view = c.view;
  const nodes = start - c.base;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < count; i++) {
    const p = nodes + i * 12;
    const startbit = view.getUint32(p, true);
    lo = view.getUint32(p + 4, true);
    hi = view.getUint32(p + 8, true);
    if (startbit % MAPSIZE !== 0) c.fail(`ebitmap node start bit ${startbit} is not a multiple of ${MAPSIZE}`, start + i * 12);
    if (startbit > highbit - MAPSIZE) c.fail(`ebitmap node start bit ${startbit} beyond high bit ${highbit}`, start + i * 12);
    if (startbit <= prev) c.fail('ebitmap nodes out of order', start + i * 12);
    if (lo === 0 && hi === 0) c.fail('ebitmap node with an empty map', start + i * 12);
    prev = startbit;
    nbits += popcount(lo) + popcount(hi);
  }
  if (prev + MAPSIZE !== highbit) c.fail(`ebitmap high bit ${highbit} does not match its last node`, at);
  const top = hi !== 0 ? prev + 63 - Math.clz32(hi) : prev + 31 - Math.clz32(lo);
  if (top >= limit) c.fail(`ebitmap bit ${top} out of range (limit ${limit})`, at);
  lastTop = top;
  c.pos = start + count * 12;
  return nbits;
}

let lastTop = -1;

/** The highest bit of the ebitmap checkEbitmap last checked (-1: none set). */
export function lastEbitmapTop(): number {
  return lastTop;
}

/**
 * Does an ascending list of values (a decoded ebitmap, a type's attributes, a
 * stretch [from, to) of a longer list) hold v? Binary search.
 */
export function sortedHas(a: ArrayLike<number>, v: number, from = 0, to = a.length): boolean {
  let lo = from;
  let hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = a[mid]!;
    if (x === v) return true;
    if (x < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
