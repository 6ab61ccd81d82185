// The criteria of a rule search, resolved against the policy as setools resolves them: type,
// attribute, class, permission, boolean and ioctl criteria, by name or by pattern (sesearch
// -rs, -rt, ...), into membership arrays over symbol values. A bad criterion is a PortholeError
// with sesearch's message: `unknown-name` for a name the policy lacks, `bad-query` for a value
// that does not parse.

import { fail } from '../../../../base/diagnostic.js';
import { pythonRegex } from '../../../../base/pythonRe.js';
import type { Policy } from '../../model.js';

/** Type values (by value, 1-based) a rule's source or target may have to match; undefined when unconstrained. */
export type TypeMatch = Uint8Array | undefined;

/**
 * The type or attribute a criterion names; undefined for no name, or for an
 * attribute without members (no criterion at all, as in setools).
 */
function criterionType(p: Policy, name: string | undefined): { v: number; t: Policy['types'][number] } | undefined {
  if (!name) return undefined;
  const v = p.index.typeValues.get(name);
  if (v === undefined) fail('unknown-name', `${name} is not a valid type attribute`, { data: { kind: 'type', name } });
  const t = p.types[v - 1]!;
  return t.isAttribute && t.attrs.length === 0 ? undefined : { v, t };
}

/** A criterion's pattern (sesearch -r*): Python's re.search. */
export function searchPattern(pattern: string): RegExp {
  try {
    return pythonRegex(pattern, 'search');
  } catch (e) {
    fail('bad-query', `invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message.replace(/^Invalid regular expression: \/.*\/\w*: /, '')}`, { data: { pattern } });
  }
}

/** Values (1-based) of the named items whose name the pattern finds, as a membership array. */
export function namesMatching(items: readonly ({ name: string; value: number } | undefined)[], re: RegExp, keep: (v: number) => boolean = () => true): Uint8Array {
  const ok = new Uint8Array(items.length + 1);
  for (const it of items) if (it && keep(it.value) && re.test(it.name)) ok[it.value] = 1;
  return ok;
}

/**
 * Resolves a type/attribute name (or pattern, with regex) to the rule-side values that match it.
 * Returns undefined for an attribute without members (no criterion, as in setools).
 */
export function typeCriterion(p: Policy, name: string | undefined, direct: boolean, regex = false): TypeMatch {
  if (regex) {
    if (!name) return undefined;
    const re = searchPattern(name);
    if (direct) return namesMatching(p.types, re);
    // A rule side matches when one of its member types is named by the pattern.
    const ok = new Uint8Array(p.types.length + 1);
    const idx = p.index;
    for (const t of p.types) {
      if (t.isAttribute || !re.test(t.name)) continue;
      const keys = idx.keysOf(t.value);
      for (let k = 0; k < keys.length; k++) ok[keys[k]!] = 1;
    }
    return ok;
  }
  const named = criterionType(p, name);
  if (named === undefined) return undefined;
  const { v, t } = named;
  const ok = new Uint8Array(p.types.length + 1);
  if (direct) {
    ok[v] = 1;
    return ok;
  }
  // Rule side value r matches when types(r) and types(v) intersect, i.e. when r is
  // one of the member types of v or an attribute of one of them.
  const idx = p.index;
  const members = t.isAttribute ? t.attrs : [v];
  for (const m of members) {
    const keys = idx.keysOf(m);
    for (let k = 0; k < keys.length; k++) ok[keys[k]!] = 1;
  }
  return ok;
}

/** Types (values) standing for type or attribute `name`, for the default-type criterion (always indirect). */
export function defaultTypeCriterion(p: Policy, name: string | undefined, regex = false): Uint8Array | undefined {
  if (regex) return name ? namesMatching(p.types, searchPattern(name), (v) => !p.types[v - 1]!.isAttribute) : undefined;
  const named = criterionType(p, name);
  if (named === undefined) return undefined;
  const { v, t } = named;
  const ok = new Uint8Array(p.types.length + 1);
  for (const m of t.isAttribute ? t.attrs : [v]) ok[m] = 1;
  return ok;
}

export function classCriterion(p: Policy, names: readonly string[] | undefined, regex = false): Uint8Array | undefined {
  if (!names || names.length === 0) return undefined;
  if (regex) return anyPattern(p.classes, names);
  const ok = new Uint8Array(p.classes.length + 1);
  for (const n of names) {
    const v = p.index.classValues.get(n);
    if (v === undefined) fail('unknown-name', `${n} is not a valid class`, { data: { kind: 'class', name: n } });
    ok[v] = 1;
  }
  return ok;
}

/** setools' validate_perms_any: every permission must exist in at least one of the classes (all classes when none given). */
export function validatePerms(p: Policy, perms: readonly string[], classes: Uint8Array | undefined): void {
  const invalid = new Set(perms);
  for (const c of p.classes) {
    if (!c || (classes && !classes[c.value])) continue;
    for (const name of c.allPerms) if (name !== undefined) invalid.delete(name);
    if (invalid.size === 0) return;
  }
  if (invalid.size === 0) return;
  const list = [...invalid].join(', ');
  fail('unknown-name', classes ? `Permission(s) do not exist in the specified classes: ${list}` : `Permission(s) do not exist any class: ${list}`, { data: { kind: 'permission', name: list } });
}

/** Items named by any of the patterns. */
function anyPattern(items: readonly ({ name: string; value: number } | undefined)[], patterns: readonly string[]): Uint8Array {
  const ok = new Uint8Array(items.length + 1);
  for (const pat of patterns) {
    const m = namesMatching(items, searchPattern(pat));
    for (let v = 1; v < ok.length; v++) ok[v]! |= m[v]!;
  }
  return ok;
}

export function boolCriterion(p: Policy, names: readonly string[] | undefined, regex = false): Set<number> | undefined {
  if (!names || names.length === 0) return undefined;
  if (regex) {
    const ok = anyPattern(p.bools, names);
    return new Set(listOf(ok));
  }
  const out = new Set<number>();
  for (const n of names) {
    const v = p.index.boolValues.get(n);
    if (v === undefined) fail('unknown-name', `${n} is not a valid Boolean`, { data: { kind: 'boolean', name: n } });
    out.add(v);
  }
  return out;
}

/** Checks and normalizes ioctl ranges as setools' xperms setter does. */
export function xpermCriterion(ranges: readonly (readonly [number, number])[] | undefined): Uint8Array | undefined {
  if (!ranges || ranges.length === 0) return undefined;
  const set = new Uint8Array(0x10000);
  for (let [lo, hi] of ranges) {
    for (const x of [lo, hi]) if (!(x >= 0 && x <= 0xffff)) fail('bad-query', `${hex7(x)} is not a valid ioctl.`);
    if (hi < lo) [lo, hi] = [hi, lo];
    set.fill(1, lo, hi + 1);
  }
  return set;
}

/** Python's `"{0:#07x}".format(n)`. */
function hex7(n: number): string {
  const sign = n < 0 ? '-' : '';
  return `${sign}0x${Math.abs(Math.trunc(n))
    .toString(16)
    .padStart(5 - sign.length, '0')}`;
}

/** Parses sesearch's -x argument (`0x8910,0x8900-0x89ff`): hexadecimal numbers and ranges, comma-separated. */
export function parseXperms(text: string): [number, number][] {
  const out: [number, number][] = [];
  const hex = (s: string): number => {
    const t = s.trim().replace(/^0x/i, '').replace(/_/g, '');
    if (!/^[0-9a-f]+$/i.test(t)) fail('bad-query', `invalid literal for int() with base 16: '${s}'`);
    return parseInt(t, 16);
  };
  for (const item of text.split(',')) {
    const r = item.split('-');
    if (r.length === 2) out.push([hex(r[0]!), hex(r[1]!)]);
    else if (r.length === 1) out.push([hex(r[0]!), hex(r[0]!)]);
    else fail('bad-query', `Unable to parse "${item}" for xperms.`);
  }
  return out;
}

/** The values (1-based) set in a membership array. */
export function listOf(ok: Uint8Array): number[] {
  const out: number[] = [];
  for (let v = 1; v < ok.length; v++) if (ok[v]) out.push(v);
  return out;
}
