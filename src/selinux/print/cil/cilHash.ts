// The order in which libsepol's hashtab_map visits a symbol table, which pp
// follows in three places (a block's additive symbols, the roles it checks
// for roletype lines, type aliases). A table starts at a fixed size and
// doubles before an insertion finds it holding as many entries as it has
// buckets; each bucket keeps its keys in strcmp order. So the order depends
// only on the keys and the starting size: bucket (symhash & (size - 1)), then
// the key.

/** libsepol's symhash: rotate left by 4, xor the byte (32-bit, unsigned). */
export function symhash(key: string): number {
  let val = 0;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i) & 0xff;
    // `*p` is a (signed) char: bytes >= 0x80 sign-extend.
    const byte = c >= 0x80 ? c - 0x100 : c;
    val = (((val << 4) | (val >>> 28)) ^ byte) >>> 0;
  }
  return val;
}

/** The table's size after `count` insertions into one of `initial` buckets. */
export function tableSize(initial: number, count: number): number {
  let size = initial;
  // hashtab_check_resize runs before each insertion with nel = entries so far.
  while (size <= count - 1) size *= 2;
  return size;
}

/** Byte-wise comparison, as strcmp. */
function strcmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The keys in hashtab_map order for a table of `initial` buckets holding exactly `keys`. */
export function hashOrder(keys: Iterable<string>, initial: number): string[] {
  const list = [...new Set(keys)];
  const mask = tableSize(initial, list.length) - 1;
  return list
    .map((k) => ({ k, b: symhash(k) & mask }))
    .sort((x, y) => x.b - y.b || strcmp(x.k, y.k))
    .map((x) => x.k);
}

/** Initial sizes of a module's global symbol tables (policydb.c) and of an avrule_decl's (avrule_block.c). */
export const GLOBAL_TABLE_SIZE = { roles: 16, types: 512, users: 128 } as const;
export const DECL_TABLE_SIZE = { roles: 8, types: 32, users: 16 } as const;
