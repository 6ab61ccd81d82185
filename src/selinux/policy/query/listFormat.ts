// Text of policy components as setools 4.4 prints them (str() and statement()):
// contexts, MLS levels and ranges, and the order in which libsepol's symbol
// hash tables hold names (setools lists aliases in that order).

import { levelText, rangeText } from '../level.js';
import type { Context, Level, Policy, Range } from '../model.js';

/** Python's str ordering (code points) for the ASCII names of a policy. */
export function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A level as setools prints it: `s0`, `s0:c0.c1023`, `s1:c0,c2.c5` (runs of two or more as `first.last`; primary names). */
export function formatLevel(p: Policy, level: Level): string {
  return levelText(p, level, 'setools');
}

/** `low - high`, or just `low` when both ends are equal. */
export function formatRange(p: Policy, r: Range): string {
  return rangeText(p, r, 'setools');
}

/** `user:role:type[:range]`; the range only in an MLS policy. */
export function formatPolicyContext(p: Policy, c: Context): string {
  const user = p.users[c.user - 1]?.name ?? `<user ${c.user}>`;
  const role = p.roles[c.role - 1]?.name ?? `<role ${c.role}>`;
  const type = p.types[c.type - 1]?.name ?? `<type ${c.type}>`;
  const base = `${user}:${role}:${type}`;
  return p.mls ? `${base}:${formatRange(p, c.range)}` : base;
}

/** libsepol's symhash: a rotate-xor over the bytes of the name, masked to the table size. */
export function symHash(name: string, size: number): number {
  let v = 0;
  const bytes = Buffer.from(name, 'utf8');
  for (const b of bytes) v = (((v << 4) | (v >>> 28)) ^ (b >= 0x80 ? b - 0x100 : b)) >>> 0;
  return v & (size - 1);
}

/**
 * Size of the libsepol hash table holding `entries` names, started at
 * `initial` buckets (policydb.c's symtab_sizes) and doubled on insert while
 * the element count reaches the size.
 */
export function symtabSize(entries: number, initial: number): number {
  let size = initial;
  while (entries > 0 && size <= entries - 1) size *= 2;
  return size;
}

/** Names in the iteration order of a libsepol symbol table of `size` buckets: by bucket, then strcmp within a chain. */
export function hashtabOrder(names: readonly string[], size: number): string[] {
  return names
    .map((n) => ({ n, h: symHash(n, size) }))
    .sort((a, b) => a.h - b.h || byString(a.n, b.n))
    .map((x) => x.n);
}

/** libsepol's initial symbol table sizes: commons, classes, roles, types, users, bools, levels, cats. */
export const SYMTAB_INITIAL = { types: 512, levels: 16, cats: 16 } as const;
