// Contexts of the model (`Context`: symbol values, categories as lists) from and to the text a
// user writes: `user:role:type[:range]`, levels `s0:c0,c3.c5`, as `policy transition` takes and
// prints them (the kernel's form). Names must exist (an `unknown-name` error otherwise); whether
// the policy accepts the context as a whole is decideContext.ts's question, not this file's.
import { fail } from '../../../../base/diagnostic.js';
import { rangeText } from '../../level.js';
import type { Context, Level, Policy, Range } from '../../model.js';

function findIn(map: Map<string, number>, name: string, what: string): number {
  const v = map.get(name);
  if (v === undefined) fail('unknown-name', `unknown ${what} ${name}`, { data: { kind: what, name } });
  return v;
}

/** Parses `s0`, `s0:c0,c3.c5` into a level. */
export function parseLevel(policy: Policy, text: string): Level {
  const { sensValues, catValues } = policy.index;
  const [s, c] = text.split(':', 2) as [string, string | undefined];
  const level: Level = { sens: findIn(sensValues, s, 'sensitivity'), cats: [] };
  if (c !== undefined) {
    const set = new Set<number>();
    for (const part of c.split(',')) {
      const [a, b] = part.split('.', 2) as [string, string | undefined];
      const lo = findIn(catValues, a, 'category');
      const hi = b === undefined ? lo : findIn(catValues, b, 'category');
      if (hi < lo) fail('context-invalid', `bad category range ${part}`, { data: { level: text } });
      for (let v = lo; v <= hi; v++) set.add(v);
    }
    level.cats = [...set].sort((x, y) => x - y);
  }
  return level;
}

export function parseRange(policy: Policy, text: string): Range {
  const dash = text.indexOf('-');
  const low = parseLevel(policy, dash < 0 ? text : text.slice(0, dash));
  const high = dash < 0 ? low : parseLevel(policy, text.slice(dash + 1));
  return { low, high: { sens: high.sens, cats: high.cats.slice() } };
}

/** user:role:type[:range] into values; the range defaults to the lowest sensitivity in an MLS policy. */
export function parseContextIn(policy: Policy, text: string): Context {
  const parts = text.split(':');
  if (parts.length < 3 || parts.slice(0, 3).some((p) => p === '')) fail('bad-query', `bad context ${text} (want user:role:type[:range])`, { data: { context: text } });
  const idx = policy.index;
  const type = findIn(idx.typeValues, parts[2]!, 'type');
  if (policy.types[type - 1]?.isAttribute) fail('context-invalid', `${parts[2]} is an attribute, not a type`, { data: { context: text, name: parts[2]! } });
  const ctx: Context = {
    user: findIn(idx.userValues, parts[0]!, 'user'),
    role: findIn(idx.roleValues, parts[1]!, 'role'),
    type,
    range: { low: { sens: 0, cats: [] }, high: { sens: 0, cats: [] } },
  };
  if (parts.length > 3) {
    if (!policy.mls) fail('context-invalid', `${text}: the policy is not MLS`, { data: { context: text } });
    ctx.range = parseRange(policy, parts.slice(3).join(':'));
  } else if (policy.mls) ctx.range = { low: { sens: 1, cats: [] }, high: { sens: 1, cats: [] } };
  return ctx;
}

/** The context's text, as the kernel writes it. */
export function contextText(policy: Policy, c: Context): string {
  const base = `${policy.users[c.user - 1]?.name}:${policy.roles[c.role - 1]?.name}:${policy.types[c.type - 1]?.name}`;
  return policy.mls ? `${base}:${rangeText(policy, c.range)}` : base;
}
