// Extended permission sets (ioctl numbers) as sorted, merged ranges.
import type { XpermRange } from './rules.js';

/** Adds a range, keeping the list sorted and merging overlapping or adjacent ranges. */
export function addXpermRange(ranges: XpermRange[], range: XpermRange): void {
  ranges.push(range);
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let i = 0;
  while (i < ranges.length - 1) {
    const cur = ranges[i]!;
    const next = ranges[i + 1]!;
    if (next[0] <= cur[1] + 1) {
      ranges[i] = [cur[0], Math.max(cur[1], next[1])];
      ranges.splice(i + 1, 1);
    } else {
      i++;
    }
  }
}

/** `0x5401`, or `{ 0x5401 0x5403-0x5405 }`, as sepolgen prints an xperm set. */
export function formatXperms(ranges: readonly XpermRange[]): string {
  const hex = (n: number): string => '0x' + n.toString(16);
  const one = ranges[0];
  if (ranges.length === 1 && one && one[0] === one[1]) return hex(one[0]);
  return '{ ' + ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join(' ') + ' }';
}
