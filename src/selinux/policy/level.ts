// MLS levels of the model (`Level`: a sensitivity value and ascending category values):
// comparison, and their text in the two forms the tools print. The names that stand for
// sensitivities and categories are in the policy's index (sensValues, catValues).
import { sortedHas } from './binary/ebitmap.js';
import type { Level, Policy, Range } from './model.js';

export function sameLevel(a: Level, b: Level): boolean {
  return a.sens === b.sens && a.cats.length === b.cats.length && a.cats.every((c, i) => c === b.cats[i]);
}

/** a dominates b: a's sensitivity is not lower and a's categories hold b's. */
export function levelDominates(a: Level, b: Level): boolean {
  return a.sens >= b.sens && b.cats.every((c) => sortedHas(a.cats, c));
}

/**
 * How a level is written: `kernel` as the kernel and libsepol write contexts (mls_sid_to_context:
 * a run of two categories `c1,c2`, of three or more `c1.c3`; a range `low-high`), `setools` as
 * seinfo and sesearch print them (every run of two or more `c1.c2`; a range `low - high`).
 */
export type LevelStyle = 'kernel' | 'setools';

/** A level's text, with the primary names (never aliases). */
export function levelText(p: Policy, level: Level, style: LevelStyle = 'kernel'): string {
  let out = p.sensitivities[level.sens - 1]?.name ?? `s${level.sens - 1}`;
  const cats = level.cats;
  const catName = (v: number): string => p.categories[v - 1]?.name ?? `c${v - 1}`;
  let sep = ':';
  for (let i = 0; i < cats.length; ) {
    let j = i;
    while (j + 1 < cats.length && cats[j + 1] === cats[j]! + 1) j++;
    out += sep + catName(cats[i]!);
    if (j === i + 1 && style === 'kernel') out += ',' + catName(cats[j]!);
    else if (j > i) out += '.' + catName(cats[j]!);
    sep = ',';
    i = j + 1;
  }
  return out;
}

/** `low-high` (setools: `low - high`), or just `low` when both ends are equal. */
export function rangeText(p: Policy, r: Range, style: LevelStyle = 'kernel'): string {
  const low = levelText(p, r.low, style);
  return sameLevel(r.low, r.high) ? low : `${low}${style === 'kernel' ? '-' : ' - '}${levelText(p, r.high, style)}`;
}
