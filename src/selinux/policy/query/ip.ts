// IP addresses in policy text: parsing and printing as Python's ipaddress does.

/** A netmask of `prefix` leading one bits, `bits` long. */
export function prefixMask(bits: number, prefix: number): Uint8Array {
  const m = new Uint8Array(bits / 8);
  for (let i = 0; i < prefix; i++) m[i >> 3]! |= 0x80 >> (i & 7);
  return m;
}

/** The prefix length of a contiguous netmask, or undefined. */
export function prefixOf(mask: Uint8Array): number | undefined {
  let n = 0;
  while (n < mask.length * 8 && (mask[n >> 3]! & (0x80 >> (n & 7))) !== 0) n++;
  return prefixMask(mask.length * 8, n).every((b, i) => b === mask[i]) ? n : undefined;
}

/** The bytes of a dotted IPv4 or a (possibly compressed) IPv6 address; undefined if it is neither. */
export function ipBytes(text: string): Uint8Array | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.').map(Number);
    return parts.every((n) => n <= 255) ? Uint8Array.from(parts) : undefined;
  }
  if (!/^[0-9a-f:]+$/i.test(text) || text.split('::').length > 2) return undefined;
  const [head, tail] = text.split('::') as [string, string | undefined];
  const words = (s: string): number[] | undefined => {
    if (s === '') return [];
    const w = s.split(':');
    return w.every((x) => /^[0-9a-f]{1,4}$/i.test(x)) ? w.map((x) => parseInt(x, 16)) : undefined;
  };
  const a = words(head);
  const b = tail === undefined ? [] : words(tail);
  if (!a || !b) return undefined;
  const fill = 8 - a.length - b.length;
  if (tail === undefined ? fill !== 0 : fill < 1) return undefined;
  const all = [...a, ...new Array<number>(fill).fill(0), ...b];
  const out = new Uint8Array(16);
  all.forEach((w, i) => {
    out[i * 2] = w >> 8;
    out[i * 2 + 1] = w & 0xff;
  });
  return out;
}

/** Bytes from a hex string. */
export function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** An IPv6 address as Python's ipaddress prints it (RFC 5952: the longest run of two or more zero words compressed). */
export function ipv6Text(b: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((b[i]! << 8) | b[i + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
