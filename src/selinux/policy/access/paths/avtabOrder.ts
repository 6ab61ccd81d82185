// The order in which setools (SELinuxPolicy.terules(), on libsepol 3.x)
// yields the rules of a binary policy: the unconditional avtab in the bucket
// order of libsepol's in-memory hash table (avtab_alloc sized by the entry
// count, murmur3-style avtab_hash, chains sorted by key), then the
// conditional rules in file order (cond_list order, each node's true list
// before its false list). sedta's graph, and so the order of the paths it
// prints, follows this order.
import type { AvTab } from '../../binary/avtab.js';

/** libsepol's MAX_AVTAB_HASH_BUCKETS (1 << MAX_AVTAB_HASH_BITS). */
const MAX_AVTAB_HASH_BUCKETS = 1 << 20;

/** libsepol avtab_alloc(nrules): the hash mask (nslot - 1). */
export function avtabMask(nrules: number): number {
  if (nrules === 0) return 0;
  let shift = 0;
  for (let work = nrules >>> 0; work; work >>>= 1) shift++;
  if (shift > 2) shift -= 2;
  let nslot = 2 ** shift;
  if (nslot > MAX_AVTAB_HASH_BUCKETS) nslot = MAX_AVTAB_HASH_BUCKETS;
  return nslot - 1;
}

/** libsepol avtab_hash(key, mask). */
export function avtabHash(source: number, target: number, tclass: number, mask: number): number {
  let hash = 0;
  const mix = (input: number): void => {
    let v = Math.imul(input, 0xcc9e2d51);
    v = (v << 15) | (v >>> 17);
    v = Math.imul(v, 0x1b873593);
    hash ^= v;
    hash = (hash << 13) | (hash >>> 19);
    hash = (Math.imul(hash, 5) + 0xe6546b64) | 0;
  };
  mix(tclass);
  mix(target);
  mix(source);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash & mask) >>> 0;
}

/**
 * The entries of the unconditional avtab that pass `keep`, in libsepol's
 * iteration order: by bucket, then by (source, target, class) as avtab_insert
 * keeps each chain, then file order.
 */
export function libsepolAvtabOrder(tab: AvTab, keep: (i: number) => boolean): number[] {
  const mask = avtabMask(tab.count);
  const idx: number[] = [];
  const bucket = new Map<number, number>();
  for (let i = 0; i < tab.count; i++) {
    if (!keep(i)) continue;
    idx.push(i);
    bucket.set(i, avtabHash(tab.src[i]!, tab.tgt[i]!, tab.cls[i]!, mask));
  }
  idx.sort((a, b) => bucket.get(a)! - bucket.get(b)! || tab.src[a]! - tab.src[b]! || tab.tgt[a]! - tab.tgt[b]! || tab.cls[a]! - tab.cls[b]! || a - b);
  return idx;
}
