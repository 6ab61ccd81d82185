// The range sesearch's -D names for range_transition rules, read as setools
// reads one (Range and Level from a string): split at every `-` (the first two
// parts count, spaces trimmed), a level at every `:` (the first two parts),
// categories at `,` and ranges of them at `.`; the same checks, in the same
// order, with the same messages. One difference, deliberate: setools 4.4
// mistakes a sensitivity or category that has an alias, once looked up by
// name, for another symbol (such a category is "not associated with the
// sensitivity", such a sensitivity never equals the rule's); here names and
// aliases stand for their symbol (README "Differences").

import { fail } from '../../../../base/diagnostic.js';
import { levelDominates, sameLevel } from '../../level.js';
import type { Level, Policy, Range } from '../../model.js';
import { formatLevel } from '../listFormat.js';

/** Parses `low[-high]` into a range of the policy; a bad one is a `bad-query` error with setools' message. */
export function parseSearchRange(p: Policy, text: string): Range {
  // setools raises MLSDisabled, whose message is empty.
  if (!p.mls) fail('bad-query', '', { notes: ['the policy is not MLS: it has no ranges'] });
  const parts = text.split('-');
  const level = (s: string): Level => {
    const l = parseSearchLevel(p, s.trim());
    if (typeof l === 'string') fail('bad-query', `${text} is not a valid range (${l}).`, { data: { range: text } });
    return l;
  };
  const low = level(parts[0]!);
  const high = parts.length > 1 ? level(parts[1]!) : low;
  if (!levelDominates(high, low)) fail('bad-query', `${text} is not a valid range (${formatLevel(p, low)} is not dominated by ${formatLevel(p, high)})`, { data: { range: text } });
  return { low, high };
}

/** A level, or why the text is not one (setools' message). */
function parseSearchLevel(p: Policy, name: string): Level | string {
  const { sensValues: sens, catValues: cats } = p.index;
  const parts = name.split(':');
  const s = sens.get(parts[0]!);
  if (s === undefined) return `${name} is not a valid level (${parts[0]} is not a valid sensitivity)`;
  const set = new Set<number>();
  if (parts.length > 1) {
    for (const group of parts[1]!.split(',')) {
      const r = group.split('.');
      if (r.length === 2) {
        const lo = cats.get(r[0]!);
        const hi = cats.get(r[1]!);
        if (lo === undefined || hi === undefined) return `${name} is not a valid level (${group} is not a valid category range)`;
        // setools adds both ends and what lies between (nothing when they are reversed).
        set.add(lo).add(hi);
        for (let v = lo + 1; v < hi; v++) set.add(v);
      } else if (r.length === 1) {
        const v = cats.get(r[0]!);
        if (v === undefined) return `${name} is not a valid level (${group} is not a valid category)`;
        set.add(v);
      } else return `${name} is not a valid level (level parsing error)`;
    }
  }
  const level: Level = { sens: s, cats: [...set].sort((a, b) => a - b) };
  const allowed = p.sensitivities[s - 1]?.level.cats ?? [];
  if (!level.cats.every((c) => allowed.includes(c))) return `${name} is not a valid level (one or more categories are not associated with the sensitivity)`;
  return level;
}

export function sameRange(a: Range, b: Range): boolean {
  return sameLevel(a.low, b.low) && sameLevel(a.high, b.high);
}
