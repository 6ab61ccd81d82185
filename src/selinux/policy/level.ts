// MLS levels of the model (`Level`: a sensitivity value and ascending category
// values): comparison, and the names that stand for sensitivities and categories.
import { sortedHas } from './binary/ebitmap.js';
import type { Level, Policy } from './model.js';

export function sameLevel(a: Level, b: Level): boolean {
  return a.sens === b.sens && a.cats.length === b.cats.length && a.cats.every((c, i) => c === b.cats[i]);
}

/** a dominates b: a's sensitivity is not lower and a's categories hold b's. */
export function levelDominates(a: Level, b: Level): boolean {
  return a.sens >= b.sens && b.cats.every((c) => sortedHas(a.cats, c));
}

const nameCache = new WeakMap<Policy, { sens: Map<string, number>; cats: Map<string, number> }>();

/** Sensitivity and category names, aliases included, to values. */
export function mlsNames(p: Policy): { sens: Map<string, number>; cats: Map<string, number> } {
  let n = nameCache.get(p);
  if (!n) {
    n = { sens: new Map(), cats: new Map() };
    for (const s of p.sensitivities) if (s) for (const name of [s.name, ...s.aliases]) n.sens.set(name, s.value);
    for (const c of p.categories) if (c) for (const name of [c.name, ...c.aliases]) n.cats.set(name, c.value);
    nameCache.set(p, n);
  }
  return n;
}
