// Byte-level helpers for the record parser. The parser works on bytes, not
// strings: decoding every line would cost more than everything else together.

/** Whitespace as Python's str.split() sees it in audit text (ASCII part). */
export const IS_SPACE = new Uint8Array(256);
for (const c of [9, 10, 11, 12, 13, 0x1c, 0x1d, 0x1e, 0x1f, 32]) IS_SPACE[c] = 1;

export const GROUP_SEPARATOR = 0x1d;

export function skipSpace(buf: Buffer, p: number, end: number): number {
  while (p < end && IS_SPACE[buf[p]!] === 1) p++;
  return p;
}

export function skipToken(buf: Buffer, p: number, end: number): number {
  while (p < end && IS_SPACE[buf[p]!] !== 1) p++;
  return p;
}

/** True when buf[p, p + lit.length) equals the ASCII literal (given as bytes). */
export function startsWith(buf: Buffer, p: number, end: number, lit: Uint8Array): boolean {
  const n = lit.length;
  if (end - p < n) return false;
  for (let i = 0; i < n; i++) if (buf[p + i] !== lit[i]) return false;
  return true;
}

/** Index of `lit` in buf[from, to), or -1. Never looks past `to`. */
export function indexOf(buf: Buffer, lit: Uint8Array, from: number, to: number): number {
  if (to - from < lit.length) return -1;
  // A short range: a JS loop costs less than the native search's call and its subarray.
  if (to - from <= 64) {
    const first = lit[0];
    for (let i = from, last = to - lit.length; i <= last; i++) if (buf[i] === first && startsWith(buf, i, to, lit)) return i;
    return -1;
  }
  const i = buf.subarray(from, to).indexOf(lit);
  return i < 0 ? -1 : from + i;
}

export const ascii = (s: string): Uint8Array => Buffer.from(s, 'latin1');

/** Decodes bytes as UTF-8 (invalid sequences become U+FFFD). */
export function text(buf: Buffer, start: number, end: number): string {
  // Pure ASCII is the common case and latin1 decoding is much cheaper.
  for (let i = start; i < end; i++) {
    if (buf[i]! >= 0x80) return buf.toString('utf8', start, end);
  }
  return buf.toString('latin1', start, end);
}

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) HEX[65 + i] = 10 + i;

/** True when buf[start, end) is a non-empty, even-length run of upper-case hex digits. */
export function isHex(buf: Buffer, start: number, end: number): boolean {
  if (end <= start || (end - start) % 2 !== 0) return false;
  for (let i = start; i < end; i++) if (HEX[buf[i]!]! < 0) return false;
  return true;
}

/** Decodes audit's hex encoding of an untrusted string; NUL becomes a space when asked. */
export function decodeHex(buf: Buffer, start: number, end: number, nulToSpace: boolean): string {
  const out = Buffer.allocUnsafe((end - start) / 2);
  for (let i = start, j = 0; i < end; i += 2, j++) {
    const b = (HEX[buf[i]!]! << 4) | HEX[buf[i + 1]!]!;
    out[j] = nulToSpace && b === 0 ? 32 : b;
  }
  let n = out.length;
  // proctitle and argv end with a NUL that is not part of the value.
  if (nulToSpace) while (n > 0 && out[n - 1] === 32 && buf[start + 2 * n - 2] === 48 && buf[start + 2 * n - 1] === 48) n--;
  return out.toString('utf8', 0, n);
}

/** Parses an unsigned decimal integer; -1 when buf[start, end) is not one. */
export function parseUint(buf: Buffer, start: number, end: number): number {
  if (end <= start || end - start > 15) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Recognises a fixed set of ASCII words in a byte range without building a
 * string, and returns the one interned string for it (or the value given
 * with the word: `[word, value]`).
 */
export class WordMatcher {
  private readonly byLength = new Map<number, Array<[Uint8Array, string]>>();

  constructor(words: Iterable<string | readonly [string, string]>) {
    for (const entry of words) {
      const [w, value] = typeof entry === 'string' ? [entry, entry] : entry;
      const list = this.byLength.get(w.length) ?? [];
      list.push([ascii(w), value]);
      this.byLength.set(w.length, list);
    }
  }

  match(buf: Buffer, start: number, end: number): string | undefined {
    const list = this.byLength.get(end - start);
    if (list === undefined) return undefined;
    outer: for (const [bytes, word] of list) {
      for (let i = 0; i < bytes.length; i++) if (buf[start + i] !== bytes[i]) continue outer;
      return word;
    }
    return undefined;
  }
}
